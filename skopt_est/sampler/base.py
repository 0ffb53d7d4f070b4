"""The interface every initial point generator honours."""

from __future__ import annotations

import inspect

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["InitialPointGenerator"]


class InitialPointGenerator:
    """Base class of the initial point generators.

    A subclass implements either ``generate`` (points in the space's own
    values), or ``unit_design`` (rows in the unit cube, one column per
    dimension), which the default ``generate`` maps into the space.
    """

    def unit_design(self, n_dims: int, n_samples: int, random_state=None):
        """Rows in ``[0, 1]^n_dims``, one per sample.

        Parameters
        ----------
        n_dims : int
            Number of dimensions.
        n_samples : int
            Number of rows.
        random_state : int, RandomState instance or None, default=None
            Seed of any random part of the design.

        Returns
        -------
        design : ndarray of shape (n_samples, n_dims)
            The design.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement unit_design or generate."
        )

    def generate(self, dimensions, n_samples: int, random_state=None) -> list[list]:
        """Draw ``n_samples`` points of the space ``dimensions``.

        Parameters
        ----------
        dimensions : list or Space
            Search dimensions (``Real``, ``Integer``, ``Categorical`` or
            their shorthands).
        n_samples : int
            Number of points.
        random_state : int, RandomState instance or None, default=None
            Seed of any random part of the design.

        Returns
        -------
        points : list of list
            ``n_samples`` points, one value per dimension.
        """
        from ..space import Space

        space = Space(dimensions)
        if n_samples <= 0:
            return []
        rng = check_random_state(random_state)
        design = np.asarray(self.unit_design(space.n_dims, int(n_samples), rng))
        return space.from_design(np.clip(design, 0.0, 1.0))

    def set_params(self, **params):
        """Set parameters of the generator.

        Parameters
        ----------
        **params : dict
            Attribute names and their new values.

        Returns
        -------
        self : InitialPointGenerator
            The generator.
        """
        for key, value in params.items():
            if not hasattr(self, key):
                raise ValueError(
                    f"{type(self).__name__} has no parameter {key!r}."
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        # the constructor's parameters only (not state such as Sobol's
        # num_generated)
        names = [name for name in inspect.signature(type(self).__init__).parameters
                 if name != "self" and hasattr(self, name)]
        params = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({params})"


def seed_of(rng: np.random.RandomState) -> int:
    """A seed for a ``scipy.stats.qmc`` engine, drawn from ``rng``."""
    return int(rng.randint(2**31 - 1))
