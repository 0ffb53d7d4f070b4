"""``_partial_fit_epochs(n, X, y)``: ``n`` partial_fit calls in one call, the
same model bit for bit, trained in one engine run where that is exact."""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_regression

import skopt_est._engine.loop as loop
from skopt_est import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor
from skopt_est._engine.state import TrainingState
from skopt_est._engine.stop import StopRule

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS, Y_DIGITS = X_DIGITS[:300] / 16, Y_DIGITS[:300]
X_REG, Y_REG = make_regression(n_samples=200, n_features=8, noise=1.0, random_state=0)
Y_REG = Y_REG / Y_REG.std()
_X_BIN, Y_BIN = make_classification(n_samples=300, n_features=60, random_state=0)
# a sparse, non-negative X: the torch path's sparse products
X_SPARSE = sp.csr_matrix(np.where(_X_BIN > 1.0, _X_BIN, 0.0).astype(np.float32))

# (estimator, X, y, trained in one engine run)
CASES = {
    "mlp-adam": (MLPClassifier(hidden_layer_sizes=(8,), random_state=0),
                 X_DIGITS, Y_DIGITS, True),
    "mlp-momentum-cosine": (MLPClassifier(
        hidden_layer_sizes=(8,), solver="sgd", momentum=0.9, learning_rate="cosine",
        learning_rate_init=0.05, random_state=0), X_DIGITS, Y_DIGITS, True),
    "mlp-dropout-linear": (MLPClassifier(
        hidden_layer_sizes=(8, 4), dropout=0.2, learning_rate="linear",
        learning_rate_init=0.01, batch_size=32, random_state=0),
        X_DIGITS, Y_DIGITS, True),
    "mlp-rmsprop-invscaling-l1": (MLPClassifier(
        hidden_layer_sizes=(8,), solver="rmsprop", learning_rate="invscaling",
        penalty="l1", alpha=1e-3, learning_rate_init=0.01, random_state=0),
        X_DIGITS, Y_DIGITS, True),
    "mlp-regressor-exponential": (MLPRegressor(
        hidden_layer_sizes=(8,), learning_rate="exponential", random_state=0),
        X_REG, Y_REG, True),
    "gd-dense-adam-average": (GDRegressor(
        solver="adam", batch_size=16, eta0=0.01, average=50, random_state=0),
        X_REG, Y_REG, True),
    "gd-dense-sgd-l1": (GDRegressor(
        solver="sgd", batch_size=16, penalty="l1", alpha=0.01, random_state=0),
        X_REG, Y_REG, False),
    "gd-sparse-adam": (GDClassifier(
        solver="adam", batch_size=32, eta0=0.01, random_state=0),
        X_SPARSE, Y_BIN, False),
    "gd-sparse-momentum-elasticnet": (GDClassifier(
        solver="sgd", momentum=0.9, batch_size=32, learning_rate="cosine",
        penalty="elasticnet", loss="log_loss", random_state=0),
        X_SPARSE, Y_BIN, False),
    "gd-lane": (GDClassifier(random_state=0), X_SPARSE, Y_BIN, False),
    "gd-kernel-heads-cosine": (GDClassifier(
        learning_rate="cosine", eta0=0.1, random_state=0),
        X_DIGITS, Y_DIGITS, False),
}


def _weights(model):
    if hasattr(model, "coefs_"):
        return list(model.coefs_) + list(model.intercepts_)
    return [np.asarray(model.coef_), np.asarray(model.intercept_)]


def _kwargs(model, y):
    return {"classes": np.unique(y)} if hasattr(model, "predict_proba") or (
        isinstance(model, GDClassifier)) else {}


