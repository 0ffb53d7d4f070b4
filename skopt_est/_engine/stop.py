"""The stop rule: scikit-learn's ``tol`` / ``n_iter_no_change`` patience.

Once per epoch :meth:`StopRule.end_epoch` sees the epoch's mean training loss,
its validation score (None without a validation set) and the learning rate,
and returns a :class:`Verdict`: go on, go on at a lower rate (``'adaptive'``),
or stop. The validation score is watched when there is one, else the training
loss. With a validation set the rule also keeps a copy of the weights of the
best score so far, which :meth:`StopRule.restore_best` puts back at the end.

The bests and the patience counter live in a record: the
:class:`TrainingState`, so that a warm start or ``partial_fit`` continues
them, or a :class:`HeadRecord` for each head that the compiled kernel trains
on its own (``kernel.runners.HeadsRunner``), each with its own rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .spec import TrainingSpec
from .state import CLIMB_EPOCHS, CLIMB_FACTOR, TrainingState

if TYPE_CHECKING:
    import torch

# scikit-learn's floor for 'adaptive': below it training stops instead.
MIN_ADAPTIVE_LR = 1e-6
ADAPTIVE_DIVISOR = 5.0


@dataclass
class HeadRecord:
    """The bests and the patience counter of one head's rule (the fields
    of :class:`TrainingState` a :class:`StopRule` reads and writes)."""

    best_loss: float = math.inf
    best_validation_score: float = -math.inf
    no_improvement_count: int = 0


class Verdict(NamedTuple):
    """What the loop does after an epoch: ``stop``, and a new rate if set."""

    stop: bool = False
    lr: float | None = None


_GO_ON = Verdict()
_STOP = Verdict(stop=True)


class StopRule:
    """Patience on the training loss or the validation score.

    Parameters
    ----------
    tol : float or None
        The improvement that counts; None never stops (bests still tracked).
    patience : int or float
        Epochs without improvement before a stop (or an ``'adaptive'`` cut).
    adaptive : bool
        Divide the rate by 5 instead of stopping while it exceeds 1e-6.
    state : TrainingState or HeadRecord
        Holds the bests and the counter; updated in place.
    params : list of Tensor or ndarray
        The parameters whose best-score values are kept (numpy arrays in
        the compiled kernel's lane, which runs without torch).
    watch_climb : bool, default=True
        Whether a finite loss that keeps climbing is divergence too (False:
        only a non-finite one).
    """

    def __init__(self, tol: float | None, patience: float, adaptive: bool,
                 state: TrainingState | HeadRecord,
                 params: list[torch.Tensor | np.ndarray],
                 watch_climb: bool = True) -> None:
        self.tol = tol
        self.watch_climb = watch_climb
        self.patience = patience
        self.adaptive = adaptive
        self._state = state
        self._params = params
        self._best_params: list | None = None
        self._first_loss: float | None = None
        self._n_climbing = 0

    @property
    def has_best(self) -> bool:
        """Whether weights of a best validation score were kept."""
        return self._best_params is not None

    def diverging(self, mean_loss: float) -> bool:
        """Whether the epoch's loss is not finite, or has stayed far above
        the run's first epoch's loss where that is positive
        (``CLIMB_FACTOR``, ``CLIMB_EPOCHS``)."""
        if not math.isfinite(mean_loss):
            return True
        if not self.watch_climb:
            return False
        if self._first_loss is None:
            self._first_loss = mean_loss
            return False
        # a ratio means nothing below zero: a Poisson loss is negative once
        # fitted, and every later epoch of a warm start is "above" 1e6 times
        # a negative first one
        climbing = (self._first_loss > 0
                    and mean_loss > CLIMB_FACTOR * self._first_loss)
        self._n_climbing = self._n_climbing + 1 if climbing else 0
        return self._n_climbing >= CLIMB_EPOCHS

    def end_epoch(self, mean_loss: float, score: float | None,
                  lr: float) -> Verdict:
        """Record the epoch and decide; call once per epoch."""
        state = self._state
        tol = -math.inf if self.tol is None else self.tol
        if score is not None:
            improved = score >= state.best_validation_score + tol
            if score > state.best_validation_score:
                self._best_params = [_copy_of(p) for p in self._params]
                state.best_validation_score = score
        else:
            improved = mean_loss <= state.best_loss - tol
        state.best_loss = min(state.best_loss, mean_loss)
        if self.tol is None:
            return _GO_ON
        state.no_improvement_count = (0 if improved
                                      else state.no_improvement_count + 1)
        if state.no_improvement_count < self.patience:
            return _GO_ON
        if self.adaptive and lr > MIN_ADAPTIVE_LR:
            state.no_improvement_count = 0
            return Verdict(lr=lr / ADAPTIVE_DIVISOR)
        return _STOP

    def restore_best(self) -> None:
        """Put back the weights of the best validation score, if one was seen."""
        if self._best_params is None:
            return
        for param, best in zip(self._params, self._best_params):
            if isinstance(param, np.ndarray):
                param[...] = best
            else:
                param.detach().copy_(best)


def make_stop_rule(spec: TrainingSpec, state: TrainingState | HeadRecord,
                   params: list[torch.Tensor | np.ndarray]) -> StopRule:
    """The stop rule of ``spec``, keeping its bests in ``state``."""
    return StopRule(spec.tol, spec.patience, spec.learning_rate == "adaptive",
                    state, params, watch_climb=spec.watch_climb)


def _copy_of(param):
    return param.copy() if isinstance(param, np.ndarray) else param.detach().clone()
