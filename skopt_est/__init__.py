"""scikit-learn estimators trained by gradient descent on PyTorch."""

from .linear_model import GDClassifier, GDRegressor
from .neural_network import MLPClassifier, MLPRegressor
from .search import BayesSearchCV

__version__ = "0.1.0"

__all__ = [
    "BayesSearchCV",
    "GDClassifier",
    "GDRegressor",
    "MLPClassifier",
    "MLPRegressor",
    "__version__",
]
