"""Search dimensions: ``Real``, ``Integer``, ``Categorical`` and ``check_dimension``.

Each dimension speaks scikit-optimize's language: ``rvs``,
``transform``/``inverse_transform`` (through the transform the dimension is
set to: ``'identity'``, ``'normalize'``, ``'onehot'``, ``'label'`` or
``'string'``), ``distance``, ``bounds``, ``transformed_bounds``, ``in``,
``set_transformer`` and the rest, with the same signatures, defaults, return
types and errors, so code written for ``skopt.space`` runs unchanged. The
optimizer's unit-cube maps (``to_unit``, ``from_unit``, ``from_design``...)
come from the mixins of ``encoding.py``.

A dimension's bounds, prior and categories are read-only; only ``name`` and
the transform (``set_transformer``) can change, as in scikit-optimize.
``check_dimension`` works on copies, so a space, an optimizer or a search
built from the user's dimensions never changes them.
"""

from __future__ import annotations

import copy
import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.utils import check_random_state

from .encoding import BoundedCube, CategoricalCube, IntegerCube, RealCube
from .transformers import (
    CategoricalEncoder,
    Identity,
    LabelEncoder,
    LogN,
    Normalize,
    Pipeline,
    StringEncoder,
    _category_index,
    _equal,
)

__all__ = [
    "Categorical",
    "Dimension",
    "Integer",
    "Real",
    "check_dimension",
]

_PRIORS = ("uniform", "log-uniform")
_REAL_DTYPES = ("float", "float16", "float32", "float64")
_INTEGER_DTYPES = {
    "int": int,
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "uint32": np.uint32,
    "uint64": np.uint64,
}


class _Ellipsis:
    def __repr__(self) -> str:
        return "..."


def _short(values: Sequence, keep: int = 3, limit: int = 7) -> Sequence:
    if len(values) <= limit:
        return values
    return (*values[:keep], _Ellipsis(), *values[-keep:])


class Dimension:
    """Base class of the search dimensions ``Real``, ``Integer`` and ``Categorical``.

    Only ``name`` can be assigned and only ``set_transformer`` changes the
    transform; every other attribute is read-only (build a new dimension
    instead).
    """

    _MUTABLE = frozenset({"name"})
    prior = None
    name = None

    def rvs(self, n_samples=1, random_state=None):
        """Draw values from the prior (implemented by each dimension type).

        Parameters
        ----------
        n_samples : int or None, default=1
            Number of values.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        values : list or ndarray
            The drawn values.
        """
        raise NotImplementedError

    def inverse_transform(self, Xt):
        """Map transformed values back (implemented by each dimension type).

        Parameters
        ----------
        Xt : array-like
            Transformed values.

        Returns
        -------
        X : list or ndarray
            The values.
        """
        raise NotImplementedError

    @property
    def bounds(self):
        """The bounds (implemented by each dimension type)."""
        raise NotImplementedError

    @property
    def is_constant(self) -> bool:
        """Whether the dimension has one value (implemented by each type)."""
        raise NotImplementedError

    @property
    def transformed_bounds(self):
        """Bounds of the transformed values (implemented by each type)."""
        raise NotImplementedError

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in self._MUTABLE and "_frozen" in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}.{key} is read-only; build a new "
                f"{type(self).__name__}(...) instead."
            )
        if key == "name":
            _check_name(value)
        object.__setattr__(self, key, value)

    def _freeze(self) -> None:
        object.__setattr__(self, "_frozen", True)

    def _set(self, **attributes) -> None:
        for key, value in attributes.items():
            object.__setattr__(self, key, value)

    @property
    def size(self) -> int:
        """Number of values a point has for this dimension: 1."""
        return 1

    @property
    def transformed_size(self) -> int:
        """Number of columns ``transform`` gives."""
        return 1

    @property
    def transform_(self) -> str:
        """Name of the current transform."""
        return self._transform

    @property
    def transformer(self):
        """The transformer object behind ``transform``/``inverse_transform``."""
        return self._transformer

    def set_transformer(self, transform: str | None = None) -> None:
        """Change the transform used by ``transform`` and ``inverse_transform``.

        Parameters
        ----------
        transform : str or None, default=None
            One of the transforms the dimension supports; ``None`` gives the
            default (``'identity'``, or ``'onehot'`` for ``Categorical``).

        Raises
        ------
        ValueError
            If the dimension does not support ``transform``.
        """
        name = self._DEFAULT_TRANSFORM if transform is None else transform
        if name not in self._TRANSFORMS:
            *first, last = (repr(t) for t in self._TRANSFORMS)
            raise ValueError(
                f"{type(self).__name__}: transform should be {', '.join(first)} or "
                f"{last}; got {transform!r}."
            )
        self._set(_transform=name, _transformer=self._make_transformer(name))

    def transform(self, X):
        """Map values from the original space to the transformed space.

        Parameters
        ----------
        X : list or array-like, shape (n_values,)
            Values of the dimension.

        Returns
        -------
        Xt : list or ndarray
            The transformed values, ``(n_values, transformed_size)`` for a
            one-hot encoding.
        """
        return self._transformer.transform(X)

    def __contains__(self, value: Any) -> bool:
        return self.contains(value)

    def distance(self, a, b):
        """Distance between two values of the dimension.

        Parameters
        ----------
        a, b : value
            Two values inside the dimension.

        Returns
        -------
        distance : float
            ``|a - b|`` for numbers; 0 or 1 for categories.

        Raises
        ------
        RuntimeError
            If ``a`` or ``b`` is not inside the dimension (as in
            scikit-optimize).
        """
        if not (self.contains(a) and self.contains(b)):
            raise RuntimeError(
                f"Can only compute distance for values within the space, not "
                f"{a!r} and {b!r}."
            )
        return self._distance(a, b)

    def _distance(self, a, b):
        return abs(a - b)

    def __copy__(self):
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "_transformer", copy.deepcopy(self._transformer))
        return new

    def _named_copy(self, name: str | None) -> Dimension:
        new = copy.copy(self)
        if name is not None:
            new.name = name
        return new


