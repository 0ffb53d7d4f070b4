"""Orchestration of ``skopt-est``: run a command, map its errors, show progress.

Every mistake a user can make on the command line (a missing file, an
unknown column, a target that does not fit the task, an absent device)
ends as one ``skopt-est: error: ...`` line on stderr and exit status 2.
Only the standard library is imported at module level; the recipe, and with
it numpy, scikit-learn and torch, loads after the arguments were checked.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

from .parser import (
    EXIT_INTERRUPTED,
    EXIT_USER_ERROR,
    PROG,
    UserInputError,
    build_parser,
)

__all__ = ["main"]


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
        from .. import __version__

        print(f"{PROG} {__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USER_ERROR
    try:
        if args.command == "predict":
            return _predict(args)
        _check_paths(args)
        return _tune(args)
    except UserInputError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _predict(args: argparse.Namespace) -> int:
    import csv

    import joblib

    from .datasets import DatasetError

    if not os.path.isfile(args.model):
        raise UserInputError(f"MODEL {args.model!r}: no such file.")
    if not os.path.isfile(args.data):
        raise UserInputError(f"FILE.csv {args.data!r}: no such file.")
    if args.output is not None:
        _check_writable("--output", args.output)
    try:
        model = joblib.load(args.model)
    except Exception as exc:  # pickle raises many types for a wrong file
        raise UserInputError(
            f"MODEL {args.model!r} cannot be loaded ({type(exc).__name__}: {exc})."
        ) from None
    columns = getattr(model, "steps", [(None, None)])[0][1]
    if not hasattr(columns, "feature_names"):
        raise UserInputError(
            f"MODEL {args.model!r} was not saved by 'skopt-est tune --save'."
        )
    try:
        predictions = model.predict(args.data)
    except DatasetError as exc:
        raise UserInputError(str(exc)) from None
    output = sys.stdout if args.output is None else open(args.output, "w", newline="")
    try:
        writer = csv.writer(output)
        writer.writerow([columns.target or "prediction"])
        writer.writerows([value] for value in predictions.tolist())
    finally:
        if output is not sys.stdout:
            output.close()
    return 0


def _check_writable(option: str, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UserInputError(
            f"{option} {path!r}: the folder {folder!r} does not exist."
        )
    if os.path.isdir(path):
        raise UserInputError(f"{option} {path!r} is a folder; give a file name.")


def _check_paths(args: argparse.Namespace) -> None:
    """Fail before the search, not after it, when an output cannot be written."""
    for option, path in (("--plot", args.plot), ("--save", args.save)):
        if path is not None:
            _check_writable(option, path)


def _tune(args: argparse.Namespace) -> int:
    # heavy imports start here, after the arguments were checked
    from .._engine.device import resolve_device
    from . import recipe, report
    from .datasets import DatasetError, load_dataset

    try:
        resolve_device(args.device)
    except ValueError as exc:
        raise UserInputError(_in_cli_syntax(str(exc))) from None
    if args.plot is not None:
        _check_matplotlib()
    try:
        dataset = load_dataset(args.data, target=args.target, task=args.task)
    except DatasetError as exc:
        raise UserInputError(str(exc)) from None
    split = recipe.split(dataset, args)
    progress = Progress(disable=args.quiet)
    search, fit_params = recipe.make_search(dataset, args, progress)

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

    result = report.result(dataset, args, search, split, fit_time, baseline)
    if args.save is not None:
        import joblib

        joblib.dump(search.best_estimator_, args.save)
    if args.plot is not None:
        report.save_plot(search, args)
    print(report.to_json(result) if args.json else report.table(result))
    return 0


def _in_cli_syntax(message: str) -> str:
    """A device error of the Python API, in the command line's words.

    ``device='cuda' was requested but ...; use device='cpu'`` becomes
    ``--device cuda was requested but ...; use --device cpu``.
    """
    import re

    return re.sub(r"device='([^']*)'", r"--device \1", message)


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


def _baseline_score(dataset, args: argparse.Namespace, split: dict) -> dict:
    """Fit and score scikit-learn's default peer in the same pipeline."""
    from threadpoolctl import threadpool_limits

    from . import recipe, report

    estimator = recipe.baseline(dataset, args)
    model = recipe.pipeline(dataset, estimator)
    start = time.perf_counter()
    # one BLAS thread: on the shared 2-core machine two threads made
    # MLPClassifier on digits take 60 s instead of 5 s (same scores)
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(split["X_train"], split["y_train"])
    return {
        "estimator": f"sklearn.{type(estimator).__module__.split('.')[1]}."
        f"{type(estimator).__name__}()",
        "test_score": report.finite_or_none(
            model.score(split["X_test"], split["y_test"])
        ),
        "fit_time_s": time.perf_counter() - start,
    }


class Progress:
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

    def on_rung(self, result) -> bool:
        """``HyperbandSearchCV`` callback: one more rung; ``func_vals`` are the
        ``-score`` of the largest resource told so far."""
        import numpy as np

        rows = len(result.hyperband_state["rows"]["params"])
        self.update(rows - self._bar().n, -np.asarray(result.func_vals, dtype=float))
        return False

    def on_chunk(self, n: int, total: int, scores) -> None:
        """Chunked grid/random search callback: ``n`` of ``total`` more done."""
        self.total = total
        self.update(n, scores)

    def update(self, n: int, scores) -> None:
        """Advance by ``n`` settings whose scores are ``scores``."""
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
        """Close the bar, if one was opened."""
        if self.bar is not None:
            self.bar.close()
