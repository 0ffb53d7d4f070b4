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
    "expected_minimum": ".utils",
    "expected_minimum_random_sampling": ".utils",
    "forest_minimize": ".optimizer",
    "gbrt_minimize": ".optimizer",
    "gp_minimize": ".optimizer",
    "load": ".utils",
}
# scikit-optimize's sub-modules, reachable as attributes (``skopt_est.learning``)
# and imported on first use like the names above
_SUBMODULES = {
    "acquisition",
    "benchmarks",
    "callbacks",
    "learning",
    "optimizer",
    "plots",
    "sampler",
    "space",
    "utils",
}

__all__ = sorted(_PUBLIC_NAMES) + ["__version__", "show_versions"]


def show_versions() -> None:
    """Print the platform and the versions a bug report needs.

    Python, skopt_est and the libraries it runs on (numpy, scipy,
    scikit-learn, torch), as scikit-optimize's ``skopt.show_versions``.
    """
    import os
    import platform

    print("Platform:", platform.platform())
    print("Python:", platform.python_version())
    print("CPU count:", os.cpu_count())
    print("skopt_est:", __version__)
    for package in ("numpy", "scipy", "sklearn", "torch"):
        try:
            version = importlib.import_module(package).__version__
        except ImportError:
            version = "not installed"
        print(f"{package}:", version)


def __getattr__(name):
    if name in _PUBLIC_NAMES:
        value = getattr(importlib.import_module(_PUBLIC_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
