"""The engine without an estimator: bare tensors, a spec, and each part alone."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from skopt_est._engine.data import to_training_data
from skopt_est._engine.gradients import (
    AutogradGradient,
    ClosedFormGradient,
    make_gradient,
)
from skopt_est._engine.loop import run_training
from skopt_est._engine.losses import make_loss
from skopt_est._engine.modules import MLP, LinearModel, weights_and_biases
from skopt_est._engine.objective import Objective, make_objective
from skopt_est._engine.regularisation import Penalty
from skopt_est._engine.spec import TrainingSpec
from skopt_est._engine.state import TrainingDiverged, TrainingState
from skopt_est._engine.step import make_stepper
from skopt_est._engine.stop import StopRule, Verdict

CPU = torch.device("cpu")
SQUARED = make_loss("squared_error")


def _least_squares_problem(n_samples=200, n_features=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    y = X @ rng.standard_normal(n_features) + 3.0 + 0.1 * rng.standard_normal(
        n_samples)
    return X, y


def _linear_module(n_features, n_outputs=1):
    return LinearModel(n_features, n_outputs, fit_intercept=True, dropout=0.0,
                       dtype=torch.float64, device=CPU)


def _lstsq(X, y):
    design = np.hstack([X, np.ones((len(X), 1))])
    return np.linalg.lstsq(design, y, rcond=None)[0]


# ------------------------------------------------------- the entry point
@pytest.mark.parametrize("solver, fields, atol", [
    ("sgd", dict(lr=0.1, max_iter=600), 1e-8),
    ("adam", dict(lr=0.05, max_iter=2000), 1e-6),
    # L-BFGS stops on torch's tolerance_change=2.2e-9 in the loss
    ("lbfgs", dict(max_iter=200, tol=1e-12), 1e-4),
])
def test_least_squares_converges_to_lstsq(solver, fields, atol):
    X, y = _least_squares_problem()
    module = _linear_module(X.shape[1])
    spec = TrainingSpec(loss=SQUARED, solver=solver, batch_size=None,
                        **{"tol": None, **fields})
    state = run_training(module, to_training_data(X, y, None, CPU), spec)
    expected = _lstsq(X, y)
    got = np.append(module.linear.weight.detach().numpy().ravel(),
                    module.linear.bias.detach().numpy())
    np.testing.assert_allclose(got, expected, atol=atol)
    assert state.n_iter >= 1 and len(state.loss_curve) >= 1


def test_minibatch_sgd_approaches_lstsq_and_counts():
    X, y = _least_squares_problem(n_samples=256)
    module = _linear_module(X.shape[1])
    spec = TrainingSpec(loss=SQUARED, solver="sgd", lr=0.3, batch_size=32,
                        learning_rate="invscaling", power_t=0.25, max_iter=30,
                        tol=None)
    state = run_training(module, to_training_data(X, y, None, CPU), spec)
    got = np.append(module.linear.weight.detach().numpy().ravel(),
                    module.linear.bias.detach().numpy())
    np.testing.assert_allclose(got, _lstsq(X, y), atol=0.01)
    assert state.n_updates == 30 * 8 and state.n_samples_seen == 30 * 256
    assert state.lr == pytest.approx(0.3 / (30 * 8 + 1) ** 0.25)


def test_divergence_raises_the_engine_error_without_estimator_wording():
    X, y = _least_squares_problem()
    spec = TrainingSpec(loss=SQUARED, solver="sgd", lr=1e3, batch_size=None,
                        max_iter=200, tol=None)
    with pytest.raises(TrainingDiverged, match="diverged") as info:
        run_training(_linear_module(X.shape[1]), to_training_data(X, y, None, CPU),
                     spec)
    assert isinstance(info.value, ValueError)
    # clipped derivatives keep the loss finite: the climb rule catches it
    assert info.value.epoch > 5 and math.isfinite(info.value.loss)
    assert info.value.loss > 1e6 * 10
    assert "eta0" not in str(info.value)


def test_stop_rule_climb_needs_consecutive_epochs():
    rule = _rule(tol=None)
    losses = [1.0, 2e6, 2e6, 2e6, 2e6, 0.5, 2e6, 2e6, 2e6, 2e6, 2e6]
    flags = [rule.diverging(loss) for loss in losses]
    assert flags == [False] * 10 + [True]
    assert rule.diverging(math.nan) and rule.diverging(math.inf)


@pytest.mark.parametrize("first", [-3.0, 0.0])
def test_stop_rule_climb_needs_a_positive_first_loss(first):
    # a fitted Poisson loss is negative: a warm start's later epochs were
    # "above 1e6 times" it, and the fit raised TrainingDiverged at epoch 6
    rule = _rule(tol=None)
    assert not any(rule.diverging(loss) for loss in [first] + [first + 1] * 9)
    assert rule.diverging(math.inf)


# ------------------------------------------------------------- stop rule
def _rule(tol=0.01, patience=2, adaptive=False, params=(), state=None):
    return StopRule(tol, patience, adaptive, state or TrainingState(), list(params))


def test_stop_rule_patience_on_a_scripted_loss_sequence():
    rule = _rule()
    verdicts = [rule.end_epoch(loss, None, 0.1) for loss in (1.0, 0.5, 0.495, 0.494)]
    assert [v.stop for v in verdicts] == [False, False, False, True]
    assert all(v.lr is None for v in verdicts)
    assert rule._state.best_loss == 0.494


def test_stop_rule_resets_patience_on_improvement():
    rule = _rule()
    losses = (1.0, 0.995, 0.5, 0.499, 0.2, 0.199, 0.198)
    verdicts = [rule.end_epoch(loss, None, 0.1).stop for loss in losses]
    assert verdicts == [False, False, False, False, False, False, True]


def test_stop_rule_without_tol_never_stops_but_tracks_the_best():
    rule = _rule(tol=None)
    assert not any(rule.end_epoch(loss, None, 0.1).stop for loss in (3.0, 4.0, 5.0))
    assert rule._state.best_loss == 3.0


def test_adaptive_cuts_the_rate_by_five_then_stops_at_the_floor():
    rule = _rule(adaptive=True, patience=1)
    assert rule.end_epoch(1.0, None, 0.1) == Verdict()
    assert rule.end_epoch(1.0, None, 0.1) == Verdict(lr=0.1 / 5)
    assert rule._state.no_improvement_count == 0
    assert rule.end_epoch(1.0, None, 1e-6) == Verdict(stop=True)


def test_stop_rule_watches_the_validation_score_and_restores_the_best():
    param = torch.zeros(2)
    rule = _rule(patience=2, params=[param])
    scripted = [(0.5, 1.0), (0.8, 2.0), (0.79, 3.0), (0.805, 4.0)]
    verdicts = []
    for score, value in scripted:
        param.fill_(value)
        # the training loss rises: only the score counts
        verdicts.append(rule.end_epoch(10.0 * value, score, 0.1).stop)
    assert verdicts == [False, False, False, True]
    assert rule._state.best_validation_score == 0.805
    rule.restore_best()
    torch.testing.assert_close(param, torch.full((2,), 4.0))


def test_best_weights_only_when_the_previous_best_is_beaten():
    param = torch.zeros(2)
    state = TrainingState(best_validation_score=0.9)
    rule = _rule(params=[param], state=state)
    rule.end_epoch(1.0, 0.5, 0.1)
    param.fill_(7.0)
    rule.restore_best()
    torch.testing.assert_close(param, torch.full((2,), 7.0))


# --------------------------------------------------------------- stepper
def _stepper(solver="sgd", l1=0.0, **fields):
    weight = torch.tensor([[1.0, -2.0, 0.05]], dtype=torch.float64,
                          requires_grad=True)
    bias = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    spec = TrainingSpec(loss=SQUARED, solver=solver, **fields)
    objective = Objective(SQUARED, Penalty(l2=0.0, l1=l1), mean_weight=1.0,
                          nominal_rows=4, decoupled_l2=solver == "adamw")
    state = TrainingState()
    return make_stepper(spec, [weight], [bias], objective, state), weight, bias, state


GRADS = [(np.array([[0.5, -1.0, 0.2]]), np.array([0.3])),
         (np.array([[-0.1, 0.4, 0.0]]), np.array([-0.2]))]


def _run_steps(stepper, weight, bias, n_steps=2):
    for grad_w, grad_b in GRADS[:n_steps]:
        weight.grad = torch.tensor(grad_w)
        bias.grad = torch.tensor(grad_b)
        stepper.step(4, 1.0)
    return weight.detach().numpy(), bias.detach().numpy()


W0, B0 = np.array([[1.0, -2.0, 0.05]]), np.array([0.5])


def test_stepper_plain_sgd_by_hand():
    stepper, weight, bias, state = _stepper(lr=0.1)
    got_w, got_b = _run_steps(stepper, weight, bias)
    (g1w, g1b), (g2w, g2b) = GRADS
    np.testing.assert_allclose(got_w, W0 - 0.1 * g1w - 0.1 * g2w)
    np.testing.assert_allclose(got_b, B0 - 0.1 * g1b - 0.1 * g2b)
    assert state.n_updates == 2 and state.n_samples_seen == 8


def test_stepper_momentum_by_hand():
    stepper, weight, bias, _ = _stepper(lr=0.1, momentum=0.9)
    got_w, _ = _run_steps(stepper, weight, bias)
    (g1w, _), (g2w, _) = GRADS
    w1 = W0 - 0.1 * g1w
    np.testing.assert_allclose(got_w, w1 - 0.1 * (0.9 * g1w + g2w))


def test_stepper_adam_by_hand():
    lr, b1, b2, eps = 0.01, 0.8, 0.9, 1e-8
    stepper, weight, bias, _ = _stepper("adam", lr=lr, beta_1=b1, beta_2=b2,
                                        adam_epsilon=eps)
    got_w, _ = _run_steps(stepper, weight, bias)
    w, m, v = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
    for t, (g, _) in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(got_w, w, rtol=1e-12)


def test_stepper_l1_step_soft_thresholds_after_the_update():
    stepper, weight, bias, _ = _stepper(lr=0.1, l1=0.5)
    got_w, got_b = _run_steps(stepper, weight, bias, n_steps=1)
    updated = W0 - 0.1 * GRADS[0][0]
    expected = np.sign(updated) * np.maximum(np.abs(updated) - 0.1 * 0.5, 0.0)
    np.testing.assert_allclose(got_w, expected)
    assert got_w[0, 2] == 0.0  # an exact zero
    np.testing.assert_allclose(got_b, B0 - 0.1 * GRADS[0][1])  # never biases


def test_stepper_per_update_clock():
    stepper, weight, bias, _ = _stepper(lr=0.2, learning_rate="invscaling",
                                        power_t=0.5, clock="updates")
    _run_steps(stepper, weight, bias)
    assert stepper.lr == pytest.approx(0.2 / math.sqrt(3))
    stepper.end_epoch()  # a per-update clock does not tick per epoch
    assert stepper.lr == pytest.approx(0.2 / math.sqrt(3))


def test_stepper_epoch_schedule_and_samples_clock():
    stepper, weight, bias, _ = _stepper(lr=0.2, learning_rate="exponential",
                                        gamma=0.5)
    _run_steps(stepper, weight, bias)
    stepper.end_epoch()
    assert stepper.lr == pytest.approx(0.1)
    stepper, weight, bias, _ = _stepper(lr=0.2, learning_rate="invscaling",
                                        power_t=0.5, clock="samples")
    _run_steps(stepper, weight, bias)
    assert stepper.lr == 0.2
    stepper.end_epoch()
    assert stepper.lr == pytest.approx(0.2 / math.sqrt(8 + 1))


def test_stepper_finish_stores_what_continues():
    stepper, weight, bias, state = _stepper("adam", lr=0.01)
    _run_steps(stepper, weight, bias)
    stepper.finish()
    assert state.lr == 0.01 and state.solver == "adam"
    assert int(state.optimizer_state["state"][0]["step"]) == 2


# ------------------------------------------------------------- objective
def _data(n_samples=25, weights=None):
    X = np.arange(n_samples * 2, dtype=np.float64).reshape(n_samples, 2)
    return to_training_data(X, np.zeros(n_samples), weights, CPU)


def test_objective_mlp_rule_divides_by_each_batch_weight():
    spec = TrainingSpec(loss=SQUARED, penalty="l2", penalty_alpha=0.1,
                        penalty_per_batch_weight=True, batch_size=10)
    objective = make_objective(spec, _data())
    assert objective.penalty.l2 == pytest.approx(0.1 / 10)
    assert objective.batch_terms(10) == pytest.approx((10.0, 0.01, 1.0))
    # the short last batch (5 rows) is penalised twice as much
    assert objective.batch_terms(5) == pytest.approx((5.0, 0.02, 2.0))


def test_objective_mlp_rule_with_sample_weights():
    spec = TrainingSpec(loss=SQUARED, penalty="elasticnet", penalty_alpha=0.1,
                        l1_ratio=0.25, penalty_per_batch_weight=True, batch_size=10)
    objective = make_objective(spec, _data(weights=np.full(25, 2.0)))
    assert objective.penalty.l2 == pytest.approx(0.1 / 20 * 0.75)
    assert objective.penalty.l1 == pytest.approx(0.1 / 20 * 0.25)
    assert objective.batch_terms(5) == pytest.approx((10.0, 0.1 / 10 * 0.75, 2.0))


def test_objective_sgd_rule_is_the_same_alpha_in_every_batch():
    spec = TrainingSpec(loss=SQUARED, penalty="l2", penalty_alpha=0.1, batch_size=10)
    objective = make_objective(spec, _data())
    assert objective.batch_terms(10) == (10.0, 0.1, 1.0)
    assert objective.batch_terms(5) == (5.0, 0.1, 1.0)


def test_objective_decoupled_decay_keeps_l2_out_of_the_gradient():
    spec = TrainingSpec(loss=SQUARED, solver="adamw", penalty="l2",
                        penalty_alpha=0.1)
    objective = make_objective(spec, _data())
    assert objective.decoupled_l2 and objective.batch_terms(25)[1] == 0.0


def test_objective_mean_loss_adds_the_nominal_penalty():
    objective = Objective(SQUARED, Penalty(l2=0.5, l1=0.25), mean_weight=1.0,
                          nominal_rows=4)
    weights = [torch.tensor([[1.0, -2.0]], dtype=torch.float64)]
    expected = 6.0 / 3.0 + 0.5 * 0.5 * 5.0 + 0.25 * 3.0
    assert objective.mean_loss(6.0, 3.0, weights) == pytest.approx(expected)



@pytest.mark.parametrize(("loss", "stop_loss", "n_heads"), [
    ("hinge", "per_head", 3), ("log_loss", "per_head", 3),
    ("multinomial", "per_head", 1), ("squared_error", "per_head", 1),
    ("hinge", "objective", 1)])
def test_objective_stop_loss_is_the_objective_per_one_vs_all_head(
        loss, stop_loss, n_heads):
    # scikit-learn's SGD stops each one-vs-all head on its own objective; the
    # summed heads' objective against tol would stop later with more classes
    y = torch.zeros(6, 3, dtype=torch.float64)
    train = to_training_data(np.ones((6, 2)), y.numpy(), None, CPU)
    spec = TrainingSpec(loss=make_loss(loss), penalty="l2", penalty_alpha=0.5,
                        stop_loss=stop_loss)
    objective = make_objective(spec, train)
    weights = [torch.ones(3, 2, dtype=torch.float64)]
    assert objective.n_heads == n_heads
    assert objective.stop_loss(3.5) == pytest.approx(3.5 / n_heads)
    assert objective.mean_loss(12.0, 6.0, weights) == pytest.approx(2.0 + 1.5)


# ------------------------------------------------------------- gradients
def _mlp(activation="relu"):
    return MLP([4, 6, 2], activation=activation, dropout=0.0, dtype=torch.float64,
               device=CPU, generator=torch.Generator().manual_seed(0))


def _grads(module):
    return [p.grad.clone() for p in module.parameters()]


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_both_gradients_honour_one_contract(sparse, l2):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((8, 4))
    y = rng.standard_normal((8, 2))
    data = to_training_data(sp.csr_matrix(X) if sparse else X, y,
                            rng.uniform(0.5, 2.0, 8), CPU)
    module = _mlp()
    closed_form = make_gradient(module, SQUARED)
    assert isinstance(closed_form, ClosedFormGradient)
    autograd = AutogradGradient(module, SQUARED)
    rows = torch.arange(8)
    totals, grads = [], []
    for grad in (closed_form, autograd):
        for param in module.parameters():  # stale values must be replaced
            param.grad = torch.full_like(param, 99.0)
        totals.append(grad(data, rows, 5.0, l2))
        grads.append(_grads(module))
        # called again: the same gradient, not twice it
        grad(data, rows, 5.0, l2)
        for got, want in zip(_grads(module), grads[-1]):
            torch.testing.assert_close(got, want)
    torch.testing.assert_close(totals[0], totals[1])
    for got, want in zip(*grads):
        torch.testing.assert_close(got, want)
    weights, biases = weights_and_biases(module)
    assert len(weights) == 2 and len(biases) == 2


def test_modules_without_closed_form_use_autograd():
    assert isinstance(make_gradient(_mlp("gelu"), SQUARED), AutogradGradient)
    assert isinstance(make_gradient(torch.nn.Linear(3, 1), SQUARED), AutogradGradient)
