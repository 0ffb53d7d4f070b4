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
import numpy as np
from scipy.optimize import minimize
from sklearn.utils import check_random_state

__all__ = [
    "dump",
    "expected_minimum",
    "expected_minimum_random_sampling",
    "load",
    "point_asdict",
    "point_aslist",
    "use_named_args",
]


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


def expected_minimum(res, n_random_starts: int = 20, random_state=None):
    """The point where the surrogate's predicted objective is lowest.

    The surrogate is the Gaussian process the search fitted last (or one
    fitted the same way, for a result saved without models). Its prediction
    is minimised by L-BFGS-B on the optimizer's unit cube from the best
    evaluated point and ``n_random_starts - 1`` random points; the best
    minimiser is mapped back into the space (integers rounded, the likeliest
    category taken) and predicted again there.

    Parameters
    ----------
    res : OptimizeResult
        A result of ``gp_minimize``, ``Optimizer.get_result()`` or one of
        ``BayesSearchCV.optimizer_results_``.
    n_random_starts : int, default=20
        Number of starting points of the local minimisation.
    random_state : int, RandomState instance or None, default=None
        Seeds the random starting points.

    Returns
    -------
    x : list
        The point in the space's own values.
    fun : float
        The surrogate's prediction of the objective at ``x``.
    """
    model, space, rng = _surrogate_of(res, n_random_starts, random_state)
    starts = space.to_unit([list(res["x"])] + space.draw(n_random_starts - 1, rng))
    bounds = [(0.0, 1.0)] * starts.shape[1]

    def predicted(unit: np.ndarray) -> float:
        return float(model.predict_objective(unit[None, :])[0])

    ends = [minimize(predicted, start, method="L-BFGS-B", bounds=bounds).x
            for start in starts]
    return _lowest_prediction(model, space, space.from_unit(np.array(ends)))


def expected_minimum_random_sampling(res, n_random_starts: int = 100000,
                                     random_state=None):
    """The lowest surrogate prediction over random points of the space.

    Parameters
    ----------
    res : OptimizeResult
        A result of ``gp_minimize``, ``Optimizer.get_result()`` or one of
        ``BayesSearchCV.optimizer_results_``.
    n_random_starts : int, default=100000
        Number of points drawn from the space's priors.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw.

    Returns
    -------
    x : list
        The drawn point with the lowest prediction.
    fun : float
        The surrogate's prediction of the objective at ``x``.
    """
    model, space, rng = _surrogate_of(res, n_random_starts, random_state)
    return _lowest_prediction(model, space, space.draw(n_random_starts, rng))


def _surrogate_of(res, n_random_starts, random_state):
    """The result's surrogate, its space and the seeded generator."""
    from .search._optimizer import result_surrogate

    if not isinstance(n_random_starts, int) or n_random_starts < 1:
        raise ValueError(
            f"n_random_starts={n_random_starts!r} must be a positive integer."
        )
    rng = check_random_state(random_state)
    return result_surrogate(res, rng), res["space"], rng


def _lowest_prediction(model, space, points: list) -> tuple[list, float]:
    predictions = model.predict_objective(space.to_unit(points))
    best = int(np.argmin(predictions))
    return list(points[best]), float(predictions[best])


# scikit-optimize's builders of surrogates and initial point generators
from .learning._cook import cook_estimator, has_gradients  # noqa: E402
from .sampler._cook import cook_initial_point_generator  # noqa: E402

__all__ += ["cook_estimator", "cook_initial_point_generator", "has_gradients"]
