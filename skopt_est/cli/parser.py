"""The argument parser of ``skopt-est``: the standard library only.

The parser is built and the arguments checked before numpy, scikit-learn or
torch load, so ``skopt-est --help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import sys

from .datasets import BUNDLED

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USER_ERROR",
    "PROG",
    "UserInputError",
    "build_parser",
]

PROG = "skopt-est"
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
MODELS = ("mlp", "gd")
SEARCHES = ("bayes", "grid", "random", "hyperband")


class UserInputError(Exception):
    """A mistake on the command line: reported as one line, without traceback."""


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one ``skopt-est: error:`` line."""

    def error(self, message: str):
        print(f"{PROG}: error: {message} (see '{self.prog} --help')", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)


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
        prog=PROG,
        description=(
            "scikit-learn estimators trained by gradient descent on PyTorch, "
            "tuned with a Gaussian-process BayesSearchCV."
        ),
    )
    parser.add_argument("--version", action="store_true", help="print the version")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    _add_tune(commands)
    _add_predict(commands)
    return parser


def _add_predict(commands) -> None:
    predict = commands.add_parser(
        "predict",
        help="predict with a model saved by 'tune --save'",
        description=(
            "Predict the target of every row of a CSV file with a model saved by "
            "'skopt-est tune --save'. The file needs a header row naming the "
            "feature columns the model was trained on, in any order; other "
            "columns (the target, an id) are ignored. Writes one column, named "
            "after the target, with one prediction per row."
        ),
    )
    predict.add_argument("model", metavar="MODEL", help="the saved model file")
    predict.add_argument("data", metavar="FILE.csv", help="the rows to predict")
    predict.add_argument(
        "--output",
        metavar="OUT.csv",
        help="write the predictions to this file (default: standard output)",
    )


def _add_tune(commands) -> None:
    tune = commands.add_parser(
        "tune",
        help="tune a model's hyperparameters by cross-validation",
        description=(
            "Tune an estimator's hyperparameters (solver, learning-rate schedule, "
            "penalty, alpha, dropout, learning rate) by cross-validated search on "
            "the training part of a data set, then report the best parameters, "
            "the CV score, the held-out test score, the time taken and the score "
            "of scikit-learn's default model. With no options: an MLPRegressor on "
            "the diabetes data, 15 Bayesian-search iterations starting from the "
            "default parameters, 3-fold CV."
        ),
    )
    tune.add_argument(
        "--data",
        default="diabetes",
        metavar="NAME|FILE.csv",
        help=f"a bundled data set ({', '.join(BUNDLED)}) or a CSV file with a "
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
        help="for a CSV: 'auto' is classification for text labels, or numbers "
        "that scikit-learn's type_of_target calls binary, or multiclass with at "
        "most 20 distinct values, and regression otherwise (default: auto)",
    )
    tune.add_argument(
        "--model",
        choices=MODELS,
        default="mlp",
        help="mlp: MLPRegressor/MLPClassifier; gd: GDRegressor/"
        "GDClassifier (default: mlp)",
    )
    tune.add_argument(
        "--search",
        choices=SEARCHES,
        default="bayes",
        help="bayes: BayesSearchCV; grid: GridSearchCV on a fixed "
        "coarse grid (ignores --n-iter); random: RandomizedSearchCV; "
        "hyperband: HyperbandSearchCV over the epochs (ignores --n-iter) "
        "(default: bayes)",
    )
    tune.add_argument(
        "--n-iter",
        type=_positive_int,
        default=None,
        metavar="N",
        help="parameter settings tried (default: by the size of the data, "
        "see the docs)",
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
        default=None,
        metavar="N",
        help="maximum training epochs per fit (default: 50)",
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
