"""MLP behaviours once broken: lbfgs without a penalty, warm starts after a
change of solver or hyperparameters, the short last batch's L2 scaling, and
float32 fits starting where float64 fits start."""


import numpy as np
import pytest
import torch
from sklearn.datasets import load_diabetes, load_iris
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler

from skopt_est import MLPRegressor

X, y = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
y = (y - y.mean()) / y.std()
Xi, yi = load_iris(return_X_y=True)
Xi = StandardScaler().fit_transform(Xi)
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


# Was: the L-BFGS closure (then _engine.lbfgs.run_lbfgs) called
# penalty_term.backward() on a constant zero tensor when there is no penalty.
@pytest.mark.parametrize("penalty, alpha", [(None, 1e-4), ("l2", 0.0)])
def test_lbfgs_without_penalty_fits(penalty, alpha):
    MLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs", penalty=penalty,
                 alpha=alpha, max_iter=5).fit(X, y)


# Was: warm_start after set_params(solver=...) loads the old optimizer's
# state_dict into the new optimizer -> KeyError.
@pytest.mark.parametrize("first, second", [("adam", "sgd"), ("sgd", "adam"),
                                           ("adam", "rmsprop")])
def test_warm_start_after_solver_change(first, second):
    model = MLPRegressor(hidden_layer_sizes=(8,), solver=first, max_iter=3,
                         warm_start=True, random_state=0).fit(X, y)
    model.set_params(solver=second).fit(X, y)
    # n_iter_ counts the epochs of the last fit, as in scikit-learn
    assert model.n_iter_ == 3 and len(model.loss_curve_) == 6


# Was: warm_start ignores changed optimizer hyperparameters (the saved
# param_groups overwrite them in optimizer.load_state_dict, and state.lr).
@pytest.mark.parametrize("name, values, solver", [
    ("learning_rate_init", (0.001, 0.1), "sgd"),
    ("momentum", (0.9, 0.5), "sgd"),
    ("beta_1", (0.9, 0.0), "adam"),
    ("alpha", (1e-4, 1e3), "adamw"),
])
def test_warm_start_honours_changed_hyperparameters(name, values, solver):
    coefs = []
    for value in values:
        model = MLPRegressor(hidden_layer_sizes=(8,), solver=solver, max_iter=3,
                             warm_start=True, random_state=0).fit(X, y)
        model.set_params(**{name: value}).fit(X, y)
        coefs.append(model.coefs_[0])
    assert not np.array_equal(*coefs)


# Was: L2 scaling of a short last mini-batch: alpha / batch_size, where
# scikit-learn (and our docstring: "divided by the total sample weight of
# each batch") divide by that batch's own weight.
def _copy(theirs, ours):
    with torch.no_grad():
        layers = [m for m in ours.module_.modules() if isinstance(m, torch.nn.Linear)]
        for layer, c, b in zip(layers, theirs.coefs_, theirs.intercepts_):
            layer.weight.copy_(torch.from_numpy(c.T))
            layer.bias.copy_(torch.from_numpy(b))


def test_l2_on_short_last_batch_matches_sklearn():
    params = dict(hidden_layer_sizes=(8,), solver="sgd", momentum=0.0,
                  shuffle=False, learning_rate_init=0.05, alpha=10.0,
                  batch_size=100, random_state=0)   # 442 rows: last batch 42
    ours = MLPRegressor(**params).partial_fit(X, y)
    theirs = SkMLPRegressor(**params).partial_fit(X, y)
    _copy(theirs, ours)
    for _ in range(5):
        ours.partial_fit(X, y)
        theirs.partial_fit(X, y)
    for a, b in zip(ours.coefs_, theirs.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


# Parity gap 5: multi-output squared error. scikit-learn's gradient is not
# divided by n_outputs (its loss is); ours is, so the same learning_rate_init
# and alpha take different steps for n_outputs > 1.


def test_float32_fit_close_to_float64_fit():
    params = dict(hidden_layer_sizes=(16,), max_iter=20, random_state=0)
    single = MLPRegressor(**params).fit(X.astype(np.float32), y)
    double = MLPRegressor(**params).fit(X, y)
    np.testing.assert_allclose(single.predict(X.astype(np.float32)),
                               double.predict(X), rtol=5e-4, atol=1e-4)
