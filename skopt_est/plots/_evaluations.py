"""Where the search sampled: histograms per dimension and pairwise scatter plots."""

from __future__ import annotations

import numpy as np

from ._axes import (
    _dimension_index,
    _histogram_edges,
    _is_categorical,
    _label,
    _positions,
    _select_dimensions,
    _style_axis,
)
from ._common import _check_positive, _current_axes, _panel_grid, _pyplot
from ._results import _optimize_result


def _draw_histogram(ax, dimension, column: np.ndarray, bins: int) -> None:
    """Counts of the evaluated values of one dimension: one bar per
    category, or ``bins`` bins (geometric for a log-uniform prior)."""
    if _is_categorical(dimension):
        counts = np.bincount(column.astype(int), minlength=len(dimension.categories))
        ax.bar(np.arange(len(counts)), counts, color="C0")
    else:
        ax.hist(column, bins=_histogram_edges(dimension, bins), color="C0")
    _style_axis(ax.set_xscale, ax.set_xticks, dimension)


def _evaluated(result, index):
    entry, is_score = _optimize_result(result, index)
    x_iters = [list(x) for x in entry["x_iters"]]
    if not x_iters:
        raise ValueError("The result has no evaluation to plot.")
    return entry, is_score, x_iters


def plot_evaluations(
    result,
    bins=20,
    dimensions=None,
    plot_dims=None,
    size=2,
    wspace=0.35,
    hspace=0.35,
    cmap="viridis",
    ax=None,
    *,
    index=0,
):
    """Plot where the search evaluated: histograms and pairwise scatter plots.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    bins : int, default=20
        Histogram bins of a numeric dimension.
    dimensions : list of str or None, default=None
        As in ``plot_objective``: axis labels, or names to plot.
    plot_dims : list of str or int, or None, default=None
        As in ``plot_objective``: names or indices to plot; all non-constant
        dimensions when None.
    size : float, default=2
        Height and width of each panel in inches (new figures only).
    wspace, hspace : float, default=0.35
        Space between the panels, as fractions of a panel's width and height.
    cmap : str, default='viridis'
        Colour map of the order of evaluation in the scatter plots.
    ax : matplotlib Axes or None, default=None
        Draw the panels inside this Axes instead of a new figure.
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
    entry, is_score, x_iters = _evaluated(result, index)
    space = entry["space"]
    values = np.asarray(entry["func_vals"], dtype=float)
    finite = np.where(np.isfinite(values), values, np.inf)
    best = int(np.argmin(finite))  # func_vals are minimised in both kinds
    chosen, labels = _select_dimensions(space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    order = np.arange(len(x_iters))
    columns = {
        i: _positions(space.dimensions[i], [x[i] for x in x_iters]) for i in chosen
    }
    axes = _panel_grid(plt, len(chosen), size, wspace, hspace, ax)
    for row, i in enumerate(chosen):
        for col, j in enumerate(chosen):
            panel = axes[row, col]
            if col > row:
                panel.set_visible(False)
                continue
            if col == row:
                _draw_histogram(panel, space.dimensions[i], columns[i], bins)
                panel.set_ylabel("Number of evaluations")
            else:
                panel.scatter(columns[j], columns[i], c=order, cmap=cmap, s=12, lw=0)
                panel.scatter(
                    columns[j][best], columns[i][best], c="r", s=60, marker="*", lw=0
                )
                _style_axis(panel.set_xscale, panel.set_xticks, space.dimensions[j])
                _style_axis(panel.set_yscale, panel.set_yticks, space.dimensions[i])
                panel.set_ylabel(label_of[i])
            panel.set_xlabel(label_of[j])
    title = "Evaluations" + (" (by CV score)" if is_score else "")
    axes[0, 0].get_figure().suptitle(title)
    return axes


def plot_histogram(
    result, dimension_identifier, bins=20, rotate_labels=0, ax=None, *, index=0
):
    """Plot a histogram of the values the search evaluated in one dimension.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    dimension_identifier : str or int
        Name or index of the dimension.
    bins : int, default=20
        Bins of a numeric dimension (geometric for a log-uniform prior); a
        categorical dimension has one bar per category, in the order of its
        categories, unevaluated ones included.
    rotate_labels : float, default=0
        Rotation of the category names, in degrees.
    ax : matplotlib Axes or None, default=None
        Where to draw; pyplot's current Axes when None.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on.
    """
    plt = _pyplot()
    _check_positive("bins", bins)
    entry, _, x_iters = _evaluated(result, index)
    space = entry["space"]
    i = _dimension_index(space, dimension_identifier)
    dimension = space.dimensions[i]
    ax = _current_axes(plt, ax)
    _draw_histogram(ax, dimension, _positions(dimension, [x[i] for x in x_iters]), bins)
    if _is_categorical(dimension):
        for tick in ax.get_xticklabels():
            tick.set_rotation(rotate_labels)
            tick.set_horizontalalignment("center" if rotate_labels == 0 else "right")
    ax.set_xlabel(_label(dimension.name, i))
    ax.set_ylabel("Number of evaluations")
    return ax
