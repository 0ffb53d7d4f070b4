"""The optimizer's unit cubes: how a point of a search space becomes a row of [0, 1].

Each dimension and ``Space`` has, besides scikit-optimize's API (in
``dimensions.py`` and ``space.py``), two coordinate systems inside ``[0, 1]``,
independent of the transform a dimension is set to:

- the **design cube** has one coordinate per dimension. A uniform draw in it
  is a draw from the dimension's prior, so quasi-random initial designs
  (Sobol, Halton, LHS) are built there (``Space.from_design``,
  ``Space.draw``). Categories occupy bins of their prior probability.
- the **model cube** is what the Gaussian process sees: reals and integers
  keep their design coordinate, a categorical with ``k`` categories becomes
  ``k`` one-hot columns. ``Space.to_unit`` maps values to it,
  ``Space.from_unit`` maps back (rounding integers, taking the argmax of
  one-hot blocks), so any point of the cube maps to a valid value.

Log priors are linear in the log of the value. An integer dimension is the
continuous interval ``[low - 0.5, high + 0.5]`` (in log space for a log
prior), rounded on the way back, so uniform design coordinates give every
integer its prior mass and ``from_unit(to_unit(v)) == v`` exactly. These
methods hand out Python ``int``/``float`` values whatever the ``dtype``.

The classes here are mixins: ``Real``, ``Integer`` and ``Categorical`` take
the cube of their kind, ``Space`` takes ``SpaceCube``. A dimension's cube reads
its ``low``, ``high``, ``prior`` (and ``prior_`` and ``categories`` for a
categorical); ``SpaceCube`` reads ``dimensions``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from sklearn.utils import check_random_state


class DimensionCube:
    """What every dimension's cube shares: one column, clipped to ``[0, 1]``."""

    one_hot = False

    @property
    def n_columns(self) -> int:
        """Number of model-cube columns this dimension takes."""
        return 1

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube column(s): clipped to ``[0, 1]``.

        Parameters
        ----------
        unit : ndarray
            Model-cube column(s).

        Returns
        -------
        snapped : ndarray
            The snapped column(s).
        """
        return np.clip(unit, 0.0, 1.0)

    def design_unit(self, u: np.ndarray) -> np.ndarray:
        """Map design-cube coordinates to (snapped) model-cube columns.

        Parameters
        ----------
        u : ndarray of shape (n_values,)
            Design-cube coordinates in ``[0, 1]``.

        Returns
        -------
        unit : ndarray of shape (n_values, n_columns)
            Model-cube columns.
        """
        return np.asarray(self.snap_unit(u)).reshape(-1, 1)


class BoundedCube(DimensionCube):
    """The cube of a ``Real`` or an ``Integer``."""

    def from_unit(self, unit: np.ndarray) -> list:
        """Map a model-cube column back to values (clipped to the bounds;
        rounded for an Integer).

        Parameters
        ----------
        unit : ndarray
            Model-cube column(s).

        Returns
        -------
        values : list
            The values.
        """
        return self.from_design(np.clip(np.asarray(unit).reshape(-1), 0.0, 1.0))



class RealCube(BoundedCube):
    """A ``Real``'s cube: linear in the value, or in its log for a log prior."""

    def _warp(self, value):
        return np.log(value) if self.prior == "log-uniform" else np.asarray(value)

    def _unwarp(self, value):
        return np.exp(value) if self.prior == "log-uniform" else value

    def from_design(self, u: np.ndarray) -> list[float]:
        """Map design-cube coordinates in ``[0, 1]`` to values.

        Parameters
        ----------
        u : ndarray
            Design-cube coordinates in ``[0, 1]``.

        Returns
        -------
        values : list
            Python scalars, one per coordinate.
        """
        lo, hi = self._warp(self.low), self._warp(self.high)
        values = np.clip(
            self._unwarp(lo + np.asarray(u) * (hi - lo)), self.low, self.high
        )
        return [float(v) for v in np.atleast_1d(values)]

    def to_unit(self, values: Sequence) -> np.ndarray:
        """Map values to their model-cube column.

        Parameters
        ----------
        values : sequence
            Values of the dimension.

        Returns
        -------
        unit : ndarray of shape (n_values, 1)
            The column.
        """
        lo, hi = self._warp(self.low), self._warp(self.high)
        unit = (self._warp(np.asarray(values, dtype=float)) - lo) / (hi - lo)
        return unit.reshape(-1, 1)



