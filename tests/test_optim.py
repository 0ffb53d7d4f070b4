"""Solver registry: one optimizer step of each solver against its formula."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from skopt_est._engine.losses import make_loss
from skopt_est._engine.optim import _SOLVERS, STOCHASTIC_SOLVERS, make_optimizer
from skopt_est._engine.spec import SOLVERS, TrainingSpec

ROOT = Path(__file__).resolve().parents[1]
W0 = [0.5, -1.0, 2.0]
G1 = [0.2, -0.3, 0.4]
G2 = [-0.1, 0.5, 0.25]


def _spec(**fields):
    return TrainingSpec(loss=make_loss("squared_error"), **fields)


def _param(values=W0):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


def _step(optimizer, param, grad):
    param.grad = torch.tensor(grad, dtype=torch.float64)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)


def _optimizer(spec, param, weight_decay=0.0):
    return make_optimizer(spec, [{"params": [param], "weight_decay": weight_decay}])


def test_registry_names():
    assert set(_SOLVERS) == {"sgd", "adam", "adamw", "rmsprop", "adagrad", "lbfgs"}
    assert "lbfgs" not in STOCHASTIC_SOLVERS
    assert set(STOCHASTIC_SOLVERS) == set(_SOLVERS) - {"lbfgs"}
    # the estimators validate `solver` against the names spec.py holds
    assert tuple(_SOLVERS) == SOLVERS


def test_sgd_one_step():
    param = _param()
    _step(_optimizer(_spec(solver="sgd", lr=0.1), param), param, G1)
    np.testing.assert_allclose(param.detach(), np.subtract(W0, 0.1 * np.array(G1)))


def test_sgd_weight_decay_is_l2_gradient():
    param = _param()
    _step(_optimizer(_spec(solver="sgd", lr=0.1), param, weight_decay=0.5), param, G1)
    w0 = np.array(W0)
    np.testing.assert_allclose(param.detach(), w0 - 0.1 * (np.array(G1) + 0.5 * w0))


def test_sgd_momentum_two_steps():
    lr, mu = 0.1, 0.9
    param = _param()
    optimizer = _optimizer(_spec(solver="sgd", lr=lr, momentum=mu), param)
    _step(optimizer, param, G1)
    _step(optimizer, param, G2)
    velocity1 = np.array(G1)
    w1 = np.array(W0) - lr * velocity1
    velocity2 = mu * velocity1 + np.array(G2)
    np.testing.assert_allclose(param.detach(), w1 - lr * velocity2)


def test_sgd_nesterov_two_steps():
    lr, mu = 0.1, 0.9
    param = _param()
    optimizer = _optimizer(_spec(solver="sgd", lr=lr, momentum=mu, nesterov=True),
                           param)
    _step(optimizer, param, G1)
    _step(optimizer, param, G2)
    g1, g2 = np.array(G1), np.array(G2)
    v1 = g1
    w1 = np.array(W0) - lr * (g1 + mu * v1)
    v2 = mu * v1 + g2
    np.testing.assert_allclose(param.detach(), w1 - lr * (g2 + mu * v2))


def test_sgd_nesterov_without_momentum_is_plain_sgd():
    param = _param()
    _step(_optimizer(_spec(solver="sgd", lr=0.1, nesterov=True), param), param, G1)
    np.testing.assert_allclose(param.detach(), np.subtract(W0, 0.1 * np.array(G1)))


def test_adam_first_step():
    # Bias correction makes Adam's first step lr * g / (|g| + eps).
    lr, eps = 0.01, 1e-8
    param = _param()
    optimizer = _optimizer(_spec(solver="adam", lr=lr, beta_1=0.8, beta_2=0.99,
                                 adam_epsilon=eps), param)
    _step(optimizer, param, G1)
    g = np.array(G1)
    np.testing.assert_allclose(param.detach(), W0 - lr * g / (np.abs(g) + eps))


def test_adam_second_step():
    lr, b1, b2, eps = 0.01, 0.8, 0.99, 1e-8
    param = _param()
    optimizer = _optimizer(_spec(solver="adam", lr=lr, beta_1=b1, beta_2=b2,
                                 adam_epsilon=eps), param)
    _step(optimizer, param, G1)
    _step(optimizer, param, G2)
    g1, g2 = np.array(G1), np.array(G2)
    w = W0 - lr * g1 / (np.abs(g1) + eps)
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    m_hat, v_hat = m / (1 - b1**2), v / (1 - b2**2)
    np.testing.assert_allclose(param.detach(), w - lr * m_hat / (np.sqrt(v_hat) + eps))


def test_adamw_decay_is_decoupled():
    lr, wd, eps = 0.01, 0.5, 1e-8
    param = _param()
    optimizer = _optimizer(_spec(solver="adamw", lr=lr, adam_epsilon=eps), param,
                           weight_decay=wd)
    _step(optimizer, param, G1)
    g, w0 = np.array(G1), np.array(W0)
    np.testing.assert_allclose(param.detach(),
                               w0 * (1 - lr * wd) - lr * g / (np.abs(g) + eps))


def test_rmsprop_first_step_uses_beta_2_as_decay():
    lr, rho, eps = 0.01, 0.9, 1e-8
    param = _param()
    optimizer = _optimizer(_spec(solver="rmsprop", lr=lr, beta_2=rho,
                                 adam_epsilon=eps), param)
    _step(optimizer, param, G1)
    g = np.array(G1)
    square_avg = (1 - rho) * g**2
    expected = W0 - lr * g / (np.sqrt(square_avg) + eps)
    np.testing.assert_allclose(param.detach(), expected)


def test_adagrad_two_steps():
    lr, eps = 0.1, 1e-8
    param = _param()
    optimizer = _optimizer(_spec(solver="adagrad", lr=lr, adam_epsilon=eps), param)
    _step(optimizer, param, G1)
    _step(optimizer, param, G2)
    g1, g2 = np.array(G1), np.array(G2)
    w1 = W0 - lr * g1 / (np.sqrt(g1**2) + eps)
    w2 = w1 - lr * g2 / (np.sqrt(g1**2 + g2**2) + eps)
    np.testing.assert_allclose(param.detach(), w2)


def test_lbfgs_minimises_a_quadratic():
    target = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    param = _param()
    optimizer = make_optimizer(_spec(solver="lbfgs", max_iter=50, tol=1e-10),
                               [{"params": [param]}])

    def closure():
        optimizer.zero_grad()
        value = 0.5 * (param - target).square().sum()
        value.backward()
        return value

    optimizer.step(closure)
    np.testing.assert_allclose(param.detach(), target, atol=1e-6)


@pytest.mark.parametrize("solver", sorted(STOCHASTIC_SOLVERS))
def test_weight_decay_applies_per_group(solver):
    """The L2 part of the penalty is the weights' group decay, never the bias'."""
    weight, bias = _param(), _param()
    optimizer = make_optimizer(_spec(solver=solver, lr=1e-3), [
        {"params": [weight], "weight_decay": 0.5},
        {"params": [bias], "weight_decay": 0.0},
    ])
    weight.grad = torch.zeros(3, dtype=torch.float64)
    bias.grad = torch.zeros(3, dtype=torch.float64)
    optimizer.step()
    np.testing.assert_array_equal(bias.detach(), W0)
    assert np.all(np.abs(weight.detach().numpy()) < np.abs(W0))


def test_a_fit_imports_neither_dynamo_nor_sympy():
    # torch's optimizers import torch._dynamo on first use (2 s), skip_init
    # imports sympy (1 s): most of a fresh process's first fit on small data
    code = (
        "import sys, numpy as np\n"
        "from skopt_est import GDClassifier, GDRegressor, MLPClassifier\n"
        "X = np.random.RandomState(0).standard_normal((30, 3))\n"
        "y = (X[:, 0] > 0).astype(int)\n"
        "for solver in ('sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'lbfgs'):\n"
        "    GDClassifier(solver=solver, max_iter=2, tol=None, batch_size=8,\n"
        "                 penalty='elasticnet').fit(X, y).partial_fit(X, y)\n"
        "GDRegressor(max_iter=2, tol=None, learning_rate='cosine', average=True,\n"
        "            momentum=0.9).fit(X, X[:, 1])\n"
        "MLPClassifier(max_iter=2).fit(X, y)\n"
        "print(sorted(m for m in ('torch._dynamo', 'sympy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip() == "[]"


def test_optimizers_keep_their_class_and_pickle():
    import pickle

    torch_classes = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam,
                     "adamw": torch.optim.AdamW, "rmsprop": torch.optim.RMSprop,
                     "adagrad": torch.optim.Adagrad, "lbfgs": torch.optim.LBFGS}
    weight = torch.zeros(3, requires_grad=True)
    for name, make in _SOLVERS.items():
        optimizer = make(_spec(solver=name), [{"params": [weight]}])
        assert isinstance(optimizer, torch_classes[name])
        assert type(optimizer).__name__ == torch_classes[name].__name__
        restored = pickle.loads(pickle.dumps(optimizer))
        assert type(restored) is type(optimizer)
