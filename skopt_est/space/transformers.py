"""One-dimensional transformers behind ``Dimension.transform``.

Each dimension holds one of these (or a ``Pipeline`` of them) for the
transform named by its ``transform`` argument. They map the values of one
dimension to the numbers an optimizer works with and back, and have the
names and methods scikit-optimize's ``skopt.space.transformers`` has.

They are not what skopt_est's own optimizer uses: it works in the unit
cube of ``Space.to_unit``, whatever transform a dimension is set to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "CategoricalEncoder",
    "Identity",
    "LabelEncoder",
    "LogN",
    "Normalize",
    "Pipeline",
    "StringEncoder",
    "Transformer",
]


class Transformer:
    """Base class of the one-dimensional transformers."""

    def fit(self, X):
        """Learn what the transform needs from ``X``; most need nothing.

        Parameters
        ----------
        X : array-like, shape (n_values,)
            Values of the dimension (the categories for the encoders).

        Returns
        -------
        self : Transformer
            The fitted transformer.
        """
        return self

    def transform(self, X):
        """Map values to the transformed space.

        Parameters
        ----------
        X : array-like, shape (n_values,)
            Values in the original space.

        Returns
        -------
        Xt : array-like
            The transformed values.
        """
        raise NotImplementedError

    def inverse_transform(self, X):
        """Map transformed values back to the original space.

        Parameters
        ----------
        X : array-like
            Values in the transformed space (named ``X`` as in
            scikit-optimize).

        Returns
        -------
        values : array-like, shape (n_values,)
            The values in the original space.
        """
        raise NotImplementedError


class Identity(Transformer):
    """The identity: values are passed through unchanged.

    Examples
    --------
    >>> from skopt_est.space.transformers import Identity
    >>> Identity().transform([1, 2])
    [1, 2]
    """

    def transform(self, X):
        """Return ``X`` unchanged.

        Parameters
        ----------
        X : array-like
            Values.

        Returns
        -------
        X : array-like
            The same object.
        """
        return X

    def inverse_transform(self, Xt):
        """Return ``Xt`` unchanged.

        Parameters
        ----------
        Xt : array-like
            Values.

        Returns
        -------
        Xt : array-like
            The same object.
        """
        return Xt


class LogN(Transformer):
    """Logarithm in base ``base``.

    Parameters
    ----------
    base : float
        Base of the logarithm, ``> 0`` and not 1.

    Examples
    --------
    >>> from skopt_est.space.transformers import LogN
    >>> LogN(2).transform([1, 8]).tolist()
    [0.0, 3.0]
    """

    def __init__(self, base: float):
        self._base = base

    def transform(self, X):
        """``log10(X) / log10(base)``.

        Parameters
        ----------
        X : array-like
            Positive values.

        Returns
        -------
        Xt : ndarray
            Their logarithms.
        """
        return np.log10(np.asarray(X, dtype=float)) / np.log10(self._base)

    def inverse_transform(self, Xt):
        """``base ** Xt``.

        Parameters
        ----------
        Xt : array-like
            Logarithms.

        Returns
        -------
        X : ndarray
            The values.
        """
        return self._base ** np.asarray(Xt, dtype=float)


class Normalize(Transformer):
    """Scale ``[low, high]`` linearly to ``[0, 1]``.

    Parameters
    ----------
    low, high : float
        The interval mapped to ``[0, 1]``.
    is_int : bool, default=False
        Round on the way in and out (for integer dimensions).

    Examples
    --------
    >>> from skopt_est.space.transformers import Normalize
    >>> Normalize(0, 10).transform([0, 5, 10]).tolist()
    [0.0, 0.5, 1.0]
    """

    # values this far outside the bounds are float noise, not an error
    _EPS = 1e-8

    def __init__(self, low: float, high: float, is_int: bool = False):
        self.low = float(low)
        self.high = float(high)
        self.is_int = is_int

    def transform(self, X):
        """Map values in ``[low, high]`` to ``[0, 1]``.

        Parameters
        ----------
        X : array-like
            Values in ``[low, high]``.

        Returns
        -------
        Xt : ndarray
            Values in ``[0, 1]``.

        Raises
        ------
        ValueError
            If a value lies outside ``[low, high]``.
        """
        X = np.asarray(X, dtype=float)
        if self.is_int:
            X = np.round(X)
        eps = 0.0 if self.is_int else self._EPS
        if np.any(X > self.high + eps) or np.any(X < self.low - eps):
            raise ValueError(
                f"All values should be in [{self.low:g}, {self.high:g}] to be "
                f"normalized; got {X[(X > self.high + eps) | (X < self.low - eps)]}."
            )
        if self.high == self.low:
            return X * 0.0
        return (X - self.low) / (self.high - self.low)

    def inverse_transform(self, X):
        """Map values in ``[0, 1]`` back to ``[low, high]``.

        Parameters
        ----------
        X : array-like
            Values in ``[0, 1]`` (named ``X`` as in scikit-optimize).

        Returns
        -------
        values : ndarray
            Values in ``[low, high]`` (integers if ``is_int``).

        Raises
        ------
        ValueError
            If a value lies outside ``[0, 1]``.
        """
        Xt = np.asarray(X, dtype=float)
        if np.any(Xt > 1.0 + self._EPS) or np.any(Xt < -self._EPS):
            raise ValueError(
                "All values should be in [0, 1] to be inverse-normalized; got "
                f"{Xt[(Xt > 1.0 + self._EPS) | (Xt < -self._EPS)]}."
            )
        X = Xt * (self.high - self.low) + self.low
        return np.round(X).astype(int) if self.is_int else X


class Pipeline(Transformer):
    """Apply transformers one after the other (inverses in reverse order).

    Parameters
    ----------
    transformers : list of Transformer
        The steps.

    Examples
    --------
    >>> from skopt_est.space.transformers import LogN, Normalize, Pipeline
    >>> Pipeline([LogN(10), Normalize(0, 2)]).transform([1, 10, 100]).tolist()
    [0.0, 0.5, 1.0]
    """

    def __init__(self, transformers):
        self.transformers = list(transformers)
        for step in self.transformers:
            if not isinstance(step, Transformer):
                raise ValueError(
                    f"Pipeline: {step!r} is not a Transformer instance."
                )

    def fit(self, X):
        """Fit every step on ``X``.

        Parameters
        ----------
        X : array-like
            Values of the dimension.

        Returns
        -------
        self : Pipeline
            The fitted pipeline.
        """
        for step in self.transformers:
            step.fit(X)
        return self

    def transform(self, X):
        """Apply the steps in order.

        Parameters
        ----------
        X : array-like
            Values in the original space.

        Returns
        -------
        Xt : array-like
            The transformed values.
        """
        for step in self.transformers:
            X = step.transform(X)
        return X

    def inverse_transform(self, X):
        """Apply the steps' inverses in reverse order.

        Parameters
        ----------
        X : array-like
            Transformed values (named ``X`` as in scikit-optimize).

        Returns
        -------
        values : array-like
            The values in the original space.
        """
        for step in reversed(self.transformers):
            X = step.inverse_transform(X)
        return X


def _equal(a: Any, b: Any) -> bool:
    # True == 1 in Python; a bool category must not match an int value
    if isinstance(a, bool | np.bool_) != isinstance(b, bool | np.bool_):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays, objects with odd __eq__
        return False


def _category_index(categories: tuple, value: Any) -> int:
    for i, category in enumerate(categories):
        if category is value or _equal(category, value):
            return i
    raise ValueError(f"{value!r} is not one of the categories {categories}.")


class LabelEncoder(Transformer):
    """Encode categories as their positions ``0, 1, ...``.

    Any objects can be categories (also unhashable ones); ``True`` and ``1``
    are different categories.

    Parameters
    ----------
    X : sequence or None, default=None
        Categories to fit on at once.

    Examples
    --------
    >>> from skopt_est.space.transformers import LabelEncoder
    >>> encoder = LabelEncoder(["a", "b", "c"])
    >>> encoder.transform(["c", "a"])
    [2, 0]
    >>> encoder.inverse_transform([1.8, 0.2])
    ['c', 'a']
    """

    def __init__(self, X=None):
        if X is not None:
            self.fit(X)

    def fit(self, X):
        """Remember the categories, in order, without repeats.

        Parameters
        ----------
        X : sequence
            The categories.

        Returns
        -------
        self : LabelEncoder
            The fitted encoder.
        """
        categories: list = []
        for value in X:
            if not any(c is value or _equal(c, value) for c in categories):
                categories.append(value)
        self.categories_ = tuple(categories)
        return self

    def transform(self, X):
        """Positions of the values among the categories.

        Parameters
        ----------
        X : sequence
            Categories.

        Returns
        -------
        Xt : list of int
            Their positions.
        """
        return [_category_index(self.categories_, value) for value in X]

    def inverse_transform(self, Xt):
        """Categories at the (rounded) positions.

        Parameters
        ----------
        Xt : float or array-like
            Positions.

        Returns
        -------
        X : list
            The categories.

        Raises
        ------
        ValueError
            If a rounded position is not a category's.
        """
        positions = np.atleast_1d(np.asarray(Xt, dtype=float))
        index = np.round(positions).astype(int)
        if np.any((index < 0) | (index >= len(self.categories_))):
            raise ValueError(
                f"Labels {positions[(index < 0) | (index >= len(self.categories_))]} "
                f"are outside [0, {len(self.categories_) - 1}]."
            )
        return [self.categories_[i] for i in index]


class CategoricalEncoder(Transformer):
    """One-hot encode categories.

    As in scikit-optimize, two categories take one column (0 for the first,
    1 for the second) and one category takes one column of zeros; ``k > 2``
    categories take ``k`` columns.

    Examples
    --------
    >>> from skopt_est.space.transformers import CategoricalEncoder
    >>> encoder = CategoricalEncoder().fit(["a", "b", "c"])
    >>> encoder.transform(["b"]).tolist()
    [[0, 1, 0]]
    >>> encoder.inverse_transform([[0.2, 0.1, 0.7]])
    ['c']
    """

    def fit(self, X):
        """Remember the categories.

        Parameters
        ----------
        X : sequence
            The categories.

        Returns
        -------
        self : CategoricalEncoder
            The fitted encoder.
        """
        self._labels = LabelEncoder(X)
        self.n_classes = len(self._labels.categories_)
        return self

    @property
    def n_columns(self) -> int:
        """Width of the encoding."""
        return 1 if self.n_classes <= 2 else self.n_classes

    def transform(self, X):
        """One-hot rows of the values.

        Parameters
        ----------
        X : sequence
            Categories.

        Returns
        -------
        Xt : ndarray of int, shape (n_values, n_columns)
            The encoding.
        """
        index = np.asarray(self._labels.transform(X), dtype=int)
        if self.n_classes <= 2:
            return (index == 1).astype(int).reshape(-1, 1)
        return np.eye(self.n_classes, dtype=int)[index]

    def inverse_transform(self, Xt):
        """Categories of one-hot (or any real) rows: the argmax, or ``> 0.5``
        for the one column of two categories.

        Parameters
        ----------
        Xt : array-like, shape (n_values, n_columns)
            Encoded rows.

        Returns
        -------
        X : list
            The categories.
        """
        Xt = np.asarray(Xt, dtype=float)
        categories = self._labels.categories_
        if self.n_classes == 1:
            return [categories[0]] * len(Xt.reshape(-1))
        if self.n_classes == 2:
            return [categories[int(v > 0.5)] for v in Xt.reshape(-1)]
        index = np.argmax(Xt.reshape(-1, self.n_classes), axis=1)
        return [categories[i] for i in index]


class StringEncoder(Transformer):
    """Encode categories as their ``str``.

    Parameters
    ----------
    dtype : type, default=str
        Type a string not among the categories' is cast to on the way back;
        ``fit`` sets it to the type of the first category.

    Examples
    --------
    >>> from skopt_est.space.transformers import StringEncoder
    >>> encoder = StringEncoder().fit([1, 2, 3])
    >>> encoder.transform([1, 3])
    ['1', '3']
    >>> encoder.inverse_transform(["3"])
    [3]
    """

    def __init__(self, dtype=str):
        self.dtype = dtype
        self._by_string: dict = {}

    def fit(self, X):
        """Remember the categories and the type of the first.

        Parameters
        ----------
        X : sequence
            The categories.

        Returns
        -------
        self : StringEncoder
            The fitted encoder.
        """
        X = list(X)
        if X:
            self.dtype = type(X[0])
        self._by_string = {}
        for value in X:
            self._by_string.setdefault(str(value), value)
        return self

    def transform(self, X):
        """``str`` of each value.

        Parameters
        ----------
        X : sequence
            Categories.

        Returns
        -------
        Xt : list of str
            Their strings.
        """
        return [str(value) for value in X]

    def inverse_transform(self, Xt):
        """The category each string is the ``str`` of.

        Parameters
        ----------
        Xt : sequence of str
            Strings.

        Returns
        -------
        X : list
            The categories (a string no category has is cast to ``dtype``).
        """
        return [
            self._by_string[s] if s in self._by_string else self.dtype(s)
            for s in map(str, Xt)
        ]
