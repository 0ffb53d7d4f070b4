"""The only importer of private scikit-learn names.

When scikit-learn moves one of these, only this file changes.
"""

import contextlib
import threading
import warnings

import sklearn.model_selection._search as _sklearn_search
from sklearn.base import _fit_context as fit_context
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils._param_validation import Hidden, Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "BaseSearchCV",
    "Hidden",
    "Interval",
    "LinearClassifierMixin",
    "Options",
    "StrOptions",
    "check_is_fitted",
    "check_sample_weight",
    "fit_context",
    "tolerate_all_failed_fits",
    "validate_data",
]

check_sample_weight = _check_sample_weight


# --- BayesSearchCV (skopt_est/search/_bayes.py) -----------------------------
_fit_failure_lock = threading.Lock()
_fit_failure_depth = 0
_warn_or_raise_about_fit_failures = _sklearn_search._warn_or_raise_about_fit_failures


def _warn_about_fit_failures(results, error_score):
    """Like scikit-learn's check, but a round whose fits all failed only warns."""
    if results and all(result["fit_error"] is not None for result in results):
        try:
            _warn_or_raise_about_fit_failures(results, error_score)
        except ValueError as exc:
            warnings.warn(str(exc), FitFailedWarning, stacklevel=2)
        return
    _warn_or_raise_about_fit_failures(results, error_score)


@contextlib.contextmanager
def tolerate_all_failed_fits():
    """Let ``BaseSearchCV``'s ``evaluate_candidates`` go on when every fit fails.

    scikit-learn raises when all fits of one ``evaluate_candidates`` call
    fail, which is right for a grid evaluated in one call but ends a
    sequential search at its first diverging candidate. There is no hook for
    this, so the module-level check is swapped for one that warns, for the
    duration of the search (reference-counted, so concurrent searches in
    threads restore it only when the last one ends).
    """
    global _fit_failure_depth
    with _fit_failure_lock:
        if _fit_failure_depth == 0:
            _sklearn_search._warn_or_raise_about_fit_failures = _warn_about_fit_failures
        _fit_failure_depth += 1
    try:
        yield
    finally:
        with _fit_failure_lock:
            _fit_failure_depth -= 1
            if _fit_failure_depth == 0:
                _sklearn_search._warn_or_raise_about_fit_failures = (
                    _warn_or_raise_about_fit_failures
                )

