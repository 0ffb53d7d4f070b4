"""Latin hypercube designs (``scipy.stats.qmc.LatinHypercube``)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist
from scipy.stats import qmc
from sklearn.utils import check_random_state

from .base import InitialPointGenerator, seed_of

__all__ = ["Lhs"]


def _min_distance(design: np.ndarray) -> float:
    return float(pdist(design).min()) if len(design) > 1 else 0.0


def _max_correlation(design: np.ndarray) -> float:
    if len(design) < 3 or design.shape[1] < 2:
        return 0.0
    corr = np.corrcoef(design, rowvar=False)
    return float(np.nanmax(np.abs(corr - np.eye(len(corr)))))


def _distance_ratio(design: np.ndarray) -> float:
    if len(design) < 2:
        return 0.0
    distances = pdist(design)
    return float(distances.max() / max(distances.min(), 1e-300))


# criterion -> a score to *minimise* over the candidate designs
_CRITERIA = {
    "maximin": lambda design: -_min_distance(design),
    "correlation": _max_correlation,
    "ratio": _distance_ratio,
}


class Lhs(InitialPointGenerator):
    """A Latin hypercube design: each dimension's range is cut into
    ``n_samples`` equal slices and every slice holds one point.

    Parameters
    ----------
    lhs_type : {'classic', 'centered'}, default='classic'
        'classic' places each point at random inside its slice, 'centered'
        at the slice's centre.
    criterion : {'maximin', 'correlation', 'ratio'} or None, default='maximin'
        Of ``iterations`` random designs the one with the largest smallest
        distance between points ('maximin'), the smallest largest correlation
        between dimensions ('correlation') or the smallest ratio of largest to
        smallest distance ('ratio') is kept; None keeps the first design.
    iterations : int, default=1000
        Number of designs compared by ``criterion``.

    Examples
    --------
    >>> from skopt_est.sampler import Lhs
    >>> points = Lhs(criterion=None).generate([(0.0, 1.0)], 5, random_state=0)
    >>> sorted(int(p[0] * 5) for p in points)
    [0, 1, 2, 3, 4]
    """

    def __init__(self, lhs_type: str = "classic", criterion="maximin",
                 iterations: int = 1000):
        self.lhs_type = lhs_type
        self.criterion = criterion
        self.iterations = iterations

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """The kept design.

        Parameters
        ----------
        n_dims : int
            Number of dimensions.
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Seed of the designs.

        Returns
        -------
        design : ndarray of shape (n_samples, n_dims)
            The design.
        """
        if self.lhs_type not in ("classic", "centered"):
            raise ValueError(
                f"lhs_type={self.lhs_type!r} is not supported; use 'classic' or "
                "'centered'."
            )
        if self.criterion is not None and self.criterion not in _CRITERIA:
            raise ValueError(
                f"criterion={self.criterion!r} is not supported; use one of "
                f"{sorted(_CRITERIA)} or None."
            )
        engine = qmc.LatinHypercube(
            n_dims,
            scramble=self.lhs_type == "classic",
            seed=seed_of(check_random_state(random_state)),
        )
        if self.criterion is None:
            return engine.random(n_samples)
        score = _CRITERIA[self.criterion]
        best, best_score = None, np.inf
        for _ in range(max(int(self.iterations), 1)):
            design = engine.random(n_samples)
            value = score(design)
            if value < best_score or best is None:
                best, best_score = design, value
        return best
