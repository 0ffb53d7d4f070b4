"""Loss registry: name -> per-sample loss, its gradient, and how targets are coded.

Conventions: ``output`` and ``target`` are tensors of shape (n_samples, n_outputs).
``value`` returns the loss of each sample, shape (n_samples,): the mean over
outputs for regression (as scikit-learn's MLP), the sum over outputs for
classification heads (one-vs-rest heads and multilabel outputs are independent
binary problems). ``gradient`` is d value / d output, shape of ``output``; the
linear models use it to skip autograd. Targets are coded by ``target_kind``:

- ``'real'``: regression values;
- ``'sign'``: -1 / +1 per head (margin losses);
- ``'binary'``: 0 / 1 per output (logistic);
- ``'onehot'``: one-hot rows (multinomial).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

Tensor = torch.Tensor

# scikit-learn's SGD clips each sample's loss derivative to this magnitude, so
# that badly scaled data gives large but finite weights instead of overflow.
MAX_DLOSS = 1e12


@dataclass(frozen=True)
class Loss:
    """A training loss and the facts the estimators need about it."""

    name: str
    value: Callable[[Tensor, Tensor], Tensor]
    gradient: Callable[[Tensor, Tensor], Tensor]
    target_kind: str
    proba: Callable[[Tensor], Tensor] | None = None
    inverse_link: Callable[[Tensor], Tensor] | None = None
    weighted_sum_and_gradient: Callable | None = None
    unbounded_gradient: bool = False
    # the width of the Huber / epsilon-insensitive losses (the C epoch kernel
    # of kernel.runners needs it as a number)
    epsilon: float = 0.0
    # the loss of each (row, head), whose sum over heads is ``value``, for
    # the losses of independent heads (``head_values``)
    head_value: Callable[[Tensor, Tensor], Tensor] | None = None

    def sum_and_gradient(self, output: Tensor, target: Tensor,
                         weight: Tensor | None) -> tuple[Tensor, Tensor]:
        """The weighted sum of the losses and d(that sum)/d output.

        ``weight`` is None, one weight per row (n_samples,), or one per row
        and head (the shape of ``output``: scikit-learn's one-vs-all class
        weights, a head's own class weighed apart from the rest), which the
        losses summing independent heads take (:meth:`head_values`).

        A loss may provide a version sharing work between the two (fewer ops
        per training step); this is the generic one. A loss whose derivative
        is unbounded has each sample's (weighted) derivative clipped to
        ``±MAX_DLOSS``, as scikit-learn's SGD does; below that bound the
        values are untouched, bit for bit.
        """
        if weight is not None and weight.ndim == 2:
            gradient = self.gradient(output, target) * weight
            total = (self.head_values(output, target) * weight).sum()
        elif self.weighted_sum_and_gradient is not None:
            total, gradient = self.weighted_sum_and_gradient(output, target, weight)
        else:
            gradient = self.gradient(output, target)
            values = self.value(output, target)
            if weight is None:
                total = values.sum()
            else:
                total, gradient = (values * weight).sum(), gradient * weight[:, None]
        if self.unbounded_gradient:
            gradient.clamp_(-MAX_DLOSS, MAX_DLOSS)
        return total, gradient

    def head_values(self, output: Tensor, target: Tensor) -> Tensor:
        """The loss of each (row, head), shape of ``output``, for the losses
        whose ``value`` sums independent heads (target kinds ``'sign'`` and
        ``'binary'``): ``head_value``, else ``value`` of each entry as a
        one-head problem (four ops more a step: about 20 µs at 64 x 5)."""
        if self.head_value is not None:
            return self.head_value(output, target)
        return self.value(output.reshape(-1, 1),
                          target.reshape(-1, 1)).view(output.shape)

    def predict(self, output: Tensor) -> Tensor:
        """Map raw outputs to predictions on the target's scale."""
        return output if self.inverse_link is None else self.inverse_link(output)


def _squared_error() -> Loss:
    def value(output, target):
        return 0.5 * (output - target).square().mean(dim=1)

    def gradient(output, target):
        return (output - target) / output.shape[1]

    def weighted_sum_and_gradient(output, target, weight):
        # one residual for both: the loss of a training step costs 3 ops, not 7
        residual = output - target
        n_outputs = output.shape[1]
        if weight is not None:
            residual_weighted = residual * weight[:, None]
            total = (residual_weighted * residual).sum() * (0.5 / n_outputs)
            return total, residual_weighted.div_(n_outputs)
        total = residual.square().sum() * (0.5 / n_outputs)
        return total, residual if n_outputs == 1 else residual.div_(n_outputs)

    return Loss("squared_error", value, gradient, "real",
                weighted_sum_and_gradient=weighted_sum_and_gradient,
                unbounded_gradient=True)


def _huber(epsilon: float) -> Loss:
    def value(output, target):
        return F.huber_loss(output, target, reduction="none", delta=epsilon).mean(1)

    def gradient(output, target):
        return (output - target).clamp(-epsilon, epsilon) / output.shape[1]

    return Loss("huber", value, gradient, "real", epsilon=epsilon)


def _epsilon_insensitive(epsilon: float) -> Loss:
    def value(output, target):
        return ((output - target).abs() - epsilon).clamp_min(0.0).mean(dim=1)

    def gradient(output, target):
        residual = output - target
        outside = (residual.abs() > epsilon).to(output.dtype)
        return residual.sign() * outside / output.shape[1]

    return Loss("epsilon_insensitive", value, gradient, "real", epsilon=epsilon)


def _squared_epsilon_insensitive(epsilon: float) -> Loss:
    def value(output, target):
        excess = ((output - target).abs() - epsilon).clamp_min(0.0)
        return excess.square().mean(dim=1)

    def gradient(output, target):
        residual = output - target
        excess = (residual.abs() - epsilon).clamp_min(0.0)
        return 2.0 * residual.sign() * excess / output.shape[1]

    return Loss("squared_epsilon_insensitive", value, gradient, "real",
                unbounded_gradient=True, epsilon=epsilon)


def _poisson() -> Loss:
    """Poisson deviance up to a constant, on the log scale: exp(o) - y * o."""

    def value(output, target):
        return (torch.exp(output) - target * output).mean(dim=1)

    def gradient(output, target):
        return (torch.exp(output) - target) / output.shape[1]

    return Loss("poisson", value, gradient, "real", inverse_link=torch.exp,
                unbounded_gradient=True)


def _margin_loss(name: str, margin: float, squared: bool) -> Loss:
    """Hinge-type loss on z = target * output with targets in {-1, +1}."""

    def head_value(output, target):
        slack = (margin - target * output).clamp_min(0.0)
        return slack.square() if squared else slack

    def value(output, target):
        return head_value(output, target).sum(dim=1)

    def gradient(output, target):
        slack = (margin - target * output).clamp_min(0.0)
        if squared:
            return -2.0 * target * slack
        # scikit-learn's Hinge steps when z <= margin, the boundary included
        return -target * (target * output <= margin).to(output.dtype)

    def weighted_sum_and_gradient(output, target, weight):
        # one product and one mask, reused in place for the gradient: the
        # separate value and gradient held four (n, k) temporaries at once,
        # the peak of a full-batch fit (bench_linear.py, 20 classes: 8 MiB)
        slack = torch.mul(target, output)
        active = None if squared else slack <= margin
        slack.neg_().add_(margin).clamp_min_(0.0)
        values = (slack.square() if squared else slack).sum(dim=1)
        if squared:
            gradient = slack.mul_(target).mul_(-2.0)
        else:
            gradient = torch.mul(target, active, out=slack).neg_()
        if weight is None:
            return values.sum(), gradient
        return (values * weight).sum(), gradient.mul_(weight[:, None])

    return Loss(name, value, gradient, "sign", unbounded_gradient=squared,
                head_value=head_value,
                weighted_sum_and_gradient=weighted_sum_and_gradient)


def _modified_huber() -> Loss:
    def head_value(output, target):
        z = target * output
        quadratic = (1.0 - z).clamp_min(0.0).square()
        return torch.where(z >= -1.0, quadratic, -4.0 * z)

    def value(output, target):
        return head_value(output, target).sum(dim=1)

    def gradient(output, target):
        z = target * output
        quadratic = -2.0 * target * (1.0 - z).clamp_min(0.0)
        return torch.where(z >= -1.0, quadratic, -4.0 * target)

    def proba(output):
        return (output.clamp(-1.0, 1.0) + 1.0) / 2.0

    return Loss("modified_huber", value, gradient, "sign", proba,
                head_value=head_value)


def _logistic() -> Loss:
    """Binary cross-entropy on logits, targets 0 / 1, one term per output."""

    def value(output, target):
        return (F.softplus(output) - target * output).sum(dim=1)

    def gradient(output, target):
        return torch.sigmoid(output) - target

    return Loss("log_loss", value, gradient, "binary", torch.sigmoid)


def _multinomial() -> Loss:
    """Softmax cross-entropy on logits, one-hot targets."""

    def value(output, target):
        return torch.logsumexp(output, dim=1) - (target * output).sum(dim=1)

    def gradient(output, target):
        return torch.softmax(output, dim=1) - target

    return Loss("log_loss", value, gradient, "onehot", lambda o: o.softmax(dim=1))


_LOSSES: dict[str, Callable[[float], Loss]] = {
    "squared_error": lambda epsilon: _squared_error(),
    "poisson": lambda epsilon: _poisson(),
    "huber": _huber,
    "epsilon_insensitive": _epsilon_insensitive,
    "squared_epsilon_insensitive": _squared_epsilon_insensitive,
    "hinge": lambda epsilon: _margin_loss("hinge", 1.0, squared=False),
    "perceptron": lambda epsilon: _margin_loss("perceptron", 0.0, squared=False),
    "squared_hinge": lambda epsilon: _margin_loss("squared_hinge", 1.0, squared=True),
    "modified_huber": lambda epsilon: _modified_huber(),
    "log_loss": lambda epsilon: _logistic(),
    "multinomial": lambda epsilon: _multinomial(),
}

def one_vs_rest(loss: Loss) -> Loss:
    """A regression loss fitted to -1/+1 per head, summed over the heads.

    As ``SGDClassifier`` with a regression loss: each class is a binary
    problem of its own, so the heads' losses add up (the regression losses
    average over outputs).
    """

    def value(output, target):
        return loss.value(output, target) * output.shape[1]

    def gradient(output, target):
        return loss.gradient(output, target) * output.shape[1]

    def head_value(output, target):
        # each entry as a one-output regression (its mean is the entry)
        return loss.value(output.reshape(-1, 1),
                          target.reshape(-1, 1)).view(output.shape)

    return dataclasses.replace(loss, value=value, gradient=gradient,
                               target_kind="sign", weighted_sum_and_gradient=None,
                               head_value=head_value)


def make_loss(name: str, epsilon: float = 0.1) -> Loss:
    """Return the registered loss ``name``; ``epsilon`` parametrises the
    epsilon-insensitive and Huber losses."""
    return _LOSSES[name](epsilon)
