import copy
import warnings

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, Ridge, SGDRegressor
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

import skopt_est
from skopt_est.callbacks import CheckpointSaver, DeltaYStopper, load
from skopt_est.search import BayesSearchCV
from skopt_est.space import Categorical, Integer, Real

X_REG, Y_REG = make_regression(n_samples=80, n_features=5, noise=5.0, random_state=0)
X_CLF, Y_CLF = make_classification(n_samples=80, n_features=5, random_state=0)


def _ridge_search(**kwargs):
    params = dict(
        estimator=Ridge(),
        search_spaces={"alpha": Real(1e-3, 1e3, prior="log-uniform")},
        n_iter=6,
        cv=3,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3},
    )
    params.update(kwargs)
    return BayesSearchCV(**params)


class _Recorder(BaseEstimator, RegressorMixin):
    """Ridge-like toy: records calls, fails for bad > 0.5 when told to."""

    n_fits = 0

    def __init__(self, bad=0.0, width=1, kind="a"):
        self.bad = bad
        self.width = width
        self.kind = kind

    def fit(self, X, y):
        type(self).n_fits += 1
        assert type(self.width) is int
        if self.bad > 0.5:
            raise ValueError("diverged: lower bad")
        self.coef_ = np.linalg.lstsq(X, y, rcond=None)[0] * (1 - self.bad)
        return self

    def predict(self, X):
        return X @ self.coef_


def test_bayes_search_runs_n_iter_and_finds_good_alpha():
    search = _ridge_search(n_iter=8).fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 8
    assert 1e-3 <= search.best_params_["alpha"] <= 1e3
    assert search.best_score_ == np.max(search.cv_results_["mean_test_score"])
    assert search.best_score_ > 0.9
    assert search.total_iterations == 8
    result = search.optimizer_results_[0]
    assert len(result.x_iters) == 8 and result.fun == pytest.approx(-search.best_score_)
    assert search.predict(X_REG[:3]).shape == (3,)


def test_bayes_search_samples_right_types_and_never_mutates_spaces():
    spaces = {"width": (1, 8), "kind": ["a", "b"], "bad": Real(0.0, 0.4)}
    before = copy.deepcopy(spaces)
    search = BayesSearchCV(
        _Recorder(),
        spaces,
        n_iter=6,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3},
    )
    search.fit(X_REG, Y_REG)
    assert spaces == before and spaces["bad"].name is None
    for params in search.cv_results_["params"]:
        assert type(params["width"]) is int and 1 <= params["width"] <= 8
        assert params["kind"] in ("a", "b")
        assert type(params["bad"]) is float


@pytest.mark.parametrize(
    "spaces, message",
    [
        ({"alpha": (5.0, 1.0)}, "lower than high"),
        ({"alpha": (0.0, 1.0, "log-uniform")}, "positive"),
        ({"alpha": []}, "empty"),
        ({"alhpa": (0.1, 1.0)}, "not a parameter of Ridge"),
        ({}, "empty"),
        ([], "empty"),
    ],
)
def test_bayes_search_invalid_spaces_raise_at_fit(spaces, message):
    search = BayesSearchCV(Ridge(), spaces, n_iter=2, cv=2)
    with pytest.raises(ValueError, match=message):
        search.fit(X_REG, Y_REG)


def test_bayes_search_rejects_unknown_optimizer_kwargs():
    search = _ridge_search(optimizer_kwargs={"n_initial": 3})
    with pytest.raises(ValueError, match="n_initial"):
        search.fit(X_REG, Y_REG)


def test_bayes_search_refuses_per_second_acquisitions_before_fitting():
    search = _ridge_search(optimizer_kwargs={"acq_func": "EIps"})
    with pytest.raises(ValueError, match="use 'EI' or 'PI'"):
        search.fit(X_REG, Y_REG)
    assert not hasattr(search, "cv_results_")