class IntegerCube(BoundedCube):
    """An ``Integer``'s cube: ``[low - 0.5, high + 0.5]``, rounded on the way back."""

    def _edges(self) -> tuple[float, float]:
        # the continuous interval whose rounding gives every integer its mass
        lo, hi = self.low - 0.5, self.high + 0.5
        if self.prior == "log-uniform":
            return math.log(lo), math.log(hi)
        return lo, hi

    def from_design(self, u: np.ndarray) -> list[int]:
        """Map design-cube coordinates in ``[0, 1]`` to values.

        Parameters
        ----------
        u : ndarray
            Design-cube coordinates in ``[0, 1]``.

        Returns
        -------
        values : list
            Python scalars, one per coordinate.
        """
        lo, hi = self._edges()
        warped = lo + np.atleast_1d(np.asarray(u, dtype=float)) * (hi - lo)
        if self.prior == "log-uniform":
            warped = np.exp(warped)
        values = np.clip(np.round(warped), self.low, self.high)
        return [int(v) for v in values]

    def to_unit(self, values: Sequence) -> np.ndarray:
        """Map values to their model-cube column.

        Parameters
        ----------
        values : sequence
            Values of the dimension.

        Returns
        -------
        unit : ndarray of shape (n_values, 1)
            The column.
        """
        lo, hi = self._edges()
        warped = np.asarray(values, dtype=float)
        if self.prior == "log-uniform":
            warped = np.log(warped)
        return ((warped - lo) / (hi - lo)).reshape(-1, 1)

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube column(s): integer values, vectorised.

        Parameters
        ----------
        unit : ndarray
            Model-cube column(s).

        Returns
        -------
        snapped : ndarray
            The snapped column(s).
        """
        lo, hi = self._edges()
        warped = lo + np.clip(unit, 0.0, 1.0) * (hi - lo)
        if self.prior == "log-uniform":
            values = np.clip(np.round(np.exp(warped)), self.low, self.high)
            return (np.log(values) - lo) / (hi - lo)
        values = np.clip(np.round(warped), self.low, self.high)
        return (values - lo) / (hi - lo)



class CategoricalCube(DimensionCube):
    """A ``Categorical``'s cube: prior bins in the design cube, one-hot in the model
    cube."""

    one_hot = True

    @property
    def n_columns(self) -> int:
        """Number of model-cube columns: one per category."""
        return len(self.categories)

    def _indices(self, u: np.ndarray) -> np.ndarray:
        k = len(self.categories)
        if self.prior is None:
            index = np.floor(u * k).astype(int)
        else:
            index = np.searchsorted(np.cumsum(self.prior_), u, side="right")
        return np.clip(index, 0, k - 1)

    def from_design(self, u: np.ndarray) -> list:
        """Map design-cube coordinates in ``[0, 1]`` to categories (prior bins).

        Parameters
        ----------
        u : ndarray
            Design-cube coordinates in ``[0, 1]``.

        Returns
        -------
        values : list
            The categories.
        """
        return [self.categories[i] for i in self._indices(np.atleast_1d(u))]

    def to_unit(self, values: Sequence) -> np.ndarray:
        """One-hot encode values.

        Parameters
        ----------
        values : sequence
            Values of the dimension.

        Returns
        -------
        unit : ndarray of shape (n_values, n_categories)
            The encoding.
        """
        onehot = np.zeros((len(values), len(self.categories)))
        for row, value in enumerate(values):
            onehot[row, self.index(value)] = 1.0
        return onehot

    def from_unit(self, unit: np.ndarray) -> list:
        """Decode one-hot (or any real) columns by their argmax.

        Parameters
        ----------
        unit : ndarray of shape (n_values, n_categories)
            Model-cube columns.

        Returns
        -------
        values : list
            The categories.
        """
        unit = np.asarray(unit).reshape(-1, len(self.categories))
        return [self.categories[i] for i in np.argmax(unit, axis=1)]

    def snap_unit(self, unit: np.ndarray) -> np.ndarray:
        """Nearest representable model-cube columns: one-hot of the argmax.

        Parameters
        ----------
        unit : ndarray
            Model-cube column(s).

        Returns
        -------
        snapped : ndarray
            One-hot rows.
        """
        unit = np.asarray(unit).reshape(-1, len(self.categories))
        return np.eye(len(self.categories))[np.argmax(unit, axis=1)]


    def design_unit(self, u: np.ndarray) -> np.ndarray:
        """Map design-cube coordinates to one-hot rows of their prior bins.

        Parameters
        ----------
        u : ndarray of shape (n_values,)
            Design-cube coordinates in ``[0, 1]``.

        Returns
        -------
        unit : ndarray of shape (n_values, n_categories)
            One-hot rows.
        """
        return np.eye(len(self.categories))[self._indices(np.asarray(u))]


class SpaceCube:
    """A ``Space``'s cubes: its dimensions' columns side by side."""

    @property
    def _offsets(self) -> np.ndarray:
        widths = [d.n_columns for d in self.dimensions]
        return np.concatenate([[0], np.cumsum(widths)]).astype(int)

    @property
    def n_columns(self) -> int:
        """Width of the model cube."""
        return int(self._offsets[-1])

    def column_slices(self) -> list[slice]:
        """The model-cube columns of each dimension.

        Returns
        -------
        slices : list of slice
            One per dimension.
        """
        return [slice(a, b) for a, b in zip(self._offsets[:-1], self._offsets[1:])]

    def from_design(self, design: np.ndarray) -> list[list]:
        """Map design-cube rows to points.

        Parameters
        ----------
        design : ndarray of shape (n_points, n_dims)
            Coordinates in ``[0, 1]``.

        Returns
        -------
        points : list of list
            Python scalars and categories.
        """
        design = np.atleast_2d(design)
        columns = [d.from_design(design[:, i]) for i, d in enumerate(self.dimensions)]
        return [list(point) for point in zip(*columns)]

    def draw(self, n_samples: int = 1, random_state=None) -> list[list]:
        """Draw points from the priors through the design cube (Python scalars).

        What the optimizer samples with; unlike ``rvs`` it ignores
        ``dtype`` and the constraint.

        Parameters
        ----------
        n_samples : int, default=1
            Number of points.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        points : list of list
            The points.
        """
        rng = check_random_state(random_state)
        return self.from_design(rng.uniform(size=(n_samples, self.n_dims)))

    def to_unit(self, points: Sequence[Sequence]) -> np.ndarray:
        """Map points to the model cube.

        Parameters
        ----------
        points : list of list
            Points of the space.

        Returns
        -------
        unit : ndarray of shape (n_points, n_columns)
            Rows in ``[0, 1]``.
        """
        points = list(points)
        if not points:
            return np.empty((0, self.n_columns))
        blocks = [
            d.to_unit([point[i] for point in points])
            for i, d in enumerate(self.dimensions)
        ]
        return np.hstack(blocks)

    def from_unit(self, unit: np.ndarray) -> list[list]:
        """Map model-cube rows back to points, rounding integers and categories.

        Parameters
        ----------
        unit : ndarray of shape (n_points, n_columns)
            Model-cube rows.

        Returns
        -------
        points : list of list
            Python scalars and categories.
        """
        unit = np.atleast_2d(unit)
        columns = [
            d.from_unit(unit[:, cols])
            for d, cols in zip(self.dimensions, self.column_slices())
        ]
        return [list(point) for point in zip(*columns)]

    def snap(self, unit: np.ndarray) -> np.ndarray:
        """Round model-cube rows to the nearest representable points (vectorised).

        Parameters
        ----------
        unit : ndarray of shape (n_points, n_columns)
            Model-cube rows.

        Returns
        -------
        snapped : ndarray of shape (n_points, n_columns)
            The snapped rows.
        """
        unit = np.atleast_2d(np.asarray(unit, dtype=float))
        snapped = np.empty_like(unit)
        for d, cols in zip(self.dimensions, self.column_slices()):
            snapped[:, cols] = d.snap_unit(unit[:, cols]).reshape(len(unit), -1)
        return snapped

    def design_to_unit(self, design: np.ndarray) -> np.ndarray:
        """Map design-cube rows to (snapped) model-cube rows, vectorised.

        Parameters
        ----------
        design : ndarray of shape (n_points, n_dims)
            Coordinates in ``[0, 1]``.

        Returns
        -------
        unit : ndarray of shape (n_points, n_columns)
            Model-cube rows.
        """
        design = np.atleast_2d(design)
        unit = np.empty((len(design), self.n_columns))
        for i, (d, cols) in enumerate(zip(self.dimensions, self.column_slices())):
            unit[:, cols] = d.design_unit(design[:, i])
        return unit

    @property
    def is_categorical_column(self) -> np.ndarray:
        """Boolean mask of the model-cube columns that are one-hot."""
        mask = np.zeros(self.n_columns, dtype=bool)
        for d, cols in zip(self.dimensions, self.column_slices()):
            mask[cols] = d.one_hot
        return mask

