"""The learning GP and its kernels: gradients in x against finite
differences, noise handling, and the Hamming kernel."""

import numpy as np
import pytest
from sklearn.gaussian_process import kernels as sk

from skopt_est.learning import GaussianProcessRegressor
from skopt_est.learning.gaussian_process import kernels

RNG = np.random.RandomState(0)
X_TRAIN = RNG.uniform(size=(12, 2))
Y_TRAIN = np.sin(4 * X_TRAIN[:, 0]) + X_TRAIN[:, 1] ** 2

KERNELS = [
    kernels.RBF(length_scale=[0.3, 0.7]),
    kernels.Matern(length_scale=[0.3, 0.7], nu=0.5),
    kernels.Matern(length_scale=0.4, nu=1.5),
    kernels.Matern(length_scale=[0.3, 0.7], nu=2.5),
    kernels.Matern(length_scale=0.4, nu=np.inf),
    kernels.Matern(length_scale=0.4, nu=0.7),  # finite differences
    kernels.RationalQuadratic(length_scale=0.5, alpha=0.8),
    kernels.ExpSineSquared(length_scale=0.5, periodicity=2.0),
    kernels.DotProduct(sigma_0=0.5),
    kernels.ConstantKernel(2.0) * kernels.Matern(length_scale=0.5)
    + kernels.WhiteKernel(),
    kernels.RBF(0.5) ** 2,
    2.0 * sk.RBF(0.5) + sk.DotProduct(),  # scikit-learn's own kernels
]


def numerical_gradient(function, x, step=1e-6):
    columns = []
    for j in range(len(x)):
        up, down = x.copy(), x.copy()
        up[j] += step
        down[j] -= step
        columns.append((function(up) - function(down)) / (2 * step))
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("kernel", KERNELS, ids=repr)
def test_kernel_gradient_in_x_matches_finite_differences(kernel):
    from skopt_est.learning.gaussian_process._gradient import kernel_gradient_x

    x = np.array([0.41, 0.62])
    analytic = kernel_gradient_x(kernel, x, X_TRAIN)
    numeric = numerical_gradient(lambda z: kernel(z[None, :], X_TRAIN)[0], x)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)
    if hasattr(kernel, "gradient_x"):
        np.testing.assert_allclose(kernel.gradient_x(x, X_TRAIN), analytic)


def test_kernel_algebra_stays_in_the_module():
    composite = 2.0 * kernels.RBF() + kernels.WhiteKernel()
    assert isinstance(composite, kernels.Sum)
    assert isinstance(composite.k1, kernels.Product)
    assert isinstance(kernels.RBF() ** 2, kernels.Exponentiation)


@pytest.mark.parametrize("kernel", [None, KERNELS[3], KERNELS[8]], ids=repr)
@pytest.mark.parametrize("normalize_y", [False, True])
def test_mean_and_std_gradients_match_finite_differences(kernel, normalize_y):
    gp = GaussianProcessRegressor(kernel=kernel, normalize_y=normalize_y,
                                  noise="gaussian", random_state=0)
    gp.fit(X_TRAIN, 3 * Y_TRAIN + 5)
    x = np.array([0.33, 0.58])
    mean, std, mean_grad, std_grad = gp.predict(
        x[None, :], return_std=True, return_mean_grad=True, return_std_grad=True)
    np.testing.assert_allclose(mean, gp.predict(x[None, :]))
    np.testing.assert_allclose(
        mean_grad, numerical_gradient(lambda z: gp.predict(z[None, :])[0], x),
        rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(
        std_grad,
        numerical_gradient(lambda z: gp.predict(z[None, :], return_std=True)[1][0], x),
        rtol=1e-4, atol=1e-6)
    assert len(gp.predict(x[None, :], return_mean_grad=True)) == 2
    assert len(gp.predict(x[None, :], return_std=True, return_mean_grad=True)) == 3


def test_gaussian_noise_is_fitted_and_left_out_of_predictions():
    rng = np.random.RandomState(1)
    X = rng.uniform(size=(60, 1))
    y = np.sin(5 * X[:, 0]) + 0.1 * rng.normal(size=60)
    kernel = kernels.ConstantKernel() * kernels.Matern(nu=2.5)
    gp = GaussianProcessRegressor(kernel=kernel, noise="gaussian").fit(X, y)
    assert gp.kernel is kernel  # the parameter is left as given
    assert 0.003 < gp.noise_ < 0.03  # the true noise variance is 0.01
    _, std = gp.predict(X[:5], return_std=True)
    assert np.all(std < 0.1)  # the noise-free function is known better than y
    fixed = GaussianProcessRegressor(kernel=kernel, noise=0.05).fit(X, y)
    assert fixed.noise_ == pytest.approx(0.05)
    assert GaussianProcessRegressor().fit(X, y).noise_ is None
    with pytest.raises(ValueError, match="noise"):
        GaussianProcessRegressor(noise="poisson").fit(X, y)


def test_gradient_requests_are_checked():
    gp = GaussianProcessRegressor().fit(X_TRAIN, Y_TRAIN)
    with pytest.raises(ValueError, match="one point"):
        gp.predict(X_TRAIN[:2], return_mean_grad=True)
    with pytest.raises(ValueError, match="return_std_grad"):
        gp.predict(X_TRAIN[:1], return_std_grad=True)
    with pytest.raises(ValueError, match="Fit"):
        GaussianProcessRegressor().predict(X_TRAIN[:1], return_mean_grad=True)
    # unfitted: the prior, as scikit-learn's
    mean, std = GaussianProcessRegressor().predict(X_TRAIN[:3], return_std=True)
    np.testing.assert_allclose(mean, 0.0)
    np.testing.assert_allclose(std, 1.0)


def test_hamming_kernel_counts_mismatches():
    kernel = kernels.HammingKernel(length_scale=[0.5, 2.0])
    A = np.array([[0, 1], [1, 1], [0, 0]])
    K = kernel(A)
    np.testing.assert_allclose(np.diag(K), 1.0)
    assert K[0, 1] == pytest.approx(np.exp(-0.5))
    assert K[0, 2] == pytest.approx(np.exp(-2.0))
    assert K[1, 2] == pytest.approx(np.exp(-2.5))
    _, gradient = kernel(A, eval_gradient=True)
    theta = kernel.theta.copy()

    def matrix(t):
        return kernel.clone_with_theta(t)(A)

    numeric = numerical_gradient(matrix, theta)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)
    isotropic = kernels.HammingKernel(length_scale=1.5)
    _, gradient = isotropic(A, eval_gradient=True)
    assert gradient.shape == (3, 3, 1)
    np.testing.assert_allclose(
        gradient[..., 0],
        numerical_gradient(lambda t: isotropic.clone_with_theta(t)(A),
                           isotropic.theta)[..., 0],
        rtol=1e-5, atol=1e-8)
    one_hot = np.eye(3)[np.random.RandomState(0).randint(3, size=10)]
    hamming = kernels.HammingKernel(np.ones(3))
    gp = GaussianProcessRegressor(kernel=hamming, optimizer=None)
    assert gp.fit(one_hot, one_hot @ [1.0, 2.0, 3.0]).predict(one_hot).shape == (10,)
