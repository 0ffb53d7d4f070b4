"""A toy estimator for the Hyperband tests: trained epoch by epoch, it counts
its epochs, so a test can check what continuation trains."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class EpochToy(RegressorMixin, BaseEstimator):
    """A toy trained epoch by epoch: counts every epoch it runs, class-wide.

    Its score rises with the epochs and peaks at ``lr=0.3``; ``lr > fail_above``
    raises in ``partial_fit``.
    """

    epochs_run = 0

    def __init__(self, lr=0.1, max_iter=27, fail_above=np.inf):
        self.lr = lr
        self.max_iter = max_iter
        self.fail_above = fail_above

    def partial_fit(self, X, y):
        if self.lr > self.fail_above:
            raise ValueError("diverged: lower lr")
        type(self).epochs_run += 1
        self.n_epochs_ = getattr(self, "n_epochs_", 0) + 1
        return self

    def fit(self, X, y):
        for attr in ("n_epochs_",):
            self.__dict__.pop(attr, None)
        for _ in range(self.max_iter):
            self.partial_fit(X, y)
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def score(self, X, y):
        return -abs(self.lr - 0.3) - 1.0 / (1 + self.n_epochs_)
