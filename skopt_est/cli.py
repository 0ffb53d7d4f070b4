"""The ``skopt-est`` command line (also ``python -m skopt_est``).

Only the standard library is imported at module level: the parser is built
and the arguments checked before numpy, scikit-learn or torch load, so
``skopt-est --help`` and argument errors answer at once. The work happens in
``_run``, which imports what it needs.

Every mistake a user can make on the command line (a missing file, an
unknown column, a target that does not fit the task, an absent device)
ends as one ``skopt-est: error: ...`` line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

__all__ = ["build_parser", "main"]

_PROG = "skopt-est"
_DATASETS = ("diabetes", "breast_cancer", "digits", "iris", "wine")
_MODELS = ("mlp", "gd")
_SEARCHES = ("bayes", "grid", "random")
_EXIT_USER_ERROR = 2
_EXIT_INTERRUPTED = 130


class UserInputError(Exception):
    """A mistake on the command line: reported as one line, without traceback."""


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one ``skopt-est: error:`` line."""

    def error(self, message: str):
        print(f"{_PROG}: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        sys.exit(_EXIT_USER_ERROR)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _cv_folds(text: str) -> int:
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"{value} must be at least 2")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{value} must be in (0, 1)")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``skopt-est``; imports nothing heavy.

    Returns
    -------
    parser : argparse.ArgumentParser
    """
    parser = _Parser(
        prog=_PROG,
        description=(
            "scikit-learn estimators trained by gradient descent on PyTorch, "
            "tuned with a Gaussian-process BayesSearchCV."
        ),
    )
    parser.add_argument("--version", action="store_true", help="print the version")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    tune = commands.add_parser(
        "tune",
        help="tune a model's hyperparameters by cross-validation",
        description=(
            "Tune an estimator's hyperparameters (solver, learning-rate schedule, "
            "penalty, alpha, dropout, learning rate) by cross-validated search on "
            "the training part of a data set, then report the best parameters, "
            "the CV score, the held-out test score, the time taken and the score "
            "of scikit-learn's default model. With no options: an MLPRegressor on "
            "the diabetes data, 20 Bayesian-search iterations, 3-fold CV."
        ),
    )
    tune.add_argument(
        "--data",
        default="diabetes",
        metavar="NAME|FILE.csv",
        help=f"a bundled data set ({', '.join(_DATASETS)}) or a CSV file with a "
        "header row (default: diabetes)",
    )
    tune.add_argument(
        "--target",
        metavar="COLUMN",
        help="the target column of a CSV file (required with a CSV)",
    )
    tune.add_argument(
        "--task",
        choices=("auto", "regression", "classification"),
        default="auto",
        help="for a CSV: 'auto' is regression for a numeric target and "
        "classification otherwise (default: auto)",
    )
    tune.add_argument(
        "--model",
        choices=_MODELS,
        default="mlp",
        help="mlp: MLPRegressor/MLPClassifier; gd: GDRegressor/"
        "GDClassifier (default: mlp)",
    )
    tune.add_argument(
        "--search",
        choices=_SEARCHES,
        default="bayes",
        help="bayes: BayesSearchCV; grid: GridSearchCV on a fixed "
        "coarse grid (ignores --n-iter); random: RandomizedSearchCV "
        "(default: bayes)",
    )
    tune.add_argument(
        "--n-iter",
        type=_positive_int,
        default=20,
        metavar="N",
        help="parameter settings tried (default: 20)",
    )
    tune.add_argument(
        "--cv",
        type=_cv_folds,
        default=3,
        metavar="K",
        help="cross-validation folds (default: 3)",
    )
    tune.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        metavar="N",
        help="parallel fits, -1 for all cores (default: 1)",
    )
    tune.add_argument(
        "--device", default="cpu", help="cpu, cuda, cuda:N, mps or auto (default: cpu)"
    )
    tune.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of the split, the folds, the search and the models (default: 0)",
    )
    tune.add_argument(
        "--max-iter",
        type=_positive_int,
        default=200,
        metavar="N",
        help="maximum training epochs per fit (default: 200)",
    )
    tune.add_argument(
        "--test-size",
        type=_fraction,
        default=0.25,
        metavar="F",
        help="fraction held out for the test score (default: 0.25)",
    )
    tune.add_argument(
        "--plot",
        metavar="FILE.png",
        help="save the convergence plot (needs skopt-est[plots])",
    )
    tune.add_argument(
        "--save",
        metavar="FILE",
        help="save the best model, refitted on the training part, with joblib",
    )
    tune.add_argument(
        "--json",
        action="store_true",
        help="print the result as one JSON object instead of a table",
    )
    tune.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``skopt-est`` with ``argv`` (default: ``sys.argv[1:]``).

    Parameters
    ----------
    argv : list of str or None, default=None
        The command-line arguments, without the program name.

    Returns
    -------
    status : int
        0 on success, 2 for a user error, 130 when interrupted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"{_PROG} {__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return _EXIT_USER_ERROR
    try:
        _check_paths(args)
        return _run(args)
    except UserInputError as exc:
        print(f"{_PROG}: error: {exc}", file=sys.stderr)
        return _EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"{_PROG}: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED


def _check_paths(args: argparse.Namespace) -> None:
    """Fail before the search, not after it, when an output cannot be written."""
    for option, path in (("--plot", args.plot), ("--save", args.save)):
        if path is None:
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise UserInputError(
                f"{option} {path!r}: the folder {folder!r} does not exist."
            )
        if os.path.isdir(path):
            raise UserInputError(f"{option} {path!r} is a folder; give a file name.")


def _run(args: argparse.Namespace) -> int:
    # heavy imports start here, after the arguments were checked
    from ._datasets import DatasetError, load_dataset
    from ._device import resolve_device

    try:
        resolve_device(args.device)
    except ValueError as exc:
        raise UserInputError(f"--device {args.device}: {exc}") from None
    if args.plot is not None:
        _check_matplotlib()
    try:
        dataset = load_dataset(args.data, target=args.target, task=args.task)
    except DatasetError as exc:
        raise UserInputError(str(exc)) from None
    split = _split(dataset, args)
    search, progress, fit_params = _make_search(dataset, args)

    with warnings.catch_warnings():
        # non-convergence at a small max_iter is expected while searching
        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        start = time.perf_counter()
        try:
            search.fit(split["X_train"], split["y_train"], **fit_params)
        except ValueError as exc:
            raise UserInputError(f"the search failed: {_one_line(exc)}") from None
        finally:
            progress.close()
        fit_time = time.perf_counter() - start
        baseline = _baseline_score(dataset, args, split)

    result = _result(dataset, args, search, split, fit_time, baseline)
    if args.save is not None:
        import joblib

        joblib.dump(search.best_estimator_, args.save)
    if args.plot is not None:
        _save_plot(search, args)
    if args.json:
        print(json.dumps(result, indent=2, default=_json_default))
    else:
        print(_table(result))
    return 0


def _one_line(exc: BaseException) -> str:
    """The innermost error line of a (possibly multi-line) exception message.

    scikit-learn reports failed fits with their tracebacks inside the
    message; the user needs only the last ``SomeError: ...`` line of them.
    """
    import re

    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [
        line for line in lines if re.match(r"^[A-Za-z_.]*(Error|Exception): ", line)
    ]
    if errors:
        return errors[-1].split(": ", 1)[1]
    return lines[0] if lines else type(exc).__name__


def _check_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserInputError(
            "--plot needs matplotlib; install it with: pip install skopt-est[plots]"
        ) from None


def _split(dataset, args: argparse.Namespace) -> dict:
    import numpy as np
    from sklearn.model_selection import train_test_split

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
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

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


def _model_prefix(dataset) -> str:
    return "model__regressor__" if dataset.task == "regression" else "model__"


def _pipeline(dataset, estimator):
    """Preprocessing + estimator; a regression target is standardised too."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if dataset.task == "regression":
        estimator = TransformedTargetRegressor(
            regressor=estimator, transformer=StandardScaler()
        )
    return Pipeline([("preprocess", _preprocessor(dataset)), ("model", estimator)])


