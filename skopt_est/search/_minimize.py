"""``gp_minimize`` and ``dummy_minimize``: scikit-optimize's functional API.

Both run the ask/tell ``Optimizer`` on a function: evaluate the user's
``x0`` (or tell it with ``y0``), then ask, evaluate and tell until
``n_calls`` evaluations, calling the callbacks after each one. The result is
the ``Optimizer``'s ``OptimizeResult`` plus ``specs``, the arguments of the
call, as scikit-optimize stores them.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable

import numpy as np
from scipy.optimize import OptimizeResult

from ..callbacks import VerboseCallback
from ._optimizer import Optimizer

__all__ = ["dummy_minimize", "gp_minimize"]


def gp_minimize(
    func,
    dimensions,
    base_estimator=None,
    n_calls=100,
    n_random_starts=None,
    n_initial_points=10,
    initial_point_generator="random",
    acq_func="gp_hedge",
    acq_optimizer="auto",
    x0=None,
    y0=None,
    random_state=None,
    verbose=False,
    callback=None,
    n_points=10000,
    n_restarts_optimizer=5,
    xi=0.01,
    kappa=1.96,
    noise="gaussian",
    n_jobs=1,
    model_queue_size=None,
    space_constraint=None,
):
    """Minimise a function with Gaussian-process Bayesian optimisation.

    scikit-optimize's ``gp_minimize``, with skopt_est's GP and acquisition
    behind it (see ``skopt_est.search.Optimizer``).

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for a point ``x`` (a list, one value per
        dimension). Decorate a function of named arguments with
        ``skopt_est.utils.use_named_args``.
    dimensions : list or Space
        ``Real``, ``Integer``, ``Categorical`` or the shorthands
        ``(low, high)``, ``(low, high, prior)``, a list of categories.
    base_estimator : None, 'GP' or 'gp', default=None
        The surrogate, always skopt_est's GP; any other value raises.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    n_random_starts : int or None, default=None
        Deprecated name of ``n_initial_points``; overrides it when given.
    n_initial_points : int, default=10
        Design points evaluated (after ``x0``) before the GP is used.
    initial_point_generator : {'random', 'sobol', 'lhs', 'halton'}, \
