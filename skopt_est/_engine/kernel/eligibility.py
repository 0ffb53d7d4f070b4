"""Which torch-path fits the compiled kernel runs.

The rules on the spec are :mod:`compiled`'s (``per_sample_sgd``,
``one_problem_per_head``), shared with the kernel's lane (:mod:`lane`),
which takes scikit-learn's SGD fits before any tensor exists. Here
:func:`kernel_kind` answers once per torch-path fit, before any part is
built, adding what only the torch path has (a module, tensors, a device):
``'heads'`` where scikit-learn fits one binary (or regression) problem per
head under a torch epoch schedule (:class:`heads.HeadsRunner`); ``'joint'``
for all heads in one pass (the multinomial log loss, multi-output
regression: :class:`joint.JointEpoch`); None where torch's steps must run.
``SKOPT_EST_NO_KERNEL=1`` asks for the torch path on purpose
(docs/user_guide/batch_modes.rst).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch

from ..modules import LinearModel
from ..rates import PASSIVE_AGGRESSIVE
from ..spec import TrainingSpec
from .compiled import (
    DISABLE_ENV,
    kernel_disabled,
    one_problem_per_head,
    per_sample_sgd,
)

KERNEL_DTYPES = (torch.float64, torch.float32)


def csr_parts(X) -> tuple | None:
    """(indptr int64, indices int32, values) of a scipy or torch CSR matrix,
    kept alive by the caller; None if ``X`` is neither."""
    if isinstance(X, torch.Tensor):
        if X.layout != torch.sparse_csr or X.device.type != "cpu":
            return None
        indptr = X.crow_indices().to(torch.int64).contiguous()
        indices = X.col_indices().to(torch.int32).contiguous()
        values = X.values().contiguous()
        return indptr, indices, values
    if not sp.issparse(X) or X.format != "csr":
        return None
    indptr = torch.from_numpy(np.ascontiguousarray(X.indptr, dtype=np.int64))
    indices = torch.from_numpy(np.ascontiguousarray(X.indices, dtype=np.int32))
    values = torch.from_numpy(np.ascontiguousarray(X.data))
    return indptr, indices, values


def _is_sparse(X) -> bool:
    return sp.issparse(X) or (isinstance(X, torch.Tensor)
                              and X.layout != torch.strided)


def kernel_kind(module, train, spec: TrainingSpec) -> str | None:
    """``'heads'``, ``'joint'`` or None: how the kernel runs this fit, if it
    does (module doc).

    Eligible: a CPU fit of a :class:`LinearModel` without dropout, at
    ``batch_size=1`` (more than one row), plain SGD without momentum
    (``solver='sgd'``, ``momentum=0``: one parameter group, the L2 term in
    the gradient), scikit-learn's SGD scaling (not the MLP's per-batch
    penalty), X dense or CSR (scipy or torch) of float32 or float64, any
    penalty, any ``average``, any learning-rate schedule (the per-update
    clocks are evaluated in the kernel, the rest hold the rate constant
    within an epoch), and a loss the kernel codes: every regression loss
    (also GDClassifier's ±1-coded ones), hinge, perceptron, squared hinge,
    modified Huber, binary and multinomial log loss. The joint epoch weighs
    rows, so class weights per (row, head) leave it to the torch path, and
    the passive-aggressive steps (``'pa1'``, ``'pa2'``) run on the heads
    only (:func:`check_kernel_runs`).
    """
    if not (type(module) is LinearModel and module.input_dropout.p == 0
            and per_sample_sgd(spec, train.n_samples)
            and train.device.type == "cpu" and train.dtype in KERNEL_DTYPES):
        return None
    sparse = _is_sparse(train.X)
    csr = csr_parts(train.X) if sparse else None
    if sparse and csr is None:
        return None
    weight, bias = module.linear.weight, module.linear.bias
    dense = [train.y, weight] + ([] if sparse else [train.X])
    if train.sample_weight is not None:
        dense.append(train.sample_weight)
    if bias is not None:
        dense.append(bias)
    if csr is not None:
        dense.append(csr[2])
    if any(t.dtype != train.dtype or not t.is_contiguous()
           or t.device.type != "cpu" for t in dense):
        return None
    n_heads = weight.shape[0]
    if one_problem_per_head(spec, n_heads):
        return "heads"
    if spec.learning_rate in PASSIVE_AGGRESSIVE:  # one head per problem only
        return None
    if (spec.head_weights and n_heads > 1
            and spec.loss.target_kind == "sign"):
        return None  # a class weight per (row, head) (parts.class_weighted)
    return "joint"


def check_kernel_runs(spec: TrainingSpec, kind: str | None) -> None:
    """Refuse a fit whose schedule only the per-head kernel has ('pa1',
    'pa2') where it does not run."""
    if spec.learning_rate in PASSIVE_AGGRESSIVE and kind != "heads":
        reason = (f"{DISABLE_ENV} is set" if kernel_disabled() else
                  "this fit is not one per-sample problem per output on the CPU")
        raise ValueError(
            f"learning_rate={spec.learning_rate!r} runs on the compiled "
            f"per-sample kernel only, and {reason}: fit one output at a time "
            "on device='cpu' with solver='sgd', batch_size=1, or choose "
            "another learning_rate.")
