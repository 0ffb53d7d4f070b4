"""The epoch loop shared by every estimator. Knows torch, never scikit-learn.

``run_training(module, train, spec, state, validation)`` trains ``module`` in
place and returns the updated :class:`TrainingState`. Each epoch the loop asks
the fit's runner (:mod:`runner`: the torch mini-batch epoch, the compiled
joint epoch, the compiled kernel's one-vs-all heads or one iteration of
full-batch L-BFGS, built once by :func:`parts.make_parts`) for the epoch's
weighted loss sum, turns it into the epoch's objective (``loss_curve``),
checks it for divergence, scores the validation set, prints the verbose
lines, and asks the runner's verdict; it never asks which runner it holds.
"""

from __future__ import annotations

import contextlib
import copy
import math
from collections.abc import Iterator

import torch
from torch import nn
from tqdm.auto import tqdm

from .data import TrainingData
from .device import intra_op_threads, training_threads
from .modules import dropout_layers, weights_and_biases
from .parts import make_parts
from .predict import validation_score
from .sparse import row_major_
from .spec import TrainingSpec
from .state import TrainingDiverged, TrainingState
from .weights import total_weight


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


def _run_epochs(module, train, spec, state, validation, generator) -> None:
    parts = make_parts(module, train, spec, state, validation)
    spec, runner, report = parts.spec, parts.runner, parts.report
    weight_total = total_weight(parts.train)
    sgd_lines = spec.verbose and spec.report == "sgd"
    # scikit-learn's MLP lines under a progress bar, unless the SGD lines
    progress = tqdm(range(spec.max_iter), disable=not spec.verbose or sgd_lines,
                    desc="epochs", leave=False)
    for _ in progress:
        loss_sum = runner.run_epoch(generator)
        if loss_sum is None:  # the start already meets the runner's stop test
            state.converged = True
            break
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
        if runner.verdict(mean_loss, score):
            state.converged = True
            if report is not None:
                report.converged()
            break
    progress.close()
    runner.finish()


def _report_epoch(progress, state: TrainingState, mean_loss: float,
                  score: float | None) -> None:
    # scikit-learn's MLP prints these two lines
    progress.write(f"Iteration {state.n_iter}, loss = {mean_loss:.8f}")
    if score is not None:
        progress.write(f"Validation score: {score:f}")
    progress.set_postfix(loss=f"{mean_loss:.4g}")
