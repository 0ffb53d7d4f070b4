"""Helpers around search spaces and optimisation results.

Named arguments, dict and list forms of points, checks of dimension lists and
points, callbacks, saving and loading, and the surrogate's expected minimum.
The names, signatures and error messages are scikit-optimize's
``skopt.utils`` ones, so that ``from skopt.utils import use_named_args, dump,
load`` only needs its package name changed.
"""

from __future__ import annotations

import copy
import functools
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

import joblib
import numpy as np
from scipy.optimize import minimize
from sklearn.utils import check_random_state

from .space import Dimension, normalize_dimensions

__all__ = [
    "check_dimension_names",
    "check_list_types",
    "check_x_in_space",
    "dimensions_aslist",
    "dump",
    "eval_callbacks",
    "expected_minimum",
    "expected_minimum_random_sampling",
    "is_2Dlistlike",
    "is_listlike",
    "load",
    "normalize_dimensions",
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

    Raises
    ------
    ValueError
        If an entry of ``dimensions`` is not a ``Dimension`` or has no name
        (at once), or if ``wrapper`` gets a point of another length.

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
    check_list_types(dimensions, Dimension)
    check_dimension_names(dimensions)
    names = [dimension.name for dimension in dimensions]

    def decorator(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(x):
            if len(x) != len(names):
                raise ValueError(
                    "Mismatch in number of search-space dimensions. "
                    f"len(dimensions)=={len(names)} and len(x)=={len(x)}: "
                    f"{func.__name__} takes {names}."
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
    params : OrderedDict
        Sorted names -> values.
    """
    return OrderedDict(zip(sorted(search_space), point_as_list))


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


def dimensions_aslist(search_space: Mapping) -> list:
    """The dimensions of a dict search space, in the order of the sorted names.

    Parameters
    ----------
    search_space : dict
        Parameter name -> dimension, as ``BayesSearchCV`` takes it.

    Returns
    -------
    dimensions : list
        ``search_space``'s values, ordered by sorted name (the order of the
        points in ``BayesSearchCV.optimizer_results_``).

    Examples
    --------
    >>> from skopt_est.space import Integer, Real
    >>> from skopt_est.utils import dimensions_aslist
    >>> dimensions_aslist({"b": Integer(1, 3), "a": Real(0.0, 1.0)})
    [Real(low=0.0, high=1.0, prior='uniform', transform='identity'), \
Integer(low=1, high=3, prior='uniform', transform='identity')]
    """
    return [search_space[name] for name in sorted(search_space)]


def check_list_types(x: Sequence, types) -> None:
    """Raise a ``ValueError`` unless every element of ``x`` is of ``types``.

    Parameters
    ----------
    x : list
        The objects to check.
    types : type or tuple of types
        What each must be an instance of.

    Raises
    ------
    ValueError
        Naming the elements of another type.
    """
    wrong = [element for element in x if not isinstance(element, types)]
    if wrong:
        raise ValueError(
            f"All elements in list must be instances of {types}, but found: {wrong}"
        )


def check_dimension_names(dimensions: Sequence) -> None:
    """Raise a ``ValueError`` unless every dimension has a name.

    Parameters
    ----------
    dimensions : list of Dimension
        The dimensions to check.

    Raises
    ------
    ValueError
        Naming the unnamed dimensions.
    """
    unnamed = [dimension for dimension in dimensions if dimension.name is None]
    if unnamed:
        raise ValueError(
            f"All dimensions must have names, but found: {unnamed}. Give each "
            "dimension name='...'."
        )


def is_listlike(x) -> bool:
    """Whether ``x`` is a list or a tuple.

    Parameters
    ----------
    x : object
        The object.

    Returns
    -------
    listlike : bool
        The answer.
    """
    return isinstance(x, list | tuple)


def is_2Dlistlike(x) -> bool:
    """Whether every element of ``x`` is a list or a tuple.

    Parameters
    ----------
    x : iterable
        The object.

    Returns
    -------
    listlike : bool
        The answer (True for an empty ``x``).
    """
    return all(is_listlike(element) for element in x)


def check_x_in_space(x, space) -> None:
    """Raise a ``ValueError`` unless a point, or every point of a list, lies in
    ``space`` (with one value per dimension).

    Parameters
    ----------
    x : list or list of lists
        One point or several.
    space : Space
        The search space.

    Raises
    ------
    ValueError
        Saying which check failed.
    """
    n_dims = len(space.dimensions)
    if is_2Dlistlike(x):
        if any(len(point) != n_dims for point in x):
            raise ValueError(
                "Not all points have the same dimensions as the space."
            )
        if not all(point in space for point in x):
            raise ValueError("Not all points are within the bounds of the space.")
    elif is_listlike(x):
        if len(x) != n_dims:
            raise ValueError(
                f"Dimensions of point ({x}) and space ({space.bounds}) do not match"
            )
        if x not in space:
            raise ValueError(
                f"Point ({x}) is not within the bounds of the space "
                f"({space.bounds})."
            )


def eval_callbacks(callbacks: Sequence[Callable], result) -> bool:
    """Call every callback with ``result``; whether any asked to stop.

    Every callback is called, also after one has returned True.

    Parameters
    ----------
    callbacks : list of callables
        The callbacks (``check_callback`` makes this list).
    result : OptimizeResult
        The result so far.

    Returns
    -------
    stop : bool
        Whether any callback returned a true value.
    """
    decisions = [callback(result) for callback in callbacks or []]
    return any(bool(decision) for decision in decisions if decision is not None)


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
from ._result import create_result  # noqa: E402
from .learning._cook import cook_estimator, has_gradients  # noqa: E402
from .sampler._cook import cook_initial_point_generator  # noqa: E402

__all__ += [
    "cook_estimator", "cook_initial_point_generator", "create_result", "has_gradients"
]
