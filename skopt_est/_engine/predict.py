"""A module's outputs on data, and the validation score they earn.

:func:`predict_raw` is what the estimators' ``predict`` and the validation
score read; :func:`score_outputs` is the one validation metric (R² or
accuracy, higher is better), used on the whole model by the epoch loop and on
each head by the compiled kernel's one-vs-all runner.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from .data import TrainingData, to_training_data
from .losses import accuracy_score, r2_score
from .spec import TrainingSpec


@torch.inference_mode()
def predict_raw(module: nn.Module, X, device: torch.device) -> torch.Tensor:
    """The module's raw output on every row of ``X`` (an array, a sparse
    matrix or a TrainingData), in eval mode."""
    if module.training:
        module.eval()
    forward = getattr(module, "inference_forward", module)
    if isinstance(X, np.ndarray):
        X = np.ascontiguousarray(X) if X.flags.writeable else X.copy()
        return forward(torch.from_numpy(X).to(device))
    data = X if isinstance(X, TrainingData) else to_training_data(
        X, np.zeros(X.shape[0]), None, device)
    return forward(data.features(None))


def validation_score(module: nn.Module, data: TrainingData,
                     spec: TrainingSpec) -> float:
    """R² or accuracy of ``module`` on ``data`` (higher is better)."""
    output = predict_raw(module, data, data.device)
    module.train()
    return score_outputs(output, data.y, data.sample_weight, spec)


def score_outputs(output: torch.Tensor, target: torch.Tensor,
                  weight: torch.Tensor | None, spec: TrainingSpec) -> float:
    """``spec.validation_metric`` of raw outputs against coded targets:
    R² of the predictions, or the accuracy of the decoded labels; NaN for
    outputs that are not finite (as scikit-learn's MLP: a diverged model has
    no score). ``weight`` None weighs every row 1."""
    if not bool(torch.isfinite(output).all()):
        return math.nan
    if weight is None:
        weight = torch.ones(output.shape[0], dtype=output.dtype,
                            device=output.device)
    if spec.validation_metric == "r2":
        score = r2_score(spec.loss.predict(output), target, weight)
        # finite outputs whose squared errors overflow: diverged all the same
        return score if math.isfinite(score) else math.nan
    return accuracy_score(output, target, weight, spec.loss.target_kind)
