"""Validated arrays -> tensors on the training device.

Dense ``X`` is moved to the device once per fit. Sparse ``X`` (CSR, CSC or
COO) becomes a torch CSR tensor (``torch.sparse_csr_tensor``) on the device,
sharing scipy's int32 indices on the CPU, and is never densified: a batch is
a CSR tensor of its rows, and the modules multiply it by their dense weights
(``sparse.sparse_linear``). A shuffled epoch does not copy sparse ``X``: it
gathers the rows of its order a block of batches at a time
(``_GATHER_BLOCK_NONZEROS``), each batch then being three slices of its
block. Rows are addressed by index tensors or slices; ``sample_weight=None``
means all ones and saves an op per step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import torch

from .sparse import csr_rows, is_csr, to_torch_csr

# A shuffled copy of dense X per epoch turns every batch into a slice (a view),
# saving two gather ops per step; above this size batches gather instead.
_PERMUTED_COPY_BYTES = 1 << 30
# On the CPU the copy pays only while X and its batches are small: it streams
# all of X through memory once more per epoch, where a batch's gather lands in
# cache just before its matrix product reads it. GDRegressor, 3 epochs
# (benchmarks/bench_linear.py sizes): 200k x 100 float64 with the default
# batch 200, 1.53 s copying against 0.80 s gathering; 50k x 100, batch 1024,
# 0.12 s against 0.04 s; but 20k x 100, batch 32, 0.10 s against 0.12 s.
_CPU_COPY_MAX_BYTES = 32 << 20
_CPU_COPY_MAX_BATCH_BYTES = 64 << 10
# Nonzeros gathered at once from sparse X in a shuffled epoch (about 1 MiB of
# float32 values and int32 indices): bench_linear.py's 24 000 x 50 000 CSR at
# batch 64 gathers 2000 rows (31 batches) per call, where a permuted copy of
# the whole CSR held a second copy of its 12 MiB through the epoch.
_GATHER_BLOCK_NONZEROS = 1 << 17

Rows = torch.Tensor | slice | None


def _take(tensor: torch.Tensor, rows: torch.Tensor | slice) -> torch.Tensor:
    if isinstance(rows, slice):
        return tensor[rows]
    return tensor.index_select(0, rows.to(tensor.device, non_blocking=True))


@dataclass
class TrainingData:
    """Features, coded targets and weights of one training or validation set."""

    X: torch.Tensor
    y: torch.Tensor
    sample_weight: torch.Tensor | None
    device: torch.device
    dtype: torch.dtype
    # X.crow_indices() on the host, for sparse X (batch bounds without a sync)
    host_crow: np.ndarray | None = None
    # (rows, n_samples) of the set these rows were taken from (take_rows):
    # scikit-learn's SGD shuffles all rows and skips the validation ones
    source: tuple[np.ndarray, int] | None = None
    # sparse X only: this set's row i is row order[i] of X (permuted), and
    # the block of ordered rows gathered last, (start, stop, CSR tensor)
    order: np.ndarray | None = None
    _block: tuple | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.host_crow is None and is_csr(self.X):
            self.host_crow = self.X.crow_indices().cpu().numpy()

    @property
    def n_samples(self) -> int:
        return self.y.shape[0]

    @property
    def is_sparse(self) -> bool:
        return is_csr(self.X)

    @property
    def total_weight(self) -> float:
        if self.sample_weight is None:
            return float(self.n_samples)
        return float(self.sample_weight.sum())

    def index_device(self) -> torch.device:
        """Where batch indices must live: the host for sparse rows."""
        return torch.device("cpu") if self.is_sparse else self.device

    def features(self, rows: Rows) -> torch.Tensor:
        """Features of ``rows`` (all rows if None) on the device: a dense
        tensor, or a CSR tensor for sparse X."""
        if not self.is_sparse:
            return self.X if rows is None else _take(self.X, rows)
        if self.order is None:
            return self.X if rows is None else csr_rows(self.X, rows,
                                                        self.host_crow)
        if isinstance(rows, slice):
            return self._ordered_slice(rows)
        rows = (self.order if rows is None
                else self.order[rows.cpu().numpy()])
        return csr_rows(self.X, torch.from_numpy(rows), self.host_crow)

    def _ordered_slice(self, rows: slice) -> torch.Tensor:
        """Rows ``rows`` of the ordered set, sliced from the current block
        of gathered rows (a new block when they lie outside it)."""
        start, stop, _ = rows.indices(self.n_samples)
        block = self._block
        if block is None or not block[0] <= start <= stop <= block[1]:
            mean_row = self.host_crow[-1] / max(self.X.shape[0], 1)
            n_rows = max(stop - start,
                         int(_GATHER_BLOCK_NONZEROS / max(mean_row, 1.0)))
            end = min(self.n_samples, start + n_rows)
            rows_of_x = self.order[start:end]
            lengths = self.host_crow[rows_of_x + 1] - self.host_crow[rows_of_x]
            block_crow = np.concatenate([[0], np.cumsum(lengths)])
            block = self._block = (
                start, end, csr_rows(self.X, torch.from_numpy(rows_of_x),
                                     self.host_crow), block_crow)
        return csr_rows(block[2], slice(start - block[0], stop - block[0]),
                        block[3])

    def targets(self, rows: Rows) -> torch.Tensor:
        return self.y if rows is None else _take(self.y, rows)

    def weights(self, rows: Rows) -> torch.Tensor | None:
        if self.sample_weight is None or rows is None:
            return self.sample_weight
        return _take(self.sample_weight, rows)

    def can_permute(self, batch_size: int) -> bool:
        """Whether an epoch should shuffle a copy of the data and slice it
        (True) or gather each batch's rows (False)."""
        if self.is_sparse:
            # batches are slices of blocks gathered in the epoch's order
            # (permuted): one gather per block, not 6 host ops per step
            return True
        n_bytes = self.X.numel() * self.X.element_size()
        if self.device.type == "cpu":
            batch_bytes = batch_size * n_bytes // max(self.n_samples, 1)
            return (n_bytes <= _CPU_COPY_MAX_BYTES
                    and batch_bytes <= _CPU_COPY_MAX_BATCH_BYTES)
        return n_bytes <= _PERMUTED_COPY_BYTES

    def permuted(self, order: torch.Tensor) -> TrainingData:
        """The rows in ``order``, whose batches are contiguous slices: a
        copy of dense X; sparse X stays as it is, and its rows are gathered
        in that order a block at a time as batches ask for them."""
        host_order = order.cpu().numpy()
        if self.is_sparse and self.order is not None:
            host_order = self.order[host_order]
        order = order.to(self.device)
        weights = (None if self.sample_weight is None
                   else self.sample_weight.index_select(0, order))
        y = self.y.index_select(0, order)
        if self.is_sparse:
            return TrainingData(self.X, y, weights, self.device, self.dtype,
                                host_crow=self.host_crow, order=host_order)
        return TrainingData(self.X.index_select(0, order), y, weights,
                            self.device, self.dtype)


