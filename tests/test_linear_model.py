"""GDRegressor and GDClassifier: the solver/schedule/penalty grid, the public
API, weights, input types and every bad input of DESIGN.md §1.2."""

import pickle
import warnings

import joblib
import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.class_weight import compute_class_weight

from skopt_est import GDClassifier, GDRegressor

SOLVERS = ["sgd", "adam", "adamw", "rmsprop", "adagrad", "lbfgs"]
EPOCH_SCHEDULES = ["constant", "invscaling", "adaptive", "linear", "exponential",
                   "step", "cosine", "restarts", "warm_restarts"]
PENALTIES = [None, "l2", "l1", "elasticnet"]
FAST = dict(tol=None, random_state=0)


# --------------------------------------------------------------- the grid
@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_regressor(diabetes, solver):
    model = GDRegressor(solver=solver, batch_size=32, max_iter=30,
                        learning_rate="constant", eta0=0.02,
                        **FAST).fit(diabetes.X, diabetes.y)
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_classifier(iris, solver):
    model = GDClassifier(loss="log_loss", solver=solver, batch_size=16,
                         max_iter=30, learning_rate="constant", eta0=0.1,
                         **FAST).fit(iris.X, iris.y)
    assert model.score(iris.X_test, iris.y_test) > 0.8


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_momentum_and_nesterov(diabetes, solver):
    model = GDRegressor(solver=solver, momentum=0.9, nesterovs_momentum=True,
                        batch_size=32, max_iter=20, learning_rate="constant",
                        eta0=0.005, **FAST).fit(diabetes.X, diabetes.y)
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


@pytest.mark.parametrize("learning_rate", EPOCH_SCHEDULES)
def test_every_schedule_regressor(diabetes, learning_rate):
    model = GDRegressor(learning_rate=learning_rate, eta0=0.05, batch_size=32,
                        max_iter=20, step_size=5, **FAST).fit(diabetes.X,
                                                              diabetes.y)
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


@pytest.mark.parametrize("learning_rate", EPOCH_SCHEDULES + ["optimal"])
def test_every_schedule_classifier(breast_cancer, learning_rate):
    model = GDClassifier(learning_rate=learning_rate, eta0=0.05, batch_size=16,
                         max_iter=10, step_size=3, **FAST).fit(breast_cancer.X,
                                                               breast_cancer.y)
    assert model.score(breast_cancer.X_test, breast_cancer.y_test) > 0.92


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("penalty", PENALTIES)
def test_every_penalty(breast_cancer, solver, penalty):
    model = GDClassifier(loss="log_loss", penalty=penalty, alpha=1e-3,
                         solver=solver, learning_rate="constant", eta0=0.01,
                         batch_size=16, max_iter=10, **FAST)
    model.fit(breast_cancer.X, breast_cancer.y)
    assert model.score(breast_cancer.X_test, breast_cancer.y_test) > 0.92


@pytest.mark.parametrize("loss", ["squared_error", "huber", "epsilon_insensitive",
                                  "squared_epsilon_insensitive"])
def test_every_regression_loss(diabetes, loss):
    model = GDRegressor(loss=loss, batch_size=16, max_iter=20, eta0=0.05,
                        learning_rate="constant", **FAST).fit(diabetes.X,
                                                              diabetes.y)
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


@pytest.mark.parametrize("loss", ["hinge", "log_loss", "modified_huber",
                                  "squared_hinge", "perceptron"])
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_every_classification_loss(request, dataset, loss):
    data = request.getfixturevalue(dataset)
    model = GDClassifier(loss=loss, batch_size=16, max_iter=30, eta0=0.2,
                         learning_rate="constant", **FAST).fit(data.X, data.y)
    assert model.score(data.X_test, data.y_test) > (
        0.8 if dataset == "iris" else 0.92)


def test_no_intercept(diabetes):
    model = GDRegressor(fit_intercept=False, batch_size=32, max_iter=3,
                        **FAST).fit(diabetes.X, diabetes.y + 5)
    np.testing.assert_array_equal(model.intercept_, [0.0])
    assert model.module_.linear.bias is None


