"""The compiled per-sample SGD kernel (_engine/kernel) against the torch path."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import load_diabetes, load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.preprocessing import StandardScaler

from skopt_est._engine.kernel import eligibility
from skopt_est.linear_model import GDClassifier, GDRegressor

from ._kernel_spy import spy_kernel_use


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
    """(kernel fit, torch fit) of clones of ``estimator``, checking which ran.

    In rows' order and for all ``max_iter`` epochs: the kernel shuffles and
    stops as scikit-learn does (tests/test_sklearn_parity.py), the torch
    path by its own generator and stop rule; their updates agree.
    """
    estimator = estimator.set_params(shuffle=False, tol=None)
    calls = spy_kernel_use(monkeypatch)
    fits = []
    for disabled in ("0", "1"):
        monkeypatch.setenv(eligibility.DISABLE_ENV, disabled)
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
def test_classifier_losses_match_torch_path(iris, monkeypatch, loss,
                                            schedule, params):
    if schedule == "optimal" and loss in ("modified_huber", "squared_hinge"):
        pytest.skip("the kernel's 'optimal' starts at scikit-learn's rate, "
                    "the torch path at Bottou's (_schedules.optimal_init)")
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
def test_regressor_losses_match_torch_path(diabetes, monkeypatch, loss,
                                           schedule, params):
    X, y = diabetes
    model = GDRegressor(loss=loss, learning_rate=schedule, random_state=0,
                        max_iter=30, **params)
    _assert_same(*_fit_both(model, X, y, monkeypatch))


def test_sample_weight_and_no_intercept(iris, diabetes, monkeypatch):
    X, y = iris
    weight = np.random.RandomState(0).uniform(0.1, 2.0, len(y))
    model = GDClassifier(fit_intercept=False, random_state=0)
    _assert_same(*_fit_both(model, X, y, monkeypatch, sample_weight=weight))
    X, y = diabetes
    weight = np.random.RandomState(1).uniform(0.1, 2.0, len(y))
    model = GDRegressor(random_state=0)
    _assert_same(*_fit_both(model, X, y, monkeypatch, sample_weight=weight))


def test_multi_output_regression(diabetes, monkeypatch):
    X, y = diabetes
    Y = np.column_stack([y, -0.5 * y + X[:, 0]])
    _assert_same(*_fit_both(GDRegressor(random_state=0), X, Y, monkeypatch))


def test_deterministic_under_random_state(iris):
    X, y = iris
    first = GDClassifier(random_state=3).fit(X, y)
    second = GDClassifier(random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.n_iter_ == second.n_iter_
    other = GDClassifier(random_state=4).fit(X, y)
    assert not np.array_equal(first.coef_, other.coef_)


def test_ineligible_fits_use_torch_path(iris, monkeypatch):
    X, y = iris
    for model in (GDClassifier(momentum=0.9, random_state=0),
                  GDClassifier(solver="adam", random_state=0),
                  GDClassifier(batch_size=16, random_state=0)):
        calls = spy_kernel_use(monkeypatch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        assert calls and not any(calls)


def test_kernel_is_a_compiled_extension():
    # built with the package (setup.py), never at run time
    import importlib.machinery

    from skopt_est._engine.kernel import _sgd

    assert _sgd.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))
    state = _sgd.SGDState(True)
    state.eps, state.seed, state.t = 0.25, 2**32 - 1, 7
    assert (state.eps, state.seed, state.t, state.single) == (0.25, 2**32 - 1, 7, True)
    state.W = 4096
    assert state.W == 4096
    state.W = None
    assert state.W == 0


def test_broken_install_fails_at_import_with_advice():
    # a kernel that cannot be imported is a broken install: importing the
    # linear models fails and says how to reinstall, never a silent torch path
    code = ("import sys; sys.modules['skopt_est._engine.kernel._sgd'] = None\n"
            "import skopt_est.linear_model")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode != 0
    assert "ImportError: skopt_est's compiled SGD kernel" in completed.stderr
    assert "pip install --force-reinstall" in completed.stderr


def test_no_kernel_env_selects_torch_path(iris, monkeypatch):
    X, y = iris
    calls = spy_kernel_use(monkeypatch)
    for disabled in ("1", "0"):
        monkeypatch.setenv(eligibility.DISABLE_ENV, disabled)
        GDClassifier(random_state=0, max_iter=2, tol=None).fit(X, y)
    assert calls == [False, True]


# ------------------------------------------------ scikit-learn's _plain_sgd
def _sgd_reference(X, y, *, eta, alpha, l1_ratio, epochs, average=0,
                   intercept_decay=1.0):
    """scikit-learn's per-sample SGD on squared error, written plainly:
    true weights, rows in order, the cumulative L1 rule on each row's
    touched coordinates (all of them for dense rows), the plain running
    mean for ``average`` (without L1: see test_l1_with_average_...)."""
    sparse = sp.issparse(X)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    q, u = np.zeros(d), 0.0
    mean_w, mean_b, n_averaged, t = np.zeros(d), 0.0, 0, 0
    for _ in range(epochs):
        for i in range(n):
            if sparse:
                row = X.getrow(i)
                touched, x = row.indices, row.data
                p = w[touched] @ x + b
            else:
                touched, x = np.arange(d), X[i]
                p = w @ x + b
            update = -eta * (p - y[i])
            w *= max(0.0, 1.0 - eta * alpha * (1.0 - l1_ratio))
            w[touched] += update * x
            b += update * intercept_decay
            t += 1
            if average and t >= average:
                n_averaged += 1
                mean_w += (w - mean_w) / n_averaged
                mean_b += (b - mean_b) / n_averaged
            if l1_ratio:
                u += eta * alpha * l1_ratio
                for j in touched:
                    z = w[j]
                    if z > 0:
                        w[j] = max(0.0, z - (u + q[j]))
                    elif z < 0:
                        w[j] = min(0.0, z + (u - q[j]))
                    q[j] += w[j] - z
    return (mean_w, mean_b) if n_averaged else (w, b)


@pytest.fixture(scope="module")
def sparse_regression():
    rng = np.random.RandomState(0)
    X = sp.random(120, 15, density=0.3, format="csr", random_state=rng)
    X.data = rng.normal(size=X.nnz)
    coef = rng.normal(size=15)
    coef[::2] = 0.0
    return X, X @ coef + 0.1 * rng.normal(size=120)


def _kernel_fit(estimator, X, y, monkeypatch, **fit_params):
    """``estimator`` fitted, checking that the compiled epoch ran."""
    calls = spy_kernel_use(monkeypatch)
    monkeypatch.setenv(eligibility.DISABLE_ENV, "0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y, **fit_params)
    assert calls and all(calls)
    return estimator


REFERENCE_CASES = [("l1", 1.0, 0), ("elasticnet", 0.5, 0), ("l2", 0.0, 1),
                   ("l2", 0.0, 150), ("elasticnet", 0.0, 7)]


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("penalty,l1_ratio,average", REFERENCE_CASES)
def test_matches_plain_reference(diabetes, sparse_regression,
                                 monkeypatch, sparse, penalty, l1_ratio,
                                 average):
    X, y = sparse_regression if sparse else diabetes
    model = GDRegressor(penalty=penalty, l1_ratio=l1_ratio, alpha=0.05,
                        learning_rate="constant", eta0=0.02, shuffle=False,
                        batch_size=1, max_iter=4, tol=None,
                        average=average or False)
    _kernel_fit(model, X, y, monkeypatch)
    coef, intercept = _sgd_reference(
        X, y, eta=0.02, alpha=0.05, l1_ratio=l1_ratio, epochs=4,
        average=average, intercept_decay=0.01 if sparse else 1.0)
    if l1_ratio:
        np.testing.assert_array_equal(model.coef_ == 0, coef == 0)
        assert (coef == 0).sum() >= 1
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-11,
                               atol=1e-13)


SKLEARN_PENALTIES = [dict(penalty="l2"), dict(penalty="l1"),
                     dict(penalty="elasticnet", l1_ratio=0.4),
                     dict(penalty="l1", average=True),
                     dict(penalty="elasticnet", average=9)]


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("params", SKLEARN_PENALTIES)
def test_regressor_matches_sklearn(diabetes, monkeypatch, sparse,
                                   params):
    # the averages with L1 follow scikit-learn's averaging trick, in which
    # each truncation also moves the running average (a plain running mean
    # differs by about 1e-3 here)
    X, y = diabetes
    X = sp.csr_matrix(X) if sparse else X
    common = dict(alpha=0.01, learning_rate="invscaling", eta0=0.02,
                  shuffle=False, max_iter=6, tol=None, **params)
    ours = _kernel_fit(GDRegressor(batch_size=1, **common), X, y, monkeypatch)
    theirs = SGDRegressor(**common).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-9,
                               atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("params", SKLEARN_PENALTIES)
def test_classifier_matches_sklearn(iris, monkeypatch, sparse, dtype,
                                    params):
    # one-vs-all hinge heads in one pass agree with scikit-learn's one pass
    # per class; float32: scikit-learn computes in float, the kernel in double
    X, y = iris
    X = X.astype(dtype)
    X = sp.csr_matrix(X) if sparse else X
    common = dict(alpha=0.001, learning_rate="optimal", shuffle=False,
                  max_iter=5, tol=None, **params)
    ours = _kernel_fit(GDClassifier(batch_size=1, **common), X, y, monkeypatch)
    theirs = SGDClassifier(**common).fit(X, y)
    assert ours.coef_.dtype == dtype
    rtol = 1e-9 if dtype == np.float64 else 1e-4
    scale = np.abs(theirs.coef_).max()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=rtol,
                               atol=rtol * scale)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=rtol,
                               atol=rtol * scale)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_l1_makes_exact_zeros(monkeypatch, penalty):
    # issue 11: scikit-learn's SGDRegressor ends with 55 zeros here
    X, y = make_regression(500, 60, n_informative=5, noise=1.0, random_state=0)
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    model = GDRegressor(penalty=penalty, l1_ratio=0.9, alpha=0.01, max_iter=50,
                        tol=None, random_state=0)
    _kernel_fit(model, X, y, monkeypatch)
    assert (model.coef_ == 0).sum() >= 50
    assert model.score(X, y) >= 0.99


@pytest.mark.parametrize("loss", ["squared_error", "huber", "log_loss"])
def test_classifier_joint_losses_match_torch_path(iris, monkeypatch,
                                                  loss):
    # ±1-coded regression heads, and the multinomial log loss of 3 classes
    X, y = iris
    model = GDClassifier(loss=loss, learning_rate="constant", eta0=0.01,
                         random_state=0, max_iter=20)
    _assert_same(*_fit_both(model, X, y, monkeypatch))


def test_float32_matches_torch_path(iris, diabetes, monkeypatch):
    # the kernel accumulates float32 data in double, the torch path in float
    X, y = iris
    fast, slow = _fit_both(GDClassifier(random_state=0, max_iter=10),
                           X.astype(np.float32), y, monkeypatch)
    assert fast.coef_.dtype == np.float32 and fast.n_iter_ == slow.n_iter_
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-4, atol=1e-4)
    X, y = diabetes
    fast, slow = _fit_both(GDRegressor(random_state=0, max_iter=10),
                           X.astype(np.float32), y, monkeypatch)
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("loss", ["hinge", "log_loss", "modified_huber"])
def test_sparse_rows_match_dense_rows(iris, monkeypatch, loss):
    # the same rows and order give the same model; without an intercept the
    # sparse intercept decay plays no part, with one it is the only change
    X, y = iris
    X = X.copy()
    X[np.abs(X) < 0.5] = 0.0  # real zeros for the sparse rows to skip
    for fit_intercept in (False, True):
        params = dict(loss=loss, fit_intercept=fit_intercept, penalty="l2",
                      random_state=0, max_iter=8, tol=None)
        dense = _kernel_fit(GDClassifier(**params), X, y, monkeypatch)
        sparse = _kernel_fit(GDClassifier(**params), sp.csr_matrix(X), y,
                             monkeypatch)
        if fit_intercept:
            assert not np.allclose(dense.intercept_, sparse.intercept_)
        else:
            np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-10,
                                       atol=1e-12)


@pytest.mark.filterwarnings("ignore:Sparse CSR tensor support is in beta")
def test_torch_and_scipy_csr_give_the_same_rows():
    rng = np.random.RandomState(0)
    X = sp.random(30, 12, density=0.2, format="csr", random_state=rng)
    tensor = torch.sparse_csr_tensor(torch.from_numpy(X.indptr.astype(np.int64)),
                                     torch.from_numpy(X.indices.astype(np.int64)),
                                     torch.from_numpy(X.data), size=X.shape,
                                     check_invariants=True)
    for ours, theirs in zip(eligibility.csr_parts(X), eligibility.csr_parts(tensor)):
        assert ours.dtype == theirs.dtype
        torch.testing.assert_close(ours, theirs, rtol=0, atol=0)
    assert eligibility.csr_parts(X.tocsc()) is None


@pytest.mark.parametrize("params", [
    {}, {"loss": "modified_huber", "average": 3},
    {"penalty": "elasticnet", "learning_rate": "adaptive", "eta0": 0.1},
    {"early_stopping": True, "class_weight": "balanced"}])
def test_lane_fit_equals_the_torch_paths_heads(iris, monkeypatch, params):
    # the lane (host arrays, no torch) and the torch path's heads run the
    # same HeadsRunner: the same model, bit for bit
    X, y = iris
    lane = GDClassifier(random_state=0, **params).fit(X, y)
    import skopt_est.linear_model as linear_model

    monkeypatch.setattr(linear_model, "lane_spec", lambda *args, **kwargs: None)
    calls = []
    kind_of = eligibility.kernel_kind
    monkeypatch.setattr(eligibility, "kernel_kind",
                        lambda *args: calls.append(kind_of(*args)) or calls[-1])
    heads = GDClassifier(random_state=0, **params).fit(X, y)
    assert calls == ["heads"]
    assert lane.n_iter_ == heads.n_iter_
    np.testing.assert_array_equal(lane.coef_, heads.coef_)
    np.testing.assert_array_equal(lane.intercept_, heads.intercept_)
    assert lane.loss_curve_ == pytest.approx(heads.loss_curve_, rel=1e-12)


def test_lazy_module_reproduces_the_lane_fit(iris):
    X, y = iris
    model = GDClassifier(random_state=0).fit(X, y)
    assert vars(model)["_module"] is None
    with torch.inference_mode():
        output = model.module_(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(output, model.decision_function(X), rtol=1e-12)
    assert model.module_ is model.module_
