"""The inputs of the search plots: fitted searches and ``OptimizeResult``s.

Searches give CV scores (maximised); ``OptimizeResult``s give objective
values (minimised). Each helper says which it returned.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def _is_search(obj) -> bool:
    return hasattr(obj, "cv_results_") or hasattr(obj, "optimizer_results_")


def _score_series(search) -> np.ndarray:
    """Mean CV score of every evaluation of a fitted search, in order."""
    if hasattr(search, "optimizer_results_"):
        values = [
            np.asarray(r["func_vals"], dtype=float) for r in search.optimizer_results_
        ]
        return -np.concatenate(values) if values else np.empty(0)
    results = search.cv_results_
    refit = getattr(search, "refit", True)
    key = "mean_test_score"
    if key not in results:
        key = (
            f"mean_test_{refit}"
            if isinstance(refit, str)
            else next(k for k in results if k.startswith("mean_test_"))
        )
    return np.asarray(results[key], dtype=float)


def _series(result, in_list: bool = False) -> tuple[np.ndarray, bool]:
    """``(values, is_score)``: scores are maximised, objective values minimised."""
    if _is_search(result):
        return _score_series(result), True
    if isinstance(result, Mapping) and "func_vals" in result:
        return np.asarray(result["func_vals"], dtype=float), False
    what = f"list of {type(result).__name__}" if in_list else type(result).__name__
    raise TypeError(
        f"Cannot plot a {what}; pass a fitted BayesSearchCV, a "
        "fitted scikit-learn search, or an OptimizeResult with func_vals "
        "(an entry of optimizer_results_ or Optimizer.get_result())."
    )


def _optimize_result(result, index: int) -> tuple[Mapping, bool]:
    """``(OptimizeResult, is_score)`` for the surrogate and evaluation plots."""
    if hasattr(result, "optimizer_results_"):
        entries = result.optimizer_results_
        if not -len(entries) <= index < len(entries):
            raise ValueError(
                f"index={index} is out of range: the search has {len(entries)} "
                "search space(s)."
            )
        return entries[index], True
    if isinstance(result, Mapping) and {"x_iters", "func_vals", "space"} <= set(result):
        return result, False
    raise TypeError(
        f"Cannot plot a {type(result).__name__}; pass a fitted BayesSearchCV or an "
        "OptimizeResult with x_iters, func_vals and space (an entry of "
        "optimizer_results_ or Optimizer.get_result())."
    )


def _best_so_far(values: np.ndarray, is_score: bool) -> np.ndarray:
    # a failed evaluation (NaN) never counts as the best
    if is_score:
        return np.maximum.accumulate(np.where(np.isfinite(values), values, -np.inf))
    return np.minimum.accumulate(np.where(np.isfinite(values), values, np.inf))
