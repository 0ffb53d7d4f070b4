"""What continues between fits, and how a fit fails.

:class:`TrainingState` is everything a warm start or ``partial_fit`` carries
from one fit to the next; :class:`TrainingDiverged` is the engine's error for
a loss that stopped being finite, or climbed far above where it started
(``CLIMB_FACTOR`` times the run's first epoch's loss, ``CLIMB_EPOCHS`` epochs
in a row; the stop rule watches it, ``stop.StopRule.diverging``).
The loop, the stepper, the stop rule and the kernel's runners all read and
write the state; this module imports none of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import torch

# A finite loss this many times the run's first epoch's, this many epochs in
# a row, is divergence too: full-batch GDRegressor(eta0=0.5) on 200 rows of
# standardised diabetes climbs to R² = -2e10 without ever overflowing.
CLIMB_FACTOR = 1e6
CLIMB_EPOCHS = 5


@dataclass
class TrainingState:
    """Everything that continues from one fit to the next (warm start,
    partial_fit). Tensors in it live on the host after training; the
    compiled kernel's lane (``kernel.lane``) keeps numpy arrays instead,
    which the torch path takes as they are (``step.Averager``)."""

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
    averaged_params: list[torch.Tensor | np.ndarray] | None = None
    raw_params: list[torch.Tensor | np.ndarray] | None = None
    n_averaged: int = 0
    # (epoch, loss) of a divergence that early stopping survived, this run
    diverged_at: tuple[int, float] | None = None


class TrainingDiverged(ValueError):
    """The loss became NaN or infinite.

    ``epoch`` and ``loss`` say when; the estimator catching it adds which of
    its parameters to change.
    """

    def __init__(self, epoch: int, loss: float, message: str | None = None) -> None:
        self.epoch = epoch
        self.loss = loss
        super().__init__(message or divergence_message(epoch, loss))


def divergence_message(epoch: int, loss: float) -> str:
    """What happened at ``epoch``: an overflow, or a loss that kept climbing."""
    if not math.isfinite(loss):
        # scikit-learn's SGD words it so
        return (f"Floating-point under-/overflow occurred at epoch #{epoch}: "
                f"training diverged (loss={loss}). Scaling input data with "
                "StandardScaler or MinMaxScaler might help.")
    return (f"Training diverged at epoch {epoch}: the loss ({loss:.3g}) stayed "
            f"above {CLIMB_FACTOR:g} times its first epoch's for {CLIMB_EPOCHS} "
            "epochs.")