def _estimator(dataset, args: argparse.Namespace):
    from . import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor

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
    from .space import Categorical, Real

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
    from scipy.stats import loguniform, uniform

    from .space import Categorical

    if isinstance(dimension, Categorical):
        return list(dimension.categories)
    if dimension.prior == "log-uniform":
        return loguniform(dimension.low, dimension.high)
    return uniform(dimension.low, dimension.high - dimension.low)


def _cv_splitter(dataset, args: argparse.Namespace):
    from sklearn.model_selection import KFold, StratifiedKFold

    cls = StratifiedKFold if dataset.task == "classification" else KFold
    return cls(n_splits=args.cv, shuffle=True, random_state=args.seed)


def _make_search(dataset, args: argparse.Namespace):
    """The search, its progress bar, and the extra arguments of its ``fit``."""
    from .search import BayesSearchCV

    prefix = _model_prefix(dataset)
    pipeline = _pipeline(dataset, _estimator(dataset, args))
    progress = _Progress(disable=args.quiet)
    common = {"cv": _cv_splitter(dataset, args), "n_jobs": args.n_jobs, "refit": True}
    if args.search == "bayes":
        spaces = {prefix + k: v for k, v in _spaces(args.model).items()}
        search = BayesSearchCV(
            pipeline, spaces, n_iter=args.n_iter, random_state=args.seed, **common
        )
        progress.total = args.n_iter
        return search, progress, {"callback": progress.on_result}
    grid_search_cls, random_search_cls = _chunked_searches(progress)
    if args.search == "grid":
        grid = {prefix + k: v for k, v in _grid(args.model).items()}
        return grid_search_cls(pipeline, grid, **common), progress, {}
    distributions = {
        prefix + k: _distribution(v) for k, v in _spaces(args.model).items()
    }
    search = random_search_cls(
        pipeline, distributions, n_iter=args.n_iter, random_state=args.seed, **common
    )
    return search, progress, {}


