"""The gradient contract of a training step, and its two implementations.

A :class:`Gradient` is called as ``grad(data, rows, scale, l2)`` on the batch
``rows`` of ``data`` (None: every row). It

- sets ``.grad`` of every parameter of the module to the gradient of
  ``sum_i w_i * loss_i / scale + l2 / 2 * ||W||²`` over the batch, replacing
  whatever ``.grad`` held (no ``zero_grad`` is needed between steps);
- returns the batch's weighted loss sum, a detached 0-d tensor on the device
  (the loop reads it once per epoch).

``W`` are the weights (ndim > 1), never the biases. :class:`ClosedFormGradient`
runs the module's hand-written backward, which fuses the L2 term into the
weight gradient's matrix product; :class:`AutogradGradient` records a graph
and adds the L2 term after ``backward()``. A variant (per-sample clipping of
the loss derivative, a sparse gradient) is a third class honouring the same
contract, picked in :func:`make_gradient`.
"""

from __future__ import annotations

from typing import Protocol

import torch
from torch import nn

from .data import Rows, TrainingData
from .losses import Loss
from .modules import weights_and_biases


class Gradient(Protocol):
    """``grad(data, rows, scale, l2) -> weighted loss sum`` (module doc)."""

    def __call__(self, data: TrainingData, rows: Rows, scale: float,
                 l2: float) -> torch.Tensor: ...


class ClosedFormGradient:
    """The module's ``closed_form_backward``: no autograd graph is built,
    which at small batches costs more than the gradient itself."""

    def __init__(self, module: nn.Module, loss: Loss) -> None:
        self._backward = module.closed_form_backward
        self._loss = loss

    def __call__(self, data: TrainingData, rows: Rows, scale: float,
                 l2: float) -> torch.Tensor:
        return self._backward(data.features(rows), data.targets(rows),
                              data.weights(rows), self._loss, scale, l2)


class AutogradGradient:
    """``backward()`` through the module's forward pass, for any module."""

    def __init__(self, module: nn.Module, loss: Loss) -> None:
        self._module = module
        self._loss = loss
        self._params = list(module.parameters())
        self._weights, _ = weights_and_biases(module)

    def __call__(self, data: TrainingData, rows: Rows, scale: float,
                 l2: float) -> torch.Tensor:
        for param in self._params:
            param.grad = None
        values = self._loss.value(self._module(data.features(rows)),
                                  data.targets(rows))
        weight = data.weights(rows)
        if weight is not None:
            values = values * weight
        total = values.sum()
        (total / scale).backward()
        if l2:
            with torch.no_grad():
                for weight in self._weights:
                    weight.grad.add_(weight, alpha=l2)
        return total.detach()


def make_gradient(module: nn.Module, loss: Loss) -> Gradient:
    """The closed-form gradient where the module has one, else autograd's."""
    has_closed_form = getattr(module, "has_closed_form", None)
    if has_closed_form is not None and has_closed_form():
        return ClosedFormGradient(module, loss)
    return AutogradGradient(module, loss)
