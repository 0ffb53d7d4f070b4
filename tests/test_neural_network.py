"""MLPRegressor and MLPClassifier: training, fitted attributes, continuation,
determinism, persistence, devices and errors (DESIGN.md §1.1, §1.2).

Small data and small networks throughout; parity with scikit-learn's MLP at
matched settings is in ``test_mlp_parity.py``. Module-scoped fixtures may hold
fitted models; tests never mutate them.
"""

from __future__ import annotations

import io
import pickle
import warnings

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import (
    load_digits,
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler

from skopt_est import MLPClassifier, MLPRegressor

SEED = 0
SOLVERS = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "lbfgs"]
STOCHASTIC = [solver for solver in SOLVERS if solver != "lbfgs"]
SCHEDULES = ["constant", "invscaling", "adaptive", "linear", "exponential", "step",
             "cosine", "restarts", "warm_restarts"]
PENALTIES = [None, "l2", "l1", "elasticnet"]
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")

# Small, fast, converging: the base of every estimator built here.
FAST = dict(hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=30,
            random_state=SEED)


def _fast(**params):
    return {**FAST, **params}


def _quiet_fit(estimator, *args, **kwargs):
    """Fit without the ConvergenceWarning a short max_iter gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(*args, **kwargs)


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def digits():
    """A 600-row subset of digits (10 classes, 64 features), standardised."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X[:800], y[:800], test_size=0.25, random_state=SEED, stratify=y[:800])
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.fixture(scope="module")
def imbalanced():
    """Binary, 9:1 imbalance, overlapping classes, standardised."""
    X, y = make_classification(n_samples=400, n_features=6, n_informative=3,
                               weights=[0.9, 0.1], class_sep=0.5, flip_y=0.0,
                               random_state=SEED)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def multilabel():
    X, Y = make_multilabel_classification(n_samples=200, n_features=8, n_classes=4,
                                          n_labels=2, random_state=SEED)
    return StandardScaler().fit_transform(X), Y


@pytest.fixture(scope="module")
def fitted_regressor(diabetes):
    return _quiet_fit(MLPRegressor(**FAST), diabetes.X, diabetes.y)


@pytest.fixture(scope="module")
def fitted_classifier(iris):
    return _quiet_fit(MLPClassifier(**FAST), iris.X, iris.y)


def _dataset(name, diabetes, breast_cancer, digits):
    if name == "diabetes":
        return MLPRegressor, (diabetes.X_train, diabetes.X_test, diabetes.y_train,
                              diabetes.y_test)
    if name == "breast_cancer":
        return MLPClassifier, (breast_cancer.X_train, breast_cancer.X_test,
                               breast_cancer.y_train, breast_cancer.y_test)
    return MLPClassifier, digits


# A sensible held-out score: R² on diabetes (predicting the mean gets 0; these
# small networks get 0.26 to 0.40 at the settings below), accuracy on the two
# classification sets.
MIN_SCORE = {"diabetes": 0.2, "breast_cancer": 0.93, "digits": 0.88}
DATASETS = list(MIN_SCORE)
# diabetes is small and noisy: without a strong penalty a (16,) network
# overfits it within 30 epochs, so its runs get alpha=10.
DATA_PARAMS = {"diabetes": dict(alpha=10.0)}


def _assert_trains(name, params, diabetes, breast_cancer, digits):
    Estimator, (X_train, X_test, y_train, y_test) = _dataset(
        name, diabetes, breast_cancer, digits)
    params = {**params, **DATA_PARAMS.get(name, {})}
    model = _quiet_fit(Estimator(**params), X_train, y_train)
    score = model.score(X_test, y_test)
    assert score >= MIN_SCORE[name], (name, params, score)
    assert np.all(np.isfinite(model.loss_curve_))
    return model


# ---------------------------------------------------------- it trains: solvers
# One schedule per stochastic solver, so every solver and several schedules are
# exercised together without the full cross product.
SOLVER_SCHEDULE = {"sgd": "invscaling", "adam": "constant", "adamw": "cosine",
                   "rmsprop": "step", "adagrad": "exponential", "lbfgs": "constant"}
SOLVER_LR = {"sgd": 0.05, "adam": 0.01, "adamw": 0.01, "rmsprop": 0.003,
             "adagrad": 0.05, "lbfgs": 0.01}


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_trains(solver, name, diabetes, breast_cancer, digits):
    params = _fast(solver=solver, learning_rate=SOLVER_SCHEDULE[solver],
                   learning_rate_init=SOLVER_LR[solver], batch_size=32)
    if solver == "lbfgs":
        params.update(max_iter=60, alpha=1.0)
    model = _assert_trains(name, params, diabetes, breast_cancer, digits)
    assert 1 <= model.n_iter_ <= params["max_iter"]


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("name", ["diabetes", "breast_cancer"])
def test_every_penalty_trains(penalty, solver, name, diabetes, breast_cancer,
                              digits):
    params = _fast(solver=solver, penalty=penalty, alpha=0.1, batch_size=32,
                   learning_rate_init=0.01 if solver == "adam" else 0.05)
    _assert_trains(name, params, diabetes, breast_cancer, digits)


