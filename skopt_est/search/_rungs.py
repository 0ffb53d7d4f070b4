"""Rung arithmetic of successive halving and of Hyperband's brackets.

Pure integer functions, no estimator: a bracket is successive halving from
``n_candidates`` settings at its first resource, keeping
``ceil(n / factor)`` settings per rung and multiplying the resource by
``factor``, as scikit-learn's ``HalvingRandomSearchCV`` does. The rungs are
laid out from the top down (``max_resources // factor**k``), so every
bracket ends at ``max_resources``; where ``max_resources`` is
``min_resources * factor**k`` this is scikit-learn's bottom-up layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bracket:
    """One run of successive halving: the resource and candidate count per rung."""

    index: int
    n_resources: tuple[int, ...]
    n_candidates: tuple[int, ...]


def n_rungs_possible(min_resources: int, max_resources: int, factor: float) -> int:
    """Rungs that fit between the two resources: ``1 + floor(log_factor(max/min))``.

    Counted with integers (``max // min`` divided by ``factor`` until below
    one), so that ``log(27, 3)`` rounding to ``3.0000000000000004`` or
    ``2.9999999999999996`` cannot add or drop a rung.
    """
    ratio, rungs = max_resources // min_resources, 1
    while ratio >= factor:
        ratio /= factor
        rungs += 1
    return rungs


def halving_rungs(
    n_candidates: int, min_resources: int, max_resources: int, factor: float
) -> Bracket:
    """Successive halving of ``n_candidates`` settings, ending at ``max_resources``.

    As scikit-learn's halving search: the number of rungs is the smaller of
    those the resources allow and those the candidates need
    (``1 + floor(log_factor(n_candidates))``), each rung keeps
    ``ceil(n / factor)`` settings of the one before.
    """
    needed = n_rungs_possible(1, n_candidates, factor)
    rungs = min(n_rungs_possible(min_resources, max_resources, factor), needed)
    first = rungs - 1
    resources = [
        max(min_resources, int(max_resources // factor ** (first - i)))
        for i in range(rungs)
    ]
    candidates = [n_candidates]
    for _ in range(rungs - 1):
        candidates.append(math.ceil(candidates[-1] / factor))
    return Bracket(0, tuple(resources), tuple(candidates))


def hyperband_brackets(
    min_resources: int, max_resources: int, factor: float, n_brackets: int | None
) -> list[Bracket]:
    """Hyperband's brackets, most exploratory first, ``n_brackets`` of them.

    With ``s_max + 1`` rungs possible, bracket ``s`` (``s_max`` down to 0)
    starts ``ceil((s_max + 1) / (s + 1) * factor**s)`` settings at
    ``max_resources // factor**s``; each costs about the same total
    resource. ``n_brackets=None`` runs each once; a larger number cycles
    through them again.
    """
    s_max = n_rungs_possible(min_resources, max_resources, factor) - 1
    count = s_max + 1 if n_brackets is None else n_brackets
    brackets = []
    for index in range(count):
        s = s_max - index % (s_max + 1)
        n_candidates = math.ceil((s_max + 1) / (s + 1) * factor**s - 1e-9)
        start = max(min_resources, int(max_resources // factor**s))
        rungs = halving_rungs(n_candidates, start, max_resources, factor)
        brackets.append(Bracket(index, rungs.n_resources, rungs.n_candidates))
    return brackets
