"""Sparse X on torch: CSR tensors, their products, the weights' layout.

Sparse ``X`` (CSR, CSC or COO) becomes a torch CSR tensor on the device
(:func:`to_torch_csr`), sharing scipy's int32 indices on the CPU, and is never
densified: a batch is a CSR tensor of its rows (:func:`csr_rows`), which the
first layer multiplies by its dense weights (:func:`sparse_linear`) and whose
weight gradient is a dense product in the weight's layout
(:func:`sparse_weight_gradient`).

The layout rule: in a sparse fit the torch path stores the first layer's
weight column-major (:func:`column_major_`, ``weight.T`` contiguous), as the
sparse products read and write it by column; elementwise work and norms see
it in memory order (:func:`memory_order`); the end of the fit, and the
compiled kernel, want it row-major again (:func:`row_major_`).
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
import torch
from torch.nn import functional as F

from .compat import csc_matvecs as _csc_matvecs
from .compat import csr_row_indices


# ------------------------------------------------------------ CSR tensors
def is_csr(X) -> bool:
    return isinstance(X, torch.Tensor) and X.layout == torch.sparse_csr


def csr_rows(X: torch.Tensor, rows: torch.Tensor | slice,
             host_crow: np.ndarray | None = None) -> torch.Tensor:
    """The CSR tensor of ``rows`` of the CSR tensor ``X`` (a gather of the
    nonzeros of those rows; a slice of rows is three slices).

    ``host_crow`` is ``X.crow_indices()`` on the host, which spares a device
    sync per batch on a GPU.
    """
    crow, col, values = X.crow_indices(), X.col_indices(), X.values()
    if host_crow is None:
        host_crow = crow.cpu().numpy()
    n_cols = X.shape[1]
    if isinstance(rows, slice):
        start, stop, _ = rows.indices(X.shape[0])
        first, last = int(host_crow[start]), int(host_crow[stop])
        return _csr(crow[start:stop + 1] - first, col[first:last],
                    values[first:last], (stop - start, n_cols))
    rows = rows.cpu().numpy()
    if crow.device.type == "cpu":
        return _csr_rows_host(crow, col, values, X.shape, rows)
    starts = host_crow[rows]
    lengths = host_crow[rows + 1] - starts
    new_crow = np.zeros(len(rows) + 1, dtype=host_crow.dtype)
    np.cumsum(lengths, out=new_crow[1:])
    # position of each kept nonzero in X: its row's start plus its rank
    source = (np.arange(new_crow[-1], dtype=np.int64)
              + np.repeat(starts - new_crow[:-1], lengths))
    source = torch.from_numpy(source).to(col.device)
    return _csr(torch.from_numpy(new_crow).to(crow.device),
                col.index_select(0, source), values.index_select(0, source),
                (len(rows), n_cols))


def _csr_rows_host(crow, col, values, shape, rows: np.ndarray) -> torch.Tensor:
    """``csr_rows`` on the CPU, by scipy's compiled row gather over views of
    the tensors' memory. A permutation of bench_linear.py's 24 000 x 50 000
    CSR (1.56 M nonzeros): 5 ms against 21 ms for the index arithmetic in
    numpy, and no int64 temporaries of 3 x 8 bytes a nonzero (the fit's peak
    memory above its input fell from 4.0x the CSR to ~1x)."""
    matrix = sp.csr_matrix((values.numpy(), col.numpy(), crow.numpy()),
                           shape=tuple(shape), copy=False)
    taken = matrix[rows]
    return _csr(torch.from_numpy(taken.indptr), torch.from_numpy(taken.indices),
                torch.from_numpy(taken.data), taken.shape)


def _csr(crow, col, values, shape) -> torch.Tensor:
    # the arrays come from a valid CSR matrix: torch's checks would cost an
    # O(nnz) pass per batch
    return torch.sparse_csr_tensor(crow, col, values, shape,
                                   check_invariants=False)


def to_torch_csr(X: sp.spmatrix, device: torch.device) -> torch.Tensor:
    """A scipy sparse matrix (any format) as a torch CSR tensor on ``device``.

    Explicit zeros are kept (they multiply to zero); duplicates are summed by
    scipy's conversion; column indices need not be sorted.
    """
    X = sp.csr_matrix(X)
    # scipy's int32 indices are shared, not copied (torch's ops take int32
    # indices as well as int64): on the CPU X costs no memory a second time
    index_dtype = (np.int32 if X.indptr.dtype == X.indices.dtype == np.int32
                   else np.int64)
    crow = torch.from_numpy(X.indptr.astype(index_dtype, copy=False))
    col = torch.from_numpy(X.indices.astype(index_dtype, copy=False))
    values = torch.from_numpy(np.ascontiguousarray(X.data))
    with warnings.catch_warnings():
        # torch warns once per process that CSR support is "in beta": the
        # ops used here (slices, index_select, embedding_bag) are not
        warnings.filterwarnings("ignore", message=".*Sparse CSR tensor support")
        return _csr(crow.to(device), col.to(device), values.to(device), X.shape)


# ------------------------------------------------------ products, layout
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


_CONTRIBUTION_ELEMENTS = 1 << 21


def sparse_weight_gradient(weight, d_output, X, l2: float):
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
