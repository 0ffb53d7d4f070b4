"""Gradient boosting with one quantile regressor per quantile."""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

__all__ = ["GradientBoostingQuantileRegressor"]

_STD_QUANTILES = (0.16, 0.5, 0.84)  # median and +-1 standard deviation


def _fit(regressor, X, y):
    return regressor.fit(X, y)


class GradientBoostingQuantileRegressor(RegressorMixin, BaseEstimator):
    """Predict several quantiles of ``y``, one gradient-boosted model each.

    Every quantile gets a clone of ``base_estimator`` with the quantile loss
    at that level, all with the same seed (so that their trees are drawn
    alike and the predicted quantiles cross as little as they can).

    Parameters
    ----------
    quantiles : sequence of float or None, default=None
        The levels; None means ``[0.16, 0.5, 0.84]``, the median and one
        standard deviation each side for a normal ``y``.
    base_estimator : GradientBoostingRegressor or None, default=None
        With ``loss='quantile'``; None means scikit-learn's defaults with
        the quantile loss.
    n_jobs : int, default=1
        Quantile models fitted in parallel (threads).
    random_state : int, RandomState instance or None, default=None
        Seed shared by the quantile models.

    Attributes
    ----------
    quantiles_ : ndarray of shape (n_quantiles,)
        The levels fitted.
    regressors_ : list of GradientBoostingRegressor
        One fitted model per level.

    Examples
    --------
    >>> import numpy as np
    >>> from skopt_est.learning import GradientBoostingQuantileRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(size=(200, 1))
    >>> model = GradientBoostingQuantileRegressor(random_state=0).fit(
    ...     X, X[:, 0] + 0.1 * rng.normal(size=200))
    >>> model.predict([[0.5]], return_quantiles=True).shape
    (1, 3)
    """

    def __init__(self, quantiles=None, base_estimator=None, n_jobs=1,
                 random_state=None):
        self.quantiles = quantiles
        self.base_estimator = base_estimator
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y):
        """Fit one model per quantile.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training points.
        y : array-like of shape (n_samples,)
            Targets.

        Returns
        -------
        self : GradientBoostingQuantileRegressor
            The fitted model.
        """
        quantiles = np.asarray(
            _STD_QUANTILES if self.quantiles is None else self.quantiles, dtype=float
        )
        if quantiles.ndim != 1 or np.any((quantiles <= 0) | (quantiles >= 1)):
            raise ValueError(
                f"quantiles={self.quantiles!r} must be a list of levels in (0, 1)."
            )
        base = self.base_estimator
        if base is None:
            base = GradientBoostingRegressor(loss="quantile")
        elif not isinstance(base, GradientBoostingRegressor):
            raise ValueError(
                f"base_estimator must be a GradientBoostingRegressor, got "
                f"{type(base).__name__}."
            )
        elif base.loss != "quantile":
            raise ValueError(
                f"base_estimator must use loss='quantile', not loss={base.loss!r}."
            )
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        regressors = [
            clone(base).set_params(alpha=float(q), random_state=seed)
            for q in quantiles
        ]
        self.regressors_ = Parallel(n_jobs=self.n_jobs, backend="threading")(
            delayed(_fit)(regressor, X, y) for regressor in regressors
        )
        self.quantiles_ = quantiles
        return self

    def _at(self, level: float, X) -> np.ndarray:
        matches = np.flatnonzero(np.isclose(self.quantiles_, level))
        return self.regressors_[int(matches[0])].predict(X)

    def predict(self, X, return_std: bool = False, return_quantiles: bool = False):
        """Predict the median, or its standard deviation, or every quantile.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Points.
        return_std : bool, default=False
            Also return ``(q84 - q16) / 2``, the standard deviation of a
            normal ``y``; needs 0.16, 0.5 and 0.84 among the quantiles.
        return_quantiles : bool, default=False
            Return every quantile instead (takes precedence).

        Returns
        -------
        median : ndarray of shape (n_samples,)
            The 0.5 quantile (unless ``return_quantiles``).
        std : ndarray of shape (n_samples,)
            Returned when ``return_std`` is True.
        quantiles : ndarray of shape (n_samples, n_quantiles)
            Returned instead of both when ``return_quantiles`` is True.
        """
        check_is_fitted(self, "regressors_")
        if return_quantiles:
            return np.column_stack([r.predict(X) for r in self.regressors_])
        needed = _STD_QUANTILES if return_std else (0.5,)
        missing = [q for q in needed if not np.isclose(self.quantiles_, q).any()]
        if missing:
            raise ValueError(
                f"This prediction needs the quantiles {list(needed)}; quantiles "
                f"lacks {missing}."
            )
        median = self._at(0.5, X)
        if not return_std:
            return median
        return median, (self._at(0.84, X) - self._at(0.16, X)) / 2.0
