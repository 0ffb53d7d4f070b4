"""A module's outputs on data, and the validation score they earn.

:func:`predict_raw` is what the estimators' ``predict`` and the validation
score read; :func:`score_outputs` scores them by the one validation metric
(:mod:`metrics`: R² or accuracy, higher is better).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from . import metrics
from .data import TrainingData, to_training_data
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
    """``spec.validation_metric`` of raw outputs against coded targets
    (:func:`metrics.score_outputs`, on host copies)."""
    if spec.validation_metric == "r2":
        output = spec.loss.predict(output)
    return metrics.score_outputs(
        _host(output), _host(target), None if weight is None else _host(weight),
        spec.validation_metric, spec.loss.target_kind)


def _host(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()