class _Progress:
    """A tqdm bar on stderr over evaluated settings, with the best score so far."""

    def __init__(self, disable: bool):
        self.disable = disable
        self.total = None
        self.bar = None
        self.best = float("-inf")

    def _bar(self):
        if self.bar is None:
            from tqdm.auto import tqdm

            self.bar = tqdm(
                total=self.total,
                desc="search",
                unit="setting",
                disable=self.disable,
                file=sys.stderr,
            )
        return self.bar

    def on_result(self, result) -> bool:
        """``BayesSearchCV`` callback: ``result.func_vals`` holds ``-score``."""
        import numpy as np

        values = -np.asarray(result.func_vals, dtype=float)
        self.update(len(values) - self._bar().n, values[-1:])
        return False

    def update(self, n: int, scores) -> None:
        import numpy as np

        finite = np.asarray(scores, dtype=float)
        finite = finite[np.isfinite(finite)]
        if len(finite):
            self.best = max(self.best, float(finite.max()))
        bar = self._bar()
        if np.isfinite(self.best):
            bar.set_postfix(best_score=f"{self.best:.4g}", refresh=False)
        bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _chunked_searches(progress: _Progress):
    """Grid and randomized searches that evaluate in chunks, to drive the bar."""
    from joblib import effective_n_jobs
    from sklearn.model_selection import (
        GridSearchCV,
        ParameterGrid,
        ParameterSampler,
        RandomizedSearchCV,
    )

    def run_in_chunks(search, evaluate_candidates, candidates):
        progress.total = len(candidates)
        size = max(1, effective_n_jobs(search.n_jobs))
        for start in range(0, len(candidates), size):
            chunk = candidates[start : start + size]
            results = evaluate_candidates(chunk)
            progress.update(len(chunk), results["mean_test_score"][-len(chunk) :])

    class ChunkedGridSearchCV(GridSearchCV):
        def _run_search(self, evaluate_candidates):
            run_in_chunks(
                self, evaluate_candidates, list(ParameterGrid(self.param_grid))
            )

    class ChunkedRandomizedSearchCV(RandomizedSearchCV):
        def _run_search(self, evaluate_candidates):
            sampler = ParameterSampler(
                self.param_distributions, self.n_iter, random_state=self.random_state
            )
            run_in_chunks(self, evaluate_candidates, list(sampler))

    return ChunkedGridSearchCV, ChunkedRandomizedSearchCV


