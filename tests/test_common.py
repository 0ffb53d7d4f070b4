"""scikit-learn's estimator checks over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

import skopt_est

from ._instances import CHECKED_ESTIMATORS, expected_failed_checks

# Default parameters only: no test-only settings.
ESTIMATORS = [getattr(skopt_est, name)() for name in CHECKED_ESTIMATORS]


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
    searches = {"BayesSearchCV", "HyperbandSearchCV"}
    assert public - searches <= checked, public - checked


def test_expected_failures_are_those_scikit_learn_declares_for_the_peer():
    instance_generator = __import__(
        "sklearn.utils._test_common.instance_generator", fromlist=["_"]
    )
    from sklearn.linear_model import SGDClassifier, SGDRegressor
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    peers = {
        "GDRegressor": SGDRegressor(),
        "GDClassifier": SGDClassifier(),
        "MLPRegressor": MLPRegressor(),
        "MLPClassifier": MLPClassifier(),
    }
    for estimator in ESTIMATORS:
        ours = set(expected_failed_checks(estimator))
        peer = peers[type(estimator).__name__]
        declared = set(instance_generator._get_expected_failed_checks(peer))
        assert ours <= declared, (type(estimator).__name__, ours - declared)
        assert estimator.get_params() == type(estimator)().get_params()
