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
    """Preprocessing + estimator; a regression target is standardised too."""
    if dataset.task == "regression":
        estimator = TransformedTargetRegressor(
            regressor=estimator, transformer=StandardScaler()
        )
    return Pipeline([("preprocess", _preprocessor(dataset)), ("model", estimator)])


def estimator(dataset, args: argparse.Namespace):
    """The estimator that is tuned, with the recipe's fixed settings."""
    from .. import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor

    is_regression = dataset.task == "regression"
    # early stopping holds out 10% of each training fold: only worth it (and
    # only possible for every class) on folds of a reasonable size
    n_fold_train = dataset.n_samples * (1 - args.test_size) * (args.cv - 1) / args.cv
    common = {
        "max_iter": args.max_iter,
        "random_state": args.seed,
        "device": args.device,
        "early_stopping": n_fold_train >= 200,
    }
    if args.model == "mlp":
        cls = MLPRegressor if is_regression else MLPClassifier
        return cls(hidden_layer_sizes=(32,), **common)
    cls = GDRegressor if is_regression else GDClassifier
    return cls(**common)


def _spaces(model: str) -> dict:
    """The search space of ``model``: the knobs DESIGN §1.1 adds, and the lr."""
    from ..space import Categorical, Real

    rate = "learning_rate_init" if model == "mlp" else "eta0"
    return {
        "solver": Categorical(["adam", "adamw", "sgd", "rmsprop"]),
        "learning_rate": Categorical(["constant", "adaptive", "cosine", "exponential"]),
        "penalty": Categorical(["l2", "l1", "elasticnet"]),
        "alpha": Real(1e-6, 1e-1, prior="log-uniform"),
        "dropout": Real(0.0, 0.5) if model == "mlp" else Real(0.0, 0.3),
        rate: Real(1e-4, 1e-1, prior="log-uniform"),
    }


def _grid(model: str) -> dict:
    """A coarse 18-point grid: solver x learning rate x alpha."""
    rate = "learning_rate_init" if model == "mlp" else "eta0"
    return {
        "solver": ["adam", "sgd"],
        rate: [1e-3, 1e-2, 1e-1],
        "alpha": [1e-5, 1e-3, 1e-1],
    }


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
    if args.search == "bayes":
        spaces = {prefix + k: v for k, v in _spaces(args.model).items()}
        search = BayesSearchCV(
            model, spaces, n_iter=args.n_iter, random_state=args.seed, **common
        )
        progress.total = args.n_iter
        return search, {"callback": progress.on_result}
    if args.search == "grid":
        grid = {prefix + k: v for k, v in _grid(args.model).items()}
        search = ChunkedGridSearchCV(model, grid, **common)
    else:
        distributions = {
            prefix + k: _distribution(v) for k, v in _spaces(args.model).items()
        }
        search = ChunkedRandomizedSearchCV(
            model, distributions, n_iter=args.n_iter, random_state=args.seed, **common
        )
    search.on_chunk = progress.on_chunk
    return search, {}


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
