"""The epoch loop shared by every estimator. Knows torch, never scikit-learn.

``run_training(module, train, spec, state, validation)`` trains ``module`` in
place and returns the updated :class:`TrainingState`. A step is composed of
parts that each own one concern:

- the objective (``objective``): loss, penalty and the penalty's scaling;
- the gradient (``gradients``): ``grad(data, rows, scale, l2)`` sets
  ``.grad`` and returns the batch's weighted loss sum;
- the stepper (``step``): optimizer, fast updates, L1 step, learning-rate
  clock and averaging;
- the stop rule (``stop``): ``tol``, patience, ``'adaptive'`` and the
  best validation weights.

Each epoch draws one permutation from a seeded CPU generator and slices
mini-batches from device tensors (no ``DataLoader``); the loss is accumulated
on the device and read once per epoch, for ``loss_curve``, the divergence
check and ``tol``.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .data import TrainingData, to_training_data
from .device import intra_op_threads, training_threads
from .gradients import Gradient, make_gradient
from .kernel.runners import check_kernel_ran, make_fast_epoch
from .losses import accuracy_score, r2_score
from .modules import dropout_layers, weights_and_biases
from .objective import Objective, make_objective
from .optim import make_optimizer
from .report import SGDReport
from .sparse import column_major_, row_major_
from .spec import TrainingSpec
from .state import TrainingDiverged, TrainingState
from .step import Stepper, make_stepper
from .stop import StopRule, Verdict, make_stop_rule


@dataclass
class _Parts:
    """The step's parts for one fit (module doc)."""

    objective: Objective
    grad: Gradient
    stepper: Stepper
    stop_rule: StopRule
    weights: list[torch.Tensor]
    biases: list[torch.Tensor]
    # the compiled per-sample epoch (kernel.runners) where this fit allows it
    fast_epoch: Callable[[torch.Generator], float] | None = None
    # the training data the parts weigh (make_parts)
    train: TrainingData | None = None


def run_training(
    module: nn.Module,
    train: TrainingData,
    spec: TrainingSpec,
    state: TrainingState | None = None,
    validation: TrainingData | None = None,
) -> TrainingState:
    """Train ``module`` in place by ``spec`` and return the new state.

    ``validation`` (optional) is scored after every epoch; the stop rule then
    watches its score and the best-scoring weights are restored at the end.

    Raises
    ------
    TrainingDiverged
        If the training loss stops being finite.
    """
    state = copy.deepcopy(state) if state is not None else TrainingState()
    state.diverged_at = None
    generator = torch.Generator().manual_seed(spec.seed)
    if state.generator_state is not None:
        generator.set_state(state.generator_state)
    n_threads = training_threads(train.device, spec.batch_size or train.n_samples)
    with intra_op_threads(n_threads), _seeded_dropout(module, generator,
                                                      train.device):
        try:
            if spec.solver == "lbfgs":
                _run_lbfgs(module, train, spec, state)
            else:
                _run_epochs(module, train, spec, state, validation, generator)
        finally:
            for weight in weights_and_biases(module)[0]:
                row_major_(weight)
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


def make_parts(module: nn.Module, train: TrainingData, spec: TrainingSpec,
               state: TrainingState,
               validation: TrainingData | None = None) -> _Parts:
    """Build the objective, gradient, stepper and stop rule of one fit.

    ``parts.train`` is ``train`` with ``spec.head_weights`` folded into its
    sample weights (:func:`class_weighted`), except where scikit-learn's
    per-head SGD runs the fit (``kernel.runners._ExactHeads``), which weighs each
    head itself.
    """
    weights, biases = weights_and_biases(module)
    objective = make_objective(spec, train)
    stepper = make_stepper(spec, weights, biases, objective, state)
    fast_epoch = make_fast_epoch(module, train, spec, objective, stepper,
                                 state, validation)
    if not getattr(fast_epoch, "owns_stop", False) and spec.head_weights:
        train = class_weighted(train, spec.head_weights, spec.loss.target_kind)
        if train.sample_weight.ndim == 2:
            fast_epoch = None  # the joint kernel weighs rows, not heads
        elif fast_epoch is not None:  # it reads the new weights
            fast_epoch = make_fast_epoch(module, train, spec, objective,
                                         stepper, state, validation)
    check_kernel_ran(spec, fast_epoch)
    return _Parts(
        objective=objective,
        grad=make_gradient(module, spec.loss),
        stepper=stepper,
        stop_rule=make_stop_rule(spec, state, weights + biases),
        weights=weights,
        biases=biases,
        fast_epoch=fast_epoch,
        train=train,
    )


