"""Plots of searches and of training: convergence, surrogate, evaluations, curves.

matplotlib is an optional dependency (the ``plots`` extra): it is imported
inside the functions, and its absence raises an ``ImportError`` that names
``pip install skopt-est[plots]``.

A *result* is one of the things a search leaves behind:

* a fitted ``BayesSearchCV``: its ``optimizer_results_`` (the values are
  ``-score``, so the plots show the CV score, higher is better);
* any other fitted scikit-learn search with ``cv_results_`` (``GridSearchCV``,
  ``RandomizedSearchCV``): ``plot_convergence`` only;
* an ``OptimizeResult`` or dict with ``x_iters``, ``func_vals`` and ``space``,
  as ``Optimizer.get_result()`` and the entries of ``optimizer_results_``
  give: the values are plotted as they are, lower is better.
"""

from ._convergence import plot_convergence
from ._evaluations import plot_evaluations
from ._objective import plot_objective
from ._training import plot_learning_curves

__all__ = [
    "plot_convergence",
    "plot_evaluations",
    "plot_learning_curves",
    "plot_objective",
]
