"""scikit-optimize's ``skopt.optimizer`` names: the functional minimisers and
the ask/tell ``Optimizer``.

``from skopt.optimizer import gp_minimize`` becomes
``from skopt_est.optimizer import gp_minimize``.
"""

from .search._minimize import dummy_minimize, gp_minimize
from .search._optimizer import Optimizer

__all__ = ["Optimizer", "dummy_minimize", "gp_minimize"]
