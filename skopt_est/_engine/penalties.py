"""Penalty registry: ``penalty`` name -> how it splits into L2 and L1 parts.

The penalty is ``alpha * ((1 - r) / 2 * ||w||² + r * ||w||_1)`` on weights only,
never on biases, with ``r`` the L1 fraction. The smooth L2 part goes into the
gradient (fused into the weight gradient's matrix product on the closed-form
path) or, for AdamW, into the optimizer's decoupled ``weight_decay``. The L1
part is applied after each optimizer step, so that weights become exact zeros
(:func:`make_l1_step`):

- plain SGD: scikit-learn's cumulative truncated gradient
  (:class:`CumulativeL1`);
- the adaptive solvers: the same rule with each coordinate's threshold
  scaled by the solver's own step for it (:class:`PreconditionedL1`).

How the strengths scale with the batch is the objective's rule
(``objective``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import torch

from .regularisation import Penalty
from .sparse import memory_order


def flat_weights(weights: list[torch.Tensor]) -> list[torch.Tensor]:
    """Each weight as a 1-D view in memory order, for :meth:`Penalty.value`
    (a norm ignores the order; a column-major weight needs no copy)."""
    return [memory_order(weight).reshape(-1) for weight in weights]


def proximal_step_(penalty: Penalty, weights: list[torch.Tensor],
                   lr: float) -> None:
    """Soft-threshold ``weights`` in place by ``lr * penalty.l1``."""
    if not penalty.l1:  # checked before any no_grad switch: this runs per step
        return
    with torch.no_grad():
        for weight in weights:
            soft_threshold_(weight, lr * penalty.l1)


@torch.no_grad()
def truncate_(weight: torch.Tensor, q: torch.Tensor,
              u: float | torch.Tensor) -> None:
    """The truncation of the cumulative L1 rule, in place on ``weight`` and
    ``q``: a positive weight becomes ``max(0, w - (u + q))``, a negative one
    ``min(0, w + (u - q))``, a zero stays zero; ``q`` grows by the change."""
    # with s = sign(w) both branches are s * max(0, s * w - (u + s * q))
    sign = weight.sign()
    clipped = torch.mul(sign, weight).sub_(
        torch.mul(sign, q).add_(u)).clamp_min_(0.0).mul_(sign)
    q.add_(clipped).sub_(weight)
    weight.copy_(clipped)


class CumulativeL1:
    """The cumulative truncated-gradient L1 step of plain SGD.

    The rule of Tsuruoka, Tsujii and Ananiadou (2009), as scikit-learn's SGD
    applies it, one update at a time: ``u`` is the total L1 penalty any
    weight could have received so far (it grows by ``lr * l1`` per update),
    ``q`` per weight the penalty it did receive (:func:`truncate_`). A weight
    thus stays at zero unless the gradients push it out by more than the
    whole penalty accumulated since the fit began; a plain soft-threshold of
    ``lr * l1`` per update is undone by the next noisy gradient (2 exact
    zeros of 60 where this rule gives 55, tests/test_l1.py).

    At ``batch_size=1`` this is scikit-learn's update; a mini-batch step
    is one update of the same rule. ``u`` and ``q`` start at zero with each
    fit (each ``partial_fit`` call), as scikit-learn's do.

    Parameters
    ----------
    weights : list of torch.Tensor
        The penalised weights, updated in place.
    strength : float
        The L1 strength ``alpha * l1_ratio``.
    """

    def __init__(self, weights: list[torch.Tensor], strength: float) -> None:
        self.weights = weights
        self.strength = strength
        self.u = 0.0
        self.q = [torch.zeros_like(weight) for weight in weights]

    @torch.no_grad()
    def __call__(self, lr: float) -> None:
        """One update's L1 step at learning rate ``lr`` (times the batch's
        penalty factor)."""
        self.u += lr * self.strength
        for weight, q in zip(self.weights, self.q):
            truncate_(weight, q, self.u)


# optimizer state key of each adaptive solver's second moment
_SECOND_MOMENTS = {"adam": "exp_avg_sq", "adamw": "exp_avg_sq",
                   "rmsprop": "square_avg", "adagrad": "sum"}


class PreconditionedL1:
    """The cumulative L1 step of an adaptive solver, in its own metric.

    An adaptive solver moves coordinate ``j`` by ``lr / d_j`` times its
    (averaged) gradient, with ``d_j`` its preconditioner: ``sqrt(v_hat) + eps``
    for Adam and AdamW (``v_hat`` the bias-corrected second moment),
    ``sqrt(square_avg) + eps`` for RMSprop, ``sqrt(sum) + eps`` for Adagrad.
    The proximal step in that metric soft-thresholds coordinate ``j`` by
    ``lr * l1 / d_j``; one threshold ``lr * l1`` for every coordinate is far
    too weak where ``d_j`` is small. These per-coordinate thresholds are
    accumulated as :class:`CumulativeL1` accumulates ``lr * l1``: ``u`` is a
    tensor here, gathered from each coordinate's first gradient on. The
    plain proximal step with the same thresholds leaves
    47 (Adam) and 5 (RMSprop) exact zeros of 60 at ``batch_size=1`` on the
    data of tests/test_l1.py, the cumulative one 55 for both.

    Parameters
    ----------
    weights : list of torch.Tensor
        The penalised weights, updated in place.
    strength : float
        The L1 strength ``alpha * l1_ratio``.
    optimizer : torch.optim.Optimizer
        The solver whose state holds the second moments; read after its
        first step.
    solver : {'adam', 'adamw', 'rmsprop', 'adagrad'}
        Which preconditioner.
    """

    def __init__(self, weights: list[torch.Tensor], strength: float,
                 optimizer: torch.optim.Optimizer, solver: str) -> None:
        self.weights = weights
        self.strength = strength
        self.u = [torch.zeros_like(weight) for weight in weights]
        self.q = [torch.zeros_like(weight) for weight in weights]
        self._optimizer = optimizer
        self._key = _SECOND_MOMENTS[solver]
        self._beta2 = (optimizer.param_groups[0]["betas"][1]
                       if solver in ("adam", "adamw") else None)
        self._eps = optimizer.param_groups[0]["eps"]
        self._moments: list[torch.Tensor] = []
        self._step = 0  # the optimizer's step count, for Adam's bias correction

    @torch.no_grad()
    def __call__(self, lr: float) -> None:
        """The L1 step after an update at learning rate ``lr`` (times the
        batch's penalty factor)."""
        if not self._moments:
            # the optimizer's state exists from its first step on; its step
            # count is read once, then counted here (no device sync per step)
            states = [self._optimizer.state[weight] for weight in self.weights]
            self._moments = [state[self._key] for state in states]
            self._step = int(states[0]["step"]) - 1
        self._step += 1
        scale = 1.0
        if self._beta2 is not None:
            scale = 1.0 / math.sqrt(1.0 - self._beta2 ** self._step)
        threshold = lr * self.strength
        for weight, moment, u, q in zip(self.weights, self._moments, self.u,
                                        self.q):
            increment = moment.sqrt().mul_(scale).add_(self._eps).reciprocal_()
            # a coordinate without a gradient yet (moment exactly 0) would gather
            # lr * l1 / eps per step and stay at zero for good (R² 0.34 against
            # 0.996 with a feature first nonzero at row 1600, test_l1.py)
            u.add_(increment.mul_(threshold).masked_fill_(moment == 0, 0.0))
            truncate_(weight, q, u)


def make_l1_step(solver: str, weights: list[torch.Tensor], penalty: Penalty,
                 optimizer: torch.optim.Optimizer, cumulative: bool = True
                 ) -> Callable[[float], None] | None:
    """The L1 step of ``solver`` after each update, called with the update's
    learning rate times the batch's penalty factor; None without L1.

    ``cumulative=False`` (the MLPs) keeps the plain proximal step: the
    accumulated per-coordinate thresholds zeroed every weight of an Adam MLP
    on diabetes (alpha=0.1, R² 0.00; tests/test_neural_network.py).
    """
    if not penalty.l1 or not weights:
        return None
    if not cumulative:
        return functools.partial(proximal_step_, penalty, weights)
    if solver == "sgd":
        return CumulativeL1(weights, penalty.l1)
    if solver in _SECOND_MOMENTS:
        return PreconditionedL1(weights, penalty.l1, optimizer, solver)
    return functools.partial(proximal_step_, penalty, weights)


@torch.no_grad()
def soft_threshold_(weight: torch.Tensor, threshold: float) -> None:
    """``w <- sign(w) * max(|w| - threshold, 0)``, in place."""
    weight.copy_(weight.sign() * (weight.abs() - threshold).clamp_min(0.0))
