"""Loss names and how each codes its targets, without torch.

The estimators validate ``loss`` against these names, and the compiled
kernel's lane (``kernel.lane``) needs no more of a loss than its
:class:`LossKind`; :func:`losses.make_loss` builds the torch loss of the
same name and kind (tests/test_losses.py checks they agree).
"""

from __future__ import annotations

from typing import NamedTuple

REGRESSION_LOSSES = (
    "squared_error",
    "huber",
    "epsilon_insensitive",
    "squared_epsilon_insensitive",
)
CLASSIFICATION_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge",
                         "perceptron")
# the losses parametrised by ``epsilon`` (the others carry 0)
EPSILON_LOSSES = ("huber", "epsilon_insensitive", "squared_epsilon_insensitive")

# see losses' module doc for the codings
_TARGET_KINDS = {
    **dict.fromkeys(REGRESSION_LOSSES + ("poisson",), "real"),
    **dict.fromkeys(("hinge", "perceptron", "squared_hinge", "modified_huber"),
                    "sign"),
    "log_loss": "binary",
    "multinomial": "onehot",
}


class LossKind(NamedTuple):
    """What the compiled kernel needs of a loss: its name, its target coding
    and the width ``epsilon`` of the Huber and epsilon-insensitive losses."""

    name: str
    target_kind: str
    epsilon: float = 0.0


def loss_kind(name: str, epsilon: float = 0.1, *,
              one_vs_rest: bool = False) -> LossKind:
    """The :class:`LossKind` of ``make_loss(name, epsilon)``, or of
    ``one_vs_rest`` of it (a regression loss fitted to -1/+1 per head)."""
    target_kind = "sign" if one_vs_rest else _TARGET_KINDS[name]
    width = epsilon if name in EPSILON_LOSSES else 0.0
    return LossKind("log_loss" if name == "multinomial" else name, target_kind,
                    width)
