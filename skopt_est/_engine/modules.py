"""torch modules: the linear model, the MLP body, seeded dropout.

Weights are initialised from an explicit ``torch.Generator``, never from torch's
global RNG, so a fit is repeatable and leaves the user's RNG alone.

Sparse input (a torch CSR tensor, see ``data``) enters the first layer
through :func:`linear_forward` and :func:`_weight_gradient`, which multiply it
by the dense weights without densifying it.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from .compat import relu_backward
from .device import _HAS_FEW_CORES, intra_op_threads
from .losses import Loss
from .sparse import sparse_linear, sparse_weight_gradient

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "identity": nn.Identity,
    "logistic": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
}


_ACTIVATION_FORWARD = {
    "identity": lambda z: z,
    "relu": torch.relu_,
    "tanh": torch.tanh_,
    "logistic": torch.sigmoid_,
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
        if x.layout == torch.sparse_csr:
            # zeros stay zero: only the stored values are dropped
            values = x.values()
            mask = torch.empty_like(values).bernoulli_(keep,
                                                       generator=self.generator)
            return torch.sparse_csr_tensor(x.crow_indices(), x.col_indices(),
                                           values * mask / keep, x.shape,
                                           check_invariants=False)
        mask = torch.empty_like(x).bernoulli_(keep, generator=self.generator)
        return x * mask / keep

    def extra_repr(self) -> str:
        return f"p={self.p}"


def linear_forward(X: torch.Tensor, weight: torch.Tensor,
                   bias: torch.Tensor | None) -> torch.Tensor:
    """``F.linear`` for dense ``X``, :func:`sparse_linear` for a CSR tensor."""
    if X.layout == torch.sparse_csr:
        return sparse_linear(X, weight, bias)
    return F.linear(X, weight, bias)


def _linear(n_in: int, n_out: int, bias: bool, dtype, device, *,
            zero: bool = False, column_major: bool = False) -> nn.Linear:
    """An ``nn.Linear`` with uninitialised weights (zeros with ``zero``),
    laid out as :func:`column_major_` lays it with ``column_major``.

    ``nn.Linear.__init__`` draws Kaiming weights that are overwritten anyway:
    even on the meta device it costs 0.19 ms of a 4 ms iris fit, against
    0.04 ms for filling in the attributes it sets (and it must not run
    ``to_empty``: empty_like on meta tensors imports sympy, 1 s of a fresh
    process's fit).
    """
    layer = nn.Linear.__new__(nn.Linear)
    nn.Module.__init__(layer)
    layer.in_features, layer.out_features = n_in, n_out
    # one thread: torch splits a fill of >= 32768 elements over its threads,
    # and on the loaded 2-core machine waking the second costs ~8 ms (50 000
    # weights: 8 ms against 0.02 ms)
    with intra_op_threads(1 if torch.device(device).type == "cpu" else None):
        new = torch.zeros if zero else torch.empty
        weight = (new((n_in, n_out), dtype=dtype, device=device).t()
                  if column_major else
                  new((n_out, n_in), dtype=dtype, device=device))
        layer.weight = nn.Parameter(weight)
        layer.register_parameter("bias", nn.Parameter(
            new(n_out, dtype=dtype, device=device)) if bias else None)
    return layer


class LinearModel(nn.Module):
    """``dropout(X) @ weight.T + bias``, with a closed-form gradient.

    A linear model's gradient needs no autograd graph; building one costs more
    ops than the gradient itself, which decides speed at small batch sizes.
    """

    def __init__(self, n_features: int, n_outputs: int, *, fit_intercept: bool,
                 dropout: float, dtype: torch.dtype, device: torch.device) -> None:
        super().__init__()
        self.input_dropout = SeededDropout(dropout)
        self.linear = _linear(n_features, n_outputs, fit_intercept, dtype,
                              device, zero=True)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return linear_forward(self.input_dropout(X), self.linear.weight,
                              self.linear.bias)

    def inference_forward(self, X: torch.Tensor) -> torch.Tensor:
        """``forward`` in eval mode without ``nn.Module`` call overhead."""
        return linear_forward(X, self.linear.weight, self.linear.bias)

    def has_closed_form(self) -> bool:
        return True

    @torch.no_grad()
    def closed_form_backward(self, X: torch.Tensor, target: torch.Tensor,
                             weight: torch.Tensor | None, loss: Loss,
                             scale: float, l2: float = 0.0) -> torch.Tensor:
        """Set ``.grad`` of the mean weighted loss; return the weighted loss sum.

        ``scale`` is the total weight the batch's loss is divided by. The
        gradients replace ``.grad``, which makes ``zero_grad`` unnecessary.
        ``l2`` adds the L2 penalty's gradient ``l2 * weight`` inside the same
        matrix product (biases are never penalised).
        """
        X = self.input_dropout(X)
        coef, bias = self.linear.weight, self.linear.bias
        if X.layout == torch.sparse_csr:
            output = sparse_linear(X, coef, bias)
        else:
            output = (X @ coef.t() if bias is None
                      else torch.addmm(bias, X, coef.t()))
        d_output, total = _output_gradient(output, target, weight, loss, scale)
        coef.grad = _weight_gradient(coef, d_output, X, l2)
        if bias is not None:
            bias.grad = d_output.sum(dim=0)
        return total


def _output_gradient(output, target, weight, loss: Loss, scale):
    """d(weighted loss sum / scale)/d output, and the weighted loss sum."""
    total, d_output = loss.sum_and_gradient(output, target, weight)
    return d_output.mul_(1.0 / scale), total


def _weight_gradient(weight, d_output, inputs, l2: float):
    """``d_output.T @ inputs`` plus ``l2 * weight``, in one op."""
    if inputs.layout == torch.sparse_csr:
        return sparse_weight_gradient(weight, d_output, inputs, l2)
    if l2:
        return torch.addmm(weight, d_output.t(), inputs, beta=l2)
    return d_output.t() @ inputs


# Derivative of an activation from its output, applied to the incoming gradient.
_ACTIVATION_BACKWARD = {
    "identity": lambda out, grad: grad,
    "relu": relu_backward,
    "tanh": lambda out, grad: grad.mul_(1.0 - out.square()),
    "logistic": lambda out, grad: grad.mul_(out * (1.0 - out)),
}


class MLP(nn.Module):
    """Hidden layers ``Linear -> activation -> dropout``, then a linear output.

    The output layer gives logits / raw values; the loss applies the output
    activation. Initialisation is scikit-learn's Glorot uniform.
    """

    def __init__(self, layer_sizes: list[int], *, activation: str, dropout: float,
                 dtype: torch.dtype, device: torch.device,
                 generator: torch.Generator, column_major_input: bool = False) -> None:
        super().__init__()
        self.activation = activation
        self.dropout = dropout
        layers: list[nn.Module] = []
        n_hidden = len(layer_sizes) - 2
        for index, (n_in, n_out) in enumerate(zip(layer_sizes, layer_sizes[1:])):
            # sparse input: the first layer is born column-major, as the
            # products want it, rather than copied so (one weight more)
            linear = _linear(n_in, n_out, True, dtype, device,
                             column_major=column_major_input and index == 0)
            _glorot_uniform_(linear, activation, generator)
            layers.append(linear)
            if index < n_hidden:
                layers.append(ACTIVATIONS[activation]())
                if dropout > 0:
                    layers.append(SeededDropout(dropout))
        self.layers = nn.Sequential(*layers)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if X.layout == torch.sparse_csr:
            first, *rest = self.layers
            X = sparse_linear(X, first.weight, first.bias)
            for layer in rest:
                X = layer(X)
            return X
        return self.layers(X)

    def linears(self) -> list[nn.Linear]:
        return [layer for layer in self.layers if isinstance(layer, nn.Linear)]

    def inference_forward(self, X: torch.Tensor) -> torch.Tensor:
        """``forward`` in eval mode as plain ops: each ``nn.Module`` call costs
        about 8 µs of hooks, most of a one-row prediction's time."""
        activation = _ACTIVATION_FORWARD.get(self.activation)
        if activation is None:
            return self(X)
        *hidden, last = self.linears()
        for linear in hidden:
            X = activation(linear_forward(X, linear.weight, linear.bias))
        return linear_forward(X, last.weight, last.bias)

    def has_closed_form(self) -> bool:
        return self.activation in _ACTIVATION_BACKWARD

    @torch.no_grad()
    def closed_form_backward(self, X: torch.Tensor, target: torch.Tensor,
                             weight: torch.Tensor | None, loss: Loss,
                             scale: float, l2: float = 0.0) -> torch.Tensor:
        """Backpropagation written out, as ``LinearModel.closed_form_backward``.

        Autograd records a graph and replays it every step; at small batch
        sizes that bookkeeping costs more than the matrix products
        (benchmarks/bench_mlp.py), so the supported activations are
        differentiated by hand.
        """
        linears = self.linears()
        inputs, activations, masks = [X], [], []
        hidden = X
        for linear in linears[:-1]:
            hidden = _ACTIVATION_FORWARD[self.activation](
                linear_forward(hidden, linear.weight, linear.bias))
            activations.append(hidden)
            hidden, mask = self._dropout(hidden)
            masks.append(mask)
            inputs.append(hidden)
        last = linears[-1]
        output = linear_forward(hidden, last.weight, last.bias)
        d_output, total = _output_gradient(output, target, weight, loss, scale)
        backward = _ACTIVATION_BACKWARD[self.activation]
        for index in range(len(linears) - 1, -1, -1):
            linear = linears[index]
            linear.weight.grad = _weight_gradient(linear.weight, d_output,
                                                  inputs[index], l2)
            linear.bias.grad = d_output.sum(dim=0)
            if index == 0:
                break
            d_output = d_output @ linear.weight
            if masks[index - 1] is not None:
                d_output = d_output * masks[index - 1]
            d_output = backward(activations[index - 1], d_output)
        return total

    def _dropout(self, hidden: torch.Tensor):
        if self.dropout == 0 or not self.training:
            return hidden, None
        layers = dropout_layers(self)
        layer = layers[0]
        keep = 1.0 - layer.p
        mask = torch.empty_like(hidden).bernoulli_(keep, generator=layer.generator)
        mask.div_(keep)
        return hidden * mask, mask


_INIT_PIECE = 1 << 16


@torch.no_grad()
def _glorot_uniform_(linear: nn.Linear, activation: str,
                     generator: torch.Generator) -> None:
    factor = 2.0 if activation == "logistic" else 6.0
    bound = math.sqrt(factor / (linear.in_features + linear.out_features))
    # the training's thread rule (device): the draws are serial, the copy
    # parallel, and a (64, 50000) layer took 27-39 ms on one thread against
    # 43-55 ms on two on the loaded 2-core machine
    few_cores = _HAS_FEW_CORES and linear.weight.device.type == "cpu"
    with intra_op_threads(1 if few_cores else None):
        for param in (linear.weight, linear.bias):
            # drawn in float64 whatever the training dtype, so float32 and
            # float64 fits with one random_state start from the same weights;
            # in pieces (the same stream of draws), since a whole float64
            # copy of a (64, 50000) layer was 24 MiB on top of the weights;
            # a column-major weight row by row, in the same row-major order
            flats = [param.view(-1)] if param.is_contiguous() else list(param)
            values = torch.empty(min(flats[0].numel(), _INIT_PIECE),
                                 dtype=torch.float64)
            for flat in flats:
                for start in range(0, flat.numel(), _INIT_PIECE):
                    piece = flat[start:start + _INIT_PIECE]
                    drawn = values[:piece.numel()].uniform_(
                        -bound, bound, generator=generator)
                    piece.copy_(drawn)


def weights_and_biases(module: nn.Module) -> tuple[list[torch.Tensor],
                                                   list[torch.Tensor]]:
    """Split parameters: penalties apply to weights (ndim > 1), never biases."""
    weights, biases = [], []
    for param in module.parameters():
        (weights if param.ndim > 1 else biases).append(param)
    return weights, biases


def dropout_layers(module: nn.Module) -> list[SeededDropout]:
    return [layer for layer in module.modules() if isinstance(layer, SeededDropout)]
