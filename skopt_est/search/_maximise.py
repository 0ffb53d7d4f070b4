"""Maximising an acquisition function over a space's model cube.

One round: the acquisition is evaluated on a dense random set of candidates
plus perturbations of the best points seen; the best few are polished with
L-BFGS-B using the surrogate's gradients, with one-hot columns held fixed;
integer and categorical columns are then snapped, and the best point not yet
evaluated wins.

The surrogate is anything with ``X_train_``, ``y_train_`` (standardised),
``length_scale_`` (one per column), ``predict(unit) -> (mu, sigma)`` and,
for polishing, ``predict_with_gradient(unit)``: skopt_est's GP
(``_gp.GaussianProcess``) or a regressor behind ``_surrogates.Regressor``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize

from ..space import Space

__all__ = ["AcquisitionMaximiser", "log_rate"]


def log_rate(surrogate, X: np.ndarray) -> np.ndarray | None:
    """``log E[1/t]`` at ``X`` for a surrogate with a time model (the
    per-second acquisitions add it to log-EI or log-PI), else None."""
    rate = getattr(surrogate, "log_rate", None)
    return None if rate is None else rate(X)


class AcquisitionMaximiser:
    """Candidates, polish and the final pick of one acquisition round.

    Parameters
    ----------
    space : Space
        The search space (its model cube is where the search runs).
    n_points : int
        Random candidates per round (a quarter more are local perturbations).
    n_restarts : int
        Polishing starts drawn among the candidates (plus the incumbent).
    maxiter : int
        L-BFGS-B iterations per start.
    """

    def __init__(self, space: Space, n_points: int, n_restarts: int, maxiter: int):
        self.space = space
        self.n_points = n_points
        self.n_restarts = n_restarts
        self.maxiter = maxiter

    def candidates(self, surrogate, rng: np.random.RandomState) -> np.ndarray:
        """Random model-cube rows, and perturbations of the best points seen."""
        design = rng.uniform(size=(self.n_points, self.space.n_dims))
        random = self.space.design_to_unit(design)
        # local candidates around the best observed points: the global set is
        # too sparse in 6+ dimensions to refine a good basin by itself
        order = np.argsort(surrogate.y_train_)[:5]
        centres = surrogate.X_train_[order]
        n_local = self.n_points // 4
        scale = np.minimum(surrogate.length_scale_, 1.0) * 0.2
        local = centres[rng.randint(len(centres), size=n_local)]
        local = local + rng.normal(size=local.shape) * scale
        categorical = self.space.is_categorical_column
        local[:, categorical] = random[:n_local, categorical]
        return np.vstack([random, self.space.snap(local)])

    def starts(
        self,
        surrogate,
        candidates: np.ndarray,
        values: np.ndarray,
        rng: np.random.RandomState,
    ) -> np.ndarray:
        """Polish starts: the best candidate, the incumbent, and
        ``n_restarts - 1`` candidates drawn with probability proportional to
        ``exp(value)`` (EI itself for log-EI), as Optuna's GP sampler does, so
        that one basin's crowd of candidates cannot take every start."""
        best = int(np.argmax(values))
        weights = np.exp(values - values[best])
        weights[best] = 0.0
        n_drawn = min(self.n_restarts - 1, int(np.count_nonzero(weights > 0)))
        drawn = np.empty(0, dtype=int)
        if n_drawn > 0:
            drawn = rng.choice(
                len(values), size=n_drawn, replace=False, p=weights / weights.sum()
            )
        incumbent = surrogate.X_train_[np.argmin(surrogate.y_train_)]
        return np.vstack([candidates[best], candidates[drawn], incumbent])

    def polish(
        self, surrogate, acquisition: Callable, y_best: float, starts: np.ndarray
    ) -> np.ndarray:
        """L-BFGS-B from every start, one run per start.

        Each start gets its own run, with its own curvature estimate and its
        own stopping test. (One joint run over all starts, a separable sum,
        costs fewer Python calls but stops when the sum stops improving, with
        some starts unconverged: Hartmann6 regret 1.1e-1 joint against 5.9e-2
        separate, zero-mean GP, 30 seeds.) The variables are ``x /
        length_scale`` (Optuna's preconditioning): the acquisition is a
        function of ``x / length_scale``, so in these units its curvature is
        about the same in every direction.
        """
        polished = starts.copy()
        free = ~self.space.is_categorical_column
        if not free.any():
            return polished
        scale = surrogate.length_scale_[free]
        bounds = list(zip(np.zeros_like(scale), 1.0 / scale))
        options = {"maxiter": self.maxiter}
        for row in polished:
            objective = _ScaledAcquisition(
                surrogate, acquisition, y_best, row, free, scale
            )
            result = minimize(
                objective,
                row[free] / scale,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options=options,
            )
            row[free] = np.clip(result.x * scale, 0.0, 1.0)
        return polished

    @staticmethod
    def scorer(surrogate, acquisition: Callable, y_best: float) -> Callable:
        """The acquisition's values at model-cube rows (what ``best_unseen``
        ranks by), with the time model's ``log_rate`` added where there is
        one."""

        def score(X: np.ndarray) -> np.ndarray:
            values = acquisition(*surrogate.predict(X), y_best)[0]
            rate = log_rate(surrogate, X)
            return values if rate is None else values + rate

        return score

    def best_unseen(
        self,
        surrogate,
        score: Callable[[np.ndarray], np.ndarray],
        candidates: np.ndarray,
        values: np.ndarray,
        polished: np.ndarray | None,
        grid: Callable[[], list[list] | None],
        rng: np.random.RandomState,
    ) -> np.ndarray:
        """The best distinct point among the polished starts and the
        candidates, by ``score`` (the acquisition's values at model-cube
        rows; ``values`` are the candidates'); ``grid()`` lists a small finite
        space when every candidate has been evaluated already."""
        order = np.argsort(-values)
        if polished is not None:
            snapped = self.space.snap(polished)
            snapped_values = score(snapped)
            candidates = np.vstack([snapped, candidates[order]])
            values = np.concatenate([snapped_values, values[order]])
            order = np.argsort(-values, kind="stable")
        seen = surrogate.X_train_
        for index in order:
            point = candidates[index]
            if np.min(np.sum((seen - point) ** 2, axis=1)) > 1e-12:
                return point
        points = grid()
        if points is not None:
            units = self.space.to_unit(points)
            distance = ((units[:, None, :] - seen[None, :, :]) ** 2).sum(-1)
            unseen = units[distance.min(axis=1) > 1e-12]
            if len(unseen):
                return unseen[int(np.argmax(score(unseen)))]
        design = rng.uniform(size=(1, self.space.n_dims))
        return self.space.design_to_unit(design)[0]


class _ScaledAcquisition:
    """``-acquisition`` and its gradient at one point, as a function of the
    free columns divided by their length scales (the polish's variables)."""

    def __init__(self, surrogate, acquisition, y_best, row, free, scale):
        self.surrogate, self.acquisition, self.y_best = surrogate, acquisition, y_best
        self.point = row[None, :].copy()
        self.free, self.scale = free, scale

    def __call__(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        self.point[0, self.free] = z * self.scale
        mu, sigma, d_mu, d_sigma = self.surrogate.predict_with_gradient(self.point)
        value, dv_dmu, dv_dsigma = self.acquisition(mu, sigma, self.y_best)
        grad = dv_dmu[0] * d_mu[0] + dv_dsigma[0] * d_sigma[0]
        rate = getattr(self.surrogate, "log_rate_with_gradient", None)
        if rate is not None:  # 'EIps', 'PIps': + log E[1/t]
            rate_value, rate_grad = rate(self.point)
            value, grad = value + rate_value, grad + rate_grad[0]
        return -float(value[0]), -grad[self.free] * self.scale
