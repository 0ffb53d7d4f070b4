"""``base_minimize``, ``gp_minimize`` and ``dummy_minimize``: scikit-optimize's
functional API (``forest_minimize`` and ``gbrt_minimize`` are in
``_tree_minimize``).

Each runs the ask/tell ``Optimizer`` on a function: evaluate the user's
``x0`` (or tell it with ``y0``), then ask, evaluate and tell until
``n_calls`` evaluations, calling the callbacks after each one. The result is
the ``Optimizer``'s ``OptimizeResult`` plus ``specs``, the arguments of the
call, as scikit-optimize stores them.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import OptimizeResult

from ..callbacks import VerboseCallback
from ..sampler._cook import cook_initial_point_generator
from ._gp import GaussianProcess
from ._optimizer import PER_SECOND, Optimizer, initial_points

__all__ = ["base_minimize", "dummy_minimize", "gp_minimize"]


def base_minimize(
    func,
    dimensions,
    base_estimator,
    n_calls=100,
    n_random_starts=None,
    n_initial_points=10,
    initial_point_generator="random",
    acq_func="EI",
    acq_optimizer="lbfgs",
    x0=None,
    y0=None,
    random_state=None,
    verbose=False,
    callback=None,
    n_points=10000,
    n_restarts_optimizer=5,
    xi=0.01,
    kappa=1.96,
    n_jobs=1,
    model_queue_size=None,
    space_constraint=None,
):
    """Minimise a function with any surrogate: the loop behind the others.

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for a point ``x`` (a list of values);
        ``(value, seconds)`` with 'EIps' and 'PIps'.
    dimensions : list or Space
        As in ``gp_minimize``.
    base_estimator : str or regressor
        'GP' (skopt_est's GP), 'RF', 'ET', 'GBRT', 'dummy', or a regressor
        with ``predict(X, return_std=True)``, as ``Optimizer`` takes.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    n_random_starts : int or None, default=None
        Deprecated name of ``n_initial_points`` (a ``DeprecationWarning``).
    n_initial_points : int, default=10
        Design points evaluated (after ``x0``) before the surrogate is used.
    initial_point_generator : str or InitialPointGenerator, default='random'
        As in ``gp_minimize``.
    acq_func : {'EI', 'PI', 'LCB', 'gp_hedge', 'MES', 'PVRS', 'EIps', \
'PIps'}, default='EI'
        Acquisition function, as in ``gp_minimize`` ('PVRS' needs a Gaussian
        process).
    acq_optimizer : {'lbfgs', 'sampling', 'auto'}, default='lbfgs'
        How the acquisition is maximised; 'lbfgs' needs a surrogate with
        gradients (use 'sampling' or 'auto' for trees).
    x0 : list, list of lists or None, default=None
        Points evaluated first (or told with ``y0``).
    y0 : float, list of float or None, default=None
        Values of ``func`` at ``x0``.
    random_state : int, RandomState instance or None, default=None
        Seed of the optimizer.
    verbose : bool, default=False
        Print one line per evaluation.
    callback : callable, list of callables or None, default=None
        Called with the ``OptimizeResult`` after every evaluation;
        returning True stops.
    n_points : int, default=10000
        Random candidates of the acquisition each round.
    n_restarts_optimizer : int, default=5
        L-BFGS-B polishing starts.
    xi : float, default=0.01
        Exploration of EI and PI: in the GP's standardised units for 'GP',
        in the objective's units for a regressor.
    kappa : float, default=1.96
        Exploration of LCB.
    n_jobs : int, default=1
        Passed to a surrogate named by string that has ``n_jobs``.
    model_queue_size : int or None, default=None
        How many fitted surrogates ``models`` keeps; all when None.
    space_constraint : None, default=None
        Not supported: anything but None raises ``ValueError``.

    Returns
    -------
    result : OptimizeResult
        As ``gp_minimize``'s, ``specs['function']`` being 'base_minimize'.

    Examples
    --------
    >>> from skopt_est.optimizer import base_minimize
    >>> res = base_minimize(lambda x: (x[0] - 0.3) ** 2, [(-1.0, 1.0)], "ET",
    ...                     n_calls=12, n_initial_points=5,
    ...                     acq_optimizer="sampling", random_state=0)
    >>> len(res.models)
    8
    """
    specs = {"args": dict(locals()), "function": "base_minimize"}
    return _run_minimize(func, dimensions, base_estimator, specs)


def _run_minimize(
    func, dimensions, base_estimator, specs: dict, gp_noise=None, **fixed
) -> OptimizeResult:
    """``base_minimize``'s arguments (in ``specs``, plus ``fixed`` ones a
    caller does not take) through the shared loop; ``gp_noise`` fixes the
    noise of skopt_est's GP (``gp_minimize(noise=<number>)``)."""
    args = {"n_restarts_optimizer": 5, **fixed, **specs["args"]}
    n_initial_points = initial_points(args["n_random_starts"], args["n_initial_points"])
    optimizer_kwargs = {
        "acq_func": args["acq_func"],
        "acq_optimizer": args["acq_optimizer"],
        "acq_func_kwargs": {"xi": args["xi"], "kappa": args["kappa"]},
        "acq_optimizer_kwargs": {
            "n_points": args["n_points"],
            "n_restarts_optimizer": args["n_restarts_optimizer"],
        },
        "n_jobs": args["n_jobs"],
    }
    return _minimize(
        func,
        dimensions,
        base_estimator,
        args["n_calls"],
        n_initial_points,
        args["initial_point_generator"],
        args["x0"],
        args["y0"],
        args["random_state"],
        args["verbose"],
        args["callback"],
        args["model_queue_size"],
        args["space_constraint"],
        optimizer_kwargs,
        specs,
        gp_noise,
    )


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
        dimension); ``(value, seconds)`` with 'EIps' and 'PIps'. Decorate a
        function of named arguments with ``skopt_est.utils.use_named_args``.
    dimensions : list or Space
        ``Real``, ``Integer``, ``Categorical`` or the shorthands
        ``(low, high)``, ``(low, high, prior)``, a list of categories.
    base_estimator : None, 'GP' or regressor, default=None
        None and 'GP' (any case) mean skopt_est's GP; a regressor (such as
        ``skopt_est.learning.GaussianProcessRegressor``) is used as in
        ``Optimizer``.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    n_random_starts : int or None, default=None
        Deprecated name of ``n_initial_points`` (a ``DeprecationWarning``);
        overrides it when given.
    n_initial_points : int, default=10
        Design points evaluated (after ``x0``) before the GP is used.
    initial_point_generator : str or InitialPointGenerator, default='random'
        How the initial design is drawn ('random', 'sobol', 'halton',
        'hammersly', 'lhs', 'grid' or a ``skopt_est.sampler`` object).
    acq_func : {'gp_hedge', 'EI', 'PI', 'LCB', 'MES', 'PVRS', 'EIps', \
'PIps'}, default='gp_hedge'
        Acquisition function (see ``skopt_est.search.Optimizer``): 'MES' and
        'PVRS' judge the random candidates without polishing; 'EIps' and
        'PIps' divide EI and PI by the expected time of an evaluation, and
        ``func`` then returns ``(value, seconds)``.
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
        'gaussian' fits the GP's noise variance with its other
        hyperparameters (under a prior that favours little noise). A number
        holds it at that variance of the standardised outputs, as
        scikit-optimize's GP does on its normalised outputs (its docs call
        it the variance of the noise; its code reads it in those units);
        0 asks for a noise-free fit. Used by skopt_est's GP only (a
        ``base_estimator`` object keeps its own noise).
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
    if not (noise == "gaussian" or isinstance(noise, numbers.Real) and noise >= 0):
        raise ValueError(
            f"noise={noise!r} must be 'gaussian' or a non-negative number (the "
            "noise variance)."
        )
    base_estimator = "gp" if base_estimator is None else base_estimator
    gp_noise = None if noise == "gaussian" else float(noise)
    return _run_minimize(func, dimensions, base_estimator, specs, gp_noise)


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
    initial_point_generator : str or InitialPointGenerator, default='random'
        How the points are drawn (as in ``gp_minimize``).
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
        Parameters of the generator named by ``initial_point_generator``.
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
        initial_point_generator = cook_initial_point_generator(
            initial_point_generator, **init_point_gen_kwargs
        ) or "random"
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


