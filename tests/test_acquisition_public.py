"""The public acquisition functions: values from their definitions, and
gradients against finite differences of the values."""

import numpy as np
import pytest
from scipy.stats import norm

from skopt_est.acquisition import (
    gaussian_acquisition_1D,
    gaussian_ei,
    gaussian_lcb,
    gaussian_mes,
    gaussian_pi,
    gaussian_pvrs,
)
from skopt_est.learning import ExtraTreesRegressor, GaussianProcessRegressor
from skopt_est.learning.gaussian_process.kernels import ConstantKernel, Matern


class FixedPosterior:
    """A model whose posterior is given: mean mu and std sigma per row."""

    def __init__(self, mu, sigma):
        self.mu, self.sigma = np.asarray(mu, float), np.asarray(sigma, float)

    def predict(self, X, return_std=False):
        return self.mu[: len(X)], self.sigma[: len(X)]


@pytest.fixture(scope="module")
def gp():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(15, 2))
    y = np.sin(5 * X[:, 0]) + X[:, 1]
    # fixed, well-conditioned hyperparameters: finite differences of the std
    # are then accurate to 1e-7
    kernel = ConstantKernel(2.0) * Matern(length_scale=[0.3, 0.5], nu=2.5)
    return GaussianProcessRegressor(kernel=kernel, normalize_y=True, noise=1e-3,
                                    optimizer=None).fit(X, y)


def test_values_follow_the_definitions():
    model = FixedPosterior([0.0, 1.0, -1.0, 0.5], [1.0, 0.5, 2.0, 0.0])
    X = np.zeros((4, 1))
    z = (0.2 - 0.01 - model.mu[:3]) / model.sigma[:3]
    ei = (0.2 - 0.01 - model.mu[:3]) * norm.cdf(z) + model.sigma[:3] * norm.pdf(z)
    np.testing.assert_allclose(gaussian_ei(X, model, y_opt=0.2), [*ei, 0.0])
    np.testing.assert_allclose(gaussian_pi(X, model, y_opt=0.2), [*norm.cdf(z), 0.0])
    np.testing.assert_allclose(gaussian_lcb(X, model, kappa=2.0),
                               model.mu - 2.0 * model.sigma)
    np.testing.assert_allclose(gaussian_lcb(X, model, kappa="inf"), -model.sigma)


def test_ei_grows_with_uncertainty_and_with_a_lower_mean():
    X = np.zeros((3, 1))
    wider = gaussian_ei(X, FixedPosterior([0.0] * 3, [0.1, 0.5, 1.0]), y_opt=0.0)
    assert np.all(np.diff(wider) > 0)
    lower = gaussian_ei(X, FixedPosterior([1.0, 0.0, -1.0], [0.5] * 3), y_opt=0.0)
    assert np.all(np.diff(lower) > 0)


def numerical_gradient(function, x, step=1e-6):
    grad = np.empty_like(x)
    for j in range(len(x)):
        up, down = x.copy(), x.copy()
        up[j] += step
        down[j] -= step
        grad[j] = (function(up) - function(down)) / (2 * step)
    return grad


@pytest.mark.parametrize("name, function, kwargs", [
    ("EI", gaussian_ei, {"y_opt": -0.5, "xi": 0.01}),
    ("PI", gaussian_pi, {"y_opt": -0.5, "xi": 0.01}),
    ("LCB", gaussian_lcb, {"kappa": 1.5}),
    ("LCB-inf", gaussian_lcb, {"kappa": "inf"}),
])
def test_gradients_match_finite_differences(gp, name, function, kwargs):
    for x in (np.array([0.3, 0.6]), np.array([0.81, 0.12])):
        value, grad = function(x[None, :], gp, return_grad=True, **kwargs)
        np.testing.assert_allclose(value, function(x[None, :], gp, **kwargs))
        numeric = numerical_gradient(lambda z: function(z[None, :], gp, **kwargs)[0], x)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


@pytest.mark.parametrize("acq_func", ["EI", "PI", "LCB"])
def test_1d_wrapper_is_the_value_to_minimise_with_its_gradient(gp, acq_func):
    x = np.array([0.4, 0.5])
    value, grad = gaussian_acquisition_1D(x, gp, y_opt=-0.5, acq_func=acq_func,
                                          acq_func_kwargs={"xi": 0.02, "kappa": 1.0})
    assert value.shape == (1,) and grad.shape == (2,)
    direct = {"EI": -gaussian_ei(x[None], gp, -0.5, 0.02),
              "PI": -gaussian_pi(x[None], gp, -0.5, 0.02),
              "LCB": gaussian_lcb(x[None], gp, 1.0)}[acq_func]
    np.testing.assert_allclose(value, direct)
    numeric = numerical_gradient(
        lambda z: gaussian_acquisition_1D(z, gp, -0.5, acq_func, {"xi": 0.02,
                                          "kappa": 1.0}, return_grad=False)[0], x)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-7)


def test_forest_models_work_without_gradients():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(30, 2))
    forest = ExtraTreesRegressor(min_samples_leaf=3, random_state=0).fit(X, X.sum(1))
    values = gaussian_ei(X[:5], forest, y_opt=0.3)
    assert values.shape == (5,) and np.all(values >= 0)


