"""The epoch loop shared by every estimator. Knows torch, never scikit-learn.

``run_training(module, train, spec, state, validation)`` trains ``module`` in
place and returns the updated :class:`TrainingState`. Each epoch draws one
permutation from a seeded CPU generator and slices mini-batches from device
tensors (no ``DataLoader``); the loss is accumulated on the device and read
once per epoch, for ``loss_curve``, the divergence check and ``tol``.
"""

from __future__ import annotations

import contextlib
import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.optim.adam import adam as functional_adam
from tqdm.auto import tqdm

from ._data import TrainingData, to_training_data
from ._device import intra_op_threads
from ._losses import Loss, accuracy_score, r2_score
from ._modules import dropout_layers, weights_and_biases
from ._optim import make_optimizer
from ._penalties import Penalty, make_penalty
from ._schedules import clock_lr, is_clock_schedule, make_scheduler
from ._spec import TrainingSpec

# scikit-learn's floor for 'adaptive': below it training stops instead.
_MIN_ADAPTIVE_LR = 1e-6
_ADAPTIVE_DIVISOR = 5.0


@dataclass
class TrainingState:
    """Everything that continues from one fit to the next (warm start,
    partial_fit). Tensors in it live on the host after training."""

    n_iter: int = 0
    n_updates: int = 0
    n_samples_seen: int = 0
    loss_curve: list[float] = field(default_factory=list)
    validation_scores: list[float] = field(default_factory=list)
    best_loss: float = math.inf
    best_validation_score: float = -math.inf
    no_improvement_count: int = 0
    lr: float | None = None
    solver: str | None = None
    converged: bool = False
    optimizer_state: dict | None = None
    scheduler_state: dict | None = None
    generator_state: torch.Tensor | None = None
    averaged_params: list[torch.Tensor] | None = None
    raw_params: list[torch.Tensor] | None = None
    n_averaged: int = 0


class TrainingDiverged(ValueError):
    """The loss became NaN or infinite."""


def run_training(
    module: nn.Module,
    train: TrainingData,
    spec: TrainingSpec,
    state: TrainingState | None = None,
    validation: TrainingData | None = None,
) -> TrainingState:
    """Train ``module`` in place by ``spec`` and return the new state.

    Raises
    ------
    TrainingDiverged
        If the training loss stops being finite.
    """
    state = copy.deepcopy(state) if state is not None else TrainingState()
    generator = torch.Generator().manual_seed(spec.seed)
    if state.generator_state is not None:
        generator.set_state(state.generator_state)
    with intra_op_threads(spec.n_threads), _seeded_dropout(module, generator,
                                                           train.device):
        if spec.solver == "lbfgs":
            _run_lbfgs(module, train, spec, state)
        else:
            _run_epochs(module, train, spec, state, validation, generator)
    state.generator_state = generator.get_state()
    return state


@contextlib.contextmanager
def _seeded_dropout(module: nn.Module, generator: torch.Generator,
                    device: torch.device) -> Iterator[None]:
    layers = dropout_layers(module)
    dropout_generator = generator
    if device.type != "cpu" and layers:
        seed = int(torch.randint(2**62, (1,), generator=generator))
        dropout_generator = torch.Generator(device=device).manual_seed(seed)
    for layer in layers:
        layer.generator = dropout_generator
    module.train()
    try:
        yield
    finally:
        for layer in layers:
            layer.generator = None
        module.eval()


def _backward_function(module: nn.Module) -> tuple[Callable, bool]:
    """The module's hand-written backward if it has one, else autograd's.

    Returns the function and whether it sets (rather than adds to) ``.grad``.
    """
    has_closed_form = getattr(module, "has_closed_form", None)
    if has_closed_form is not None and has_closed_form():
        return module.closed_form_backward, True

    def autograd_backward(X, target, weight, loss: Loss, scale, accumulate,
                          l2=0.0):
        values = loss.value(module(X), target)
        if weight is not None:
            values = values * weight
        total = values.sum()
        (total / scale).backward()
        return total.detach()

    return autograd_backward, False


def _batch_loss(backward: Callable, data: TrainingData, rows, loss: Loss,
                scale: float, l2: float = 0.0) -> torch.Tensor:
    """Set the gradient of one batch; return its weighted loss sum."""
    total = None
    for index, chunk in enumerate(data.chunks(rows)):
        value = backward(data.features(chunk), data.targets(chunk),
                         data.weights(chunk), loss, scale, index > 0, l2)
        total = value if total is None else total + value
    return total