def _as_points(x0) -> list[list]:
    if x0 is None:
        return []
    x0 = list(x0)
    # as scikit-optimize reads it: a list of lists (or tuples) is several points
    if x0 and not isinstance(x0[0], list | tuple | np.ndarray):
        return [x0]
    return [list(point) for point in x0]


def _as_values(y0, n_points: int, timed: bool = False) -> list | None:
    """``y0`` as one value per point (``timed``: one ``(value, seconds)``
    pair per point, checked by the optimizer's ``tell``)."""
    if y0 is None:
        return None
    if timed:
        values = list(y0)
        if values and not isinstance(values[0], Sequence | np.ndarray):
            values = [values]  # one pair for one point
    else:
        values = [y0] if isinstance(y0, numbers.Real) else list(y0)
    if len(values) != n_points:
        raise ValueError(
            f"y0 has {len(values)} values for {n_points} points of x0; give one "
            "value per point."
        )
    return values if timed else [float(v) for v in values]


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


def _evaluate(func: Callable, x: list, timed: bool = False):
    """``func(x)``: one number, or ``(value, seconds)`` when ``timed`` (the
    per-second acquisitions; the optimizer's ``tell`` checks the pair)."""
    value = func(x)
    if timed:
        return value
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
    gp_noise: float | None = None,
) -> OptimizeResult:
    """The ask/evaluate/tell loop both public functions share.

    ``n_initial_points=None`` (random search) draws every point from the
    generator. ``gp_noise`` (a number) fixes the noise variance of
    skopt_est's GP, when that is the surrogate.
    """
    if space_constraint is not None:
        raise ValueError(
            "space_constraint is not supported; filter inside func (return a "
            "large value) instead."
        )
    if not isinstance(n_calls, numbers.Integral) or n_calls < 0:
        raise ValueError(f"n_calls={n_calls!r} must be a non-negative integer.")
    timed = optimizer_kwargs.get("acq_func") in PER_SECOND
    points = _as_points(x0)
    values = _as_values(y0, len(points), timed)
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
    surrogate = getattr(optimizer._surrogate, "objective", optimizer._surrogate)
    if gp_noise is not None and isinstance(surrogate, GaussianProcess):
        surrogate.noise = gp_noise
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
            values = [_evaluate(func, point, timed) for point in points]
        result = optimizer._tell_seeds(points, values)
        if report(result):
            return result
    for _ in range(n_calls - n_evaluated_x0):
        x = optimizer.ask()
        result = optimizer.tell(x, _evaluate(func, x, timed))
        if report(result):
            break
    result.specs = specs
    return result