@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_l1_penalties_give_exact_zeros(penalty, breast_cancer):
    params = _fast(solver="sgd", learning_rate_init=0.05, batch_size=32,
                   penalty=penalty, l1_ratio=0.5, alpha=1.0)
    sparse = _quiet_fit(MLPClassifier(**params), breast_cancer.X, breast_cancer.y)
    dense = _quiet_fit(MLPClassifier(**{**params, "penalty": None}),
                       breast_cancer.X, breast_cancer.y)
    n_zeros = sum(int(np.sum(coef == 0)) for coef in sparse.coefs_)
    assert n_zeros > 0.2 * sum(coef.size for coef in sparse.coefs_)
    assert all(np.all(coef != 0) for coef in dense.coefs_)
    assert sparse.score(breast_cancer.X_test, breast_cancer.y_test) >= 0.9


def test_l2_shrinks_weights(diabetes):
    params = _fast(solver="adam", batch_size=None)
    weak = _quiet_fit(MLPRegressor(**params, alpha=1e-5), diabetes.X, diabetes.y)
    strong = _quiet_fit(MLPRegressor(**params, alpha=100.0), diabetes.X,
                        diabetes.y)

    def norm(model):
        return sum(float(np.sum(coef ** 2)) for coef in model.coefs_)

    assert norm(strong) < 0.5 * norm(weak)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("name", ["breast_cancer", "digits"])
def test_dropout_trains(solver, name, diabetes, breast_cancer, digits):
    params = _fast(solver=solver, dropout=0.3, batch_size=32,
                   learning_rate_init=0.01 if solver == "adam" else 0.05)
    model = _assert_trains(name, params, diabetes, breast_cancer, digits)
    X_train, X_test, y_train, _ = _dataset(name, diabetes, breast_cancer, digits)[1]
    without = _quiet_fit(MLPClassifier(**{**params, "dropout": 0.0}), X_train,
                         y_train)
    assert not np.array_equal(model.coefs_[0], without.coefs_[0])
    # dropout is off at predict time: predictions are deterministic
    np.testing.assert_array_equal(model.predict_proba(X_test),
                                  model.predict_proba(X_test))


def test_dropout_regressor_trains(diabetes):
    _assert_trains("diabetes", _fast(dropout=0.3, batch_size=32), diabetes, None,
                   None)


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_every_schedule_trains(schedule, breast_cancer):
    params = _fast(solver="sgd", learning_rate_init=0.05, batch_size=32,
                   learning_rate=schedule, step_size=5, gamma=0.8)
    model = _assert_trains("breast_cancer", params, None, breast_cancer, None)
    if schedule not in ("constant", "adaptive"):
        constant = _quiet_fit(MLPClassifier(**{**params, "learning_rate": "constant"}),
                              breast_cancer.X, breast_cancer.y)
        assert not np.allclose(model.coefs_[0], constant.coefs_[0])


@pytest.mark.parametrize("activation", ["gelu", "leaky_relu", "elu"])
def test_autograd_activations_train(activation, diabetes, breast_cancer):
    _assert_trains("breast_cancer", _fast(activation=activation), None,
                   breast_cancer, None)
    _assert_trains("diabetes", _fast(activation=activation, batch_size=32),
                   diabetes, None, None)


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_closed_form_activations_train(activation, breast_cancer):
    _assert_trains("breast_cancer", _fast(activation=activation), None,
                   breast_cancer, None)


# -------------------------------------------------- multi-output and multilabel
def test_multi_output_regression(multi_output):
    X, Y = multi_output
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=100)), X, Y)
    prediction = model.predict(X)
    assert prediction.shape == Y.shape
    assert model.n_outputs_ == 3
    assert model.coefs_[-1].shape == (16, 3)
    assert model.score(X, Y) > 0.9


def test_multilabel_classification(multilabel):
    X, Y = multilabel
    model = _quiet_fit(MLPClassifier(**_fast(max_iter=100)), X, Y)
    prediction = model.predict(X)
    assert prediction.shape == Y.shape
    assert set(np.unique(prediction)) <= {0, 1}
    assert model.out_activation_ == "logistic"
    assert model.n_outputs_ == Y.shape[1]
    proba = model.predict_proba(X)
    assert proba.shape == Y.shape
    assert np.all((proba > 0) & (proba < 1))
    np.testing.assert_array_equal(prediction, (proba > 0.5).astype(int))
    assert model.score(X, Y) > 0.5          # subset accuracy
    assert np.mean(prediction == Y) > 0.8    # label accuracy


# ------------------------------------------------ fitted attributes vs sklearn
def _problems(diabetes, iris, breast_cancer, multilabel, multi_output):
    return {
        "regression": (MLPRegressor, SkMLPRegressor, diabetes.X, diabetes.y),
        "multi_output": (MLPRegressor, SkMLPRegressor, *multi_output),
        "binary": (MLPClassifier, SkMLPClassifier, breast_cancer.X,
                   breast_cancer.y),
        "multiclass": (MLPClassifier, SkMLPClassifier, iris.X, iris.y),
        "multilabel": (MLPClassifier, SkMLPClassifier, *multilabel),
    }


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("problem", ["regression", "multi_output", "binary",
                                     "multiclass", "multilabel"])
