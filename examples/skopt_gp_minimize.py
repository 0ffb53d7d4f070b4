"""A scikit-optimize script, with only its imports changed: ``gp_minimize``
tunes a gradient-boosting regressor through an objective of named arguments,
then ``plot_convergence`` draws the best cross-validated error per call.

Run ``python examples/skopt_gp_minimize.py``; the figure goes to a temporary
folder (or ``$SKOPT_EST_EXAMPLES_OUT``).
"""

import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import cross_val_score

# with scikit-optimize these three lines read `from skopt ...`
from skopt_est import gp_minimize
from skopt_est.plots import plot_convergence
from skopt_est.space import Integer, Real
from skopt_est.utils import use_named_args

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"
OUT = os.environ.get("SKOPT_EST_EXAMPLES_OUT") or tempfile.mkdtemp(prefix="skopt_est_")

X, y = load_diabetes(return_X_y=True)
n_features = X.shape[1]
model = GradientBoostingRegressor(n_estimators=20 if SMALL else 50, random_state=0)

space = [
    Integer(1, 5, name="max_depth"),
    Real(1e-3, 1.0, "log-uniform", name="learning_rate"),
    Integer(1, n_features, name="max_features"),
    Integer(2, 50, name="min_samples_split"),
    Integer(1, 50, name="min_samples_leaf"),
]


@use_named_args(space)
def objective(**params):
    model.set_params(**params)
    scores = cross_val_score(model, X, y, cv=3, scoring="neg_mean_absolute_error")
    return -np.mean(scores)


result = gp_minimize(
    objective,
    space,
    n_calls=10 if SMALL else 40,
    n_initial_points=5 if SMALL else 10,
    random_state=0,
)
print(f"Best cross-validated MAE: {result.fun:.4f}")
print("Best parameters:", dict(zip([d.name for d in space], result.x)))

plot_convergence(result)
path = os.path.join(OUT, "skopt_gp_minimize.png")
plt.savefig(path, dpi=150, bbox_inches="tight")
print(f"figure: {path}")
plt.show()
