"""scikit-optimize's ``skopt.searchcv`` name: ``BayesSearchCV``."""

from .search._bayes import BayesSearchCV

__all__ = ["BayesSearchCV"]
