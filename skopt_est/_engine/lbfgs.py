"""Full-batch L-BFGS as a runner: one iteration of torch's optimizer an epoch.

:class:`LBFGSRunner` honours the runner contract (:mod:`runner`), so the
epoch loop drives L-BFGS as it drives every other path: it records one
``loss_curve`` entry per iteration, checks each for divergence and prints
the verbose lines. Each ``run_epoch`` calls ``torch.optim.LBFGS.step`` with
``max_iter=1``; the optimizer keeps its history (direction, step, curvature
pairs) in its state between calls, and :meth:`LBFGSRunner.verdict` applies
the tests torch applies after an iteration of its own loop, so that the fit
takes the steps of one ``step`` call with ``max_iter`` iterations
(tests/test_lbfgs.py holds the two equal). The gradient test
(``tolerance_grad``) is left to torch: each step call begins with it, on the
gradient where the last iteration ended, and takes no step if it passes;
``run_epoch`` then says there is nothing to train.

Two things keep the steps equal. A step call begins by evaluating the
objective where the previous one ended, which the single call does not (it
carries the line search's loss and gradient over): the closure returns what
the line search computed there instead (:class:`_Evaluation`), so no
evaluation is added, the evaluation budget ``max_fun`` counts the single
call's, and dropout draws the same masks. And a step call counts its
evaluations from zero: the line search's share of ``max_fun`` is set to what
is left before each call.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .data import TrainingData
from .gradients import make_gradient
from .modules import weights_and_biases
from .objective import Objective
from .optim import make_optimizer
from .penalties import flat_weights
from .spec import TrainingSpec
from .state import TrainingState
from .weights import total_weight


@dataclass
class _Evaluation:
    """The objective at ``params``: its value (``loss``, a 0-d tensor, as
    torch's line search sees it; ``value`` as a float), the weighted loss
    sum, and the gradient."""

    params: list[torch.Tensor]
    loss: torch.Tensor
    value: float
    loss_sum: float
    grads: list[torch.Tensor | None]

    def at(self, params: list[torch.Tensor]) -> bool:
        """Whether ``params`` hold exactly the values evaluated."""
        return all(torch.equal(kept, param)
                   for kept, param in zip(self.params, params))


class LBFGSRunner:
    """Full-batch L-BFGS, one iteration of ``torch.optim.LBFGS`` an epoch.

    Parameters
    ----------
    module : nn.Module
        Trained in place.
    train : TrainingData
        The whole training set (class weights folded in), every evaluation.
    spec : TrainingSpec
        ``max_iter`` bounds the iterations of this fit, ``max_fun`` its
        evaluations of the objective; ``tol`` is torch's ``tolerance_grad``.
    objective : Objective
        Its penalty is part of the objective L-BFGS minimises.
    state : TrainingState
        Counts the samples of every evaluation (``n_samples_seen``).
    """

    def __init__(self, module: nn.Module, train: TrainingData,
                 spec: TrainingSpec, objective: Objective,
                 state: TrainingState) -> None:
        self._params = list(module.parameters())
        self._weights = weights_and_biases(module)[0]
        self._penalty = objective.penalty
        self._grad = make_gradient(module, spec.loss)
        self._train, self._scale = train, total_weight(train)
        self._max_iter, self._max_fun = spec.max_iter, spec.max_fun
        self._state = state
        self._optimizer = make_optimizer(spec, [{"params": self._params}])
        self._group = self._optimizer.param_groups[0]
        self._group["max_iter"] = 1
        self._iterations = 0
        self._evaluations = 0   # as one step call with max_iter would count
        self._start: _Evaluation | None = None  # where the next step begins
        self._start_versions: list[int] = []
        self._candidates: list[_Evaluation] = []

    # ------------------------------------------------------- the contract
    def run_epoch(self, generator: torch.Generator) -> float | None:
        """One L-BFGS iteration; the weighted loss sum where it ends, or None
        where the gradient already meets ``tol`` (torch then takes no step:
        at the start of the fit, or where the last iteration ended)."""
        torch_state = self._optimizer.state[self._params[0]]
        iterations = torch_state.get("n_iter", 0)
        evaluations = self._evaluations
        cached = self._start is not None
        # the single call's line search may use what its evaluations so far
        # leave of max_fun; a step call counts its first evaluation (here
        # the cached start) as one of its own
        self._group["max_eval"] = self._max_fun - evaluations + int(cached)
        self._candidates = [self._start] if cached else []
        self._optimizer.step(self._closure)
        self._state.n_samples_seen += self._train.n_samples * (
            self._evaluations - evaluations)
        if torch_state["n_iter"] == iterations:
            self._start = self._candidates[0]
            return None
        self._iterations += 1
        self._start = self._where_it_ends()
        self._start_versions = [param._version for param in self._params]
        self._candidates = []
        return self._start.loss_sum

    def verdict(self, mean_loss: float, score: float | None) -> bool:
        """torch's tests after an iteration but the gradient's (module doc):
        True to stop.

        ``max_iter`` first, untested (torch breaks there before testing),
        then the spent budget, then the step and the loss change, in either
        order (neither has a side effect). An iteration that found no
        descent direction (torch's ``gtd`` test, before its line search)
        left the loss as it was: the loss-change test stops there too."""
        self._state.best_loss = min(self._state.best_loss, mean_loss)
        if self._iterations == self._max_iter:
            return False  # torch stops here untested; the loop ends anyway
        if self._evaluations >= self._max_fun:
            return True
        torch_state = self._optimizer.state[self._params[0]]
        tolerance_change = self._group["tolerance_change"]
        return bool(
            abs(self._start.value - torch_state["prev_loss"]) < tolerance_change
            or torch_state["d"].mul(torch_state["t"]).abs().max()
            <= tolerance_change)

    def finish(self) -> None:
        """A spent ``max_fun`` is no convergence; a fit that took no step
        records the loss it found, so that ``loss_`` is the model's."""
        state = self._state
        state.converged = state.converged and self._evaluations < self._max_fun
        if self._iterations == 0 and self._start is not None:
            state.loss_curve.append(self._start.value)
            state.best_loss = min(state.best_loss, self._start.value)

    # ---------------------------------------------------------- internals
    def _closure(self) -> torch.Tensor:
        start = self._start
        # nothing moved the parameters since the last step call ended there
        if start is not None and self._start_versions == [
                param._version for param in self._params]:
            self._start = None  # served once: the step's first evaluation
            for param, grad in zip(self._params, start.grads):
                param.grad = grad
            return start.loss
        evaluation = self._evaluate()
        self._evaluations += 1
        self._keep(evaluation)
        return evaluation.loss

    def _evaluate(self) -> _Evaluation:
        """The objective and its gradient at the parameters' values."""
        self._optimizer.zero_grad(set_to_none=True)
        with torch.enable_grad():
            loss_sum = self._grad(self._train, None, self._scale, 0.0)
            penalty = self._penalty
            penalty_value = 0.0
            if self._weights and (penalty.l1 or penalty.l2):
                penalty_term = penalty.value(flat_weights(self._weights))
                penalty_term.backward()
                penalty_value = penalty_term.detach()
        loss = loss_sum.detach() / self._scale + penalty_value
        with torch.no_grad():
            return _Evaluation(
                params=[param.detach().clone() for param in self._params],
                loss=loss, value=float(loss), loss_sum=float(loss_sum),
                grads=[None if param.grad is None else param.grad.clone()
                       for param in self._params])

    def _keep(self, evaluation: _Evaluation) -> None:
        """Keep the evaluations the line search can end at: never one above
        the lowest so far (it ends at its lowest point)."""
        value = evaluation.value
        self._candidates = [kept for kept in self._candidates
                            if not kept.value > value]
        if not any(value > kept.value for kept in self._candidates):
            self._candidates.append(evaluation)

    def _where_it_ends(self) -> _Evaluation:
        """The evaluation at the parameters the step left. Evaluated again
        only if none matches, and then not counted against ``max_fun``: the
        single call would not make that evaluation."""
        with torch.no_grad():
            for evaluation in reversed(self._candidates):
                if evaluation.at(self._params):
                    return evaluation
            return self._evaluate()
