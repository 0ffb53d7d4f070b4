"""Search dimensions and the unit-cube transforms the optimizer works in.

Two coordinate systems are used, both inside ``[0, 1]``:

* the **design cube** has one coordinate per dimension. A uniform draw in it
  is a draw from the dimension's prior, so quasi-random initial designs
  (Sobol, Halton, LHS) are built there. Categories occupy equal bins.
* the **model cube** is what the Gaussian process sees: reals and integers
  keep their design coordinate, a categorical with ``k`` categories becomes
  ``k`` one-hot columns. ``Space.transform`` maps values to it,
  ``Space.inverse_transform`` maps back (rounding integers, taking the argmax
  of one-hot blocks), so any point of the cube maps to a valid value.

Log priors are linear in the log of the value. An integer dimension is the
continuous interval ``[low - 0.5, high + 0.5]`` (in log space for a log
prior), rounded on the way back, so uniform design coordinates give every
integer its prior mass and ``inverse_transform(transform(v)) == v`` exactly.

Dimensions are frozen dataclasses: naming one returns a copy
(``dataclasses.replace``), never mutates the user's object.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["Categorical", "Dimension", "Integer", "Real", "Space", "check_dimension"]

_PRIORS = ("uniform", "log-uniform")


class Dimension:
    """Base class of the search dimensions ``Real``, ``Integer`` and ``Categorical``."""

    name: str | None

    @property
    def n_columns(self) -> int:
        """Number of model-cube columns this dimension takes."""
        return 1

    def rvs(self, n_samples: int = 1, random_state=None) -> list:
        """Draw ``n_samples`` values from the prior.

        Parameters
        ----------
        n_samples : int, default=1
            Number of values to draw.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        values : list
            Values of the dimension's type.
        """
        rng = check_random_state(random_state)
        return self.from_design(rng.uniform(size=n_samples))


def _check_bounds(kind: str, low, high, prior: str) -> None:
    if prior not in _PRIORS:
        raise ValueError(
            f"{kind}: prior={prior!r} is not supported; use one of {list(_PRIORS)}."
        )
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{kind}: low={low!r} and high={high!r} must be finite.")
    if low >= high:
        raise ValueError(
            f"{kind}: low={low!r} must be lower than high={high!r}; swap them, "
            "or use Categorical([value]) for a fixed value."
        )
    if prior == "log-uniform" and low <= 0:
        raise ValueError(
            f"{kind}: low={low!r} must be positive with prior='log-uniform'; "
            "use prior='uniform' or a positive lower bound."
        )


@dataclasses.dataclass(frozen=True)
class Real(Dimension):
    """A real-valued search dimension.

    Parameters
    ----------
    low, high : float
        Inclusive bounds, ``low < high``.
    prior : {'uniform', 'log-uniform'}, default='uniform'
        Distribution of the draws; ``'log-uniform'`` is uniform in
        ``log(value)`` and needs ``low > 0``.
    base : float, default=10
        Base of the logarithm, kept for compatibility with scikit-optimize;
        a log-uniform distribution does not depend on it.
    name : str or None, default=None
        Parameter name; set by the search from the key of the search space.

    Examples
    --------
    >>> from skopt_est.space import Real
    >>> values = Real(1e-4, 1e-1, prior="log-uniform").rvs(5, random_state=0)
    >>> all(1e-4 <= v <= 1e-1 and type(v) is float for v in values)
    True
    """

    low: float
    high: float
    prior: str = "uniform"
    base: float = 10
    name: str | None = None

    def __post_init__(self) -> None:
        _check_bounds("Real", self.low, self.high, self.prior)
        object.__setattr__(self, "low", float(self.low))
        object.__setattr__(self, "high", float(self.high))

    def _warp(self, value):
        return np.log(value) if self.prior == "log-uniform" else np.asarray(value)

    def _unwarp(self, value):
        return np.exp(value) if self.prior == "log-uniform" else value

    def from_design(self, u: np.ndarray) -> list[float]:
        """Map design-cube coordinates in ``[0, 1]`` to values."""
        lo, hi = self._warp(self.low), self._warp(self.high)
        values = np.clip(
            self._unwarp(lo + np.asarray(u) * (hi - lo)), self.low, self.high
        )
        return [float(v) for v in np.atleast_1d(values)]

    def to_unit(self, values: Sequence) -> np.ndarray:
        """Map values to their model-cube column, shape ``(n_values, 1)``."""
        lo, hi = self._warp(self.low), self._warp(self.high)
        unit = (self._warp(np.asarray(values, dtype=float)) - lo) / (hi - lo)
        return unit.reshape(-1, 1)

    def from_unit(self, unit: np.ndarray) -> list[float]:
        """Map a model-cube column back to values (clipped to the bounds)."""
        return self.from_design(np.clip(np.asarray(unit).reshape(-1), 0.0, 1.0))

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies inside the dimension."""
        return isinstance(value, numbers.Real) and self.low <= value <= self.high

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube column(s): clipped to ``[0, 1]``."""
        return np.clip(unit, 0.0, 1.0)


@dataclasses.dataclass(frozen=True)
class Integer(Dimension):
    """An integer-valued search dimension; values are Python ``int``.

    Parameters
    ----------
    low, high : int
        Inclusive bounds, ``low < high``.
    prior : {'uniform', 'log-uniform'}, default='uniform'
        Distribution of the draws; ``'log-uniform'`` needs ``low > 0``.
    base : float, default=10
        Kept for compatibility with scikit-optimize; see ``Real``.
    name : str or None, default=None
        Parameter name; set by the search from the key of the search space.

    Examples
    --------
    >>> from skopt_est.space import Integer
    >>> Integer(1, 5).rvs(3, random_state=0)
    [3, 4, 4]
    """

    low: int
    high: int
    prior: str = "uniform"
    base: float = 10
    name: str | None = None

    def __post_init__(self) -> None:
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if not isinstance(value, numbers.Integral):
                if isinstance(value, numbers.Real) and float(value).is_integer():
                    value = int(value)
                else:
                    raise ValueError(
                        f"Integer: {bound}={value!r} must be an integer; "
                        "use Real for a continuous range."
                    )
            object.__setattr__(self, bound, int(value))
        _check_bounds("Integer", self.low, self.high, self.prior)

    def _edges(self) -> tuple[float, float]:
        # the continuous interval whose rounding gives every integer its mass
        lo, hi = self.low - 0.5, self.high + 0.5
        if self.prior == "log-uniform":
            return math.log(lo), math.log(hi)
        return lo, hi

    def from_design(self, u: np.ndarray) -> list[int]:
        """Map design-cube coordinates in ``[0, 1]`` to values."""
        lo, hi = self._edges()
        warped = lo + np.atleast_1d(np.asarray(u, dtype=float)) * (hi - lo)
        if self.prior == "log-uniform":
            warped = np.exp(warped)
        values = np.clip(np.round(warped), self.low, self.high)
        return [int(v) for v in values]

    def to_unit(self, values: Sequence) -> np.ndarray:
        """Map values to their model-cube column, shape ``(n_values, 1)``."""
        lo, hi = self._edges()
        warped = np.asarray(values, dtype=float)
        if self.prior == "log-uniform":
            warped = np.log(warped)
        return ((warped - lo) / (hi - lo)).reshape(-1, 1)

    def from_unit(self, unit: np.ndarray) -> list[int]:
        """Map a model-cube column back to values, rounding to integers."""
        return self.from_design(np.clip(np.asarray(unit).reshape(-1), 0.0, 1.0))

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies inside the dimension."""
        return isinstance(value, numbers.Integral) and self.low <= value <= self.high

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube column(s): integer values, vectorised."""
        lo, hi = self._edges()
        warped = lo + np.clip(unit, 0.0, 1.0) * (hi - lo)
        if self.prior == "log-uniform":
            values = np.clip(np.round(np.exp(warped)), self.low, self.high)
            return (np.log(values) - lo) / (hi - lo)
        values = np.clip(np.round(warped), self.low, self.high)
        return (values - lo) / (hi - lo)


@dataclasses.dataclass(frozen=True)
class Categorical(Dimension):
    """A categorical search dimension; values are the categories themselves.

    Parameters
    ----------
    categories : sequence
        The candidate values, of any type (strings, numbers, ``None``,
        estimators). Stored as a tuple; must not be empty.
    name : str or None, default=None
        Parameter name; set by the search from the key of the search space.

    Examples
    --------
    >>> from skopt_est.space import Categorical
    >>> Categorical(["relu", "tanh"]).rvs(2, random_state=0)
    ['tanh', 'tanh']
    """

    categories: tuple
    name: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.categories, str) or not isinstance(
            self.categories, Sequence | np.ndarray
        ):
            raise ValueError(
                f"Categorical: categories={self.categories!r} must be a list of values."
            )
        categories = tuple(self.categories)
        if not categories:
            raise ValueError(
                "Categorical: categories=[] is empty; give at least one value."
            )
        object.__setattr__(self, "categories", categories)

    @property
    def n_columns(self) -> int:
        """Number of model-cube columns: one per category."""
        return len(self.categories)

    def from_design(self, u: np.ndarray) -> list:
        """Map design-cube coordinates in ``[0, 1]`` to categories (equal bins)."""
        k = len(self.categories)
        index = np.clip(np.floor(np.atleast_1d(u) * k).astype(int), 0, k - 1)
        return [self.categories[i] for i in index]

    def index(self, value: Any) -> int:
        """Position of ``value`` among the categories."""
        for i, category in enumerate(self.categories):
            if category is value or _equal(category, value):
                return i
        raise ValueError(f"{value!r} is not one of the categories {self.categories}.")

    def to_unit(self, values: Sequence) -> np.ndarray:
        """One-hot encode values, shape ``(n_values, n_categories)``."""
        onehot = np.zeros((len(values), len(self.categories)))
        for row, value in enumerate(values):
            onehot[row, self.index(value)] = 1.0
        return onehot

    def from_unit(self, unit: np.ndarray) -> list:
        """Decode one-hot (or any real) columns by their argmax."""
        unit = np.asarray(unit).reshape(-1, len(self.categories))
        return [self.categories[i] for i in np.argmax(unit, axis=1)]

    def contains(self, value: Any) -> bool:
        """Whether ``value`` is one of the categories."""
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube columns: one-hot of the argmax."""
        unit = np.asarray(unit).reshape(-1, len(self.categories))
        return np.eye(len(self.categories))[np.argmax(unit, axis=1)]


