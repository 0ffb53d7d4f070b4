"""HyperbandSearchCV: rung arithmetic against scikit-learn's halving search,
continuation of fold models, failures, checkpoints and resume."""

import warnings

import numpy as np
import pytest
from _toys import EpochToy  # tests/search is on sys.path (no __init__)
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_digits, make_classification, make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.metrics import get_scorer
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.utils.estimator_checks import parametrize_with_checks

import skopt_est
from skopt_est import MLPClassifier, MLPRegressor
from skopt_est.callbacks import CheckpointSaver
from skopt_est.search import HyperbandSearchCV
from skopt_est.search._continuation import FoldTask, advance_fold
from skopt_est.search._rungs import halving_rungs, hyperband_brackets
from skopt_est.space import Real

X_REG, Y_REG = make_regression(n_samples=60, n_features=4, noise=1.0, random_state=0)
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _toy_search(**kwargs):
    params = dict(
        estimator=EpochToy(),
        search_spaces={"lr": Real(0.0, 1.0)},
        min_resources=1,
        max_resources=27,
        factor=3,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4},
    )
    params.update(kwargs)
    return HyperbandSearchCV(**params)


def _rows(results, mask):
    return [results["params"][i] for i in np.flatnonzero(mask)]


# ------------------------------------------------------------------ rungs
@pytest.mark.parametrize(
    "n_candidates, min_resources, max_resources, factor",
    [(27, 1, 27, 3), (34, 3, 81, 3), (15, 9, 81, 3), (10, 2, 16, 2),
     (8, 27, 81, 3), (20, 5, 20, 2), (40, 4, 64, 4)],
)
def test_halving_rungs_match_scikit_learn(
    n_candidates, min_resources, max_resources, factor
):
    sk = HalvingRandomSearchCV(
        EpochToy(), {"lr": np.linspace(0, 1, 200)}, n_candidates=n_candidates,
        resource="max_iter", min_resources=min_resources,
        max_resources=max_resources, factor=factor, cv=2, random_state=0,
    ).fit(X_REG, Y_REG)
    ours = halving_rungs(n_candidates, min_resources, max_resources, factor)
    assert list(ours.n_resources) == sk.n_resources_
    assert list(ours.n_candidates) == sk.n_candidates_


def test_each_bracket_runs_scikit_learns_halving_schedule():
    search = _toy_search().fit(X_REG, Y_REG)
    brackets = hyperband_brackets(1, 27, 3, None)
    assert [b.n_candidates[0] for b in brackets] == [27, 12, 6, 4]
    position = 0
    for bracket in brackets:
        sk = HalvingRandomSearchCV(
            EpochToy(), {"lr": np.linspace(0, 1, 200)},
            n_candidates=bracket.n_candidates[0], resource="max_iter",
            min_resources=bracket.n_resources[0], max_resources=27, factor=3,
            cv=2, random_state=0,
        ).fit(X_REG, Y_REG)
        rungs = len(sk.n_resources_)
        assert search.n_resources_[position : position + rungs] == sk.n_resources_
        assert search.n_candidates_[position : position + rungs] == sk.n_candidates_
        position += rungs
    assert search.n_iterations_ == position == len(search.n_resources_)


def test_cv_results_columns_and_best_at_largest_resource():
    search = _toy_search().fit(X_REG, Y_REG)
    results = search.cv_results_
    n_rows = sum(search.n_candidates_)
    for key in ("iter", "n_resources", "bracket", "mean_test_score", "params"):
        assert len(results[key]) == n_rows
    # each row's resource is the one of its rung, and its params carry it
    for row in range(n_rows):
        assert results["n_resources"][row] == search.n_resources_[results["iter"][row]]
        assert results["params"][row]["max_iter"] == results["n_resources"][row]
    assert results["n_resources"][search.best_index_] == 27
    top = results["n_resources"] == 27
    assert search.best_score_ == np.max(results["mean_test_score"][top])
    assert search.best_params_["max_iter"] == 27
    assert search.best_estimator_.n_epochs_ == 27
    assert skopt_est.HyperbandSearchCV is HyperbandSearchCV