def _check_name(name: Any) -> None:
    # scikit-optimize's exact message: its users' tests compare it whole
    if not (name is None or isinstance(name, str)):
        raise ValueError("Dimension's name must be either string or None.")


def _check_bounds(kind: str, low, high, prior: str, base) -> None:
    if prior not in _PRIORS:
        raise ValueError(
            f"{kind}: prior should be 'uniform' or 'log-uniform'; got {prior!r}."
        )
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{kind}: low={low!r} and high={high!r} must be finite.")
    if low >= high:
        raise ValueError(
            f"{kind}: the lower bound low={low!r} has to be less than the upper "
            f"bound high={high!r} (low must be lower than high); swap them, or "
            "use Categorical([value]) for a fixed value."
        )
    if prior == "log-uniform" and low <= 0:
        raise ValueError(
            f"{kind}: low={low!r} must be positive with prior='log-uniform' (the "
            "search space should not contain 0); use prior='uniform' or a positive "
            "lower bound."
        )
    if not (isinstance(base, numbers.Real) and base > 0 and base != 1):
        raise ValueError(
            f"{kind}: base={base!r} must be a positive number other than 1."
        )


def _single(value: Any) -> Any:
    """The value of a one-element list, tuple or array (what ``rvs()`` returns
    for one sample), else ``value`` itself."""
    if isinstance(value, list | tuple | np.ndarray) and np.size(value) == 1:
        return np.ravel(np.asarray(value, dtype=object))[0]
    return value


def _as_dtype(values, dtype, python_type):
    """``values`` cast to ``dtype``: Python scalars/lists for the Python type."""
    array = np.asarray(values).astype(dtype)
    if dtype is python_type or dtype == python_type.__name__:
        return array.tolist()
    return array if array.ndim else array[()]