def _equal(a: Any, b: Any) -> bool:
    # True == 1 in Python; a bool category must not match an int value
    if isinstance(a, bool | np.bool_) != isinstance(b, bool | np.bool_):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays, objects with odd __eq__
        return False


def check_dimension(spec: Any, name: str | None = None) -> Dimension:
    """Turn a dimension or one of its shorthands into a named copy.

    Parameters
    ----------
    spec : Dimension, tuple or list
        ``Real``/``Integer``/``Categorical``; ``(low, high)`` (integers give
        ``Integer``, otherwise ``Real``); ``(low, high, prior)``; or a list of
        categories.
    name : str or None, default=None
        Name given to the returned copy.

    Returns
    -------
    dimension : Dimension
        A new dimension object; ``spec`` is never modified.
    """
    if isinstance(spec, Dimension):
        dimension = spec
    elif (
        isinstance(spec, tuple)
        and len(spec) in (2, 3)
        and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in spec[:2]
        )
    ):
        prior = spec[2] if len(spec) == 3 else "uniform"
        if not isinstance(prior, str):
            raise ValueError(
                f"{name or 'dimension'}: {spec!r} is not a valid shorthand; use "
                "(low, high), (low, high, 'log-uniform') or a list of categories."
            )
        is_int = all(isinstance(v, numbers.Integral) for v in spec[:2])
        dimension = (Integer if is_int else Real)(spec[0], spec[1], prior=prior)
    elif isinstance(spec, list | tuple | np.ndarray):
        dimension = Categorical(list(spec))
    else:
        raise ValueError(
            f"{name or 'dimension'}: {spec!r} is not a search dimension; use "
            "Real, Integer, Categorical, (low, high), (low, high, prior) or a list."
        )
    return dataclasses.replace(
        dimension, name=name if name is not None else dimension.name
    )


