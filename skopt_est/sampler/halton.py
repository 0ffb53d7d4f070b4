"""Halton sequences and Hammersley sets."""

from __future__ import annotations

import numpy as np
from scipy.stats import qmc
from sklearn.utils import check_random_state

from .base import InitialPointGenerator

__all__ = ["Halton", "Hammersly"]


def _radical_inverse(indices: np.ndarray, base: int) -> np.ndarray:
    """The van der Corput sequence in ``base`` at ``indices``: the digits of
    each index in that base, mirrored about the radix point."""
    indices = np.asarray(indices, dtype=np.int64).copy()
    result = np.zeros(len(indices))
    scale = 1.0 / base
    while indices.any():
        indices, digit = np.divmod(indices, base)
        result += digit * scale
        scale /= base
    return result


def _skip(generator, rng: np.random.RandomState) -> int:
    low, high = int(generator.min_skip), int(generator.max_skip)
    if low > high:
        raise ValueError(f"min_skip={low} is larger than max_skip={high}.")
    return low if low == high else int(rng.randint(low, high))


def _halton(generator, n_dims, n_samples, rng) -> np.ndarray:
    skip = _skip(generator, rng)
    if generator.primes is None:
        engine = qmc.Halton(n_dims, scramble=False)
        if skip:
            engine.fast_forward(skip)
        return engine.random(n_samples)
    primes = list(generator.primes)
    if len(primes) < n_dims:
        raise ValueError(
            f"primes has {len(primes)} bases for {n_dims} dimensions; give one "
            "per dimension, or None for the first primes."
        )
    indices = np.arange(skip, skip + n_samples)
    return np.column_stack([_radical_inverse(indices, p) for p in primes[:n_dims]])


class Halton(InitialPointGenerator):
    """Points of the Halton sequence (one prime base per dimension).

    Parameters
    ----------
    min_skip, max_skip : int, default=0
        Leading points left out: ``min_skip`` when both are equal, else a
        number drawn in ``[min_skip, max_skip)`` from ``random_state``.
    primes : list of int or None, default=None
        The bases, one per dimension; None takes the first primes
        (``scipy.stats.qmc.Halton``, unscrambled as scikit-optimize's).

    Examples
    --------
    >>> from skopt_est.sampler import Halton
    >>> Halton().generate([(0.0, 1.0)], 4)
    [[0.0], [0.5], [0.25], [0.75]]
    """

    def __init__(self, min_skip: int = 0, max_skip: int = 0, primes=None):
        self.min_skip = min_skip
        self.max_skip = max_skip
        self.primes = primes

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """Rows of the sequence, after the skipped ones.

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
        return _halton(self, n_dims, n_samples, check_random_state(random_state))


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
            return _halton(self, 1, n_samples, rng)
        halton = _halton(self, n_dims - 1, n_samples, rng)
        return np.column_stack([halton, np.arange(n_samples) / n_samples])