@pytest.mark.parametrize("acq_func", ["MES", "PVRS"])
def test_bayes_search_runs_the_set_acquisitions(acq_func):
    search = _ridge_search(n_iter=7, optimizer_kwargs={"acq_func": acq_func,
                                                       "n_initial_points": 3})
    search.fit(X_REG, Y_REG)
    alphas = [p["alpha"] for p in search.cv_results_["params"]]
    assert len(set(alphas)) == 7
    assert all(1e-3 <= a <= 1e3 for a in alphas)


def test_bayes_search_optimizer_kwargs_shortcuts_are_accepted():
    search = _ridge_search(
        n_iter=5,
        optimizer_kwargs={
            "n_initial_points": 2,
            "acq_func": "LCB",
            "kappa": 3.0,
            "xi": 0.1,
            "n_restarts_optimizer": 2,
            "initial_point_generator": "sobol",
        },
    )
    assert len(search.fit(X_REG, Y_REG).cv_results_["params"]) == 5


def test_bayes_search_multimetric_optimises_refit_metric():
    search = BayesSearchCV(
        LogisticRegression(),
        {"C": Real(1e-3, 1e2, prior="log-uniform")},
        scoring={"acc": "accuracy", "nll": "neg_log_loss"},
        refit="nll",
        n_iter=5,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 3},
    ).fit(X_CLF, Y_CLF)
    np.testing.assert_allclose(
        search.optimizer_results_[0].func_vals, -search.cv_results_["mean_test_nll"]
    )
    assert search.best_index_ == np.argmax(search.cv_results_["mean_test_nll"])


def test_bayes_search_refit_false_and_callable_like_grid_search():
    search = _ridge_search(refit=False, n_iter=4).fit(X_REG, Y_REG)
    assert not hasattr(search, "best_estimator_")
    search = _ridge_search(refit=lambda results: 0, n_iter=4).fit(X_REG, Y_REG)
    assert search.best_index_ == 0


def test_bayes_search_failed_fits_score_error_score_and_search_goes_on():
    search = BayesSearchCV(
        _Recorder(),
        {"bad": Real(0.0, 1.0)},
        n_iter=8,
        cv=2,
        random_state=0,
        error_score=-1e3,
        optimizer_kwargs={"n_initial_points": 4},
    )
    with pytest.warns(FitFailedWarning):
        search.fit(X_REG, Y_REG)
    params = search.cv_results_["params"]
    scores = search.cv_results_["mean_test_score"]
    assert len(params) == 8
    failed = np.array([p["bad"] > 0.5 for p in params])
    assert failed.any() and not failed.all()
    assert np.all(scores[failed] == -1e3)
    assert search.best_params_["bad"] <= 0.5


def test_bayes_search_nan_error_score_is_seen_as_worst():
    search = BayesSearchCV(
        _Recorder(),
        {"bad": Real(0.0, 1.0)},
        n_iter=8,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitFailedWarning)
        search.fit(X_REG, Y_REG)
    values = search.optimizer_results_[0].func_vals
    assert np.isnan(values).any()
    assert np.isfinite(search.best_score_)


def test_bayes_search_error_score_raise_propagates():
    search = BayesSearchCV(
        _Recorder(), {"bad": Real(0.6, 1.0)}, n_iter=3, cv=2, error_score="raise"
    )
    with pytest.raises(ValueError, match="diverged"):
        search.fit(X_REG, Y_REG)


def test_bayes_search_callback_true_stops_after_first_round():
    calls = []

    def stop(result):
        calls.append(len(result.x_iters))
        return True

    search = _ridge_search(n_iter=6, n_points=2).fit(X_REG, Y_REG, callback=stop)
    assert calls == [2] and len(search.cv_results_["params"]) == 2


def test_bayes_search_delta_y_stopper_stops_early():
    search = _ridge_search(n_iter=20).fit(
        X_REG, Y_REG, callback=[DeltaYStopper(1e9, n_best=3)]
    )
    assert len(search.cv_results_["params"]) == 3


