"""Learning-rate schedule registry: ``learning_rate`` name -> scheduler.

Two kinds of schedule:

- epoch schedules, stepped once after every epoch, are ``torch.optim.lr_scheduler``
  objects wherever torch has one (``make_scheduler`` returns them);
- clock schedules, scikit-learn's ``'invscaling'`` and ``'optimal'``, are closed
  forms of a counter ``t`` (updates or samples seen, see ``TrainingSpec.clock``)
  that the engine evaluates with :func:`clock_lr`. They set the group's ``lr``
  directly: an ``LRScheduler.step()`` per mini-batch costs more than the update.

``'constant'`` and ``'adaptive'`` need no scheduler: the engine cuts the rate by
5 on a plateau for ``'adaptive'``, as scikit-learn does. Nor do the linear
models' passive-aggressive steps ``'pa1'`` and ``'pa2'``, which the compiled
kernel computes per sample from the row and its loss (``eta0`` is their C).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch.optim import lr_scheduler

from .losses import Loss, make_loss
from .spec import TrainingSpec

SchedulerFactory = Callable[[TrainingSpec, torch.optim.Optimizer], object]


def _restarts_factor(gamma: float, step_size: int) -> Callable[[int], float]:
    def factor(epoch: int) -> float:
        return gamma ** (epoch % step_size)

    return factor


_EPOCH_SCHEDULES: dict[str, SchedulerFactory] = {
    "linear": lambda spec, optimizer: lr_scheduler.LinearLR(
        optimizer, start_factor=1.0, end_factor=0.0, total_iters=spec.horizon
    ),
    "exponential": lambda spec, optimizer: lr_scheduler.ExponentialLR(
        optimizer, gamma=spec.gamma
    ),
    "step": lambda spec, optimizer: lr_scheduler.StepLR(
        optimizer, step_size=spec.step_size, gamma=spec.gamma
    ),
    "cosine": lambda spec, optimizer: lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=spec.horizon
    ),
    "restarts": lambda spec, optimizer: lr_scheduler.LambdaLR(
        optimizer, _restarts_factor(spec.gamma, spec.step_size)
    ),
    "warm_restarts": lambda spec, optimizer: lr_scheduler.CosineAnnealingWarmRestarts(
        optimizer, T_0=spec.step_size
    ),
}


def _inverse_scaling(spec: TrainingSpec, t: float) -> float:
    return spec.lr / math.pow(t + 1.0, spec.power_t)


def _optimal(spec: TrainingSpec, t: float) -> float:
    return 1.0 / (spec.alpha * (spec.optimal_init + t))


_CLOCK_SCHEDULES: dict[str, Callable[[TrainingSpec, float], float]] = {
    "invscaling": _inverse_scaling,
    "optimal": _optimal,
}

_PLATEAU_SCHEDULES = ("constant", "adaptive")
PASSIVE_AGGRESSIVE = ("pa1", "pa2")

SCHEDULES = (*_PLATEAU_SCHEDULES, *_CLOCK_SCHEDULES, *_EPOCH_SCHEDULES,
             *PASSIVE_AGGRESSIVE)


def make_scheduler(spec: TrainingSpec, optimizer: torch.optim.Optimizer):
    """The epoch scheduler for ``spec.learning_rate``, or None if it has none."""
    factory = _EPOCH_SCHEDULES.get(spec.learning_rate)
    return None if factory is None else factory(spec, optimizer)


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


def loss_optimal_init(alpha: float, loss: Loss) -> float:
    """:func:`optimal_init` for ``loss``: its slope at one sample of the
    positive class (target 1 in every coding; multinomial heads use the
    binary log loss)."""
    if loss.target_kind == "onehot":
        loss = make_loss("log_loss")
    target = torch.ones((1, 1), dtype=torch.float64)

    def derivative_at(prediction: float) -> float:
        output = torch.tensor([[prediction]], dtype=torch.float64)
        return float(loss.gradient(output, target))

    return optimal_init(alpha, derivative_at)
