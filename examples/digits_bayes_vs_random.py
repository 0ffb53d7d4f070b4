"""Tune an MLPClassifier on the digits data: Bayesian vs random search.

Both searches get the same space, budget, folds and seed; the convergence
plot shows the best CV accuracy found after each evaluation. Run
``python examples/digits_bayes_vs_random.py``; the figure goes to a
temporary folder (or ``$SKOPT_EST_EXAMPLES_OUT``).
"""

import os
import tempfile
import time
import warnings

import matplotlib

matplotlib.use("Agg")
from scipy.stats import loguniform, uniform
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import BayesSearchCV, MLPClassifier
from skopt_est.plots import plot_convergence
from skopt_est.space import Categorical, Real

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"
OUT = os.environ.get("SKOPT_EST_EXAMPLES_OUT") or tempfile.mkdtemp(prefix="skopt_est_")
N_ITER = 4 if SMALL else 15

X, y = load_digits(return_X_y=True)
if SMALL:
    X, y = X[:500], y[:500]
pipeline = make_pipeline(
    StandardScaler(),
    MLPClassifier(hidden_layer_sizes=(32,), max_iter=10 if SMALL else 40,
                  early_stopping=True, random_state=0),
)
space = {
    "mlpclassifier__solver": Categorical(["adam", "sgd", "rmsprop"]),
    "mlpclassifier__learning_rate_init": Real(1e-4, 1e-1, prior="log-uniform"),
    "mlpclassifier__alpha": Real(1e-6, 1e-1, prior="log-uniform"),
    "mlpclassifier__dropout": Real(0.0, 0.5),
}
distributions = {
    "mlpclassifier__solver": ["adam", "sgd", "rmsprop"],
    "mlpclassifier__learning_rate_init": loguniform(1e-4, 1e-1),
    "mlpclassifier__alpha": loguniform(1e-6, 1e-1),
    "mlpclassifier__dropout": uniform(0.0, 0.5),
}
cv = StratifiedKFold(3, shuffle=True, random_state=0)
searches = {
    "Bayes": BayesSearchCV(pipeline, space, n_iter=N_ITER, cv=cv, random_state=0,
                           optimizer_kwargs={"n_initial_points": min(5, N_ITER)}),
    "random": RandomizedSearchCV(pipeline, distributions, n_iter=N_ITER, cv=cv,
                                 random_state=0),
}
for name, search in searches.items():
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    print(f"{name:>6} search: best CV accuracy {search.best_score_:.4f} "
          f"in {time.perf_counter() - start:.1f} s")

ax = plot_convergence(*searches.items())
ax.set_title("MLPClassifier on digits: best CV accuracy")
path = os.path.join(OUT, "digits_bayes_vs_random.png")
ax.figure.savefig(path, dpi=80, bbox_inches="tight")
print(f"figure: {path}")
