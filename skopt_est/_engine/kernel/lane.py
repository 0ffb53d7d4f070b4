"""The compiled kernel's lane: scikit-learn's SGD fits, without torch.

A linear model at scikit-learn's settings (plain SGD, one sample a step, on
the CPU, a schedule of scikit-learn's own) is one ``_plain_sgd`` fit per
head (:class:`heads.HeadsRunner`). The lane runs it on host numpy arrays
through the engine's epoch loop (:func:`epochs.run_epochs`) and never
imports torch: a fresh process that imports ``GDClassifier`` and fits it
pays for numpy, scipy and scikit-learn only (``benchmarks/bench_small.py``,
start-up rows), and each fit skips the tensors and the module. The model
is the same as the torch path's heads would train: the same runner, stop
rule, metric and penalty.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np

from ..epochs import run_epochs
from ..metrics import score_outputs
from ..rates import SKLEARN_SCHEDULES, clock_lr, is_clock_schedule
from ..regularisation import split_penalty
from ..spec import TrainingSpec
from ..state import TrainingState
from ..stop import StopRule, make_stop_rule
from .compiled import one_problem_per_head, per_sample_sgd
from .heads import HeadsRunner
from .host import HostData


def lane_spec(spec: TrainingSpec, n_samples: int, n_heads: int, *,
              device: str, dropout: float, auto_batch: bool) -> TrainingSpec | None:
    """The spec the lane runs a fit by (one sample a step), or None where the
    fit is not the lane's.

    The lane's fits: ``device='cpu'``, no dropout, a schedule of
    scikit-learn's (``rates.SKLEARN_SCHEDULES``), and what the kernel's
    heads take on the spec (``compiled.per_sample_sgd`` and
    ``compiled.one_problem_per_head``: the rules the torch path's
    ``eligibility.kernel_kind`` applies too); ``batch_size='auto'`` is one
    sample a step wherever the kernel runs (``parts.plan``).
    ``SKOPT_EST_NO_KERNEL=1`` sends every fit to the torch path.
    """
    if not (device == "cpu" and dropout == 0
            and spec.learning_rate in SKLEARN_SCHEDULES):
        return None
    if auto_batch:
        spec = dataclasses.replace(spec, batch_size=1)
    if per_sample_sgd(spec, n_samples) and one_problem_per_head(spec, n_heads):
        return spec
    return None


class RateClock:
    """The lane's learning rate: what the torch path's ``step.Stepper`` does
    for plain SGD under scikit-learn's schedules, without an optimizer.

    It starts from the state's rate where the fit continues one of the same
    solver (``partial_fit``), else from the clock (``'invscaling'``,
    ``'optimal'``) or ``spec.lr``; at the end it stores the rate and swaps
    the averages in (``average``), keeping the raw iterates in the state.
    """

    def __init__(self, spec: TrainingSpec, state: TrainingState,
                 params: list[np.ndarray]) -> None:
        self._spec, self._state, self._params = spec, state, params
        self._clock = is_clock_schedule(spec.learning_rate)
        if state.lr is not None and state.solver == spec.solver:
            self.lr = state.lr
        elif self._clock:
            self.lr = clock_lr(spec, self._ticks())
        else:
            self.lr = spec.lr
        state.solver = spec.solver
        if state.raw_params is not None:  # training continues from the raw iterates
            for param, raw in zip(params, state.raw_params):
                param[...] = np.asarray(raw)

    def _ticks(self) -> int:
        state = self._state
        return state.n_updates if self._spec.clock == "updates" else (
            state.n_samples_seen)

    def set_lr(self, lr: float) -> None:
        self.lr = lr

    def end_epoch(self) -> None:
        """The per-epoch clock (``clock='samples'``)."""
        if self._clock and self._spec.clock == "samples":
            self.lr = clock_lr(self._spec, self._ticks())

    def finish(self) -> None:
        """The rate into the state; the averages into the model."""
        state = self._state
        state.lr = self.lr
        state.optimizer_state = state.scheduler_state = None
        if state.averaged_params is None:
            return
        state.raw_params = [param.copy() for param in self._params]
        for param, average in zip(self._params, state.averaged_params):
            param[...] = average


@dataclass
class LaneParts:
    """What the epoch loop holds for a lane fit (:class:`epochs.EpochParts`)."""

    spec: TrainingSpec
    runner: HeadsRunner
    stop_rule: StopRule
    weight: np.ndarray
    bias: np.ndarray | None
    validation: HostData | None
    weight_total: float
    report: None = None  # each head prints its own lines

    def __post_init__(self) -> None:
        spec = self.spec
        self._penalty = split_penalty(spec.penalty, spec.penalty_alpha,
                                      spec.l1_ratio)

    def mean_loss(self, loss_sum: float) -> float:
        """The epoch's objective: mean weighted loss plus the penalty."""
        return loss_sum / self.weight_total + float(
            self._penalty.value([self.weight.ravel()]))

    def validation_score(self) -> float | None:
        """The whole model's validation score (None without a validation set)."""
        data = self.validation
        if data is None:
            return None
        return score_outputs(data.outputs(self.weight, self.bias), data.y,
                             data.sample_weight, self.spec.validation_metric,
                             self.spec.loss.target_kind)

    def report_weights(self):
        return self.weight, self.bias


def run_lane(weight: np.ndarray, bias: np.ndarray | None, train: HostData,
             spec: TrainingSpec, state: TrainingState | None = None,
             validation: HostData | None = None) -> TrainingState:
    """Train ``weight`` and ``bias`` in place by ``spec`` (a :func:`lane_spec`)
    and return the new state, as :func:`loop.run_training` does for a module.

    Raises
    ------
    TrainingDiverged
        If the training loss stops being finite.
    """
    state = copy.deepcopy(state) if state is not None else TrainingState()
    state.diverged_at = None
    params = [weight] + ([] if bias is None else [bias])
    clock = RateClock(spec, state, params)
    runner = HeadsRunner(weight, bias, train, spec, clock, state, validation)
    parts = LaneParts(spec, runner, make_stop_rule(spec, state, params),
                      weight, bias, validation, train.total_weight)
    run_epochs(parts, state)
    return state
