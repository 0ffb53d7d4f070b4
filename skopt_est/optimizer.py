"""scikit-optimize's ``skopt.optimizer`` names: the functional minimisers and
the ask/tell ``Optimizer``.

``from skopt.optimizer import gp_minimize`` becomes
``from skopt_est.optimizer import gp_minimize``.
"""

from .search._minimize import base_minimize, dummy_minimize, gp_minimize
from .search._optimizer import Optimizer
from .search._tree_minimize import forest_minimize, gbrt_minimize

__all__ = [
    "Optimizer",
    "base_minimize",
    "dummy_minimize",
    "forest_minimize",
    "gbrt_minimize",
    "gp_minimize",
]
