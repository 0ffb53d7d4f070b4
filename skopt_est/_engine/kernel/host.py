"""Training data as the compiled kernel reads it: host numpy arrays.

:class:`HostData` is what the one-vs-all heads (:mod:`heads`) train on: the
compiled kernel's lane (:mod:`lane`) builds it from the validated arrays,
without torch; the torch path hands over views of its CPU tensors
(``parts.host_data``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class HostData:
    """Features, coded targets and weights of one training or validation set.

    ``X`` is a C-contiguous array or a scipy CSR matrix; ``y`` is
    (n_samples, n_outputs), C-contiguous, in ``X``'s dtype; ``sample_weight``
    None means all ones. ``source``: (rows, n_samples) of the set these rows
    were taken from (:func:`take_host_rows`): scikit-learn's SGD shuffles all
    rows and skips the validation ones.
    """

    X: np.ndarray | sp.csr_matrix
    y: np.ndarray
    sample_weight: np.ndarray | None
    source: tuple[np.ndarray, int] | None = None

    @property
    def n_samples(self) -> int:
        return self.y.shape[0]

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.X)

    @property
    def single(self) -> bool:
        """Whether the data are float32 (else float64)."""
        return self.y.dtype == np.float32

    @property
    def total_weight(self) -> float:
        if self.sample_weight is None:
            return float(self.n_samples)
        return float(self.sample_weight.sum())

    def outputs(self, weight: np.ndarray, bias: np.ndarray | None) -> np.ndarray:
        """The linear model's raw outputs on every row, (n_samples, n_outputs)."""
        output = np.asarray(self.X @ weight.T)
        return output if bias is None else output + bias


def host_data(X, coded_y: np.ndarray,
              sample_weight: np.ndarray | None) -> HostData:
    """Validated ``X`` (float32/float64, dense or CSR/CSC) and coded ``y`` as
    the kernel reads them; weights of all ones are stored as None."""
    if sp.issparse(X):
        # as the torch path's CSR: duplicates summed, indices left in order
        X = sp.csr_matrix(X)
    else:
        X = np.ascontiguousarray(X)
    y = np.ascontiguousarray(np.asarray(coded_y, dtype=X.dtype).reshape(
        len(coded_y), -1))
    weights = None
    if sample_weight is not None and not np.all(sample_weight == 1):
        weights = np.ascontiguousarray(sample_weight, dtype=X.dtype)
    return HostData(X, y, weights)


def take_host_rows(data: HostData, rows: np.ndarray) -> HostData:
    """The rows ``rows`` of ``data`` (validation splits)."""
    weights = None if data.sample_weight is None else data.sample_weight[rows]
    X = data.X[rows] if data.is_sparse else np.ascontiguousarray(data.X[rows])
    return HostData(X, np.ascontiguousarray(data.y[rows]), weights,
                    source=(np.asarray(rows), data.n_samples))


def csr_arrays(X: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr int64, indices int32, values) of a CSR matrix, contiguous,
    kept alive by the caller."""
    return (np.ascontiguousarray(X.indptr, dtype=np.int64),
            np.ascontiguousarray(X.indices, dtype=np.int32),
            np.ascontiguousarray(X.data))
