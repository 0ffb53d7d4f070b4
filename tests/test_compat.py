import threading
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_regression
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV

from skopt_est.search import BayesSearchCV

X, Y = make_regression(n_samples=40, n_features=3, random_state=0)


class _AlwaysFails(BaseEstimator, RegressorMixin):
    def __init__(self, c=1.0):
        self.c = c

    def fit(self, X, y):
        raise ValueError("this fit always fails")

    def predict(self, X):
        return np.zeros(len(X))


class _WaitsThenFails(_AlwaysFails):
    """Fails too, but the first fit holds the search until the test says go."""

    started = threading.Event()
    release = threading.Event()

    def fit(self, X, y):
        type(self).started.set()
        type(self).release.wait(timeout=60)
        raise ValueError("this fit always fails")


class _NestedGrid(_AlwaysFails):
    """Runs a GridSearchCV whose every fit fails and records what it raised."""

    raised: list = []

    def fit(self, X, y):
        try:
            GridSearchCV(_AlwaysFails(), {"c": [1.0, 2.0]}, cv=2).fit(X, y)
        except ValueError as exc:
            type(self).raised.append(str(exc))
            raise
        type(self).raised.append(None)
        return self


def _failing_bayes(estimator, n_iter=2):
    return BayesSearchCV(
        estimator,
        {"c": (0.1, 10.0)},
        n_iter=n_iter,
        cv=2,
        random_state=0,
        refit=False,
    )


def test_tolerance_is_local_to_the_searching_thread():
    _WaitsThenFails.started.clear()
    _WaitsThenFails.release.clear()
    errors = []

    def run_bayes():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FitFailedWarning)
                _failing_bayes(_WaitsThenFails()).fit(X, Y)
        except Exception as exc:  # reported to the main thread below
            errors.append(exc)

    thread = threading.Thread(target=run_bayes)
    thread.start()
    try:
        assert _WaitsThenFails.started.wait(timeout=60)
        # the Bayesian search is inside evaluate_candidates in the other thread
        with pytest.raises(ValueError, match="All the 4 fits failed"):
            GridSearchCV(_AlwaysFails(), {"c": [1.0, 2.0]}, cv=2).fit(X, Y)
    finally:
        _WaitsThenFails.release.set()
        thread.join(timeout=120)
    assert not thread.is_alive() and errors == []


def test_tolerance_does_not_reach_a_search_nested_in_the_estimator():
    _NestedGrid.raised = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        search = _failing_bayes(_NestedGrid(), n_iter=1).fit(X, Y)
    assert _NestedGrid.raised and all(
        message is not None and "fits failed" in message
        for message in _NestedGrid.raised
    )
    assert np.isnan(search.cv_results_["mean_test_score"]).all()


def test_grid_search_raises_again_after_a_tolerant_search():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        _failing_bayes(_AlwaysFails()).fit(X, Y)
    with pytest.raises(ValueError, match="fits failed"):
        GridSearchCV(_AlwaysFails(), {"c": [1.0]}, cv=2).fit(X, Y)
