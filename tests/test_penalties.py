"""Penalty registry: the L2/L1 split, the soft-threshold prox, exact zeros."""

import numpy as np
import pytest
import torch

from skopt_est import GDClassifier, GDRegressor
from skopt_est._engine.penalties import flat_weights, proximal_step_, soft_threshold_
from skopt_est._engine.regularisation import PENALTIES, Penalty, split_penalty


def _penalty(name, alpha=0.1, l1_ratio=0.3):
    return split_penalty(name, alpha, l1_ratio)


def test_registry_names():
    assert set(PENALTIES) == {"l2", "l1", "elasticnet"}


@pytest.mark.parametrize("name, l2, l1", [
    (None, 0.0, 0.0),
    ("l2", 0.1, 0.0),
    ("l1", 0.0, 0.1),
    ("elasticnet", 0.1 * 0.7, 0.1 * 0.3),
])
def test_split_into_l2_and_l1(name, l2, l1):
    penalty = _penalty(name)
    assert penalty.l2 == pytest.approx(l2)
    assert penalty.l1 == pytest.approx(l1)


def test_value_matches_formula():
    weights = [torch.tensor([[1.0, -2.0]], dtype=torch.float64),
               torch.tensor([[0.5], [-3.0]], dtype=torch.float64)]
    flat = np.array([1.0, -2.0, 0.5, -3.0])
    penalty = Penalty(l2=0.2, l1=0.05)
    expected = 0.5 * 0.2 * np.sum(flat**2) + 0.05 * np.sum(np.abs(flat))
    assert float(penalty.value(flat_weights(weights))) == pytest.approx(expected)
    # the compiled kernel's lane passes numpy arrays: the same value
    assert penalty.value([w.numpy().ravel() for w in weights]) == pytest.approx(
        expected, rel=1e-15)
    assert Penalty(l2=0.0, l1=0.0).value(flat_weights(weights)) == 0.0


def test_soft_threshold():
    weight = torch.tensor([-2.0, -0.3, 0.0, 0.2, 0.5, 3.0], dtype=torch.float64)
    soft_threshold_(weight, 0.3)
    expected = np.array([-1.7, 0.0, 0.0, 0.0, 0.2, 2.7])
    np.testing.assert_allclose(weight.numpy(), expected, atol=1e-15)
    assert (weight.numpy()[1:4] == 0).all()  # exact zeros, not tiny values


def test_proximal_step_threshold_is_lr_times_l1():
    weight = torch.tensor([[1.0, -0.05, 0.02]], dtype=torch.float64)
    proximal_step_(Penalty(l2=0.0, l1=0.5), [weight], lr=0.1)
    np.testing.assert_allclose(weight.numpy(), [[0.95, 0.0, 0.0]])


def test_proximal_step_is_noop_without_l1():
    weight = torch.tensor([[1.0, -0.05]], dtype=torch.float64)
    proximal_step_(Penalty(l2=0.5, l1=0.0), [weight], lr=0.1)
    np.testing.assert_array_equal(weight.numpy(), [[1.0, -0.05]])


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("penalty", ["l1", "elasticnet"])
def test_l1_gives_exact_zeros_on_irrelevant_features(sparse_truth, solver, penalty):
    X, y, informative = sparse_truth
    model = GDRegressor(penalty=penalty, alpha=0.1, l1_ratio=0.9, solver=solver,
                        learning_rate="constant", eta0=0.05, batch_size=10,
                        max_iter=30, tol=None, random_state=0).fit(X, y)
    assert np.all(model.coef_[informative] != 0)
    assert np.sum(model.coef_[~informative] == 0) >= 12
    assert model.score(X, y) > 0.95


def test_l2_gives_no_exact_zeros(sparse_truth):
    X, y, informative = sparse_truth
    model = GDRegressor(penalty="l2", alpha=0.1, learning_rate="constant",
                        eta0=0.05, batch_size=10, max_iter=30, tol=None,
                        random_state=0).fit(X, y)
    assert np.all(model.coef_ != 0)


@pytest.mark.parametrize("penalty", ["l2", "l1", "elasticnet"])
def test_intercept_is_not_penalised(penalty):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((100, 3))
    y = 5.0 + 0.1 * rng.standard_normal(100)
    model = GDRegressor(penalty=penalty, alpha=10.0, learning_rate="constant",
                        eta0=0.05, batch_size=10, max_iter=30, tol=None,
                        random_state=0).fit(X, y)
    assert model.intercept_[0] == pytest.approx(5.0, abs=0.1)
    np.testing.assert_allclose(model.coef_, 0.0, atol=0.05)


def test_stronger_l2_shrinks_coef(breast_cancer):
    norms = []
    for alpha in (1e-4, 1.0):
        model = GDClassifier(loss="log_loss", alpha=alpha, learning_rate="constant",
                             eta0=0.05, batch_size=32, max_iter=10, tol=None,
                             random_state=0).fit(breast_cancer.X, breast_cancer.y)
        norms.append(np.linalg.norm(model.coef_))
    assert norms[1] < 0.5 * norms[0]


@pytest.mark.parametrize("penalty", [None, "l2", "l1", "elasticnet"])
def test_loss_curve_includes_penalty(diabetes, penalty):
    """loss_curve_ is the epoch's mean loss plus the penalty at its end.

    One full-batch epoch from zero weights: the loss part is the loss at zero,
    0.5 * mean(y**2), the penalty part is the penalty of the fitted coef_.
    """
    model = GDRegressor(penalty=penalty, alpha=0.5, l1_ratio=0.4,
                        learning_rate="constant", eta0=0.1, batch_size=None,
                        max_iter=1, tol=None).fit(diabetes.X, diabetes.y)
    w = model.coef_
    assert np.any(w != 0)
    l2, l1 = {None: (0, 0), "l2": (0.5, 0), "l1": (0, 0.5),
              "elasticnet": (0.3, 0.2)}[penalty]
    expected = (0.5 * np.mean(diabetes.y**2) + 0.5 * l2 * w @ w
                + l1 * np.abs(w).sum())
    assert model.loss_curve_ == pytest.approx([expected], rel=1e-10)