def to_training_data(
    X: np.ndarray | sp.spmatrix,
    y: np.ndarray,
    sample_weight: np.ndarray | None,
    device: torch.device,
) -> TrainingData:
    """Move validated ``X`` (float32/float64), coded ``y`` and weights to tensors.

    ``y`` and the weights take the dtype of ``X``. ``sample_weight`` of all ones
    is stored as None.
    """
    dtype = torch.float32 if X.dtype == np.float32 else torch.float64
    if sp.issparse(X):
        features = to_torch_csr(X, device)
    else:
        features = _wrap(np.ascontiguousarray(X), device)
    y = np.asarray(y, dtype=X.dtype)
    targets = _wrap(y.reshape(len(y), -1), device)
    weights = None
    if sample_weight is not None and not np.all(sample_weight == 1):
        weights = _wrap(np.asarray(sample_weight, dtype=X.dtype), device)
    return TrainingData(features, targets, weights, device, dtype)


def _wrap(array: np.ndarray, device: torch.device) -> torch.Tensor:
    """``array`` as a tensor on ``device``, sharing its memory on the CPU.

    torch cannot wrap a read-only array (a memmap, a pandas column under
    copy-on-write) without warning, so only such an array is copied.
    """
    return torch.as_tensor(np.require(array, requirements="W")).to(device)


def take_rows(data: TrainingData, rows: np.ndarray) -> TrainingData:
    """A new TrainingData holding only ``rows`` (used for validation splits)."""
    index = torch.as_tensor(rows, dtype=torch.long)
    X = (data.features(index) if data.is_sparse
         else data.X.index_select(0, index.to(data.device)))
    device_index = index.to(data.device)
    y = data.y.index_select(0, device_index)
    weights = None
    if data.sample_weight is not None:
        weights = data.sample_weight.index_select(0, device_index)
    return TrainingData(X, y, weights, data.device, data.dtype,
                        source=(np.asarray(rows), data.n_samples))
