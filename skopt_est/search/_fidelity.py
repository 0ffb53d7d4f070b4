"""Where new Hyperband candidates come from: one GP ``Optimizer`` per rung resource.

Every finished rung tells its scores to the optimizer of its resource. A
bracket's new candidates are asked (constant liar) from the optimizer of the
largest resource that has fitted its surrogate, that is, has seen at least
``n_initial_points`` results, as BOHB models the largest budget with enough
observations; before any has, they are drawn from the space's prior. Once a
surrogate proposes, each new candidate is still drawn from the prior with
probability ``random_fraction`` (BOHB's rule, there 1/3), so that a surrogate
fitted on few or low-fidelity results cannot narrow the search for good.
Scores of different resources are never mixed in one surrogate: a setting
that is good after 2 epochs need not be good after 200, and the top rung's
model takes over as soon as it has enough points.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

from ._optimizer import Optimizer


class RungOptimizers:
    """One ``Optimizer`` per resource level, created on first use."""

    def __init__(self, space, optimizer_params: dict, rng: np.random.RandomState,
                 random_fraction: float = 0.0):
        self.space = space
        self.optimizer_params = optimizer_params
        self.rng = rng
        self.random_fraction = random_fraction
        self.by_resource: dict[int, Optimizer] = {}

    def _optimizer(self, n_resources: int) -> Optimizer:
        if n_resources not in self.by_resource:
            self.by_resource[n_resources] = Optimizer(
                self.space,
                random_state=self.rng.randint(2**31 - 1),
                **self.optimizer_params,
            )
        return self.by_resource[n_resources]

    def tell(self, n_resources: int, points: list, scores) -> None:
        """Record ``scores`` (maximised) of ``points`` at ``n_resources``."""
        values = [-float(s) for s in scores]
        self._optimizer(n_resources).tell([list(p) for p in points], values)

    def model_resource(self) -> int | None:
        """The largest resource whose optimizer has a fitted surrogate."""
        fitted = [
            r
            for r, opt in self.by_resource.items()
            if len(opt.yi) >= max(opt.n_initial_points, 2)
            and np.isfinite(np.asarray(opt.yi, dtype=float)).any()
        ]
        return max(fitted) if fitted else None

    def ask(self, n_points: int) -> list[list]:
        """``n_points`` new settings: from the surrogate, each but a
        ``random_fraction`` share of them drawn from the prior."""
        resource = self.model_resource()
        if resource is None:
            return self.space.draw(n_points, random_state=self.rng)
        n_random = 0
        if self.random_fraction > 0:  # no draw at 0: the same stream as before
            n_random = int(self.rng.binomial(n_points, self.random_fraction))
        points = []
        if n_points > n_random:
            points = list(self.by_resource[resource].ask(n_points - n_random))
        if n_random:
            points += list(self.space.draw(n_random, random_state=self.rng))
        return points

    def top_result(self) -> OptimizeResult:
        """``get_result()`` of the optimizer of the largest resource told."""
        if not self.by_resource:
            return OptimizeResult(x_iters=[], func_vals=np.array([]), space=self.space)
        return self.by_resource[max(self.by_resource)].get_result()

    def history(self) -> dict:
        """``{resource: (points, values)}``, what a checkpoint keeps.

        The optimizers themselves hold closures that do not pickle; told
        the same history they fit the same surrogates, though their later
        random draws (and ``'gp_hedge'``'s gains) start afresh.
        """
        return {r: (list(o.Xi), list(o.yi)) for r, o in self.by_resource.items()}

    def restore(self, history: dict) -> None:
        """Tell a checkpoint's history back, in resource order."""
        for resource in sorted(history):
            points, values = history[resource]
            if points:
                self._optimizer(resource).tell(list(points), list(values))
