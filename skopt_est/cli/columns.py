"""The first step of every pipeline ``skopt-est tune`` builds: columns by name.

``InputColumns`` turns what a user has (a pandas DataFrame with the CSV's
column names in any order, the path of a CSV file, or an array in the
file's column order) into the array the rest of the pipeline was fitted
on, so that a saved model predicts from any of them without a warning.
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .datasets import read_features

__all__ = ["InputColumns"]


class InputColumns(TransformerMixin, BaseEstimator):
    """Select and order the feature columns of a DataFrame, a CSV path or an array.

    Parameters
    ----------
    feature_names : list of str
        The feature columns, in the order the model was fitted on.
    categorical : list of str, default=()
        Which of them hold text.
    target : str or None, default=None
        The name of the target column (a CSV or DataFrame may still hold it;
        it is ignored), used as the header of written predictions.
    """

    def __init__(self, feature_names, categorical=(), target=None):
        self.feature_names = feature_names
        self.categorical = categorical
        self.target = target

    def fit(self, X, y=None):
        """Check ``X`` has one column per feature name.

        Parameters
        ----------
        X : DataFrame, str, path or array-like of shape (n_samples, n_features)
            Training features.
        y : ignored

        Returns
        -------
        self : InputColumns
        """
        self.n_features_in_ = len(self.feature_names)
        self.transform(X)
        return self

    def transform(self, X):
        """The feature columns of ``X``, in the fitted order.

        Parameters
        ----------
        X : DataFrame, str, path or array-like of shape (n_samples, n_features)
            A DataFrame (or any table with ``columns``) is read by column
            name, in any order, extra columns ignored; a ``str`` or path is
            read as a CSV file with a header row; anything else is taken to
            be in the order of ``feature_names``.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Float, or object when some columns are categorical.
        """
        names, categorical = list(self.feature_names), list(self.categorical)
        if isinstance(X, str | os.PathLike):
            return read_features(os.fspath(X), names, categorical)
        if hasattr(X, "columns"):
            missing = [name for name in names if name not in X.columns]
            if missing:
                raise ValueError(
                    f"X lacks the column(s) {', '.join(missing)} the model was "
                    f"trained on; it needs: {', '.join(names)}."
                )
            return np.column_stack(
                [_column(X[name], name in categorical) for name in names]
            ).astype(object if categorical else float)
        X = np.asarray(X, dtype=object if categorical else float)
        if X.ndim != 2 or X.shape[1] != len(names):
            raise ValueError(
                f"X has shape {X.shape}; the model needs {len(names)} columns, "
                f"in this order: {', '.join(names)}."
            )
        return X


def _column(values, is_categorical: bool) -> np.ndarray:
    if not is_categorical:
        return np.asarray(values, dtype=float)
    return np.asarray(
        [
            "" if value is None or value != value else str(value).strip()
            for value in values
        ],
        dtype=object,
    )
