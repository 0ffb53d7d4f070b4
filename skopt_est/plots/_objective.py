"""The objective plots: the surrogate's partial dependence, as the search fitted it."""

from __future__ import annotations

import numpy as np

from ._axes import (
    _dimension_index,
    _is_categorical,
    _label,
    _positions,
    _select_dimensions,
    _style_axis,
)
from ._common import _check_positive, _current_axes, _panel_grid, _pyplot
from ._dependence import (
    _Encoding,
    partial_dependence_1D,
    partial_dependence_2D,
    sample_rows,
)
from ._results import _optimize_result, _reference_point, _surrogate


class _Surface:
    """What both objective plots draw from: the surrogate, the points it is
    averaged over, the marked point and the evaluations, in plot units
    (``sign`` turns a search's ``-score`` back into the score)."""

    def __init__(
        self,
        result,
        index,
        n_samples,
        sample_source,
        minimum,
        n_minimum_search,
        random_state,
    ):
        from sklearn.utils import check_random_state

        _check_positive("n_samples", n_samples)
        entry, self.is_score = _optimize_result(result, index)
        self.space = entry["space"]
        self.sign = -1.0 if self.is_score else 1.0
        rng = check_random_state(random_state)
        self.model = _surrogate(entry, rng)
        self.marked = _reference_point(entry, minimum, n_minimum_search, rng)
        if isinstance(sample_source, str) and sample_source == "random":
            self.samples = sample_rows(self.space, n_samples, rng)
        else:
            point = (
                self.marked  # the same search once, the same point
                if isinstance(sample_source, str) and sample_source == minimum
                else _reference_point(entry, sample_source, n_minimum_search, rng)
            )
            self.samples = _Encoding(self.space).points([point])
        self.x_iters = [list(x) for x in entry["x_iters"]]
        self.what = "CV score" if self.is_score else "objective"

    def default_cmap(self) -> str:
        # dark is good: low objective values, high scores
        return "viridis" if self.is_score else "viridis_r"

    def column(self, i: int) -> np.ndarray:
        return _positions(self.space.dimensions[i], [x[i] for x in self.x_iters])

    def mark(self, i: int) -> float:
        return _positions(self.space.dimensions[i], [self.marked[i]])[0]

    def line(self, i: int, n_points: int):
        xi, yi = partial_dependence_1D(
            self.space, self.model, i, self.samples, n_points
        )
        return xi, self.sign * yi

    def grid(self, i: int, j: int, n_points: int):
        """Dimension ``j`` along x, ``i`` along y."""
        xi, yi, zi = partial_dependence_2D(
            self.space, self.model, i, j, self.samples, n_points
        )
        return xi, yi, self.sign * zi


def _check_zscale(zscale) -> None:
    if zscale not in ("linear", "log"):
        raise ValueError(f"zscale={zscale!r} is not supported; use 'linear' or 'log'.")


def _draw_surface(
    ax, surface: _Surface, i, j, n_points, levels, zscale, cmap, show_points=True
):
    """The 2-D partial dependence of dimensions ``j`` (x) and ``i`` (y), the
    evaluations as black dots and the marked point as a red star."""
    dim_i, dim_j = surface.space.dimensions[i], surface.space.dimensions[j]
    xi, yi, zi = surface.grid(i, j, n_points)
    numeric = not (_is_categorical(dim_i) or _is_categorical(dim_j))
    if numeric and len(xi) > 1 and len(yi) > 1:
        contour_levels = levels
        if zscale == "log" and np.all(zi > 0):
            contour_levels = np.geomspace(zi.min(), zi.max(), levels + 1)
        ax.contourf(xi, yi, zi, levels=contour_levels, cmap=cmap)
    else:
        ax.pcolormesh(xi, yi, zi, shading="nearest", cmap=cmap)
    if show_points:
        ax.scatter(surface.column(j), surface.column(i), c="k", s=8, lw=0)
    ax.scatter(surface.mark(j), surface.mark(i), c="r", s=60, marker="*", lw=0)
    _style_axis(ax.set_xscale, ax.set_xticks, dim_j)
    _style_axis(ax.set_yscale, ax.set_yticks, dim_i)


