"""torch modules: the linear model, the MLP body, seeded dropout.

Weights are initialised from an explicit ``torch.Generator``, never from torch's
global RNG, so a fit is repeatable and leaves the user's RNG alone.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn.utils import skip_init

from ._losses import Loss

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "identity": nn.Identity,
    "logistic": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
}


class SeededDropout(nn.Module):
    """Inverted dropout whose masks come from ``self.generator`` when it is set.

    The engine sets the generator for the duration of a fit; outside of it (a
    user training ``module_`` by hand) torch's global RNG is used.
    """

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p
        self.generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0:
            return x
        keep = 1.0 - self.p
        mask = torch.empty_like(x).bernoulli_(keep, generator=self.generator)
        return x * mask / keep

    def extra_repr(self) -> str:
        return f"p={self.p}"


def _linear(n_in: int, n_out: int, bias: bool, dtype, device) -> nn.Linear:
    return skip_init(nn.Linear, n_in, n_out, bias=bias, dtype=dtype, device=device)


class LinearModel(nn.Module):
    """``dropout(X) @ weight.T + bias``, with a closed-form gradient.

    A linear model's gradient needs no autograd graph; building one costs more
    ops than the gradient itself, which decides speed at small batch sizes.
    """

    def __init__(self, n_features: int, n_outputs: int, *, fit_intercept: bool,
                 dropout: float, dtype: torch.dtype, device: torch.device) -> None:
        super().__init__()
        self.input_dropout = SeededDropout(dropout)
        self.linear = _linear(n_features, n_outputs, fit_intercept, dtype, device)
        with torch.no_grad():
            self.linear.weight.zero_()
            if self.linear.bias is not None:
                self.linear.bias.zero_()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.linear(self.input_dropout(X))

    @torch.no_grad()
    def closed_form_backward(self, X: torch.Tensor, target: torch.Tensor,
                             weight: torch.Tensor | None, loss: Loss,
                             scale: float) -> torch.Tensor:
        """Set ``.grad`` of the mean weighted loss; return the weighted loss sum.

        ``scale`` is the total weight the batch's loss is divided by; gradients
        accumulate into existing ``.grad`` so chunks of one batch add up.
        """
        X = self.input_dropout(X)
        coef, bias = self.linear.weight, self.linear.bias
        output = X @ coef.t() if bias is None else torch.addmm(bias, X, coef.t())
        d_output = loss.gradient(output, target)
        values = loss.value(output, target)
        if weight is not None:
            d_output = d_output * weight[:, None]
            values = values * weight
        d_output = d_output.mul_(1.0 / scale)
        _accumulate(coef, d_output.t() @ X)
        if bias is not None:
            _accumulate(bias, d_output.sum(dim=0))
        return values.sum()


def _accumulate(param: torch.Tensor, grad: torch.Tensor) -> None:
    if param.grad is None:
        param.grad = grad
    else:
        param.grad.add_(grad)


class MLP(nn.Module):
    """Hidden layers ``Linear -> activation -> dropout``, then a linear output.

    The output layer gives logits / raw values; the loss applies the output
    activation. Initialisation is scikit-learn's Glorot uniform.
    """

    def __init__(self, layer_sizes: list[int], *, activation: str, dropout: float,
                 dtype: torch.dtype, device: torch.device,
                 generator: torch.Generator) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        n_hidden = len(layer_sizes) - 2
        for index, (n_in, n_out) in enumerate(zip(layer_sizes, layer_sizes[1:])):
            linear = _linear(n_in, n_out, True, dtype, device)
            _glorot_uniform_(linear, activation, generator)
            layers.append(linear)
            if index < n_hidden:
                layers.append(ACTIVATIONS[activation]())
                if dropout > 0:
                    layers.append(SeededDropout(dropout))
        self.layers = nn.Sequential(*layers)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.layers(X)

    def linears(self) -> list[nn.Linear]:
        return [layer for layer in self.layers if isinstance(layer, nn.Linear)]


@torch.no_grad()
def _glorot_uniform_(linear: nn.Linear, activation: str,
                     generator: torch.Generator) -> None:
    factor = 2.0 if activation == "logistic" else 6.0
    bound = math.sqrt(factor / (linear.in_features + linear.out_features))
    for param in (linear.weight, linear.bias):
        values = torch.empty(param.shape, dtype=param.dtype)
        values.uniform_(-bound, bound, generator=generator)
        param.copy_(values)


def weights_and_biases(module: nn.Module) -> tuple[list[torch.Tensor],
                                                   list[torch.Tensor]]:
    """Split parameters: penalties apply to weights (ndim > 1), never biases."""
    weights, biases = [], []
    for param in module.parameters():
        (weights if param.ndim > 1 else biases).append(param)
    return weights, biases


def dropout_layers(module: nn.Module) -> list[SeededDropout]:
    return [layer for layer in module.modules() if isinstance(layer, SeededDropout)]