def test_bayes_search_n_points_batches_in_parallel():
    calls = []
    search = _ridge_search(n_iter=7, n_points=3, n_jobs=2)
    search.fit(X_REG, Y_REG, callback=lambda r: calls.append(len(r.x_iters)))
    assert calls == [3, 6, 7]
    alphas = [p["alpha"] for p in search.cv_results_["params"]]
    assert len(set(alphas)) == 7


def test_bayes_search_conditional_spaces_with_own_budgets():
    search = BayesSearchCV(
        _Recorder(),
        [({"width": (1, 4)}, 3), {"bad": (0.0, 0.4), "kind": ["a", "b"]}],
        n_iter=4,
        cv=2,
        random_state=0,
    )
    assert search.total_iterations == 7
    search.fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 7
    assert [len(r.x_iters) for r in search.optimizer_results_] == [3, 4]
    assert set(search.cv_results_["params"][0]) == {"width"}


class _CountingKFold(KFold):
    n_splits_calls = 0

    def split(self, X, y=None, groups=None):
        type(self).n_splits_calls += 1
        return super().split(X, y, groups)


def test_bayes_search_draws_folds_once_even_with_unseeded_shuffle():
    _CountingKFold.n_splits_calls = 0
    cv = _CountingKFold(3, shuffle=True)
    search = _ridge_search(cv=cv, n_iter=5).fit(X_REG, Y_REG)
    assert _CountingKFold.n_splits_calls == 1
    assert len(search.cv_results_["params"]) == 5


def test_bayes_search_checkpoint_resume_reuses_every_evaluation(tmp_path):
    path = tmp_path / "search.pkl"
    first = _ridge_search(
        estimator=_Recorder(), search_spaces={"bad": (0.0, 0.4)}, n_iter=6
    )
    first.fit(
        X_REG, Y_REG, callback=[CheckpointSaver(path), lambda r: len(r.x_iters) >= 4]
    )
    assert len(first.cv_results_["params"]) == 4
    checkpoint = load(path)
    assert len(checkpoint.x_iters) == 4

    _Recorder.n_fits = 0
    resumed = _ridge_search(
        estimator=_Recorder(), search_spaces={"bad": (0.0, 0.4)}, n_iter=6
    )
    resumed.resume(path, X_REG, Y_REG)
    # two new candidates x 3 folds, plus the refit: nothing re-evaluated
    assert _Recorder.n_fits == 2 * 3 + 1
    params = resumed.cv_results_["params"]
    assert len(params) == 6
    assert params[:4] == first.cv_results_["params"]
    np.testing.assert_allclose(
        resumed.cv_results_["mean_test_score"][:4],
        first.cv_results_["mean_test_score"],
    )
    assert len(resumed.optimizer_results_[0].x_iters) == 6


def test_bayes_search_resume_of_finished_search_asks_for_more_n_iter(tmp_path):
    path = tmp_path / "search.pkl"
    _ridge_search(n_iter=3).fit(X_REG, Y_REG, callback=CheckpointSaver(path))
    with pytest.raises(ValueError, match="raise n_iter"):
        _ridge_search(n_iter=3).resume(path, X_REG, Y_REG)
    with pytest.raises(ValueError, match="different search_spaces"):
        _ridge_search(search_spaces={"alpha": (1.0, 2.0)}).resume(path, X_REG, Y_REG)


def test_bayes_search_verbose_shows_progress_bar(capsys):
    _ridge_search(n_iter=3, verbose=1).fit(X_REG, Y_REG)
    err = capsys.readouterr().err
    assert "BayesSearchCV" in err and "best_score" in err


def test_bayes_search_on_pipeline_with_groups():
    pipe = make_pipeline(StandardScaler(), DecisionTreeRegressor(random_state=0))
    from sklearn.model_selection import GroupKFold

    search = BayesSearchCV(
        pipe,
        {
            "decisiontreeregressor__max_depth": Integer(1, 6),
            "decisiontreeregressor__criterion": ["squared_error", "absolute_error"],
        },
        n_iter=5,
        cv=GroupKFold(3),
        random_state=0,
    )
    groups = np.arange(len(X_REG)) % 4
    search.fit(X_REG, Y_REG, groups=groups)
    assert type(search.best_params_["decisiontreeregressor__max_depth"]) is int


