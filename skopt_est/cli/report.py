"""What ``skopt-est tune`` prints and saves: the result as a table or JSON, the plot.

``result`` gathers one run into a plain dict (the ``--json`` output); ``table``
formats the same dict for a terminal.
"""

from __future__ import annotations

import argparse
import json

from .parser import UserInputError

__all__ = ["PLOT_DPI", "result", "save_plot", "table", "to_json"]

PLOT_DPI = 150


def result(dataset, args, search, split: dict, fit_time: float, baseline: dict) -> dict:
    """One run as a plain dict: the data, the search, the scores, the outputs."""
    from . import recipe

    prefix = recipe.model_prefix(dataset)
    estimator = recipe.estimator(dataset, args)
    best_params = {
        name.removeprefix(prefix): value for name, value in search.best_params_.items()
    }
    return {
        "data": dataset.name,
        "task": dataset.task,
        "task_reason": dataset.task_reason,
        "n_train": int(len(split["y_train"])),
        "n_test": int(len(split["y_test"])),
        "model": type(estimator).__name__,
        "search": type(search).__name__.removeprefix("Chunked"),
        "n_candidates": int(len(search.cv_results_["params"])),
        "cv": args.cv,
        "scoring": "r2" if dataset.task == "regression" else "accuracy",
        "best_params": best_params,
        "best_cv_score": finite_or_none(
            search.cv_results_["mean_test_score"][search.best_index_]
        ),
        "test_score": finite_or_none(search.score(split["X_test"], split["y_test"])),
        "fit_time_s": fit_time,
        "baseline": baseline,
        "saved_model": args.save,
        "plot": args.plot,
    }


def finite_or_none(value) -> float | None:
    """``value`` as a float, or None when it is NaN or infinite (a failed score)."""
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None


def _json_default(value):
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return repr(value)


def to_json(result: dict) -> str:
    """``result`` as indented JSON; numpy values become plain numbers."""
    return json.dumps(result, indent=2, default=_json_default)


def _format_value(value) -> str:
    if value is None:
        return "failed"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _format_score(value: float | None) -> str:
    return "failed" if value is None else f"{value:.4f}"


def table(result: dict) -> str:
    """``result`` as the lines printed on a terminal."""
    scoring = result["scoring"]
    lines = [
        f"{result['model']} on {result['data']} ({result['task']}, "
        f"{result['n_train']} train / {result['n_test']} test rows): "
        f"{result['search']}, {result['n_candidates']} settings, "
        f"{result['cv']}-fold CV",
        f"task: {result['task']}, as {result['task_reason']}",
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


def save_plot(search, args: argparse.Namespace) -> None:
    """Save the convergence plot of ``search`` to ``args.plot``.

    At ``PLOT_DPI`` (150) with 11-point text: matplotlib's default 100 dpi
    and 10 points read small on a laptop screen.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plots import plot_convergence

    with matplotlib.rc_context({"font.size": 11}):
        ax = plot_convergence(search, labels=[f"{args.search} search"])
        ax.set_title(f"{args.model} on {args.data}: best CV score by iteration")
        try:
            ax.figure.savefig(args.plot, dpi=PLOT_DPI, bbox_inches="tight")
        except (OSError, ValueError) as exc:
            raise UserInputError(
                f"--plot {args.plot!r} cannot be written ({exc})."
            ) from None
        finally:
            plt.close(ax.figure)
