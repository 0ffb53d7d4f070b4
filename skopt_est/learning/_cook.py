"""Building a surrogate regressor from its scikit-optimize name."""

from __future__ import annotations

import inspect

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor

from .forest import ExtraTreesRegressor, RandomForestRegressor
from .gaussian_process import GaussianProcessRegressor
from .gaussian_process.kernels import ConstantKernel, HammingKernel, Matern
from .gbrt import GradientBoostingQuantileRegressor

__all__ = ["cook_estimator", "has_gradients"]

ESTIMATOR_NAMES = ("GP", "RF", "ET", "GBRT", "DUMMY")


def _gaussian_process(space) -> GaussianProcessRegressor:
    from ..space import normalize_dimensions

    if space is None:
        raise ValueError("cook_estimator('GP') needs the space (its dimensions).")
    space = normalize_dimensions(space)
    n_dims = space.transformed_n_dims
    if space.is_categorical:
        shape = HammingKernel(length_scale=np.ones(n_dims))
    else:
        shape = Matern(length_scale=np.ones(n_dims),
                       length_scale_bounds=[(0.01, 100)] * n_dims, nu=2.5)
    return GaussianProcessRegressor(
        kernel=ConstantKernel(1.0, (0.01, 1000.0)) * shape,
        normalize_y=True,
        noise="gaussian",
        n_restarts_optimizer=2,
    )


def cook_estimator(base_estimator, space=None, **kwargs):
    """A surrogate regressor with scikit-optimize's settings for its name.

    Parameters
    ----------
    base_estimator : {'GP', 'RF', 'ET', 'GBRT', 'DUMMY'} or regressor
        'GP': ``skopt_est.learning.GaussianProcessRegressor`` with a
        Matérn-5/2 kernel (a Hamming kernel when every dimension is
        categorical), fitted noise and normalised targets; 'RF' / 'ET': a
        forest of 100 trees with 3 samples a leaf; 'GBRT': a quantile
        booster of 30 trees a quantile; 'DUMMY': None (random search). A
        regressor is returned as given (its parameters set). Names are
        read case-insensitively. (``Optimizer`` and ``gp_minimize`` use
        skopt_est's own GP for 'GP', not this one.)
    space : Space, list of dimensions or None, default=None
        Needed by 'GP' (the kernel has one length scale per model column).
    **kwargs : dict
        Parameters set on the regressor (``n_jobs`` is dropped where the
        regressor has none).

    Returns
    -------
    estimator : regressor or None
        The regressor, unfitted.
    """
    if isinstance(base_estimator, str):
        name = base_estimator.upper()
        if name not in ESTIMATOR_NAMES:
            raise ValueError(
                f"base_estimator={base_estimator!r} is not a known surrogate; use "
                f"one of {list(ESTIMATOR_NAMES)} or a regressor."
            )
        if name == "DUMMY":
            return None
        estimator = {
            "GP": lambda: _gaussian_process(space),
            "RF": lambda: RandomForestRegressor(n_estimators=100, min_samples_leaf=3),
            "ET": lambda: ExtraTreesRegressor(n_estimators=100, min_samples_leaf=3),
            "GBRT": lambda: GradientBoostingQuantileRegressor(
                base_estimator=GradientBoostingRegressor(n_estimators=30,
                                                         loss="quantile")),
        }[name]()
    elif _is_regressor(base_estimator):
        estimator = base_estimator
    else:
        raise ValueError(
            f"base_estimator={base_estimator!r} must be a surrogate name or a "
            "regressor (a scikit-learn estimator with predict(X, return_std=True))."
        )
    params = estimator.get_params()
    kwargs = {k: v for k, v in kwargs.items() if k != "n_jobs" or "n_jobs" in params}
    return estimator.set_params(**kwargs)


def _is_regressor(estimator) -> bool:
    """A scikit-learn style estimator (``fit``, ``predict``, ``get_params``
    for ``clone``) that does not say it is a classifier."""
    if not all(hasattr(estimator, name) for name in ("fit", "predict", "get_params")):
        return False
    tags = getattr(estimator, "__sklearn_tags__", None)
    return tags is None or tags().estimator_type in (None, "regressor")


def _has_hamming(estimator) -> bool:
    return any(isinstance(value, HammingKernel)
               for value in estimator.get_params().values())


def has_gradients(estimator) -> bool:
    """Whether ``estimator.predict`` gives the gradients the acquisition
    polish needs (``return_mean_grad`` and ``return_std_grad``).

    Parameters
    ----------
    estimator : regressor or None
        A surrogate (None for random search).

    Returns
    -------
    answer : bool
        True for a Gaussian process regressor of ``skopt_est.learning`` (or
        any regressor whose ``predict`` takes those keywords) on a
        non-categorical kernel; False for trees, boosting, None, and
        scikit-learn's own GP.
    """
    if estimator is None or not hasattr(estimator, "predict"):
        return False
    parameters = inspect.signature(estimator.predict).parameters
    if not {"return_mean_grad", "return_std_grad"} <= set(parameters):
        return False
    return not _has_hamming(estimator)
