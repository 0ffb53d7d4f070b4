"""Acquisition functions of a fitted regressor, under scikit-optimize's
``skopt.acquisition`` names.

Each takes points ``X`` and a fitted ``model`` whose ``predict(X,
return_std=True)`` gives the posterior mean and standard deviation of the
objective (the regressors of ``skopt_est.learning``, or any scikit-learn
regressor that does). With ``return_grad=True`` the model must also give
``return_mean_grad`` and ``return_std_grad`` for one point, as
``skopt_est.learning.GaussianProcessRegressor`` does.

These are the textbook, raw-unit forms scikit-optimize documents, for
scripts and plots that call them. ``Optimizer`` itself maximises log-EI on
its GP's standardised outputs (``skopt_est.search._acquisition``), which does
not underflow far from the incumbent.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve, cholesky
from scipy.optimize import brentq
from scipy.special import log_ndtr
from scipy.stats import norm
from sklearn.utils import check_random_state

__all__ = [
    "gaussian_acquisition_1D",
    "gaussian_ei",
    "gaussian_lcb",
    "gaussian_mes",
    "gaussian_pi",
    "gaussian_pvrs",
    "max_value_entropy",
]

_LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def _check_points(X) -> np.ndarray:
    """``X`` as a float array of shape (n_points, n_features), or a clear error."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-dimensional (n_points, n_features), got "
                         f"{X.ndim} dimensions.")
    return X


def _posterior(X, model, return_grad: bool):
    """Mean and std at ``X`` (and their gradients at its one row)."""
    X = _check_points(X)
    if not return_grad:
        mu, std = model.predict(X, return_std=True)
        return np.asarray(mu, dtype=float), np.asarray(std, dtype=float), None, None
    if X.shape[0] != 1:
        raise ValueError(
            f"return_grad=True is for one point at a time; X has {X.shape[0]} rows."
        )
    mu, std, mu_grad, std_grad = model.predict(
        X, return_std=True, return_mean_grad=True, return_std_grad=True
    )
    return (np.asarray(mu, dtype=float), np.asarray(std, dtype=float),
            np.asarray(mu_grad, dtype=float).ravel(),
            np.asarray(std_grad, dtype=float).ravel())


def gaussian_lcb(X, model, kappa=1.96, return_grad=False):
    """Lower confidence bound ``mu - kappa * std``, to be minimised.

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding.
    model : regressor
        Fitted; ``predict(X, return_std=True)`` gives mean and std.
    kappa : float or 'inf', default=1.96
        Weight of the standard deviation; ``'inf'`` returns ``-std``
        (pure exploration).
    return_grad : bool, default=False
        Also return the gradient at the one row of ``X``.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The bound at each point.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    mu, std, mu_grad, std_grad = _posterior(X, model, return_grad)
    if kappa == "inf":
        return (-std, -std_grad) if return_grad else -std
    values = mu - kappa * std
    return (values, mu_grad - kappa * std_grad) if return_grad else values


def _improvement(X, model, y_opt, xi, return_grad, value, gradient):
    """PI's or EI's values at ``X`` and, with ``return_grad``, the gradient
    at its one row: ``value(z, std, gap)`` where the model is uncertain (0
    where ``std`` is 0) and ``gradient(z, std, mu_grad, std_grad)``, with
    ``gap = y_opt - xi - mu`` and ``z = gap / std``."""
    mu, std, mu_grad, std_grad = _posterior(X, model, return_grad)
    positive = std > 0
    safe_std = np.where(positive, std, 1.0)
    gap = y_opt - xi - mu
    z = np.where(positive, gap / safe_std, 0.0)
    values = np.where(positive, value(z, safe_std, gap), 0.0)
    if not return_grad:
        return values
    if not positive[0]:
        return values, np.zeros_like(mu_grad)
    return values, gradient(z[0], safe_std[0], mu_grad, std_grad)


def _pi_value(z, std, gap):
    return norm.cdf(z)


def _pi_gradient(z, std, mu_grad, std_grad):
    # dz/dmu = -1/std, dz/dstd = -z/std
    return -norm.pdf(z) * (mu_grad + z * std_grad) / std


def _ei_value(z, std, gap):
    return gap * norm.cdf(z) + std * norm.pdf(z)


def _ei_gradient(z, std, mu_grad, std_grad):
    # dEI/dmu = -Phi(z), dEI/dstd = phi(z)
    return -norm.cdf(z) * mu_grad + norm.pdf(z) * std_grad


# the parameters gaussian_pi and gaussian_ei share
_IMPROVEMENT_PARAMETERS = """X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding.
    model : regressor
        Fitted; ``predict(X, return_std=True)`` gives mean and std.
    y_opt : float, default=0.0
        The value to improve on (the best observed, usually).
    xi : float, default=0.01
        Margin of improvement, in the objective's units.
    return_grad : bool, default=False
        Also return the gradient at the one row of ``X``."""


def gaussian_pi(X, model, y_opt=0.0, xi=0.01, return_grad=False):
    """Probability of improving on ``y_opt`` by more than ``xi``, to be
    maximised.

    ``Phi((y_opt - xi - mu) / std)``; 0 where the model is certain.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    values : ndarray of shape (n_points,)
        The probability at each point.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    return _improvement(X, model, y_opt, xi, return_grad, _pi_value, _pi_gradient)


