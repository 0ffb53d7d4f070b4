"""Learning-rate schedule names and the closed forms that need no torch.

scikit-learn's own schedules are closed forms of a clock ``t`` (updates or
samples seen, ``TrainingSpec.clock``): ``'invscaling'`` and ``'optimal'``
(:func:`clock_lr`); ``'constant'`` and ``'adaptive'`` hold the rate (the stop
rule cuts it by 5 on a plateau for ``'adaptive'``); ``'pa1'`` and ``'pa2'``
are the compiled kernel's per-sample passive-aggressive steps. The epoch
schedules are ``torch.optim.lr_scheduler`` objects (:mod:`schedules`). This
module is what the compiled kernel's fits read, so they run without torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import TrainingSpec


def _inverse_scaling(spec: TrainingSpec, t: float) -> float:
    return spec.lr / math.pow(t + 1.0, spec.power_t)


def _optimal(spec: TrainingSpec, t: float) -> float:
    return 1.0 / (spec.alpha * (spec.optimal_init + t))


_CLOCK_SCHEDULES: dict[str, Callable[[TrainingSpec, float], float]] = {
    "invscaling": _inverse_scaling,
    "optimal": _optimal,
}

PLATEAU_SCHEDULES = ("constant", "adaptive")
PASSIVE_AGGRESSIVE = ("pa1", "pa2")
# stepped once an epoch by torch's schedulers (schedules._EPOCH_SCHEDULES)
EPOCH_SCHEDULES = ("linear", "exponential", "step", "cosine", "restarts",
                   "warm_restarts")
# scikit-learn's schedules: none needs torch
SKLEARN_SCHEDULES = (*PLATEAU_SCHEDULES, *_CLOCK_SCHEDULES, *PASSIVE_AGGRESSIVE)
SCHEDULES = (*PLATEAU_SCHEDULES, *_CLOCK_SCHEDULES, *EPOCH_SCHEDULES,
             *PASSIVE_AGGRESSIVE)


def is_clock_schedule(name: str) -> bool:
    """Whether ``name`` is a closed form of the clock ``t`` (see module doc)."""
    return name in _CLOCK_SCHEDULES


def clock_lr(spec: TrainingSpec, t: float) -> float:
    """The learning rate of a clock schedule after ``t`` ticks."""
    return _CLOCK_SCHEDULES[spec.learning_rate](spec, t)


def optimal_init(alpha: float, loss_derivative_at: Callable[[float], float]) -> float:
    """Léon Bottou's heuristic offset ``t0`` for the ``'optimal'`` schedule.

    The initial rate is a typical weight ``1/sqrt(sqrt(alpha))`` divided by
    ``max(1, |dloss(-typical_weight, 1)|)``. scikit-learn divides by the signed
    slope, which is negative for every classification loss, so its divisor is
    always 1; with the magnitude, as Bottou's heuristic intends, the steep
    losses (``'squared_hinge'``, ``'modified_huber'``) start at a rate that
    does not diverge on mini-batches. For ``'hinge'`` and ``'log_loss'`` the
    two agree exactly.
    """
    typical_weight = math.sqrt(1.0 / math.sqrt(alpha))
    slope = abs(loss_derivative_at(-typical_weight))
    initial_eta = typical_weight / max(1.0, slope)
    return 1.0 / (initial_eta * alpha)


def sgd_optimal_init(alpha: float) -> float:
    """:func:`optimal_init` as scikit-learn's SGD evaluates it: its divisor
    ``max(1, dloss)`` takes the signed slope, negative for every loss it has,
    so it is 1. The compiled kernel's one-vs-all heads, which are
    scikit-learn's SGD, start there; the other paths start at
    ``spec.optimal_init`` (:func:`loss_optimal_init`), which differs only
    for the steep losses."""
    return optimal_init(alpha, lambda prediction: 0.0)


