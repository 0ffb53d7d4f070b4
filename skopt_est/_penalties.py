"""Penalty registry: ``penalty`` name -> how it splits into L2 and L1 parts.

The penalty is ``alpha * ((1 - r) / 2 * ||w||² + r * ||w||_1)`` on weights only,
never on biases, with ``r`` the L1 fraction. The smooth L2 part goes into the
gradient (fused into the weight gradient's matrix product on the closed-form
path) or, for AdamW, into the optimizer's decoupled ``weight_decay``; the L1
part is a proximal soft-threshold after each optimizer step, which sets
weights to exact zeros as scikit-learn's SGD does. How the strengths scale
with the batch is the objective's rule (``_objective``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from ._spec import TrainingSpec


@dataclass(frozen=True)
class Penalty:
    """Strengths of the two parts, already multiplied by ``alpha``."""

    l2: float
    l1: float

    def value(self, weights: list[torch.Tensor]) -> torch.Tensor:
        """The penalty's value at ``weights`` (a 0-d tensor)."""
        total = weights[0].new_zeros(())
        for weight in weights:
            if self.l2:
                total = total + 0.5 * self.l2 * weight.square().sum()
            if self.l1:
                total = total + self.l1 * weight.abs().sum()
        return total

    def proximal_step_(self, weights: list[torch.Tensor], lr: float) -> None:
        """Soft-threshold ``weights`` in place by ``lr * l1``."""
        if not self.l1:  # checked before any no_grad switch: this runs per step
            return
        with torch.no_grad():
            for weight in weights:
                soft_threshold_(weight, lr * self.l1)


@torch.no_grad()
def soft_threshold_(weight: torch.Tensor, threshold: float) -> None:
    """``w <- sign(w) * max(|w| - threshold, 0)``, in place."""
    weight.copy_(weight.sign() * (weight.abs() - threshold).clamp_min(0.0))


_PENALTIES: dict[str | None, Callable[[float], tuple[float, float]]] = {
    None: lambda l1_ratio: (0.0, 0.0),
    "l2": lambda l1_ratio: (1.0, 0.0),
    "l1": lambda l1_ratio: (0.0, 1.0),
    "elasticnet": lambda l1_ratio: (1.0 - l1_ratio, l1_ratio),
}

PENALTIES = tuple(name for name in _PENALTIES if name is not None)


def split_penalty(name: str | None, strength: float, l1_ratio: float) -> Penalty:
    """Penalty ``name`` at ``strength`` (``alpha``), split into its parts."""
    l2_fraction, l1_fraction = _PENALTIES[name](l1_ratio)
    return Penalty(l2=strength * l2_fraction, l1=strength * l1_fraction)


def make_penalty(spec: TrainingSpec) -> Penalty:
    """The penalty of ``spec`` at its nominal strength ``penalty_alpha``."""
    return split_penalty(spec.penalty, spec.penalty_alpha, spec.l1_ratio)
