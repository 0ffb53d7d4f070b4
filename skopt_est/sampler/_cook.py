"""Building an initial point generator from its name."""

from __future__ import annotations

from .base import InitialPointGenerator
from .grid import Grid
from .halton import Halton
from .hammersly import Hammersly
from .lhs import Lhs
from .sobol import Sobol

__all__ = ["cook_initial_point_generator"]

GENERATORS = {
    "sobol": Sobol,
    "halton": Halton,
    "hammersly": Hammersly,
    "lhs": Lhs,
    "grid": Grid,
    "random": None,
}


def cook_initial_point_generator(generator, **kwargs):
    """An initial point generator from its name, or the one given.

    Parameters
    ----------
    generator : {'random', 'sobol', 'halton', 'hammersly', 'lhs', 'grid'}, \
InitialPointGenerator or None
        The name (case-insensitive; None means 'random'), or a generator.
    **kwargs : dict
        Parameters set on the generator.

    Returns
    -------
    generator : InitialPointGenerator or None
        None for 'random' (points drawn from the space's priors).
    """
    if generator is None:
        generator = "random"
    if isinstance(generator, str):
        name = generator.lower()
        if name not in GENERATORS:
            raise ValueError(
                f"initial_point_generator={generator!r} is not supported; use one "
                f"of {sorted(GENERATORS)} or an InitialPointGenerator."
            )
        if GENERATORS[name] is None:
            return None
        generator = GENERATORS[name]()
    elif not isinstance(generator, InitialPointGenerator):
        raise ValueError(
            f"initial_point_generator must be a name or an InitialPointGenerator, "
            f"got {type(generator).__name__}."
        )
    return generator.set_params(**kwargs)
