"""scikit-learn estimators trained by gradient descent on PyTorch.

Public names are imported on first use (PEP 562), so ``import skopt_est`` and
``skopt-est --help`` do not pay for importing torch and scikit-learn.
"""

import importlib

__version__ = "0.1.0"

_PUBLIC_NAMES = {
    "GDClassifier": ".linear_model",
    "GDRegressor": ".linear_model",
    "MLPClassifier": ".neural_network",
    "MLPRegressor": ".neural_network",
    "BayesSearchCV": ".search",
    "HyperbandSearchCV": ".search",
    "Optimizer": ".search",
    "Space": ".space",
    "dummy_minimize": ".optimizer",
    "dump": ".utils",
    "gp_minimize": ".optimizer",
    "load": ".utils",
}

__all__ = sorted(_PUBLIC_NAMES) + ["__version__"]


def __getattr__(name):
    if name in _PUBLIC_NAMES:
        value = getattr(importlib.import_module(_PUBLIC_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
