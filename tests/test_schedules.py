"""Schedule registry: each schedule's learning rate against DESIGN.md §1.1."""

import math
import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning

from skopt_est import GDClassifier, GDRegressor, MLPRegressor
from skopt_est._engine.losses import make_loss
from skopt_est._engine.optim import make_optimizer
from skopt_est._engine.rates import (
    EPOCH_SCHEDULES,
    PASSIVE_AGGRESSIVE,
    SCHEDULES,
    clock_lr,
    is_clock_schedule,
    optimal_init,
)
from skopt_est._engine.schedules import _EPOCH_SCHEDULES, make_scheduler
from skopt_est._engine.spec import TrainingSpec

LR, GAMMA, STEP_SIZE, MAX_ITER = 0.2, 0.7, 3, 10

FORMULAS = {
    "exponential": lambda e: LR * GAMMA**e,
    "linear": lambda e: LR * (1 - e / MAX_ITER),
    "step": lambda e: LR * GAMMA ** (e // STEP_SIZE),
    "cosine": lambda e: LR * (1 + math.cos(math.pi * e / MAX_ITER)) / 2,
    "restarts": lambda e: LR * GAMMA ** (e % STEP_SIZE),
    "warm_restarts": lambda e: LR * (1 + math.cos(math.pi * (e % STEP_SIZE)
                                                   / STEP_SIZE)) / 2,
}


def _spec(**fields):
    defaults = dict(loss=make_loss("squared_error"), lr=LR, gamma=GAMMA,
                    step_size=STEP_SIZE, max_iter=MAX_ITER)
    return TrainingSpec(**{**defaults, **fields})


def _epoch_lrs(name, n_epochs=MAX_ITER):
    spec = _spec(learning_rate=name)
    param = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer(spec, [{"params": [param], "weight_decay": 0.0}])
    scheduler = make_scheduler(spec, optimizer)
    lrs = []
    for _ in range(n_epochs + 1):
        lrs.append(optimizer.param_groups[0]["lr"])
        param.grad = torch.zeros_like(param)
        optimizer.step()
        scheduler.step()
    return lrs


def test_registry_names():
    assert set(SCHEDULES) == {"constant", "optimal", "invscaling", "adaptive",
                              "linear", "exponential", "step", "cosine",
                              "restarts", "warm_restarts", "pa1", "pa2"}
    assert set(PASSIVE_AGGRESSIVE) == {"pa1", "pa2"}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_epoch_schedule_matches_formula(name):
    lrs = _epoch_lrs(name)
    expected = [FORMULAS[name](epoch) for epoch in range(MAX_ITER + 1)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12, atol=1e-15)


def test_linear_and_cosine_reach_zero_at_max_iter():
    assert _epoch_lrs("linear")[MAX_ITER] == pytest.approx(0.0, abs=1e-15)
    assert _epoch_lrs("cosine")[MAX_ITER] == pytest.approx(0.0, abs=1e-15)


def test_restarts_reset_to_initial_lr():
    lrs = _epoch_lrs("restarts")
    for epoch in range(0, MAX_ITER + 1, STEP_SIZE):
        assert lrs[epoch] == pytest.approx(LR)
    assert lrs[STEP_SIZE - 1] < LR


@pytest.mark.parametrize("name", ["constant", "adaptive", "optimal", "invscaling"])
def test_schedules_without_epoch_scheduler(name):
    spec = _spec(learning_rate=name)
    param = torch.zeros(2, requires_grad=True)
    optimizer = make_optimizer(spec, [{"params": [param], "weight_decay": 0.0}])
    assert make_scheduler(spec, optimizer) is None
    assert is_clock_schedule(name) == (name in ("optimal", "invscaling"))


@pytest.mark.parametrize("t", [0, 1, 5, 100])
def test_invscaling(t):
    spec = _spec(learning_rate="invscaling", power_t=0.25)
    # scikit-learn: eta0 / t**power_t with t counted from 1
    assert clock_lr(spec, t) == pytest.approx(LR / (t + 1) ** 0.25, rel=1e-14)


@pytest.mark.parametrize("t", [0, 1, 5, 100])
def test_optimal(t):
    spec = _spec(learning_rate="optimal", alpha=1e-3, optimal_init=250.0)
    # scikit-learn: 1 / (alpha * (optimal_init + t - 1)) with t counted from 1
    assert clock_lr(spec, t) == pytest.approx(1 / (1e-3 * (250.0 + t)), rel=1e-14)


@pytest.mark.parametrize("alpha", [1e-4, 1e-2, 1.0])
def test_optimal_init_hinge_matches_sklearn(alpha):
    # Hinge's slope at -typw is -1, so scikit-learn's eta0 is typw.
    typw = math.sqrt(1.0 / math.sqrt(alpha))
    assert optimal_init(alpha, lambda p: -1.0) == pytest.approx(1.0 / (typw * alpha))


def test_optimal_init_estimator_hinge(iris):
    model = GDClassifier(max_iter=1, tol=None, random_state=0).fit(iris.X, iris.y)
    typw = math.sqrt(1.0 / math.sqrt(model.alpha))
    init = 1.0 / (typw * model.alpha)
    spec = _spec(learning_rate="optimal", alpha=model.alpha, optimal_init=init)
    # With batch_size='auto' at this size every sample is one update.
    assert model._training_state.lr == pytest.approx(clock_lr(spec, len(iris.y)))


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_estimator_steps_schedule_once_per_epoch(diabetes, name):
    """After max_iter epochs the rate is the formula's at epoch max_iter."""
    model = GDRegressor(learning_rate=name, eta0=LR, gamma=GAMMA,
                        step_size=STEP_SIZE, max_iter=4, tol=None, batch_size=64,
                        random_state=0).fit(diabetes.X, diabetes.y)
    expected = {
        "exponential": LR * GAMMA**4,
        "linear": LR * (1 - 4 / 4),
        "step": LR * GAMMA ** (4 // STEP_SIZE),
        "cosine": LR * (1 + math.cos(math.pi)) / 2,
        "restarts": LR * GAMMA ** (4 % STEP_SIZE),
        "warm_restarts": LR * (1 + math.cos(math.pi * (4 % STEP_SIZE) / STEP_SIZE))
        / 2,
    }[name]
    assert model._training_state.lr == pytest.approx(expected, abs=1e-12)


def test_invscaling_estimator_counts_updates(diabetes):
    model = GDRegressor(learning_rate="invscaling", eta0=0.05, power_t=0.25,
                        max_iter=3, tol=None, batch_size=50,
                        random_state=0).fit(diabetes.X, diabetes.y)
    n_updates = 3 * math.ceil(len(diabetes.y) / 50)
    assert model._training_state.lr == pytest.approx(0.05 / (n_updates + 1) ** 0.25)


# the passive-aggressive steps run on the compiled kernel only (test_messages)
@pytest.mark.parametrize("name", sorted(set(SCHEDULES) - set(PASSIVE_AGGRESSIVE)))
@pytest.mark.parametrize("Estimator, solver", [
    (GDRegressor, "sgd"), (GDRegressor, "adam"), (GDRegressor, "rmsprop"),
    (MLPRegressor, "sgd"), (MLPRegressor, "adam")])
def test_no_torch_warning_from_any_schedule(diabetes, name, Estimator, solver):
    """The fast updates bypass Optimizer.step(); torch's scheduler must not
    warn about the order of the steps."""
    if Estimator is MLPRegressor and name == "optimal":
        pytest.skip("no 'optimal' schedule for the MLP")
    lr_param = "eta0" if Estimator is GDRegressor else "learning_rate_init"
    model = Estimator(solver=solver, learning_rate=name, max_iter=3,
                      batch_size=64, random_state=0, **{lr_param: 0.001})
    if Estimator is MLPRegressor:
        model.set_params(hidden_layer_sizes=(4,))
    else:
        model.set_params(tol=None)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        # a subclass of UserWarning, expected after max_iter=3 epochs
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(diabetes.X, diabetes.y)


def test_epoch_schedule_names_are_torch_schedulers():
    # rates.py names them without importing torch; schedules.py builds them
    assert tuple(_EPOCH_SCHEDULES) == EPOCH_SCHEDULES
