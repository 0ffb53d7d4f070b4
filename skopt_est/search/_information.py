"""MES and PVRS: acquisitions judged on a whole set of candidates.

Both score a point by what observing it would tell about the minimum, and
both need the whole candidate set of a round: max-value entropy search
(MES) takes the distribution of the best value over the set, predictive
variance reduction search (PVRS) takes likely locations of the minimum
from posterior draws on the set. Neither has a gradient, so the optimizer
takes the best candidate without polishing. Each class has ``values(
surrogate, X, y_best, rng)``, higher is better; ``surrogate`` is one of the
optimizer's (``_gp.GaussianProcess`` or ``_surrogates.Regressor``).

MES's formula is ``skopt_est.acquisition.max_value_entropy``, which
``gaussian_mes`` uses too.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import LinAlgError, cholesky

from ..acquisition import max_value_entropy

__all__ = ["MaxValueEntropy", "VarianceReduction"]


class MaxValueEntropy:
    """MES on the surrogate's mean and standard deviation at the candidates.

    The minimum values are the Gumbel law's quantiles at ``n_min_samples``
    evenly spread levels, ``(k + 1/2) / n``, instead of scikit-optimize's
    uniform draws: the same expectation without the draws' noise, and a
    round that does not consume the random stream.

    Parameters
    ----------
    n_min_samples : int, default=1000
        Levels of the minimum value's law averaged over.
    """

    def __init__(self, n_min_samples: int = 1000):
        if int(n_min_samples) < 1:
            raise ValueError(
                f"n_min_samples={n_min_samples!r} must be a positive integer."
            )
        n = int(n_min_samples)
        self.quantiles = (np.arange(n) + 0.5) / n

    def values(self, surrogate, X, y_best, rng) -> np.ndarray:
        """MES of each row of ``X`` (model cube), higher is better."""
        mu, sigma = surrogate.predict(X)
        return max_value_entropy(mu, sigma, self.quantiles)


class VarianceReduction:
    """PVRS (Nguyen et al., 2017) with the surrogate's posterior covariance.

    ``n_thompson`` joint posterior draws on the ``n_sampled`` candidates
    with the lowest ``mu - 3 sigma`` (the only ones a draw's minimum can
    plausibly fall on; drawing on all of them costs a cubic factorisation
    of the whole set) give as many likely locations ``t`` of the minimum,
    each draw's argmin. A candidate ``x`` scores the posterior variance its
    observation would remove at those locations, ``sum_t cov(t, x)**2 /
    (var(x) + noise)``. The surrogate must have ``posterior_covariance(A,
    B)``: skopt_est's GP, or a regressor answering ``predict(X,
    return_cov=True)`` (a Gaussian process).

    Parameters
    ----------
    n_thompson : int, default=10
        Posterior draws.
    n_sampled : int, default=300
        Candidates the draws are taken on.
    """

    def __init__(self, n_thompson: int = 10, n_sampled: int = 300):
        if int(n_thompson) < 1:
            raise ValueError(f"n_thompson={n_thompson!r} must be a positive integer.")
        self.n_thompson = int(n_thompson)
        self.n_sampled = int(n_sampled)

    def likely_minima(self, surrogate, X, rng) -> np.ndarray:
        """The argmin of each posterior draw on the most promising rows."""
        mu, sigma = surrogate.predict(X)
        promising = X[np.argsort(mu - 3.0 * sigma)[: self.n_sampled]]
        mean = surrogate.predict(promising)[0]
        cov = surrogate.posterior_covariance(promising, promising)
        factor = _cholesky_with_jitter(cov)
        normals = rng.standard_normal((len(promising), self.n_thompson))
        draws = mean[:, None] + factor @ normals
        return promising[np.argmin(draws, axis=0)]

    def values(self, surrogate, X, y_best, rng) -> np.ndarray:
        """PVRS of each row of ``X`` (model cube), higher is better."""
        minima = self.likely_minima(surrogate, X, rng)
        covariance = surrogate.posterior_covariance(minima, X)
        variance = surrogate.predict(X)[1] ** 2 + getattr(surrogate, "noise_", 0.0)
        return np.sum(covariance**2, axis=0) / np.maximum(variance, 1e-300)


def _cholesky_with_jitter(cov: np.ndarray) -> np.ndarray:
    """A lower Cholesky factor of ``cov`` plus the smallest diagonal jitter
    (1e-10 to 1e-2 of its mean variance) that makes it succeed."""
    scale = max(float(np.mean(np.diag(cov))), 1e-300)
    identity = np.eye(len(cov))
    for jitter in (1e-10, 1e-8, 1e-6, 1e-4, 1e-2):
        try:
            return cholesky(cov + jitter * scale * identity, lower=True,
                            check_finite=False)
        except LinAlgError:
            continue
    raise LinAlgError("the posterior covariance of the candidates is not "
                      "positive definite even with jitter.")


# name -> (class, the acq_func_kwargs key it takes, default)
SET_ACQUISITIONS = {
    "MES": (MaxValueEntropy, "n_min_samples", 1000),
    "PVRS": (VarianceReduction, "n_thompson", 10),
}


def make_set_acquisition(name: str, acq_func_kwargs: dict):
    """``name``'s set acquisition with its size from ``acq_func_kwargs``."""
    cls, keyword, default = SET_ACQUISITIONS[name]
    return cls(acq_func_kwargs.get(keyword, default))