def test_invalid_calls_name_what_to_fix(gp):
    with pytest.raises(ValueError, match="one point"):
        gaussian_ei(np.zeros((2, 2)), gp, return_grad=True)
    with pytest.raises(ValueError, match="2-dimensional"):
        gaussian_pi(np.zeros(2), gp)
    with pytest.raises(ValueError, match="acq_func='EIS' is not supported"):
        gaussian_acquisition_1D(np.zeros(2), gp, acq_func="EIS")
    with pytest.raises(ValueError, match="no gradient; pass return_grad=False"):
        gaussian_acquisition_1D(np.zeros(2), gp, acq_func="MES")
    with pytest.raises(ValueError, match="y_opt"):
        gaussian_acquisition_1D(np.zeros(2), gp, acq_func="EI")


# ------------------------------------------------- MES and PVRS (no gradient)


def test_mes_draws_with_its_seed_and_prefers_uncertain_promising_points():
    model = FixedPosterior([0.0, 0.0, 1.0, -0.5], [0.5, 0.01, 0.5, 0.05])
    X = np.zeros((4, 1))
    values = gaussian_mes(X, model, n_min_samples=2000, random_state=0)
    np.testing.assert_array_equal(
        values, gaussian_mes(X, model, n_min_samples=2000, random_state=0))
    assert values.shape == (4,) and np.all(values >= 0)
    # same mean, more uncertainty: more to learn about the minimum's value
    assert values[0] > values[1]
    # same std, a mean far above the likely minimum: less
    assert values[0] > values[2]


def test_pvrs_rewards_points_that_explain_the_likely_minima(gp):
    X = np.vstack([gp.X_train_[:3], np.random.RandomState(1).uniform(size=(40, 2))])
    values = gaussian_pvrs(X, gp, n_thompson=8, random_state=0)
    assert values.shape == (43,)
    np.testing.assert_array_equal(values, gaussian_pvrs(X, gp, 8, random_state=0))
    # observing a training point again (almost noise-free) explains nothing new
    assert np.all(values[:3] <= values[3:].min() + 1e-6)
    assert values[3:].max() > values[:3].max() + 1e-3


def test_1d_wrapper_gives_minus_mes_and_pvrs(gp):
    point = np.array([0.4, 0.6])
    np.random.seed(0)
    mes = gaussian_acquisition_1D(point, gp, acq_func="MES", return_grad=False,
                                  acq_func_kwargs={"n_min_samples": 50})
    np.random.seed(0)
    np.testing.assert_allclose(-mes, gaussian_mes(point[None, :], gp, 50))
    pvrs = gaussian_acquisition_1D(point, gp, acq_func="PVRS", return_grad=False,
                                   acq_func_kwargs={"n_thompson": 4})
    np.testing.assert_allclose(-pvrs, gaussian_pvrs(point[None, :], gp, 4))


def test_mes_and_pvrs_match_scikit_optimize(gp):
    skopt_acquisition = pytest.importorskip("skopt.acquisition")
    X = np.random.RandomState(2).uniform(size=(200, 2))
    np.random.seed(5)
    theirs = skopt_acquisition.gaussian_mes(X, gp, n_min_samples=300)
    np.random.seed(5)
    np.testing.assert_allclose(gaussian_mes(X, gp, n_min_samples=300), theirs,
                               rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(gaussian_pvrs(X, gp, n_thompson=6),
                               skopt_acquisition.gaussian_pvrs(X, gp, n_thompson=6),
                               rtol=1e-6)


@pytest.fixture(scope="module")
def timed_pair():
    from sklearn.multioutput import MultiOutputRegressor

    rng = np.random.RandomState(1)
    X = rng.uniform(size=(15, 2))
    y = np.column_stack([np.sin(5 * X[:, 0]) + X[:, 1], np.log(0.2 + X[:, 0])])
    kernel = ConstantKernel(2.0) * Matern(length_scale=[0.3, 0.5], nu=2.5)
    template = GaussianProcessRegressor(kernel=kernel, normalize_y=True,
                                        noise=1e-3, optimizer=None)
    return MultiOutputRegressor(template).fit(X, y)


@pytest.mark.parametrize("acq_func", ["EIps", "PIps"])
def test_1d_wrapper_per_second_is_ei_times_expected_inverse_time(timed_pair,
                                                                  acq_func):
    values_model, time_model = timed_pair.estimators_
    point, y_opt = np.array([0.7, 0.3]), 0.2
    value, grad = gaussian_acquisition_1D(point, timed_pair, y_opt, acq_func)
    plain = gaussian_acquisition_1D(point, values_model, y_opt, acq_func[:2],
                                    return_grad=False)
    m, s = time_model.predict(point[None, :], return_std=True)
    np.testing.assert_allclose(value, plain * np.exp(-m + s**2 / 2), rtol=1e-10)
    step = 1e-6
    numeric = [
        (gaussian_acquisition_1D(point + e, timed_pair, y_opt, acq_func, None, False)
         - gaussian_acquisition_1D(point - e, timed_pair, y_opt, acq_func, None,
                                   False))[0] / (2 * step)
        for e in np.eye(2) * step
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-8)
    skopt_acquisition = pytest.importorskip("skopt.acquisition")
    theirs = skopt_acquisition.gaussian_acquisition_1D(point, timed_pair, y_opt,
                                                        acq_func)
    np.testing.assert_allclose(value, theirs[0], rtol=1e-8)
    np.testing.assert_allclose(grad, theirs[1], rtol=1e-6)


def test_1d_wrapper_per_second_needs_a_pair(gp):
    with pytest.raises(ValueError, match="estimators_"):
        gaussian_acquisition_1D(np.array([0.5, 0.5]), gp, 0.0, "EIps")