# ------------------------------------------------------------ fitted shapes
def test_regressor_attributes(diabetes):
    model = GDRegressor(batch_size=32, max_iter=3, **FAST).fit(diabetes.X,
                                                               diabetes.y)
    assert model.coef_.shape == (10,) and model.intercept_.shape == (1,)
    assert isinstance(model.coef_, np.ndarray)
    assert model.n_features_in_ == 10 and model.n_iter_ == 3
    assert isinstance(model.module_, torch.nn.Module)
    prediction = model.predict(diabetes.X_test)
    assert prediction.shape == (len(diabetes.y_test),)
    np.testing.assert_allclose(prediction, diabetes.X_test @ model.coef_
                               + model.intercept_, rtol=1e-10)


def test_multi_output_regression(multi_output):
    X, y = multi_output
    model = GDRegressor(batch_size=16, max_iter=20, eta0=0.05,
                        learning_rate="constant", **FAST).fit(X, y)
    assert model.coef_.shape == (3, 6) and model.intercept_.shape == (3,)
    prediction = model.predict(X)
    assert prediction.shape == (len(X), 3)
    np.testing.assert_allclose(prediction, X @ model.coef_.T + model.intercept_,
                               rtol=1e-10)
    assert model.score(X, y) > 0.99
    column = GDRegressor(batch_size=16, max_iter=2, **FAST).fit(X, y[:, :1])
    assert column.coef_.shape == (1, 6) and column.predict(X).shape == (len(X), 1)


def test_binary_classifier_shapes(breast_cancer):
    model = GDClassifier(loss="log_loss", batch_size=16, max_iter=3,
                         **FAST).fit(breast_cancer.X, breast_cancer.y)
    X = breast_cancer.X_test
    assert model.coef_.shape == (1, 30) and model.intercept_.shape == (1,)
    decision = model.decision_function(X)
    assert decision.shape == (len(X),)
    np.testing.assert_allclose(decision, X @ model.coef_[0] + model.intercept_[0],
                               rtol=1e-10)
    np.testing.assert_array_equal(model.predict(X), (decision > 0).astype(int))
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-decision)), rtol=1e-10)


def test_multiclass_classifier_shapes(iris):
    model = GDClassifier(batch_size=16, max_iter=3, **FAST).fit(iris.X, iris.y)
    decision = model.decision_function(iris.X_test)
    assert model.coef_.shape == (3, 4) and model.intercept_.shape == (3,)
    assert decision.shape == (len(iris.X_test), 3)
    np.testing.assert_array_equal(model.predict(iris.X_test),
                                  model.classes_[decision.argmax(1)])


@pytest.mark.parametrize("loss", ["log_loss", "modified_huber"])
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_predict_proba(request, dataset, loss):
    data = request.getfixturevalue(dataset)
    model = GDClassifier(loss=loss, batch_size=16, max_iter=5, eta0=0.01,
                         learning_rate="constant", **FAST).fit(data.X, data.y)
    proba = model.predict_proba(data.X_test)
    assert proba.shape == (len(data.X_test), len(model.classes_))
    assert np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(model.classes_[proba.argmax(1)],
                                  model.predict(data.X_test))
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(model.predict_log_proba(data.X_test),
                                   np.log(proba))


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge", "perceptron"])
def test_no_predict_proba_for_margin_losses(iris, loss):
    model = GDClassifier(loss=loss, max_iter=3, **FAST)
    assert not hasattr(model, "predict_proba")
    assert not hasattr(model, "predict_log_proba")
    model.fit(iris.X, iris.y)
    assert not hasattr(model, "predict_proba")
    with pytest.raises(AttributeError):
        model.predict_proba(iris.X)
    assert hasattr(GDClassifier(loss="log_loss"), "predict_proba")
    assert hasattr(GDClassifier(loss="modified_huber"), "predict_proba")