def test_promoted_candidates_are_the_best_of_their_rung():
    results = _toy_search().fit(X_REG, Y_REG).cv_results_
    for it in np.unique(results["iter"])[:-1]:
        here = results["iter"] == it
        nxt = results["iter"] == it + 1
        if results["bracket"][here][0] != results["bracket"][nxt][0]:
            continue
        lrs = [p["lr"] for p in _rows(results, here)]
        kept = {p["lr"] for p in _rows(results, nxt)}
        order = np.argsort(-results["mean_test_score"][here])
        assert {lrs[i] for i in order[: len(kept)]} == kept


def test_proposals_come_from_the_surrogate_once_a_rung_has_data():
    # later brackets concentrate near the optimum lr=0.3 (the surrogate's
    # proposals alone: no share drawn from the prior)
    results = _toy_search(n_brackets=6, random_fraction=0.0).fit(
        X_REG, Y_REG).cv_results_
    first = results["bracket"] == 0
    last = (results["bracket"] >= 4) & (results["iter"] == results["iter"].max())
    spread = lambda mask: np.mean(  # noqa: E731
        [abs(p["lr"] - 0.3) for p in _rows(results, mask)]
    )
    assert spread(last) < spread(first) / 2



@pytest.mark.parametrize("random_fraction", [0.0, 0.5, 1.0])
def test_random_fraction_of_proposals_come_from_the_prior(
    monkeypatch, random_fraction
):
    from skopt_est.search import _fidelity

    asked, ask = [], _fidelity.Optimizer.ask

    def counted_ask(self, n_points=None, **kwargs):
        asked.append(n_points)
        return ask(self, n_points, **kwargs)

    monkeypatch.setattr(_fidelity.Optimizer, "ask", counted_ask)
    search = _toy_search(n_brackets=12, random_fraction=random_fraction)
    search.fit(X_REG, Y_REG)
    # bracket 0 is drawn before any surrogate: the other brackets' first rungs
    # are the proposals a surrogate could make
    proposed = sum(b.n_candidates[0] for b in search.brackets_[1:])
    from_gp = sum(asked)
    if random_fraction == 0.0:
        assert from_gp == proposed
    elif random_fraction == 1.0:
        assert from_gp == 0
    else:  # binomial(proposed, 1/2) draws from the prior, about half
        assert 0.3 * proposed < from_gp < 0.7 * proposed
    assert search.n_iterations_ == len(search.n_resources_)
    assert len(search.cv_results_["params"]) == sum(search.n_candidates_)


# ----------------------------------------------------------- continuation
def test_continuation_costs_one_training_to_the_top():
    EpochToy.epochs_run = 0
    search = _toy_search(refit=False).fit(X_REG, Y_REG)
    continued = EpochToy.epochs_run
    # each fold model trains exactly as many epochs as its last rung
    results = search.cv_results_
    last = {}
    for params, r in zip(results["params"], results["n_resources"]):
        last[params["lr"]] = max(last.get(params["lr"], 0), r)
    assert continued == 2 * sum(last.values())
    EpochToy.epochs_run = 0
    _toy_search(refit=False, continuation="refit").fit(X_REG, Y_REG)
    assert EpochToy.epochs_run == 2 * int(np.sum(results["n_resources"]))
    assert continued < EpochToy.epochs_run


def _task(estimator, scorer="accuracy", classes=None, max_resources=9):
    return FoldTask(
        resource="max_iter", mode="partial_fit", max_resources=max_resources,
        scorer=get_scorer(scorer), error_score=np.nan, return_train_score=False,
        fit_params={}, classes=classes,
    )


@pytest.mark.parametrize(
    "solver, schedule, dropout",
    [("adam", "constant", 0.0), ("adam", "cosine", 0.0), ("sgd", "linear", 0.0),
     ("sgd", "exponential", 0.0), ("rmsprop", "invscaling", 0.0),
     ("adam", "cosine", 0.2)],
)
def test_continued_mlp_equals_a_fit_of_the_summed_epochs(solver, schedule, dropout):
    X, y = load_digits(return_X_y=True)
    X, y = X[:400] / 16, y[:400]
    split = (np.arange(300), np.arange(300, 400))
    estimator = MLPClassifier(
        hidden_layer_sizes=(16,), solver=solver, learning_rate=schedule,
        learning_rate_init=0.01, random_state=0, n_iter_no_change=np.inf,
        dropout=dropout,
    )
    task = _task(estimator, classes=np.unique(y))
    _, model = advance_fold(task, estimator, None, {}, X, y, split, 0, 3, 0)
    _, model = advance_fold(task, estimator, model, {}, X, y, split, 3, 9, 0)
    whole = clone(estimator).set_params(max_iter=9).fit(X[:300], y[:300])
    assert model.t_ == whole.t_ == 9 * 300
    for got, want in zip(model.coefs_, whole.coefs_):
        np.testing.assert_array_equal(got, want)


