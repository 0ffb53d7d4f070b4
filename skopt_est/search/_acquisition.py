"""Acquisition functions as pure functions of the GP posterior.

Conventions: the objective is **minimised**; ``mu`` and ``sigma`` are the
posterior mean and standard deviation of the latent function, in standardised
units (the GP's outputs have zero mean and unit variance), shape ``(n,)``;
``y_best`` is the lowest standardised observation. Every function returns
``(value, d_value/d_mu, d_value/d_sigma)``, with ``value`` to be
**maximised**, so the optimizer can chain the derivatives with the GP's
``d_mu/dx`` and ``d_sigma/dx``.

EI and PI are returned as logarithms. Plain EI underflows to exactly 0 a few
standard deviations away from the incumbent, leaving L-BFGS-B a flat surface;
log-EI (Ament et al., "Unexpected improvements to expected improvement for
Bayesian optimization", NeurIPS 2023) stays informative there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from scipy.special import erfcx, log_ndtr, ndtr

from ..acquisition import max_value_entropy
from ._information import make_set_acquisition
from ._surrogates import Regressor

_SQRT_HALF_PI = np.sqrt(np.pi / 2)
_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)
_SIGMA_FLOOR = 1e-12

Acquisition = Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]


def _log_h(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log(h(z)) with h(z) = phi(z) + z * Phi(z), and phi/h, Phi/h.

    For z < 0, h(z) = phi(z) * (1 - |z| * Phi(z)/phi(z)) and the ratio
    Phi(z)/phi(z) = sqrt(pi/2) * erfcx(-z/sqrt(2)) is finite for every z, so
    neither factor underflows. Beyond |z| = 1e4 the bracket loses precision
    and its asymptote 1/z**2 is used.
    """
    z = np.asarray(z, dtype=float)
    log_phi = -0.5 * z**2 - _LOG_SQRT_2PI
    # z <= 0: h = phi * bracket, bracket = 1 + z * Phi/phi in (0, 1]
    z_neg = np.minimum(z, 0.0)
    ratio = _SQRT_HALF_PI * erfcx(-z_neg / np.sqrt(2))
    bracket = np.where(
        z_neg < -1e4, 1.0 / np.maximum(z_neg**2, 1.0), 1.0 + z_neg * ratio
    )
    # z > 0: h >= z * Phi(z) >= z / 2, no underflow
    z_pos = np.maximum(z, 0.0)
    h_pos = np.exp(-0.5 * z_pos**2 - _LOG_SQRT_2PI) + z_pos * ndtr(z_pos)
    positive = z > 0
    log_h = np.where(positive, np.log(h_pos), log_phi + np.log(bracket))
    phi_over_h = np.where(positive, np.exp(log_phi - log_h), 1.0 / bracket)
    Phi_over_h = np.where(positive, ndtr(z_pos) / h_pos, ratio / bracket)
    return log_h, phi_over_h, Phi_over_h


