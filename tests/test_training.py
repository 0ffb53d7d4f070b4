"""The epoch loop, through the estimators: batching, determinism, dropout,
stopping rules, divergence, averaging, continuation, verbosity."""

import math
import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skopt_est import GDClassifier, GDRegressor
from skopt_est._engine.losses import make_loss
from skopt_est._engine.spec import TrainingSpec
from skopt_est._engine.state import TrainingDiverged

FAST = dict(tol=None, random_state=0)


# ----------------------------------------------------------------- batching
@pytest.mark.parametrize("batch_size, updates_per_epoch", [
    (1, 331), (32, math.ceil(331 / 32)), (None, 1), (1000, 1)])
def test_updates_per_epoch(diabetes, batch_size, updates_per_epoch):
    assert len(diabetes.y) == 331
    model = GDRegressor(batch_size=batch_size, max_iter=2, learning_rate="constant",
                        eta0=0.001, **FAST).fit(diabetes.X, diabetes.y)
    assert model._training_state.n_updates == 2 * updates_per_epoch
    assert model.n_iter_ == 2
    assert model.t_ == 2 * len(diabetes.y) + 1
    assert len(model.loss_curve_) == 2


def test_auto_batch_size_is_per_sample_on_small_data(iris):
    model = GDClassifier(max_iter=1, **FAST).fit(iris.X, iris.y)
    assert model._training_state.n_updates == len(iris.y)


def test_lbfgs_is_full_batch(diabetes):
    model = GDRegressor(solver="lbfgs", batch_size=1, max_iter=20,
                        **FAST).fit(diabetes.X, diabetes.y)
    assert model._training_state.n_updates == 0  # no mini-batch steps
    assert model.t_ >= len(diabetes.y) + 1
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


@pytest.mark.parametrize("batch_size", [1, 16, None])
def test_every_batch_mode_trains(diabetes, batch_size):
    model = GDRegressor(batch_size=batch_size, learning_rate="constant",
                        eta0=0.01 if batch_size == 1 else 0.05,
                        max_iter=5 if batch_size == 1 else 40,
                        **FAST).fit(diabetes.X, diabetes.y)
    assert model.score(diabetes.X_test, diabetes.y_test) > 0.3


