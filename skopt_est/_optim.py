"""Solver registry: ``solver`` name -> ``torch.optim`` optimizer.

Fused kernels are used where torch has them for the device and dtype: one
kernel updates every parameter, which matters because a small model's step
time here is the number of dispatched ops (about 10 µs each on these CPUs,
see ``benchmarks/bench_linear.py``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch

from ._spec import TrainingSpec

ParamGroups = list[dict]


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


def _eager_class(optimizer_class: type) -> type:
    """``optimizer_class`` with :class:`_Eager`'s methods; same name, so it
    reads the same in a ``repr`` and ``isinstance`` still holds."""
    # the undecorated step; inspect.unwrap also strips the profiling hook
    # torch adds to the class on its first instance (ours gets its own)
    raw_step = inspect.unwrap(optimizer_class.step)
    return type(optimizer_class.__name__, (_Eager, optimizer_class),
                {"_raw_step": raw_step, "__module__": __name__,
                 "__qualname__": f"_{optimizer_class.__name__}"})


_SGD = _eager_class(torch.optim.SGD)
_Adam = _eager_class(torch.optim.Adam)
_AdamW = _eager_class(torch.optim.AdamW)
_RMSprop = _eager_class(torch.optim.RMSprop)
_Adagrad = _eager_class(torch.optim.Adagrad)
# L-BFGS's step is only under no_grad (no dynamo import): its own step stays
_LBFGS = type("LBFGS", (_Eager, torch.optim.LBFGS),
              {"step": torch.optim.LBFGS.step, "__module__": __name__,
               "__qualname__": "_LBFGS"})


def _fast_kwargs(param_groups: ParamGroups, fusable: bool) -> dict:
    """``fused=True`` where torch supports it, else ``foreach=True``."""
    params = [p for group in param_groups for p in group["params"]]
    device_type = params[0].device.type
    if fusable and device_type in ("cpu", "cuda", "mps"):
        return {"fused": True}
    return {"foreach": True}


def _make_sgd(spec: TrainingSpec, param_groups: ParamGroups) -> torch.optim.Optimizer:
    momentum = spec.momentum
    return _SGD(
        param_groups,
        lr=spec.lr,
        momentum=momentum,
        nesterov=bool(spec.nesterov and momentum > 0),
        **_fast_kwargs(param_groups, fusable=True),
    )


def _adam_family(optimizer_class: type[torch.optim.Optimizer]):
    """Factory for Adam and AdamW, which take the same arguments."""

    def make(spec: TrainingSpec, param_groups: ParamGroups) -> torch.optim.Optimizer:
        return optimizer_class(
            param_groups,
            lr=spec.lr,
            betas=(spec.beta_1, spec.beta_2),
            eps=spec.adam_epsilon,
            **_fast_kwargs(param_groups, fusable=True),
        )

    return make


def _make_rmsprop(
    spec: TrainingSpec, param_groups: ParamGroups
) -> torch.optim.Optimizer:
    return _RMSprop(
        param_groups,
        lr=spec.lr,
        alpha=spec.beta_2,
        eps=spec.adam_epsilon,
        momentum=spec.momentum,
        **_fast_kwargs(param_groups, fusable=False),
    )


def _make_adagrad(
    spec: TrainingSpec, param_groups: ParamGroups
) -> torch.optim.Optimizer:
    return _Adagrad(
        param_groups,
        lr=spec.lr,
        eps=spec.adam_epsilon,
        **_fast_kwargs(param_groups, fusable=True),
    )


def _make_lbfgs(
    spec: TrainingSpec, param_groups: ParamGroups
) -> torch.optim.Optimizer:
    # L-BFGS takes one parameter group: the L2 term goes into its closure.
    params = [p for group in param_groups for p in group["params"]]
    return _LBFGS(
        params,
        lr=1.0,
        max_iter=spec.max_iter,
        max_eval=spec.max_fun,
        tolerance_grad=spec.tol if spec.tol is not None else 0.0,
        tolerance_change=2.2e-9,
        history_size=10,
        line_search_fn="strong_wolfe",
    )


_SOLVERS: dict[str, Callable[[TrainingSpec, ParamGroups], torch.optim.Optimizer]] = {
    "sgd": _make_sgd,
    "adam": _adam_family(_Adam),
    "adamw": _adam_family(_AdamW),
    "rmsprop": _make_rmsprop,
    "adagrad": _make_adagrad,
    "lbfgs": _make_lbfgs,
}

STOCHASTIC_SOLVERS = tuple(name for name in _SOLVERS if name != "lbfgs")

# Solvers whose L2 is a decoupled weight decay: it stays out of the gradient.
DECOUPLED_DECAY_SOLVERS = ("adamw",)


def make_optimizer(
    spec: TrainingSpec, param_groups: ParamGroups
) -> torch.optim.Optimizer:
    """Build the optimizer named by ``spec.solver`` over ``param_groups``.

    Each group may carry its own ``weight_decay`` (the L2 penalty, weights only).
    """
    return _SOLVERS[spec.solver](spec, param_groups)