def test_bayes_search_is_reproducible():
    first = _ridge_search().fit(X_REG, Y_REG).cv_results_["params"]
    second = _ridge_search().fit(X_REG, Y_REG).cv_results_["params"]
    assert first == second


@parametrize_with_checks(
    [
        BayesSearchCV(
            Ridge(),
            {"alpha": Real(0.1, 1.0)},
            n_iter=2,
            cv=2,
            error_score="raise",
            random_state=0,
        ),
        BayesSearchCV(
            LogisticRegression(),
            {"C": Real(0.1, 1.0)},
            n_iter=2,
            cv=2,
            error_score="raise",
            random_state=0,
        ),
    ],
    expected_failed_checks=lambda est: {
        # scikit-learn declares exactly these for GridSearchCV
        "check_supervised_y_2d": "DataConversionWarning not caught",
        "check_requires_y_none": "Doesn't fail gracefully",
    },
)
def test_bayes_search_check_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("name", ["GDRegressor", "MLPRegressor"])
def test_bayes_search_tunes_our_regressors(name):
    estimator_class = getattr(skopt_est, name, None)
    if estimator_class is None:
        pytest.skip(f"skopt_est.{name} is not available yet")
    search = BayesSearchCV(
        make_pipeline(StandardScaler(), estimator_class(max_iter=20, random_state=0)),
        {f"{name.lower()}__alpha": Real(1e-5, 1e-1, prior="log-uniform")},
        n_iter=4,
        cv=2,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_REG, Y_REG)
    assert np.isfinite(search.best_score_)


def test_bayes_search_tunes_our_mlp_classifier():
    MLPClassifier = getattr(skopt_est, "MLPClassifier", None)
    if MLPClassifier is None:
        pytest.skip("skopt_est.MLPClassifier is not available yet")
    search = BayesSearchCV(
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=20, random_state=0),
        {
            "learning_rate_init": Real(1e-4, 1e-1, prior="log-uniform"),
            "activation": Categorical(["relu", "tanh"]),
        },
        n_iter=4,
        cv=2,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_CLF, Y_CLF)
    assert search.best_score_ > 0.5


def test_bayes_search_tunes_skorch_net():
    skorch = pytest.importorskip("skorch")
    torch = pytest.importorskip("torch")

    class Net(torch.nn.Module):
        def __init__(self, n_hidden=8):
            super().__init__()
            self.layers = torch.nn.Sequential(
                torch.nn.Linear(5, n_hidden),
                torch.nn.ReLU(),
                torch.nn.Linear(n_hidden, 1),
            )

        def forward(self, X):
            return self.layers(X)

    X = StandardScaler().fit_transform(X_REG).astype(np.float32)
    y = (Y_REG / Y_REG.std()).astype(np.float32).reshape(-1, 1)
    net = skorch.NeuralNetRegressor(
        Net,
        max_epochs=5,
        lr=0.01,
        verbose=0,
        train_split=None,
        optimizer=torch.optim.Adam,
    )
    search = BayesSearchCV(
        net,
        {"lr": Real(1e-3, 1e-1, prior="log-uniform"), "module__n_hidden": (4, 16)},
        n_iter=4,
        cv=2,
        random_state=0,
        scoring="r2",
    )
    search.fit(X, y)
    assert type(search.best_params_["module__n_hidden"]) is int
    assert np.isfinite(search.best_score_)


@pytest.mark.slow
def test_bayes_search_on_dask_local_cluster():
    distributed = pytest.importorskip("distributed")
    import joblib

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        with distributed.Client(cluster):
            with joblib.parallel_backend("dask"):
                search = _ridge_search(n_iter=4, n_points=2).fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_score_ > 0.9


