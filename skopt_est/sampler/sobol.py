"""Sobol' sequences (``scipy.stats.qmc.Sobol``)."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.stats import qmc
from sklearn.utils import check_random_state

from .base import InitialPointGenerator, seed_of

__all__ = ["Sobol"]

_BITS = 30  # scipy's default, and scikit-optimize's log_max


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
    min_skip, max_skip : int or None, default=None
        When both are given, ``skip`` is drawn in ``[min_skip, max_skip)``
        from ``random_state`` instead (scikit-optimize 0.8's parameters,
        which its gallery still passes; 0.10 accepts and ignores them).

    Attributes
    ----------
    dim_max : int
        The most dimensions the sequence has (scipy's direction numbers, by
        Joe and Kuo: 21201; scikit-optimize's own table: 40).
    log_max : int
        Bits of the sequence: it repeats after ``2**log_max`` points.
    atmost : int
        ``2**log_max - 1``, the last index before it repeats.
    dim_num_save : int
        The dimension ``init`` last prepared, -1 before any.
    num_generated : int
        Points generated so far, over all calls of ``generate``. Every call
        starts again after the ``skip`` leading points, as scikit-optimize's
        does; the count is for the caller's balance (sums that are powers of
        two keep it).

    Examples
    --------
    >>> from skopt_est.sampler import Sobol
    >>> points = Sobol().generate([(0.0, 1.0), (0, 10)], 4, random_state=0)
    >>> len(points)
    4
    """

    def __init__(self, skip: int = 0, randomize: bool = True, min_skip=None,
                 max_skip=None):
        self.skip = skip
        self.randomize = randomize
        self.min_skip = min_skip
        self.max_skip = max_skip
        self.dim_max = qmc.Sobol.MAXDIM
        self.log_max = _BITS
        self.atmost = 2**_BITS - 1
        self.dim_num_save = -1
        self.num_generated = 0

    def init(self, dim_num: int) -> None:
        """Prepare the sequence for ``dim_num`` dimensions.

        scikit-optimize's method (there it builds its direction numbers);
        ``unit_design`` calls it when the dimension changes. It checks
        ``dim_num`` and records it in ``dim_num_save``.

        Parameters
        ----------
        dim_num : int
            Number of dimensions, from 1 to ``dim_max``.
        """
        if not isinstance(dim_num, numbers.Integral) or not (
            1 <= dim_num <= self.dim_max
        ):
            raise ValueError(
                f"dim_num={dim_num!r}: the Sobol' sequence has 1 to "
                f"{self.dim_max} dimensions."
            )
        self.dim_num_save = int(dim_num)

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
        if n_dims != getattr(self, "dim_num_save", -1):
            self.init(n_dims)
        rng = check_random_state(random_state)
        skip = int(self.skip)
        if self.min_skip is not None and self.max_skip is not None:
            low, high = int(self.min_skip), int(self.max_skip)
            skip = low if low >= high else int(rng.randint(low, high))
        seed = seed_of(rng) if self.randomize else None
        engine = qmc.Sobol(n_dims, scramble=bool(self.randomize), seed=seed,
                           bits=_BITS)
        if skip:
            engine.fast_forward(skip)
        self.num_generated = getattr(self, "num_generated", 0) + n_samples
        if not skip and n_samples & (n_samples - 1) == 0:
            return engine.random_base2(int(np.log2(n_samples)))
        with warnings.catch_warnings():  # balance needs a power of two
            warnings.simplefilter("ignore", UserWarning)
            return engine.random(n_samples)
