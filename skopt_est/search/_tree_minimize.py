"""``forest_minimize`` and ``gbrt_minimize``: scikit-optimize's tree-based
minimisers, ``base_minimize`` with a forest or a quantile booster."""

from __future__ import annotations

from ._minimize import _run_minimize

__all__ = ["forest_minimize", "gbrt_minimize"]


def forest_minimize(
    func,
    dimensions,
    base_estimator="ET",
    n_calls=100,
    n_random_starts=None,
    n_initial_points=10,
    acq_func="EI",
    initial_point_generator="random",
    x0=None,
    y0=None,
    random_state=None,
    verbose=False,
    callback=None,
    n_points=10000,
    xi=0.01,
    kappa=1.96,
    n_jobs=1,
    model_queue_size=None,
    space_constraint=None,
):
    """Minimise a function with a random forest or extra trees surrogate.

    The acquisition is evaluated on ``n_points`` random candidates a round
    (trees give no gradients to polish with).

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for a point ``x`` (a list of values).
    dimensions : list or Space
        As in ``gp_minimize``.
    base_estimator : {'ET', 'RF'} or regressor, default='ET'
        Extra trees or a random forest of ``skopt_est.learning`` (100 trees,
        3 samples a leaf), or a regressor with ``predict(X, return_std=True)``.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    n_random_starts : int or None, default=None
        Deprecated name of ``n_initial_points`` (a ``DeprecationWarning``).
    n_initial_points : int, default=10
        Design points evaluated (after ``x0``) before the forest is used.
    acq_func : {'EI', 'PI', 'LCB', 'gp_hedge', 'MES', 'EIps', 'PIps'}, \
default='EI'
        Acquisition function, as in ``gp_minimize`` ('PVRS' needs a Gaussian
        process); with 'EIps' or 'PIps' ``func`` returns ``(value,
        seconds)`` and a second forest models the log-times.
    initial_point_generator : str or InitialPointGenerator, default='random'
        As in ``gp_minimize``.
    x0 : list, list of lists or None, default=None
        Points evaluated first (or told with ``y0``).
    y0 : float, list of float or None, default=None
        Values of ``func`` at ``x0``.
    random_state : int, RandomState instance or None, default=None
        Seed of the optimizer and of the forests.
    verbose : bool, default=False
        Print one line per evaluation.
    callback : callable, list of callables or None, default=None
        As in ``gp_minimize``.
    n_points : int, default=10000
        Random candidates of the acquisition each round.
    xi : float, default=0.01
        Exploration of EI and PI, in the objective's units.
    kappa : float, default=1.96
        Exploration of LCB.
    n_jobs : int, default=1
        Parallel jobs of the forest's fit and predict.
    model_queue_size : int or None, default=None
        How many fitted forests ``models`` keeps; all when None.
    space_constraint : None, default=None
        Not supported: anything but None raises ``ValueError``.

    Returns
    -------
    result : OptimizeResult
        As ``gp_minimize``'s; ``models`` holds the fitted forests (fitted on
        ``space.to_unit(points)``).

    Examples
    --------
    >>> from skopt_est import forest_minimize
    >>> res = forest_minimize(lambda x: (x[0] - 0.3) ** 2, [(-1.0, 1.0)],
    ...                       n_calls=15, n_points=500, random_state=0)
    >>> abs(res.x[0] - 0.3) < 0.3
    True
    """
    specs = {"args": dict(locals()), "function": "forest_minimize"}
    return _run_minimize(func, dimensions, base_estimator, specs,
                         acq_optimizer="sampling")


def gbrt_minimize(
    func,
    dimensions,
    base_estimator=None,
    n_calls=100,
    n_random_starts=None,
    n_initial_points=10,
    initial_point_generator="random",
    acq_func="LCB",
    acq_optimizer="auto",
    x0=None,
    y0=None,
    random_state=None,
    verbose=False,
    callback=None,
    n_points=10000,
    xi=0.01,
    kappa=1.96,
    n_jobs=1,
    model_queue_size=None,
    space_constraint=None,
):
    """Minimise a function with a quantile gradient-boosting surrogate.

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` for a point ``x`` (a list of values).
    dimensions : list or Space
        As in ``gp_minimize``.
    base_estimator : GradientBoostingQuantileRegressor or None, default=None
        None means ``skopt_est.learning.GradientBoostingQuantileRegressor``
        with 30 trees a quantile; any regressor with ``predict(X,
        return_std=True)`` is taken.
    n_calls : int, default=100
        Evaluations of ``func``, counting those of ``x0``.
    n_random_starts : int or None, default=None
        Deprecated name of ``n_initial_points`` (a ``DeprecationWarning``).
    n_initial_points : int, default=10
        Design points evaluated (after ``x0``) before the booster is used.
    initial_point_generator : str or InitialPointGenerator, default='random'
        As in ``gp_minimize``.
    acq_func : {'LCB', 'EI', 'PI', 'gp_hedge', 'MES', 'EIps', 'PIps'}, \
default='LCB'
        Acquisition function, as in ``gp_minimize`` ('PVRS' needs a Gaussian
        process); with 'EIps' or 'PIps' ``func`` returns ``(value,
        seconds)`` and a second booster models the log-times.
    acq_optimizer : {'auto', 'sampling'}, default='auto'
        'auto' is 'sampling' for the booster (it gives no gradients).
    x0 : list, list of lists or None, default=None
        Points evaluated first (or told with ``y0``).
    y0 : float, list of float or None, default=None
        Values of ``func`` at ``x0``.
    random_state : int, RandomState instance or None, default=None
        Seed of the optimizer and of the boosters.
    verbose : bool, default=False
        Print one line per evaluation.
    callback : callable, list of callables or None, default=None
        As in ``gp_minimize``.
    n_points : int, default=10000
        Random candidates of the acquisition each round.
    xi : float, default=0.01
        Exploration of EI and PI, in the objective's units.
    kappa : float, default=1.96
        Exploration of LCB.
    n_jobs : int, default=1
        Quantile models fitted in parallel.
    model_queue_size : int or None, default=None
        How many fitted boosters ``models`` keeps; all when None.
    space_constraint : None, default=None
        Not supported: anything but None raises ``ValueError``.

    Returns
    -------
    result : OptimizeResult
        As ``gp_minimize``'s; ``models`` holds the fitted boosters.

    Examples
    --------
    >>> from skopt_est import gbrt_minimize
    >>> res = gbrt_minimize(lambda x: (x[0] - 0.3) ** 2, [(-1.0, 1.0)],
    ...                     n_calls=12, n_points=200, random_state=0)
    >>> len(res.func_vals)
    12
    """
    specs = {"args": dict(locals()), "function": "gbrt_minimize"}
    surrogate = "GBRT" if base_estimator is None else base_estimator
    return _run_minimize(func, dimensions, surrogate, specs)