def test_bayes_search_sgd_divergence_does_not_end_search():
    search = BayesSearchCV(
        SGDRegressor(max_iter=5, tol=None, random_state=0),
        {"eta0": Real(1e-4, 1e8, prior="log-uniform")},
        n_iter=5,
        cv=2,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 5


def test_bayes_search_initial_params_are_the_first_rows_and_told():
    seeds = [{"alpha": 0.5}, {"alpha": 200.0}]
    search = _ridge_search(n_iter=6, initial_params=seeds).fit(X_REG, Y_REG)
    params = search.cv_results_["params"]
    assert params[:2] == seeds and len(params) == 6
    result = search.optimizer_results_[0]
    assert result.x_iters[:2] == [[0.5], [200.0]]
    np.testing.assert_allclose(
        result.func_vals[:2], -search.cv_results_["mean_test_score"][:2]
    )
    # the design still runs whole after the seeds: 3 design points, then GP
    unseeded = _ridge_search(n_iter=3).fit(X_REG, Y_REG)
    assert [p["alpha"] for p in params[2:5]] == [
        p["alpha"] for p in unseeded.cv_results_["params"]
    ]


def test_bayes_search_initial_params_estimator_uses_current_values():
    search = _ridge_search(
        estimator=Ridge(alpha=3.0), n_iter=3, initial_params="estimator"
    ).fit(X_REG, Y_REG)
    assert search.cv_results_["params"][0] == {"alpha": 3.0}
    listed = _ridge_search(
        estimator=Ridge(alpha=3.0),
        n_iter=3,
        initial_params=[{"alpha": 10.0}, "estimator"],
    ).fit(X_REG, Y_REG)
    assert [p["alpha"] for p in listed.cv_results_["params"][:2]] == [10.0, 3.0]


def test_bayes_search_initial_params_go_to_the_subspace_they_cover():
    search = BayesSearchCV(
        _Recorder(),
        [({"width": (1, 4)}, 3), {"bad": (0.0, 0.4), "kind": ["a", "b"]}],
        n_iter=3,
        cv=2,
        random_state=0,
        initial_params=[{"kind": "b", "bad": 0.25}, {"width": 2}],
    ).fit(X_REG, Y_REG)
    params = search.cv_results_["params"]
    assert params[0] == {"width": 2}
    assert params[3] == {"kind": "b", "bad": 0.25}
    assert search.optimizer_results_[1].x_iters[0] == [0.25, "b"]


@pytest.mark.parametrize(
    "initial_params, message",
    [
        ({"bad": 0.7}, r"bad=0.7 is outside .*real values in \[0.0, 0.4\]"),
        ({"bad": 0.1, "width": 2}, "not the parameters of any"),
        (["nope"], "not a dict"),
        ([{"bad": v} for v in (0.1, 0.2, 0.3, 0.1, 0.35)], "4 settings .*n_iter=3"),
    ],
)
def test_bayes_search_invalid_initial_params_raise_before_fitting(
    initial_params, message
):
    _Recorder.n_fits = 0
    search = BayesSearchCV(
        _Recorder(),
        {"bad": Real(0.0, 0.4)},
        n_iter=3,
        cv=2,
        initial_params=initial_params,
    )
    with pytest.raises(ValueError, match=message):
        search.fit(X_REG, Y_REG)
    assert _Recorder.n_fits == 0


def test_bayes_search_initial_params_estimator_outside_space_names_value():
    search = BayesSearchCV(
        _Recorder(kind="c"),
        {"kind": ["a", "b"]},
        n_iter=2,
        cv=2,
        initial_params="estimator",
    )
    with pytest.raises(ValueError, match=r"kind='c' .*one of \['a', 'b'\]"):
        search.fit(X_REG, Y_REG)


def test_bayes_search_finite_space_is_never_evaluated_twice():
    spaces = {"max_depth": [2, 3], "criterion": ["squared_error", "absolute_error"]}
    search = BayesSearchCV(
        DecisionTreeRegressor(random_state=0),
        spaces,
        n_iter=10,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 2},
    )
    assert search.total_iterations == 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X_REG, Y_REG)
    exhausted = [w for w in caught if "finite search space" in str(w.message)]
    assert len(exhausted) == 1 and "4 distinct settings for n_iter=10" in str(
        exhausted[0].message
    )
    settings = [tuple(sorted(p.items())) for p in search.cv_results_["params"]]
    assert len(settings) == len(set(settings)) == 4 == search.total_iterations
    assert len(search.optimizer_results_[0].x_iters) == 4