def test_a_setting_without_partial_fit_refits_instead_of_failing():
    # an MLP's partial_fit exists for the stochastic solvers only
    X, y = load_digits(return_X_y=True)
    X, y = X[:300] / 16, y[:300]
    split = (np.arange(200), np.arange(200, 300))
    estimator = MLPClassifier(hidden_layer_sizes=(16,), max_iter=9, random_state=0)
    params = {"solver": "lbfgs"}
    task = _task(estimator, classes=np.unique(y))
    out, model = advance_fold(task, estimator, None, params, X, y, split, 0, 3, 0)
    out, model = advance_fold(task, estimator, model, params, X, y, split, 3, 9, 0)
    assert out["fit_error"] is None
    whole = clone(estimator).set_params(**params).fit(X[:200], y[:200])
    np.testing.assert_array_equal(model.coefs_[0], whole.coefs_[0])
    search = HyperbandSearchCV(
        estimator, {"solver": ["lbfgs", "adam"]}, min_resources=1, cv=2,
        random_state=0,
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.continuation_ == "partial_fit"


def test_warm_start_continuation_adds_members_as_a_whole_fit():
    estimator = RandomForestRegressor(random_state=0)
    task = FoldTask(
        resource="n_estimators", mode="warm_start", max_resources=12,
        scorer=get_scorer("r2"), error_score=np.nan, return_train_score=False,
        fit_params={}, classes=None,
    )
    split = (np.arange(40), np.arange(40, 60))
    params = {"max_depth": 3}
    _, model = advance_fold(task, estimator, None, params, X_REG, Y_REG, split, 0, 4, 0)
    out, model = advance_fold(task, estimator, model, params, X_REG, Y_REG, split, 4,
                              12, 0)
    whole = RandomForestRegressor(n_estimators=12, max_depth=3, random_state=0).fit(
        X_REG[:40], Y_REG[:40]
    )
    assert len(model.estimators_) == 12
    np.testing.assert_allclose(model.predict(X_REG), whole.predict(X_REG))
    assert out["test_scores"] == pytest.approx(whole.score(X_REG[40:], Y_REG[40:]))


def test_search_picks_the_mode_and_refits_other_estimators():
    search = HyperbandSearchCV(
        RandomForestRegressor(random_state=0), {"max_depth": (1, 5)},
        resource="n_estimators", min_resources=2, max_resources=6, factor=3,
        cv=2, random_state=0,
    ).fit(X_REG, Y_REG)
    assert search.continuation_ == "warm_start"
    assert search.best_estimator_.n_estimators == 6
    X, y = make_classification(n_samples=300, random_state=0)
    search = HyperbandSearchCV(
        LogisticRegression(), {"C": (1e-3, 1e3, "log-uniform")},
        resource="n_samples", factor=2, cv=2, random_state=0,
    ).fit(X, y)
    assert search.continuation_ == "refit"
    assert search.min_resources_ == 2 * 2 * 2 and search.max_resources_ == 300
    assert search.n_resources_[-1] == 300 and "max_iter" not in search.best_params_


def test_mlp_regressor_search_finds_a_working_model():
    X, y = make_regression(n_samples=200, n_features=5, noise=0.1, random_state=0)
    y = y / y.std()
    search = HyperbandSearchCV(
        MLPRegressor(hidden_layer_sizes=(16,), max_iter=27, random_state=0),
        {"learning_rate_init": Real(1e-4, 1e-1, prior="log-uniform")},
        factor=3, min_resources=3, cv=2, random_state=0,
    ).fit(X, y)
    assert search.continuation_ == "partial_fit"
    assert search.best_score_ > 0.8
    assert search.best_estimator_.score(X, y) > 0.8


def test_early_stopping_is_left_to_the_rungs_and_kept_for_the_refit():
    X, y = make_regression(n_samples=200, n_features=5, noise=0.1, random_state=0)
    search = HyperbandSearchCV(
        MLPRegressor(hidden_layer_sizes=(8,), max_iter=9, early_stopping=True,
                     random_state=0),
        {"learning_rate_init": Real(1e-3, 1e-1, prior="log-uniform")},
        min_resources=3, cv=2, random_state=0,
    ).fit(X, y / y.std())
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.early_stopping
    assert search.best_estimator_.validation_scores_ is not None


# ------------------------------------------------------ failures, resume
def test_failed_fits_score_error_score_and_are_never_promoted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search = _toy_search(
            estimator=EpochToy(fail_above=0.5), error_score=-100.0
        ).fit(X_REG, Y_REG)
    results = search.cv_results_
    failed = np.array([p["lr"] > 0.5 for p in results["params"]])
    assert failed.any() and (~failed).any()
    assert np.all(results["mean_test_score"][failed] == -100.0)
    # a failed setting stops at the first rung of its bracket
    first_rung = np.array(
        [results["n_resources"][i] == min(results["n_resources"][
            results["bracket"] == results["bracket"][i]])
         for i in range(len(failed))]
    )
    assert np.all(first_rung[failed])
    assert search.best_params_["lr"] <= 0.5


def test_every_fit_failing_ends_with_error_scores_not_an_exception():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search = _toy_search(estimator=EpochToy(fail_above=-1.0), refit=False).fit(
            X_REG, Y_REG
        )
    assert np.isnan(search.cv_results_["mean_test_score"]).all()
    assert search.n_iterations_ == len(search.n_resources_) > 0


def test_error_score_raise_propagates():
    with pytest.raises(ValueError, match="diverged"):
        _toy_search(estimator=EpochToy(fail_above=-1.0), error_score="raise").fit(
            X_REG, Y_REG
        )


def _stop_after(n_rungs):
    seen = []

    def callback(result):
        seen.append(1)
        return len(seen) >= n_rungs

    return callback


@pytest.mark.parametrize("n_rungs", [1, 2, 5])
def test_resume_repeats_no_finished_work(tmp_path, n_rungs):
    path = tmp_path / "hyperband.pkl"
    EpochToy.epochs_run = 0
    whole = _toy_search(refit=False).fit(X_REG, Y_REG)
    epochs_whole = EpochToy.epochs_run
    EpochToy.epochs_run = 0
    _toy_search(refit=False).fit(
        X_REG, Y_REG, callback=[CheckpointSaver(path), _stop_after(n_rungs)]
    )
    resumed = _toy_search(refit=False).resume(path, X_REG, Y_REG)
    # the survivors' fold models come back from the checkpoint: no epoch twice
    assert EpochToy.epochs_run == epochs_whole
    assert resumed.n_resources_ == whole.n_resources_
    assert resumed.n_candidates_ == whole.n_candidates_
    # the finished rungs are the checkpoint's rows, unchanged
    n_done = sum(whole.n_candidates_[:n_rungs])
    np.testing.assert_array_equal(
        resumed.cv_results_["mean_test_score"][:n_done],
        whole.cv_results_["mean_test_score"][:n_done],
    )
    assert resumed.cv_results_["params"][:n_done] == whole.cv_results_["params"][
        :n_done]


def test_resume_refuses_a_different_search(tmp_path):
    path = tmp_path / "hyperband.pkl"
    _toy_search().fit(X_REG, Y_REG, callback=[CheckpointSaver(path), _stop_after(1)])
    with pytest.raises(ValueError, match="brackets differ"):
        _toy_search(factor=2).resume(path, X_REG, Y_REG)
    with pytest.raises(ValueError, match="different search_spaces"):
        _toy_search(search_spaces={"lr": Real(0.0, 0.5)}).resume(path, X_REG, Y_REG)
    with pytest.raises(ValueError, match="no Hyperband state"):
        _toy_search().resume({"x": 1}, X_REG, Y_REG)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"search_spaces": {"lr": Real(0, 1), "max_iter": (1, 5)}}, "resource"),
     ({"resource": "epochs"}, "neither 'n_samples'"),
     ({"min_resources": 50}, "greater than max_resources"),
     ({"search_spaces": [{"lr": Real(0, 1)}, {"lr": Real(0, 1)}]}, "one space"),
     ({"search_spaces": {"rate": Real(0, 1)}}, "not a parameter"),
     ({"random_fraction": 1.5}, "random_fraction")],
)
def test_invalid_settings_raise_before_fitting(kwargs, message):
    EpochToy.epochs_run = 0
    with pytest.raises(ValueError, match=message):
        _toy_search(**kwargs).fit(X_REG, Y_REG)
    assert EpochToy.epochs_run == 0


