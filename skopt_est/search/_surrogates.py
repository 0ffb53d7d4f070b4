"""A scikit-learn regressor behind the surrogate protocol of the optimizer.

``Optimizer`` talks to its surrogate through a few names (see
``_maximise``): ``fit``, ``predict`` (mean and std in the units the
acquisition reads),
``predict_with_gradient``, ``fantasize``, ``copy``, ``X_train_``,
``y_train_``, ``length_scale_`` and ``predict_objective``. skopt_est's GP
(``_gp.GaussianProcess``) has them; ``Regressor`` gives them to a forest,
a quantile booster or a user's regressor, fitted on the model cube.
"""

from __future__ import annotations

import copy
import inspect

import numpy as np
from sklearn.base import clone

_COVARIANCE_BLOCK = 500


def has_covariance(estimator) -> bool:
    """Whether ``estimator.predict`` takes ``return_cov`` (a Gaussian
    process's does), which PVRS needs."""
    predict = getattr(estimator, "predict", None)
    return predict is not None and (
        "return_cov" in inspect.signature(predict).parameters
    )


class Regressor:
    """A regressor with ``predict(X, return_std=True)`` as a surrogate.

    The acquisition reads its predictions in the objective's own units, as
    scikit-optimize's do, so ``xi`` and ``kappa`` are in those units too.
    (Standardised units, as skopt_est's GP uses, made ``forest_minimize``
    worse than random search on Branin: with ``xi=0.01`` of the spread,
    median best 1.67 against 1.05 in raw units, random 1.49; 16 seeds, 30
    evaluations.)

    Parameters
    ----------
    estimator : regressor
        Unfitted template; each fit works on a clone.
    n_columns : int
        Width of the model cube.
    random_state : RandomState or None, default=None
        When given, a template whose ``random_state`` is None gets a seed
        drawn from it at every fit (reproducible runs).
    """

    def __init__(self, estimator, n_columns: int, random_state=None):
        self.estimator = estimator
        self.random_state = random_state
        self.length_scale_ = np.ones(n_columns)  # no scale: the cube's units

    @classmethod
    def fitted(cls, estimator, X: np.ndarray, y: np.ndarray) -> Regressor:
        """Wrap an already fitted regressor (a result's ``models[-1]``)."""
        surrogate = cls(estimator, np.asarray(X).shape[1])
        surrogate._set_data(np.asarray(X, dtype=float), np.asarray(y, dtype=float))
        surrogate.estimator_ = estimator
        return surrogate

    def _set_data(self, X: np.ndarray, y: np.ndarray) -> None:
        self.X_train_ = X
        self.y_train_ = y

    def fit(self, X: np.ndarray, y: np.ndarray) -> Regressor:
        """Fit a clone of the template to model-cube rows and raw values."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        estimator = clone(self.estimator)
        params = estimator.get_params()
        if self.random_state is not None and params.get("random_state", 0) is None:
            seed = int(self.random_state.randint(np.iinfo(np.int32).max))
            estimator.set_params(random_state=seed)
        self.estimator_ = estimator.fit(X, y)
        self._set_data(X, y)
        return self

    def standardise(self, y) -> np.ndarray:
        """The values as the acquisition sees them: the objective's units."""
        return np.asarray(y, dtype=float)

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and std in the objective's units, shape ``(n,)``."""
        mu, std = self.estimator_.predict(np.atleast_2d(X), return_std=True)
        return np.asarray(mu, dtype=float), np.asarray(std, dtype=float)

    def predict_with_gradient(self, X: np.ndarray):
        """``mu, sigma`` and their gradients in x, row by row."""
        rows = [
            self.estimator_.predict(
                row[None, :], return_std=True, return_mean_grad=True,
                return_std_grad=True,
            )
            for row in np.atleast_2d(X)
        ]
        mu = np.concatenate([np.ravel(r[0]) for r in rows])
        sigma = np.concatenate([np.ravel(r[1]) for r in rows])
        d_mu = np.vstack([np.ravel(r[2]) for r in rows])
        d_sigma = np.vstack([np.ravel(r[3]) for r in rows])
        return mu, sigma, d_mu, d_sigma

    def posterior_covariance(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """Posterior covariance between the rows of ``A`` and of ``B``, from
        the regressor's ``predict(X, return_cov=True)`` (a Gaussian process's;
        PVRS uses it)."""
        A, B = np.atleast_2d(A), np.atleast_2d(B)
        if not has_covariance(self.estimator_):
            raise ValueError(
                f"acq_func='PVRS' needs a Gaussian process: "
                f"{type(self.estimator_).__name__}.predict has no return_cov. Use "
                "base_estimator='GP' (or a GaussianProcessRegressor)."
            )
        # B in blocks: the joint covariance of a whole candidate set (10,000
        # rows in gp_minimize) would take gigabytes
        blocks = []
        for start in range(0, len(B), _COVARIANCE_BLOCK):
            block = B[start : start + _COVARIANCE_BLOCK]
            _, cov = self.estimator_.predict(np.vstack([A, block]), return_cov=True)
            blocks.append(np.asarray(cov, dtype=float)[: len(A), len(A):])
        return np.hstack(blocks)

    def predict_objective(self, X: np.ndarray) -> np.ndarray:
        """Predicted objective in its own units, shape ``(n,)``."""
        return np.asarray(self.estimator_.predict(np.atleast_2d(X)), dtype=float)

    def copy(self) -> Regressor:
        """A snapshot: later fits of ``self`` do not change it."""
        return copy.copy(self)

    def fantasize(self, X_new: np.ndarray, y_new) -> Regressor:
        """A copy refitted with extra points at the values ``y_new``
        (constant liar): a regressor has no cheap conditioning."""
        other = self.copy()
        return other.fit(
            np.vstack([self.X_train_, X_new]),
            np.concatenate([self.y_train_, np.asarray(y_new, dtype=float)]),
        )