default='random'
        How the initial design is drawn.
    acq_func : {'gp_hedge', 'EI', 'PI', 'LCB'}, default='gp_hedge'
        Acquisition function.
    acq_optimizer : {'auto', 'lbfgs', 'sampling'}, default='auto'
        How the acquisition is maximised.
    x0 : list, list of lists or None, default=None
        Points evaluated first (or told with ``y0``).
    y0 : float, list of float or None, default=None
        Values of ``func`` at ``x0``, which then is not evaluated and does
        not count toward ``n_calls``.
    random_state : int, RandomState instance or None, default=None
        Seed of the optimizer.
    verbose : bool, default=False
        Print one line per evaluation (``VerboseCallback``).
    callback : callable, list of callables or None, default=None
        Called with the ``OptimizeResult`` after every evaluation;
        returning True stops.
    n_points : int, default=10000
        Random candidates on which the acquisition is evaluated each round
        (scikit-optimize's default; ``Optimizer``'s own, benchmarked, is
        2000, about 1.4x less time per round).
    n_restarts_optimizer : int, default=5
        L-BFGS-B polishing starts.
    xi : float, default=0.01
        Exploration of EI and PI, in the GP's standardised units.
    kappa : float, default=1.96
        Exploration of LCB.
    noise : 'gaussian' or float, default='gaussian'
        The GP always fits its noise level (under a prior that favours
        little noise), so a number is accepted and read as a hint only.
    n_jobs : int, default=1
        Accepted for compatibility; the acquisition is polished sequentially.
    model_queue_size : int or None, default=None
        How many fitted GPs ``models`` keeps; all when None.
    space_constraint : None, default=None
        Not supported: anything but None raises ``ValueError``.

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``x_iters``, ``func_vals``, ``space``, ``models``
        (the fitted GPs), ``specs`` (``{'args': ..., 'function':
        'gp_minimize'}``) and ``random_state``.

    See Also
    --------
    skopt_est.search.Optimizer : The ask/tell engine.
    dummy_minimize : Random search with the same interface.

    Examples
    --------
    >>> from skopt_est import gp_minimize
    >>> res = gp_minimize(lambda x: (x[0] - 0.3) ** 2, [(-1.0, 1.0)],
    ...                   n_calls=12, n_initial_points=5, random_state=0)
    >>> abs(res.x[0] - 0.3) < 0.1
    True
    """
    specs = {"args": dict(locals()), "function": "gp_minimize"}
    _check_base_estimator(base_estimator)
    if not (noise == "gaussian" or isinstance(noise, numbers.Real)):
        raise ValueError(f"noise={noise!r} must be 'gaussian' or a number.")
    if n_random_starts is not None:
        warnings.warn(
            "n_random_starts is deprecated in scikit-optimize; use "
            "n_initial_points. It overrides n_initial_points here.",
            FutureWarning,
            stacklevel=2,
        )
        n_initial_points = n_random_starts
    optimizer_kwargs = {
        "acq_func": acq_func,
        "acq_optimizer": acq_optimizer,
        "acq_func_kwargs": {"xi": xi, "kappa": kappa},
        "acq_optimizer_kwargs": {
            "n_points": n_points,
            "n_restarts_optimizer": n_restarts_optimizer,
        },
        "n_jobs": n_jobs,
    }
    return _minimize(
        func,
        dimensions,
        "gp",
        n_calls,
        n_initial_points,
        initial_point_generator,
        x0,
        y0,
        random_state,
        verbose,
        callback,
        model_queue_size,
        space_constraint,
        optimizer_kwargs,
        specs,
    )


def dummy_minimize(
    func,
    dimensions,
    n_calls=100,
    initial_point_generator="random",
    x0=None,
    y0=None,
    random_state=None,
    verbose=False,
    callback=None,
    model_queue_size=None,
    init_point_gen_kwargs=None,
    space_constraint=None,
):
    """Minimise a function by random search (no surrogate).

    scikit-optimize's ``dummy_minimize``: the points come from the initial
    point generator, a baseline for ``gp_minimize``.

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for a point ``x`` (a list of values).
    dimensions : list or Space
        As in ``gp_minimize``.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    initial_point_generator : {'random', 'sobol', 'lhs', 'halton'}, \
