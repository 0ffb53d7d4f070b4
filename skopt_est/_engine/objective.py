"""The objective of one fit: the loss, the penalty, and how both are scaled.

A step minimises ``sum_i w_i * loss_i / scale + penalty(W)`` over its batch,
with ``scale`` the batch's row count times ``mean_weight`` and the penalty on
weights only (never biases); with scikit-learn's one-vs-all class weights
``w`` is a weight per (row, head), ``sum_ik w_ik * loss_ik``
(``Loss.sum_and_gradient``). Two scaling rules exist:

- scikit-learn's SGD: the same ``alpha`` in every batch, and raw sample
  weights (``mean_weight`` 1: each sample's step is multiplied by its weight,
  as scikit-learn's ``update *= class_weight * sample_weight``);
- scikit-learn's MLP (``per_batch_weight``): ``alpha`` divided by each batch's
  total weight, so a short last batch is penalised more, and the loss divided
  by the batch's total weight (``mean_weight``: the training set's mean).
  The strengths in ``penalty`` are those of a batch of ``nominal_rows`` rows,
  which is also the penalty the epoch's mean loss reports.

:meth:`Objective.batch_terms` gives what one step needs; the gradient
(``gradients``) takes the scale and the L2 strength, the stepper
(``step``) the factor its L1 step multiplies by.

:meth:`Objective.mean_loss` is the epoch's objective (``loss_curve_``, the
divergence check); :meth:`Objective.stop_loss` is what the stop rule watches.
For scikit-learn's MLP they are the same. scikit-learn's SGD fits one
binary model per class, each stopping on its own objective (mean loss plus
penalty); the compiled kernel does the same (``kernel.runners.HeadsRunner``,
each head with its own stop rule). Where the heads train as one model (the torch
path), the stop rule watches the objective per head: the heads' sum against
``tol`` would stop later the more classes there are.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .data import TrainingData
from .losses import Loss
from .optim import DECOUPLED_DECAY_SOLVERS
from .penalties import flat_weights
from .regularisation import Penalty, split_penalty
from .spec import TrainingSpec


@dataclass(frozen=True)
class Objective:
    """The loss and the penalty of one fit, and the penalty's scaling rule.

    ``penalty`` holds the strengths of a batch of ``nominal_rows`` rows.
    ``decoupled_l2``: the L2 part is the optimizer's decoupled weight decay
    (AdamW), so the gradient leaves it out. ``n_heads``: the independent
    binary problems whose losses (and penalties) the objective sums, which
    :meth:`stop_loss` divides by (see the module doc). ``clip_shrink``:
    plain SGD's L2 shrink ``1 - lr * l2`` of a step stops at 0 (the weights
    are zeroed, never flipped), as scikit-learn's SGD.
    """

    loss: Loss
    penalty: Penalty
    mean_weight: float
    nominal_rows: int
    per_batch_weight: bool = False
    decoupled_l2: bool = False
    n_heads: int = 1
    clip_shrink: bool = False

    @property
    def gradient_l2(self) -> float:
        """The L2 strength the gradient includes at the nominal batch."""
        return 0.0 if self.decoupled_l2 else self.penalty.l2

    def batch_terms(self, n_rows: int,
                    lr: float | None = None) -> tuple[float, float, float]:
        """``(scale, l2, factor)`` for a batch of ``n_rows`` rows.

        ``scale`` divides the batch's weighted loss sum, ``l2`` is the L2
        strength of the gradient, ``factor`` multiplies the penalty's
        nominal strengths (1 unless ``per_batch_weight``). With
        ``clip_shrink`` and the step's rate ``lr``, ``l2`` is at most
        ``1 / lr``: the step ``w - lr * (g + l2 * w)`` then shrinks ``w`` by
        ``max(0, 1 - lr * l2)``, so a huge ``alpha`` zeroes the weights
        where the plain shrink would flip and grow them (``alpha=1e5,
        eta0=0.1``: a factor -9999 a step, overflow within 6 epochs).
        """
        factor = self.nominal_rows / n_rows if self.per_batch_weight else 1.0
        l2 = self.gradient_l2 * factor
        if self.clip_shrink and lr and l2 * lr > 1.0:
            l2 = 1.0 / lr
        return n_rows * self.mean_weight, l2, factor

    def mean_loss(self, loss_sum: float, total_weight: float,
                  weights: list[torch.Tensor]) -> float:
        """The epoch's objective: mean weighted loss plus nominal penalty."""
        mean_loss = loss_sum / total_weight
        if weights:  # detached, no graph: 6.1 µs against 7.6 on iris, an epoch
            mean_loss += float(self.penalty.value(
                flat_weights([w.detach() for w in weights])))
        return mean_loss

    def stop_loss(self, mean_loss: float) -> float:
        """The training loss the stop rule compares against ``tol``: the
        epoch's objective ``mean_loss`` per independent head (module doc)."""
        return mean_loss / self.n_heads


def make_objective(spec: TrainingSpec, train: TrainingData) -> Objective:
    """The objective of ``spec`` on ``train``."""
    n_samples = train.n_samples
    nominal_rows = min(spec.batch_size or n_samples, n_samples)
    # scikit-learn's SGD multiplies each update by the raw sample weight;
    # its MLP divides each batch by its total weight
    mean_weight = (train.total_weight / n_samples
                   if spec.penalty_per_batch_weight else 1.0)
    strength = spec.penalty_alpha
    if spec.penalty_per_batch_weight:
        strength = strength / (nominal_rows * mean_weight)
    return Objective(
        loss=spec.loss,
        penalty=split_penalty(spec.penalty, strength, spec.l1_ratio),
        mean_weight=mean_weight,
        nominal_rows=nominal_rows,
        per_batch_weight=spec.penalty_per_batch_weight,
        decoupled_l2=spec.solver in DECOUPLED_DECAY_SOLVERS,
        n_heads=(_n_heads(spec.loss, train) if spec.stop_loss == "per_head"
                 else 1),
        clip_shrink=spec.solver == "sgd" and not spec.penalty_per_batch_weight,
    )


def _n_heads(loss: Loss, train: TrainingData) -> int:
    """How many independent binary problems ``loss`` sums over: one per
    output for the margin losses and the per-output logistic loss, else 1
    (regression averages over outputs; the multinomial loss is one problem)."""
    if loss.target_kind in ("sign", "binary") and train.y.ndim == 2:
        return int(train.y.shape[1])
    return 1