# -------------------------------------------------------------- determinism
@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_random_state_gives_bit_identical_repeats(iris, Estimator):
    params = dict(batch_size=8, dropout=0.2, max_iter=4, early_stopping=True,
                  n_iter_no_change=2, tol=1e-3, random_state=42)
    a = Estimator(**params).fit(iris.X, iris.y)
    b = Estimator(**params).fit(iris.X, iris.y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    assert a.loss_curve_ == b.loss_curve_


def test_random_state_instance_and_different_seeds(iris):
    params = dict(batch_size=8, max_iter=3, tol=None)
    a = GDClassifier(random_state=0, **params).fit(iris.X, iris.y)
    b = GDClassifier(random_state=1, **params).fit(iris.X, iris.y)
    assert not np.array_equal(a.coef_, b.coef_)
    c = GDClassifier(random_state=np.random.RandomState(0), **params)
    d = GDClassifier(random_state=np.random.RandomState(0), **params)
    np.testing.assert_array_equal(c.fit(iris.X, iris.y).coef_,
                                  d.fit(iris.X, iris.y).coef_)


def test_shuffle_false_is_order_dependent_only(iris):
    params = dict(batch_size=8, max_iter=3, shuffle=False, tol=None)
    a = GDClassifier(random_state=0, **params).fit(iris.X, iris.y)
    b = GDClassifier(random_state=1, **params).fit(iris.X, iris.y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_fit_leaves_torch_global_rng_alone(iris):
    torch.manual_seed(123)
    before = torch.get_rng_state()
    GDClassifier(dropout=0.3, batch_size=8, max_iter=2, **FAST).fit(iris.X, iris.y)
    assert torch.equal(torch.get_rng_state(), before)


# ------------------------------------------------------------------ dropout
def test_dropout_changes_training_not_prediction(diabetes):
    params = dict(batch_size=16, max_iter=5, learning_rate="constant", eta0=0.01,
                  **FAST)
    plain = GDRegressor(**params).fit(diabetes.X, diabetes.y)
    dropped = GDRegressor(dropout=0.3, **params).fit(diabetes.X, diabetes.y)
    assert not np.allclose(plain.coef_, dropped.coef_)
    first = dropped.predict(diabetes.X_test)
    np.testing.assert_array_equal(first, dropped.predict(diabetes.X_test))
    # Off at predict time: the prediction is the plain linear map.
    np.testing.assert_allclose(first, diabetes.X_test @ dropped.coef_
                               + dropped.intercept_, rtol=1e-10)
    assert dropped.score(diabetes.X_test, diabetes.y_test) > 0.3


# ------------------------------------------------------------ stopping rules
def test_convergence_warning_when_max_iter_too_small(diabetes):
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        GDRegressor(max_iter=2, tol=1e-3, batch_size=32,
                    random_state=0).fit(diabetes.X, diabetes.y)


def test_no_convergence_warning_without_tol(diabetes):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        GDRegressor(max_iter=2, batch_size=32, **FAST).fit(diabetes.X, diabetes.y)


def test_tol_stops_early(diabetes):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = GDRegressor(max_iter=200, tol=1e-3, n_iter_no_change=3,
                            batch_size=32, learning_rate="constant", eta0=0.01,
                            random_state=0).fit(diabetes.X, diabetes.y)
    assert model.n_iter_ < 200
    assert len(model.loss_curve_) == model.n_iter_
    assert model.best_loss_ == min(model.loss_curve_)


def test_adaptive_divides_lr_by_five_on_plateau(diabetes):
    # An lr this small never improves the loss by tol: every plateau cuts it.
    model = GDRegressor(learning_rate="adaptive", eta0=1e-3, tol=10.0,
                        n_iter_no_change=2, max_iter=6, batch_size=64,
                        random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(diabetes.X, diabetes.y)
    # The first epoch improves on +inf; epochs 3 and 5 end a 2-epoch plateau.
    assert model.n_iter_ == 6
    assert model._training_state.lr == pytest.approx(1e-3 / 5**2)


def _early_stopping_model(Estimator, data, **params):
    return Estimator(early_stopping=True, validation_fraction=0.2, max_iter=12,
                     tol=None, batch_size=4, learning_rate="constant", eta0=0.3,
                     random_state=0, **params).fit(data.X, data.y)


@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_early_stopping_records_validation_scores(Estimator, diabetes, iris):
    data = diabetes if Estimator is GDRegressor else iris
    model = _early_stopping_model(Estimator, data)
    assert len(model.validation_scores_) == model.n_iter_ == 12
    assert model.best_validation_score_ == max(model.validation_scores_)
    assert model.best_loss_ is None
    plain = Estimator(max_iter=2, **FAST).fit(data.X, data.y)
    assert plain.validation_scores_ is None
    assert plain.best_validation_score_ is None


def test_early_stopping_restores_best_weights(diabetes):
    model = _early_stopping_model(GDRegressor, diabetes)
    scores = model.validation_scores_
    assert np.argmax(scores) < len(scores) - 1, (
        "pick data where the last epoch is not the best")
    _, validation_rows = train_test_split(np.arange(len(diabetes.y)),
                                          test_size=0.2, random_state=0)
    held_out = model.score(diabetes.X[validation_rows], diabetes.y[validation_rows])
    assert held_out == pytest.approx(max(scores), abs=1e-10)


def test_early_stopping_classifier_split_is_stratified(iris):
    model = _early_stopping_model(GDClassifier, iris)
    _, validation_rows = train_test_split(np.arange(len(iris.y)), test_size=0.2,
                                          random_state=0, stratify=iris.y)
    held_out = model.score(iris.X[validation_rows], iris.y[validation_rows])
    assert held_out == pytest.approx(max(model.validation_scores_))


def test_early_stopping_with_tol_stops(diabetes):
    model = GDRegressor(early_stopping=True, n_iter_no_change=2, tol=1e-3,
                        max_iter=100, batch_size=16, learning_rate="constant",
                        eta0=0.05, random_state=0).fit(diabetes.X, diabetes.y)
    assert model.n_iter_ < 100


def test_early_stopping_too_few_samples():
    X = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match="validation_fraction"):
        GDClassifier(early_stopping=True, validation_fraction=0.1).fit(X, [0, 1, 0])


# --------------------------------------------------------------- divergence
@pytest.mark.parametrize("Estimator, lr_kwargs", [
    (GDRegressor, dict(learning_rate="constant", eta0=10.0)),
    (GDClassifier, dict(loss="squared_hinge", learning_rate="constant", eta0=10.0)),
])
def test_divergence_raises_naming_eta0(diabetes, Estimator, lr_kwargs):
    # clipped loss derivatives (as sklearn's SGD) keep X * 100 finite; at
    # this scale one clipped step already overflows the output
    X = diabetes.X * 1e160
    y = diabetes.y if Estimator is GDRegressor else diabetes.y > 0
    model = Estimator(batch_size=8, max_iter=5, **lr_kwargs, **FAST)
    with pytest.raises(ValueError, match="eta0") as info:
        model.fit(X, y)
    assert isinstance(info.value, TrainingDiverged)
    assert "diverged" in str(info.value)
    assert not hasattr(model, "coef_")


# ------------------------------------------------------------------ averaging
def test_average_is_the_mean_of_the_iterates(diabetes):
    """Full batch: one update per epoch, so the iterates are max_iter fits."""
    params = dict(batch_size=None, learning_rate="constant", eta0=0.1, **FAST)
    iterates = [GDRegressor(max_iter=k, **params).fit(diabetes.X, diabetes.y)
                for k in range(1, 6)]
    averaged = GDRegressor(max_iter=5, average=True, **params).fit(
        diabetes.X, diabetes.y)
    np.testing.assert_allclose(averaged.coef_,
                               np.mean([m.coef_ for m in iterates], axis=0),
                               rtol=1e-10)
    np.testing.assert_allclose(averaged.intercept_,
                               np.mean([m.intercept_ for m in iterates], axis=0),
                               rtol=1e-10, atol=1e-14)
    assert not np.allclose(averaged.coef_, iterates[-1].coef_)


def test_average_int_starts_later(diabetes):
    params = dict(batch_size=None, learning_rate="constant", eta0=0.1, **FAST)
    n = len(diabetes.y)
    iterates = [GDRegressor(max_iter=k, **params).fit(diabetes.X, diabetes.y)
                for k in range(3, 6)]
    late = GDRegressor(max_iter=5, average=3 * n, **params).fit(diabetes.X,
                                                                 diabetes.y)
    np.testing.assert_allclose(late.coef_,
                               np.mean([m.coef_ for m in iterates], axis=0),
                               rtol=1e-10)


def test_average_changes_coef_with_sgd(diabetes):
    params = dict(batch_size=8, max_iter=3, **FAST)
    plain = GDRegressor(**params).fit(diabetes.X, diabetes.y)
    averaged = GDRegressor(average=True, **params).fit(diabetes.X, diabetes.y)
    assert not np.allclose(plain.coef_, averaged.coef_)
    assert averaged.score(diabetes.X_test, diabetes.y_test) > 0.3


# ------------------------------------------------------------- continuation
@pytest.mark.parametrize("solver", ["sgd"])
def test_warm_start_restarts_the_schedule_from_the_weights(diabetes, solver):
    # as in scikit-learn, a warm start is a fit from the previous coef_ and
    # intercept_: schedule and counters restart (partial_fit continues them)
    params = dict(solver=solver, batch_size=32, learning_rate="invscaling",
                  eta0=0.02, max_iter=3, **FAST)
    first = GDRegressor(**params).fit(diabetes.X, diabetes.y)
    explicit = GDRegressor(**params).fit(diabetes.X, diabetes.y,
                                         coef_init=first.coef_,
                                         intercept_init=first.intercept_)
    twice = GDRegressor(warm_start=True, **params)
    twice.fit(diabetes.X, diabetes.y).fit(diabetes.X, diabetes.y)
    assert twice.n_iter_ == 3
    np.testing.assert_allclose(twice.coef_, explicit.coef_, rtol=1e-12)
    assert twice.loss_curve_ == pytest.approx(explicit.loss_curve_, rel=1e-12)


def test_warm_start_applies_changed_hyperparameters(diabetes):
    params = dict(solver="adam", batch_size=32, learning_rate="constant", **FAST)
    model = GDRegressor(max_iter=3, warm_start=True, eta0=0.01, **params)
    start = model.fit(diabetes.X, diabetes.y).coef_.copy()
    frozen = GDRegressor(max_iter=3, warm_start=True, eta0=0.01, **params)
    frozen.fit(diabetes.X, diabetes.y)
    model.set_params(eta0=1e-12).fit(diabetes.X, diabetes.y)
    frozen.fit(diabetes.X, diabetes.y)
    np.testing.assert_allclose(model.coef_, start, atol=1e-9)
    assert not np.allclose(frozen.coef_, start, atol=1e-9)


def test_no_warm_start_restarts(diabetes):
    model = GDRegressor(max_iter=3, batch_size=32, **FAST)
    first = model.fit(diabetes.X, diabetes.y).coef_.copy()
    np.testing.assert_array_equal(model.fit(diabetes.X, diabetes.y).coef_, first)
    assert model.n_iter_ == 3


@pytest.mark.parametrize("learning_rate", ["constant", "invscaling", "exponential",
                                           "step"])
def test_partial_fit_equals_fit_epoch_by_epoch(diabetes, learning_rate):
    params = dict(batch_size=32, learning_rate=learning_rate, eta0=0.02,
                  step_size=2, **FAST)
    fitted = GDRegressor(max_iter=3, **params).fit(diabetes.X, diabetes.y)
    model = GDRegressor(**params)
    for _ in range(3):
        model.partial_fit(diabetes.X, diabetes.y)
    assert model.n_iter_ == 3
    np.testing.assert_allclose(model.coef_, fitted.coef_, rtol=1e-12)


def test_partial_fit_continues_after_fit(iris):
    model = GDClassifier(loss="log_loss", max_iter=2, **FAST).fit(iris.X, iris.y)
    before = model.coef_.copy()
    model.partial_fit(iris.X, iris.y)
    assert model.n_iter_ == 3
    assert not np.array_equal(model.coef_, before)


def test_pickle_then_continue(iris):
    model = GDClassifier(loss="log_loss", batch_size=8, max_iter=2, **FAST)
    model.fit(iris.X, iris.y)
    restored = pickle.loads(pickle.dumps(model))
    model.partial_fit(iris.X, iris.y)
    restored.partial_fit(iris.X, iris.y)
    np.testing.assert_array_equal(restored.coef_, model.coef_)


# -------------------------------------------------------------------- verbose
def test_verbose_prints_each_epoch(capsys, diabetes):
    GDRegressor(verbose=1, max_iter=3, batch_size=64, **FAST).fit(diabetes.X,
                                                                  diabetes.y)
    out = capsys.readouterr().out
    # scikit-learn's SGD block (tests/test_messages.py checks it in full)
    assert [line for line in out.splitlines() if line.startswith("--")] == [
        "-- Epoch 1", "-- Epoch 2", "-- Epoch 3"]
    lines = [line for line in out.splitlines() if "Avg. loss" in line]
    assert len(lines) == 3
    for line in lines:
        float(line.split("Avg. loss: ")[1].split(",")[0])


def test_verbose_reports_validation_score(capsys, iris):
    GDClassifier(verbose=1, early_stopping=True, max_iter=2, batch_size=8,
                 **FAST).fit(iris.X, iris.y)
    assert "Validation score: " in capsys.readouterr().out


def test_quiet_by_default(capsys, diabetes):
    GDRegressor(max_iter=2, batch_size=64, **FAST).fit(diabetes.X, diabetes.y)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Iteration" not in captured.err


@pytest.mark.parametrize("solver, momentum", [("sgd", 0.0), ("adam", 0.0)])
def test_fast_update_matches_optimizer_step(solver, momentum):
    from skopt_est._engine.optim import make_optimizer
    from skopt_est._engine.step import fast_update

    def run(use_fast):
        generator = torch.Generator().manual_seed(0)
        params = [torch.randn(4, 3, generator=generator, requires_grad=True),
                  torch.randn(4, generator=generator, requires_grad=True)]
        spec = TrainingSpec(loss=make_loss("squared_error"), solver=solver,
                            lr=0.05, momentum=momentum)
        optimizer = make_optimizer(spec, [{"params": params, "weight_decay": 0.0}])
        update = (fast_update(optimizer, params, spec)
                  if use_fast else optimizer.step)
        for step in range(4):
            for param in params:
                param.grad = torch.full_like(param, 0.1 * (step + 1)) - param.detach()
            update()
        return [param.detach().clone() for param in params], optimizer.state_dict()

    fast, fast_state = run(True)
    slow, slow_state = run(False)
    for got, want in zip(fast, slow):
        torch.testing.assert_close(got, want)
    if solver == "adam":
        for key in ("exp_avg", "exp_avg_sq", "step"):
            torch.testing.assert_close(fast_state["state"][0][key],
                                       slow_state["state"][0][key])


# ------------------------------------------------ divergence as sklearn does
def test_badly_scaled_data_stays_finite():
    """Each sample's loss derivative is clipped at 1e12, as in sklearn's SGD,
    so features around 100 give huge but finite weights, not an overflow."""
    rng = np.random.RandomState(0)
    X = rng.normal(loc=100, size=(100, 2))
    y = rng.normal(size=100)
    model = GDRegressor(random_state=0).fit(X, y)
    assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.intercept_).all()
    assert np.abs(model.coef_).max() > 1e6  # it did blow up, within bounds


def test_overflow_message_has_sklearn_wording_and_the_hint(diabetes):
    model = GDRegressor(loss="huber", batch_size=8, learning_rate="constant",
                        eta0=1e300, max_iter=5, **FAST)
    with pytest.raises(ValueError, match="eta0") as info:
        model.fit(diabetes.X * 1e200, diabetes.y)
    assert "Floating-point under-/overflow occurred at epoch" in str(info.value)


def _first_rows_of_diabetes():
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    return (StandardScaler().fit_transform(X)[:200],
            ((y - y.mean()) / y.std())[:200])


def test_a_loss_that_climbs_for_epochs_is_divergence():
    X, y = _first_rows_of_diabetes()
    model = GDRegressor(batch_size=None, learning_rate="constant", eta0=0.5,
                        max_iter=300, tol=None)
    with pytest.raises(ValueError, match="diverged at epoch .* eta0=0.5"):
        model.fit(X, y)


def test_early_stopping_runs_into_overflow_and_keeps_its_best_weights(iris):
    """As scikit-learn's MLP (its test_mlp_diverging_loss): the patience
    has not run out when the loss overflows; the overflowed epoch is
    recorded with a NaN validation score, the best weights come back."""
    from skopt_est import MLPRegressor

    model = MLPRegressor(hidden_layer_sizes=100, activation="identity",
                         solver="sgd", learning_rate="constant",
                         learning_rate_init=1.0, max_iter=20,
                         early_stopping=True, n_iter_no_change=10,
                         random_state=0)
    with pytest.warns(ConvergenceWarning, match="under-/overflow.*best validation"):
        model.fit(iris.X, iris.y.astype(float))
    assert math.isnan(model.validation_scores_[-1])
    assert math.isfinite(model.validation_scores_[0])
    assert len(model.validation_scores_) == model.n_iter_ < 20
    assert model.best_validation_score_ == np.nanmax(model.validation_scores_)
    assert np.isfinite(model.predict(iris.X)).all()


def test_early_stopping_survives_divergence_with_its_best_weights():
    X, y = _first_rows_of_diabetes()
    model = GDRegressor(batch_size=None, learning_rate="constant", eta0=1.0,
                        max_iter=300, tol=None, early_stopping=True,
                        random_state=0)
    with pytest.warns(ConvergenceWarning, match="best validation score.*eta0=1"):
        model.fit(X, y)
    assert model.n_iter_ < 300 and np.all(np.isfinite(model.coef_))
    # the weights are those of the best epoch, not the diverged last ones
    assert model.best_validation_score_ == max(model.validation_scores_)
    assert model.score(X, y) > -10