default='random'
        How the points are drawn.
    x0 : list, list of lists or None, default=None
        Points evaluated first (or told with ``y0``).
    y0 : float, list of float or None, default=None
        Values of ``func`` at ``x0``.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.
    verbose : bool, default=False
        Print one line per evaluation.
    callback : callable, list of callables or None, default=None
        As in ``gp_minimize``.
    model_queue_size : int or None, default=None
        Accepted for compatibility; no model is fitted.
    init_point_gen_kwargs : dict or None, default=None
        Not supported: a non-empty dict raises ``ValueError``.
    space_constraint : None, default=None
        Not supported: anything but None raises ``ValueError``.

    Returns
    -------
    result : OptimizeResult
        As ``gp_minimize``'s, with ``models`` empty.

    Examples
    --------
    >>> from skopt_est import dummy_minimize
    >>> res = dummy_minimize(lambda x: x[0] ** 2, [(-1.0, 1.0)], n_calls=5,
    ...                      random_state=0)
    >>> len(res.func_vals)
    5
    """
    specs = {"args": dict(locals()), "function": "dummy_minimize"}
    if init_point_gen_kwargs:
        raise ValueError(
            f"init_point_gen_kwargs={init_point_gen_kwargs!r} is not supported; "
            "the generators take no options in skopt_est."
        )
    return _minimize(
        func,
        dimensions,
        "dummy",
        n_calls,
        None,
        initial_point_generator,
        x0,
        y0,
        random_state,
        verbose,
        callback,
        model_queue_size,
        space_constraint,
        {},
        specs,
    )


def _check_base_estimator(base_estimator) -> None:
    if base_estimator is not None and not (
        isinstance(base_estimator, str) and base_estimator.lower() == "gp"
    ):
        raise ValueError(
            f"base_estimator={base_estimator!r} is not supported: skopt_est's "
            "surrogate is a Gaussian process (Matérn-5/2 with fitted priors); "
            "leave base_estimator=None or pass 'GP'."
        )


def _as_points(x0) -> list[list]:
    if x0 is None:
        return []
    x0 = list(x0)
    # as scikit-optimize reads it: a list of lists (or tuples) is several points
    if x0 and not isinstance(x0[0], list | tuple | np.ndarray):
        return [x0]
    return [list(point) for point in x0]


def _as_values(y0, n_points: int) -> list[float] | None:
    if y0 is None:
        return None
    values = [y0] if isinstance(y0, numbers.Real) else list(y0)
    if len(values) != n_points:
        raise ValueError(
            f"y0 has {len(values)} values for {n_points} points of x0; give one "
            "value per point."
        )
    return [float(v) for v in values]


def _callbacks(callback, verbose: bool, n_total: int, n_init: int, n_random: int):
    if callback is None:
        callbacks = []
    elif callable(callback):
        callbacks = [callback]
    else:
        callbacks = list(callback)
    for item in callbacks:
        if not callable(item):
            raise ValueError(f"callback {item!r} is not callable.")
    if verbose:
        callbacks = [VerboseCallback(n_total, n_init, n_random)] + callbacks
    return callbacks


def _evaluate(func: Callable, x: list) -> float:
    value = func(x)
    if not np.isscalar(value) or isinstance(value, str | bytes):
        raise ValueError(
            f"func returned {value!r} at {x}; the objective must return one number."
        )
    return float(value)


def _minimize(
    func: Callable,
    dimensions,
    base_estimator: str,
    n_calls: int,
    n_initial_points: int | None,
    initial_point_generator: str,
    x0,
    y0,
    random_state,
    verbose: bool,
    callback,
    model_queue_size: int | None,
    space_constraint,
    optimizer_kwargs: dict,
    specs: dict,
) -> OptimizeResult:
    """The ask/evaluate/tell loop both public functions share.

    ``n_initial_points=None`` (random search) draws every point from the
    generator.
    """
    if space_constraint is not None:
        raise ValueError(
            "space_constraint is not supported; filter inside func (return a "
            "large value) instead."
        )
    if not isinstance(n_calls, numbers.Integral) or n_calls < 0:
        raise ValueError(f"n_calls={n_calls!r} must be a non-negative integer.")
    points = _as_points(x0)
    values = _as_values(y0, len(points))
    n_evaluated_x0 = len(points) if values is None else 0
    if n_initial_points is None:
        n_initial_points = max(n_calls - n_evaluated_x0, 0)
    elif n_calls < n_initial_points + n_evaluated_x0:
        raise ValueError(
            f"n_calls={n_calls} is fewer than the {n_initial_points} initial points "
            f"plus {n_evaluated_x0} points of x0 to evaluate; raise n_calls or "
            "lower n_initial_points."
        )
    if not points and n_initial_points <= 0 and n_calls > 0:
        raise ValueError("Give n_initial_points > 0 or some points in x0.")
    optimizer = Optimizer(
        dimensions,
        base_estimator=base_estimator,
        n_initial_points=n_initial_points,
        initial_point_generator=initial_point_generator,
        random_state=random_state,
        model_queue_size=model_queue_size,
        **optimizer_kwargs,
    )
    for point in points:
        if not optimizer.space.contains(point):
            raise ValueError(f"x0 point {point!r} is not within the search space.")
    n_random = min(n_initial_points, n_calls - n_evaluated_x0)
    callbacks = _callbacks(callback, verbose, n_calls, n_evaluated_x0, n_random)
    result = optimizer.get_result()

    def report(result: OptimizeResult) -> bool:
        result.specs = specs
        return any([bool(c(result)) for c in callbacks])

    if points:
        if values is None:
            values = [_evaluate(func, point) for point in points]
        result = optimizer._tell_seeds(points, values)
        if report(result):
            return result
    for _ in range(n_calls - n_evaluated_x0):
        x = optimizer.ask()
        result = optimizer.tell(x, _evaluate(func, x))
        if report(result):
            break
    result.specs = specs
    return result
