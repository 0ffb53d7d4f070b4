"""Solver registry: ``solver`` name -> ``torch.optim`` optimizer.

Fused kernels are used where torch has them for the device and dtype: one
kernel updates every parameter, which matters because a small model's step
time here is the number of dispatched ops (about 10 µs each on these CPUs,
see ``benchmarks/bench_linear.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .compat import eager_lbfgs_class, eager_optimizer_class
from .spec import TrainingSpec

ParamGroups = list[dict]


# torch's optimizers without the wrappers that import torch._dynamo (2 s of
# a fresh process's first fit; compat.eager_optimizer_class)
_SGD = eager_optimizer_class(torch.optim.SGD, __name__)
_Adam = eager_optimizer_class(torch.optim.Adam, __name__)
_AdamW = eager_optimizer_class(torch.optim.AdamW, __name__)
_RMSprop = eager_optimizer_class(torch.optim.RMSprop, __name__)
_Adagrad = eager_optimizer_class(torch.optim.Adagrad, __name__)
_LBFGS = eager_lbfgs_class(__name__)


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