def plot_objective(
    result,
    levels=10,
    n_points=40,
    n_samples=250,
    size=2,
    wspace=0.35,
    hspace=0.35,
    zscale="linear",
    dimensions=None,
    sample_source="random",
    minimum="result",
    n_minimum_search=None,
    plot_dims=None,
    show_points=True,
    cmap=None,
    ax=None,
    *,
    index=0,
    random_state=0,
):
    """Plot the surrogate's partial dependence on each dimension and each pair.

    The surrogate drawn is the one the search itself fitted last (for a
    skopt_est result saved without models, the optimizer's own fit on its
    evaluations). The panel on the diagonal for a dimension shows the
    surrogate averaged over ``n_samples`` random points of the other
    dimensions, as that dimension varies; the panel below the diagonal for a
    pair does the same on a grid of both. Evaluated points are black dots,
    the point named by ``minimum`` a red star (a dashed line on the
    diagonal). Constant dimensions are left out unless ``plot_dims`` names
    them.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        A fitted ``BayesSearchCV`` (its search space ``index``; the plot
        shows the CV score), an ``OptimizeResult`` of skopt_est (the plot
        shows the objective), or one of scikit-optimize with ``models``.
    levels : int, default=10
        Contour levels of the 2-D panels.
    n_points : int, default=40
        Grid points per dimension.
    n_samples : int, default=250
        Random points averaged over for each value of the partial dependence.
    size : float, default=2
        Height and width of each panel in inches (new figures only).
    wspace, hspace : float, default=0.35
        Space between the panels, as fractions of a panel's width and height.
    zscale : {'linear', 'log'}, default='linear'
        Scale of the contour levels of the 2-D panels.
    dimensions : list of str or None, default=None
        Labels of the plotted dimensions, one each, as in scikit-optimize; a
        list of names of the space selects those dimensions instead.
    sample_source : str or list, default='random'
        Where the averaged-over points come from: ``'random'`` (``n_samples``
        random points), or one point, named as for ``minimum``, at which the
        other dimensions are held.
    minimum : str or list, default='result'
        The point marked: ``'result'`` (the best evaluated point),
        ``'expected_minimum'`` or ``'expected_minimum_random'`` (the
        surrogate's lowest prediction, see ``skopt_est.utils``), or a list
        with one value per dimension.
    n_minimum_search : int or None, default=None
        Starting points (``'expected_minimum'``, default 20) or random
        points (``'expected_minimum_random'``, default ``10 ** n_dims`` up
        to 100 000) of the search for the surrogate's minimum.
    plot_dims : list of str or int, or None, default=None
        Names or indices of the dimensions to plot; all non-constant ones
        when None.
    show_points : bool, default=True
        Draw the evaluated points on the 2-D panels.
    cmap : str or None, default=None
        Colour map of the 2-D panels; ``'viridis_r'`` for an objective and
        ``'viridis'`` for a CV score (dark is good in both) when None.
    ax : matplotlib Axes or None, default=None
        Draw the panels inside this Axes instead of a new figure.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.
    random_state : int, RandomState instance or None, default=0
        Seeds the random points averaged over and the minimum searches.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: 1-D partial dependence; below it: 2-D; above it: hidden.
    """
    plt = _pyplot()
    _check_positive("n_points", n_points)
    _check_zscale(zscale)
    surface = _Surface(
        result, index, n_samples, sample_source, minimum, n_minimum_search, random_state
    )
    cmap = surface.default_cmap() if cmap is None else cmap
    chosen, labels = _select_dimensions(surface.space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    axes = _panel_grid(plt, len(chosen), size, wspace, hspace, ax)
    for row, i in enumerate(chosen):
        for col, j in enumerate(chosen):
            panel = axes[row, col]
            if col > row:
                panel.set_visible(False)
                continue
            if col == row:
                xi, yi = surface.line(i, n_points)
                panel.plot(xi, yi, color="C0")
                panel.axvline(surface.mark(i), color="r", linestyle="--", lw=1)
                panel.set_ylabel(f"Partial dependence\n({surface.what})")
                _style_axis(
                    panel.set_xscale, panel.set_xticks, surface.space.dimensions[i]
                )
            else:
                _draw_surface(
                    panel, surface, i, j, n_points, levels, zscale, cmap, show_points
                )
                panel.set_ylabel(label_of[i])
            panel.set_xlabel(label_of[j])
    axes[0, 0].get_figure().suptitle(f"Surrogate partial dependence ({surface.what})")
    return axes


def plot_objective_2D(
    result,
    dimension_identifier1,
    dimension_identifier2,
    n_points=40,
    n_samples=250,
    levels=10,
    zscale="linear",
    sample_source="random",
    minimum="result",
    n_minimum_search=None,
    ax=None,
    *,
    index=0,
    random_state=0,
    cmap=None,
):
    """Plot the surrogate's partial dependence on two dimensions.

    The one lower panel of ``plot_objective`` for a chosen pair, drawn on a
    single Axes: the first dimension along x, the second along y, the
    evaluated points as black dots and the point named by ``minimum`` as a
    red star.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    dimension_identifier1 : str or int
        Name or index of the dimension along x.
    dimension_identifier2 : str or int
        Name or index of the dimension along y.
    n_points : int, default=40
        Grid points per dimension.
    n_samples : int, default=250
        Random points averaged over for each grid point.
    levels : int, default=10
        Contour levels.
    zscale : {'linear', 'log'}, default='linear'
        Scale of the contour levels.
    sample_source : str or list, default='random'
        As in ``plot_objective``.
    minimum : str or list, default='result'
        As in ``plot_objective``.
    n_minimum_search : int or None, default=None
        As in ``plot_objective``.
    ax : matplotlib Axes or None, default=None
        Where to draw; pyplot's current Axes when None.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.
    random_state : int, RandomState instance or None, default=0
        Seeds the random points averaged over and the minimum searches.
    cmap : str or None, default=None
        Colour map; as in ``plot_objective``.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on.
    """
    plt = _pyplot()
    _check_positive("n_points", n_points)
    _check_zscale(zscale)
    surface = _Surface(
        result, index, n_samples, sample_source, minimum, n_minimum_search, random_state
    )
    x_index = _dimension_index(surface.space, dimension_identifier1)
    y_index = _dimension_index(surface.space, dimension_identifier2)
    ax = _current_axes(plt, ax)
    cmap = surface.default_cmap() if cmap is None else cmap
    _draw_surface(ax, surface, y_index, x_index, n_points, levels, zscale, cmap)
    dimensions = surface.space.dimensions
    ax.set_xlabel(_label(dimensions[x_index].name, x_index))
    ax.set_ylabel(_label(dimensions[y_index].name, y_index))
    return ax
