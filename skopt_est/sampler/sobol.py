"""Sobol' sequences (``scipy.stats.qmc.Sobol``)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import qmc
from sklearn.utils import check_random_state

from .base import InitialPointGenerator, seed_of

__all__ = ["Sobol"]


class Sobol(InitialPointGenerator):
    """Points of a Sobol' sequence.

    Parameters
    ----------
    skip : int, default=0
        Leading points of the sequence left out.
    randomize : bool, default=True
        Scramble the sequence (Owen scrambling with a seed drawn from
        ``random_state``). scikit-optimize randomises by a random shift
        instead; scrambling keeps the sequence's balance, which a shift
        (taken modulo 1) breaks. False gives the plain, deterministic
        sequence, whose first point is the origin.

    Examples
    --------
    >>> from skopt_est.sampler import Sobol
    >>> points = Sobol().generate([(0.0, 1.0), (0, 10)], 4, random_state=0)
    >>> len(points)
    4
    """

    def __init__(self, skip: int = 0, randomize: bool = True):
        self.skip = skip
        self.randomize = randomize

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """Rows of the sequence, after ``skip`` leading ones.

        Parameters
        ----------
        n_dims : int
            Number of dimensions.
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Seed of the scrambling.

        Returns
        -------
        design : ndarray of shape (n_samples, n_dims)
            The design.
        """
        rng = check_random_state(random_state)
        seed = seed_of(rng) if self.randomize else None
        engine = qmc.Sobol(n_dims, scramble=bool(self.randomize), seed=seed)
        if self.skip:
            engine.fast_forward(int(self.skip))
        if not self.skip and n_samples & (n_samples - 1) == 0:
            return engine.random_base2(int(np.log2(n_samples)))
        with warnings.catch_warnings():  # balance needs a power of two
            warnings.simplefilter("ignore", UserWarning)
            return engine.random(n_samples)
