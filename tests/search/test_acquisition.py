import numpy as np
import pytest
from scipy.stats import norm

from skopt_est.search._acquisition import (
    GPHedge,
    log_expected_improvement,
    log_probability_of_improvement,
    make_acquisition,
    negative_lower_confidence_bound,
)

MU = np.array([-1.0, 0.0, 0.5, 3.0, 8.0])
SIGMA = np.array([0.5, 1.0, 0.2, 1.0, 1.0])


def test_log_ei_matches_closed_form():
    value, _, _ = log_expected_improvement(MU, SIGMA, y_best=0.0, xi=0.0)
    z = -MU / SIGMA
    expected = np.log(SIGMA * (z * norm.cdf(z) + norm.pdf(z)))
    np.testing.assert_allclose(value, expected, rtol=1e-10)


def test_log_ei_is_finite_and_monotone_far_from_incumbent():
    mu = np.array([10.0, 40.0, 1e3, 1e5])
    value, d_mu, d_sigma = log_expected_improvement(mu, np.ones(4), y_best=0.0, xi=0.0)
    assert np.all(np.isfinite(value)) and np.all(np.diff(value) < 0)
    assert np.all(d_mu < 0) and np.all(d_sigma > 0)


@pytest.mark.parametrize(
    "function",
    [
        log_expected_improvement,
        log_probability_of_improvement,
        negative_lower_confidence_bound,
    ],
)
def test_acquisition_gradients_match_finite_differences(function):
    value, d_mu, d_sigma = function(MU, SIGMA, 0.0, 0.01)
    eps = 1e-7
    np.testing.assert_allclose(
        (function(MU + eps, SIGMA, 0.0, 0.01)[0] - value) / eps, d_mu, rtol=1e-4
    )
    np.testing.assert_allclose(
        (function(MU, SIGMA + eps, 0.0, 0.01)[0] - value) / eps,
        d_sigma,
        rtol=1e-4,
        atol=1e-6,
    )


def test_log_pi_matches_closed_form():
    value, _, _ = log_probability_of_improvement(MU, SIGMA, 0.0, 0.1)
    np.testing.assert_allclose(value, norm.logcdf((-0.1 - MU) / SIGMA))


def test_lcb_prefers_low_mean_and_high_sigma():
    value, _, _ = negative_lower_confidence_bound(
        np.array([0.0, 0.0, -1.0]), np.array([1.0, 2.0, 1.0]), kappa=1.0
    )
    assert value[1] > value[0] and value[2] > value[0]


def test_make_acquisition_binds_kappa():
    acquisition = make_acquisition("LCB", {"kappa": 3.0})
    value, _, _ = acquisition(np.zeros(1), np.ones(1), 0.0)
    assert value[0] == 3.0


def test_gp_hedge_favours_member_with_largest_gain():
    hedge = GPHedge()
    np.testing.assert_allclose(hedge.probabilities(), 1 / 3)
    hedge.update(np.array([-3.0, 0.0, 1.0]))
    probabilities = hedge.probabilities()
    assert probabilities.argmax() == 0 and probabilities.sum() == pytest.approx(1)
    rng = np.random.RandomState(0)
    picks = [hedge.choose(rng) for _ in range(200)]
    assert np.mean(np.array(picks) == 0) > 0.8


def test_hedge_portfolio_members_are_log_ei_with_their_xi():
    from skopt_est.search._acquisition import HEDGE_PORTFOLIO, bind_acquisition

    assert {name for name, _ in HEDGE_PORTFOLIO} == {"EI"}
    for name, xi in HEDGE_PORTFOLIO:
        value = bind_acquisition(name, xi)(MU, SIGMA, 0.0)[0]
        expected = log_expected_improvement(MU, SIGMA, 0.0, xi)[0]
        np.testing.assert_allclose(value, expected)


def test_gp_hedge_sizes_gains_to_its_portfolio():
    hedge = GPHedge(n_members=4)
    np.testing.assert_allclose(hedge.probabilities(), 0.25)
    hedge.update(np.array([0.0, 0.0, 0.0, -5.0]))
    assert hedge.choose(np.random.RandomState(0)) == 3
