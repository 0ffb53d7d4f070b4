"""torch modules: the linear model, the MLP body, seeded dropout.

Weights are initialised from an explicit ``torch.Generator``, never from torch's
global RNG, so a fit is repeatable and leaves the user's RNG alone.

Sparse input (a torch CSR tensor, see ``_data``) enters the first layer
through :func:`linear_forward` and :func:`_weight_gradient`, which multiply it
by the dense weights without densifying it.
"""

from __future__ import annotations

import math

import scipy.sparse as sp
import torch
from torch import nn
from torch.nn import functional as F

from ._device import _HAS_FEW_CORES, intra_op_threads
from ._losses import Loss
from ._torch_compat import csc_matvecs as _csc_matvecs
from ._torch_compat import csr_row_indices, relu_backward

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


def sparse_linear(X: torch.Tensor, weight: torch.Tensor,
                  bias: torch.Tensor | None) -> torch.Tensor:
    """``X @ weight.T + bias`` for a CSR tensor ``X``, as one embedding bag.

    Each output row sums the weight columns of the row's nonzeros, scaled by
    their values: ``embedding_bag`` over ``weight.T`` with the CSR arrays as
    indices, offsets and per-sample weights. Measured on the 2-core CPU
    (benchmarks/bench_linear.py data, 24 rows of ~65 nonzeros, 20 outputs,
    50 000 columns): 50 µs, against 10 ms for torch's CSR @ dense product
    (``X @ weight.T``, which copies the dense operand) and 1 ms for a gather
    plus ``index_add_``. ``weight.T`` is contiguous when the engine lays the
    weight out column-major for a sparse fit; else one copy is made here.
    """
    weight_t = weight.t()
    if not weight_t.is_contiguous():
        weight_t = weight_t.contiguous()
    values = X.values()
    output = F.embedding_bag(X.col_indices(), weight_t, X.crow_indices(),
                             mode="sum", per_sample_weights=values,
                             include_last_offset=True)
    return output if bias is None else output + bias


def linear_forward(X: torch.Tensor, weight: torch.Tensor,
                   bias: torch.Tensor | None) -> torch.Tensor:
    """``F.linear`` for dense ``X``, :func:`sparse_linear` for a CSR tensor."""
    if X.layout == torch.sparse_csr:
        return sparse_linear(X, weight, bias)
    return F.linear(X, weight, bias)


def column_major_(weight: torch.Tensor) -> None:
    """Store ``weight`` (k, d) so that ``weight.T`` is contiguous, in place:
    sparse products read and update it by column."""
    if weight.ndim == 2 and not weight.t().is_contiguous():
        weight.data = weight.data.t().contiguous().t()


def memory_order(tensor: torch.Tensor) -> torch.Tensor:
    """``tensor``, or its transpose where that is contiguous (the first
    layer's :func:`column_major_` weight of a sparse fit, its gradient and
    Adam's moments): a view in memory order, for elementwise work and norms,
    which then need no copy. torch's fused CPU Adam copies a non-contiguous
    tensor in and out: a (64, 50000) float32 weight, one thread, 19.5 ms and
    a 12 MiB temporary a step column-major, 3.6 ms and none as this view."""
    if tensor.ndim == 2 and not tensor.is_contiguous() and tensor.t().is_contiguous():
        return tensor.t()
    return tensor


def row_major_(weight: torch.Tensor) -> None:
    """Undo :func:`column_major_` (the compiled kernel wants row-major).

    The row-major copy is written into the memory of the last step's
    ``.grad``, which is dropped: a freed gradient stays in the allocator's
    heap, so a fresh copy kept the end of bench_linear.py's sparse MLP fit
    one (64, 50000) weight (12 MiB) above the weights and Adam's moments.
    """
    if weight.ndim != 2 or weight.is_contiguous():
        return
    grad, weight.grad = weight.grad, None
    if (grad is None or grad.shape != weight.shape or grad.dtype != weight.dtype
            or not memory_order(grad).is_contiguous()):
        weight.data = weight.data.contiguous()
        return
    row_major = grad.as_strided(weight.shape, (weight.shape[1], 1))
    weight.data = row_major.copy_(weight.data)


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
        return _sparse_weight_gradient(weight, d_output, inputs, l2)
    if l2:
        return torch.addmm(weight, d_output.t(), inputs, beta=l2)
    return d_output.t() @ inputs