def class_weighted(train: TrainingData, head_weights,
                   target_kind: str) -> TrainingData:
    """``train`` whose sample weights include the class weights.

    One head: ``positive`` for targets above 0, else ``negative``. Several
    one-vs-all heads (``target_kind='sign'``), as scikit-learn's SGD: head
    ``k`` weighs the rows of its class by its ``positive`` and the others by
    its ``negative``, a weight per (row, head), of ``y``'s shape. One model
    over one-hot targets (the multinomial loss), as ``LogisticRegression``:
    each row the ``positive`` weight of its class.
    """
    as_tensor = {"dtype": train.dtype, "device": train.device}
    positive = torch.tensor([p for p, _ in head_weights], **as_tensor)
    negative = torch.tensor([n for _, n in head_weights], **as_tensor)
    row_weight = train.sample_weight
    if train.y.shape[1] == 1:
        factor = torch.where(train.y[:, 0] > 0, positive[0], negative[0])
    elif target_kind == "sign":
        factor = torch.where(train.y > 0, positive, negative)
        if row_weight is not None:
            row_weight = row_weight[:, None]
    else:
        factor = positive[train.y.argmax(1)]
    weight = factor if row_weight is None else row_weight * factor
    return dataclasses.replace(train, sample_weight=weight.contiguous())


def total_weight(train: TrainingData) -> float:
    """What the epoch's weighted loss sum is divided by: the total sample
    weight; with a weight per (row, head), the heads' mean total, so that
    a head whose class weights are all 1 counts its rows once."""
    weight = train.sample_weight
    if weight is None or weight.ndim == 1:
        return train.total_weight
    return float(weight.sum()) / weight.shape[1]


def _fit_parts(module, train: TrainingData, spec: TrainingSpec,
               state: TrainingState, validation: TrainingData | None = None
               ) -> tuple[TrainingSpec, _Parts]:
    """The spec and parts of a fit; ``batch_size='auto'`` means one sample a
    step where the compiled kernel runs the fit: scikit-learn's SGD and its
    speed (bench_linear.py, all defaults: 0.89x ``SGDClassifier()``'s time
    on 160 000 dense rows, where torch batches of 200 took 3.1x; 0.04 s
    against 4-60 s on its sparse text data), else the estimator's own rule.

    The torch path stores the first layer's weight column-major for sparse X
    (see :mod:`sparse`); :func:`run_training` undoes it.
    """
    if (spec.auto_batch and spec.batch_size != 1 and spec.solver == "sgd"
            and spec.momentum == 0 and train.device.type == "cpu"):
        per_sample = dataclasses.replace(spec, batch_size=1)
        parts = make_parts(module, train, per_sample, state, validation)
        if parts.fast_epoch is not None:
            return per_sample, parts
    parts = make_parts(module, train, spec, state, validation)
    if train.is_sparse and parts.fast_epoch is None and parts.weights:
        column_major_(parts.weights[0])
    return spec, parts


def _run_epochs(module, train, spec, state, validation, generator) -> None:
    spec, parts = _fit_parts(module, train, spec, state, validation)
    train = parts.train
    weight_total = total_weight(train)
    own_stop = getattr(parts.fast_epoch, "owns_stop", False)
    sgd_lines = spec.verbose and spec.report == "sgd"
    # scikit-learn's SGD lines for the whole model (the kernel's heads print
    # their own); scikit-learn's MLP lines under a progress bar otherwise
    report = SGDReport(state.n_samples_seen) if sgd_lines and not own_stop else None
    progress = tqdm(range(spec.max_iter), disable=not spec.verbose or sgd_lines,
                    desc="epochs", leave=False)
    for _ in progress:
        loss_sum = (parts.fast_epoch(generator) if parts.fast_epoch is not None
                    else _run_epoch(train, spec, parts, generator))
        mean_loss = parts.objective.mean_loss(loss_sum, weight_total,
                                              parts.weights)
        if parts.stop_rule.diverging(mean_loss):
            if not parts.stop_rule.has_best:
                raise TrainingDiverged(state.n_iter + 1, mean_loss)
            # early stopping: the best validation weights come back and the
            # fit warns; the validation patience ends a finite climb, or
            # the climb itself where tol=None leaves no patience
            state.diverged_at = (state.n_iter + 1, mean_loss)
            if spec.tol is None and math.isfinite(mean_loss):
                break
        state.n_iter += 1
        state.loss_curve.append(mean_loss)
        score = None
        if validation is not None:
            score = validation_score(module, validation, spec)
            state.validation_scores.append(score)
        if report is not None:
            report.epoch(parts.weights[0], parts.biases[0] if parts.biases
                         else None, state.n_samples_seen,
                         loss_sum / weight_total, mean_loss, score)
        if not math.isfinite(mean_loss):
            break  # nothing more to learn from non-finite weights
        if spec.verbose and not sgd_lines:
            _report_epoch(progress, state, mean_loss, score)
        if own_stop:
            verdict = _heads_verdict(parts.fast_epoch, state, mean_loss, score)
        else:
            verdict = parts.stop_rule.end_epoch(
                parts.objective.stop_loss(mean_loss), score, parts.stepper.lr)
        if verdict.lr is not None:
            parts.stepper.set_lr(verdict.lr)
        parts.stepper.end_epoch()
        if verdict.stop:
            state.converged = True
            if report is not None:
                report.converged()
            break
    progress.close()
    parts.stepper.finish()
    parts.stop_rule.restore_best()
    if own_stop:
        parts.fast_epoch.finish()