def _baseline(dataset, args: argparse.Namespace):
    """scikit-learn's peer with its default parameters, in the same pipeline."""
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


def _baseline_score(dataset, args: argparse.Namespace, split: dict) -> dict:
    estimator = _baseline(dataset, args)
    pipeline = _pipeline(dataset, estimator)
    start = time.perf_counter()
    pipeline.fit(split["X_train"], split["y_train"])
    return {
        "estimator": f"sklearn.{type(estimator).__module__.split('.')[1]}."
        f"{type(estimator).__name__}()",
        "test_score": _finite_or_none(pipeline.score(split["X_test"], split["y_test"])),
        "fit_time_s": time.perf_counter() - start,
    }


def _result(
    dataset, args, search, split: dict, fit_time: float, baseline: dict
) -> dict:
    prefix = _model_prefix(dataset)
    estimator = _estimator(dataset, args)
    best_params = {
        name.removeprefix(prefix): value for name, value in search.best_params_.items()
    }
    return {
        "data": dataset.name,
        "task": dataset.task,
        "n_train": int(len(split["y_train"])),
        "n_test": int(len(split["y_test"])),
        "model": type(estimator).__name__,
        "search": type(search).__name__.removeprefix("Chunked"),
        "n_candidates": int(len(search.cv_results_["params"])),
        "cv": args.cv,
        "scoring": "r2" if dataset.task == "regression" else "accuracy",
        "best_params": best_params,
        "best_cv_score": _finite_or_none(search.best_score_),
        "test_score": _finite_or_none(search.score(split["X_test"], split["y_test"])),
        "fit_time_s": fit_time,
        "baseline": baseline,
        "saved_model": args.save,
        "plot": args.plot,
    }


def _finite_or_none(value) -> float | None:
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None


def _json_default(value):
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return repr(value)


def _format_value(value) -> str:
    if value is None:
        return "failed"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _format_score(value: float | None) -> str:
    return "failed" if value is None else f"{value:.4f}"


def _table(result: dict) -> str:
    scoring = result["scoring"]
    lines = [
        f"{result['model']} on {result['data']} ({result['task']}, "
        f"{result['n_train']} train / {result['n_test']} test rows): "
        f"{result['search']}, {result['n_candidates']} settings, "
        f"{result['cv']}-fold CV",
        "",
        "best parameters",
    ]
    width = max(len(name) for name in result["best_params"])
    for name, value in sorted(result["best_params"].items()):
        lines.append(f"  {name:<{width}}  {_format_value(value)}")
    baseline = result["baseline"]
    rows = [
        (f"best CV score ({scoring})", _format_score(result["best_cv_score"])),
        (f"held-out test score ({scoring})", _format_score(result["test_score"])),
        ("fit time", f"{result['fit_time_s']:.1f} s"),
        (f"{baseline['estimator']} test score", _format_score(baseline["test_score"])),
    ]
    if result["saved_model"]:
        rows.append(("saved model", result["saved_model"]))
    if result["plot"]:
        rows.append(("convergence plot", result["plot"]))
    width = max(len(label) for label, _ in rows)
    lines.append("")
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    return "\n".join(lines)


def _save_plot(search, args: argparse.Namespace) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import plot_convergence

    ax = plot_convergence(search, labels=[f"{args.search} search"])
    ax.set_title(f"{args.model} on {args.data}: best CV score by iteration")
    try:
        ax.figure.savefig(args.plot, dpi=80, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise UserInputError(
            f"--plot {args.plot!r} cannot be written ({exc})."
        ) from None
    finally:
        plt.close(ax.figure)
