"""The search space: scikit-optimize's ``Space`` and ``normalize_dimensions``.

A ``Space`` is an ordered list of dimensions (``dimensions.py``) with
scikit-optimize's API (``rvs``, ``transform``/``inverse_transform``,
``bounds``, ``in``, names, YAML and ``DataFrame`` input through ``io.py``) and
the optimizer's unit cubes of ``encoding.py``. ``Space(dimensions)`` works on
copies, so a space, an optimizer or a search built from the user's dimensions
never changes them.

``Real``, ``Integer``, ``Categorical``, ``Dimension``, ``check_dimension`` and
the transformers are importable from here too, as from scikit-optimize's
``skopt.space.space``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.utils import check_random_state

from .dimensions import (
    Categorical,
    Dimension,
    Integer,
    Real,
    _Ellipsis,
    check_dimension,
)
from .encoding import SpaceCube
from .io import dimensions_from_df, dimensions_from_yaml
from .transformers import (
    CategoricalEncoder,
    Identity,
    LabelEncoder,
    LogN,
    Normalize,
    Pipeline,
    StringEncoder,
)

__all__ = [
    "Categorical",
    "CategoricalEncoder",
    "Dimension",
    "Identity",
    "Integer",
    "LabelEncoder",
    "LogN",
    "Normalize",
    "Pipeline",
    "Real",
    "Space",
    "StringEncoder",
    "check_dimension",
    "normalize_dimensions",
]

# Space.rvs redraws this many batches before a constraint is declared infeasible
_MAX_CONSTRAINED_DRAWS = 10_000


class Space(SpaceCube):
    """An ordered list of dimensions: scikit-optimize's ``Space``, plus the
    unit-cube maps skopt_est's optimizer works in.

    Parameters
    ----------
    dimensions : list or Space
        Dimensions or shorthands (see ``check_dimension``). Copied, never
        modified; a ``Space`` gives a copy of it (and its constraint).
    constraint : callable or None, default=None
        ``constraint(point) -> bool``; ``rvs`` draws only points it accepts
        and ``in`` checks it.
    names : list of str or None, default=None
        Names given to the copied dimensions, in order (skopt_est's
        addition).

    Attributes
    ----------
    dimensions : list of Dimension
        The validated copies.
    constraint : callable or None
        As given.

    Examples
    --------
    >>> from skopt_est.space import Categorical, Integer, Real, Space
    >>> space = Space([Real(0.0, 1.0, name="x"), Integer(1, 3),
    ...                Categorical(["a", "b", "c"])])
    >>> space.n_dims, space.transformed_n_dims, space.dimension_names
    (3, 5, ['x', 'X_1', 'X_2'])
    >>> space.transform([[0.5, 2, "b"]]).tolist()
    [[0.5, 2.0, 0.0, 1.0, 0.0]]
    >>> [0.5, 2, "b"] in space
    True
    """

    def __init__(
        self,
        dimensions: Sequence | Space,
        constraint: Callable | None = None,
        *,
        names: Sequence[str] | None = None,
    ):
        if constraint is None and isinstance(dimensions, Space):
            constraint = dimensions.constraint
        if not (constraint is None or callable(constraint)):
            raise ValueError(
                f"constraint={constraint!r} must be a callable or None (give "
                "names as the keyword names=...)."
            )
        dimensions = list(dimensions)
        if names is None:
            names = [None] * len(dimensions)
        elif len(names) != len(dimensions):
            raise ValueError(
                f"names has {len(names)} entries for {len(dimensions)} dimensions."
            )
        self.dimensions = [
            check_dimension(spec, name=name) for spec, name in zip(dimensions, names)
        ]
        if not self.dimensions:
            raise ValueError("A search space needs at least one dimension.")
        self.constraint = constraint

    def __repr__(self) -> str:
        dims = self.dimensions
        if len(dims) > 31:
            dims = [*dims[:15], _Ellipsis(), *dims[-15:]]
        return "Space([{}])".format(",\n       ".join(map(repr, dims)))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Space)
            and len(self.dimensions) == len(other.dimensions)
            and all(a == b for a, b in zip(self.dimensions, other.dimensions))
        )

    __hash__ = None

    def __iter__(self):
        return iter(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)

    def __contains__(self, point: Sequence) -> bool:
        if len(point) != self.n_dims or not all(
            v in d for d, v in zip(self.dimensions, point)
        ):
            return False
        return self.constraint is None or bool(self.constraint(point))

    def __getitem__(self, key):
        """``(index, dimension)`` of a name or index, or a list of them for a
        list of keys; ``(None, None)`` for a key not in the space."""
        if isinstance(key, str | numbers.Integral):
            for index, dim in enumerate(self.dimensions):
                if key == dim.name or (not isinstance(key, str) and key == index):
                    return index, dim
            return None, None
        if isinstance(key, list | tuple):
            return [self[k] for k in key]
        raise ValueError(
            f"Dimension name should be either a string or a list of strings, "
            f"but got {type(key)}."
        )

    # ---------------------------------------------------------- properties
    @property
    def n_dims(self) -> int:
        """Number of dimensions."""
        return len(self.dimensions)

    @property
    def transformed_n_dims(self) -> int:
        """Number of columns ``transform`` gives."""
        return sum(d.transformed_size for d in self.dimensions)

    @property
    def bounds(self) -> list:
        """Each dimension's bounds (categories for a ``Categorical``)."""
        return [d.bounds for d in self.dimensions]

    @property
    def transformed_bounds(self) -> list:
        """Bounds of each column ``transform`` gives."""
        bounds: list = []
        for d in self.dimensions:
            if d.transformed_size == 1:
                bounds.append(d.transformed_bounds)
            else:
                bounds.extend(d.transformed_bounds)
        return bounds

    @property
    def is_real(self) -> bool:
        """Whether every dimension is ``Real``."""
        return all(isinstance(d, Real) for d in self.dimensions)

    @property
    def is_categorical(self) -> bool:
        """Whether every dimension is ``Categorical``."""
        return all(isinstance(d, Categorical) for d in self.dimensions)

    @property
    def is_partly_categorical(self) -> bool:
        """Whether any dimension is ``Categorical``."""
        return any(isinstance(d, Categorical) for d in self.dimensions)

    @property
    def n_constant_dimensions(self) -> int:
        """Number of dimensions with a single value."""
        return sum(d.is_constant for d in self.dimensions)

    @property
    def dimension_names(self) -> list[str]:
        """Names of the dimensions, ``'X_i'`` for an unnamed one."""
        return [
            f"X_{i}" if d.name is None else d.name
            for i, d in enumerate(self.dimensions)
        ]

    @dimension_names.setter
    def dimension_names(self, names: Sequence[str]) -> None:
        if len(names) != len(self.dimensions):
            raise ValueError(
                f"`names` must be the same length as `self.dimensions` "
                f"({len(self.dimensions)}); got {len(names)}."
            )
        for dim, name in zip(self.dimensions, names):
            dim.name = name

    # ---------------------------------------------- scikit-optimize's API
    @classmethod
    def from_yaml(cls, yml_path, namespace: str | None = None) -> Space:
        """Build a space from a YAML file (needs PyYAML, the ``yaml`` extra).

        Parameters
        ----------
        yml_path : str, path or file object
            A YAML file holding a list of dimensions, or a mapping of
            namespaces to such lists, e.g.::

                Space:
                - Real:
                    low: 1.0e-3
                    high: 1.0
                    prior: log-uniform
                - Integer: {low: 1, high: 5}
                - Categorical:
                    categories: [a, b]

            Dimension types and argument names are case-insensitive.
        namespace : str or None, default=None
            Which namespace of a mapping to read; ``None`` reads the first.

        Returns
        -------
        space : Space
            The space.

        Raises
        ------
        TypeError
            If the file holds neither a list nor a mapping.
        ValueError
            If an entry is not a ``Real``, ``Integer`` or ``Categorical``.
        """
        return cls(dimensions_from_yaml(yml_path, namespace))

    @classmethod
    def from_df(cls, df, priors: dict | None = None, bases: dict | None = None,
                transforms: dict | None = None) -> Space:
        """Build a space from the columns of a pandas ``DataFrame``.

        Float columns give ``Real``, integer columns ``Integer`` (from their
        minimum to their maximum), other columns ``Categorical`` of their
        unique values; each dimension is named after its column.

        Parameters
        ----------
        df : pandas.DataFrame
            The data.
        priors, bases, transforms : dict or None, default=None
            Column name to the ``prior``, ``base`` or ``transform`` of its
            dimension.

        Returns
        -------
        space : Space
            The space.
        """
        return cls(dimensions_from_df(df, priors, bases, transforms))

    def rvs(self, n_samples: int = 1, random_state=None) -> list[list]:
        """Draw points from the priors (and the constraint, if any).

        Parameters
        ----------
        n_samples : int, default=1
            Number of points.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        points : list of list
            ``n_samples`` points; values are typed as each dimension's
            ``rvs`` types them.

        Raises
        ------
        RuntimeError
            If the constraint rejects every point of many draws.
        """
        rng = check_random_state(random_state)
        points: list[list] = []
        for _ in range(_MAX_CONSTRAINED_DRAWS):
            columns = [d.rvs(n_samples=n_samples, random_state=rng)
                       for d in self.dimensions]
            rows = [list(row) for row in zip(*columns)]
            if self.constraint is not None:
                rows = [row for row in rows if self.constraint(row)]
            points.extend(rows)
            if len(points) >= n_samples:
                return points[:n_samples]
        raise RuntimeError(
            "Could not find enough valid samples in constrained space. Please "
            "check that the constraint allows for valid samples to be drawn."
        )

    def set_transformer(self, transform: str | Sequence[str]) -> None:
        """Set the transform of every dimension (of this space's copies).

        Parameters
        ----------
        transform : str or list of str
            One transform for all, or one per dimension.
        """
        if isinstance(transform, str):
            transform = [transform] * self.n_dims
        if len(transform) != self.n_dims:
            raise ValueError(
                f"transform has {len(transform)} entries for {self.n_dims} dimensions."
            )
        for dim, name in zip(self.dimensions, transform):
            dim.set_transformer(name)

    def set_transformer_by_type(self, transform: str, dim_type: type) -> None:
        """Set the transform of every dimension of type ``dim_type``.

        Parameters
        ----------
        transform : str
            The transform.
        dim_type : type
            ``Real``, ``Integer`` or ``Categorical``.
        """
        for dim in self.dimensions:
            if isinstance(dim, dim_type):
                dim.set_transformer(transform)

    def get_transformer(self) -> list[str]:
        """The transform of each dimension.

        Returns
        -------
        transforms : list of str
            One per dimension.
        """
        return [d.transform_ for d in self.dimensions]

    def transform(self, X: Sequence[Sequence]) -> np.ndarray:
        """Map points through each dimension's transform.

        Parameters
        ----------
        X : list of list, shape (n_points, n_dims)
            Points.

        Returns
        -------
        Xt : ndarray, shape (n_points, transformed_n_dims)
            The transformed points.
        """
        X = list(X)
        if not X:
            return np.empty((0, self.transformed_n_dims))
        blocks = [
            np.asarray(d.transform([point[i] for point in X])).reshape(len(X), -1)
            for i, d in enumerate(self.dimensions)
        ]
        return np.hstack(blocks)

    def inverse_transform(self, Xt) -> list[list]:
        """Map transformed points back to points.

        Parameters
        ----------
        Xt : array-like, shape (n_points, transformed_n_dims)
            Transformed points.

        Returns
        -------
        X : list of list, shape (n_points, n_dims)
            The points (categories as the category objects).
        """
        Xt = np.asarray(Xt)
        if Xt.ndim == 1:
            Xt = Xt.reshape(1, -1)
        columns, start = [], 0
        for dim in self.dimensions:
            width = dim.transformed_size
            block = Xt[:, start] if width == 1 else Xt[:, start : start + width]
            if isinstance(dim, Categorical):
                values = dim._decode(block)
            else:
                values = dim.inverse_transform(block)
            columns.append(list(values) if isinstance(values, np.ndarray) else values)
            start += width
        return [list(row) for row in zip(*columns)]

    def distance(self, point_a: Sequence, point_b: Sequence) -> float:
        """Sum of the dimensions' distances between two points.

        Parameters
        ----------
        point_a, point_b : sequence
            Two points of the space.

        Returns
        -------
        distance : float
            The distance.
        """
        return float(
            sum(d.distance(a, b) for a, b, d in zip(point_a, point_b, self.dimensions))
        )

    @property
    def names(self) -> list:
        """Names of the dimensions, in order (``None`` for an unnamed one)."""
        return [d.name for d in self.dimensions]

    def contains(self, point: Sequence) -> bool:
        """Whether every value of ``point`` lies in its dimension.

        Parameters
        ----------
        point : sequence
            A candidate point (the constraint is not checked).

        Returns
        -------
        inside : bool
            The answer.
        """
        return len(point) == self.n_dims and all(
            d.contains(v) for d, v in zip(self.dimensions, point)
        )

    def to_params(self, point: Sequence) -> dict:
        """The ``{name: value}`` dict of a point.

        Parameters
        ----------
        point : sequence
            A point.

        Returns
        -------
        params : dict
            Dimension name to value.
        """
        return {d.name: value for d, value in zip(self.dimensions, point)}

    def from_params(self, params: dict) -> list:
        """The point of a ``{name: value}`` dict.

        Parameters
        ----------
        params : dict
            Dimension name to value.

        Returns
        -------
        point : list
            The point.
        """
        return [params[d.name] for d in self.dimensions]


def normalize_dimensions(dimensions: Sequence | Space) -> Space:
    """A space whose reals and integers are normalized to ``[0, 1]`` and
    whose categoricals are one-hot encoded, as scikit-optimize gives its
    Gaussian processes.

    Parameters
    ----------
    dimensions : list or Space
        Dimensions or shorthands, see ``check_dimension``. Copied: unlike
        scikit-optimize's, this never changes the given dimensions.

    Returns
    -------
    space : Space
        The new space.

    Examples
    --------
    >>> from skopt_est.space import normalize_dimensions
    >>> space = normalize_dimensions([(0.0, 10.0), (1, 5), ["a", "b", "c"]])
    >>> space.get_transformer()
    ['normalize', 'normalize', 'onehot']
    >>> space.transform([[5.0, 3, "c"]]).tolist()
    [[0.5, 0.5, 0.0, 0.0, 1.0]]
    """
    space = Space(dimensions)
    for dim in space.dimensions:
        dim.set_transformer("onehot" if isinstance(dim, Categorical) else "normalize")
    return space
