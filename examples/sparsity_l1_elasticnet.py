"""L1 and elastic-net penalties give exact zeros.

A GDRegressor is fitted to a regression problem where only 5 of 50 features
matter. The L2 penalty shrinks every weight; L1 and elastic net set the
useless ones to exactly zero (a proximal step, as scikit-learn's SGD does).
The bar chart of the weights goes to a temporary folder (or
``$SKOPT_EST_EXAMPLES_OUT``).
"""

import os
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_regression
from sklearn.preprocessing import StandardScaler

from skopt_est import GDRegressor

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"
OUT = os.environ.get("SKOPT_EST_EXAMPLES_OUT") or tempfile.mkdtemp(prefix="skopt_est_")

X, y, true_coef = make_regression(n_samples=300 if SMALL else 1000, n_features=50,
                                  n_informative=5, noise=5.0, coef=True, random_state=0)
X = StandardScaler().fit_transform(X)
y = (y - y.mean()) / y.std()

fig, axes = plt.subplots(3, 1, figsize=(7, 6), sharex=True)
for ax, penalty in zip(axes, ["l2", "l1", "elasticnet"]):
    model = GDRegressor(penalty=penalty, alpha=0.05, l1_ratio=0.7,
                        max_iter=20 if SMALL else 100, random_state=0)
    model.fit(X, y)
    n_zero = int(np.sum(model.coef_ == 0.0))
    print(f"{penalty:>10}: {n_zero:2d} of {model.coef_.size} weights exactly zero, "
          f"R^2 {model.score(X, y):.3f}")
    ax.bar(np.arange(model.coef_.size), model.coef_)
    ax.set_ylabel(penalty)
axes[0].set_title(f"GDRegressor weights (true non-zeros: {np.flatnonzero(true_coef)})")
axes[-1].set_xlabel("feature")
path = os.path.join(OUT, "sparsity.png")
fig.savefig(path, dpi=80, bbox_inches="tight")
print(f"figure: {path}")
