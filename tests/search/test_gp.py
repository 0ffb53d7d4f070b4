import numpy as np
import pytest

from skopt_est.search._gp import GaussianProcess, _log_prior


@pytest.fixture(scope="module")
def fitted_gp():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(25, 3))
    y = np.sin(6 * X[:, 0]) + X[:, 1] ** 2  # third column is irrelevant
    return GaussianProcess(3, np.random.RandomState(0)).fit(X, y), X, y


def test_gp_interpolates_noise_free_data(fitted_gp):
    gp, X, y = fitted_gp
    mu, sigma = gp.predict(X)
    np.testing.assert_allclose(mu, gp.standardise(y), atol=0.05)
    assert np.all(sigma < 0.1)


def test_gp_ard_switches_off_irrelevant_dimension(fitted_gp):
    gp = fitted_gp[0]
    assert gp.length_scale_[2] > 2 * gp.length_scale_[0]


def test_gp_gradients_match_finite_differences(fitted_gp):
    gp = fitted_gp[0]
    Q = np.random.RandomState(1).uniform(size=(5, 3))
    mu, sigma, d_mu, d_sigma = gp.predict_with_gradient(Q)
    eps = 1e-6
    for j in range(3):
        shifted = Q.copy()
        shifted[:, j] += eps
        mu2, sigma2 = gp.predict(shifted)
        np.testing.assert_allclose((mu2 - mu) / eps, d_mu[:, j], rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(
            (sigma2 - sigma) / eps, d_sigma[:, j], rtol=1e-3, atol=1e-4
        )


def test_gp_handles_duplicate_points():
    X = np.array([[0.1, 0.2], [0.1, 0.2], [0.5, 0.5], [0.9, 0.1]])
    y = np.array([1.0, 1.1, 0.0, 2.0])
    gp = GaussianProcess(2, np.random.RandomState(0)).fit(X, y)
    mu, sigma = gp.predict(X)
    assert np.all(np.isfinite(mu)) and np.all(np.isfinite(sigma))


def test_gp_fantasize_shrinks_uncertainty_at_new_point(fitted_gp):
    gp = fitted_gp[0]
    x_new = np.array([[0.99, 0.01, 0.5]])
    _, sigma_before = gp.predict(x_new)
    _, sigma_after = gp.fantasize(x_new, [0.0]).predict(x_new)
    assert sigma_after[0] < 0.5 * sigma_before[0]
    assert gp.X_train_.shape[0] == 25  # original untouched


def test_gp_warm_start_reuses_hyperparameters(fitted_gp):
    gp, X, y = fitted_gp
    theta = gp.theta_.copy()
    gp2 = GaussianProcess(3, np.random.RandomState(0))
    gp2.theta_ = theta
    gp2.fit(X, y)
    np.testing.assert_allclose(gp2.theta_, theta, atol=0.2)


def test_log_prior_gradient_matches_finite_differences():
    theta = np.array([0.3, -1.0, 0.5, -5.0])
    value, grad = _log_prior(theta)
    eps = 1e-7
    numeric = [
        (_log_prior(theta + eps * np.eye(4)[i])[0] - value) / eps for i in range(4)
    ]
    np.testing.assert_allclose(grad, numeric, rtol=1e-4)


def test_map_objective_matches_sklearn_log_marginal_likelihood():
    from sklearn.gaussian_process import GaussianProcessRegressor

    from skopt_est.search._gp import _MAPObjective

    rng = np.random.RandomState(3)
    X = rng.uniform(size=(15, 3))
    y = rng.normal(size=15)
    gp = GaussianProcess(3, rng)
    gpr = GaussianProcessRegressor(gp._kernel(None), alpha=1e-10, optimizer=None)
    gpr.fit(X, y)
    objective = _MAPObjective(X, y)
    for theta in (gpr.kernel_.theta, np.array([0.7, -1.5, 0.3, 2.0, -3.0])):
        lml, lml_grad = gpr.log_marginal_likelihood(theta, eval_gradient=True)
        prior, prior_grad = _log_prior(theta)
        value, grad = objective(theta)
        assert value == pytest.approx(-(lml + prior), rel=1e-10)
        np.testing.assert_allclose(grad, -(lml_grad + prior_grad), rtol=1e-7, atol=1e-9)


def test_map_objective_profiles_out_the_gls_constant_mean():
    from scipy.optimize import approx_fprime
    from sklearn.gaussian_process import GaussianProcessRegressor

    from skopt_est.search._gp import _MAPObjective

    rng = np.random.RandomState(4)
    X = rng.uniform(size=(12, 2))
    y = rng.normal(size=12) + 3.0
    gp = GaussianProcess(2, rng)
    objective = _MAPObjective(X, y, fit_mean=True)
    theta = np.array([0.2, -1.0, 0.5, -4.0])
    gpr = GaussianProcessRegressor(gp._kernel(None), alpha=1e-10, optimizer=None)
    gpr.fit(X, y)
    K = gpr.kernel_.clone_with_theta(theta)(X) + 1e-10 * np.eye(12)
    ones = np.ones(12)
    mean = ones @ np.linalg.solve(K, y) / (ones @ np.linalg.solve(K, ones))
    gpr.fit(X, y - mean)
    lml = gpr.log_marginal_likelihood(theta)
    value, grad = objective(theta)
    assert value == pytest.approx(-(lml + _log_prior(theta)[0]), rel=1e-9)
    # the gradient taken at the mean held fixed is the profile's gradient
    numeric = approx_fprime(theta, lambda t: objective(t)[0], 1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-5)


def test_prior_mean_discounts_crowded_good_points():
    rng = np.random.RandomState(5)
    # a cluster of good (low) values and a few bad ones spread out: the plain
    # average is pulled down by the cluster, the GLS mean is not
    crowd = 0.3 + 0.02 * rng.normal(size=(12, 2))
    spread = rng.uniform(size=(6, 2))
    X = np.clip(np.vstack([crowd, spread]), 0, 1)
    y = np.concatenate([-5.0 + 0.1 * rng.normal(size=12), np.zeros(6)])
    gp = GaussianProcess(2, rng).fit(X, y)
    assert gp.prior_mean_ > 0.0  # above the standardised average
    far_mean, _ = gp.predict(np.array([[1.0, 1.0]]))
    assert far_mean[0] > 0.0


def test_output_warp_is_monotone_standardised_and_draws_in_a_long_tail():
    from scipy.stats import skew

    from skopt_est.search._gp import OutputWarp

    rng = np.random.RandomState(6)
    y = np.concatenate([rng.normal(size=35), [40.0, 80.0, 300.0]])  # diverged fits
    warp = OutputWarp().fit(y)
    z = warp.transform(y)
    assert z.mean() == pytest.approx(0.0, abs=1e-12)
    assert z.std() == pytest.approx(1.0)
    assert np.all(np.diff(z[np.argsort(y)]) > 0)  # order kept
    assert abs(skew(z)) < 0.6 * abs(skew(y))
    # the ordinary values keep a useful spread instead of collapsing together
    assert np.std(z[:35]) > 5 * np.std(((y - y.mean()) / y.std())[:35])


def test_output_warp_of_constant_values_is_finite():
    from skopt_est.search._gp import OutputWarp

    warp = OutputWarp().fit(np.full(5, 2.0))
    np.testing.assert_array_equal(warp.transform([2.0, 2.0]), [0.0, 0.0])
    assert np.all(np.isfinite(warp.transform([1.0, 3.0])))


def test_matern52_is_sklearns_matern_and_its_slope_is_the_derivative():
    from sklearn.gaussian_process.kernels import Matern

    from skopt_est.search._gp import _matern52

    rng = np.random.RandomState(7)
    X, Z = rng.uniform(size=(6, 2)), rng.uniform(size=(4, 2))
    length = np.array([0.3, 0.8])
    sq_dist = (((X[:, None, :] - Z[None, :, :]) / length) ** 2).sum(-1)
    correlation, slope = _matern52(sq_dist, with_slope=True)
    np.testing.assert_allclose(
        correlation, Matern(length_scale=length, nu=2.5)(X, Z), rtol=1e-12
    )
    eps = 1e-7
    numeric = (_matern52(sq_dist + eps)[0] - correlation) / eps
    np.testing.assert_allclose(numeric, -(5.0 / 6.0) * slope, rtol=1e-4, atol=1e-7)
    assert _matern52(np.zeros(1))[0][0] == 1.0


def test_predict_and_predict_with_gradient_share_one_posterior(fitted_gp):
    gp = fitted_gp[0]
    Q = np.random.RandomState(2).uniform(size=(7, 3))
    mu, sigma = gp.predict(Q)
    mu_g, sigma_g, _, _ = gp.predict_with_gradient(Q)
    np.testing.assert_allclose(mu, mu_g, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sigma, sigma_g, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("tail", [[], [40.0, 80.0, 300.0], [-300.0, -50.0]])
def test_output_warp_inverse_transform_round_trips(tail):
    from skopt_est.search._gp import OutputWarp

    y = np.concatenate([np.random.RandomState(8).normal(size=20), tail])
    warp = OutputWarp().fit(y)
    np.testing.assert_allclose(warp.inverse_transform(warp.transform(y)), y, atol=1e-8)


def test_predict_objective_is_in_the_objectives_units(fitted_gp):
    gp, X, y = fitted_gp
    np.testing.assert_allclose(gp.predict_objective(X), y, atol=0.05)


def test_copy_is_a_snapshot_that_later_fits_leave_alone(fitted_gp):
    _, X, y = fitted_gp
    gp = GaussianProcess(3, np.random.RandomState(0)).fit(X[:10], y[:10])
    snapshot = gp.copy()
    before = snapshot.predict(X)[0].copy()
    gp.fit(X, y)
    assert len(snapshot.X_train_) == 10 and len(gp.X_train_) == 25
    np.testing.assert_array_equal(snapshot.predict(X)[0], before)
