"""The shared estimator plumbing: failed fits, schedule horizons, hints."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skopt_est import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor


def test_failed_fit_leaves_fitted_estimator_unchanged(iris, breast_cancer):
    model = GDClassifier(max_iter=3, tol=None, random_state=0).fit(iris.X, iris.y)
    coef, classes = model.coef_.copy(), model.classes_.copy()
    # 1e300: at 1e30 scikit-learn's SGD (and the compiled epoch) stays finite,
    # zeroing the weights where lr * alpha > 1 instead of diverging
    model.set_params(learning_rate="constant", eta0=1e300)
    with pytest.raises(ValueError, match="eta0"):
        model.fit(breast_cancer.X * 1e10, breast_cancer.y)
    np.testing.assert_array_equal(model.coef_, coef)
    np.testing.assert_array_equal(model.classes_, classes)
    assert model.n_features_in_ == 4
    model.predict(iris.X)


@pytest.mark.parametrize("learning_rate", ["linear", "cosine"])
def test_partial_fit_keeps_learning_with_horizon_schedules(diabetes, learning_rate):
    model = GDRegressor(learning_rate=learning_rate, eta0=0.01, batch_size=32,
                        max_iter=50, random_state=0)
    model.partial_fit(diabetes.X, diabetes.y)
    first = model.coef_.copy()
    model.partial_fit(diabetes.X, diabetes.y)
    assert not np.array_equal(model.coef_, first)


def test_divergence_with_optimal_schedule_names_alpha(breast_cancer):
    model = GDClassifier(loss="squared_hinge", alpha=1e-7, max_iter=5, tol=None,
                         random_state=0)
    # clipped loss derivatives (as sklearn's SGD) keep X * 1e6 finite
    with pytest.raises(ValueError, match="Raise alpha"):
        model.fit(breast_cancer.X * 1e160, breast_cancer.y)


def test_divergence_names_learning_rate_init(diabetes):
    model = MLPRegressor(solver="sgd", learning_rate_init=1e6, max_iter=5,
                         random_state=0)
    with pytest.raises(ValueError, match="learning_rate_init"):
        model.fit(diabetes.X * 1e3, diabetes.y * 1e3)
    assert not hasattr(model, "coefs_")


@pytest.mark.parametrize("estimator_class", [GDClassifier, MLPClassifier])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_coded_targets_take_xs_dtype_and_are_held_once(
        monkeypatch, estimator_class, n_classes, dtype):
    # the training data hold the coded array itself, not a cast copy of a
    # float64 one kept alongside it for the whole fit: the torch path's
    # tensor (the MLPs) and the kernel lane's array (GDClassifier) alike
    import skopt_est._engine.data as torch_data
    import skopt_est.linear_model as linear_model

    seen = []
    module, name, address = (
        (linear_model, "host_data", lambda data: data.y.ctypes.data)
        if estimator_class is GDClassifier else
        (torch_data, "to_training_data", lambda data: data.y.data_ptr()))
    original = getattr(module, name)

    def spy(X, y, *args):
        data = original(X, y, *args)
        seen.append((y.dtype, address(data) == y.ctypes.data))
        return data

    monkeypatch.setattr(module, name, spy)
    rng = np.random.RandomState(0)
    X = rng.standard_normal((40, 4)).astype(dtype)
    y = np.arange(40) % n_classes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator_class(max_iter=2, random_state=0).fit(X, y)
    assert seen == [(np.dtype(dtype), True)]