class Space:
    """An ordered list of dimensions with transforms to and from the unit cube.

    Parameters
    ----------
    dimensions : list
        Dimensions or shorthands, see ``check_dimension``. Copied, never
        modified.
    names : list of str or None, default=None
        Names given to the dimensions, in order.

    Attributes
    ----------
    dimensions : list of Dimension
        The validated, named copies.
    n_dims : int
        Number of dimensions.
    n_columns : int
        Width of the model cube (categoricals one-hot).
    """

    def __init__(self, dimensions: Sequence, names: Sequence[str] | None = None):
        if names is None:
            names = [getattr(d, "name", None) for d in dimensions]
        self.dimensions = [
            check_dimension(spec, name) for spec, name in zip(dimensions, names)
        ]
        if not self.dimensions:
            raise ValueError("A search space needs at least one dimension.")
        widths = [d.n_columns for d in self.dimensions]
        self._offsets = np.concatenate([[0], np.cumsum(widths)]).astype(int)

    def __repr__(self) -> str:
        return f"Space({self.dimensions!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Space) and self.dimensions == other.dimensions

    __hash__ = None

    @property
    def n_dims(self) -> int:
        """Number of dimensions."""
        return len(self.dimensions)

    @property
    def n_columns(self) -> int:
        """Width of the model cube."""
        return int(self._offsets[-1])

    @property
    def names(self) -> list:
        """Names of the dimensions, in order."""
        return [d.name for d in self.dimensions]

    def column_slices(self) -> list[slice]:
        """The model-cube columns of each dimension."""
        return [slice(a, b) for a, b in zip(self._offsets[:-1], self._offsets[1:])]

    def from_design(self, design: np.ndarray) -> list[list]:
        """Map design-cube rows, shape ``(n, n_dims)``, to points (lists of values)."""
        design = np.atleast_2d(design)
        columns = [d.from_design(design[:, i]) for i, d in enumerate(self.dimensions)]
        return [list(point) for point in zip(*columns)]

    def rvs(self, n_samples: int = 1, random_state=None) -> list[list]:
        """Draw ``n_samples`` points from the prior."""
        rng = check_random_state(random_state)
        return self.from_design(rng.uniform(size=(n_samples, self.n_dims)))

    def transform(self, points: Sequence[Sequence]) -> np.ndarray:
        """Map points to the model cube, shape ``(n_points, n_columns)``."""
        points = list(points)
        if not points:
            return np.empty((0, self.n_columns))
        blocks = [
            d.to_unit([point[i] for point in points])
            for i, d in enumerate(self.dimensions)
        ]
        return np.hstack(blocks)

    def inverse_transform(self, unit: np.ndarray) -> list[list]:
        """Map model-cube rows back to points, rounding integers and categories."""
        unit = np.atleast_2d(unit)
        columns = [
            d.from_unit(unit[:, cols])
            for d, cols in zip(self.dimensions, self.column_slices())
        ]
        return [list(point) for point in zip(*columns)]

    def snap(self, unit: np.ndarray) -> np.ndarray:
        """Round model-cube rows to the nearest representable points (vectorised)."""
        unit = np.atleast_2d(np.asarray(unit, dtype=float))
        snapped = np.empty_like(unit)
        for d, cols in zip(self.dimensions, self.column_slices()):
            snapped[:, cols] = d.snap_unit(unit[:, cols]).reshape(len(unit), -1)
        return snapped

    def design_to_unit(self, design: np.ndarray) -> np.ndarray:
        """Map design-cube rows to (snapped) model-cube rows, vectorised."""
        design = np.atleast_2d(design)
        unit = np.empty((len(design), self.n_columns))
        for i, (d, cols) in enumerate(zip(self.dimensions, self.column_slices())):
            if isinstance(d, Categorical):
                k = len(d.categories)
                index = np.clip(np.floor(design[:, i] * k).astype(int), 0, k - 1)
                unit[:, cols] = np.eye(k)[index]
            else:
                unit[:, cols] = d.snap_unit(design[:, i]).reshape(-1, 1)
        return unit

    @property
    def is_categorical_column(self) -> np.ndarray:
        """Boolean mask of the model-cube columns that are one-hot."""
        mask = np.zeros(self.n_columns, dtype=bool)
        for d, cols in zip(self.dimensions, self.column_slices()):
            mask[cols] = isinstance(d, Categorical)
        return mask

    def contains(self, point: Sequence) -> bool:
        """Whether every value of ``point`` lies in its dimension."""
        return len(point) == self.n_dims and all(
            d.contains(v) for d, v in zip(self.dimensions, point)
        )

    def to_params(self, point: Sequence) -> dict:
        """The ``{name: value}`` dict of a point."""
        return {d.name: value for d, value in zip(self.dimensions, point)}

    def from_params(self, params: dict) -> list:
        """The point of a ``{name: value}`` dict."""
        return [params[d.name] for d in self.dimensions]