def test_fitted_attributes_match_sklearn(problem, early_stopping, diabetes, iris,
                                         breast_cancer, multilabel, multi_output):
    Ours, Theirs, X, y = _problems(diabetes, iris, breast_cancer, multilabel,
                                   multi_output)[problem]
    params = dict(hidden_layer_sizes=(7, 5), max_iter=8, random_state=SEED,
                  early_stopping=early_stopping, n_iter_no_change=100)
    ours = _quiet_fit(Ours(**params), X, y)
    theirs = _quiet_fit(Theirs(**params), X, y)

    assert [c.shape for c in ours.coefs_] == [c.shape for c in theirs.coefs_]
    assert [b.shape for b in ours.intercepts_] == [b.shape for b in theirs.intercepts_]
    assert all(isinstance(c, np.ndarray) for c in ours.coefs_ + ours.intercepts_)
    for name in ("n_layers_", "n_outputs_", "out_activation_", "n_features_in_",
                 "n_iter_"):
        assert getattr(ours, name) == getattr(theirs, name), name
    if hasattr(theirs, "classes_"):
        np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert isinstance(ours.loss_, float) and np.isfinite(ours.loss_)
    assert len(ours.loss_curve_) == ours.n_iter_ == 8
    assert ours.loss_ == ours.loss_curve_[-1]
    n_train = len(X)
    if early_stopping:
        assert ours.best_loss_ is None and theirs.best_loss_ is None
        assert len(ours.validation_scores_) == ours.n_iter_
        assert ours.best_validation_score_ == max(ours.validation_scores_)
        n_train = len(X) - int(np.ceil(0.1 * len(X)))
    else:
        assert ours.validation_scores_ is None and theirs.validation_scores_ is None
        assert ours.best_validation_score_ is None
        assert ours.best_loss_ == pytest.approx(min(ours.loss_curve_))
    assert ours.t_ == theirs.t_ == ours.n_iter_ * n_train


def test_no_hidden_layer_is_a_linear_model_as_in_sklearn(diabetes):
    ours = _quiet_fit(MLPRegressor(**_fast(hidden_layer_sizes=())), diabetes.X,
                      diabetes.y)
    theirs = _quiet_fit(SkMLPRegressor(hidden_layer_sizes=(), max_iter=5),
                        diabetes.X, diabetes.y)
    assert ours.n_layers_ == theirs.n_layers_ == 2
    assert [c.shape for c in ours.coefs_] == [c.shape for c in theirs.coefs_]


def test_feature_names_in(diabetes):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(diabetes.X, columns=[f"f{i}" for i in range(10)])
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=3)), frame, diabetes.y)
    np.testing.assert_array_equal(model.feature_names_in_, frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        from_array = model.predict(diabetes.X)
    np.testing.assert_array_equal(model.predict(frame), from_array)


def test_module_forward_reproduces_predict(fitted_regressor, diabetes):
    module = fitted_regressor.module_
    assert isinstance(module, torch.nn.Module)
    module.eval()
    with torch.no_grad():
        output = module(torch.from_numpy(diabetes.X_test)).numpy()
    np.testing.assert_allclose(output[:, 0], fitted_regressor.predict(diabetes.X_test),
                               rtol=1e-6, atol=1e-9)


def test_module_forward_gives_logits(fitted_classifier, iris):
    with torch.no_grad():
        logits = fitted_classifier.module_.eval()(torch.from_numpy(iris.X_test))
    np.testing.assert_allclose(torch.softmax(logits, dim=1).numpy(),
                               fitted_classifier.predict_proba(iris.X_test),
                               rtol=1e-6, atol=1e-9)


# -------------------------------------------------------------- classification
def test_string_class_labels(iris):
    names = np.array(["setosa", "versicolor", "virginica"])
    model = _quiet_fit(MLPClassifier(**FAST), iris.X, names[iris.y])
    np.testing.assert_array_equal(model.classes_, names)
    prediction = model.predict(iris.X_test)
    assert prediction.dtype.kind == "U" and set(prediction) <= set(names)
    numeric = _quiet_fit(MLPClassifier(**FAST), iris.X, iris.y)
    np.testing.assert_array_equal(prediction, names[numeric.predict(iris.X_test)])
    assert model.score(iris.X_test, names[iris.y_test]) > 0.8


def test_binary_string_labels(breast_cancer):
    labels = np.array(["benign", "malignant"])
    model = _quiet_fit(MLPClassifier(**FAST), breast_cancer.X,
                       labels[breast_cancer.y])
    assert model.n_outputs_ == 1 and model.out_activation_ == "logistic"
    assert set(model.predict(breast_cancer.X_test)) <= set(labels)
    assert model.score(breast_cancer.X_test, labels[breast_cancer.y_test]) > 0.93


@pytest.mark.parametrize("name", ["binary", "multiclass"])
def test_predict_proba_is_a_distribution(name, breast_cancer, fitted_classifier,
                                         iris):
    if name == "binary":
        model = _quiet_fit(MLPClassifier(**FAST), breast_cancer.X, breast_cancer.y)
        X = breast_cancer.X_test
    else:
        model, X = fitted_classifier, iris.X_test
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), len(model.classes_))
    assert np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-10)
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba))
    np.testing.assert_array_equal(model.predict(X),
                                  model.classes_[proba.argmax(axis=1)])