def gaussian_ei(X, model, y_opt=0.0, xi=0.01, return_grad=False):
    """Expected improvement on ``y_opt`` by more than ``xi``, to be maximised.

    ``(y_opt - xi - mu) Phi(z) + std phi(z)`` with ``z = (y_opt - xi - mu) /
    std``; 0 where the model is certain.

    Parameters
    ----------
    {parameters}

    Returns
    -------
    values : ndarray of shape (n_points,)
        The expected improvement at each point.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    return _improvement(X, model, y_opt, xi, return_grad, _ei_value, _ei_gradient)


for _function in (gaussian_pi, gaussian_ei):
    if _function.__doc__:  # None under python -OO
        _function.__doc__ = _function.__doc__.format(
            parameters=_IMPROVEMENT_PARAMETERS)


def gaussian_mes(X, model, n_min_samples=1000, random_state=None):
    """Max-value entropy search: information about the minimum's value, to
    be maximised.

    Wang & Jegelka (2017), with their Gumbel approximation: the distribution
    of the best value over the points ``X`` (the minimum of independent
    normals, one per point) is fitted by a Gumbel law through its quartiles,
    ``n_min_samples`` minimum values ``y*`` are drawn from it, and each point
    scores the mean over the draws of the entropy its observation would
    remove, ``g phi(g) / (2 Phi(g)) - log Phi(g)`` with ``g = (mu - y*) /
    std``. ``X`` should cover the space (the candidates of a round), since
    the best value is taken over it.

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding.
    model : regressor
        Fitted; ``predict(X, return_std=True)`` gives mean and std.
    n_min_samples : int, default=1000
        Draws of the minimum value.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws; None uses NumPy's global stream, as
        scikit-optimize does.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The information gain at each point (no gradient: scikit-optimize's
        has none either).
    """
    mu, std, _, _ = _posterior(X, model, False)
    draws = check_random_state(random_state).rand(int(n_min_samples))
    return max_value_entropy(mu, std, draws)


def max_value_entropy(mu, std, quantiles):
    """MES of each point of a minimisation, from its posterior mean and std.

    Wang & Jegelka (2017), with their Gumbel approximation: the best value
    over the points (the minimum of independent normals ``N(mu_i,
    std_i)``) is fitted by a Gumbel law through its quartiles; its values at
    the levels ``quantiles`` are the minimum values ``y*``. Each point
    scores the mean over them of the entropy its observation would remove,
    ``g phi(g) / (2 Phi(g)) - log Phi(g)`` with ``g = (mu - y*) / std``.
    ``gaussian_mes`` passes uniform draws as the levels; ``Optimizer(
    acq_func='MES')`` evenly spread ones.

    Parameters
    ----------
    mu, std : array-like of shape (n_points,)
        Posterior mean and standard deviation at the points.
    quantiles : array-like of shape (n_levels,)
        Levels in ``(0, 1)`` of the minimum value's law.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The information gain at each point, to be maximised.
    """
    mu = np.asarray(mu, dtype=float)
    std = np.maximum(np.asarray(std, dtype=float), 1e-10)
    # in terms of the maximum of -f, as the paper writes it
    loc, scale = _gumbel_through(*_max_value_quartiles(-mu, std))
    max_values = loc - scale * np.log(-np.log(np.asarray(quantiles, dtype=float)))
    gamma = (max_values[None, :] + mu[:, None]) / std[:, None]
    # scipy.special's log_ndtr and the density written out: the same values
    # as norm.logcdf / norm.logpdf, 5x faster (no argument checking)
    log_cdf = log_ndtr(gamma)
    pdf_over_cdf = np.exp(-0.5 * gamma**2 - _LOG_SQRT_2PI - log_cdf)
    return np.mean(gamma * pdf_over_cdf / 2.0 - log_cdf, axis=1)


def _max_value_quartiles(mean, std):
    """The quartiles of ``max_i N(mean_i, std_i)`` for independent normals."""

    def log_cdf_minus(z, level):
        return np.sum(norm.logcdf((z - mean) / std)) - np.log(level)

    # below `low` one factor is under Phi(-5); above `high` every factor is
    # over 0.8 ** (1 / n), so the product is over 0.8
    low = float(np.max(mean - 5.0 * std))
    high = float(np.max(mean + std * norm.ppf(0.8 ** (1.0 / len(mean))))) + 1e-12
    return tuple(brentq(log_cdf_minus, low, high, args=(level,))
                 for level in (0.25, 0.5, 0.75))


def _gumbel_through(q1, median, q3):
    """Location and scale of the Gumbel law ``exp(-exp(-(z - loc) / scale))``
    with these lower quartile, median and upper quartile: its quantile at
    ``p`` is ``loc - scale log(-log p)``."""
    scale = (q3 - q1) / (np.log(np.log(4.0)) - np.log(np.log(4.0 / 3.0)))
    return median + scale * np.log(np.log(2.0)), scale


def gaussian_pvrs(X, model, n_thompson=10, random_state=0):
    """Predictive variance reduction search, to be maximised.

    Nguyen et al. (2017): ``n_thompson`` draws of the posterior on ``X``
    give as many likely locations of the minimum (each draw's argmin); a
    point scores how much of the prior variance at those locations the
    model would explain once that point is observed too (the sum over the
    locations of ``k_A(t)' K_A^-1 k_A(t)``, ``A`` the training points plus
    the point). Higher means the observation would pin down the minimum's
    location more. Needs a Gaussian process (``kernel_``, ``X_train_``,
    ``alpha``, ``sample_y``): scikit-learn's or
    ``skopt_est.learning.GaussianProcessRegressor``.

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding; the draws are taken on them.
    model : GaussianProcessRegressor
        Fitted.
    n_thompson : int, default=10
        Posterior draws (Thompson samples).
    random_state : int, RandomState instance or None, default=0
        Seed of the draws; 0 is ``sample_y``'s default, which
        scikit-optimize uses.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The explained variance at the likely minima, with each point added.
    """
    X = _check_points(X)
    draws = np.asarray(model.sample_y(X, n_samples=n_thompson,
                                      random_state=random_state))
    likely_minima = X[np.argmin(draws.reshape(len(X), -1), axis=0)]
    kernel, X_train = model.kernel_, model.X_train_
    K = kernel(X_train)
    K[np.diag_indices_from(K)] += model.alpha
    factor = (cholesky(K, lower=True), True)
    k_train_t = kernel(X_train, likely_minima)
    k_train_x = kernel(X_train, X)
    explained = np.sum(k_train_t * cho_solve(factor, k_train_t))
    # adding x to the training set explains cov(t, x | train)**2 / var(x | train)
    # more at each t (the block inverse of K_A)
    covariance = kernel(likely_minima, X) - k_train_t.T @ cho_solve(factor, k_train_x)
    variance = kernel.diag(X) - np.sum(k_train_x * cho_solve(factor, k_train_x), axis=0)
    gain = np.sum(covariance**2, axis=0) / np.maximum(variance, 1e-300)
    return explained + np.where(variance > 1e-12, gain, 0.0)


_TO_MINIMISE = {"LCB", "EI", "PI", "EIps", "PIps"}
_NO_GRADIENT = {"MES": gaussian_mes, "PVRS": gaussian_pvrs}


def gaussian_acquisition_1D(X, model, y_opt=None, acq_func="LCB",
                            acq_func_kwargs=None, return_grad=True):
    """One point's acquisition value in the form a minimiser wants.

    ``X`` is one point as a 1-D array (what ``scipy.optimize`` passes); the
    value is ``gaussian_lcb``'s, or minus ``gaussian_ei``'s,
    ``gaussian_pi``'s, ``gaussian_mes``'s or ``gaussian_pvrs``'s, so that
    lower is better for all of them. MES and PVRS have no gradient (pass
    ``return_grad=False``) and judge the point against itself only, which
    makes sense for a batch of points rather than one.

    Parameters
    ----------
    X : array-like of shape (n_features,)
        The point.
    model : regressor
        Fitted, as for ``gaussian_ei``.
    y_opt : float or None, default=None
        The value to improve on; needed by 'EI' and 'PI'.
    acq_func : {'LCB', 'EI', 'PI', 'MES', 'PVRS', 'EIps', 'PIps'}, \
default='LCB'
        The acquisition function. 'EIps' and 'PIps' divide EI and PI by
        the expected time, ``model`` then being a pair with
        ``estimators_`` (values, log-times).
    acq_func_kwargs : dict or None, default=None
        ``xi`` (EI, PI; default 0.01), ``kappa`` (LCB; default 1.96),
        ``n_min_samples`` (MES; default 1000) and ``n_thompson`` (PVRS;
        default 10).
    return_grad : bool, default=True
        Also return the gradient.

    Returns
    -------
    value : ndarray of shape (1,)
        The value to minimise.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    if acq_func not in _TO_MINIMISE | set(_NO_GRADIENT):
        raise ValueError(
            f"acq_func={acq_func!r} is not supported; use one of "
            f"{sorted(_TO_MINIMISE | set(_NO_GRADIENT))}."
        )
    kwargs = dict(acq_func_kwargs or {})
    X = np.asarray(X, dtype=float)[None, :]
    if acq_func in _NO_GRADIENT:
        if return_grad:
            raise ValueError(
                f"acq_func={acq_func!r} has no gradient; pass return_grad=False."
            )
        size = ({"n_min_samples": kwargs.get("n_min_samples", 1000)}
                if acq_func == "MES" else {"n_thompson": kwargs.get("n_thompson", 10)})
        return -_NO_GRADIENT[acq_func](X, model, **size)
    if acq_func == "LCB":
        return gaussian_lcb(X, model, kwargs.get("kappa", 1.96), return_grad)
    if y_opt is None:
        raise ValueError(f"acq_func={acq_func!r} needs y_opt, the value to improve on.")
    per_second = acq_func.endswith("ps")
    if per_second:
        model, time_model = _objective_and_time(model, acq_func)
    function = gaussian_ei if acq_func.startswith("EI") else gaussian_pi
    result = function(X, model, y_opt, kwargs.get("xi", 0.01), return_grad)
    if per_second:
        result = _per_second(result, X, time_model, return_grad)
    if return_grad:
        return -result[0], -result[1]
    return -result


def _objective_and_time(model, acq_func):
    """The two models of a per-second pair (``estimators_``)."""
    estimators = getattr(model, "estimators_", None)
    if estimators is None or len(estimators) != 2:
        raise ValueError(
            f"acq_func={acq_func!r} needs a model of the values and one of the "
            "log-times, as a fitted MultiOutputRegressor's estimators_ (an "
            "Optimizer's models[-1] with this acq_func); got "
            f"{type(model).__name__}."
        )
    return estimators


def _per_second(result, X, time_model, return_grad):
    """EI's or PI's value (and gradient) times ``E[1/t] = exp(-m + s**2 / 2)``
    for the log-time posterior ``N(m, s**2)`` at the point."""
    mu, std, mu_grad, std_grad = _posterior(X, time_model, return_grad)
    inverse_time = np.exp(-mu + 0.5 * std**2)
    if not return_grad:
        return result * inverse_time
    values, grad = result
    # d exp(g) = exp(g) dg, with dg = -dm + s ds
    rate_grad = inverse_time[0] * (-mu_grad + std[0] * std_grad)
    return values * inverse_time, grad * inverse_time[0] + values[0] * rate_grad