def test_string_labels(iris):
    names = np.array(["setosa", "versicolor", "virginica"])
    model = GDClassifier(loss="log_loss", batch_size=16, max_iter=10,
                         **FAST).fit(iris.X, names[iris.y])
    np.testing.assert_array_equal(model.classes_, names)
    prediction = model.predict(iris.X_test)
    assert prediction.dtype.kind == "U"
    assert np.mean(prediction == names[iris.y_test]) > 0.85
    binary = GDClassifier(batch_size=16, max_iter=3, **FAST).fit(
        iris.X[iris.y > 0], names[iris.y[iris.y > 0]])
    assert set(binary.predict(iris.X_test)) <= {"versicolor", "virginica"}


# ------------------------------------------------------------ dtypes, inputs
@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_float32_trains_in_float32(iris, Estimator):
    X = iris.X.astype(np.float32)
    model = Estimator(batch_size=16, max_iter=3, **FAST).fit(X, iris.y)
    assert all(p.dtype == torch.float32 for p in model.module_.parameters())
    assert model.coef_.dtype == np.float32
    # float64 input at predict is cast to the module's dtype
    np.testing.assert_allclose(model.predict(iris.X_test),
                               model.predict(iris.X_test.astype(np.float32)))


def test_integer_input_trains_in_float64(iris):
    X = np.round(iris.X * 10).astype(np.int64)
    model = GDClassifier(batch_size=16, max_iter=2, **FAST).fit(X, iris.y)
    assert next(model.module_.parameters()).dtype == torch.float64


def test_pandas_and_lists(iris):
    pandas = pytest.importorskip("pandas")
    columns = ["sepal_l", "sepal_w", "petal_l", "petal_w"]
    frame = pandas.DataFrame(iris.X, columns=columns)
    model = GDClassifier(batch_size=16, max_iter=3, **FAST).fit(
        frame, pandas.Series(iris.y))
    np.testing.assert_array_equal(model.feature_names_in_, columns)
    reference = GDClassifier(batch_size=16, max_iter=3, **FAST).fit(iris.X, iris.y)
    np.testing.assert_array_equal(model.coef_, reference.coef_)
    listed = GDClassifier(batch_size=16, max_iter=3, **FAST).fit(
        iris.X.tolist(), iris.y.tolist())
    np.testing.assert_array_equal(listed.coef_, reference.coef_)
    assert not hasattr(reference, "feature_names_in_")


def test_sparse_close_to_dense(diabetes):
    params = dict(batch_size=16, max_iter=5, **FAST)
    dense = GDRegressor(**params).fit(diabetes.X, diabetes.y)
    sparse = GDRegressor(**params).fit(sp.csr_matrix(diabetes.X), diabetes.y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-9, atol=1e-12)
    assert sparse.score(sp.csr_matrix(diabetes.X_test), diabetes.y_test) == (
        pytest.approx(dense.score(diabetes.X_test, diabetes.y_test)))


# ----------------------------------------------------------------- weights
# As scikit-learn's SGD, a sample's weight multiplies its step (the batch's
# weighted loss is divided by its row count): a full batch with weights w
# steps as the rows repeated w times at eta0 * sum(w) / n_samples.
def _full_batch(eta0):
    return dict(batch_size=None, max_iter=20, learning_rate="constant",
                penalty=None, eta0=eta0, **FAST)


def test_zero_sample_weight_equals_dropping_rows_full_batch(diabetes):
    weight = np.ones(len(diabetes.y))
    weight[::3] = 0.0
    weighted = GDRegressor(**_full_batch(0.1)).fit(diabetes.X, diabetes.y,
                                                   sample_weight=weight)
    kept = weight > 0
    dropped = GDRegressor(**_full_batch(0.1 * kept.mean())).fit(
        diabetes.X[kept], diabetes.y[kept])
    np.testing.assert_allclose(weighted.coef_, dropped.coef_, rtol=1e-10)