def test_class_weight_balanced_favours_the_minority(imbalanced):
    X, y = imbalanced
    params = _fast(max_iter=50)
    plain = _quiet_fit(MLPClassifier(**params), X, y)
    balanced = _quiet_fit(MLPClassifier(**params, class_weight="balanced"), X, y)
    assert np.sum(balanced.predict(X) == 1) > np.sum(plain.predict(X) == 1)
    recall = lambda model: np.mean(model.predict(X)[y == 1] == 1)  # noqa: E731
    assert recall(balanced) > recall(plain)


def test_class_weight_dict_equals_sample_weight(imbalanced):
    X, y = imbalanced
    params = _fast(batch_size=None, shuffle=False)
    by_class = _quiet_fit(MLPClassifier(**params, class_weight={0: 1.0, 1: 5.0}),
                          X, y)
    by_sample = _quiet_fit(MLPClassifier(**params), X, y,
                           sample_weight=np.where(y == 1, 5.0, 1.0))
    for ours, theirs in zip(by_class.coefs_, by_sample.coefs_):
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-10)


# --------------------------------------------------------------- sample weight
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_zero_sample_weight_equals_dropping_rows(Estimator, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    X, y = data.X, data.y
    keep = np.arange(len(X)) % 3 != 0
    params = _fast(batch_size=None, shuffle=False)
    weighted = _quiet_fit(Estimator(**params), X, y,
                          sample_weight=keep.astype(float))
    dropped = _quiet_fit(Estimator(**params), X[keep], y[keep])
    for ours, theirs in zip(weighted.coefs_, dropped.coefs_):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(weighted.loss_curve_, dropped.loss_curve_, rtol=1e-6)


def test_sample_weight_changes_the_fit(diabetes):
    weights = np.random.RandomState(SEED).uniform(0.1, 3.0, len(diabetes.X))
    params = _fast(batch_size=None, shuffle=False)
    weighted = _quiet_fit(MLPRegressor(**params), diabetes.X, diabetes.y,
                          sample_weight=weights)
    plain = _quiet_fit(MLPRegressor(**params), diabetes.X, diabetes.y)
    assert not np.allclose(weighted.coefs_[0], plain.coefs_[0])


# ------------------------------------------------------------ dtypes and sparse
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_float32_input_trains_in_float32(Estimator, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    params = _fast(max_iter=60, batch_size=32)
    single = _quiet_fit(Estimator(**params), data.X.astype(np.float32), data.y)
    double = _quiet_fit(Estimator(**params), data.X, data.y)
    assert all(p.dtype == torch.float32 for p in single.module_.parameters())
    assert all(p.dtype == torch.float64 for p in double.module_.parameters())
    assert all(c.dtype == np.float32 for c in single.coefs_ + single.intercepts_)
    assert all(c.dtype == np.float64 for c in double.coefs_ + double.intercepts_)
    X_test = data.X_test.astype(np.float32)
    assert single.score(X_test, data.y_test) == pytest.approx(
        double.score(data.X_test, data.y_test), abs=0.1)


def test_int_input_trains_in_float64(iris):
    X = np.round(iris.X * 10).astype(np.int64)
    model = _quiet_fit(MLPClassifier(**_fast(max_iter=3)), X, iris.y)
    assert all(p.dtype == torch.float64 for p in model.module_.parameters())


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_sparse_input_matches_dense(Estimator, fmt, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    X = data.X.copy()
    X[np.abs(X) < 0.5] = 0.0  # make it actually sparse
    X_test = data.X_test.copy()
    X_test[np.abs(X_test) < 0.5] = 0.0
    params = _fast(max_iter=10, batch_size=16)
    dense = _quiet_fit(Estimator(**params), X, data.y)
    sparse = _quiet_fit(Estimator(**params), sp.csr_matrix(X).asformat(fmt), data.y)
    for ours, theirs in zip(sparse.coefs_, dense.coefs_):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)
    raw = "predict" if Estimator is MLPRegressor else "predict_proba"
    np.testing.assert_allclose(
        getattr(sparse, raw)(sp.csr_matrix(X_test)), getattr(dense, raw)(X_test),
        rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------- determinism
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_random_state_is_bit_identical(Estimator, solver, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    params = _fast(max_iter=8, solver=solver, dropout=0.3, shuffle=True,
                   batch_size=16, early_stopping=True)
    first = _quiet_fit(Estimator(**params), data.X, data.y)
    second = _quiet_fit(Estimator(**params), data.X, data.y)
    for a, b in zip(first.coefs_ + first.intercepts_,
                    second.coefs_ + second.intercepts_):
        assert np.array_equal(a, b)
    assert first.loss_curve_ == second.loss_curve_
    assert first.validation_scores_ == second.validation_scores_
    other = _quiet_fit(Estimator(**{**params, "random_state": SEED + 1}), data.X,
                       data.y)
    assert not np.array_equal(first.coefs_[0], other.coefs_[0])


def test_random_state_lbfgs_is_bit_identical(diabetes):
    params = _fast(solver="lbfgs", max_iter=20)
    first = _quiet_fit(MLPRegressor(**params), diabetes.X, diabetes.y)
    second = _quiet_fit(MLPRegressor(**params), diabetes.X, diabetes.y)
    assert all(np.array_equal(a, b) for a, b in zip(first.coefs_, second.coefs_))


def test_fit_leaves_torch_global_rng_alone(iris):
    before = torch.random.get_rng_state()
    _quiet_fit(MLPClassifier(**_fast(max_iter=3, dropout=0.3)), iris.X, iris.y)
    assert torch.equal(before, torch.random.get_rng_state())


def test_refit_starts_afresh(diabetes):
    model = MLPRegressor(**_fast(max_iter=5))
    first = [c.copy() for c in _quiet_fit(model, diabetes.X, diabetes.y).coefs_]
    _quiet_fit(model, diabetes.X, diabetes.y)
    assert model.n_iter_ == 5
    assert all(np.array_equal(a, b) for a, b in zip(first, model.coefs_))


# -------------------------------------------------------------- early stopping
def _validation_rows(n_samples, y, fraction, stratify):
    _, rows = train_test_split(np.arange(n_samples), test_size=fraction,
                               random_state=SEED, stratify=y if stratify else None)
    return rows


@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_early_stopping_restores_the_best_epoch(Estimator, diabetes, iris):
    # overfitting settings, so the best epoch is not the last one
    data = diabetes if Estimator is MLPRegressor else iris
    params = _fast(hidden_layer_sizes=(32,), max_iter=60, early_stopping=True,
                   validation_fraction=0.2, n_iter_no_change=8, tol=1e-6,
                   learning_rate_init=0.03, batch_size=16)
    model = _quiet_fit(Estimator(**params), data.X, data.y)
    scores = model.validation_scores_
    best_epoch = int(np.argmax(scores)) + 1
    assert best_epoch < model.n_iter_, "the test needs a best epoch before the last"
    assert model.best_validation_score_ == max(scores)
    assert model.best_loss_ is None

    # the restored weights score best_validation_score_ on the validation rows
    rows = _validation_rows(len(data.X), data.y, 0.2,
                            stratify=Estimator is MLPClassifier)
    assert model.score(data.X[rows], data.y[rows]) == pytest.approx(
        model.best_validation_score_, rel=1e-9, abs=1e-12)

    # and they are the weights of that epoch: a fit stopped there has them
    stopped = _quiet_fit(Estimator(**{**params, "max_iter": best_epoch}), data.X,
                         data.y)
    assert stopped.n_iter_ == best_epoch
    for ours, theirs in zip(model.coefs_ + model.intercepts_,
                            stopped.coefs_ + stopped.intercepts_):
        np.testing.assert_array_equal(ours, theirs)
    # which are not the last epoch's
    last = _quiet_fit(Estimator(**{**params, "max_iter": model.n_iter_,
                                   "early_stopping": False}), data.X, data.y)
    assert not np.array_equal(model.coefs_[0], last.coefs_[0])


def test_early_stopping_stops_before_max_iter(diabetes):
    model = MLPRegressor(**_fast(hidden_layer_sizes=(32,), max_iter=500,
                                 early_stopping=True, n_iter_no_change=5,
                                 learning_rate_init=0.03))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(diabetes.X, diabetes.y)
    assert model.n_iter_ < 500
    assert len(model.validation_scores_) == model.n_iter_


# ------------------------------------------------ warm_start and partial_fit
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_warm_start_continues(Estimator, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    params = _fast(max_iter=5, batch_size=32, tol=0.0, n_iter_no_change=1000)
    model = _quiet_fit(Estimator(**params, warm_start=True), data.X, data.y)
    first_loss, first_t = model.loss_, model.t_
    _quiet_fit(model, data.X, data.y)
    # as scikit-learn's, n_iter_ counts this fit's epochs; the curve goes on
    assert model.n_iter_ == 5
    assert len(model.loss_curve_) == 10
    assert model.t_ == 2 * first_t
    assert model.loss_ < first_loss
    # a warm start starts a fresh optimizer (as scikit-learn's does); plain SGD
    # has no optimizer state, so with it continuing equals 10 epochs in one go
    sgd = {**params, "solver": "sgd", "momentum": 0.0}
    model = _quiet_fit(Estimator(**sgd, warm_start=True), data.X, data.y)
    _quiet_fit(model, data.X, data.y)
    straight = _quiet_fit(Estimator(**{**sgd, "max_iter": 10}), data.X, data.y)
    for ours, theirs in zip(model.coefs_, straight.coefs_):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_warm_start_lbfgs_continues(diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(solver="lbfgs", max_iter=5,
                                            warm_start=True)),
                       diabetes.X, diabetes.y)
    first_loss, first_iter = model.loss_, model.n_iter_
    _quiet_fit(model, diabetes.X, diabetes.y)
    assert 1 <= model.n_iter_ <= 5 == first_iter
    assert model.loss_ < first_loss


def test_partial_fit_regressor_continues(diabetes):
    model = MLPRegressor(**_fast(batch_size=32))
    for call in range(1, 6):
        model.partial_fit(diabetes.X, diabetes.y)
        assert model.n_iter_ == call
        assert model.t_ == call * len(diabetes.X)
    assert len(model.loss_curve_) == 5
    assert model.loss_curve_[-1] < model.loss_curve_[0]
    assert np.all(np.diff(model.loss_curve_) < 0)


def test_partial_fit_after_fit_continues(diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=5)), diabetes.X, diabetes.y)
    model.partial_fit(diabetes.X, diabetes.y)
    assert model.n_iter_ == 6


def test_partial_fit_classifier_needs_classes_first(iris):
    model = MLPClassifier(**_fast(batch_size=16))
    with pytest.raises(ValueError, match="classes"):
        model.partial_fit(iris.X, iris.y)
    # a first batch lacking a class is fine when classes are given
    first = iris.y != 2
    model.partial_fit(iris.X[first], iris.y[first], classes=[0, 1, 2])
    np.testing.assert_array_equal(model.classes_, [0, 1, 2])
    assert model.n_outputs_ == 3
    for _ in range(5):
        model.partial_fit(iris.X, iris.y)
    assert model.n_iter_ == 6
    assert model.loss_curve_[-1] < model.loss_curve_[1]
    assert model.score(iris.X_test, iris.y_test) > 0.7


def test_partial_fit_classifier_rejects_unseen_labels(iris):
    model = MLPClassifier(**FAST).partial_fit(iris.X, iris.y, classes=[0, 1, 2])
    with pytest.raises(ValueError):
        model.partial_fit(iris.X, iris.y + 1)


@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_partial_fit_absent_for_lbfgs(Estimator):
    model = Estimator(solver="lbfgs")
    assert not hasattr(model, "partial_fit")
    with pytest.raises(AttributeError, match="partial_fit"):
        model.partial_fit
    assert hasattr(Estimator(solver="sgd"), "partial_fit")


# ------------------------------------------------------------------ persistence
@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_pickle_round_trip(dump, fitted_regressor, fitted_classifier, diabetes,
                           iris):
    for model, X in ((fitted_regressor, diabetes.X_test),
                     (fitted_classifier, iris.X_test)):
        if dump == "pickle":
            loaded = pickle.loads(pickle.dumps(model))
        else:
            buffer = io.BytesIO()
            joblib.dump(model, buffer)
            buffer.seek(0)
            loaded = joblib.load(buffer)
        np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
        for a, b in zip(loaded.coefs_, model.coefs_):
            np.testing.assert_array_equal(a, b)
        assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.predict_proba(iris.X_test),
                                  fitted_classifier.predict_proba(iris.X_test))


def test_pickled_model_continues_training(diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=3)), diabetes.X, diabetes.y)
    loaded = pickle.loads(pickle.dumps(model))
    loaded.partial_fit(diabetes.X, diabetes.y)
    model.partial_fit(diabetes.X, diabetes.y)
    assert loaded.n_iter_ == 4
    np.testing.assert_array_equal(loaded.coefs_[0], model.coefs_[0])


