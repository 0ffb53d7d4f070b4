"""The parts of one torch fit, each built once, and the runner that drives them.

:func:`make_parts` first decides where the fit runs
(:func:`kernel.eligibility.kernel_kind`, asked once per batch size tried),
then builds the objective, stepper and stop rule, and one runner
(:mod:`runner`): full-batch L-BFGS (:class:`lbfgs.LBFGSRunner`, one
iteration an epoch, with no stepper), the compiled kernel's one-vs-all heads
(here only under a torch epoch schedule; scikit-learn's own schedules run
them in the lane, :mod:`kernel.lane`), the compiled joint epoch, or the
torch mini-batch epoch. :class:`Parts` is what the epoch loop
(:func:`epochs.run_epochs`) holds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import scipy.sparse as sp
import torch
from torch import nn

from .data import TrainingData
from .epoch import TorchEpoch
from .gradients import make_gradient
from .kernel import eligibility
from .kernel.heads import HeadsRunner
from .kernel.host import HostData
from .kernel.joint import JointEpoch
from .lbfgs import LBFGSRunner
from .modules import weights_and_biases
from .objective import Objective, make_objective
from .predict import validation_score
from .report import SGDReport
from .runner import Runner, SteppedRunner
from .sparse import column_major_
from .spec import TrainingSpec
from .state import TrainingState
from .step import make_stepper
from .stop import StopRule, make_stop_rule
from .weights import class_weighted, total_weight


@dataclass
class Parts:
    """What the epoch loop holds for one torch fit (:class:`epochs.EpochParts`)."""

    # the spec the fit runs by ('auto' resolved to one sample a step where
    # the kernel runs it)
    spec: TrainingSpec
    # the training data the runner weighs (class weights folded in, except
    # for the kernel's heads, which weigh each head themselves)
    train: TrainingData
    objective: Objective
    stop_rule: StopRule
    weights: list[torch.Tensor]
    biases: list[torch.Tensor]
    runner: Runner
    report: SGDReport | None
    module: nn.Module
    validation: TrainingData | None
    weight_total: float

    def mean_loss(self, loss_sum: float) -> float:
        """The epoch's objective: mean weighted loss plus the penalty."""
        return self.objective.mean_loss(loss_sum, self.weight_total,
                                        self.weights)

    def validation_score(self) -> float | None:
        """The module's validation score (None without a validation set)."""
        if self.validation is None:
            return None
        return validation_score(self.module, self.validation, self.spec)

    def report_weights(self):
        """Host copies of the first layer's weight and bias."""
        bias = self.biases[0].detach().cpu().numpy() if self.biases else None
        return self.weights[0].detach().cpu().numpy(), bias


def plan(module: nn.Module, train: TrainingData,
         spec: TrainingSpec) -> tuple[TrainingSpec, str | None]:
    """The spec a fit runs by and where it runs (``kernel_kind``).

    ``batch_size='auto'`` means one sample a step where the compiled kernel
    runs the fit: scikit-learn's SGD and its speed (bench_linear.py, all
    defaults: 0.89x ``SGDClassifier()``'s time on 160 000 dense rows, where
    torch batches of 200 took 3.1x; 0.04 s against 4-60 s on its sparse text
    data), else the estimator's own rule.
    """
    if (spec.auto_batch and spec.batch_size != 1 and spec.solver == "sgd"
            and spec.momentum == 0 and train.device.type == "cpu"):
        per_sample = dataclasses.replace(spec, batch_size=1)
        kind = eligibility.kernel_kind(module, train, per_sample)
        if kind is not None:
            return per_sample, kind
    return spec, eligibility.kernel_kind(module, train, spec)


def make_parts(module: nn.Module, train: TrainingData, spec: TrainingSpec,
               state: TrainingState,
               validation: TrainingData | None = None) -> Parts:
    """The parts and the runner of one fit, each built once.

    The torch path stores the first layer's weight column-major for sparse X
    (see :mod:`sparse`); :func:`loop.run_training` undoes it.
    """
    spec, kind = plan(module, train, spec)
    weights, biases = weights_and_biases(module)
    if spec.head_weights and kind != "heads":
        train = class_weighted(train, spec.head_weights, spec.loss.target_kind)
    objective = make_objective(spec, train)
    # the engine's divergence check serves every runner, L-BFGS's too
    stop_rule = make_stop_rule(spec, state, weights + biases)
    if spec.solver == "lbfgs":  # no learning rate: nothing for the kernel
        runner = LBFGSRunner(module, train, spec, objective, state)
    else:
        eligibility.check_kernel_runs(spec, kind)
        runner = _stepped_runner(module, train, spec, kind, objective,
                                 stop_rule, state, validation)
    report = None
    if kind != "heads" and spec.verbose and spec.report == "sgd":
        report = SGDReport(state.n_samples_seen)
    return Parts(spec=spec, train=train, objective=objective,
                 stop_rule=stop_rule, weights=weights, biases=biases,
                 runner=runner, report=report, module=module,
                 validation=validation, weight_total=total_weight(train))


def _host_linear(module) -> tuple:
    """Numpy views of a CPU linear model's weight and bias (trained in place)."""
    bias = module.linear.bias
    return (module.linear.weight.detach().numpy(),
            None if bias is None else bias.detach().numpy())


def host_data(data: TrainingData | None) -> HostData | None:
    """Numpy views of CPU training data, as the compiled kernel's heads read
    them (:class:`kernel.host.HostData`)."""
    if data is None:
        return None
    if data.is_sparse:
        X = sp.csr_matrix((data.X.values().numpy(), data.X.col_indices().numpy(),
                           data.X.crow_indices().numpy()), shape=tuple(data.X.shape))
    else:
        X = data.X.numpy()
    weight = None if data.sample_weight is None else data.sample_weight.numpy()
    return HostData(X, data.y.numpy(), weight, source=data.source)


def _stepped_runner(module: nn.Module, train: TrainingData, spec: TrainingSpec,
                    kind: str | None, objective: Objective, stop_rule: StopRule,
                    state: TrainingState,
                    validation: TrainingData | None) -> Runner:
    """The runner of the paths that step the engine's stepper: the kernel's
    heads, the compiled joint epoch or the torch mini-batch epoch."""
    weights, biases = weights_and_biases(module)
    stepper = make_stepper(spec, weights, biases, objective, state)
    if kind == "heads":
        return HeadsRunner(*_host_linear(module), host_data(train), spec,
                           stepper, state, host_data(validation))
    if kind == "joint":
        epoch = JointEpoch(module, train, spec, objective, stepper, state)
    else:
        if train.is_sparse and weights:
            column_major_(weights[0])
        epoch = TorchEpoch(train, spec, objective,
                           make_gradient(module, spec.loss), stepper)
    return SteppedRunner(epoch, objective, stepper, stop_rule)
