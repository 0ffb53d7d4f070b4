"""Axes of a search space's dimensions: grids, positions, labels and scales.

The helpers read a dimension through the attributes scikit-optimize's and
skopt_est's dimensions share (``categories``, ``low``, ``high``, ``prior``,
``name``, ``is_constant``), so a scikit-optimize result plots too.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def _kind(dimension) -> str:
    """``'categorical'``, ``'integer'`` or ``'real'``."""
    if hasattr(dimension, "categories"):
        return "categorical"
    names = {klass.__name__ for klass in type(dimension).__mro__}
    return "integer" if "Integer" in names else "real"


def _is_categorical(dimension) -> bool:
    return _kind(dimension) == "categorical"


def _is_log(dimension) -> bool:
    return getattr(dimension, "prior", "uniform") == "log-uniform"


def _dimension_grid(dimension, n_points: int) -> tuple[list, np.ndarray]:
    """Values to evaluate along one dimension and their plot positions.

    Every category (its index is the position); every integer when there
    are at most ``n_points``, else ``n_points`` evenly spaced ones; for a
    real, ``n_points`` values evenly spaced (geometrically for a log-uniform
    prior) from ``low`` to ``high``.
    """
    kind = _kind(dimension)
    if kind == "categorical":
        categories = list(dimension.categories)
        return categories, np.arange(len(categories), dtype=float)
    low, high = dimension.low, dimension.high
    if kind == "integer" and high - low < n_points:
        values = list(range(int(low), int(high) + 1))
        return values, np.asarray(values, dtype=float)
    spacing = np.geomspace if _is_log(dimension) else np.linspace
    grid = spacing(low, high, n_points)
    if kind == "integer":
        values = sorted({int(v) for v in np.round(grid)})
        return values, np.asarray(values, dtype=float)
    values = [float(v) for v in grid]
    return values, np.asarray(values)


def _category_index(dimension, value) -> int:
    if hasattr(dimension, "index"):
        return dimension.index(value)
    categories = list(dimension.categories)
    for i, category in enumerate(categories):
        if type(category) is type(value) and category == value:
            return i
    return categories.index(value)


def _positions(dimension, values: Sequence) -> np.ndarray:
    """Plot positions of values: the value itself, a category's index."""
    if _is_categorical(dimension):
        return np.asarray([_category_index(dimension, v) for v in values], float)
    return np.asarray(values, dtype=float)


def _style_axis(axis_setter, ticks_setter, dimension) -> None:
    """Log scale for log priors, category names for categoricals."""
    if _is_categorical(dimension):
        ticks_setter(
            range(len(dimension.categories)),
            [str(c) for c in dimension.categories],
            rotation=45,
            ha="right",
        )
    elif _is_log(dimension):
        axis_setter("log")


def _names(space) -> list:
    return [d.name for d in space.dimensions]


def _dimension_index(space, identifier) -> int:
    """The index of a dimension given by name or index."""
    names = _names(space)
    if isinstance(identifier, numbers.Integral) and 0 <= identifier < len(names):
        return int(identifier)
    if identifier in names:
        return names.index(identifier)
    raise ValueError(f"dimensions: {identifier!r} is not in the search space {names}.")


def _select_dimensions(space, dimensions, plot_dims=None) -> tuple[list[int], list]:
    """``(indices, labels)`` of the dimensions to draw.

    ``plot_dims`` (names or indices) selects, as in scikit-optimize; without
    it every dimension but the constant ones is drawn. So does
    ``dimensions`` when it lists names of the space; a list that is not, one
    entry per drawn dimension, labels the axes, as scikit-optimize's
    ``dimensions`` does.
    """
    names = _names(space)
    label_list = None
    if dimensions is not None and plot_dims is None:
        if all(name in names for name in dimensions):
            plot_dims = dimensions
        else:
            label_list = list(dimensions)
    elif dimensions is not None:
        label_list = list(dimensions)
    if plot_dims is None:
        indices = [
            i
            for i, d in enumerate(space.dimensions)
            if not getattr(d, "is_constant", False)
        ]
        if not indices:
            raise ValueError(
                "Every dimension of the space is constant: nothing to plot."
            )
    else:
        indices = [_dimension_index(space, item) for item in plot_dims]
        if not indices:
            raise ValueError("dimensions=[] is empty; name at least one dimension.")
    if label_list is not None and len(label_list) != len(indices):
        stranger = next((n for n in label_list if n not in names), label_list[0])
        raise ValueError(
            f"dimensions: {stranger!r} is not in the search space {names}; to "
            f"label the axes instead, give one label per plotted dimension "
            f"({len(indices)}: {[_label(names[i], i) for i in indices]})."
        )
    labels = label_list or [_label(names[i], i) for i in indices]
    return indices, labels


def _label(name, i: int) -> str:
    return str(name) if name is not None else f"x{i}"


def _histogram_edges(dimension, bins: int) -> np.ndarray:
    if _is_log(dimension):
        return np.geomspace(dimension.low, dimension.high, bins + 1)
    return np.linspace(dimension.low, dimension.high, bins + 1)