def _param_groups(weights, biases, l2: float, fuse_l2: bool) -> list[dict]:
    """One group when the backward adds the L2 gradient itself, else two.

    One group halves the optimizer's per-step overhead (one fused kernel and
    one pass of bookkeeping instead of two); AdamW's decay is decoupled from
    the gradient, so it always keeps the optimizer's ``weight_decay``.
    """
    if fuse_l2:
        return [{"params": weights + biases, "weight_decay": 0.0}]
    return [{"params": weights, "weight_decay": l2},
            {"params": biases, "weight_decay": 0.0}]


def _run_epochs(module, train, spec, state, validation, generator) -> None:
    weights, biases = weights_and_biases(module)
    penalty = make_penalty(spec)
    backward, sets_grad = _backward_function(module)
    fuse_l2 = sets_grad and spec.solver != "adamw"
    optimizer = make_optimizer(spec, _param_groups(weights, biases, penalty.l2,
                                                   fuse_l2))
    scheduler = make_scheduler(spec, optimizer)
    _restore_optimizer(optimizer, scheduler, state, spec)
    params = weights + biases
    _restore_raw_params(params, state)
    fused_l2 = penalty.l2 if fuse_l2 else 0.0
    best_params = None
    progress = tqdm(range(spec.max_iter), disable=not spec.verbose,
                    desc="epochs", leave=False)
    for _ in progress:
        loss_sum = _run_epoch(train, spec, optimizer, penalty, weights, params,
                              state, generator, backward, sets_grad, fused_l2)
        mean_loss = loss_sum / train.total_weight
        mean_loss += float(penalty.value(weights).detach()) if weights else 0.0
        _check_finite(mean_loss, state.n_iter + 1, spec)
        state.n_iter += 1
        state.loss_curve.append(mean_loss)
        score = None
        if validation is not None:
            score = validation_score(module, validation, spec)
            state.validation_scores.append(score)
            if score > state.best_validation_score:
                best_params = [p.detach().clone() for p in params]
        if spec.verbose:
            _report_epoch(progress, state, mean_loss, score)
        should_stop = _update_stopping(state, spec, optimizer, mean_loss, score)
        if scheduler is not None:
            scheduler.step()
        if spec.learning_rate == "invscaling" and spec.clock == "samples":
            _set_lr(optimizer, clock_lr(spec, state.n_samples_seen))
        if should_stop:
            state.converged = True
            break
    progress.close()
    _finish(module, params, best_params, optimizer, scheduler, state)


def _epoch_batches(train: TrainingData, spec: TrainingSpec,
                   generator: torch.Generator):
    """This epoch's data and its batches: None (full batch), slices of a
    shuffled copy (small dense data), or index tensors."""
    n_samples = train.n_samples
    batch_size = spec.batch_size or n_samples
    if batch_size >= n_samples:
        return train, [None]
    if spec.shuffle:
        order = torch.randperm(n_samples, generator=generator)
    else:
        order = torch.arange(n_samples)
    if train.can_permute(batch_size):
        data = train.permuted(order) if spec.shuffle else train
        starts = range(0, n_samples, batch_size)
        return data, [slice(start, start + batch_size) for start in starts]
    return train, list(order.to(train.index_device()).split(batch_size))


def _make_update(optimizer: torch.optim.Optimizer, params: list[torch.Tensor],
                 spec: TrainingSpec, sets_grad: bool) -> Callable[[], None]:
    """The parameter update of one step.

    ``Optimizer.step()`` wraps its kernel in about 45 µs of Python (profiler
    hooks, grad-mode switches, state grouping): most of a linear model's step
    and a fifth of a small MLP's (benchmarks/bench_linear.py, bench_mlp.py).
    On the closed-form path (one parameter group, L2 already in the gradient)
    plain SGD is written out, and Adam calls torch's functional ``adam`` on
    the optimizer's own state once the first ``step()`` has created it.
    """
    if not sets_grad or len(optimizer.param_groups) != 1:
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
    states: list[dict] = []

    @torch.no_grad()
    def adam_step() -> None:
        if not states:
            optimizer.step()  # creates the moments and step counters
            states.extend(optimizer.state[param] for param in params)
            return
        beta1, beta2 = group["betas"]
        functional_adam(
            params, [param.grad for param in params],
            [state["exp_avg"] for state in states],
            [state["exp_avg_sq"] for state in states], [],
            [state["step"] for state in states],
            foreach=group["foreach"], fused=group["fused"], amsgrad=False,
            beta1=beta1, beta2=beta2, lr=group["lr"],
            weight_decay=group["weight_decay"], eps=group["eps"], maximize=False,
        )

    return adam_step