def test_is_reproducible_and_verbose_prints_rungs(capsys):
    a = _toy_search(verbose=1).fit(X_REG, Y_REG)
    printed = capsys.readouterr().out
    assert printed.count("[HyperbandSearchCV] bracket") == a.n_iterations_
    b = _toy_search().fit(X_REG, Y_REG)
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_n_jobs_gives_the_same_search():
    a = _toy_search().fit(X_REG, Y_REG)
    b = _toy_search(n_jobs=2).fit(X_REG, Y_REG)
    assert a.cv_results_["params"] == b.cv_results_["params"]


def test_multimetric_ranks_by_refit_metric():
    X, y = make_classification(n_samples=120, random_state=0)
    search = HyperbandSearchCV(
        _Clf(), {"C": (0.1, 10.0)}, resource="max_iter", min_resources=1,
        max_resources=9, scoring=["accuracy", "neg_log_loss"],
        refit="neg_log_loss", cv=2, random_state=0,
    ).fit(X, y)
    assert search.multimetric_
    top = search.cv_results_["n_resources"] == 9
    assert search.best_score_ == np.max(
        search.cv_results_["mean_test_neg_log_loss"][top]
    )


class _Clf(ClassifierMixin, BaseEstimator):
    """LogisticRegression trained by partial_fit epochs (for the classes path)."""

    def __init__(self, C=1.0, max_iter=9):
        self.C = C
        self.max_iter = max_iter

    def partial_fit(self, X, y, classes=None):
        self.classes_ = classes
        n = getattr(self, "n_", 0) + 1
        self.model_ = LogisticRegression(C=self.C, max_iter=n).fit(X, y)
        self.n_ = n
        return self

    def fit(self, X, y):
        self.n_ = 0
        for _ in range(self.max_iter):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                self.partial_fit(X, y, classes=np.unique(y))
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


