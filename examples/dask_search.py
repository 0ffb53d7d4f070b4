"""A BayesSearchCV spread over a Dask cluster.

``n_points=2`` proposes two candidates per round (constant liar), and
joblib's ``'dask'`` backend sends their cross-validation fits to the
cluster's workers. Here the cluster is a ``distributed.LocalCluster``; for a
real one, pass its scheduler address to ``Client``. Needs ``dask`` and
``distributed`` (the ``dask`` extra).
"""

import os
import warnings

import joblib
from distributed import Client, LocalCluster
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import BayesSearchCV, GDRegressor
from skopt_est.space import Categorical, Real

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"


def main():
    X, y = load_diabetes(return_X_y=True)
    y = (y - y.mean()) / y.std()
    search = BayesSearchCV(
        make_pipeline(StandardScaler(), GDRegressor(max_iter=50, random_state=0)),
        {
            "gdregressor__penalty": Categorical(["l2", "l1", "elasticnet"]),
            "gdregressor__alpha": Real(1e-6, 1e-1, prior="log-uniform"),
            "gdregressor__eta0": Real(1e-4, 1e-1, prior="log-uniform"),
        },
        n_iter=4 if SMALL else 16, n_points=2, cv=3, n_jobs=-1, random_state=0,
    )
    # in-process workers start at once; processes=True isolates them instead
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        print(f"Dask cluster: {len(client.scheduler_info()['workers'])} workers")
        with warnings.catch_warnings(), joblib.parallel_backend("dask"):
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X, y)
    print(f"best CV R^2 {search.best_score_:.4f} with {search.best_params_}")


if __name__ == "__main__":
    main()
