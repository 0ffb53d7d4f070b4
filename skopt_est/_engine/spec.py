"""The training specification: every knob of one fit, resolved, as plain values.

The estimators build a :class:`TrainingSpec` from their parameters; the engine
(``loop``) and the registries read it and never see an estimator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loss_kinds import LossKind
    from .losses import Loss


# the solvers (``optim`` builds them); named here, where no torch is imported
SOLVERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad", "lbfgs")


@dataclass(frozen=True)
class TrainingSpec:
    """What the engine needs to train one model.

    The fields fall into the engine's parts (see ``docs/contributing.rst``):

    - objective (``objective``): ``loss``; ``penalty``, ``penalty_alpha`` and
      ``l1_ratio`` set the penalty's strength in the mean-loss objective;
      ``penalty_per_batch_weight`` applies scikit-learn's MLP rule, which
      divides the penalty by each batch's total sample weight
      (``penalty_alpha`` is then the strength at the nominal batch size);
    - stepper (``step``): ``solver`` and its settings (``lr``,
      ``momentum``, ``nesterov``, ``beta_1``, ``beta_2``, ``adam_epsilon``),
      the schedule (``learning_rate``, ``power_t``, ``gamma``, ``step_size``,
      ``alpha`` and ``optimal_init`` for ``'optimal'``, ``schedule_horizon``)
      and ``average_start``. ``clock`` says what ``'invscaling'`` and
      ``'optimal'`` count: ``'updates'`` (one tick per mini-batch step,
      scikit-learn's SGD at batch size 1) or ``'samples'`` (samples seen,
      ticked once per epoch, scikit-learn's MLP). ``schedule_horizon`` is the
      number of epochs ``'linear'`` and ``'cosine'`` anneal over (None:
      ``max_iter``); the estimators pass their ``max_iter``, also when
      ``partial_fit`` runs one epoch a call;
    - stop rule (``stop``): ``tol`` (None: never stop early),
      ``watch_climb`` (False: only a non-finite loss is divergence, not a
      finite climb; ``partial_fit`` judges each call's epochs so, which a
      call of one epoch cannot tell apart),
      ``patience`` (epochs without improvement that trigger a stop or, for
      ``'adaptive'``, a learning-rate cut), ``validation_metric`` and
      ``stop_loss``, the training loss it watches: ``'objective'`` (the mean
      loss plus the penalty, scikit-learn's MLP) or ``'per_head'`` (that
      divided by the number of one-vs-all heads, scikit-learn's SGD);
    - the loop (``loop``): ``max_iter``, ``max_fun`` (L-BFGS),
      ``batch_size`` (None: full batch), ``shuffle``, ``verbose``, ``seed``;
      ``report``, the lines ``verbose`` prints: ``'mlp'`` (scikit-learn's
      MLP, ``Iteration 3, loss = ...``, under a progress bar) or ``'sgd'``
      (scikit-learn's SGD blocks, ``report``);
    - scikit-learn's SGD, one fit per head (``kernel``): ``sgd_seeds``, the
      shuffle seed of each one-vs-all head, drawn as scikit-learn draws them
      (empty: the heads train jointly), and ``head_weights``, each head's
      class weights ``(positive, negative)``, which the other paths fold into
      the sample weights, per (row, head) for one-vs-all heads
      (``weights.class_weighted``; empty: none); ``n_jobs``, the threads
      that train those heads (None: one).
    """

    # a torch Loss; the compiled kernel's lane reads only its LossKind fields
    loss: Loss | LossKind
    solver: str = "sgd"
    lr: float = 0.01
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
    # batch_size came from 'auto': the fit then goes per-sample where the
    # compiled kernel runs it (parts.plan)
    auto_batch: bool = False
    shuffle: bool = True
    tol: float | None = 1e-4
    watch_climb: bool = True
    patience: int = 10
    validation_metric: str = "r2"
    stop_loss: str = "objective"
    penalty: str | None = None
    alpha: float = 0.0001
    penalty_alpha: float = 0.0
    penalty_per_batch_weight: bool = False
    l1_ratio: float = 0.15
    average_start: int = 0
    verbose: int = 0
    report: str = "mlp"
    seed: int = 0
    sgd_seeds: tuple[int, ...] = ()
    head_weights: tuple[tuple[float, float], ...] = ()
    n_jobs: int | None = None

    @property
    def horizon(self) -> int:
        """Epochs the annealing schedules span."""
        return self.schedule_horizon or self.max_iter
