"""What every plot needs: matplotlib, imported on demand, and argument checks."""

from __future__ import annotations

import numbers

_INSTALL_HINT = (
    "skopt_est.plots needs matplotlib; install it with: pip install skopt-est[plots]"
)


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return plt


def _check_positive(name: str, value) -> None:
    if not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}={value!r} must be a positive integer.")


def _panel_grid(plt, n: int, size: float, wspace: float, hspace: float, ax=None):
    """An ``n`` by ``n`` array of Axes: a new figure, or a grid inside ``ax``
    (which is then hidden), spaced by ``wspace`` and ``hspace``."""
    import numpy as np

    if ax is None:
        _, axes = plt.subplots(
            n,
            n,
            figsize=(size * n + 1, size * n + 1),
            squeeze=False,
            gridspec_kw={"wspace": wspace, "hspace": hspace},
        )
        return axes
    from matplotlib.gridspec import GridSpecFromSubplotSpec

    figure = ax.get_figure()
    spec = GridSpecFromSubplotSpec(
        n, n, subplot_spec=ax.get_subplotspec(), wspace=wspace, hspace=hspace
    )
    ax.set_axis_off()
    axes = np.empty((n, n), dtype=object)
    for row in range(n):
        for col in range(n):
            axes[row, col] = figure.add_subplot(spec[row, col])
    return axes


def _current_axes(plt, ax=None):
    """``ax``, or pyplot's current Axes (as scikit-optimize's single-panel
    plots draw, so ``plt.subplot(...)`` before the call places them)."""
    return plt.gca() if ax is None else ax
