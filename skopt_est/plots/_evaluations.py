"""The evaluations plot: where the search sampled, one histogram per dimension."""

from __future__ import annotations

import numpy as np

from ._axes import (
    _histogram_edges,
    _is_categorical,
    _positions,
    _select_dimensions,
    _style_axis,
)
from ._common import _check_positive, _pyplot
from ._results import _optimize_result


def plot_evaluations(
    result, *, bins=20, dimensions=None, plot_dims=None, size=2.0, index=0
):
    """Plot where the search evaluated: histograms and pairwise scatter plots.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    bins : int, default=20
        Histogram bins of a numeric dimension.
    dimensions : list of str or None, default=None
        As in ``plot_objective``: names to plot, or axis labels.
    plot_dims : list of str or int, or None, default=None
        As in ``plot_objective``: names or indices to plot.
    size : float, default=2.0
        Height and width of each panel in inches.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: histogram of the evaluated values; below it: evaluated
        points coloured by order of evaluation, the best a red star; above
        it: hidden.
    """
    plt = _pyplot()
    _check_positive("bins", bins)
    entry, is_score = _optimize_result(result, index)
    space = entry["space"]
    x_iters = [list(x) for x in entry["x_iters"]]
    if not x_iters:
        raise ValueError("plot_evaluations needs at least one evaluation.")
    values = np.asarray(entry["func_vals"], dtype=float)
    finite = np.where(np.isfinite(values), values, np.inf)
    best = int(np.argmin(finite))  # func_vals are minimised in both kinds
    chosen, labels = _select_dimensions(space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    order = np.arange(len(x_iters))

    n = len(chosen)
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1, size * n + 1), squeeze=False)
    for row, i in enumerate(chosen):
        dim_i = space.dimensions[i]
        column_i = _positions(dim_i, [x[i] for x in x_iters])
        for col, j in enumerate(chosen):
            ax = axes[row, col]
            dim_j = space.dimensions[j]
            if col > row:
                ax.set_visible(False)
                continue
            if col == row:
                if _is_categorical(dim_i):
                    counts = np.bincount(
                        column_i.astype(int), minlength=len(dim_i.categories)
                    )
                    ax.bar(np.arange(len(counts)), counts, color="C0")
                else:
                    edges = _histogram_edges(dim_i, bins)
                    ax.hist(column_i, bins=edges, color="C0")
                ax.set_ylabel("Number of evaluations")
                _style_axis(ax.set_xscale, ax.set_xticks, dim_i)
            else:
                column_j = _positions(dim_j, [x[j] for x in x_iters])
                ax.scatter(column_j, column_i, c=order, cmap="viridis", s=12, lw=0)
                ax.scatter(
                    column_j[best], column_i[best], c="r", s=60, marker="*", lw=0
                )
                _style_axis(ax.set_xscale, ax.set_xticks, dim_j)
                _style_axis(ax.set_yscale, ax.set_yticks, dim_i)
                ax.set_ylabel(label_of[i])
            ax.set_xlabel(label_of[j])
    fig.suptitle("Evaluations" + (" (by CV score)" if is_score else ""))
    fig.tight_layout()
    return axes
