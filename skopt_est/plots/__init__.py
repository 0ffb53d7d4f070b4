"""Plots of searches and of training: convergence, surrogate, evaluations, curves.

matplotlib is an optional dependency (the ``plots`` extra): it is imported
inside the functions, and its absence raises an ``ImportError`` that names
``pip install skopt-est[plots]``.

A *result* is one of the things a search leaves behind:

* a fitted ``BayesSearchCV``: its ``optimizer_results_`` (the values are
  ``-score``, so the plots show the CV score, higher is better);
* any other fitted scikit-learn search with ``cv_results_`` (``GridSearchCV``,
  ``RandomizedSearchCV``): ``plot_convergence`` and ``plot_regret`` only;
* an ``OptimizeResult`` or dict with ``x_iters``, ``func_vals`` and ``space``,
  as ``Optimizer.get_result()`` and the entries of ``optimizer_results_``
  give: the values are plotted as they are, lower is better; scikit-optimize's
  own ``OptimizeResult`` too (the surrogate plots need its ``models``).

The surrogate plots draw the model the search fitted (``models[-1]``, or
``models[k]`` where a plot takes ``n_calls``); only a skopt_est result saved
without models is refitted, by the optimizer's own code.

``plot_rungs`` draws a multi-fidelity search (``HyperbandSearchCV``,
scikit-learn's halving searches): score against resource per candidate.
"""

from ._convergence import plot_convergence, plot_regret
from ._dependence import (
    partial_dependence,
    partial_dependence_1D,
    partial_dependence_2D,
)
from ._evaluations import plot_evaluations, plot_histogram
from ._gaussian_process import plot_gaussian_process
from ._objective import plot_objective, plot_objective_2D
from ._rungs import plot_rungs
from ._training import plot_learning_curves

__all__ = [
    "partial_dependence",
    "partial_dependence_1D",
    "partial_dependence_2D",
    "plot_convergence",
    "plot_evaluations",
    "plot_gaussian_process",
    "plot_histogram",
    "plot_learning_curves",
    "plot_objective",
    "plot_objective_2D",
    "plot_regret",
    "plot_rungs",
]