def _heads_verdict(heads, state: TrainingState, mean_loss: float,
                   score: float | None) -> Verdict:
    """The verdict of per-head stop rules (``kernel.runners._ExactHeads``); the
    state's bests still follow the whole model."""
    state.best_loss = min(state.best_loss, mean_loss)
    if score is not None:
        state.best_validation_score = max(state.best_validation_score, score)
    return Verdict(stop=heads.end_epoch(score))


def _run_epoch(train: TrainingData, spec: TrainingSpec, parts: _Parts,
               generator: torch.Generator) -> float:
    """One pass over the batches; returns the weighted loss sum."""
    data, batches = _epoch_batches(train, spec, generator)
    batch_terms, grad, stepper = (parts.objective.batch_terms, parts.grad,
                                  parts.stepper)
    step = stepper.step
    epoch_loss = torch.zeros((), dtype=train.dtype, device=train.device)
    for rows in batches:
        n_rows = _n_rows(rows, data.n_samples)
        # the rate caps the L2 shrink at 0 (Objective.batch_terms)
        scale, l2, penalty_factor = batch_terms(n_rows, stepper.lr)
        epoch_loss += grad(data, rows, scale, l2)
        step(n_rows, penalty_factor)
    return float(epoch_loss)


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


def _n_rows(rows, n_samples: int) -> int:
    if rows is None:
        return n_samples
    if isinstance(rows, slice):
        return min(rows.stop, n_samples) - rows.start
    return len(rows)


def _report_epoch(progress, state: TrainingState, mean_loss: float,
                  score: float | None) -> None:
    # scikit-learn's MLP prints these two lines
    progress.write(f"Iteration {state.n_iter}, loss = {mean_loss:.8f}")
    if score is not None:
        progress.write(f"Validation score: {score:f}")
    progress.set_postfix(loss=f"{mean_loss:.4g}")


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
    return forward(data.features(None))


def validation_score(module: nn.Module, data: TrainingData,
                     spec: TrainingSpec) -> float:
    """R² or accuracy of ``module`` on ``data`` (higher is better)."""
    output = predict_raw(module, data, data.device)
    module.train()
    if not bool(torch.isfinite(output).all()):
        return math.nan  # as scikit-learn's MLP: a diverged model has no score
    weight = data.sample_weight
    if weight is None:
        weight = torch.ones(data.n_samples, dtype=output.dtype, device=output.device)
    if spec.validation_metric == "r2":
        score = r2_score(spec.loss.predict(output), data.y, weight)
        # finite outputs whose squared errors overflow: diverged all the same
        return score if math.isfinite(score) else math.nan
    return accuracy_score(output, data.y, weight, spec.loss.target_kind)


def _run_lbfgs(module, train, spec, state) -> None:
    """Full-batch L-BFGS: one ``optimizer.step(closure)`` runs every iteration."""
    if spec.head_weights:
        train = class_weighted(train, spec.head_weights, spec.loss.target_kind)
    objective = make_objective(spec, train)
    weights, _ = weights_and_biases(module)
    penalty = objective.penalty
    optimizer = make_optimizer(spec, [{"params": list(module.parameters())}])
    grad = make_gradient(module, spec.loss)
    scale = total_weight(train)

    def closure():
        optimizer.zero_grad(set_to_none=True)
        with torch.enable_grad():
            loss_sum = grad(train, None, scale, 0.0)
            penalty_value = 0.0
            if weights and (penalty.l1 or penalty.l2):
                penalty_term = penalty.value(weights)
                penalty_term.backward()
                penalty_value = penalty_term.detach()
        return loss_sum.detach() / scale + penalty_value

    optimizer.step(closure)
    # torch's step returns the loss it started from; one more evaluation
    # gives the fitted model's (loss_, and the divergence check below)
    final_loss = float(closure())
    if not math.isfinite(final_loss):
        raise TrainingDiverged(1, final_loss)
    lbfgs_state = optimizer.state[optimizer.param_groups[0]["params"][0]]
    n_iter = int(lbfgs_state.get("n_iter", 1))
    n_evals = int(lbfgs_state.get("func_evals", 1))
    state.n_iter += n_iter
    state.n_samples_seen += train.n_samples * n_evals
    state.loss_curve.append(final_loss)
    state.best_loss = min(state.best_loss, final_loss)
    state.converged = n_iter < spec.max_iter and n_evals < spec.max_fun
