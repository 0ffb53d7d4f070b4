"""Full-batch L-BFGS: one ``optimizer.step(closure)`` runs every iteration.

L-BFGS has no epochs: torch's optimizer runs its iterations, line searches
and stop tests in one call, so it runs apart from the epoch loop and records
its iterations and evaluations in the state itself.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .data import TrainingData
from .gradients import make_gradient
from .modules import weights_and_biases
from .objective import make_objective
from .optim import make_optimizer
from .penalties import flat_weights
from .spec import TrainingSpec
from .state import TrainingDiverged, TrainingState
from .weights import class_weighted, total_weight


def run_lbfgs(module: nn.Module, train: TrainingData, spec: TrainingSpec,
              state: TrainingState) -> None:
    """Full-batch L-BFGS: one ``optimizer.step(closure)`` runs every iteration."""
    if spec.head_weights:
        train = class_weighted(train, spec.head_weights, spec.loss.target_kind)
    objective = make_objective(spec, train)
    weights, _ = weights_and_biases(module)
    penalty = objective.penalty
    optimizer = make_optimizer(spec, [{"params": list(module.parameters())}])
    grad = make_gradient(module, spec.loss)
    scale = total_weight(train)

    def closure():
        optimizer.zero_grad(set_to_none=True)
        with torch.enable_grad():
            loss_sum = grad(train, None, scale, 0.0)
            penalty_value = 0.0
            if weights and (penalty.l1 or penalty.l2):
                penalty_term = penalty.value(flat_weights(weights))
                penalty_term.backward()
                penalty_value = penalty_term.detach()
        return loss_sum.detach() / scale + penalty_value

    optimizer.step(closure)
    # torch's step returns the loss it started from; one more evaluation
    # gives the fitted model's (loss_, and the divergence check below)
    final_loss = float(closure())
    if not math.isfinite(final_loss):
        raise TrainingDiverged(1, final_loss)
    lbfgs_state = optimizer.state[optimizer.param_groups[0]["params"][0]]
    n_iter = int(lbfgs_state.get("n_iter", 1))
    n_evals = int(lbfgs_state.get("func_evals", 1))
    state.n_iter += n_iter
    state.n_samples_seen += train.n_samples * n_evals
    state.loss_curve.append(final_loss)
    state.best_loss = min(state.best_loss, final_loss)
    state.converged = n_iter < spec.max_iter and n_evals < spec.max_fun
