"""Initial point generators, under scikit-optimize's ``skopt.sampler`` names.

Each generator draws a design in the unit cube (``scipy.stats.qmc`` where it
has the sequence) and maps it into a space's own values with
``Space.from_design``: integers and categories get equal shares of the cube.
Pass one to ``Optimizer(initial_point_generator=...)``, or call
``generate(dimensions, n_samples, random_state)`` yourself.
"""

from .base import InitialPointGenerator
from .grid import Grid
from .halton import Halton, Hammersly
from .lhs import Lhs
from .sobol import Sobol

__all__ = ["Grid", "Halton", "Hammersly", "InitialPointGenerator", "Lhs", "Sobol"]
