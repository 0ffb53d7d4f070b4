"""The stepper: turns a gradient into a parameter update, and keeps the clock.

One :class:`Stepper` per fit owns

- the ``torch.optim`` optimizer and, for epoch schedules, its scheduler
  (restored from the previous fit's state when one continues);
- the update itself: ``Optimizer.step()``, or a fast path that does the same
  arithmetic with less Python (plain SGD in place, torch's functional Adam);
- the L1 step after each update (exact zeros; ``penalties.make_l1_step``:
  cumulative for plain SGD, preconditioned for the adaptive solvers);
- the learning-rate clock: clock schedules (``'invscaling'``, ``'optimal'``)
  evaluated per update or per epoch, epoch schedulers stepped per epoch;
- iterate averaging (``average``) and the counters ``n_updates`` and
  ``n_samples_seen`` of the :class:`TrainingState`.

It expects ``.grad`` set by a gradient of ``gradients`` before each
:meth:`Stepper.step`. A new update rule (a cumulative L1 penalty, exact
averaging) is a change to one of these pieces, not to the loop.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .compat import foreach_lerp_, functional_adam, mark_optimizer_stepped
from .objective import Objective
from .optim import make_optimizer
from .penalties import make_l1_step
from .rates import clock_lr, is_clock_schedule
from .regularisation import Penalty
from .schedules import make_scheduler
from .sparse import memory_order
from .spec import TrainingSpec
from .state import TrainingState


class Stepper:
    """Optimizer, fast update, L1 step, learning-rate clock and averaging.

    Build it with :func:`make_stepper`.
    """

    def __init__(self, spec: TrainingSpec, optimizer: torch.optim.Optimizer,
                 weights: list[torch.Tensor], penalty: Penalty,
                 state: TrainingState) -> None:
        self.optimizer = optimizer
        self.scheduler = make_scheduler(spec, optimizer)
        _restore_optimizer(optimizer, self.scheduler, state, spec)
        params = [p for group in optimizer.param_groups for p in group["params"]]
        self._update = fast_update(optimizer, params, spec)
        self._group = optimizer.param_groups[0]
        self._spec = spec
        self._state = state
        # the L1 step, called with this step's rate times the penalty factor
        self._l1_step = make_l1_step(
            spec.solver, weights, penalty, optimizer,
            cumulative=not spec.penalty_per_batch_weight)
        self._per_update_clock = is_clock_schedule(spec.learning_rate) and (
            spec.clock == "updates")
        self._per_epoch_clock = is_clock_schedule(spec.learning_rate) and (
            spec.clock == "samples")
        self._averager = Averager(params, state, spec.average_start)

    @property
    def lr(self) -> float:
        """The current learning rate."""
        return self._group["lr"]

    def set_lr(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = lr

    def step(self, n_rows: int, penalty_factor: float) -> None:
        """Update from ``.grad`` after a batch of ``n_rows`` rows; the L1 step
        is ``lr * penalty_factor * l1`` (see ``Objective.batch_terms``)."""
        self._update()
        if self._l1_step is not None:
            self._l1_step(self._group["lr"] * penalty_factor)
        state = self._state
        state.n_updates += 1
        state.n_samples_seen += n_rows
        if self._per_update_clock:
            self.set_lr(clock_lr(self._spec, state.n_updates))
        if self._averager.start and state.n_samples_seen >= self._averager.start:
            self._averager.update()

    def end_epoch(self) -> None:
        """Advance the epoch schedule (after every update of the epoch)."""
        if self.scheduler is not None:
            # the fast updates bypass Optimizer.step()
            mark_optimizer_stepped(self.optimizer)
            self.scheduler.step()
        if self._per_epoch_clock:
            self.set_lr(clock_lr(self._spec, self._state.n_samples_seen))

    def finish(self) -> None:
        """Store what continues into the state; expose averaged weights."""
        state = self._state
        state.lr = self.lr
        state.optimizer_state = _to_host(self.optimizer.state_dict())
        state.scheduler_state = (self.scheduler.state_dict()
                                 if self.scheduler is not None else None)
        self._averager.finish()


def make_stepper(spec: TrainingSpec, weights: list[torch.Tensor],
                 biases: list[torch.Tensor], objective: Objective,
                 state: TrainingState) -> Stepper:
    """The stepper of ``spec`` over ``weights`` and ``biases``.

    One parameter group when the gradient carries the L2 term: it halves the
    optimizer's per-step overhead (one fused kernel and one pass of
    bookkeeping instead of two). A decoupled decay (AdamW) keeps the
    optimizer's ``weight_decay`` on a group of its own.
    """
    if objective.decoupled_l2:
        groups = [{"params": weights, "weight_decay": objective.penalty.l2},
                  {"params": biases, "weight_decay": 0.0}]
    else:
        groups = [{"params": weights + biases, "weight_decay": 0.0}]
    return Stepper(spec, make_optimizer(spec, groups), weights,
                   objective.penalty, state)


# ----------------------------------------------------------------- updates
def fast_update(optimizer: torch.optim.Optimizer, params: list[torch.Tensor],
                spec: TrainingSpec) -> Callable[[], None]:
    """The parameter update of one step.

    ``Optimizer.step()`` wraps its kernel in about 45 µs of Python (profiler
    hooks, grad-mode switches, state grouping): most of a linear model's step
    and a fifth of a small MLP's (benchmarks/bench_linear.py, bench_mlp.py).
    With one parameter group (the L2 term already in the gradient) plain SGD
    is written out, and Adam calls torch's functional ``adam`` on the
    optimizer's own state once the first ``step()`` has created it.
    """
    if len(optimizer.param_groups) != 1:
        return optimizer.step
    if spec.solver == "sgd" and spec.momentum == 0:
        return _plain_sgd_update(optimizer, params)
    if spec.solver == "adam":
        return _functional_adam_update(optimizer, params)
    return optimizer.step


def _plain_sgd_update(optimizer, params) -> Callable[[], None]:
    group = optimizer.param_groups[0]

    @torch.no_grad()
    def plain_sgd_step() -> None:
        lr = -group["lr"]
        for param in params:
            param.add_(param.grad, alpha=lr)

    return plain_sgd_step


def _functional_adam_update(optimizer, params) -> Callable[[], None]:
    group = optimizer.param_groups[0]
    # params, first and second moments, as tensors of row-major memory
    # (memory_order) once the moments exist
    tensors: list[list[torch.Tensor]] = []
    states: list[dict] = []

    @torch.no_grad()
    def adam_step() -> None:
        if not states:
            stepped = not _init_adam_state(optimizer, params)
            if stepped:
                optimizer.step()  # creates the moments and step counters
            states.extend(optimizer.state[param] for param in params)
            if stepped:
                return
        if not tensors:
            tensors.extend([
                [memory_order(param) for param in params],
                [memory_order(state["exp_avg"]) for state in states],
                [memory_order(state["exp_avg_sq"]) for state in states]])
        beta1, beta2 = group["betas"]
        functional_adam(
            tensors[0], [memory_order(param.grad) for param in params],
            tensors[1], tensors[2], [],
            [state["step"] for state in states],
            foreach=group["foreach"], fused=group["fused"], amsgrad=False,
            beta1=beta1, beta2=beta2, lr=group["lr"],
            weight_decay=group["weight_decay"], eps=group["eps"], maximize=False,
        )

    return adam_step


def _init_adam_state(optimizer, params) -> bool:
    """Create Adam's state before the first step as ``torch.optim.Adam``
    would (its ``_init_group``), where a parameter is column-major and the
    state is fresh; True if it did.

    ``Optimizer.step()`` would run the first update on the column-major
    weight, which torch's fused CPU kernel copies in and out: a (64, 50000)
    weight's 12 MiB on top of the weights, their gradient and both moments,
    the peak of bench_linear.py's sparse MLP fit.
    """
    group = optimizer.param_groups[0]
    if (group["amsgrad"] or any(optimizer.state[param] for param in params)
            or all(memory_order(param) is param for param in params)):
        return False
    fused = bool(group["fused"])
    step_dtype = (torch.float32 if fused
                  or torch.get_default_dtype() != torch.float64
                  else torch.float64)
    for param in params:
        optimizer.state[param].update(
            step=(torch.zeros((), dtype=step_dtype, device=param.device)
                  if group["capturable"] or fused
                  else torch.tensor(0.0, dtype=step_dtype)),
            exp_avg=torch.zeros_like(param, memory_format=torch.preserve_format),
            exp_avg_sq=torch.zeros_like(param,
                                        memory_format=torch.preserve_format))
    return True


# --------------------------------------------------------------- averaging
class Averager:
    """The running mean of the iterates once ``start`` samples were seen.

    Training continues from the raw iterates (kept in the state between
    fits); the module exposes the averages after :meth:`finish`.
    """

    def __init__(self, params: list[torch.Tensor], state: TrainingState,
                 start: int) -> None:
        self.start = start
        self._params = params
        self._state = state
        # (numpy arrays where the compiled kernel's lane or heads left them)
        if state.averaged_params is not None:
            state.averaged_params = [torch.as_tensor(average).to(param.device)
                                     for average, param
                                     in zip(state.averaged_params, params)]
        if state.raw_params is not None:
            with torch.no_grad():
                for param, raw in zip(params, state.raw_params):
                    param.copy_(torch.as_tensor(raw))

    def update(self) -> None:
        state = self._state
        with torch.no_grad():
            if state.averaged_params is None:
                state.averaged_params = [p.detach().clone() for p in self._params]
                state.n_averaged = 1
                return
            state.n_averaged += 1
            foreach_lerp_(state.averaged_params,
                          [p.detach() for p in self._params],
                          1.0 / state.n_averaged)

    def finish(self) -> None:
        state = self._state
        if state.averaged_params is None:
            return
        with torch.no_grad():
            state.raw_params = [p.detach().cpu().clone() for p in self._params]
            for param, average in zip(self._params, state.averaged_params):
                param.copy_(torch.as_tensor(average))
            state.averaged_params = [torch.as_tensor(a).cpu()
                                     for a in state.averaged_params]


# ------------------------------------------------------------ continuation
def _restore_optimizer(optimizer, scheduler, state: TrainingState,
                       spec: TrainingSpec) -> None:
    """Continue the previous optimizer's state (moments, step counts) and
    schedule, under the hyperparameters of ``spec``; a changed solver starts
    afresh."""
    if state.optimizer_state is not None and state.solver == spec.solver:
        settings = [{key: value for key, value in group.items() if key != "params"}
                    for group in optimizer.param_groups]
        optimizer.load_state_dict(state.optimizer_state)
        for group, fresh in zip(optimizer.param_groups, settings):
            group.update({key: value for key, value in fresh.items()
                          if key not in ("lr", "initial_lr")})
        if scheduler is not None and state.scheduler_state is not None:
            scheduler.load_state_dict(state.scheduler_state)
        if state.lr is not None:
            for group in optimizer.param_groups:
                group["lr"] = state.lr
    elif is_clock_schedule(spec.learning_rate):
        clock = (state.n_updates if spec.clock == "updates"
                 else state.n_samples_seen)
        for group in optimizer.param_groups:
            group["lr"] = clock_lr(spec, clock)
    state.solver = spec.solver


def _to_host(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {key: _to_host(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(item) for item in value)
    return value