@pytest.mark.parametrize("name", CASES)
def test_epochs_in_one_call_equal_the_partial_fit_calls(name, monkeypatch):
    estimator, X, y, one_run = CASES[name]
    estimator = clone(estimator).set_params(max_iter=9)
    kwargs = _kwargs(estimator, y)
    calls = clone(estimator)
    for _ in range(9):
        calls.partial_fit(X, y, **kwargs)

    runs = []
    run_training = loop.run_training

    def counting(module, train, spec, *args, **kw):
        runs.append(spec.max_iter)
        return run_training(module, train, spec, *args, **kw)

    monkeypatch.setattr(loop, "run_training", counting)
    chunks = clone(estimator)
    for n in (1, 2, 6):  # rungs 1, 3 and 9
        chunks._partial_fit_epochs(n, X, y, **kwargs)
    for got, want in zip(_weights(chunks), _weights(calls), strict=True):
        np.testing.assert_array_equal(got, want)
    assert chunks.t_ == calls.t_
    np.testing.assert_array_equal(chunks.loss_curve_, calls.loss_curve_)
    if one_run:
        assert runs == [1, 2, 6]
    else:  # one epoch a run, or the compiled kernel's lane (no torch run)
        assert set(runs) <= {1}


def test_one_run_equals_a_fit_of_the_summed_epochs():
    estimator = MLPClassifier(hidden_layer_sizes=(8,), learning_rate="cosine",
                              n_iter_no_change=np.inf, random_state=0, max_iter=9)
    whole = clone(estimator).fit(X_DIGITS, Y_DIGITS)
    continued = clone(estimator)._partial_fit_epochs(3, X_DIGITS, Y_DIGITS,
                                                     classes=np.arange(10))
    continued._partial_fit_epochs(6, X_DIGITS, Y_DIGITS)
    for got, want in zip(continued.coefs_, whole.coefs_, strict=True):
        np.testing.assert_array_equal(got, want)
    assert continued.n_iter_ == 9


def test_a_random_state_instance_moves_on_as_with_the_calls():
    def model():
        return MLPRegressor(hidden_layer_sizes=(4,), max_iter=5,
                            random_state=np.random.RandomState(0))

    calls = model()
    for _ in range(5):
        calls.partial_fit(X_REG, Y_REG)
    one = model()._partial_fit_epochs(5, X_REG, Y_REG)
    assert calls.random_state.randint(10**9) == one.random_state.randint(10**9)
    np.testing.assert_array_equal(one.coefs_[0], calls.coefs_[0])


def test_a_failed_call_leaves_the_model_as_it_was():
    model = MLPRegressor(hidden_layer_sizes=(4,), random_state=0)
    model._partial_fit_epochs(2, X_REG, Y_REG)
    before = [w.copy() for w in model.coefs_]
    with pytest.raises(ValueError):
        model._partial_fit_epochs(3, X_REG[:, :3], Y_REG)
    for got, want in zip(model.coefs_, before, strict=True):
        np.testing.assert_array_equal(got, want)
    assert model.n_iter_ == 2


@pytest.mark.parametrize("n_epochs", [0, -1, 1.5])
def test_n_epochs_must_be_a_positive_integer(n_epochs):
    with pytest.raises(ValueError, match="n_epochs"):
        MLPRegressor()._partial_fit_epochs(n_epochs, X_REG, Y_REG)


def test_partial_fit_runs_do_not_watch_a_climb():
    # one call of n epochs diverges where n calls of one epoch would: never
    # on a finite climb
    rule = StopRule(None, 10, False, TrainingState(), [], watch_climb=False)
    assert not any(rule.diverging(loss) for loss in [1.0] + [1e9] * 10)
    assert rule.diverging(math.inf)


def test_the_search_calls_it_only_where_partial_fit_exists():
    import skopt_est.search  # noqa: F401  (before _continuation: import order)
    from skopt_est.search._continuation import partial_fit_epochs

    lbfgs = MLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs")
    with pytest.raises(AttributeError, match="partial_fit"):
        partial_fit_epochs(lbfgs, 3, X_REG, Y_REG)
    model = partial_fit_epochs(MLPRegressor(hidden_layer_sizes=(4,)), 3, X_REG, Y_REG)
    assert model.n_iter_ == 3
