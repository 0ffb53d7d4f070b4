"""The compiled per-sample SGD epoch (_fastsgd) against the torch path."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skopt_est import _fastsgd
from skopt_est.linear_model import GDClassifier, GDRegressor


@pytest.fixture(scope="module")
def kernel():
    found = _fastsgd.load_kernel()
    if found is None:
        pytest.skip("no C compiler could build skopt_est/_fastsgd.c")
    return found


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X[:200])
    y = y[:200]
    return X, (y - y.mean()) / y.std()


def _fit_both(estimator, X, y, monkeypatch, **fit_params):
    """(kernel fit, torch fit) of clones of ``estimator``, checking which ran."""
    calls = []
    make = _fastsgd.make_fast_epoch

    def counting(*args):
        epoch = make(*args)
        calls.append(epoch is not None)
        return epoch

    fits = []
    for disabled in ("0", "1"):
        monkeypatch.setenv(_fastsgd.DISABLE_ENV, disabled)
        monkeypatch.setattr("skopt_est._training.make_fast_epoch", counting)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fits.append(estimator.__class__(**estimator.get_params()).fit(
                X, y, **fit_params))
    assert calls == [True, False]
    return fits


def _assert_same(fast, slow):
    assert fast.n_iter_ == slow.n_iter_
    assert fast.t_ == slow.t_
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(fast.intercept_, slow.intercept_, rtol=1e-10,
                               atol=1e-13)


SCHEDULES = [("constant", {"eta0": 0.01}), ("invscaling", {"eta0": 0.01}),
             ("optimal", {"alpha": 0.01})]


@pytest.mark.parametrize("schedule,params", SCHEDULES)
@pytest.mark.parametrize("loss", ["hinge", "perceptron", "modified_huber",
                                  "squared_hinge", "log_loss"])
def test_classifier_losses_match_torch_path(kernel, iris, monkeypatch, loss,
                                            schedule, params):
    X, y = iris
    # log_loss: binary (the multiclass one is multinomial, not in the kernel)
    target = (y == 2).astype(int) if loss == "log_loss" else y
    model = GDClassifier(loss=loss, learning_rate=schedule, random_state=0,
                         max_iter=30, **params)
    _assert_same(*_fit_both(model, X, target, monkeypatch))


# 'optimal' on these regressions diverges chaotically on the torch path
# itself (X * (1 + 1e-15) moves coef_ by 5e-5 relative), so no path can
# match another to 1e-10 there; the classifiers above cover that schedule.
@pytest.mark.parametrize("schedule,params", SCHEDULES[:2])
@pytest.mark.parametrize("loss", ["squared_error", "huber", "epsilon_insensitive",
                                  "squared_epsilon_insensitive"])
def test_regressor_losses_match_torch_path(kernel, diabetes, monkeypatch, loss,
                                           schedule, params):
    X, y = diabetes
    model = GDRegressor(loss=loss, learning_rate=schedule, random_state=0,
                        max_iter=30, **params)
    _assert_same(*_fit_both(model, X, y, monkeypatch))


def test_sample_weight_and_no_intercept(kernel, iris, diabetes, monkeypatch):
    X, y = iris
    weight = np.random.RandomState(0).uniform(0.1, 2.0, len(y))
    model = GDClassifier(fit_intercept=False, random_state=0)
    _assert_same(*_fit_both(model, X, y, monkeypatch, sample_weight=weight))
    X, y = diabetes
    weight = np.random.RandomState(1).uniform(0.1, 2.0, len(y))
    model = GDRegressor(random_state=0)
    _assert_same(*_fit_both(model, X, y, monkeypatch, sample_weight=weight))


def test_multi_output_regression(kernel, diabetes, monkeypatch):
    X, y = diabetes
    Y = np.column_stack([y, -0.5 * y + X[:, 0]])
    _assert_same(*_fit_both(GDRegressor(random_state=0), X, Y, monkeypatch))


def test_deterministic_under_random_state(kernel, iris):
    X, y = iris
    first = GDClassifier(random_state=3).fit(X, y)
    second = GDClassifier(random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.n_iter_ == second.n_iter_
    other = GDClassifier(random_state=4).fit(X, y)
    assert not np.array_equal(first.coef_, other.coef_)


def test_ineligible_fits_use_torch_path(kernel, iris, monkeypatch):
    X, y = iris
    for model in (GDClassifier(momentum=0.9, random_state=0),
                  GDClassifier(solver="adam", random_state=0),
                  GDClassifier(batch_size=16, random_state=0)):
        calls = []
        make = _fastsgd.make_fast_epoch
        monkeypatch.setattr("skopt_est._training.make_fast_epoch",
                            lambda *args: calls.append(make(*args)) or calls[-1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        assert calls and all(epoch is None for epoch in calls)


def test_missing_compiler_falls_back(iris, monkeypatch, tmp_path):
    X, y = iris
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(_fastsgd.DISABLE_ENV, "0")
    monkeypatch.setattr(_fastsgd, "_LOADED", {})
    monkeypatch.setattr(_fastsgd, "_compilers",
                        lambda: [["skopt-est-no-such-compiler"]])
    assert _fastsgd.load_kernel() is None
    assert not list(tmp_path.rglob("*.so"))
    model = GDClassifier(random_state=0).fit(X, y)
    assert model.score(X, y) > 0.8


def test_compiles_into_cache_dir(kernel, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(_fastsgd, "_LOADED", {})
    assert _fastsgd.load_kernel() is not None
    built = list((tmp_path / "skopt_est").iterdir())
    assert len(built) == 1 and built[0].suffix == ".so"
    monkeypatch.setenv(_fastsgd.DISABLE_ENV, "1")
    assert _fastsgd.load_kernel() is None
