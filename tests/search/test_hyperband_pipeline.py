"""HyperbandSearchCV on a Pipeline: the last step continues by partial_fit
where refitting the other steps gives the same features; else it refits."""

import numpy as np
import pytest
from _toys import EpochToy  # tests/search is on sys.path (no __init__)
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.datasets import load_digits, make_regression
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import MLPClassifier
from skopt_est.search import HyperbandSearchCV
from skopt_est.search._continuation import FoldTask, advance_fold, continuation_mode
from skopt_est.space import Real

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X_DIGITS, Y_DIGITS = load_digits(return_X_y=True)
X_DIGITS, Y_DIGITS = X_DIGITS[:400], Y_DIGITS[:400]


X_REG, Y_REG = make_regression(n_samples=60, n_features=4, noise=1.0, random_state=0)


class _Sampler(BaseEstimator):
    """A step that resamples rows, as imbalanced-learn's samplers do."""

    def fit_resample(self, X, y):
        return X, y

    def transform(self, X):
        return X


class _Subclass(Pipeline):
    pass


def _mlp(**kwargs):
    return MLPClassifier(hidden_layer_sizes=(16,), learning_rate_init=0.01,
                         random_state=0, **kwargs)


@pytest.mark.parametrize(
    "estimator, resource, fit_params, mode",
    [
        (make_pipeline(StandardScaler(), _mlp()), "mlpclassifier__max_iter", {},
         "pipeline_partial_fit"),
        (make_pipeline(PCA(5, random_state=0), "passthrough", _mlp()),
         "mlpclassifier__max_iter", {}, "pipeline_partial_fit"),
        # a refit of PCA(random_state=None) may give other features
        (make_pipeline(PCA(5), _mlp()), "mlpclassifier__max_iter", {}, "refit"),
        (make_pipeline(_Sampler(), _mlp()), "mlpclassifier__max_iter", {}, "refit"),
        (_Subclass([("s", StandardScaler()), ("m", _mlp())]), "m__max_iter", {},
         "refit"),
        (make_pipeline(StandardScaler(), _mlp()), "mlpclassifier__max_iter",
         {"mlpclassifier__sample_weight": np.ones(3)}, "refit"),
        (make_pipeline(StandardScaler(), _mlp()), "mlpclassifier__batch_size", {},
         "refit"),
        (make_pipeline(StandardScaler(), LogisticRegression()),
         "logisticregression__max_iter", {}, "refit"),
        (make_pipeline(StandardScaler(), _mlp()), "n_samples", {}, "refit"),
    ],
)
def test_mode_of_a_pipeline(estimator, resource, fit_params, mode):
    assert continuation_mode(estimator, resource, fit_params) == mode


def _task(max_resources, mode="pipeline_partial_fit", classes=np.arange(10)):
    return FoldTask(
        resource="mlpclassifier__max_iter", mode=mode, max_resources=max_resources,
        scorer=get_scorer("accuracy"), error_score="raise",
        return_train_score=False, fit_params={}, classes=classes,
    )


def _continue_to_9(pipe, train, test):
    """A fold of ``pipe`` trained to rung 3, then continued to rung 9."""
    task = _task(max_resources=9)
    _, model = advance_fold(task, pipe, None, {}, X_DIGITS, Y_DIGITS,
                            (train, test), 0, 3, 0)
    return advance_fold(task, pipe, model, {}, X_DIGITS, Y_DIGITS,
                        (train, test), 3, 9, 0)


