"""Full-batch L-BFGS through the epoch loop (``_engine.lbfgs.LBFGSRunner``).

The runner steps ``torch.optim.LBFGS`` one iteration a call; these tests hold
it to what one ``step`` call with ``max_iter`` iterations does (the reference
below, the path the package took before), bit for bit, and pin what the
estimators report: one ``loss_curve_`` entry per iteration, the evaluation
budget, the warnings.
"""

import copy
import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skopt_est import GDRegressor, MLPClassifier
from skopt_est._engine import lbfgs as lbfgs_module
from skopt_est._engine.data import to_training_data
from skopt_est._engine.device import intra_op_threads, training_threads
from skopt_est._engine.gradients import make_gradient
from skopt_est._engine.loop import _seeded_dropout, run_training
from skopt_est._engine.losses import make_loss
from skopt_est._engine.modules import MLP, LinearModel, weights_and_biases
from skopt_est._engine.objective import make_objective
from skopt_est._engine.optim import make_optimizer
from skopt_est._engine.penalties import flat_weights
from skopt_est._engine.spec import TrainingSpec
from skopt_est._engine.weights import total_weight

CPU = torch.device("cpu")


def _problem(dtype=torch.float64, n_samples=120, n_features=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    y = np.tanh(X @ rng.standard_normal(n_features)) + 0.1 * rng.standard_normal(
        n_samples)
    numpy_dtype = np.float32 if dtype == torch.float32 else np.float64
    return to_training_data(X.astype(numpy_dtype), y.astype(numpy_dtype)[:, None],
                            None, CPU)


def _module(train, dropout=0.0, hidden=(8,)):
    if not hidden:
        return LinearModel(train.X.shape[1], 1, fit_intercept=True,
                           dropout=dropout, dtype=train.dtype, device=CPU)
    return MLP([train.X.shape[1], *hidden, 1], activation="tanh",
               dropout=dropout, dtype=train.dtype, device=CPU,
               generator=torch.Generator().manual_seed(5))


def _spec(**fields):
    return TrainingSpec(loss=make_loss("squared_error"), solver="lbfgs",
                        penalty_per_batch_weight=True, seed=3,
                        **{"max_iter": 30, "tol": 1e-4, **fields})


def _single_call(module, train, spec):
    """torch's ``LBFGS.step`` running every iteration in one call, as the
    package did before the runner; returns (n_iter, func_evals, loss)."""
    objective = make_objective(spec, train)
    weights, _ = weights_and_biases(module)
    optimizer = make_optimizer(spec, [{"params": list(module.parameters())}])
    grad = make_gradient(module, spec.loss)
    scale = total_weight(train)
    penalty = objective.penalty

    def closure():
        optimizer.zero_grad(set_to_none=True)
        with torch.enable_grad():
            loss_sum = grad(train, None, scale, 0.0)
            value = loss_sum.detach() / scale
            if weights and (penalty.l1 or penalty.l2):
                term = penalty.value(flat_weights(weights))
                term.backward()
                value = value + term.detach()
        return value

    generator = torch.Generator().manual_seed(spec.seed)
    threads = training_threads(CPU, train.n_samples)
    with intra_op_threads(threads), _seeded_dropout(module, generator, CPU):
        optimizer.step(closure)
        final = float(closure())  # the fitted model's loss
    torch_state = optimizer.state[optimizer.param_groups[0]["params"][0]]
    return torch_state["n_iter"], torch_state["func_evals"], final


# which of torch's stop tests ends each fit was read off the runner's verdict
@pytest.mark.parametrize("fields, hidden, n_samples, stops_by", [
    (dict(max_iter=12), (8,), 120, "max_iter"),
    (dict(max_iter=1), (8,), 120, "max_iter"),
    (dict(max_iter=500, max_fun=9), (8,), 120, "max_fun"),
    # the last line search is cut short by what is left of max_fun
    (dict(max_iter=500, max_fun=10, tol=0.0), (8,), 120, "max_fun"),
    (dict(max_iter=500, max_fun=8, tol=0.0), (), 30, "max_fun"),
    # torch ends at max_iter untested, though the gradient test would pass
    (dict(max_iter=22, tol=1e-3), (8,), 120, "max_iter"),
    (dict(max_iter=40, penalty="l2", penalty_alpha=1.0), (4, 3), 120,
     "max_iter"),
    (dict(max_iter=500, tol=1e-3), (8,), 120, "the gradient"),
    (dict(max_iter=400, penalty="elasticnet", penalty_alpha=0.05,
          l1_ratio=0.5, tol=1e-3), (8,), 120, "the gradient"),
    (dict(max_iter=300, tol=0.0), (), 120, "the loss change (float64)"),
    (dict(max_iter=300, tol=0.0), (), 30, "no descent direction"),
])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_runner_takes_the_single_calls_steps(fields, hidden, n_samples,
                                             stops_by, dtype):
    train = _problem(dtype, n_samples=n_samples)
    spec = _spec(**fields)
    module = _module(train, hidden=hidden)
    reference = copy.deepcopy(module)
    n_iter, n_evals, final = _single_call(reference, train, spec)
    state = run_training(module, train, spec)
    for ours, theirs in zip(module.parameters(), reference.parameters()):
        assert torch.equal(ours, theirs)
    assert state.n_iter == n_iter
    assert state.n_samples_seen == n_evals * train.n_samples
    assert len(state.loss_curve) == n_iter
    # the loop's mean is in float64, the closure's in the data's dtype
    assert state.loss_curve[-1] == pytest.approx(final, rel=0, abs=1e-6)
    if dtype == torch.float64:
        assert state.loss_curve[-1] == final
    converged = n_iter < spec.max_iter and n_evals < spec.max_fun
    assert state.converged == converged == (stops_by not in ("max_iter",
                                                             "max_fun"))


@pytest.mark.parametrize("hidden, max_fun", [((8,), 5), ((8,), 7), ((), 4)])
def test_line_search_gets_what_is_left_of_max_fun(hidden, max_fun):
    """On a badly scaled problem the line searches take several evaluations,
    and the last one is cut short by the budget the earlier ones left."""
    rng = np.random.default_rng(1 if hidden else 0)
    X = rng.standard_normal((60, 4)) * np.array([1.0, 100.0, 1.0, 1.0])
    y = np.sin(X[:, :1]) * 3 + X[:, 1:2] / 100
    train = to_training_data(X, y, None, CPU)
    spec = _spec(max_iter=500, max_fun=max_fun, tol=0.0)
    module = _module(train, hidden=hidden)
    reference = copy.deepcopy(module)
    n_iter, n_evals, _ = _single_call(reference, train, spec)
    state = run_training(module, train, spec)
    for ours, theirs in zip(module.parameters(), reference.parameters()):
        assert torch.equal(ours, theirs)
    assert state.n_iter == n_iter
    assert state.n_samples_seen == n_evals * train.n_samples
    assert not state.converged


def test_runner_adds_no_evaluation(monkeypatch):
    """One evaluation fewer than before: the single call's, none to begin
    each step call and none for the final loss."""
    calls = []

    def counting(module, loss):
        grad = make_gradient(module, loss)

        def counted(*args):
            calls.append(1)
            return grad(*args)
        return counted

    train = _problem()
    spec = _spec(max_iter=20)
    module = _module(train)
    _, n_evals, _ = _single_call(copy.deepcopy(module), train, spec)
    monkeypatch.setattr(lbfgs_module, "make_gradient", counting)
    run_training(module, train, spec)
    assert len(calls) == n_evals


def test_dropout_draws_the_single_calls_masks():
    train = _problem()
    spec = _spec(max_iter=8)
    module = _module(train, dropout=0.3)
    reference = copy.deepcopy(module)
    _single_call(reference, train, spec)
    run_training(module, train, spec)
    for ours, theirs in zip(module.parameters(), reference.parameters()):
        assert torch.equal(ours, theirs)


# --------------------------------------------------------------- estimators
@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_loss_curve_has_one_entry_an_iteration(iris):
    model = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=200,
                          random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(*iris)
    assert model.n_iter_ < 200
    assert len(model.loss_curve_) == model.n_iter_
    assert np.all(np.diff(model.loss_curve_) <= 0)
    assert model.loss_ == model.loss_curve_[-1] == model.best_loss_


def test_max_fun_stops_and_warns(iris):
    model = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=200,
                          max_fun=6, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"max_fun=6"):
        model.fit(*iris)
    assert 1 <= model.n_iter_ < 6
    assert model.t_ == 6 * len(iris[0])


def test_refit_of_a_converged_model_takes_no_step(iris):
    model = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=200,
                          tol=1e-3, warm_start=True, random_state=0)
    model.fit(*iris)
    while model.n_iter_:  # converged on the gradient test at the latest
        model.fit(*iris)
    coefs, curve = [c.copy() for c in model.coefs_], list(model.loss_curve_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(*iris)
    assert model.n_iter_ == 0
    for ours, before in zip(model.coefs_, coefs):
        np.testing.assert_array_equal(ours, before)
    # the fit records the loss it found, as every fit records its last
    assert model.loss_curve_ == curve + [curve[-1]]


def test_verbose_prints_each_iteration(capsys, iris):
    model = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=4,
                          verbose=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(*iris)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"Iteration {k}, loss = {loss:.8f}"
                     for k, loss in enumerate(model.loss_curve_, start=1)]


def test_linear_model_lbfgs_reaches_least_squares():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 1.0
    model = GDRegressor(solver="lbfgs", penalty=None, max_iter=100, tol=1e-10,
                        random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    np.testing.assert_allclose(model.coef_, [1.0, -2.0, 0.5, 3.0], atol=1e-4)
    assert len(model.loss_curve_) == model.n_iter_ > 1
