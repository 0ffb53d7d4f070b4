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
from scipy.stats import norm

__all__ = [
    "gaussian_acquisition_1D",
    "gaussian_ei",
    "gaussian_lcb",
    "gaussian_pi",
]


def _posterior(X, model, return_grad: bool):
    """Mean and std at ``X`` (and their gradients at its one row)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-dimensional (n_points, n_features), got "
                         f"{X.ndim} dimensions.")
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


def _improvement(X, model, y_opt, xi, return_grad):
    mu, std, mu_grad, std_grad = _posterior(X, model, return_grad)
    positive = std > 0
    safe_std = np.where(positive, std, 1.0)
    z = np.where(positive, (y_opt - xi - mu) / safe_std, 0.0)
    return mu, std, mu_grad, std_grad, positive, safe_std, z


def gaussian_pi(X, model, y_opt=0.0, xi=0.01, return_grad=False):
    """Probability of improving on ``y_opt`` by more than ``xi``, to be
    maximised.

    ``Phi((y_opt - xi - mu) / std)``; 0 where the model is certain.

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding.
    model : regressor
        Fitted; ``predict(X, return_std=True)`` gives mean and std.
    y_opt : float, default=0.0
        The value to improve on (the best observed, usually).
    xi : float, default=0.01
        Margin of improvement, in the objective's units.
    return_grad : bool, default=False
        Also return the gradient at the one row of ``X``.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The probability at each point.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    mu, std, mu_grad, std_grad, positive, safe_std, z = _improvement(
        X, model, y_opt, xi, return_grad)
    values = np.where(positive, norm.cdf(z), 0.0)
    if not return_grad:
        return values
    if not positive[0]:
        return values, np.zeros_like(mu_grad)
    # dz/dmu = -1/std, dz/dstd = -z/std
    density = norm.pdf(z[0])
    grad = -density * (mu_grad + z[0] * std_grad) / safe_std[0]
    return values, grad


def gaussian_ei(X, model, y_opt=0.0, xi=0.01, return_grad=False):
    """Expected improvement on ``y_opt`` by more than ``xi``, to be maximised.

    ``(y_opt - xi - mu) Phi(z) + std phi(z)`` with ``z = (y_opt - xi - mu) /
    std``; 0 where the model is certain.

    Parameters
    ----------
    X : array-like of shape (n_points, n_features)
        Points, in the model's input encoding.
    model : regressor
        Fitted; ``predict(X, return_std=True)`` gives mean and std.
    y_opt : float, default=0.0
        The value to improve on (the best observed, usually).
    xi : float, default=0.01
        Margin of improvement, in the objective's units.
    return_grad : bool, default=False
        Also return the gradient at the one row of ``X``.

    Returns
    -------
    values : ndarray of shape (n_points,)
        The expected improvement at each point.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    mu, std, mu_grad, std_grad, positive, safe_std, z = _improvement(
        X, model, y_opt, xi, return_grad)
    improvement = y_opt - xi - mu
    values = np.where(
        positive, improvement * norm.cdf(z) + safe_std * norm.pdf(z), 0.0
    )
    if not return_grad:
        return values
    if not positive[0]:
        return values, np.zeros_like(mu_grad)
    # dEI/dmu = -Phi(z), dEI/dstd = phi(z)
    grad = -norm.cdf(z[0]) * mu_grad + norm.pdf(z[0]) * std_grad
    return values, grad


_TO_MINIMISE = {"LCB", "EI", "PI"}


def gaussian_acquisition_1D(X, model, y_opt=None, acq_func="LCB",
                            acq_func_kwargs=None, return_grad=True):
    """One point's acquisition value in the form a minimiser wants.

    ``X`` is one point as a 1-D array (what ``scipy.optimize`` passes); the
    value is ``gaussian_lcb``'s, or minus ``gaussian_ei``'s or
    ``gaussian_pi``'s, so that lower is better for all three.

    Parameters
    ----------
    X : array-like of shape (n_features,)
        The point.
    model : regressor
        Fitted, as for ``gaussian_ei``.
    y_opt : float or None, default=None
        The value to improve on; needed by 'EI' and 'PI'.
    acq_func : {'LCB', 'EI', 'PI'}, default='LCB'
        The acquisition function.
    acq_func_kwargs : dict or None, default=None
        ``xi`` (EI, PI; default 0.01) and ``kappa`` (LCB; default 1.96).
    return_grad : bool, default=True
        Also return the gradient.

    Returns
    -------
    value : ndarray of shape (1,)
        The value to minimise.
    grad : ndarray of shape (n_features,)
        Its gradient, when ``return_grad`` is True.
    """
    if acq_func not in _TO_MINIMISE:
        raise ValueError(
            f"acq_func={acq_func!r} is not supported; use one of "
            f"{sorted(_TO_MINIMISE)}."
        )
    kwargs = dict(acq_func_kwargs or {})
    X = np.asarray(X, dtype=float)[None, :]
    if acq_func == "LCB":
        return gaussian_lcb(X, model, kwargs.get("kappa", 1.96), return_grad)
    if y_opt is None:
        raise ValueError(f"acq_func={acq_func!r} needs y_opt, the value to improve on.")
    function = gaussian_ei if acq_func == "EI" else gaussian_pi
    result = function(X, model, y_opt, kwargs.get("xi", 0.01), return_grad)
    if return_grad:
        return -result[0], -result[1]
    return -result
