"""The parts of scikit-learn's SGD API that GDClassifier/GDRegressor mirror.

``n_jobs``, ``coef_init``/``intercept_init``, warm start as a fit from the
previous weights, ``sparsify``/``densify``, the regression losses on the
classifier, ``loss_functions`` and ``LinearClassifierMixin``.
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import (
    check_class_weight_balanced_linear_classifier,
    check_sparsify_coefficients,
)

from skopt_est import GDClassifier, GDRegressor

FAST = dict(max_iter=5, tol=None, random_state=0)


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(n_samples=120, centers=3, random_state=0)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def regression(blobs):
    X, y = blobs
    return X, X @ np.array([1.5, -2.0]) + 0.5


def test_n_jobs_is_accepted_and_changes_nothing(blobs):
    X, y = blobs
    serial = GDClassifier(**FAST).fit(X, y)
    parallel = GDClassifier(n_jobs=-1, **FAST).fit(X, y)
    np.testing.assert_array_equal(parallel.coef_, serial.coef_)
    assert GDClassifier(n_jobs=2).get_params()["n_jobs"] == 2


def test_n_jobs_is_validated(blobs):
    with pytest.raises(ValueError, match="n_jobs"):
        GDClassifier(n_jobs="all").fit(*blobs)


@pytest.mark.parametrize("Estimator", [GDClassifier, GDRegressor])
def test_coef_init_is_the_starting_point(Estimator, blobs, regression):
    X, y = blobs if Estimator is GDClassifier else regression
    n_outputs = 3 if Estimator is GDClassifier else 1
    coef_init = np.arange(n_outputs * 2, dtype=float).reshape(n_outputs, 2)
    intercept_init = np.full(n_outputs, 0.25)
    # a learning rate of 1e-12 leaves the weights where they started
    model = Estimator(learning_rate="constant", eta0=1e-12, **FAST)
    model.fit(X, y, coef_init=coef_init, intercept_init=intercept_init)
    np.testing.assert_allclose(np.atleast_2d(model.coef_), coef_init, atol=1e-8)
    np.testing.assert_allclose(model.intercept_, intercept_init, atol=1e-8)


@pytest.mark.parametrize("Estimator", [GDClassifier, GDRegressor])
def test_coef_init_changes_the_fit(Estimator, blobs, regression):
    X, y = blobs if Estimator is GDClassifier else regression
    n_outputs = 3 if Estimator is GDClassifier else 1
    plain = Estimator(**FAST).fit(X, y)
    started = Estimator(**FAST).fit(X, y, coef_init=np.full((n_outputs, 2), 5.0))
    assert not np.allclose(started.coef_, plain.coef_)


def test_coef_init_of_a_binary_problem_is_one_row_or_flat():
    X, y = make_blobs(n_samples=60, centers=2, random_state=0)
    params = dict(learning_rate="constant", eta0=1e-12, **FAST)
    flat = GDClassifier(**params).fit(X, y, coef_init=[1.0, 2.0], intercept_init=3.0)
    row = GDClassifier(**params).fit(X, y, coef_init=[[1.0, 2.0]],
                                     intercept_init=[3.0])
    np.testing.assert_allclose(flat.coef_, [[1.0, 2.0]], atol=1e-8)
    np.testing.assert_allclose(row.coef_, flat.coef_)
    np.testing.assert_allclose(flat.intercept_, [3.0], atol=1e-8)


@pytest.mark.parametrize("init", [dict(coef_init=np.zeros((2, 2))),
                                  dict(intercept_init=np.zeros(2))])
def test_init_of_the_wrong_shape_raises_and_leaves_the_model(init, blobs):
    model = GDClassifier(**FAST)
    with pytest.raises(ValueError, match="does not match dataset"):
        model.fit(*blobs, **init)
    assert not hasattr(model, "coef_")


def test_intercept_init_without_an_intercept_raises(regression):
    with pytest.raises(ValueError, match="fit_intercept=False"):
        GDRegressor(fit_intercept=False, **FAST).fit(*regression,
                                                      intercept_init=[1.0])


@pytest.mark.parametrize("Estimator", [GDClassifier, GDRegressor])
@pytest.mark.parametrize("learning_rate", ["optimal", "invscaling", "adaptive"])
def test_warm_start_is_a_fit_from_the_previous_weights(Estimator, learning_rate,
                                                       blobs, regression):
    X, y = blobs if Estimator is GDClassifier else regression
    params = dict(learning_rate=learning_rate, shuffle=False, **FAST)
    first = Estimator(**params).fit(X, y)
    warm = Estimator(warm_start=True, **params).fit(X, y).fit(X, y)
    explicit = Estimator(**params).fit(X, y, coef_init=first.coef_,
                                       intercept_init=first.intercept_)
    assert warm.t_ == explicit.t_ == first.t_
    assert warm.n_iter_ == FAST["max_iter"]
    np.testing.assert_allclose(warm.coef_, explicit.coef_, rtol=1e-10)
    np.testing.assert_allclose(warm.intercept_, explicit.intercept_, rtol=1e-10)


def test_partial_fit_still_continues_the_counters(regression):
    model = GDRegressor(**FAST).partial_fit(*regression)
    t_after_one = model.t_
    model.partial_fit(*regression)
    assert model.t_ == 2 * t_after_one - 1


@pytest.mark.parametrize("Estimator", [GDClassifier, GDRegressor])
def test_sparsify_and_densify(Estimator, blobs, regression):
    X, y = blobs if Estimator is GDClassifier else regression
    model = Estimator(penalty="l1", alpha=0.05, **FAST).fit(X, y)
    dense_coef, predictions = model.coef_.copy(), model.predict(X)
    assert model.sparsify() is model
    assert sp.issparse(model.coef_)
    np.testing.assert_array_equal(model.predict(X), predictions)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), predictions)
    assert model.densify() is model
    assert isinstance(model.coef_, np.ndarray)
    np.testing.assert_array_equal(model.coef_, dense_coef)


def test_warm_start_from_a_sparsified_model(regression):
    model = GDRegressor(warm_start=True, **FAST).fit(*regression).sparsify()
    model.fit(*regression)
    assert isinstance(model.coef_, np.ndarray)


def test_sparsify_needs_a_fitted_model():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GDClassifier().sparsify()


@pytest.mark.parametrize("loss", ["squared_error", "huber", "epsilon_insensitive",
                                  "squared_epsilon_insensitive"])
def test_classifier_takes_the_regression_losses(loss, blobs):
    X, y = blobs
    model = GDClassifier(loss=loss, learning_rate="constant", eta0=0.01,
                         alpha=0.01, max_iter=20, tol=None, random_state=0)
    model.fit(X, y)
    assert model.score(X, y) > 0.9
    assert not hasattr(model, "predict_proba")
    assert model.decision_function(X).shape == (len(y), 3)


def test_classifier_regression_loss_sums_over_heads(blobs):
    # each one-vs-all head is its own binary problem, as SGDClassifier's: the
    # heads of a 3-class fit train as three separate binary fits would
    X, y = blobs
    params = dict(loss="squared_error", learning_rate="constant", eta0=0.01,
                  shuffle=False, batch_size=1, **FAST)
    multiclass = GDClassifier(**params).fit(X, y)
    for index, label in enumerate(multiclass.classes_):
        binary = GDClassifier(**params).fit(X, np.where(y == label, 1, 0))
        np.testing.assert_allclose(multiclass.coef_[index], binary.coef_[0],
                                   rtol=1e-6)


@pytest.mark.parametrize("Ours, Theirs", [(GDClassifier, SGDClassifier),
                                          (GDRegressor, SGDRegressor)])
def test_loss_functions_lists_what_scikit_learn_accepts(Ours, Theirs):
    assert set(Ours.loss_functions) == set(Theirs.loss_functions)
    assert Ours.loss_functions["huber"][1] == Theirs.loss_functions["huber"][1]


@pytest.mark.parametrize("loss", sorted(GDClassifier.loss_functions))
def test_every_listed_classifier_loss_fits(loss, blobs):
    GDClassifier(loss=loss, learning_rate="constant", **FAST).fit(*blobs)


def test_classifier_is_a_linear_classifier():
    assert isinstance(GDClassifier(), LinearClassifierMixin)


def test_class_weight_balanced_check_runs_and_passes():
    estimator = GDClassifier(solver="adam", learning_rate="constant", eta0=0.05,
                             random_state=0)
    check_class_weight_balanced_linear_classifier("GDClassifier", estimator)


@pytest.mark.parametrize("Estimator", [GDClassifier, GDRegressor])
def test_sparsify_check_runs_and_passes(Estimator):
    check_sparsify_coefficients(Estimator.__name__, clone(Estimator(**FAST)))


def test_migrating_guide_lists_every_lasting_known_failure():
    """Each suite failure but the open ones is named in the migration guide."""
    from pathlib import Path

    from .test_sklearn_suite import KNOWN_FAILURES

    guide = Path(__file__).parents[1] / "docs" / "user_guide" / "migrating.rst"
    section = guide.read_text(encoding="utf-8").split(
        "Differences from scikit-learn\n-----"
    )[1]
    lasting = [
        test_id.split("::")[1]
        for test_id, reason in KNOWN_FAILURES.items()
        if not reason.startswith("open:")
    ]
    assert lasting
    missing = [name for name in lasting if f"``{name}``" not in section]
    assert not missing, missing


@pytest.mark.parametrize("Ours, Theirs, n_classes", [
    (GDClassifier, SGDClassifier, 2), (GDClassifier, SGDClassifier, 3),
    (GDRegressor, SGDRegressor, None),
])
def test_averaging_keeps_sklearns_two_weight_sets(Ours, Theirs, n_classes):
    X, y = make_blobs(120, 4, centers=n_classes or 2, random_state=0)
    if n_classes is None:
        y = X @ np.arange(1.0, 5.0)
    ours = Ours(average=True, random_state=0).fit(X, y)
    theirs = Theirs(average=True, random_state=0).fit(X, y)
    names = ["_standard_coef", "_average_coef", "_average_intercept"]
    if n_classes != 2:  # scikit-learn leaves a binary fit's at its initial 0
        names.append("_standard_intercept")
    for name in names:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name),
                                   rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(ours._average_coef, np.squeeze(ours.coef_))
    assert not np.allclose(ours._standard_coef, ours._average_coef)
    ours.set_params(average=False).fit(X, y)  # a plain refit drops them
    assert not hasattr(ours, "_standard_coef")
    assert not hasattr(ours, "_average_coef")
