"""Training a torch module. Knows torch, never scikit-learn.

``run_training(module, train, spec, state, validation)`` trains ``module`` in
place and returns the updated :class:`TrainingState`: it seeds the shuffle
and the dropout, scopes torch's thread count, and runs the epoch loop
(:func:`epochs.run_epochs`) over the parts :func:`parts.make_parts` builds
(the torch mini-batch epoch, the compiled joint epoch, the compiled
kernel's one-vs-all heads, or one iteration of full-batch L-BFGS an
epoch). The compiled kernel's lane (:mod:`kernel.lane`) runs the
same epoch loop without a module, and without torch.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator

import torch
from torch import nn

from .data import TrainingData
from .device import intra_op_threads, training_threads
from .epochs import run_epochs
from .modules import dropout_layers, weights_and_biases
from .parts import make_parts, plan
from .regularisation import penalty_fractions
from .sparse import row_major_
from .spec import TrainingSpec
from .state import TrainingState


def run_training(
    module: nn.Module,
    train: TrainingData,
    spec: TrainingSpec,
    state: TrainingState | None = None,
    validation: TrainingData | None = None,
    *,
    in_place: bool = False,
) -> TrainingState:
    """Train ``module`` in place by ``spec`` and return the new state.

    ``validation`` (optional) is scored after every epoch; the stop rule then
    watches its score and the best-scoring weights are restored at the end.
    ``state`` is copied first, unless ``in_place`` (the caller's own, which
    no one else holds: it is updated and returned).

    Raises
    ------
    TrainingDiverged
        If the training loss stops being finite.
    """
    if state is None:
        state = TrainingState()
    elif not in_place:
        state = copy.deepcopy(state)
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


def continues_in_one_run(module: nn.Module, train: TrainingData,
                         spec: TrainingSpec) -> bool:
    """Whether one run of ``n`` epochs trains exactly as ``n`` runs of one
    epoch each that continue the state (``partial_fit`` calls).

    True for the torch mini-batch epoch on dense X on the CPU, whose
    shuffle and dropout draw from one generator that the state carries on,
    and whose optimizer, schedule and counters the state carries exactly.
    Not where a run starts something afresh that the state does not carry:
    the compiled kernel (its heads restart their shuffle from their seed,
    as scikit-learn's SGD's ``partial_fit`` does; its working weights start
    from the module's), L-BFGS (its history), the linear models' cumulative
    L1 step (its accumulated thresholds, as scikit-learn's SGD's
    ``partial_fit``), sparse X (a run's first weight gradient is summed in
    another order, ``sparse.sparse_weight_gradient``: rounding), nor where
    a run prints (``verbose``). Nor off the CPU, where it is not checked (a
    device's dropout generator is seeded per run, for one).
    """
    if (spec.solver == "lbfgs" or spec.verbose or train.is_sparse
            or train.device.type != "cpu"):
        return False
    if (not spec.penalty_per_batch_weight and spec.penalty_alpha
            and penalty_fractions(spec.penalty, spec.l1_ratio)[1]):
        return False
    return plan(module, train, spec)[1] is None


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
    run_epochs(make_parts(module, train, spec, state, validation), state,
               generator)