def log_expected_improvement(
    mu: np.ndarray, sigma: np.ndarray, y_best: float, xi: float = 0.01
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log E[max(y_best - xi - f, 0)] and its derivatives in mu and sigma."""
    sigma = np.maximum(sigma, _SIGMA_FLOOR)
    z = (y_best - xi - mu) / sigma
    log_h, phi_over_h, Phi_over_h = _log_h(z)
    value = np.log(sigma) + log_h
    # EI = sigma * h(z);  dEI/dmu = -Phi(z), dEI/dsigma = phi(z)
    d_mu = -Phi_over_h / sigma
    d_sigma = phi_over_h / sigma
    return value, d_mu, d_sigma


def log_probability_of_improvement(
    mu: np.ndarray, sigma: np.ndarray, y_best: float, xi: float = 0.01
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log P[f < y_best - xi] and its derivatives in mu and sigma."""
    sigma = np.maximum(sigma, _SIGMA_FLOOR)
    z = (y_best - xi - mu) / sigma
    value = log_ndtr(z)
    # d log Phi(z)/dz = phi(z)/Phi(z) = exp(log_phi - log_Phi)
    mills = np.exp(-0.5 * z**2 - _LOG_SQRT_2PI - value)
    return value, -mills / sigma, -mills * z / sigma


def negative_lower_confidence_bound(
    mu: np.ndarray, sigma: np.ndarray, y_best: float = 0.0, kappa: float = 1.96
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-(mu - kappa * sigma), the lower confidence bound to maximise."""
    value = kappa * sigma - mu
    return value, -np.ones_like(value), np.full_like(value, kappa)


# name -> (function, the keyword it takes from acq_func_kwargs)
_ACQUISITION_FUNCTIONS: dict[str, tuple[Acquisition, str]] = {
    "EI": (log_expected_improvement, "xi"),
    "PI": (log_probability_of_improvement, "xi"),
    "LCB": (negative_lower_confidence_bound, "kappa"),
}
# EI's xi defaults to 0 (scikit-optimize: 0.01): xi is in standardised units
# here, and 0.01 of the spread of y hides the small improvements that decide
# the final regret (Branin geometric-mean regret 1.2e-2 with 0.01, 1.1e-4
# with 0; benchmarks/bench_search.py). PI keeps 0.01: with 0 it only
# re-samples the incumbent's neighbourhood.
_DEFAULTS = {"EI": 0.0, "PI": 0.01, "LCB": 1.96}
HEDGE = "gp_hedge"
ACQ_FUNC_NAMES = frozenset([*_ACQUISITION_FUNCTIONS, HEDGE])
# gp_hedge's portfolio, (name, xi or kappa): log-EI at three small levels of
# exploration. scikit-optimize's portfolio (EI, PI, LCB with kappa 1.96) spends
# about two rounds in three on members that exploit too little or too much
# for a 30-evaluation budget (geometric-mean regret 10-30x EI's alone). With
# every member a log-EI the hedge chooses between degrees of exploitation, not
# between good and bad members. xi is in the GP's standardised units; with
# plain standardisation xi = 0.01 already forbids the last improvements on
# Branin, whose standard deviation is about 50 raw units. Geometric-mean
# regret at 40 evaluations, 30 seeds (benchmarks/bench_search.py problems;
# Branin / Hartmann6 / mixed), with plain standardised outputs, then with the
# output warp of _gp.OutputWarp:
#                             standardised              warped
#   EI alone                  6.4e-5 / 3.7e-3 / 2.2e-5  4.8e-5 / 9.5e-4 / 2.5e-6
#   EI xi = 0, 0.001, 0.01    1.9e-4 / 6.2e-3 / 1.7e-5  7.2e-5 / 1.1e-3 / 3.4e-6
#   EI xi = 0, 1e-4, 1e-3     7.5e-5 / 5.5e-3 / 1.4e-5  8.3e-5 / 9.4e-4 / 2.9e-6
# The last is kept: best or level within the seed-to-seed spread in both.
# (Optuna's GP sampler on the same seeds: 1.5e-4 / 4.7e-2 / 2.0e-5.)
HEDGE_PORTFOLIO: tuple[tuple[str, float], ...] = (
    ("EI", 0.0),
    ("EI", 1e-4),
    ("EI", 1e-3),
)


def make_acquisition(name: str, acq_func_kwargs: dict) -> Acquisition:
    """Bind an acquisition function to its ``xi`` or ``kappa`` from kwargs."""
    keyword = _ACQUISITION_FUNCTIONS[name][1]
    return bind_acquisition(name, acq_func_kwargs.get(keyword, _DEFAULTS[name]))


def bind_acquisition(name: str, value: float) -> Acquisition:
    """``name``'s acquisition function with its ``xi`` or ``kappa`` set to
    ``value``: a ``functools.partial`` of a module-level function, so an
    ``Optimizer`` holding it can be pickled."""
    function, keyword = _ACQUISITION_FUNCTIONS[name]
    return functools.partial(function, **{keyword: value})


def acquisition_on(surrogate, X, name: str, acq_func_kwargs: dict, posterior):
    """The optimizer's acquisition ``name`` at model-cube rows ``X``, to be
    maximised (what ``plot_gaussian_process`` draws).

    ``posterior`` is ``(mu, sigma, y_best)`` at ``X`` in the units the
    acquisition reads (standardised for skopt_est's GP, the objective's for
    a regressor). log-EI, log-PI ('EIps', 'PIps': plus the time model's
    ``log E[1/t]`` where ``surrogate`` has one), LCB, or MES or PVRS judged on
    ``X`` as their candidate set (PVRS's draws seeded 0).
    """
    mu, sigma, y_best = posterior
    if name == "MES":
        quantiles = make_set_acquisition(name, acq_func_kwargs).quantiles
        return max_value_entropy(mu, sigma, quantiles)
    if name == "PVRS":
        if not hasattr(surrogate, "posterior_covariance"):  # a fitted regressor
            surrogate = Regressor.fitted(surrogate, X, mu)
        pvrs = make_set_acquisition(name, acq_func_kwargs)
        return pvrs.values(surrogate, X, y_best, np.random.RandomState(0))
    per_second = name in ("EIps", "PIps")
    function = make_acquisition(name[:-2] if per_second else name, acq_func_kwargs)
    values = function(mu, sigma, y_best)[0]
    log_rate = getattr(surrogate, "log_rate", None)
    return values + log_rate(X) if per_second and log_rate else values


class GPHedge:
    """Softmax portfolio over acquisition functions (Hoffman, Brochu & de
    Freitas, 2011).

    Each round every member proposes its own maximiser; one proposal is
    drawn with probability ``softmax(eta * gains)``. After the next surrogate
    fit each member's gain grows by minus the standardised posterior mean at
    its last proposal, so members whose picks the model now rates well are
    chosen more often.

    Parameters
    ----------
    n_members : int, default=3
        Size of the portfolio.
    eta : float, default=1.0
        Inverse temperature of the softmax.
    """

    def __init__(self, n_members: int = 3, eta: float = 1.0):
        self.eta = eta
        self.gains = np.zeros(n_members)

    def probabilities(self) -> np.ndarray:
        """Softmax of ``eta * gains``."""
        logits = self.eta * (self.gains - self.gains.max())
        weights = np.exp(logits)
        return weights / weights.sum()

    def choose(self, rng: np.random.RandomState) -> int:
        """Index of the member whose proposal is used this round."""
        return int(rng.choice(len(self.gains), p=self.probabilities()))

    def update(self, mu_at_proposals: np.ndarray) -> None:
        """Add ``-mu`` at each member's previous proposal to its gain."""
        self.gains = self.gains - np.asarray(mu_at_proposals, dtype=float)
