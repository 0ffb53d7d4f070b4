"""Shared fixtures: tiny standardised datasets and seeds.

Every dataset is small (at most a few hundred rows) so that the engine and
linear-model tests stay fast; fixtures are session-scoped and tests never
mutate them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    make_regression,
)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SEED = 0


@dataclass(frozen=True)
class Split:
    """A standardised train/test split (scaler fitted on the training part)."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray

    @property
    def X(self) -> np.ndarray:
        return self.X_train

    @property
    def y(self) -> np.ndarray:
        return self.y_train


def _split(X, y, *, stratify=None, test_size=0.25) -> Split:
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=SEED, stratify=stratify)
    scaler = StandardScaler().fit(X_train)
    return Split(scaler.transform(X_train), scaler.transform(X_test), y_train,
                 y_test)


@pytest.fixture(scope="session")
def diabetes() -> Split:
    """442 x 10 regression; y standardised too (SGD's scale)."""
    X, y = load_diabetes(return_X_y=True)
    return _split(X, (y - y.mean()) / y.std())


@pytest.fixture(scope="session")
def iris() -> Split:
    """150 x 4, three classes, stratified split."""
    X, y = load_iris(return_X_y=True)
    return _split(X, y, stratify=y)


@pytest.fixture(scope="session")
def breast_cancer() -> Split:
    """569 x 30, two classes, stratified split."""
    X, y = load_breast_cancer(return_X_y=True)
    return _split(X, y, stratify=y)


@pytest.fixture(scope="session")
def sparse_truth():
    """200 x 20 regression where only the first 4 features matter.

    Returns ``(X, y, informative)``; ``informative`` is a boolean mask.
    """
    rng = np.random.RandomState(SEED)
    X = rng.standard_normal((200, 20))
    coef = np.zeros(20)
    coef[:4] = [3.0, -2.0, 1.5, 2.5]
    y = X @ coef + 0.1 * rng.standard_normal(200)
    return X, y, coef != 0


@pytest.fixture(scope="session")
def multi_output():
    """150 x 6 regression with 3 outputs, standardised."""
    X, y = make_regression(n_samples=150, n_features=6, n_targets=3, noise=0.1,
                           random_state=SEED)
    X = StandardScaler().fit_transform(X)
    return X, (y - y.mean(0)) / y.std(0)


@pytest.fixture
def rng() -> np.random.RandomState:
    return np.random.RandomState(SEED)