@pytest.mark.parametrize("n_points", [1, 3])
def test_bayes_search_finite_subspace_exhausted_then_next_space_runs(n_points):
    search = BayesSearchCV(
        _Recorder(),
        [{"width": (1, 3)}, {"bad": (0.0, 0.4)}],
        n_iter=5,
        n_points=n_points,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 1},
        initial_params=[{"width": 2}, {"width": 2}],
    )
    with pytest.warns(UserWarning, match=r"\['width'\] has 3 distinct"):
        search.fit(X_REG, Y_REG)
    widths = [p["width"] for p in search.cv_results_["params"] if "width" in p]
    assert sorted(widths) == [1, 2, 3] and widths[0] == 2
    assert search.total_iterations == 8 == len(search.cv_results_["params"])


def test_bayes_search_rank_train_score_with_return_train_score():
    search = _ridge_search(return_train_score=True, n_iter=5).fit(X_REG, Y_REG)
    results = search.cv_results_
    ranks = results["rank_train_score"]
    assert ranks.dtype == np.int32 and sorted(ranks) == [1, 2, 3, 4, 5]
    assert ranks[np.argmax(results["mean_train_score"])] == 1
    multi = _ridge_search(
        return_train_score=True, scoring=["r2", "neg_mean_squared_error"], refit="r2"
    ).fit(X_REG, Y_REG)
    assert {"rank_train_r2", "rank_train_neg_mean_squared_error"} <= set(
        multi.cv_results_
    )
    assert "rank_train_score" not in _ridge_search().fit(X_REG, Y_REG).cv_results_


def test_rank_puts_failed_candidates_last_and_shares_ties():
    from skopt_est.search._bayes import _rank

    np.testing.assert_array_equal(_rank([0.5, np.nan, 0.9, 0.5]), [2, 4, 1, 2])
    np.testing.assert_array_equal(_rank([np.nan, np.nan]), [1, 1])


def test_bayes_search_invalid_category_is_reported_before_any_fit():
    from skopt_est import MLPRegressor

    search = BayesSearchCV(
        make_pipeline(StandardScaler(), MLPRegressor(max_iter=5)),
        {"mlpregressor__solver": Categorical(["adam", "nope"])},
        n_iter=2,
        cv=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitFailedWarning)
        with pytest.raises(
            ValueError, match=r"mlpregressor__solver='nope'.*'solver' parameter.*among"
        ):
            search.fit(X_REG, Y_REG)
    assert not hasattr(search, "cv_results_")
    direct = BayesSearchCV(
        Ridge(), {"solver": ["auto", "cholesky", "bogus"]}, n_iter=2, cv=2
    )
    with pytest.raises(ValueError, match="solver='bogus'"):
        direct.fit(X_REG, Y_REG)


def test_bayes_search_takes_other_surrogates_and_refuses_non_regressors():
    search = _ridge_search(n_iter=3, optimizer_kwargs={"base_estimator": "RF"})
    assert len(search.fit(X_REG, Y_REG).cv_results_["params"]) == 3
    search = _ridge_search(optimizer_kwargs={"base_estimator": object()})
    with pytest.raises(ValueError, match="surrogate name or a regressor"):
        search.fit(X_REG, Y_REG)
    search = _ridge_search(n_iter=3, optimizer_kwargs={"base_estimator": "GP"})
    assert len(search.fit(X_REG, Y_REG).cv_results_["params"]) == 3


