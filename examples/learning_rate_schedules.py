"""Compare learning-rate schedules on one regression problem.

The same MLPRegressor (plain SGD with momentum) is trained on the diabetes
data with each schedule of DESIGN §1.1, and the training-loss curves are
drawn on one plot. Run ``python examples/learning_rate_schedules.py``; the
figure goes to a temporary folder (or ``$SKOPT_EST_EXAMPLES_OUT``).
"""

import os
import tempfile
import warnings

import matplotlib

matplotlib.use("Agg")
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skopt_est import MLPRegressor
from skopt_est.plots import plot_learning_curves

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"
OUT = os.environ.get("SKOPT_EST_EXAMPLES_OUT") or tempfile.mkdtemp(prefix="skopt_est_")
SCHEDULES = ["constant", "invscaling", "exponential", "step", "cosine", "warm_restarts"]

X, y = load_diabetes(return_X_y=True)
y = (y - y.mean()) / y.std()
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

models = {}
for schedule in SCHEDULES:
    model = MLPRegressor(
        hidden_layer_sizes=(32,), solver="sgd", learning_rate=schedule,
        learning_rate_init=0.02, momentum=0.9, gamma=0.95, step_size=10,
        max_iter=20 if SMALL else 150, tol=0.0, n_iter_no_change=1000, random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        models[schedule] = model.fit(X_train, y_train)
    print(f"{schedule:>14}: final training loss {model.loss_curve_[-1]:.4f}, "
          f"test R^2 {model.score(X_test, y_test):.3f}")

axes = plot_learning_curves(models)
axes[0].set_yscale("log")
axes[0].set_title("MLPRegressor on diabetes: learning-rate schedules")
path = os.path.join(OUT, "learning_rate_schedules.png")
axes[0].figure.savefig(path, dpi=80, bbox_inches="tight")
print(f"figure: {path}")