class _Bounded(Dimension, BoundedCube):
    """What Real and Integer share: bounds, an optional log prior, equality."""

    _TRANSFORMS = ("normalize", "identity")
    _DEFAULT_TRANSFORM = "identity"
    _DEFAULT_DTYPE: Any = float
    _NORMALIZE_IS_INT = False

    def _make_transformer(self, transform: str):
        if self.prior == "log-uniform":
            log = LogN(self.base)
            if transform == "identity":
                return log
            return Pipeline([log, Normalize(*log.transform([self.low, self.high]))])
        if transform == "identity":
            return Identity()
        return Pipeline([Identity(), Normalize(self.low, self.high,
                                               is_int=self._NORMALIZE_IS_INT)])

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def _key(self) -> tuple:
        return (self.low, self.high, self.prior, self.base, self.dtype,
                self.transform_, self.name)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.low, self.high, self.prior, self.base))

    def __repr__(self) -> str:
        extra = "" if self.base == 10 else f", base={self.base!r}"
        if self.dtype is not self._DEFAULT_DTYPE:
            name = getattr(self.dtype, "__name__", self.dtype)
            extra += f", dtype={name!r}"
        if self.name is not None:
            extra += f", name={self.name!r}"
        return (
            f"{type(self).__name__}(low={self.low!r}, high={self.high!r}, "
            f"prior={self.prior!r}, transform={self.transform_!r}{extra})"
        )

    @property
    def bounds(self) -> tuple:
        """``(low, high)``."""
        return (self.low, self.high)

    @property
    def transformed_bounds(self) -> tuple:
        """Bounds of the transformed values."""
        if self.transform_ == "normalize":
            return (0.0, 1.0)
        if self.prior == "log-uniform":
            low, high = LogN(self.base).transform([self.low, self.high])
            return (float(low), float(high))
        return (self.low, self.high)

    def __contains__(self, value: Any) -> bool:
        # a one-sample draw (a list or array of one value) is inside, as in
        # scikit-optimize; contains() stays strict for the optimizer
        return self.contains(_single(value))

    @property
    def is_constant(self) -> bool:
        """Whether the dimension has one value (never: ``low < high``)."""
        return self.low == self.high


class Real(_Bounded, RealCube):
    """A real-valued search dimension.

    Parameters
    ----------
    low, high : float
        Inclusive bounds, ``low < high``.
    prior : {'uniform', 'log-uniform'}, default='uniform'
        Distribution of the draws; ``'log-uniform'`` is uniform in
        ``log(value)`` and needs ``low > 0``.
    base : float, default=10
        Base of the logarithm of the ``'log-uniform'`` transform; the
        distribution itself does not depend on it.
    transform : {'identity', 'normalize'} or None, default=None
        What ``transform`` maps values to: the values themselves (their
        logarithm with a log prior) for ``'identity'`` (the default), or
        ``[0, 1]`` for ``'normalize'``.
    name : str or None, default=None
        Parameter name; a search names its copy from the key of the space.
    dtype : {float, 'float', 'float16', 'float32', 'float64'} or numpy \
floating type, default=float
        Type of the values ``rvs`` and ``inverse_transform`` return:
        ``float`` gives Python floats (lists), the others numpy arrays.

    Attributes
    ----------
    low, high : float
        The bounds.
    prior, base, dtype, name
        As given.
    transform_ : str
        The current transform.

    Examples
    --------
    >>> from skopt_est.space import Real
    >>> dim = Real(1e-4, 1e-1, prior="log-uniform", transform="normalize")
    >>> all(1e-4 <= v <= 1e-1 for v in dim.rvs(5, random_state=0))
    True
    >>> dim.transform([1e-4, 1e-1]).tolist()
    [0.0, 1.0]
    >>> 0.5 in Real(0, 1)
    True
    """


    def __init__(
        self,
        low,
        high,
        prior: str = "uniform",
        base: float = 10,
        transform: str | None = None,
        name: str | None = None,
        dtype=float,
    ):
        _check_bounds("Real", low, high, prior, base)
        if isinstance(dtype, str):
            if dtype not in _REAL_DTYPES:
                raise ValueError(
                    f"Real: dtype must be one of {list(_REAL_DTYPES)} or a numpy "
                    f"floating type; got {dtype!r}."
                )
        elif not (isinstance(dtype, type) and np.issubdtype(dtype, np.floating)):
            raise ValueError(
                f"Real: dtype must be a np.floating subtype (or float); got {dtype!r}."
            )
        _check_name(name)
        self._set(
            low=float(low),
            high=float(high),
            prior=prior,
            base=base,
            log_base=np.log10(base),
            dtype=dtype,
            name=name,
        )
        self.set_transformer(transform)
        self._freeze()

    def rvs(self, n_samples: int | None = 1, random_state=None):
        """Draw values from the prior.

        Parameters
        ----------
        n_samples : int or None, default=1
            Number of values; ``None`` draws one value and returns it bare.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        values : list of float, ndarray or float
            A list for ``dtype=float``, else an array of ``dtype``.
        """
        rng = check_random_state(random_state)
        u = rng.uniform(size=n_samples)
        if self.prior == "uniform":
            low, high = self.low, self.high
        else:
            low, high = LogN(self.base).transform([self.low, self.high])
        # the next float after the width makes ``high`` a possible draw
        values = low + u * np.nextafter(high - low, np.inf)
        if self.prior == "log-uniform":
            values = self.base**values
        return _as_dtype(np.clip(values, self.low, self.high), self.dtype, float)

    def inverse_transform(self, Xt):
        """Map transformed values back to values, clipped to the bounds.

        Parameters
        ----------
        Xt : float or array-like
            Transformed values.

        Returns
        -------
        X : list of float, ndarray or float
            A list (a float for a scalar) for ``dtype=float``, else an
            array of ``dtype``.
        """
        values = np.clip(np.asarray(self._transformer.inverse_transform(Xt),
                                    dtype=float), self.low, self.high)
        return _as_dtype(values, self.dtype, float)

    def contains(self, value: Any) -> bool:
        """Whether ``value`` is a number inside ``[low, high]``.

        ``value in dimension`` also takes a list or array holding one value
        (what ``rvs()`` returns for one sample), as scikit-optimize's ``in``
        does; this method, which the optimizer validates points with, does
        not.

        Parameters
        ----------
        value : object
            A candidate value.

        Returns
        -------
        inside : bool
            The answer.
        """
        return isinstance(value, numbers.Real) and self.low <= value <= self.high


