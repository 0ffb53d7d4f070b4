"""Bayesian hyperparameter search: the ask/tell ``Optimizer`` and ``BayesSearchCV``."""

from ._bayes import BayesSearchCV
from ._optimizer import Optimizer

__all__ = ["BayesSearchCV", "Optimizer"]
