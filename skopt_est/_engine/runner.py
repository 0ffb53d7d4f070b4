"""The runner contract: how the epoch loop drives every training path.

The loop (``loop``) holds one :class:`Runner` per fit and never asks which:

- ``run_epoch(generator)`` trains one epoch and returns its weighted loss
  sum (the loop divides it, adds the penalty, records and checks it), or
  None where the runner finds the start already converged and trains
  nothing (the loop then stops without counting an epoch);
- ``verdict(mean_loss, score)`` ends the epoch (learning-rate cuts, the
  epoch schedule) and says whether training stops (the loop then records
  the fit as converged);
- ``finish()`` stores what continues into the state and puts back the best
  validation weights; it may take back the loop's ``converged`` where the
  stop was a spent budget rather than convergence (L-BFGS's ``max_fun``).

:class:`SteppedRunner` serves the paths that step the engine's
:class:`step.Stepper` under the engine's :class:`stop.StopRule`: the torch
mini-batch epoch (:class:`epoch.TorchEpoch`) and the compiled joint epoch
(:class:`kernel.runners.JointEpoch`). The compiled kernel's one-vs-all heads
are a runner of their own (:class:`kernel.runners.HeadsRunner`), and so is
full-batch L-BFGS (:class:`lbfgs.LBFGSRunner`: an epoch is one iteration of
``torch.optim.LBFGS``, its verdict torch's own stop tests).
:func:`parts.make_parts` builds the one a fit needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the contract itself needs no torch (kernel.lane)
    import torch

    from .objective import Objective
    from .step import Stepper
    from .stop import StopRule


class Runner(Protocol):
    """One training path, as the epoch loop drives it (module doc)."""

    def run_epoch(self, generator: torch.Generator) -> float | None:
        """Train one epoch; return its weighted loss sum (None: nothing to
        train)."""

    def verdict(self, mean_loss: float, score: float | None) -> bool:
        """End the epoch of objective ``mean_loss`` and validation ``score``
        (None without a validation set); True to stop training."""

    def finish(self) -> None:
        """Store what continues into the state; restore the best weights."""


class SteppedRunner:
    """An epoch function driven by the engine's stepper and stop rule.

    Parameters
    ----------
    epoch : callable
        ``epoch(generator) -> weighted loss sum``, which steps ``stepper``.
    objective : Objective
        Says what the stop rule watches (:meth:`Objective.stop_loss`).
    stepper : Stepper
        Takes the rule's learning-rate cuts and the epoch schedule.
    stop_rule : StopRule
        Decides; keeps and restores the best validation weights.
    """

    def __init__(self, epoch: Callable[[torch.Generator], float],
                 objective: Objective, stepper: Stepper,
                 stop_rule: StopRule) -> None:
        self._epoch = epoch
        self._objective, self._stepper, self._stop_rule = (objective, stepper,
                                                           stop_rule)

    def run_epoch(self, generator: torch.Generator) -> float:
        """Train one epoch; return its weighted loss sum."""
        return self._epoch(generator)

    def verdict(self, mean_loss: float, score: float | None) -> bool:
        """The stop rule's verdict; a cut rate and the epoch schedule go to
        the stepper."""
        verdict = self._stop_rule.end_epoch(self._objective.stop_loss(mean_loss),
                                            score, self._stepper.lr)
        if verdict.lr is not None:
            self._stepper.set_lr(verdict.lr)
        self._stepper.end_epoch()
        return verdict.stop

    def finish(self) -> None:
        """The stepper's state into the fit's; the best validation weights
        back."""
        self._stepper.finish()
        self._stop_rule.restore_best()