class Integer(_Bounded, IntegerCube):
    """An integer-valued search dimension.

    Parameters
    ----------
    low, high : int
        Inclusive bounds, ``low < high`` (floats with integral values are
        accepted).
    prior : {'uniform', 'log-uniform'}, default='uniform'
        Distribution of the draws; ``'log-uniform'`` needs ``low > 0``.
    base : float, default=10
        Base of the logarithm of the ``'log-uniform'`` transform.
    transform : {'identity', 'normalize'} or None, default=None
        What ``transform`` maps values to: the values themselves (their
        logarithm with a log prior) for ``'identity'`` (the default), or
        ``[0, 1]`` for ``'normalize'``.
    name : str or None, default=None
        Parameter name; a search names its copy from the key of the space.
    dtype : int, numpy int type or its name, default=np.int64
        Type of the values ``rvs`` and ``inverse_transform`` return: ``int``
        gives Python ints (lists), the others numpy arrays.

    Attributes
    ----------
    low, high : int
        The bounds.
    prior, base, dtype, name
        As given.
    transform_ : str
        The current transform.

    Examples
    --------
    >>> from skopt_est.space import Integer
    >>> Integer(1, 5, dtype=int).rvs(3, random_state=0)
    [5, 1, 4]
    >>> Integer(1, 5, transform="normalize").transform([1, 3, 5]).tolist()
    [0.0, 0.5, 1.0]
    """

    _DEFAULT_DTYPE = np.int64
    _NORMALIZE_IS_INT = True

    def __init__(
        self,
        low,
        high,
        prior: str = "uniform",
        base: float = 10,
        transform: str | None = None,
        name: str | None = None,
        dtype=np.int64,
    ):
        bounds = {}
        for bound, value in (("low", low), ("high", high)):
            if not isinstance(value, numbers.Integral):
                if isinstance(value, numbers.Real) and float(value).is_integer():
                    value = int(value)
                else:
                    raise ValueError(
                        f"Integer: {bound}={value!r} must be an integer; "
                        "use Real for a continuous range."
                    )
            bounds[bound] = int(value)
        _check_bounds("Integer", bounds["low"], bounds["high"], prior, base)
        if isinstance(dtype, str):
            valid = dtype in _INTEGER_DTYPES
        else:
            valid = any(dtype is t for t in _INTEGER_DTYPES.values())
        if not valid:
            raise ValueError(
                f"Integer: dtype must be one of {list(_INTEGER_DTYPES)} (or the "
                f"numpy type of that name); got {dtype!r}."
            )
        _check_name(name)
        self._set(**bounds, prior=prior, base=base, log_base=np.log10(base),
                  dtype=dtype, name=name)
        self.set_transformer(transform)
        self._freeze()

    def _cast(self, values):
        return _as_dtype(values, _INTEGER_DTYPES.get(self.dtype, self.dtype), int)

    def rvs(self, n_samples: int | None = 1, random_state=None):
        """Draw values from the prior; every integer gets its full mass.

        Parameters
        ----------
        n_samples : int or None, default=1
            Number of values; ``None`` draws one value and returns it bare.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        values : ndarray, list of int or int
            An array of ``dtype``; a list for ``dtype=int``.
        """
        rng = check_random_state(random_state)
        if self.prior == "uniform":
            values = rng.randint(self.low, self.high + 1, size=n_samples)
        else:
            u = rng.uniform(size=n_samples)
            values = np.asarray(self.from_design(u))
            values = values if n_samples is not None else values[0]
        return self._cast(values)

    def inverse_transform(self, Xt):
        """Map transformed values back to integers (rounded, clipped).

        Parameters
        ----------
        Xt : float or array-like
            Transformed values.

        Returns
        -------
        X : ndarray, list of int or int
            Of ``dtype``; Python ints for ``dtype=int``.
        """
        values = np.asarray(self._transformer.inverse_transform(Xt), dtype=float)
        return self._cast(np.round(np.clip(values, self.low, self.high)))

    def contains(self, value: Any) -> bool:
        """Whether ``value`` is an integer inside ``[low, high]``.

        ``value in dimension`` also takes a list or array holding one value
        (what ``rvs()`` returns for one sample), as scikit-optimize's ``in``
        does; this method, which the optimizer validates points with, does
        not.

        Parameters
        ----------
        value : object
            A candidate value.

        Returns
        -------
        inside : bool
            The answer.
        """
        return isinstance(value, numbers.Integral) and self.low <= value <= self.high


