"""A scikit-optimize script, with only its imports changed: ``BayesSearchCV``
over a Pipeline whose classifier is itself searched, with one search space
(and budget) per kind of support vector machine.

Run ``python examples/skopt_bayes_search_svc.py``.
"""

import os

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC

# with scikit-optimize these two lines read `from skopt ...`
from skopt_est import BayesSearchCV
from skopt_est.space import Categorical, Integer, Real

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"

X, y = load_digits(n_class=10, return_X_y=True)
if SMALL:
    X, y = X[:400], y[:400]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=0.75, random_state=0
)

pipe = Pipeline([("scale", StandardScaler()), ("model", SVC())])

# kernel SVMs: the kernel and its parameters
svc_search = {
    "model": Categorical([SVC()]),
    "model__C": Real(1e-3, 1e3, prior="log-uniform"),
    "model__gamma": Real(1e-5, 1e-1, prior="log-uniform"),
    "model__degree": Integer(1, 3),
    "model__kernel": Categorical(["linear", "poly", "rbf"]),
}
# linear SVMs: only the regularisation
linsvc_search = {
    "model": [LinearSVC(max_iter=2000)],
    "model__C": (1e-3, 1e1, "log-uniform"),
}

opt = BayesSearchCV(
    pipe,
    [(svc_search, 8 if SMALL else 30), (linsvc_search, 4 if SMALL else 10)],
    cv=3,
    random_state=0,
)
opt.fit(X_train, y_train)

print(f"val. score: {opt.best_score_:.4f}")
print(f"test score: {opt.score(X_test, y_test):.4f}")
print("best model:", opt.best_params_["model"])
print("evaluations per space:", [len(r.x_iters) for r in opt.optimizer_results_])
