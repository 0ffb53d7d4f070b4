"""scikit-learn estimators trained by gradient descent on PyTorch."""

from .linear_model import GDClassifier, GDRegressor

__version__ = "0.1.0"

__all__ = ["GDClassifier", "GDRegressor", "__version__"]