def _category_array(values: list) -> np.ndarray:
    """A 1-D array of categories: numpy's own dtype where it keeps them apart."""
    kinds = {type(v) for v in values}
    numeric = {int, float, np.int64, np.float64}
    if kinds and any(kinds <= same for same in ({str, np.str_}, numeric,
                                                 {bool, np.bool_})):
        return np.asarray(values)
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class Categorical(Dimension, CategoricalCube):
    """A categorical search dimension; values are the categories themselves.

    Parameters
    ----------
    categories : iterable
        The candidate values, of any type (strings, numbers, ``None``,
        estimators). Stored as a tuple; must not be empty or a string.
    prior : sequence of float or None, default=None
        Probability of each category (non-negative, summing to 1); ``None``
        makes them equally likely.
    transform : {'onehot', 'label', 'string', 'identity', 'normalize'} or \
None, default=None
        What ``transform`` maps categories to: one-hot columns (the
        default; two categories take one column), their positions, their
        ``str``, the categories themselves, or positions scaled to ``[0, 1]``.
    name : str or None, default=None
        Parameter name; a search names its copy from the key of the space.

    Attributes
    ----------
    categories : tuple
        The categories.
    prior : sequence or None
        As given.
    prior_ : ndarray
        The probabilities used.
    transform_ : str
        The current transform.

    Examples
    --------
    >>> from skopt_est.space import Categorical
    >>> dim = Categorical(["relu", "tanh", "logistic"])
    >>> dim.rvs(2, random_state=0)
    ['tanh', 'logistic']
    >>> dim.transform(["tanh"]).tolist()
    [[0, 1, 0]]
    >>> dim.transformed_size
    3
    """

    _TRANSFORMS = ("onehot", "label", "string", "identity", "normalize")
    _DEFAULT_TRANSFORM = "onehot"

    def __init__(
        self,
        categories: Iterable,
        prior: Sequence[float] | None = None,
        transform: str | None = None,
        name: str | None = None,
    ):
        if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
            raise ValueError(
                f"Categorical: categories={categories!r} must be a list of values."
            )
        categories = tuple(categories)
        if not categories:
            raise ValueError(
                "Categorical: categories=[] is empty; give at least one value."
            )
        if prior is None:
            probabilities = np.full(len(categories), 1.0 / len(categories))
        else:
            probabilities = np.asarray(prior, dtype=float)
            if probabilities.shape != (len(categories),):
                raise ValueError(
                    f"Categorical: prior has {probabilities.size} entries for "
                    f"{len(categories)} categories; give one probability each."
                )
            if np.any(probabilities < 0) or not np.isclose(probabilities.sum(), 1.0):
                raise ValueError(
                    f"Categorical: prior={list(prior)!r} must be non-negative and "
                    "sum to 1."
                )
        _check_name(name)
        self._set(categories=categories, prior=prior, prior_=probabilities, name=name)
        self.set_transformer(transform)
        self._freeze()

    def _make_transformer(self, transform: str):
        encoder = {
            "onehot": CategoricalEncoder,
            "label": LabelEncoder,
            "string": StringEncoder,
            "identity": Identity,
        }.get(transform)
        if encoder is not None:
            return encoder().fit(self.categories)
        return Pipeline(
            [
                LabelEncoder(self.categories),
                Normalize(0, len(self.categories) - 1, is_int=True),
            ]
        )

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and len(self.categories) == len(other.categories)
            and all(
                a is b or _equal(a, b)
                for a, b in zip(self.categories, other.categories)
            )
            and np.allclose(self.prior_, other.prior_)
            and (self.transform_, self.name) == (other.transform_, other.name)
        )

    def __hash__(self) -> int:
        try:
            return hash((type(self).__name__, self.categories))
        except TypeError:  # unhashable categories
            return hash((type(self).__name__, len(self.categories)))

    def __repr__(self) -> str:
        prior = self.prior
        if prior is not None:
            prior = list(_short(list(prior)))
        extra = ""
        if self.transform_ != "onehot":
            extra = f", transform={self.transform_!r}"
        if self.name is not None:
            extra += f", name={self.name!r}"
        return (
            f"Categorical(categories={tuple(_short(self.categories))}, "
            f"prior={prior}{extra})"
        )

    @property
    def transformed_size(self) -> int:
        """Number of columns ``transform`` gives: ``k`` one-hot, 1 for ``k <= 2``."""
        if self.transform_ == "onehot":
            return self._transformer.n_columns
        return 1

    @property
    def bounds(self) -> tuple:
        """The categories."""
        return self.categories

    @property
    def transformed_bounds(self):
        """Bounds of the transformed values: ``(0.0, 1.0)`` per column, or
        ``(0, k - 1)`` for the ``'label'`` transform."""
        if self.transform_ == "label":
            return (0, len(self.categories) - 1)
        if self.transformed_size == 1:
            return (0.0, 1.0)
        return [(0.0, 1.0)] * self.transformed_size

    @property
    def is_constant(self) -> bool:
        """Whether there is only one category."""
        return len(self.categories) <= 1

    def index(self, value: Any) -> int:
        """Position of ``value`` among the categories.

        Parameters
        ----------
        value : object
            One of the categories.

        Returns
        -------
        index : int
            Its position; a ``ValueError`` if it is none of them.
        """
        return _category_index(self.categories, value)

    def rvs(self, n_samples: int | None = None, random_state=None):
        """Draw categories from the prior.

        Parameters
        ----------
        n_samples : int or None, default=None
            Number of values; ``None`` (scikit-optimize's default here)
            draws one category and returns it bare, or as a one-element list
            under the ``'normalize'`` transform (scikit-optimize's return
            types).
        random_state : int, RandomState instance or None, default=None
            Seed or generator for the draw.

        Returns
        -------
        values : list or category
            The drawn categories.
        """
        rng = check_random_state(random_state)
        u = rng.uniform(size=n_samples)
        index = np.searchsorted(np.cumsum(self.prior_), np.atleast_1d(u), side="right")
        index = np.clip(index, 0, len(self.categories) - 1)
        values = [self.categories[i] for i in index]
        if n_samples is None and self.transform_ != "normalize":
            return values[0]
        return values

    def _decode(self, Xt) -> list:
        return list(self._transformer.inverse_transform(Xt))

    def inverse_transform(self, Xt):
        """Map transformed values back to categories.

        Parameters
        ----------
        Xt : array-like
            Transformed values (one-hot rows for ``'onehot'``).

        Returns
        -------
        X : ndarray, shape (n_values,)
            The categories (an object array unless they are all strings or
            all numbers).
        """
        return _category_array(self._decode(Xt))

    def contains(self, value: Any) -> bool:
        """Whether ``value`` is one of the categories.

        Parameters
        ----------
        value : object
            A candidate value.

        Returns
        -------
        inside : bool
            The answer.
        """
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    def _distance(self, a, b):
        return 0 if self.index(a) == self.index(b) else 1


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _range_from_tuple(spec: tuple, transform: str | None) -> Dimension | None:
    """``Integer``/``Real`` of a ``(low, high[, prior[, base]])`` tuple, or None."""
    if not 2 <= len(spec) <= 4 or not all(_is_number(v) for v in spec[:2]):
        return None
    low, high, *rest = spec
    if rest and not isinstance(rest[0], str):
        return None
    if len(rest) == 2 and not _is_number(rest[1]):
        return None
    kind = Integer if all(isinstance(v, numbers.Integral) for v in spec[:2]) else Real
    return kind(low, high, *rest, transform=transform)


