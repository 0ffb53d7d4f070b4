"""scikit-learn estimators trained by gradient descent on PyTorch."""

__version__ = "0.1.0"

__all__ = ["__version__"]