def test_integer_sample_weight_equals_repeating_rows_full_batch(diabetes):
    weight = np.where(np.arange(len(diabetes.y)) % 2 == 0, 2.0, 1.0)
    weighted = GDRegressor(**_full_batch(0.1)).fit(diabetes.X, diabetes.y,
                                                   sample_weight=weight)
    repeated = np.repeat(np.arange(len(diabetes.y)), weight.astype(int))
    dup = GDRegressor(**_full_batch(0.1 * weight.mean())).fit(
        diabetes.X[repeated], diabetes.y[repeated])
    np.testing.assert_allclose(weighted.coef_, dup.coef_, rtol=1e-10)


def test_sample_weight_scales_the_step(diabetes):
    # scikit-learn's SGD: weights of 3 are a three times larger rate
    params = dict(batch_size=1, max_iter=3, learning_rate="constant",
                  penalty=None, shuffle=False, **FAST)
    weighted = GDRegressor(eta0=0.001, **params).fit(
        diabetes.X, diabetes.y, sample_weight=np.full(len(diabetes.y), 3.0))
    faster = GDRegressor(eta0=0.003, **params).fit(diabetes.X, diabetes.y)
    np.testing.assert_allclose(weighted.coef_, faster.coef_, rtol=1e-10)


def test_sample_weight_moves_the_fit(breast_cancer):
    X, y = breast_cancer.X, breast_cancer.y
    params = dict(loss="log_loss", batch_size=16, max_iter=5, **FAST)
    plain = GDClassifier(**params).fit(X, y)
    heavy = GDClassifier(**params).fit(X, y, sample_weight=np.where(y == 0, 20.0, 1.0))
    test = breast_cancer.X_test
    assert (heavy.predict(test) == 0).sum() > (plain.predict(test) == 0).sum()
    np.testing.assert_array_equal(
        GDClassifier(**params).fit(X, y, sample_weight=np.ones(len(y))).coef_,
        plain.coef_)


def test_class_weight_dict_equals_sample_weight(breast_cancer):
    X, y = breast_cancer.X, breast_cancer.y
    params = dict(loss="hinge", batch_size=16, max_iter=5, **FAST)
    by_class = GDClassifier(class_weight={0: 5.0, 1: 1.0}, **params).fit(X, y)
    by_sample = GDClassifier(**params).fit(X, y,
                                           sample_weight=np.where(y == 0, 5.0, 1.0))
    np.testing.assert_allclose(by_class.coef_, by_sample.coef_, rtol=1e-12)
    plain = GDClassifier(**params).fit(X, y)
    test = breast_cancer.X_test
    assert (by_class.predict(test) == 0).sum() >= (plain.predict(test) == 0).sum()
    assert not np.allclose(by_class.coef_, plain.coef_)


def test_class_weight_balanced(iris):
    keep = np.r_[0:40, 40:60, 80:100]  # 40 / ~20 / ~20, unbalanced
    X, y = iris.X[keep], iris.y[keep]
    params = dict(loss="log_loss", batch_size=8, max_iter=3, **FAST)
    balanced = GDClassifier(class_weight="balanced", **params).fit(X, y)
    weights = compute_class_weight("balanced", classes=np.unique(y), y=y)
    manual = GDClassifier(**params).fit(X, y, sample_weight=weights[y])
    np.testing.assert_allclose(balanced.coef_, manual.coef_, rtol=1e-12)


# scikit-learn's one-vs-all class weights on the torch path: head k weighs
# its class by class_weight[k] and the rest by 1 (the compiled kernel, which
# is scikit-learn's SGD, is switched off)
_PER_SAMPLE = dict(batch_size=1, shuffle=False, learning_rate="constant",
                   eta0=0.01, max_iter=4, tol=None, random_state=0)


def _torch_path(monkeypatch):
    from skopt_est._engine.kernel.compiled import DISABLE_ENV
    monkeypatch.setenv(DISABLE_ENV, "1")


