"""The only importer of private scikit-learn names.

When scikit-learn moves one of these, only this file changes.
"""

from sklearn.base import _fit_context as fit_context
from sklearn.utils._param_validation import Hidden, Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "Hidden",
    "Interval",
    "Options",
    "StrOptions",
    "check_is_fitted",
    "check_sample_weight",
    "fit_context",
    "validate_data",
]

check_sample_weight = _check_sample_weight
