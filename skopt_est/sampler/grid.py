"""Regular grids."""

from __future__ import annotations

import itertools
import math

import numpy as np
from sklearn.utils import check_random_state

from .base import InitialPointGenerator

__all__ = ["Grid"]

_BORDERS = ("include", "exclude", "only")


def _levels(border: str, order: int) -> np.ndarray:
    """``order`` evenly spaced levels in ``[0, 1]``, with or without 0 and 1."""
    if border == "exclude":
        return np.arange(1, order + 1) / (order + 1)
    return np.linspace(0.0, 1.0, order)


def _layout(border: str, n_dims: int, order: int) -> np.ndarray:
    """The full factorial design of ``order`` levels per dimension; with
    'only', the two ends in every dimension but the last."""
    if border == "only":
        axes = [np.array([0.0, 1.0])] * (n_dims - 1) + [_levels("include", order)]
    else:
        axes = [_levels(border, order)] * n_dims
    return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, n_dims)


def _order(border: str, n_points: int, round_up: bool) -> int:
    """Levels per dimension for about ``n_points`` points (as scikit-optimize
    counts them: the square root of the count, or half of it with 'only')."""
    size = n_points / 2 if border == "only" else math.sqrt(n_points)
    order = math.ceil(size) if round_up else math.floor(size)
    return max(order, 1 if border == "exclude" else 2)


class Grid(InitialPointGenerator):
    """Points of a regular grid, in random order.

    Parameters
    ----------
    border : {'exclude', 'include', 'only'}, default='exclude'
        Whether the grid's levels leave out the ends of each range, include
        them, or (in all dimensions but the last) are only the ends.
    use_full_layout : bool, default=True
        True takes the full grid that is not larger than ``n_samples`` (or
        the smallest one) and adds the missing points from a second grid
        built with ``append_border``; False takes a random subset of the
        smallest grid that is at least ``n_samples`` large.
    append_border : {'only', 'include', 'exclude'}, default='only'
        ``border`` of the second grid.

    Examples
    --------
    >>> from skopt_est.sampler import Grid
    >>> square = [(0.0, 1.0), (0.0, 1.0)]
    >>> sorted(Grid(border="include").generate(square, 4, random_state=0))
    [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    """

    def __init__(self, border: str = "exclude", use_full_layout: bool = True,
                 append_border: str = "only"):
        self.border = border
        self.use_full_layout = use_full_layout
        self.append_border = append_border

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """The grid's rows, shuffled.

        Parameters
        ----------
        n_dims : int
            Number of dimensions.
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Seed of the order and of the subset kept.

        Returns
        -------
        design : ndarray of shape (n_samples, n_dims)
            The design.
        """
        for name in ("border", "append_border"):
            if getattr(self, name) not in _BORDERS:
                raise ValueError(
                    f"{name}={getattr(self, name)!r} is not supported; use one of "
                    f"{list(_BORDERS)}."
                )
        rng = check_random_state(random_state)
        order = _order(self.border, n_samples, round_up=not self.use_full_layout)
        design = _layout(self.border, n_dims, order)
        if len(design) < n_samples:
            missing = n_samples - len(design)
            extra_order = _order(self.append_border, missing, round_up=True)
            extra = _layout(self.append_border, n_dims, extra_order)
            design = np.vstack([design, extra[:missing]])
        rng.shuffle(design)
        return design[:n_samples]