# ---------------------------- issue 24: scikit-optimize users' BayesSearchCV
def test_bayes_search_never_changes_an_estimator_given_as_a_category():
    from sklearn.pipeline import Pipeline

    step = Ridge(alpha=7.0)
    search = BayesSearchCV(
        Pipeline([("model", Ridge())]),
        {"model": Categorical([step]), "model__alpha": Real(1e-3, 1e3, "log-uniform")},
        n_iter=4, cv=2, random_state=0,
        optimizer_kwargs={"n_initial_points": 2},
    ).fit(X_REG, Y_REG)
    assert step.alpha == 7.0 and not hasattr(step, "coef_")
    # each setting holds its own clone, showing the values it was evaluated with
    for params in search.cv_results_["params"]:
        assert params["model"] is not step
        assert params["model"].alpha == params["model__alpha"]
    best = search.best_params_
    assert best["model"].alpha == best["model__alpha"]
    assert search.best_estimator_.named_steps["model"].alpha == best["model__alpha"]
    # the optimizer's own record keeps the category itself
    assert all(x[0] is step for x in search.optimizer_results_[0].x_iters)


@pytest.mark.parametrize("spaces, error, message", [
    ({}, ValueError, "empty"),
    ({"alpha": "1 ... 100.0"}, ValueError, "Invalid dimension '1 ... 100.0'"),
    (["alpha", (1.0, 2.0)], TypeError, "'alpha' is not a dict or a"),
])
def test_bayes_search_invalid_spaces_raise_scikit_optimizes_types(
    spaces, error, message
):
    # at fit, not in __init__: scikit-learn's check_estimator requires that
    search = BayesSearchCV(Ridge(), spaces, n_iter=2, cv=2)
    with pytest.raises(error, match=message):
        search.fit(X_REG, Y_REG)


class _NeedsWeights(Ridge):
    def fit(self, X, y, sample_weight=None, extra=None):
        assert extra == "given"
        return super().fit(X, y, sample_weight=sample_weight)


def test_bayes_search_passes_constructor_fit_params_to_fit():
    search = _ridge_search(estimator=_NeedsWeights(), n_iter=2,
                           fit_params={"extra": "given"})
    assert search.get_params()["fit_params"] == {"extra": "given"}
    search.fit(X_REG, Y_REG)
    assert len(search.cv_results_["params"]) == 2
    with pytest.raises(AssertionError):  # fit's own keyword wins
        _ridge_search(estimator=_NeedsWeights(), n_iter=2, error_score="raise",
                      fit_params={"extra": "given"}).fit(X_REG, Y_REG, extra="no")


def test_bayes_search_takes_scikit_optimizes_positional_order_and_iid():
    search = BayesSearchCV(Ridge(), {"alpha": (0.1, 1.0)}, None, 2, None,
                           {"sample_weight": None}, 1, 1, "deprecated")
    assert (search.fit_params, search.n_jobs, search.n_points, search.iid) == (
        {"sample_weight": None}, 1, 1, "deprecated")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _ridge_search(n_iter=2).fit(X_REG, Y_REG)
    with pytest.warns(UserWarning, match="iid parameter has been deprecated"):
        _ridge_search(n_iter=2, iid=False).fit(X_REG, Y_REG)


def test_bayes_search_refuses_a_callback_that_is_not_callable():
    with pytest.raises(ValueError, match="callback should be either a callable"):
        _ridge_search(n_iter=2).fit(X_REG, Y_REG, callback="stop")


def test_bayes_search_a_seed_wrapped_in_a_list_is_still_refused():
    # `[0.5] in Real(...)` holds, as in scikit-optimize; a seed must be a value
    search = _ridge_search(n_iter=2, search_spaces={"alpha": Real(0.1, 1.0)},
                           initial_params={"alpha": [0.5]})
    with pytest.raises(ValueError, match="outside the search space"):
        search.fit(X_REG, Y_REG)
