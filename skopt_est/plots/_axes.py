"""Axes of a search space's dimensions: grids, positions, labels and scales."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def _dimension_grid(dimension, n_points: int) -> tuple[list, np.ndarray]:
    """Values to evaluate along one dimension and their plot positions."""
    from ..space import Categorical, Integer

    if isinstance(dimension, Categorical):
        return list(dimension.categories), np.arange(len(dimension.categories))
    if isinstance(dimension, Integer) and dimension.high - dimension.low < n_points:
        values = list(range(int(dimension.low), int(dimension.high) + 1))
        return values, np.asarray(values, dtype=float)
    values = dimension.from_design(np.linspace(0.0, 1.0, n_points))
    if isinstance(dimension, Integer):
        values = sorted(set(values))
    return values, np.asarray(values, dtype=float)


def _positions(dimension, values: Sequence) -> np.ndarray:
    from ..space import Categorical

    if isinstance(dimension, Categorical):
        return np.asarray([dimension.index(v) for v in values], dtype=float)
    return np.asarray(values, dtype=float)


def _style_axis(axis_setter, ticks_setter, dimension) -> None:
    """Log scale for log priors, category names for categoricals."""
    from ..space import Categorical

    if isinstance(dimension, Categorical):
        ticks_setter(
            range(len(dimension.categories)),
            [str(c) for c in dimension.categories],
            rotation=45,
            ha="right",
        )
    elif getattr(dimension, "prior", "uniform") == "log-uniform":
        axis_setter("log")


def _select_dimensions(space, dimensions, plot_dims=None) -> tuple[list[int], list]:
    """``(indices, labels)`` of the dimensions to draw.

    ``plot_dims`` (names or indices) selects, as in scikit-optimize. So does
    ``dimensions`` when it lists names of the space; a list that is not, one
    entry per drawn dimension, labels the axes, as scikit-optimize's
    ``dimensions`` does.
    """
    names = space.names
    label_list = None
    if dimensions is not None and plot_dims is None:
        if all(name in names for name in dimensions):
            plot_dims = dimensions
        else:
            label_list = list(dimensions)
    elif dimensions is not None:
        label_list = list(dimensions)
    if plot_dims is None:
        indices = list(range(len(names)))
    else:
        indices = []
        for item in plot_dims:
            if isinstance(item, numbers.Integral) and 0 <= item < len(names):
                indices.append(int(item))
            elif item in names:
                indices.append(names.index(item))
            else:
                raise ValueError(
                    f"dimensions: {item!r} is not in the search space {names}."
                )
        if not indices:
            raise ValueError("dimensions=[] is empty; name at least one dimension.")
    if label_list is not None and len(label_list) != len(indices):
        stranger = next((n for n in label_list if n not in names), label_list[0])
        raise ValueError(
            f"dimensions: {stranger!r} is not in the search space {names}; to "
            f"label the axes instead, give one label per plotted dimension "
            f"({len(indices)})."
        )
    labels = label_list or [_label(names[i], i) for i in indices]
    return indices, labels


def _label(name, i: int) -> str:
    return str(name) if name is not None else f"x{i}"


def _is_categorical(dimension) -> bool:
    from ..space import Categorical

    return isinstance(dimension, Categorical)


def _histogram_edges(dimension, bins: int) -> np.ndarray:
    if getattr(dimension, "prior", "uniform") == "log-uniform":
        return np.geomspace(dimension.low, dimension.high, bins + 1)
    return np.linspace(dimension.low, dimension.high, bins + 1)
