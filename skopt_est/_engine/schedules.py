"""Learning-rate schedule registry: ``learning_rate`` name -> scheduler.

Two kinds of schedule:

- epoch schedules, stepped once after every epoch, are ``torch.optim.lr_scheduler``
  objects wherever torch has one (``make_scheduler`` returns them);
- clock schedules, scikit-learn's ``'invscaling'`` and ``'optimal'``, are closed
  forms of a counter ``t`` (updates or samples seen, see ``TrainingSpec.clock``)
  that the engine evaluates with :func:`rates.clock_lr` (no torch: the
  compiled kernel's fits read them). They set the group's ``lr``
  directly: an ``LRScheduler.step()`` per mini-batch costs more than the update.

``'constant'`` and ``'adaptive'`` need no scheduler: the engine cuts the rate by
5 on a plateau for ``'adaptive'``, as scikit-learn does. Nor do the linear
models' passive-aggressive steps ``'pa1'`` and ``'pa2'``, which the compiled
kernel computes per sample from the row and its loss (``eta0`` is their C).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.optim import lr_scheduler

from .losses import Loss, make_loss
from .rates import optimal_init
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


def make_scheduler(spec: TrainingSpec, optimizer: torch.optim.Optimizer):
    """The epoch scheduler for ``spec.learning_rate``, or None if it has none."""
    factory = _EPOCH_SCHEDULES.get(spec.learning_rate)
    return None if factory is None else factory(spec, optimizer)


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
