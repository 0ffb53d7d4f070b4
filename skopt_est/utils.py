"""Helpers around optimisation results: named arguments, saving and loading.

The names and signatures are scikit-optimize's ``skopt.utils`` ones, so that
``from skopt.utils import use_named_args, dump, load`` only needs its package
name changed.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping, Sequence

import joblib

__all__ = ["dump", "load", "point_asdict", "point_aslist", "use_named_args"]


def use_named_args(dimensions: Sequence) -> Callable:
    """Let an objective with named arguments take one point (a list of values).

    The optimizers call ``func(x)`` with ``x`` a list of values, one per
    dimension, in order. Decorating ``func(*, C, gamma)`` with
    ``use_named_args([Real(..., name='C'), Real(..., name='gamma')])`` turns
    that call into ``func(C=x[0], gamma=x[1])``.

    Parameters
    ----------
    dimensions : list of Dimension
        The search dimensions, each with a ``name``, in the order of the
        points the optimizer passes.

    Returns
    -------
    decorator : callable
        Wraps ``func`` into ``wrapper(x)``; the original stays reachable as
        ``wrapper.__wrapped__``.

    Examples
    --------
    >>> from skopt_est.space import Real
    >>> from skopt_est.utils import use_named_args
    >>> space = [Real(0.0, 1.0, name="a"), Real(0.0, 1.0, name="b")]
    >>> @use_named_args(space)
    ... def objective(a, b):
    ...     return a - b
    >>> objective([0.5, 0.25])
    0.25
    """
    dimensions = list(getattr(dimensions, "dimensions", dimensions))
    names = [getattr(dimension, "name", None) for dimension in dimensions]
    unnamed = [i for i, name in enumerate(names) if not name]
    if unnamed:
        raise ValueError(
            f"use_named_args: dimensions {unnamed} have no name; give every "
            "dimension name='...'."
        )

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(x):
            if len(x) != len(names):
                raise ValueError(
                    f"{func.__name__} got a point of {len(x)} values for "
                    f"{len(names)} named dimensions {names}."
                )
            return func(**dict(zip(names, x)))

        return wrapper

    return decorator


def dump(res, filename, store_objective: bool = True, **kwargs) -> None:
    """Save an optimisation result with joblib.

    Parameters
    ----------
    res : OptimizeResult
        As ``gp_minimize`` or ``Optimizer.get_result()`` return it.
    filename : str or path-like
        Where to write; joblib picks a compression from the extension
        (``.z``, ``.gz``, ``.bz2``, ``.xz``, ``.lzma``).
    store_objective : bool, default=True
        Whether to keep the objective (``res.specs['args']['func']``). Pass
        False for an objective that cannot be pickled (a lambda, a closure);
        ``res`` itself is left unchanged.
    **kwargs : dict
        Passed to ``joblib.dump`` (for example ``compress=3``).

    Examples
    --------
    >>> import os, tempfile
    >>> from skopt_est import gp_minimize
    >>> from skopt_est.utils import dump, load
    >>> res = gp_minimize(lambda x: x[0] ** 2, [(-1.0, 1.0)], n_calls=3,
    ...                   n_initial_points=3, random_state=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "result.pkl")
    >>> dump(res, path, store_objective=False)
    >>> "func" in load(path).specs["args"]
    False
    """
    if not store_objective:
        specs = res.get("specs") if isinstance(res, Mapping) else None
        if isinstance(specs, Mapping) and "func" in specs.get("args", {}):
            res = copy.copy(res)
            res["specs"] = {**specs, "args": dict(specs["args"])}
            del res["specs"]["args"]["func"]
    joblib.dump(res, filename, **kwargs)


def load(filename, **kwargs):
    """Load a result written by ``dump`` (or by ``CheckpointSaver``).

    Parameters
    ----------
    filename : str or path-like
        The file.
    **kwargs : dict
        Passed to ``joblib.load``.

    Returns
    -------
    res : OptimizeResult
        Without ``specs['args']['func']`` if it was dumped with
        ``store_objective=False``.
    """
    return joblib.load(filename, **kwargs)


def point_asdict(search_space: Mapping, point_as_list: Sequence) -> dict:
    """The ``{name: value}`` dict of a point of a dict search space.

    Parameters
    ----------
    search_space : dict
        Parameter name -> dimension, as ``BayesSearchCV`` takes it.
    point_as_list : list
        Values in the order of the sorted names (the order ``BayesSearchCV``
        uses for ``optimizer_results_``).

    Returns
    -------
    params : dict
        Sorted names -> values.
    """
    return dict(zip(sorted(search_space), point_as_list))


def point_aslist(search_space: Mapping, point_as_dict: Mapping) -> list:
    """The list of values of a ``{name: value}`` point, in sorted-name order.

    Parameters
    ----------
    search_space : dict
        Parameter name -> dimension.
    point_as_dict : dict
        One value per name of ``search_space``.

    Returns
    -------
    point : list
        ``point_as_dict``'s values, ordered by sorted name.
    """
    return [point_as_dict[name] for name in sorted(search_space)]
