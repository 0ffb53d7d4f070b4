"""The only importer of private scikit-learn names, and the one place that
tells scikit-learn versions apart.

When scikit-learn moves one of these, only this file changes. The engine's
private torch and scipy names are ``_engine.compat``'s (the engine never
imports scikit-learn).
"""

import contextlib
import contextvars
import inspect
import sys
import threading
import warnings

import sklearn.model_selection._search as _sklearn_search
from sklearn.base import _fit_context as fit_context
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import _safe_indexing as safe_indexing
from sklearn.utils._param_validation import (
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "BaseSearchCV",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "LinearClassifierMixin",
    "Options",
    "StrOptions",
    "check_is_fitted",
    "check_sample_weight",
    "fit_context",
    "safe_indexing",
    "tolerate_all_failed_fits",
    "validate_data",
    "validate_parameter_constraints",
]

# the options of scikit-learn's sample-weight check in this version
_SAMPLE_WEIGHT_OPTIONS = frozenset(inspect.signature(_check_sample_weight).parameters)


def check_sample_weight(sample_weight, X, *, allow_all_zero_weights: bool = False,
                        **kwargs):
    """scikit-learn's ``_check_sample_weight``; ``allow_all_zero_weights``
    is passed on where this version of it has the option,
    else dropped, and all-zero weights are refused as that version does."""
    if "allow_all_zero_weights" in _SAMPLE_WEIGHT_OPTIONS:
        kwargs["allow_all_zero_weights"] = allow_all_zero_weights
    return _check_sample_weight(sample_weight, X, **kwargs)


# --- BayesSearchCV (skopt_est/search/_bayes.py) -----------------------------
_fit_failure_lock = threading.Lock()
_fit_failure_depth = 0
_warn_or_raise_about_fit_failures = _sklearn_search._warn_or_raise_about_fit_failures
# the search whose evaluate_candidates may see every fit fail; a new thread
# starts with an empty context, so other threads keep scikit-learn's check
_tolerant_search: contextvars.ContextVar = contextvars.ContextVar(
    "skopt_est_tolerant_search", default=None
)


def _caller_search():
    """The ``BaseSearchCV`` whose ``evaluate_candidates`` called the check.

    ``evaluate_candidates`` is a closure of ``BaseSearchCV.fit`` over
    ``self``; a search nested in the tuned estimator (same thread, same
    context) is told apart by it. ``None`` where frames cannot be read.
    """
    frame = sys._getframe(2)
    return None if frame is None else frame.f_locals.get("self")


def _warn_about_fit_failures(results, error_score):
    """Like scikit-learn's check, but a round whose fits all failed only warns,
    in the search that asked for it."""
    search = _tolerant_search.get()
    if (
        search is not None
        and results
        and all(result["fit_error"] is not None for result in results)
        and _caller_search() in (search, None)
    ):
        try:
            _warn_or_raise_about_fit_failures(results, error_score)
        except ValueError as exc:
            warnings.warn(str(exc), FitFailedWarning, stacklevel=2)
        return
    _warn_or_raise_about_fit_failures(results, error_score)


@contextlib.contextmanager
def tolerate_all_failed_fits(search):
    """Let ``search``'s ``evaluate_candidates`` go on when every fit fails.

    scikit-learn raises when all fits of one ``evaluate_candidates`` call
    fail, which is right for a grid evaluated in one call but ends a
    sequential search at its first diverging candidate. There is no hook for
    this, so the module-level check is swapped, while any such search runs,
    for one that warns instead, but only when called by ``search`` in this
    thread (or context). Every other search, in another thread or nested in
    the tuned estimator, keeps raising.
    """
    global _fit_failure_depth
    with _fit_failure_lock:
        if _fit_failure_depth == 0:
            _sklearn_search._warn_or_raise_about_fit_failures = _warn_about_fit_failures
        _fit_failure_depth += 1
    token = _tolerant_search.set(search)
    try:
        yield
    finally:
        _tolerant_search.reset(token)
        with _fit_failure_lock:
            _fit_failure_depth -= 1
            if _fit_failure_depth == 0:
                _sklearn_search._warn_or_raise_about_fit_failures = (
                    _warn_or_raise_about_fit_failures
                )
