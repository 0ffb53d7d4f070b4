"""Hammersley sets."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from .base import InitialPointGenerator
from .halton import halton_design

__all__ = ["Hammersly"]


class Hammersly(InitialPointGenerator):
    """A Hammersley set: ``i / n_samples`` in the last dimension, a Halton
    sequence in the others (the name keeps scikit-optimize's spelling).

    Parameters
    ----------
    min_skip, max_skip : int, default=0
        Leading Halton points left out, as in ``Halton``.
    primes : list of int or None, default=None
        Halton bases of the first ``n_dims - 1`` dimensions.

    Examples
    --------
    >>> from skopt_est.sampler import Hammersly
    >>> Hammersly().generate([(0.0, 1.0), (0.0, 1.0)], 4)
    [[0.0, 0.0], [0.5, 0.25], [0.25, 0.5], [0.75, 0.75]]
    """

    def __init__(self, min_skip: int = 0, max_skip: int = 0, primes=None):
        self.min_skip = min_skip
        self.max_skip = max_skip
        self.primes = primes

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """The set's rows; one dimension gets the Halton sequence alone.

        Parameters
        ----------
        n_dims : int
            Number of dimensions.
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Seed of the number of skipped points.

        Returns
        -------
        design : ndarray of shape (n_samples, n_dims)
            The design.
        """
        rng = check_random_state(random_state)
        if n_dims == 1:
            return halton_design(self, 1, n_samples, rng)
        halton = halton_design(self, n_dims - 1, n_samples, rng)
        return np.column_stack([halton, np.arange(n_samples) / n_samples])
