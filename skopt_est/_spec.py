"""The training specification: every knob of one fit, resolved, as plain values.

The estimators build a :class:`TrainingSpec` from their parameters; the engine
(``_training``) and the registries read it and never see an estimator.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._losses import Loss


@dataclass(frozen=True)
class TrainingSpec:
    """What the engine needs to train one model.

    ``batch_size=None`` means full batch. ``penalty_alpha`` multiplies the
    penalty in the per-batch mean objective (scikit-learn's SGD uses ``alpha``;
    its MLP uses ``alpha`` divided by the batch's total sample weight).
    ``clock`` says what ``'invscaling'`` and ``'optimal'`` count: ``'updates'``
    (one tick per mini-batch step, scikit-learn's SGD at batch size 1) or
    ``'samples'`` (samples seen, ticked once per epoch, scikit-learn's MLP).
    ``patience`` is the number of epochs without improvement that triggers a
    stop (or, for ``'adaptive'``, a learning-rate cut). ``schedule_horizon`` is
    the number of epochs ``'linear'`` and ``'cosine'`` anneal over (None:
    ``max_iter``); the estimators pass their ``max_iter``, also when
    ``partial_fit`` runs one epoch a call.
    ``divergence_hint`` says which parameter to change if the loss blows up.
    """

    loss: Loss
    solver: str = "sgd"
    lr: float = 0.01
    lr_param: str = "eta0"
    momentum: float = 0.0
    nesterov: bool = False
    beta_1: float = 0.9
    beta_2: float = 0.999
    adam_epsilon: float = 1e-8
    learning_rate: str = "constant"
    power_t: float = 0.5
    gamma: float = 0.9
    step_size: int = 10
    optimal_init: float = 1.0
    clock: str = "updates"
    max_iter: int = 200
    schedule_horizon: int | None = None
    max_fun: int = 15000
    batch_size: int | None = None
    shuffle: bool = True
    tol: float | None = 1e-4
    patience: int = 10
    early_stopping: bool = False
    validation_metric: str = "r2"
    penalty: str | None = None
    alpha: float = 0.0001
    penalty_alpha: float = 0.0
    penalty_per_batch_weight: bool = False
    l1_ratio: float = 0.15
    dropout: float = 0.0
    average_start: int = 0
    verbose: int = 0
    divergence_hint: str = "Lower the learning rate"
    n_threads: int | None = None
    seed: int = 0

    @property
    def horizon(self) -> int:
        """Epochs the annealing schedules span."""
        return self.schedule_horizon or self.max_iter