def _run_epoch(train, spec, optimizer, penalty: Penalty, weights, params, state,
               generator, backward, sets_grad: bool, fused_l2: float) -> float:
    mean_weight = train.total_weight / train.n_samples
    data, batches = _epoch_batches(train, spec, generator)
    nominal_rows = min(spec.batch_size or train.n_samples, train.n_samples)
    update = _make_update(optimizer, params, spec, sets_grad)
    per_update_clock = is_clock_schedule(spec.learning_rate) and (
        spec.clock == "updates")
    epoch_loss = torch.zeros((), dtype=train.dtype, device=train.device)
    for rows in batches:
        n_rows = _n_rows(rows, data.n_samples)
        # scikit-learn's MLP divides its penalty by each batch's weight, so
        # a short last batch is penalised more
        batch_factor = (nominal_rows / n_rows if spec.penalty_per_batch_weight
                        else 1.0)
        epoch_loss += _batch_loss(backward, data, rows, spec.loss,
                                  n_rows * mean_weight, fused_l2 * batch_factor)
        update()
        if not sets_grad:
            optimizer.zero_grad(set_to_none=True)
        penalty.proximal_step_(weights,
                               optimizer.param_groups[0]["lr"] * batch_factor)
        state.n_updates += 1
        state.n_samples_seen += n_rows
        if per_update_clock:
            _set_lr(optimizer, clock_lr(spec, state.n_updates))
        if spec.average_start and state.n_samples_seen >= spec.average_start:
            _update_average(params, state)
    return float(epoch_loss)


def _n_rows(rows, n_samples: int) -> int:
    if rows is None:
        return n_samples
    if isinstance(rows, slice):
        return min(rows.stop, n_samples) - rows.start
    return len(rows)


def _update_average(params: list[torch.Tensor], state: TrainingState) -> None:
    with torch.no_grad():
        if state.averaged_params is None:
            state.averaged_params = [p.detach().clone() for p in params]
            state.n_averaged = 1
            return
        state.n_averaged += 1
        torch._foreach_lerp_(state.averaged_params, [p.detach() for p in params],
                             1.0 / state.n_averaged)


def _check_finite(mean_loss: float, epoch: int, spec: TrainingSpec) -> None:
    if not math.isfinite(mean_loss):
        raise TrainingDiverged(
            f"Training diverged at epoch {epoch} (loss={mean_loss}). "
            f"{spec.divergence_hint}, or standardise the features "
            "(e.g. with sklearn.preprocessing.StandardScaler)."
        )


def _update_stopping(state, spec, optimizer, mean_loss: float,
                     score: float | None) -> bool:
    """scikit-learn's ``tol`` / ``n_iter_no_change`` rule; True means stop.

    The validation score is watched when there is one, else the training loss.
    """
    tol = -math.inf if spec.tol is None else spec.tol
    if score is not None:
        improved = score >= state.best_validation_score + tol
        state.best_validation_score = max(state.best_validation_score, score)
    else:
        improved = mean_loss <= state.best_loss - tol
    state.best_loss = min(state.best_loss, mean_loss)
    if spec.tol is None:
        return False
    state.no_improvement_count = 0 if improved else state.no_improvement_count + 1
    if state.no_improvement_count < spec.patience:
        return False
    lr = optimizer.param_groups[0]["lr"]
    if spec.learning_rate == "adaptive" and lr > _MIN_ADAPTIVE_LR:
        _set_lr(optimizer, lr / _ADAPTIVE_DIVISOR)
        state.no_improvement_count = 0
        return False
    return True


def _set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


def _report_epoch(progress, state: TrainingState, mean_loss: float,
                  score: float | None) -> None:
    message = f"Iteration {state.n_iter}, loss = {mean_loss:.8f}"
    if score is not None:
        message += f", validation score = {score:.6f}"
    progress.write(message)
    progress.set_postfix(loss=f"{mean_loss:.4g}")


