"""Hyperparameter search: the ask/tell ``Optimizer``, ``BayesSearchCV`` and
``HyperbandSearchCV``."""

from ._bayes import BayesSearchCV
from ._hyperband import HyperbandSearchCV
from ._optimizer import Optimizer

__all__ = ["BayesSearchCV", "HyperbandSearchCV", "Optimizer"]
