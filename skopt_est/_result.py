"""The ``OptimizeResult`` every search returns, built from its history.

``create_result`` is scikit-optimize's ``skopt.utils.create_result``;
``Optimizer.get_result`` builds its results with it, so a user's own loop
that calls it gets the same fields and the same rule for the best point.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

__all__ = ["create_result"]


def create_result(Xi, yi, space=None, rng=None, specs=None, models=None):
    """An ``OptimizeResult`` of evaluated points and their values.

    Parameters
    ----------
    Xi : list of list
        The evaluated points, one list of values per point.
    yi : array-like of shape (n_points,) or (n_points, 2)
        Their values (to minimise). With two columns, as the time-aware
        acquisitions of scikit-optimize record them, the second column is
        the log of each evaluation's time and goes to ``log_time``.
    space : Space or None, default=None
        The search space.
    rng : RandomState or None, default=None
        The random state of the search.
    specs : dict or None, default=None
        The call that produced the points (``{'args': ..., 'function':
        ...}``).
    models : list or None, default=None
        The fitted surrogates.

    Returns
    -------
    result : OptimizeResult
        ``x`` (the best point), ``fun`` (its value), ``func_vals``,
        ``x_iters``, ``models``, ``space``, ``random_state`` and ``specs``
        (plus ``log_time`` for two-column ``yi``). A non-finite value (a
        failed evaluation) is never the best; with no finite value ``x`` is
        None and ``fun`` NaN.

    Examples
    --------
    >>> from skopt_est.utils import create_result
    >>> res = create_result([[0.0], [1.0], [2.0]], [3.0, 1.0, 2.0])
    >>> res.x, res.fun
    ([1.0], 1.0)
    """
    values = np.asarray(yi, dtype=float)
    if values.ndim == 2 and values.shape[1] == 2:
        log_time = np.ravel(values[:, 1])
        values = np.ravel(values[:, 0])
    elif values.ndim == 1:
        log_time = None
    else:
        raise ValueError(
            f"yi has shape {values.shape}; give one value per point, or two "
            "columns (value, log of the time)."
        )
    if len(values) != len(Xi):
        raise ValueError(
            f"Xi has {len(Xi)} points and yi {len(values)} values; give one value "
            "per point."
        )
    finite = np.isfinite(values)
    if finite.any():
        best = int(np.nanargmin(np.where(finite, values, np.nan)))
        x, fun = list(Xi[best]), float(values[best])
    else:
        x, fun = None, np.nan
    result = OptimizeResult(
        x=x,
        fun=fun,
        func_vals=values,
        x_iters=[list(point) for point in Xi],
        models=models,
        space=space,
        random_state=rng,
        specs=specs,
    )
    if log_time is not None:
        result.log_time = log_time
    return result
