"""Surrogate regressors, under scikit-optimize's ``skopt.learning`` names.

scikit-learn's forests, gradient boosting and Gaussian process, each with a
``predict(X, return_std=True)`` that the acquisition functions of
``skopt_est.acquisition`` and ``Optimizer(base_estimator=...)`` use. The
default surrogate of ``Optimizer`` and ``gp_minimize`` stays skopt_est's own
GP (``skopt_est.search._gp``); these are here for the scripts that name them.
"""

from .forest import ExtraTreesRegressor, RandomForestRegressor
from .gaussian_process import GaussianProcessRegressor
from .gbrt import GradientBoostingQuantileRegressor

__all__ = [
    "ExtraTreesRegressor",
    "GaussianProcessRegressor",
    "GradientBoostingQuantileRegressor",
    "RandomForestRegressor",
]
