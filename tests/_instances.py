"""The estimators the common checks run, and their expected failures.

Every public estimator is checked at its default parameters. The only expected
failures are those scikit-learn declares for the peer in
``sklearn/utils/_test_common/instance_generator.py`` (``PER_ESTIMATOR_XFAIL_CHECKS``):
the two sample-weight equivalence checks for SGDRegressor and SGDClassifier,
none for the MLPs.
"""

# scikit-learn's own reason, word for word, for SGDRegressor and SGDClassifier.
_SGD_WEIGHT_REASON = "sample_weight is not equivalent to removing/repeating samples."

EXPECTED_FAILED_CHECKS = {
    "GDRegressor": {
        "check_sample_weight_equivalence_on_dense_data": _SGD_WEIGHT_REASON,
        "check_sample_weight_equivalence_on_sparse_data": _SGD_WEIGHT_REASON,
    },
    "GDClassifier": {
        "check_sample_weight_equivalence_on_dense_data": _SGD_WEIGHT_REASON,
        "check_sample_weight_equivalence_on_sparse_data": _SGD_WEIGHT_REASON,
    },
}

# scikit-learn's check suite fits its peers with max_iter=5 (SGD) and
# max_iter=100 (MLP) for speed; these run every default instead, as the design
# asks: the four take about 22 s of check time together on this machine.
CHECKED_ESTIMATORS = ("GDRegressor", "GDClassifier", "MLPRegressor", "MLPClassifier")


def expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})