@pytest.mark.parametrize("loss", ["hinge", "modified_huber", "squared_error"])
@pytest.mark.parametrize("class_weight", [{0: 3.0, 1: 0.5, 2: 1.5}, "balanced"])
def test_one_vs_all_class_weights_are_sklearns_on_torch_path(
        iris, monkeypatch, loss, class_weight):
    from sklearn.linear_model import SGDClassifier
    _torch_path(monkeypatch)
    # unbalanced (37 / 15 / 25 rows), so that 'balanced' matters
    keep = np.sort(np.r_[np.flatnonzero(iris.y == 0),
                         np.flatnonzero(iris.y == 1)[:15],
                         np.flatnonzero(iris.y == 2)[:25]])
    X, y = iris.X[keep], iris.y[keep]
    weight = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    params = dict(loss=loss, class_weight=class_weight, **_PER_SAMPLE)
    ours = GDClassifier(**params).fit(X, y, sample_weight=weight)
    params.pop("batch_size")
    theirs = SGDClassifier(**params).fit(X, y, sample_weight=weight)
    # the joint weighting (every head sw * cw[row's class]) is 0.1-1 away
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10,
                               atol=1e-12)


def test_one_vs_all_class_weights_per_head_in_mini_batches(iris, monkeypatch):
    """Each head of a weighted 3-class fit is the binary fit of its class
    against the rest, weighted class_weight[k] against 1."""
    _torch_path(monkeypatch)
    class_weight = {0: 3.0, 1: 0.5, 2: 1.5}
    params = dict(_PER_SAMPLE, batch_size=8, loss="squared_hinge")
    joint = GDClassifier(class_weight=class_weight, **params).fit(iris.X, iris.y)
    for k, weight in class_weight.items():
        alone = GDClassifier(class_weight={False: 1.0, True: weight},
                             **params).fit(iris.X, iris.y == k)
        np.testing.assert_allclose(joint.coef_[k], alone.coef_[0], rtol=1e-12,
                                   atol=1e-14)


def test_multinomial_class_weight_weighs_rows(iris, monkeypatch):
    """One softmax model: each row weighs its class's weight, as
    LogisticRegression (the one-vs-all rule does not apply)."""
    _torch_path(monkeypatch)
    class_weight = {0: 3.0, 1: 0.5, 2: 1.5}
    params = dict(_PER_SAMPLE, loss="log_loss", batch_size=8)
    by_class = GDClassifier(class_weight=class_weight, **params).fit(iris.X, iris.y)
    rows = np.array([class_weight[c] for c in iris.y])
    by_row = GDClassifier(**params).fit(iris.X, iris.y, sample_weight=rows)
    np.testing.assert_allclose(by_class.coef_, by_row.coef_, rtol=1e-12)


def test_partial_fit_class_weights_are_sklearns_on_torch_path(iris, monkeypatch):
    from sklearn.linear_model import SGDClassifier
    _torch_path(monkeypatch)
    params = dict(_PER_SAMPLE, class_weight={0: 3.0, 1: 0.5, 2: 1.5})
    del params["max_iter"], params["tol"]
    ours = GDClassifier(**params)
    params.pop("batch_size")
    theirs = SGDClassifier(**params)
    for chunk in np.array_split(np.arange(len(iris.y)), 3):
        ours.partial_fit(iris.X[chunk], iris.y[chunk], classes=[0, 1, 2])
        theirs.partial_fit(iris.X[chunk], iris.y[chunk], classes=[0, 1, 2])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10, atol=1e-12)
    assert ours.t_ == theirs.t_


@pytest.mark.parametrize("batch_size", ["auto", 16])
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("Ours,Theirs", [("GDClassifier", "SGDClassifier"),
                                         ("GDRegressor", "SGDRegressor")])
