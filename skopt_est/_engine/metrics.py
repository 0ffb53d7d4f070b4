"""The validation metrics, on host numpy arrays: R² and accuracy.

Early stopping scores raw outputs against the coded targets once an epoch
(:func:`score_outputs`); the torch path hands its outputs over as numpy
(``predict.validation_score``), the compiled kernel's lane has them as numpy.
"""

from __future__ import annotations

import math

import numpy as np


def count_correct(output: np.ndarray, target: np.ndarray,
                  target_kind: str) -> np.ndarray:
    """Boolean array (n_samples,): is each sample's predicted label right?"""
    if target_kind == "binary":
        return ((output > 0) == (target > 0.5)).all(axis=1)
    if output.shape[1] == 1:
        return (output[:, 0] > 0) == (target[:, 0] > 0)
    return output.argmax(axis=1) == target.argmax(axis=1)


def r2_score(output: np.ndarray, target: np.ndarray, weight: np.ndarray) -> float:
    """R² averaged uniformly over outputs, weighted by ``weight``, as sklearn."""
    weight = weight[:, None]
    mean = (weight * target).sum(axis=0) / weight.sum()
    residual = (weight * (target - output) ** 2).sum(axis=0)
    spread = (weight * (target - mean) ** 2).sum(axis=0)
    safe_spread = np.where(spread > 0, spread, 1.0)
    scores = np.where(spread > 0, 1.0 - residual / safe_spread,
                      np.where(residual > 0, 0.0, 1.0))
    return float(scores.mean())


def accuracy_score(output: np.ndarray, target: np.ndarray, weight: np.ndarray,
                   target_kind: str) -> float:
    """Weighted accuracy of the labels decoded from ``output``."""
    correct = count_correct(output, target, target_kind)
    return float((correct * weight).sum() / weight.sum())


def score_outputs(output: np.ndarray, target: np.ndarray,
                  weight: np.ndarray | None, metric: str,
                  target_kind: str) -> float:
    """``metric`` (``'r2'`` or ``'accuracy'``) of ``output``, predictions on
    the target's scale, against coded targets: R² of the predictions, or
    the accuracy of the decoded labels; NaN for outputs that are not finite
    (as scikit-learn's MLP: a diverged model has no score). ``weight`` None
    weighs every row 1."""
    if not np.isfinite(output).all():
        return math.nan
    if weight is None:
        weight = np.ones(output.shape[0], dtype=output.dtype)
    if metric == "r2":
        with np.errstate(over="ignore", invalid="ignore"):
            score = r2_score(output, target, weight)
        # finite outputs whose squared errors overflow: diverged all the same
        return score if math.isfinite(score) else math.nan
    return accuracy_score(output, target, weight, target_kind)
