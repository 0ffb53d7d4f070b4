"""The epoch loop every runner goes through. Knows neither torch nor
scikit-learn.

:func:`run_epochs` asks the fit's runner (:mod:`runner`) for each epoch's
weighted loss sum, turns it into the epoch's objective (``loss_curve``),
checks it for divergence, scores the validation set, prints the verbose
lines and asks the runner's verdict; it never asks which runner it holds.
What it needs of a fit is an :class:`EpochParts`: the torch path's
(:class:`parts.Parts`, :func:`loop.run_training`) or the compiled kernel's
lane (:mod:`kernel.lane`), which runs without importing torch.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
from tqdm.auto import tqdm

from .report import SGDReport
from .runner import Runner
from .spec import TrainingSpec
from .state import TrainingDiverged, TrainingState
from .stop import StopRule


class EpochParts(Protocol):
    """What the epoch loop holds for one fit."""

    spec: TrainingSpec
    runner: Runner
    # the engine's rule: its divergence check serves every runner
    stop_rule: StopRule
    # scikit-learn's SGD lines for the whole model (None: not asked for, or
    # the runner prints its own)
    report: SGDReport | None
    # what the epoch's weighted loss sum is divided by (weights.total_weight)
    weight_total: float

    def mean_loss(self, loss_sum: float) -> float:
        """The epoch's objective: mean weighted loss plus the penalty."""

    def validation_score(self) -> float | None:
        """The whole model's validation score (None without a validation set)."""

    def report_weights(self) -> tuple[np.ndarray, np.ndarray | None]:
        """Host copies of the first layer's weight and bias (verbose lines)."""


def run_epochs(parts: EpochParts, state: TrainingState,
               generator: object = None) -> None:
    """Train ``parts.spec.max_iter`` epochs at most, recording them in
    ``state``; ``generator`` is handed to the runner (the torch path's
    shuffle).

    Raises
    ------
    TrainingDiverged
        If the loss stops being finite (or keeps climbing) with no best
        validation weights to fall back on.
    """
    spec, runner, report = parts.spec, parts.runner, parts.report
    sgd_lines = spec.verbose and spec.report == "sgd"
    # scikit-learn's MLP lines under a progress bar, unless the SGD lines
    progress = tqdm(range(spec.max_iter), disable=not spec.verbose or sgd_lines,
                    desc="epochs", leave=False)
    for _ in progress:
        loss_sum = runner.run_epoch(generator)
        if loss_sum is None:  # the start already meets the runner's stop test
            state.converged = True
            break
        mean_loss = parts.mean_loss(loss_sum)
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
        score = parts.validation_score()
        if score is not None:
            state.validation_scores.append(score)
        if report is not None:
            weight, bias = parts.report_weights()
            report.epoch(weight, bias, state.n_samples_seen,
                         loss_sum / parts.weight_total, mean_loss, score)
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