@torch.inference_mode()
@torch.inference_mode()
def predict_raw(module: nn.Module, X, device: torch.device) -> torch.Tensor:
    """The module's raw output on every row of ``X`` (an array, a sparse
    matrix or a TrainingData), in eval mode."""
    if module.training:
        module.eval()
    forward = getattr(module, "inference_forward", module)
    if isinstance(X, np.ndarray):
        X = np.ascontiguousarray(X) if X.flags.writeable else X.copy()
        return forward(torch.from_numpy(X).to(device))
    data = X if isinstance(X, TrainingData) else to_training_data(
        X, np.zeros(X.shape[0]), None, device)
    outputs = [forward(data.features(chunk)) for chunk in data.chunks(None)]
    return outputs[0] if len(outputs) == 1 else torch.cat(outputs)


def validation_score(module: nn.Module, data: TrainingData,
                     spec: TrainingSpec) -> float:
    """R² or accuracy of ``module`` on ``data`` (higher is better)."""
    output = predict_raw(module, data, data.device)
    module.train()
    weight = data.sample_weight
    if weight is None:
        weight = torch.ones(data.n_samples, dtype=output.dtype, device=output.device)
    if spec.validation_metric == "r2":
        return r2_score(spec.loss.predict(output), data.y, weight)
    return accuracy_score(output, data.y, weight, spec.loss.target_kind)


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
            _set_lr(optimizer, state.lr)
    elif is_clock_schedule(spec.learning_rate):
        _set_lr(optimizer, clock_lr(spec, _clock(spec, state)))
    state.solver = spec.solver


def _clock(spec: TrainingSpec, state: TrainingState) -> float:
    return state.n_updates if spec.clock == "updates" else state.n_samples_seen


def _restore_raw_params(params: list[torch.Tensor], state: TrainingState) -> None:
    """Averaging exposes averaged weights; training continues from the raw ones."""
    if state.averaged_params is not None:
        state.averaged_params = [average.to(param.device) for average, param
                                 in zip(state.averaged_params, params)]
    if state.raw_params is None:
        return
    with torch.no_grad():
        for param, raw in zip(params, state.raw_params):
            param.copy_(raw)


def _finish(module, params, best_params, optimizer, scheduler, state) -> None:
    state.lr = optimizer.param_groups[0]["lr"]
    state.optimizer_state = _to_host(optimizer.state_dict())
    state.scheduler_state = scheduler.state_dict() if scheduler is not None else None
    with torch.no_grad():
        if state.averaged_params is not None:
            state.raw_params = [p.detach().cpu().clone() for p in params]
            for param, average in zip(params, state.averaged_params):
                param.copy_(average)
            state.averaged_params = [a.cpu() for a in state.averaged_params]
        if best_params is not None:
            for param, best in zip(params, best_params):
                param.copy_(best)


def _to_host(value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {key: _to_host(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(item) for item in value)
    return value


def _run_lbfgs(module, train, spec, state) -> None:
    weights, _ = weights_and_biases(module)
    penalty = make_penalty(spec)
    optimizer = make_optimizer(spec, [{"params": list(module.parameters())}])
    backward, _ = _backward_function(module)
    scale = train.total_weight

    def closure():
        optimizer.zero_grad(set_to_none=True)
        with torch.enable_grad():
            loss_sum = _batch_loss(backward, train, None, spec.loss, scale)
            penalty_value = 0.0
            if weights and (penalty.l1 or penalty.l2):
                penalty_term = penalty.value(weights)
                penalty_term.backward()
                penalty_value = penalty_term.detach()
        return loss_sum.detach() / scale + penalty_value

    final_loss = float(optimizer.step(closure))
    _check_finite(final_loss, 1, spec)
    lbfgs_state = optimizer.state[optimizer.param_groups[0]["params"][0]]
    n_iter = int(lbfgs_state.get("n_iter", 1))
    n_evals = int(lbfgs_state.get("func_evals", 1))
    state.n_iter += n_iter
    state.n_samples_seen += train.n_samples * n_evals
    state.loss_curve.append(final_loss)
    state.best_loss = min(state.best_loss, final_loss)
    state.converged = n_iter < spec.max_iter and n_evals < spec.max_fun