def test_plot_rungs_draws_one_line_per_candidate_and_the_best_in_black():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skopt_est.plots import plot_rungs

    search = _toy_search().fit(X_REG, Y_REG)
    ax = plot_rungs(search)
    lines = ax.get_lines()
    # one line per (bracket, setting)
    assert len(lines) == sum(
        search.n_candidates_[i] for i, r in enumerate(search.n_resources_)
        if i == 0 or r <= search.n_resources_[i - 1]
    )
    black = [line for line in lines if line.get_color() == "black"]
    assert len(black) == 1
    assert black[0].get_xdata()[-1] == 27
    assert black[0].get_ydata()[-1] == pytest.approx(search.best_score_)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="n_resources"):
        plot_rungs(_toy_search())


def test_deadline_stopper_ends_the_search_after_a_rung():
    from skopt_est.callbacks import DeadlineStopper

    search = _toy_search().fit(X_REG, Y_REG, callback=DeadlineStopper(0.0))
    assert search.n_iterations_ == 1
    # best_* come from the largest resource reached
    assert search.best_params_["max_iter"] == search.n_resources_[0]
    assert search.best_estimator_.n_epochs_ == 27  # the refit is at max_resources


# scikit-learn's checks over the three ways fold models reach a rung: subsampled
# rows (refit), an integer resource without continuation (refit), and
# partial_fit continuation. Inner estimators are seeded: the checks compare fits.
@parametrize_with_checks(
    [
        HyperbandSearchCV(
            Ridge(), {"alpha": Real(0.1, 1.0)}, resource="n_samples", cv=2,
            error_score="raise", random_state=0,
        ),
        HyperbandSearchCV(
            LogisticRegression(), {"C": Real(0.1, 1.0)}, max_resources=3, cv=2,
            error_score="raise", random_state=0,
        ),
        HyperbandSearchCV(
            SGDClassifier(random_state=0), {"alpha": Real(1e-4, 1e-2)},
            max_resources=3, cv=2, error_score="raise", random_state=0,
        ),
    ],
    # declared by scikit-learn for GridSearchCV; a regressor that takes a 2-d y
    # gives no warning to pass on (the classifiers here do)
    expected_failed_checks=lambda est: (
        {"check_supervised_y_2d": "DataConversionWarning not caught"}
        if isinstance(est.estimator, Ridge) else {}
    ),
)
def test_hyperband_search_check_estimator(estimator, check):
    check(estimator)