_CONTRIBUTION_ELEMENTS = 1 << 21



def _sparse_weight_gradient(weight, d_output, X, l2: float):
    """``d_output.T @ X (+ l2 * weight)`` for a CSR ``X``: a dense gradient
    in ``weight``'s layout (``weight.T`` contiguous, see
    :func:`column_major_`).

    On the CPU it is scipy's compiled CSC product ``X.T @ d_output`` over
    views of the CSR tensor's memory (``X.T`` of a CSR matrix is a CSC view,
    no copy), which scatters each nonzero's row of ``d_output`` into the
    gradient row of its column. On bench_linear.py's data (2-core CPU, one
    thread) it took 0.15-1.5 ms at 200 rows and 1-64 outputs, against
    1.8-11 ms for the ``index_add_`` scatter used on other devices, and
    2-13 ms against 195-610 ms at the full 24 000 rows (1.56 M nonzeros) for
    1 and 20 outputs. It writes into the weight's previous ``.grad`` where
    there is one (:func:`_gradient_buffer`).
    """
    if X.device.type != "cpu":
        return _scattered_weight_gradient(weight, d_output, X, l2)
    buffer = _gradient_buffer(weight)
    if buffer is None:
        grad_t = torch.from_numpy(_scipy_csr(X).T @ d_output.numpy())
        if l2:
            grad_t.add_(weight.t(), alpha=l2)
        # a row-major weight (L-BFGS) takes its gradient in its own layout
        return grad_t.t() if weight.t().is_contiguous() else (
            grad_t.t().contiguous())
    grad_t = buffer.t()
    if l2:
        torch.mul(weight.detach().t(), l2, out=grad_t)
    else:
        grad_t.zero_()
    crow, col, values = X.crow_indices(), X.col_indices(), X.values()
    _csc_matvecs(X.shape[1], X.shape[0], d_output.shape[1], crow.numpy(),
                 col.numpy(), values.numpy(),
                 d_output.contiguous().numpy().ravel(), grad_t.numpy().ravel())
    return buffer


def _gradient_buffer(weight: torch.Tensor) -> torch.Tensor | None:
    """``weight.grad``, to be overwritten with the next gradient, where
    scipy's in-place product can write it: the W-sized result and ``.grad``
    it replaced were a fresh allocation and a free a step, which kept glibc's
    heap above the live memory, and cost a pass over the weights."""
    grad = weight.grad
    if (_csc_matvecs is None or grad is None
            or not weight.t().is_contiguous() or not grad.t().is_contiguous()
            or grad.dtype != weight.dtype or grad.shape != weight.shape):
        return None
    return grad


def _scipy_csr(X: torch.Tensor) -> sp.csr_matrix:
    """A scipy CSR matrix over the memory of the CPU CSR tensor ``X``."""
    return sp.csr_matrix((X.values().numpy(), X.col_indices().numpy(),
                          X.crow_indices().numpy()), shape=tuple(X.shape),
                         copy=False)


def _scattered_weight_gradient(weight, d_output, X, l2: float):
    """:func:`_sparse_weight_gradient` off the CPU: each nonzero's
    contribution scattered into the columns it touches (one ``index_add_``
    per piece of at most ``_CONTRIBUTION_ELEMENTS``, so that a full batch of
    bench_linear.py's 20-class data needs 8 MiB of contributions, not
    125 MiB)."""
    crow, col, values = X.crow_indices(), X.col_indices(), X.values()
    rows = csr_row_indices(crow, col)
    weight_t = weight.t()
    grad_t = weight_t.mul(l2) if l2 else torch.zeros_like(weight_t)
    step = max(1, _CONTRIBUTION_ELEMENTS // max(d_output.shape[1], 1))
    for start in range(0, col.shape[0], step):
        piece = slice(start, start + step)
        contributions = d_output.index_select(0, rows[piece]).mul_(
            values[piece, None])
        grad_t.index_add_(0, col[piece], contributions)
    return grad_t.t()


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
    # the training's thread rule (_device): the draws are serial, the copy
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
