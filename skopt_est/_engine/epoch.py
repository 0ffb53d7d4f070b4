"""The torch path's epoch: one pass of mini-batch steps.

Each epoch draws one permutation from a seeded CPU generator and slices
mini-batches from device tensors (no ``DataLoader``); the loss is accumulated
on the device and read once per epoch. A step is composed of parts that each
own one concern:

- the objective (``objective``): the batch's loss scale and L2 strength;
- the gradient (``gradients``): ``grad(data, rows, scale, l2)`` sets
  ``.grad`` and returns the batch's weighted loss sum;
- the stepper (``step``): optimizer, fast updates, L1 step, learning-rate
  clock and averaging.
"""

from __future__ import annotations

import torch

from .data import TrainingData
from .gradients import Gradient
from .objective import Objective
from .spec import TrainingSpec
from .step import Stepper


class TorchEpoch:
    """``epoch(generator) -> weighted loss sum``: the mini-batch steps of one
    epoch, the epoch of a :class:`runner.SteppedRunner`."""

    def __init__(self, train: TrainingData, spec: TrainingSpec,
                 objective: Objective, grad: Gradient, stepper: Stepper) -> None:
        self._train, self._spec = train, spec
        self._objective, self._grad, self._stepper = objective, grad, stepper

    def __call__(self, generator: torch.Generator) -> float:
        """One pass over the batches; returns the weighted loss sum."""
        train = self._train
        data, batches = epoch_batches(train, self._spec, generator)
        batch_terms, grad, stepper = (self._objective.batch_terms, self._grad,
                                      self._stepper)
        step = stepper.step
        epoch_loss = torch.zeros((), dtype=train.dtype, device=train.device)
        for rows in batches:
            n_rows = _n_rows(rows, data.n_samples)
            # the rate caps the L2 shrink at 0 (Objective.batch_terms)
            scale, l2, penalty_factor = batch_terms(n_rows, stepper.lr)
            epoch_loss += grad(data, rows, scale, l2)
            step(n_rows, penalty_factor)
        return float(epoch_loss)


def epoch_batches(train: TrainingData, spec: TrainingSpec,
                  generator: torch.Generator):
    """This epoch's data and its batches: None (full batch), slices of a
    shuffled copy (small dense data), or index tensors."""
    n_samples = train.n_samples
    batch_size = spec.batch_size or n_samples
    if batch_size >= n_samples:
        return train, [None]
    if spec.shuffle:
        order = torch.randperm(n_samples, generator=generator)
    else:
        order = torch.arange(n_samples)
    if train.can_permute(batch_size):
        data = train.permuted(order) if spec.shuffle else train
        starts = range(0, n_samples, batch_size)
        return data, [slice(start, start + batch_size) for start in starts]
    return train, list(order.to(train.index_device()).split(batch_size))


def _n_rows(rows, n_samples: int) -> int:
    if rows is None:
        return n_samples
    if isinstance(rows, slice):
        return min(rows.stop, n_samples) - rows.start
    return len(rows)
