"""Validated arrays -> tensors on the training device.

Dense ``X`` is moved to the device once per fit. Sparse ``X`` stays a CSR matrix
on the host and only the rows of one batch are densified and moved at a time.
Rows are addressed by index tensors; ``sample_weight=None`` means all ones and
saves an op per step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import torch

# Rows densified at once from a sparse matrix: at most this many elements.
_SPARSE_CHUNK_ELEMENTS = 1 << 22
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

Rows = torch.Tensor | slice | None


def _take(tensor: torch.Tensor, rows: torch.Tensor | slice) -> torch.Tensor:
    if isinstance(rows, slice):
        return tensor[rows]
    return tensor.index_select(0, rows.to(tensor.device, non_blocking=True))


def _host_rows(rows: torch.Tensor | slice):
    return rows if isinstance(rows, slice) else rows.numpy()


@dataclass
class TrainingData:
    """Features, coded targets and weights of one training or validation set."""

    X: torch.Tensor | sp.csr_matrix
    y: torch.Tensor
    sample_weight: torch.Tensor | None
    device: torch.device
    dtype: torch.dtype

    @property
    def n_samples(self) -> int:
        return self.y.shape[0]

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.X)

    @property
    def total_weight(self) -> float:
        if self.sample_weight is None:
            return float(self.n_samples)
        return float(self.sample_weight.sum())

    def index_device(self) -> torch.device:
        """Where batch indices must live: the host for sparse rows."""
        return torch.device("cpu") if self.is_sparse else self.device

    def features(self, rows: Rows) -> torch.Tensor:
        """Dense features of ``rows`` (all rows if None) on the device."""
        if not self.is_sparse:
            return self.X if rows is None else _take(self.X, rows)
        block = self.X if rows is None else self.X[_host_rows(rows)]
        return torch.from_numpy(block.toarray()).to(self.device)

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
            return False
        n_bytes = self.X.numel() * self.X.element_size()
        if self.device.type == "cpu":
            batch_bytes = batch_size * n_bytes // max(self.n_samples, 1)
            return (n_bytes <= _CPU_COPY_MAX_BYTES
                    and batch_bytes <= _CPU_COPY_MAX_BATCH_BYTES)
        return n_bytes <= _PERMUTED_COPY_BYTES

    def permuted(self, order: torch.Tensor) -> TrainingData:
        """A copy with rows in ``order``: batches become contiguous slices."""
        order = order.to(self.device)
        weights = (None if self.sample_weight is None
                   else self.sample_weight.index_select(0, order))
        return TrainingData(self.X.index_select(0, order),
                            self.y.index_select(0, order), weights, self.device,
                            self.dtype)

    def chunks(self, rows: Rows) -> list[Rows]:
        """Split ``rows`` so that no sparse block densifies too many elements."""
        if not self.is_sparse:
            return [rows]
        n_features = max(self.X.shape[1], 1)
        chunk_rows = max(1, _SPARSE_CHUNK_ELEMENTS // n_features)
        if rows is None:
            rows = torch.arange(self.n_samples)
        return list(rows.split(chunk_rows)) if len(rows) > chunk_rows else [rows]


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
        features = sp.csr_matrix(X)
    else:
        # torch cannot wrap a read-only array (a memmap, say) without a copy
        X = np.ascontiguousarray(X) if X.flags.writeable else X.copy()
        features = torch.as_tensor(X).to(device)
    y = np.asarray(y, dtype=X.dtype)
    targets = torch.as_tensor(y.reshape(len(y), -1)).to(device)
    weights = None
    if sample_weight is not None and not np.all(sample_weight == 1):
        weights = torch.as_tensor(np.asarray(sample_weight, dtype=X.dtype)).to(device)
    return TrainingData(features, targets, weights, device, dtype)


def take_rows(data: TrainingData, rows: np.ndarray) -> TrainingData:
    """A new TrainingData holding only ``rows`` (used for validation splits)."""
    index = torch.as_tensor(rows, dtype=torch.long)
    X = data.X[rows] if data.is_sparse else data.X.index_select(
        0, index.to(data.device))
    device_index = index.to(data.device)
    y = data.y.index_select(0, device_index)
    weights = None
    if data.sample_weight is not None:
        weights = data.sample_weight.index_select(0, device_index)
    return TrainingData(X, y, weights, data.device, data.dtype)
