"""Random forests and extra trees whose ``predict`` also gives a standard
deviation."""

from __future__ import annotations

import numpy as np
from sklearn import ensemble
from sklearn.utils import check_array

__all__ = ["ExtraTreesRegressor", "RandomForestRegressor"]


def forest_std(X, trees, mean: np.ndarray, min_variance: float) -> np.ndarray:
    """Standard deviation of ``y`` at ``X`` under a forest.

    The forest is read as a uniform mixture of its trees, and each tree's leaf
    as a distribution with the leaf's mean and variance (its squared-error
    impurity, floored at ``min_variance`` so that a one-sample leaf is not
    certain). By the law of total variance the mixture's variance is the mean
    over trees of ``leaf variance + leaf mean ** 2``, less ``mean ** 2``
    (Hutter et al., "Algorithm runtime prediction", 2014, section 4.3).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Points.
    trees : list of fitted DecisionTreeRegressor
        The forest's ``estimators_``.
    mean : ndarray of shape (n_samples,)
        The forest's prediction at ``X``.
    min_variance : float
        Floor of a leaf's variance.

    Returns
    -------
    std : ndarray of shape (n_samples,)
        The standard deviation.
    """
    second_moment = np.zeros(len(mean))
    for tree in trees:
        leaf_variance = tree.tree_.impurity[tree.apply(X)]
        leaf_mean = tree.predict(X)
        second_moment += np.maximum(leaf_variance, min_variance) + leaf_mean**2
    variance = second_moment / len(trees) - mean**2
    return np.sqrt(np.maximum(variance, 0.0))


class _StdMixin:
    """``predict(X, return_std=False)`` for a fitted scikit-learn forest."""

    def predict(self, X, return_std: bool = False):
        """Predict ``y`` at ``X``, and its standard deviation if asked.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Points.
        return_std : bool, default=False
            Also return the standard deviation across the trees' leaves
            (see ``forest_std``); needs ``criterion='squared_error'``.

        Returns
        -------
        mean : ndarray of shape (n_samples,)
            The forest's prediction.
        std : ndarray of shape (n_samples,)
            Returned when ``return_std`` is True.
        """
        mean = super().predict(X)
        if not return_std:
            return mean
        if self.criterion != "squared_error":
            raise ValueError(
                f"return_std needs criterion='squared_error' (the leaves' "
                f"variance), not criterion={self.criterion!r}."
            )
        X = check_array(X, accept_sparse="csr", dtype=np.float32)
        return mean, forest_std(X, self.estimators_, mean, self.min_variance)


class RandomForestRegressor(_StdMixin, ensemble.RandomForestRegressor):
    """scikit-learn's ``RandomForestRegressor`` with a predictive standard
    deviation, and scikit-optimize's defaults.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of trees.
    criterion : str, default='squared_error'
        Split criterion; ``predict(return_std=True)`` needs 'squared_error'.
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, \
max_leaf_nodes, min_impurity_decrease, bootstrap, oob_score, verbose, \
warm_start, ccp_alpha, max_samples, monotonic_cst
        As in scikit-learn.
    max_features : int, float, str or None, default=None
        Features considered per split; None takes all of them.
    n_jobs : int, default=1
        Parallel jobs of ``fit`` and ``predict``.
    random_state : int, RandomState instance or None, default=None
        Seed of the bootstrap and the feature draws.
    min_variance : float, default=0.0
        Floor of each leaf's variance in the standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from skopt_est.learning import RandomForestRegressor
    >>> X = np.linspace(0, 1, 20)[:, None]
    >>> forest = RandomForestRegressor(random_state=0).fit(X, X[:, 0] ** 2)
    >>> mean, std = forest.predict([[0.5]], return_std=True)
    >>> mean.shape, bool(std[0] >= 0)
    ((1,), True)
    """

    def __init__(
        self,
        n_estimators=10,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        min_variance=0.0,
        ccp_alpha=0.0,
        max_samples=None,
        monotonic_cst=None,
    ):
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            ccp_alpha=ccp_alpha,
            max_samples=max_samples,
            monotonic_cst=monotonic_cst,
        )
        self.min_variance = min_variance


class ExtraTreesRegressor(_StdMixin, ensemble.ExtraTreesRegressor):
    """scikit-learn's ``ExtraTreesRegressor`` with a predictive standard
    deviation, and scikit-optimize's defaults.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of trees.
    criterion : str, default='squared_error'
        Split criterion; ``predict(return_std=True)`` needs 'squared_error'.
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, \
max_leaf_nodes, min_impurity_decrease, bootstrap, oob_score, verbose, \
warm_start, ccp_alpha, max_samples, monotonic_cst
        As in scikit-learn.
    max_features : int, float, str or None, default=None
        Features considered per split; None takes all of them.
    n_jobs : int, default=1
        Parallel jobs of ``fit`` and ``predict``.
    random_state : int, RandomState instance or None, default=None
        Seed of the random split thresholds.
    min_variance : float, default=0.0
        Floor of each leaf's variance in the standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from skopt_est.learning import ExtraTreesRegressor
    >>> X = np.linspace(0, 1, 20)[:, None]
    >>> trees = ExtraTreesRegressor(random_state=0).fit(X, X[:, 0] ** 2)
    >>> mean, std = trees.predict([[0.5]], return_std=True)
    >>> std.shape
    (1,)
    """

    def __init__(
        self,
        n_estimators=10,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=False,
        oob_score=False,
        n_jobs=1,
        random_state=None,
        verbose=0,
        warm_start=False,
        min_variance=0.0,
        ccp_alpha=0.0,
        max_samples=None,
        monotonic_cst=None,
    ):
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            ccp_alpha=ccp_alpha,
            max_samples=max_samples,
            monotonic_cst=monotonic_cst,
        )
        self.min_variance = min_variance
