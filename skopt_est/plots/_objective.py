"""The objective plot: the surrogate's partial dependence, as the search fitted it."""

from __future__ import annotations

import numpy as np

from ._axes import (
    _dimension_grid,
    _is_categorical,
    _positions,
    _select_dimensions,
    _style_axis,
)
from ._common import _check_positive, _pyplot
from ._results import _optimize_result


def _partial_dependence(model, space, samples: np.ndarray, fixed: list) -> float:
    """Mean surrogate prediction (objective units) over ``samples`` with
    ``fixed`` dimensions set.

    ``samples`` are model-cube rows; ``fixed`` is a list of
    ``(dimension index, value)``.
    """
    rows = samples.copy()
    slices = space.column_slices()
    for index, value in fixed:
        rows[:, slices[index]] = space.dimensions[index].to_unit([value])[0]
    return float(np.mean(model.predict_objective(rows)))


def plot_objective(
    result,
    *,
    dimensions=None,
    n_points=40,
    n_samples=250,
    levels=10,
    size=2.0,
    index=0,
    random_state=0,
    plot_dims=None,
    zscale="linear",
    show_points=True,
    cmap=None,
    sample_source="random",
    minimum="result",
    n_minimum_search=None,
):
    """Plot the surrogate's partial dependence on each dimension and each pair.

    The surrogate drawn is the Gaussian process the search itself fitted
    last (refitted the same way when the result holds none). The panel on
    the diagonal for a dimension
    shows the surrogate averaged over ``n_samples`` random points of the
    other dimensions, as that dimension varies; the panel below the diagonal
    for a pair does the same on a grid of both. Evaluated points are black
    dots, the best one a red star.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        A fitted ``BayesSearchCV`` (its search space ``index``; the plot
        shows the CV score) or an ``OptimizeResult`` with ``x_iters``,
        ``func_vals`` and ``space`` (the plot shows the objective).
    dimensions : list of str or None, default=None
        Names of the dimensions to plot, in order; all when None. A list
        that is not names of the space labels the plotted axes instead, as
        scikit-optimize's ``dimensions`` does.
    n_points : int, default=40
        Grid points per dimension.
    n_samples : int, default=250
        Random points averaged over for each value of the partial dependence.
    levels : int, default=10
        Contour levels of the 2-D panels.
    size : float, default=2.0
        Height and width of each panel in inches.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.
    random_state : int, RandomState instance or None, default=0
        Seed of the random points averaged over.
    plot_dims : list of str or int, or None, default=None
        Names or indices of the dimensions to plot (scikit-optimize's
        selection argument); all when None.
    zscale : {'linear', 'log'}, default='linear'
        Scale of the contour levels of the 2-D panels.
    show_points : bool, default=True
        Draw the evaluated points on the 2-D panels.
    cmap : str or None, default=None
        Colour map of the 2-D panels; ``'viridis_r'`` for an objective and
        ``'viridis'`` for a CV score (dark is good in both) when None.
    sample_source : 'random', default='random'
        Where the averaged-over points come from; only scikit-optimize's
        default is supported.
    minimum : 'result', default='result'
        Which point the red marks show: the best evaluated one.
    n_minimum_search : None, default=None
        Accepted for compatibility; unused with ``minimum='result'``.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: 1-D partial dependence; below it: 2-D; above it: hidden.
    """
    from sklearn.utils import check_random_state

    plt = _pyplot()
    _check_positive("n_points", n_points)
    _check_positive("n_samples", n_samples)
    for name, value, allowed in (
        ("zscale", zscale, ("linear", "log")),
        ("sample_source", sample_source, ("random",)),
        ("minimum", minimum, ("result",)),
    ):
        if value not in allowed:
            raise ValueError(
                f"{name}={value!r} is not supported; use one of {list(allowed)}."
            )
    entry, is_score = _optimize_result(result, index)
    space = entry["space"]
    sign = -1.0 if is_score else 1.0
    if cmap is None:
        cmap = "viridis" if is_score else "viridis_r"
    values = sign * np.asarray(entry["func_vals"], dtype=float)
    x_iters = [list(x) for x in entry["x_iters"]]
    rng = check_random_state(random_state)
    from ..search._optimizer import result_surrogate

    model = result_surrogate(entry, rng)
    samples = space.to_unit(space.draw(n_samples, random_state=rng))
    chosen, labels = _select_dimensions(space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    best = int(np.nanargmax(values) if is_score else np.nanargmin(values))
    grids = {i: _dimension_grid(space.dimensions[i], n_points) for i in chosen}
    what = "CV score" if is_score else "objective"

    n = len(chosen)
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1, size * n + 1), squeeze=False)
    for row, i in enumerate(chosen):
        dim_i = space.dimensions[i]
        grid_values, positions = grids[i]
        for col, j in enumerate(chosen):
            ax = axes[row, col]
            if col > row:
                ax.set_visible(False)
                continue
            if col == row:
                dependence = [
                    sign * _partial_dependence(model, space, samples, [(i, v)])
                    for v in grid_values
                ]
                ax.plot(positions, dependence, color="C0")
                ax.axvline(
                    _positions(dim_i, [x_iters[best][i]])[0],
                    color="r",
                    linestyle="--",
                    linewidth=1,
                )
                ax.set_ylabel(f"Partial dependence\n({what})")
                _style_axis(ax.set_xscale, ax.set_xticks, dim_i)
            else:
                dim_j = space.dimensions[j]
                grid_j, positions_j = grids[j]
                surface = np.array(
                    [
                        [
                            sign
                            * _partial_dependence(
                                model, space, samples, [(i, vi), (j, vj)]
                            )
                            for vj in grid_j
                        ]
                        for vi in grid_values
                    ]
                )
                is_numeric = not (_is_categorical(dim_i) or _is_categorical(dim_j))
                if is_numeric and len(positions) > 1 and len(positions_j) > 1:
                    contour_levels = levels
                    if zscale == "log" and np.all(surface > 0):
                        contour_levels = np.geomspace(
                            surface.min(), surface.max(), levels + 1
                        )
                    ax.contourf(
                        positions_j,
                        positions,
                        surface,
                        levels=contour_levels,
                        cmap=cmap,
                    )
                else:
                    ax.pcolormesh(
                        positions_j, positions, surface, shading="nearest", cmap=cmap
                    )
                if show_points:
                    ax.scatter(
                        _positions(dim_j, [x[j] for x in x_iters]),
                        _positions(dim_i, [x[i] for x in x_iters]),
                        c="k",
                        s=8,
                        lw=0,
                    )
                ax.scatter(
                    _positions(dim_j, [x_iters[best][j]]),
                    _positions(dim_i, [x_iters[best][i]]),
                    c="r",
                    s=60,
                    marker="*",
                    lw=0,
                )
                _style_axis(ax.set_xscale, ax.set_xticks, dim_j)
                _style_axis(ax.set_yscale, ax.set_yticks, dim_i)
                ax.set_ylabel(label_of[i])
            ax.set_xlabel(label_of[j])
    fig.suptitle(f"Surrogate partial dependence ({what})")
    fig.tight_layout()
    return axes
