"""scikit-learn's estimator checks over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

import skopt_est

from ._instances import FAST_PARAMS, expected_failed_checks

ESTIMATORS = [
    getattr(skopt_est, name)(**params)
    for name, params in FAST_PARAMS.items()
    if hasattr(skopt_est, name)
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_every_public_estimator_is_checked():
    public = {
        name
        for name in skopt_est.__all__
        if name[0].isupper() and hasattr(getattr(skopt_est, name), "fit")
    }
    checked = {type(estimator).__name__ for estimator in ESTIMATORS}
    assert public - {"BayesSearchCV"} <= checked, public - checked
