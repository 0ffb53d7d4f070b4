"""scikit-learn's Gaussian process regressor with gradients in ``x``, under
scikit-optimize's ``skopt.learning.gaussian_process`` names."""

from . import kernels
from .gpr import GaussianProcessRegressor

__all__ = ["GaussianProcessRegressor", "kernels"]