# ------------------------------------------------------------------------- CUDA
@CUDA
@pytest.mark.gpu
@pytest.mark.parametrize("Estimator", [MLPRegressor, MLPClassifier])
def test_cuda_fit_matches_cpu(Estimator, diabetes, iris):
    data = diabetes if Estimator is MLPRegressor else iris
    params = _fast(max_iter=5, batch_size=32)
    cpu = _quiet_fit(Estimator(**params), data.X, data.y)
    gpu = _quiet_fit(Estimator(**params, device="cuda"), data.X, data.y)
    assert next(gpu.module_.parameters()).device.type == "cuda"
    raw = "predict" if Estimator is MLPRegressor else "predict_proba"
    np.testing.assert_allclose(getattr(gpu, raw)(data.X_test),
                               getattr(cpu, raw)(data.X_test), rtol=1e-4, atol=1e-5)
    assert all(isinstance(c, np.ndarray) for c in gpu.coefs_)


@CUDA
@pytest.mark.gpu
def test_cuda_model_unpickles_on_cpu(diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=5), device="cuda"),
                       diabetes.X, diabetes.y)
    loaded = pickle.loads(pickle.dumps(model))
    assert next(loaded.module_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(loaded.predict(diabetes.X_test),
                               model.predict(diabetes.X_test), rtol=1e-6, atol=1e-9)
    # the original stays on the GPU
    assert next(model.module_.parameters()).device.type == "cuda"


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is present")
@pytest.mark.parametrize("device", ["cuda", "cuda:0"])
def test_absent_cuda_raises_at_fit_not_init(device, iris):
    model = MLPClassifier(**FAST, device=device)  # no error here
    assert model.device == device
    with pytest.raises(ValueError, match="CUDA is not available"):
        model.fit(iris.X, iris.y)


def test_unknown_device_raises_at_fit(iris):
    model = MLPClassifier(**FAST, device="tpu")
    with pytest.raises(ValueError, match="device"):
        model.fit(iris.X, iris.y)


# ----------------------------------------------------------------- bad input
def test_nan_in_X_raises(diabetes):
    X = diabetes.X.copy()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLPRegressor(**FAST).fit(X, diabetes.y)


def test_inf_in_X_raises(diabetes):
    X = diabetes.X.copy()
    X[3, 2] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        MLPRegressor(**FAST).fit(X, diabetes.y)


def test_wrong_n_features_at_predict_raises(fitted_regressor, diabetes):
    with pytest.raises(ValueError, match="features"):
        fitted_regressor.predict(diabetes.X_test[:, :5])


def test_predict_before_fit_raises(diabetes):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        MLPRegressor().predict(diabetes.X)


def test_one_class_predicts_that_class(iris):
    # as scikit-learn's MLPClassifier, a one-class y fits (its test
    # test_preserve_feature_names relies on it)
    y = np.full(len(iris.X), 7)
    model = MLPClassifier(**FAST).fit(iris.X, y)
    np.testing.assert_array_equal(model.classes_, [7])
    np.testing.assert_array_equal(model.predict(iris.X), y)
    np.testing.assert_array_equal(model.predict_proba(iris.X), np.ones((len(y), 1)))


def test_partial_fit_labels_outside_classes_raise(iris):
    with pytest.raises(ValueError, match="classes not in"):
        MLPClassifier(solver="sgd").partial_fit(iris.X, iris.y, classes=[2])


def test_warm_start_with_other_classes_raises(iris):
    model = MLPClassifier(**FAST, warm_start=True).fit(iris.X, iris.y)
    with pytest.raises(ValueError, match="same classes as in the previous"):
        model.fit(iris.X, iris.y % 2)


def test_partial_fit_starts_from_hand_set_coefs():
    # scikit-learn's test_fit: coefs_ set before partial_fit are the start
    model = MLPClassifier(solver="sgd", learning_rate_init=0.1, alpha=0.1,
                          activation="logistic", hidden_layer_sizes=2,
                          momentum=0, max_iter=1)
    model.coefs_ = [np.array([[0.1, 0.2], [0.3, 0.1], [0.5, 0]]),
                    np.array([[0.1], [0.2]])]
    model.intercepts_ = [np.array([0.1, 0.1]), np.array([1.0])]
    model.partial_fit(np.array([[0.6, 0.8, 0.7]]), np.array([0]), classes=[0, 1])
    # one step by hand: scikit-learn's values
    np.testing.assert_allclose(model.coefs_[0], [[0.098, 0.195756],
                                                 [0.2956664, 0.096008],
                                                 [0.4939998, -0.002244]],
                               atol=1e-3)


def test_negative_sample_weight_raises(iris):
    weights = np.ones(len(iris.X))
    weights[0] = -1.0
    with pytest.raises(ValueError, match="[Nn]egative"):
        MLPClassifier(**FAST).fit(iris.X, iris.y, sample_weight=weights)


def test_continuous_y_for_classifier_raises(diabetes):
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier(**FAST).fit(diabetes.X, diabetes.y)


@pytest.mark.parametrize("sizes", [(0,), (16, -1), "abc", 0, ((2, 3),)])
def test_bad_hidden_layer_sizes_raises_at_fit(sizes, iris):
    model = MLPClassifier(**{**FAST, "hidden_layer_sizes": sizes})  # no error here
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        model.fit(iris.X, iris.y)


@pytest.mark.parametrize("params", [
    dict(solver="newton"), dict(learning_rate="optimal"), dict(activation="swish"),
    dict(dropout=1.0), dict(alpha=-1.0), dict(penalty="l3"), dict(max_iter=0),
    dict(learning_rate_init=0.0), dict(batch_size=0), dict(gamma=0.0),
])
def test_bad_parameters_raise_at_fit(params, iris):
    model = MLPClassifier(**{**FAST, **params})
    with pytest.raises(ValueError, match=next(iter(params))):
        model.fit(iris.X, iris.y)


# ---------------------------------------------------------------- divergence
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_divergence_raises_naming_learning_rate_init(dtype, diabetes):
    model = MLPRegressor(**_fast(solver="sgd", learning_rate_init=1e4, max_iter=20))
    with pytest.raises(ValueError, match="learning_rate_init"):
        model.fit(diabetes.X.astype(dtype), diabetes.y)
    assert not hasattr(model, "coefs_")


def test_classifier_divergence_raises_naming_learning_rate_init(iris):
    # float32: the exploding cross-entropy overflows to inf within 20 epochs
    model = MLPClassifier(**_fast(solver="sgd", learning_rate_init=1e4, max_iter=20))
    with pytest.raises(ValueError, match="learning_rate_init"):
        model.fit(iris.X.astype(np.float32), iris.y)
    assert not hasattr(model, "coefs_")


@pytest.mark.parametrize("n_extra_features", [0, 1])
@pytest.mark.parametrize("warm_start", [False, True])
def test_failed_fit_leaves_the_fitted_model_alone(warm_start, n_extra_features,
                                                  diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=5, solver="sgd")), diabetes.X,
                       diabetes.y)
    before = model.predict(diabetes.X_test)
    coefs = [c.copy() for c in model.coefs_]
    n_iter, loss_curve = model.n_iter_, list(model.loss_curve_)
    # targets of 1e200 overflow the squared error at the first epoch, also when
    # warm-starting from the fitted weights
    model.set_params(learning_rate_init=1e4, warm_start=warm_start)
    X = np.hstack([diabetes.X, diabetes.X[:, :n_extra_features]])
    with pytest.raises(ValueError, match="diverged|features"):
        model.fit(X, diabetes.y * 1e200)
    np.testing.assert_array_equal(model.predict(diabetes.X_test), before)
    assert all(np.array_equal(a, b) for a, b in zip(coefs, model.coefs_))
    assert model.n_iter_ == n_iter and model.loss_curve_ == loss_curve
    assert model.n_features_in_ == diabetes.X.shape[1]


