"""Dropout vs weight decay on a small, noisy regression problem.

A wide MLPRegressor overfits 200 noisy samples of Friedman's function #1.
Dropout (after every hidden activation) and an L2 penalty (``alpha``,
weight decay) both regularise it; the table shows the held-out R^2 of each.
"""

import os
import warnings

from sklearn.datasets import make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skopt_est import MLPRegressor

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"

X, y = make_friedman1(n_samples=1200, noise=2.0, random_state=0)
y = (y - y.mean()) / y.std()
X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=200,
                                                    random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

settings = [("none", 0.0, 0.0), ("dropout 0.2", 0.2, 0.0), ("dropout 0.5", 0.5, 0.0),
            ("alpha 1e-2", 0.0, 1e-2), ("alpha 1e-1", 0.0, 1e-1),
            ("both", 0.2, 1e-2)]
print(f"{'regularisation':>15}  train R^2  test R^2")
for name, dropout, alpha in settings:
    model = MLPRegressor(hidden_layer_sizes=(256, 256), dropout=dropout, alpha=alpha,
                         learning_rate_init=3e-3, max_iter=30 if SMALL else 300,
                         random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    print(f"{name:>15}  {model.score(X_train, y_train):9.3f}  "
          f"{model.score(X_test, y_test):8.3f}")