def test_t_counts_as_sklearn(iris, diabetes, Ours, Theirs, early_stopping,
                             batch_size):
    """t_ = n_iter_ * X.shape[0] + 1 per fit, the validation rows included,
    on the kernel path ('auto', where n_iter_ is scikit-learn's too) and
    the torch path (batches of 16); partial_fit adds to it."""
    import sklearn.linear_model

    data = iris if Ours == "GDClassifier" else diabetes
    X, y = data.X, data.y
    params = dict(early_stopping=early_stopping, max_iter=8, tol=1e-3,
                  random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = globals()[Ours](batch_size=batch_size, **params).fit(X, y)
        theirs = getattr(sklearn.linear_model, Theirs)(**params).fit(X, y)
    assert ours.t_ == ours.n_iter_ * len(y) + 1
    if batch_size == "auto":
        assert (ours.n_iter_, ours.t_) == (theirs.n_iter_, theirs.t_)
    fit_t = ours.t_
    kwargs = {"classes": np.unique(y)} if Ours == "GDClassifier" else {}
    ours.set_params(early_stopping=False).partial_fit(X[:50], y[:50], **kwargs)
    assert ours.t_ == fit_t + 50
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours.set_params(warm_start=True).fit(X, y)  # counts from 1 again
    assert ours.t_ == ours.n_iter_ * len(y) + 1


# -------------------------------------------------------- partial_fit / pickle
def test_partial_fit_classes_subset_on_first_call(iris):
    model = GDClassifier(loss="log_loss", batch_size=8, **FAST)
    first = iris.y < 2
    model.partial_fit(iris.X[first], iris.y[first], classes=[0, 1, 2])
    np.testing.assert_array_equal(model.classes_, [0, 1, 2])
    assert model.coef_.shape == (3, 4)
    model.partial_fit(iris.X, iris.y)
    assert model.n_iter_ == 2


def test_regressor_partial_fit(diabetes):
    model = GDRegressor(batch_size=32, **FAST)
    for _ in range(3):
        model.partial_fit(diabetes.X, diabetes.y)
    assert model.n_iter_ == 3 and model.t_ == 3 * len(diabetes.y) + 1


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
@pytest.mark.parametrize("dumps, loads", [(pickle.dumps, pickle.loads),
                                          (None, None)])
def test_pickle_round_trip(tmp_path, iris, Estimator, dumps, loads):
    model = Estimator(batch_size=16, max_iter=3, **FAST).fit(iris.X, iris.y)
    if dumps is None:
        joblib.dump(model, tmp_path / "model.joblib")
        restored = joblib.load(tmp_path / "model.joblib")
    else:
        restored = loads(dumps(model))
    np.testing.assert_array_equal(restored.predict(iris.X_test),
                                  model.predict(iris.X_test))
    np.testing.assert_array_equal(restored.coef_, model.coef_)
    assert restored.get_params() == model.get_params()


# ------------------------------------------------------------- bad input
def _nan(X):
    X = X.copy()
    X[3, 1] = np.nan
    return X


def _inf(X):
    X = X.copy()
    X[3, 1] = np.inf
    return X


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
@pytest.mark.parametrize("corrupt, message", [(_nan, "NaN"), (_inf, "infinity")])
def test_nan_inf_in_X(iris, Estimator, corrupt, message):
    with pytest.raises(ValueError, match=message):
        Estimator(max_iter=2).fit(corrupt(iris.X), iris.y)
    model = Estimator(max_iter=2, **FAST).fit(iris.X, iris.y)
    with pytest.raises(ValueError, match=message):
        model.predict(corrupt(iris.X))


def test_nan_in_y(diabetes):
    y = diabetes.y.copy()
    y[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GDRegressor(max_iter=2).fit(diabetes.X, y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_wrong_feature_count(iris, Estimator):
    model = Estimator(max_iter=2, **FAST).fit(iris.X, iris.y)
    with pytest.raises(ValueError, match="3 features.*expecting 4"):
        model.predict(iris.X[:, :3])
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(iris.X[:, :3], iris.y)


def test_one_class_only(iris):
    with pytest.raises(ValueError, match="greater than one"):
        GDClassifier().fit(iris.X[:10], np.zeros(10))


def test_continuous_y_for_classifier(diabetes):
    with pytest.raises(ValueError, match="Unknown label type"):
        GDClassifier(max_iter=2).fit(diabetes.X, diabetes.y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_negative_sample_weight(iris, Estimator):
    weight = np.ones(len(iris.y))
    weight[5] = -1.0
    with pytest.raises(ValueError, match="[Nn]egative"):
        Estimator(max_iter=2).fit(iris.X, iris.y, sample_weight=weight)


def test_sample_weight_wrong_length(iris):
    with pytest.raises(ValueError, match="sample_weight"):
        GDClassifier(max_iter=2).fit(iris.X, iris.y, sample_weight=np.ones(3))


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
@pytest.mark.parametrize("param, value", [
    ("solver", "newton"), ("learning_rate", "sometimes"), ("penalty", "l3"),
    ("alpha", -1.0), ("l1_ratio", 1.5), ("eta0", 0.0), ("eta0", -0.1),
    ("max_iter", 0), ("batch_size", 0), ("batch_size", "big"), ("gamma", 0.0),
    ("gamma", 1.5), ("step_size", 0), ("dropout", 1.0), ("dropout", -0.1),
    ("momentum", 1.5), ("validation_fraction", 1.0), ("n_iter_no_change", 0),
    ("tol", -1.0), ("epsilon", -0.1), ("average", -1), ("beta_1", 1.0),
    ("device", 3), ("loss", "nope"),
])
def test_bad_parameter_values(iris, Estimator, param, value):
    model = Estimator(**{param: value})  # never raises at __init__
    with pytest.raises(ValueError, match=f"'{param}' parameter"):
        model.fit(iris.X, iris.y)


def test_bad_class_weight(iris):
    with pytest.raises(ValueError, match="'class_weight' parameter"):
        GDClassifier(class_weight="uniform").fit(iris.X, iris.y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_unknown_device_name(iris, Estimator):
    with pytest.raises(ValueError, match="device='gpu'"):
        Estimator(device="gpu").fit(iris.X, iris.y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_elasticnet_without_l1_ratio(iris, Estimator):
    with pytest.raises(ValueError,
                       match="l1_ratio must be set when penalty is 'elasticnet'"):
        Estimator(penalty="elasticnet", l1_ratio=None).fit(iris.X, iris.y)
    Estimator(penalty="l2", l1_ratio=None, max_iter=1, **FAST).fit(iris.X, iris.y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_optimal_with_zero_alpha(iris, Estimator):
    with pytest.raises(ValueError, match="alpha=0.*optimal"):
        Estimator(learning_rate="optimal", alpha=0).fit(iris.X, iris.y)


def test_partial_fit_without_classes_on_first_call(iris):
    with pytest.raises(ValueError, match="classes must be passed"):
        GDClassifier().partial_fit(iris.X, iris.y)


def test_partial_fit_with_new_label(iris):
    model = GDClassifier(**FAST)
    model.partial_fit(iris.X[iris.y < 2], iris.y[iris.y < 2], classes=[0, 1])
    with pytest.raises(ValueError, match="not in classes"):
        model.partial_fit(iris.X, iris.y)
    with pytest.raises(ValueError, match="differs from the classes"):
        model.partial_fit(iris.X, iris.y, classes=[0, 1, 2])


def test_class_weight_balanced_with_partial_fit(iris):
    from sklearn.linear_model import SGDClassifier
    errors = []
    for model in (GDClassifier(class_weight="balanced"),
                  SGDClassifier(class_weight="balanced")):
        with pytest.raises(ValueError, match="balanced.*partial_fit") as error:
            model.partial_fit(iris.X, iris.y, classes=[0, 1, 2])
        errors.append(str(error.value))
    assert errors[0] == errors[1]  # scikit-learn's words


def test_warm_start_with_different_n_outputs(multi_output):
    X, y = multi_output
    model = GDRegressor(warm_start=True, max_iter=2, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="outputs"):
        model.fit(X, y[:, :2])


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_predict_before_fit(iris, Estimator):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Estimator().predict(iris.X)
