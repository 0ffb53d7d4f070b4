"""The only importer of private torch and scipy names, for the engine.

When torch or scipy moves one of these, only this file changes. It is apart
from ``_compat.py`` (scikit-learn's private names) because the engine never
imports scikit-learn.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
from torch.optim.adam import adam as functional_adam

try:
    # Y += A @ X for a CSC matrix A, in place: the kernel behind scipy's
    # public CSC @ dense product, which would allocate Y anew
    from scipy.sparse._sparsetools import csc_matvecs
except ImportError:  # pragma: no cover - a scipy without it: the product
    csc_matvecs = None

__all__ = [
    "csc_matvecs",
    "csr_row_indices",
    "eager_lbfgs_class",
    "eager_optimizer_class",
    "foreach_lerp_",
    "functional_adam",
    "mark_optimizer_stepped",
    "relu_backward",
]


def csr_row_indices(crow: torch.Tensor, col: torch.Tensor) -> torch.Tensor:
    """The row of each stored value of a CSR tensor (its COO row indices)."""
    return torch._convert_indices_from_csr_to_coo(
        crow, col, out_int32=crow.dtype == torch.int32)[0]


def relu_backward(out: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    """``grad`` where the ReLU's output is positive, else 0: one aten op;
    ``torch.where(out > 0, grad, 0)`` costs three times as much."""
    return torch.ops.aten.threshold_backward(grad, out, 0)


def foreach_lerp_(targets: list[torch.Tensor], ends: list[torch.Tensor],
                  weight: float) -> None:
    """``target += weight * (end - target)`` for each pair, in one kernel."""
    torch._foreach_lerp_(targets, ends, weight)


def mark_optimizer_stepped(optimizer: torch.optim.Optimizer) -> None:
    """Tell ``optimizer``'s scheduler that the optimizer stepped.

    Updates that bypass ``Optimizer.step()`` skip the wrapper that records
    it, and the scheduler would warn that its steps came in the wrong order.
    """
    optimizer._opt_called = True


# ------------------------------------------------ optimizers without dynamo
def _undecorated(method: Callable) -> Callable:
    """``method`` without torch's ``_disable_dynamo`` wrapper, where it has
    one (``functools.wraps`` keeps the original as ``__wrapped__``)."""
    return getattr(method, "__wrapped__", method)


class _Eager:
    """The optimizer's own methods, without the wrappers that import
    ``torch._dynamo``.

    ``Optimizer.__init__``, ``state_dict``, ``load_state_dict`` and every
    ``step()`` are wrapped for ``torch.compile``; the wrappers import
    ``torch._dynamo`` on their first call: 2 s of the first fit in a fresh
    process (or joblib worker), against 0.1 s for the fit itself on iris.
    Nothing here is compiled, so the wrappers only switch grad mode (kept) and
    mark graph breaks for a tracer that never runs.
    """

    add_param_group = _undecorated(torch.optim.Optimizer.add_param_group)
    state_dict = _undecorated(torch.optim.Optimizer.state_dict)
    load_state_dict = _undecorated(torch.optim.Optimizer.load_state_dict)
    zero_grad = _undecorated(torch.optim.Optimizer.zero_grad)
    _raw_step: Callable

    def step(self, closure=None):
        """One update (the parent's ``step``, under its grad mode)."""
        with torch.set_grad_enabled(self.defaults["differentiable"]):
            return self._raw_step(closure)


def eager_optimizer_class(optimizer_class: type, module: str) -> type:
    """``optimizer_class`` with :class:`_Eager`'s methods; same name, so it
    reads the same in a ``repr`` and ``isinstance`` still holds."""
    # the undecorated step; inspect.unwrap also strips the profiling hook
    # torch adds to the class on its first instance (ours gets its own)
    raw_step = inspect.unwrap(optimizer_class.step)
    return type(optimizer_class.__name__, (_Eager, optimizer_class),
                {"_raw_step": raw_step, "__module__": module,
                 "__qualname__": f"_{optimizer_class.__name__}"})


def eager_lbfgs_class(module: str) -> type:
    """``torch.optim.LBFGS`` with :class:`_Eager`'s methods but its own
    ``step``, which is only under ``no_grad`` (no dynamo import)."""
    return type("LBFGS", (_Eager, torch.optim.LBFGS),
                {"step": torch.optim.LBFGS.step, "__module__": module,
                 "__qualname__": "_LBFGS"})
