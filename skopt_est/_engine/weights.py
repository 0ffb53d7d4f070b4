"""The sample weights a fit trains on, and what its loss sum is divided by.

The estimators' class weights arrive as ``spec.head_weights``; every path
but the compiled kernel's one-vs-all heads (which weigh each head themselves)
folds them into the sample weights here.
"""

from __future__ import annotations

import dataclasses

import torch

from .data import TrainingData


def class_weighted(train: TrainingData, head_weights,
                   target_kind: str) -> TrainingData:
    """``train`` whose sample weights include the class weights.

    One head: ``positive`` for targets above 0, else ``negative``. Several
    one-vs-all heads (``target_kind='sign'``), as scikit-learn's SGD: head
    ``k`` weighs the rows of its class by its ``positive`` and the others by
    its ``negative``, a weight per (row, head), of ``y``'s shape. One model
    over one-hot targets (the multinomial loss), as ``LogisticRegression``:
    each row the ``positive`` weight of its class.
    """
    as_tensor = {"dtype": train.dtype, "device": train.device}
    positive = torch.tensor([p for p, _ in head_weights], **as_tensor)
    negative = torch.tensor([n for _, n in head_weights], **as_tensor)
    row_weight = train.sample_weight
    if train.y.shape[1] == 1:
        factor = torch.where(train.y[:, 0] > 0, positive[0], negative[0])
    elif target_kind == "sign":
        factor = torch.where(train.y > 0, positive, negative)
        if row_weight is not None:
            row_weight = row_weight[:, None]
    else:
        factor = positive[train.y.argmax(1)]
    weight = factor if row_weight is None else row_weight * factor
    return dataclasses.replace(train, sample_weight=weight.contiguous())


def total_weight(train: TrainingData) -> float:
    """What the epoch's weighted loss sum is divided by: the total sample
    weight; with a weight per (row, head), the heads' mean total, so that
    a head whose class weights are all 1 counts its rows once."""
    weight = train.sample_weight
    if weight is None or weight.ndim == 1:
        return train.total_weight
    return float(weight.sum()) / weight.shape[1]
