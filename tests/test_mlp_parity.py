"""Parity of MLPRegressor / MLPClassifier with scikit-learn's MLP.

Two kinds of check:

- held-out scores: the same architecture, solver, learning rate, epochs and
  alpha on standardised diabetes, breast cancer and digits; our test R² /
  accuracy, averaged over seeds, is within 0.02 of scikit-learn's or better.
  Seeds are averaged because the two libraries draw different initial weights
  from the same ``random_state``: a single seed compares two initialisations.
- the same updates: started from scikit-learn's weights, plain SGD without
  shuffling takes the same steps as scikit-learn's (loss, gradient, output
  activation and L2 scaling all match).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skopt_est import MLPClassifier, MLPRegressor

TOLERANCE = 0.02


def _split(X, y, stratify=None):
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=stratify)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.fixture(scope="module")
def datasets():
    X, y = load_diabetes(return_X_y=True)
    diabetes = _split(X, (y - y.mean()) / y.std())
    X, y = load_breast_cancer(return_X_y=True)
    breast_cancer = _split(X, y, stratify=y)
    X, y = load_digits(return_X_y=True)
    digits = _split(X, y, stratify=y)
    return {
        "diabetes": (MLPRegressor, SkMLPRegressor, diabetes),
        "breast_cancer": (MLPClassifier, SkMLPClassifier, breast_cancer),
        "digits": (MLPClassifier, SkMLPClassifier, digits),
    }


# Settings at which both libraries converge (or plateau) within max_iter.
# diabetes is small and noisy: alpha=10 keeps a (16,) network from
# overfitting it, so the comparison is of converged fits, not of noise.
_DIABETES = dict(hidden_layer_sizes=(16,), alpha=10.0)
CASES = [
    ("diabetes", "adam", dict(_DIABETES, learning_rate_init=0.01, max_iter=100)),
    ("diabetes", "sgd", dict(_DIABETES, learning_rate_init=0.01, max_iter=200)),
    ("diabetes", "lbfgs", dict(_DIABETES, max_iter=200)),
    ("breast_cancer", "adam", dict(hidden_layer_sizes=(32,), learning_rate_init=0.001,
                                   max_iter=300)),
    ("breast_cancer", "sgd", dict(hidden_layer_sizes=(32,), learning_rate_init=0.01,
                                  max_iter=200)),
    ("breast_cancer", "lbfgs", dict(hidden_layer_sizes=(32,), alpha=10.0,
                                    max_iter=200)),
    ("digits", "adam", dict(hidden_layer_sizes=(32,), learning_rate_init=0.01,
                            max_iter=200)),
    ("digits", "sgd", dict(hidden_layer_sizes=(32,), learning_rate_init=0.05,
                           max_iter=100)),
    ("digits", "lbfgs", dict(hidden_layer_sizes=(32,), alpha=1.0, max_iter=200)),
]
SEEDS = (0, 1, 2)


def _scores(Estimator, params, data, seeds):
    X_train, X_test, y_train, y_test = data
    scores = []
    for seed in seeds:
        model = Estimator(**params, random_state=seed)
        # one BLAS thread: on a busy 2-core machine scikit-learn's L-BFGS is
        # several times slower with two
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X_train, y_train)
        scores.append(model.score(X_test, y_test))
    return float(np.mean(scores))


@pytest.mark.parametrize("name, solver, params", CASES,
                         ids=[f"{name}-{solver}" for name, solver, _ in CASES])
def test_held_out_score_matches_sklearn(name, solver, params, datasets):
    Ours, Theirs, data = datasets[name]
    if solver == "lbfgs" and name == "digits":
        # full-batch L-BFGS over all 1347 rows takes seconds per fit in both
        # libraries; 1000 training rows keep the test fast
        X_train, X_test, y_train, y_test = data
        data = X_train[:1000], X_test, y_train[:1000], y_test
    params = dict(params, solver=solver)
    ours = _scores(Ours, params, data, SEEDS)
    theirs = _scores(Theirs, params, data, SEEDS)
    assert ours >= theirs - TOLERANCE, (name, solver, ours, theirs)
    # and both actually learnt something
    assert theirs > (0.3 if name == "diabetes" else 0.9)


# ------------------------------------------------------------ the same updates
def _linears(model):
    return [layer for layer in model.module_.modules()
            if isinstance(layer, torch.nn.Linear)]


def _copy_weights(theirs, ours):
    """Load scikit-learn's weights into our module (through the torch API)."""
    with torch.no_grad():
        for layer, coef, intercept in zip(_linears(ours), theirs.coefs_,
                                          theirs.intercepts_):
            layer.weight.copy_(torch.from_numpy(coef.T))
            layer.bias.copy_(torch.from_numpy(intercept))


def _same_updates_problem(kind):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((120, 5))
    signal = X @ rng.standard_normal(5)
    if kind == "regression":
        return X, signal + np.sin(signal), MLPRegressor, SkMLPRegressor
    if kind == "binary":
        return X, (signal > 0).astype(int), MLPClassifier, SkMLPClassifier
    y = np.digitize(signal, np.quantile(signal, [0.33, 0.66]))
    return X, y, MLPClassifier, SkMLPClassifier


@pytest.mark.parametrize("batch_size", [120, 40])
@pytest.mark.parametrize("kind, activation", [("regression", "tanh"),
                                              ("binary", "logistic"),
                                              ("multiclass", "relu")])
def test_same_updates_as_sklearn_from_the_same_weights(kind, activation,
                                                       batch_size):
    X, y, Ours, Theirs = _same_updates_problem(kind)
    params = dict(hidden_layer_sizes=(7, 4), activation=activation, solver="sgd",
                  momentum=0.0, shuffle=False, learning_rate_init=0.1, alpha=0.5,
                  batch_size=batch_size, random_state=0)
    first_call = {} if kind == "regression" else dict(classes=np.unique(y))
    ours = Ours(**params).partial_fit(X, y, **first_call)
    theirs = Theirs(**params).partial_fit(X, y, **first_call)
    _copy_weights(theirs, ours)
    for _ in range(5):
        ours.partial_fit(X, y)
        theirs.partial_fit(X, y)
    for a, b in zip(ours.coefs_ + ours.intercepts_,
                    theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    # (n_iter_ differs by design: scikit-learn's partial_fit resets it to 1 on
    # every call, ours counts the epochs; t_ counts samples in both)
    assert ours.t_ == theirs.t_
    np.testing.assert_allclose(ours.predict(X) if kind == "regression"
                               else ours.predict_proba(X),
                               theirs.predict(X) if kind == "regression"
                               else theirs.predict_proba(X), rtol=1e-9, atol=1e-12)