@pytest.mark.parametrize("schedule, dropout", [("constant", 0.0), ("cosine", 0.2)])
def test_continued_pipeline_equals_the_refit_free_path(schedule, dropout):
    pipe = make_pipeline(StandardScaler(), _mlp(learning_rate=schedule,
                                                 dropout=dropout))
    train, test = np.arange(300), np.arange(300, 400)
    out, model = _continue_to_9(pipe, train, test)
    continued = model[-1]
    # the bare estimator continued on the scaled rows, one partial_fit an epoch
    scaled = StandardScaler().fit_transform(X_DIGITS[train])
    bare = _mlp(learning_rate=schedule, dropout=dropout, max_iter=9)
    for _ in range(9):
        bare.partial_fit(scaled, Y_DIGITS[train], classes=np.arange(10))
    # and the pipeline fitted for max_resources epochs, the stop rule off
    whole = clone(pipe).set_params(mlpclassifier__max_iter=9,
                                   mlpclassifier__n_iter_no_change=np.inf)
    whole.fit(X_DIGITS[train], Y_DIGITS[train])
    assert continued.t_ == bare.t_ == whole[-1].t_ == 9 * 300
    for got, want, fitted in zip(continued.coefs_, bare.coefs_, whole[-1].coefs_,
                                 strict=True):
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(got, fitted)
    assert out["test_scores"] == whole.score(X_DIGITS[test], Y_DIGITS[test])


def test_pipeline_continuation_costs_one_training_to_the_top():
    def search(continuation):
        return HyperbandSearchCV(
            make_pipeline(StandardScaler(), EpochToy()), {"epochtoy__lr": Real(0, 1)},
            resource="epochtoy__max_iter", min_resources=1, max_resources=27,
            cv=2, random_state=0, refit=False, continuation=continuation,
            optimizer_kwargs={"n_initial_points": 4},
        )

    EpochToy.epochs_run = 0
    continued = search("auto").fit(X_REG, Y_REG)
    assert continued.continuation_ == "pipeline_partial_fit"
    last = {}
    results = continued.cv_results_
    for params, r in zip(results["params"], results["n_resources"]):
        lr = params["epochtoy__lr"]
        last[lr] = max(last.get(lr, 0), r)
    assert EpochToy.epochs_run == 2 * sum(last.values())
    EpochToy.epochs_run = 0
    refitted = search("refit").fit(X_REG, Y_REG)
    assert refitted.continuation_ == "refit"
    assert EpochToy.epochs_run == 2 * int(np.sum(results["n_resources"]))
    # the same rungs, the same scores: the toy's score is its epochs and lr
    np.testing.assert_array_equal(results["mean_test_score"],
                                  refitted.cv_results_["mean_test_score"])


class _Noisy(TransformerMixin, BaseEstimator):
    """Adds noise drawn at fit time: not the same features at each refit."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        self.shift_ = np.random.default_rng(self.random_state).normal(size=X.shape[1])
        return self

    def transform(self, X):
        return X + self.shift_


def test_a_pipeline_that_refits_otherwise_falls_back_to_refitting():
    pipe = make_pipeline(_Noisy(), _mlp(max_iter=9))
    search = HyperbandSearchCV(
        pipe, {"mlpclassifier__alpha": Real(1e-5, 1e-2, prior="log-uniform")},
        resource="mlpclassifier__max_iter", min_resources=3, cv=2, random_state=0,
    ).fit(X_DIGITS / 16, Y_DIGITS)
    assert search.continuation_ == "refit"
    assert search.best_estimator_[-1].n_iter_ <= 9
    pipe.set_params(_noisy__random_state=0)
    assert continuation_mode(pipe, "mlpclassifier__max_iter") == (
        "pipeline_partial_fit")


def test_a_setting_without_partial_fit_refits_its_pipeline():
    pipe = make_pipeline(StandardScaler(), _mlp(solver="lbfgs"))
    train, test = np.arange(300), np.arange(300, 400)
    out, model = _continue_to_9(pipe, train, test)
    assert out["fit_error"] is None
    whole = clone(pipe).set_params(mlpclassifier__max_iter=9).fit(
        X_DIGITS[train], Y_DIGITS[train])
    np.testing.assert_array_equal(model[-1].coefs_[0], whole[-1].coefs_[0])