def test_fit_on_bad_input_leaves_the_fitted_model_alone(diabetes):
    model = _quiet_fit(MLPRegressor(**_fast(max_iter=5)), diabetes.X, diabetes.y)
    before = model.predict(diabetes.X_test)
    X = diabetes.X.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError):
        model.fit(X, diabetes.y)
    np.testing.assert_array_equal(model.predict(diabetes.X_test), before)


# ------------------------------------------------------------------------ lbfgs
def test_lbfgs_honours_max_iter(diabetes):
    model = MLPRegressor(**_fast(solver="lbfgs", max_iter=5))
    with pytest.warns(ConvergenceWarning):
        model.fit(diabetes.X, diabetes.y)
    assert 1 <= model.n_iter_ <= 5
    assert len(model.loss_curve_) >= 1


def test_lbfgs_honours_max_fun(diabetes):
    model = MLPRegressor(**_fast(solver="lbfgs", max_iter=200, max_fun=8))
    with pytest.warns(ConvergenceWarning):
        model.fit(diabetes.X, diabetes.y)
    assert model.n_iter_ < 200
    # every function evaluation is one pass over the data
    assert model.t_ <= (8 + 1) * len(diabetes.X)


def test_lbfgs_converges_without_warning(breast_cancer):
    model = MLPClassifier(**_fast(solver="lbfgs", max_iter=1000, alpha=1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(breast_cancer.X, breast_cancer.y)
    assert model.n_iter_ < 1000


def test_convergence_warning_at_max_iter(diabetes):
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        MLPRegressor(**_fast(max_iter=2)).fit(diabetes.X, diabetes.y)


# ---------------------------------------------------------------------- verbose
def test_verbose_prints_every_epoch(capsys, diabetes):
    _quiet_fit(MLPRegressor(**_fast(max_iter=3, verbose=True)), diabetes.X,
               diabetes.y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss =" in out
    assert "Iteration 3, loss =" in out


def _verbose_lines(capsys, estimator, X, y):
    _quiet_fit(estimator, X, y)
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("early_stopping, what",
                         [(False, "Training loss"), (True, "Validation score")])
def test_verbose_output_is_scikit_learns(capsys, diabetes, early_stopping, what):
    params = dict(max_iter=200, tol=1.0, n_iter_no_change=2, verbose=True,
                  early_stopping=early_stopping, random_state=0)
    theirs = _verbose_lines(capsys, SkMLPRegressor(**params), diabetes.X, diabetes.y)
    ours = _verbose_lines(capsys, MLPRegressor(**params), diabetes.X, diabetes.y)
    stop = (f"{what} did not improve more than tol=1.000000 for 2 consecutive "
            "epochs. Stopping.")
    assert theirs[-1] == stop and ours[-1] == stop
    # the same kinds of line, in the same order
    def shape(lines):
        return [line.split(" = ")[0].split(":")[0] for line in lines[:-1]]
    assert shape(ours)[:4] == shape(theirs)[:4]
    if early_stopping:
        assert ours[1].startswith("Validation score: ")
        float(ours[1].split(": ")[1])


def test_quiet_by_default(capsys, diabetes):
    _quiet_fit(MLPRegressor(**_fast(max_iter=3)), diabetes.X, diabetes.y)
    captured = capsys.readouterr()
    assert "Iteration" not in captured.out + captured.err


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_lbfgs_loss_is_the_fitted_models(kind):
    """loss_ after L-BFGS is the loss of the returned weights, not the start's."""
    from sklearn.metrics import log_loss, mean_squared_error

    if kind == "classification":
        X, y = make_classification(300, 6, random_state=0)
        model = MLPClassifier(solver="lbfgs", max_iter=50, alpha=0.0,
                              random_state=0)
        loss = lambda m: log_loss(y, m.predict_proba(X))  # noqa: E731
    else:
        X, y = make_regression(300, 6, random_state=0)
        y = y / 100
        model = MLPRegressor(solver="lbfgs", max_iter=50, alpha=0.0,
                             random_state=0)
        loss = lambda m: mean_squared_error(y, m.predict(X)) / 2  # noqa: E731
    _quiet_fit(model, X, y)
    assert model.loss_ == pytest.approx(loss(model), rel=1e-5)
    assert model.best_loss_ == model.loss_ == model.loss_curve_[-1]