def _warn_if_skopt_reads_a_range(spec: list) -> None:
    # scikit-optimize 0.10 reads [low, high] and [low, high, prior] lists as
    # ranges (and warns that it will stop); here a list is always categories
    numeric = len(spec) in (2, 3) and all(_is_number(v) for v in spec[:2])
    if not numeric or (len(spec) == 3 and spec[2] not in _PRIORS):
        return
    ints = all(isinstance(v, numbers.Integral) for v in spec[:2])
    if len(spec) == 2 and ints and abs(spec[1] - spec[0]) <= 1:
        return  # the same values either way
    warnings.warn(
        f"{spec!r} is read as a list of {len(spec)} categories. scikit-optimize "
        f"0.10 read it as a range; for a range pass a tuple {tuple(spec)!r} or "
        f"{'Integer' if ints else 'Real'}(...), for categories "
        "Categorical([...]) (which silences this warning).",
        UserWarning,
        stacklevel=4,
    )


def check_dimension(dimension: Any, transform: str | None = None, *,
                    name: str | None = None) -> Dimension:
    """Turn a dimension or one of its shorthands into a dimension object.

    Parameters
    ----------
    dimension : Dimension, tuple or iterable
        ``Real``/``Integer``/``Categorical`` (copied); a ``(low, high)``,
        ``(low, high, prior)`` or ``(low, high, prior, base)`` tuple
        (``Integer`` if both bounds are integers, else ``Real``); or any
        other iterable of categories (a list is always categories, see
        Notes).
    transform : str or None, default=None
        Transform given to the dimension (see ``Real``, ``Integer`` and
        ``Categorical``); ``None`` keeps a dimension's own, or the default.
    name : str or None, default=None
        Name given to the returned dimension (skopt_est's addition).

    Returns
    -------
    dimension : Dimension
        A new dimension object; ``dimension`` is never modified.

    Raises
    ------
    ValueError
        If ``dimension`` is none of the above.

    Notes
    -----
    scikit-optimize 0.10 still reads a list ``[low, high]`` of numbers as a
    range, and says that it will stop. Here a list is always categories,
    as scikit-optimize announces; such a list warns where the two readings
    give different values.

    Examples
    --------
    >>> from skopt_est.space import check_dimension
    >>> check_dimension((1, 5))
    Integer(low=1, high=5, prior='uniform', transform='identity')
    >>> check_dimension((1e-3, 1.0, "log-uniform"), transform="normalize")
    Real(low=0.001, high=1.0, prior='log-uniform', transform='normalize')
    >>> check_dimension(["a", "b"])
    Categorical(categories=('a', 'b'), prior=None)
    """
    if isinstance(dimension, Dimension):
        result = dimension._named_copy(None)
        if transform is not None:
            result.set_transformer(transform)
    elif isinstance(dimension, tuple) and (
        (result := _range_from_tuple(dimension, transform)) is not None
    ):
        pass
    elif isinstance(dimension, Iterable) and not isinstance(
        dimension, str | bytes | dict
    ):
        if isinstance(dimension, list):
            _warn_if_skopt_reads_a_range(dimension)
        result = Categorical(dimension, transform=transform)
    else:
        # starts as scikit-optimize's message does; "has to be a list or
        # tuple" is its older wording, which its users' tests still match
        raise ValueError(
            f"Invalid dimension {dimension!r}: a dimension has to be a list or "
            "tuple of categories, a (low, high[, prior[, base]]) tuple, or a "
            "Real, Integer or Categorical. See the documentation of "
            "check_dimension for supported values."
        )
    if name is not None:
        result.name = name
    return result

