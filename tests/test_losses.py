"""Loss registry: values against closed forms, gradients against autograd,
and the torch-free kinds (loss_kinds) against the torch losses."""

import numpy as np
import pytest
import sklearn.metrics
import torch

from skopt_est._engine.loss_kinds import (
    CLASSIFICATION_LOSSES,
    REGRESSION_LOSSES,
    loss_kind,
)
from skopt_est._engine.losses import _LOSSES, make_loss, one_vs_rest

EPSILON = 0.3


def _reference(name, output, target):
    """Per-sample loss in numpy, straight from the textbook formula."""
    r = output - target
    if name == "squared_error":
        return (0.5 * r**2).mean(1)
    if name == "poisson":
        return (np.exp(output) - target * output).mean(1)
    if name == "huber":
        a = np.abs(r)
        return np.where(a <= EPSILON, 0.5 * r**2, EPSILON * (a - 0.5 * EPSILON)).mean(1)
    if name == "epsilon_insensitive":
        return np.maximum(np.abs(r) - EPSILON, 0).mean(1)
    if name == "squared_epsilon_insensitive":
        return (np.maximum(np.abs(r) - EPSILON, 0) ** 2).mean(1)
    z = target * output
    if name == "hinge":
        return np.maximum(1 - z, 0).sum(1)
    if name == "perceptron":
        return np.maximum(-z, 0).sum(1)
    if name == "squared_hinge":
        return (np.maximum(1 - z, 0) ** 2).sum(1)
    if name == "modified_huber":
        return np.where(z >= -1, np.maximum(1 - z, 0) ** 2, -4 * z).sum(1)
    if name == "log_loss":  # targets 0/1
        return (np.log1p(np.exp(output)) - target * output).sum(1)
    if name == "multinomial":
        shifted = output - output.max(1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        return -(target * log_softmax).sum(1)
    raise AssertionError(name)


def _data(name, n_samples=40, n_outputs=3, seed=0):
    rng = np.random.RandomState(seed)
    output = rng.uniform(-3, 3, (n_samples, n_outputs))
    kind = make_loss(name, EPSILON).target_kind
    if kind == "real":
        target = rng.uniform(-3, 3, (n_samples, n_outputs))
    elif kind == "sign":
        target = rng.choice([-1.0, 1.0], (n_samples, n_outputs))
    elif kind == "binary":
        target = rng.choice([0.0, 1.0], (n_samples, n_outputs))
    else:
        target = np.eye(n_outputs)[rng.randint(n_outputs, size=n_samples)]
    return output, target


def _avoid_kinks(name, output, target):
    """Move points off the loss' non-differentiable set."""
    kinks = {"hinge": [1.0], "perceptron": [0.0], "squared_hinge": [1.0],
             "modified_huber": [-1.0, 1.0]}
    if name in kinks:
        z = output * target
        for kink in kinks[name]:
            output = np.where(np.abs(z - kink) < 0.05, output + 0.1 * target, output)
    elif name in ("huber", "epsilon_insensitive", "squared_epsilon_insensitive"):
        r = output - target
        for kink in (-EPSILON, 0.0, EPSILON):
            output = np.where(np.abs(r - kink) < 0.05, output + 0.1, output)
    return output


def test_registry_names():
    assert set(REGRESSION_LOSSES) == {"squared_error", "huber",
                                      "epsilon_insensitive",
                                      "squared_epsilon_insensitive"}
    assert set(CLASSIFICATION_LOSSES) == {"hinge", "log_loss", "modified_huber",
                                          "squared_hinge", "perceptron"}
    assert set(_LOSSES) == set(REGRESSION_LOSSES) | set(CLASSIFICATION_LOSSES) | {
        "multinomial", "poisson"}


@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_loss_kind_agrees_with_the_torch_loss(name):
    loss = make_loss(name, EPSILON)
    kind = loss_kind(name, EPSILON)
    assert (kind.name, kind.target_kind) == (loss.name, loss.target_kind)
    assert kind.epsilon == loss.epsilon
    if name in REGRESSION_LOSSES:
        assert loss_kind(name, EPSILON, one_vs_rest=True).target_kind == (
            one_vs_rest(loss).target_kind)


@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_value_matches_formula(name):
    output, target = _data(name)
    loss = make_loss(name, EPSILON)
    value = loss.value(torch.from_numpy(output), torch.from_numpy(target))
    assert value.shape == (len(output),)
    np.testing.assert_allclose(value.numpy(), _reference(name, output, target),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_gradient_matches_autograd(name):
    output, target = _data(name)
    output = _avoid_kinks(name, output, target)
    loss = make_loss(name, EPSILON)
    out = torch.tensor(output, requires_grad=True)
    loss.value(out, torch.from_numpy(target)).sum().backward()
    gradient = loss.gradient(torch.from_numpy(output), torch.from_numpy(target))
    assert gradient.shape == output.shape
    np.testing.assert_allclose(gradient.numpy(), out.grad.numpy(), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_gradient_matches_finite_differences(name):
    output, target = _data(name, n_samples=10, n_outputs=2, seed=1)
    output = _avoid_kinks(name, output, target)
    loss = make_loss(name, EPSILON)
    step = 1e-6
    numeric = np.zeros_like(output)
    for i in range(output.shape[0]):
        for j in range(output.shape[1]):
            plus, minus = output.copy(), output.copy()
            plus[i, j] += step
            minus[i, j] -= step
            numeric[i, j] = (_reference(name, plus, target)[i]
                             - _reference(name, minus, target)[i]) / (2 * step)
    gradient = loss.gradient(torch.from_numpy(output), torch.from_numpy(target))
    np.testing.assert_allclose(gradient.numpy(), numeric, rtol=1e-5, atol=1e-6)


def test_hinge_steps_on_the_margin_like_sklearn():
    # scikit-learn's Hinge: dloss = -y when z <= threshold, boundary included
    loss = make_loss("hinge")
    gradient = loss.gradient(torch.tensor([[1.0], [-1.0]], dtype=torch.float64),
                             torch.tensor([[1.0], [1.0]], dtype=torch.float64))
    np.testing.assert_array_equal(gradient.numpy(), [[-1.0], [-1.0]])


@pytest.mark.parametrize("name", ["squared_error", "huber"])
def test_regression_losses_average_over_outputs(name):
    output, target = _data(name, n_outputs=3)
    loss = make_loss(name, EPSILON)
    full = loss.value(torch.from_numpy(output), torch.from_numpy(target))
    per_output = [loss.value(torch.from_numpy(output[:, [j]]),
                             torch.from_numpy(target[:, [j]])) for j in range(3)]
    np.testing.assert_allclose(full.numpy(), sum(per_output).numpy() / 3)


def test_poisson_matches_sklearn_deviance_up_to_a_constant():
    rng = np.random.RandomState(0)
    output = rng.uniform(-1, 1, (30, 1))
    target = rng.poisson(2.0, (30, 1)).astype(float)
    loss = make_loss("poisson")
    mean = loss.predict(torch.from_numpy(output)).numpy()
    np.testing.assert_allclose(mean, np.exp(output))
    value = loss.value(torch.from_numpy(output), torch.from_numpy(target)).numpy()
    # deviance = 2 * (y log(y / mu) - y + mu): our value minus its y-only terms
    with np.errstate(divide="ignore", invalid="ignore"):
        y_log_y = np.where(target > 0, target * np.log(target), 0.0)[:, 0]
    deviance = 2 * (value + y_log_y - target[:, 0])
    assert deviance.mean() == pytest.approx(
        sklearn.metrics.mean_poisson_deviance(target[:, 0], mean[:, 0]))


def test_predict_is_identity_without_link():
    output = torch.tensor([[-1.0], [2.0]])
    assert torch.equal(make_loss("squared_error").predict(output), output)


def test_logistic_matches_sklearn_log_loss():
    rng = np.random.RandomState(0)
    logits = rng.standard_normal((50, 1))
    target = rng.randint(2, size=(50, 1)).astype(float)
    value = make_loss("log_loss").value(torch.from_numpy(logits),
                                        torch.from_numpy(target))
    proba = 1 / (1 + np.exp(-logits[:, 0]))
    assert float(value.mean()) == pytest.approx(
        sklearn.metrics.log_loss(target[:, 0], proba))


def test_multinomial_matches_sklearn_log_loss():
    rng = np.random.RandomState(0)
    logits = rng.standard_normal((50, 3))
    labels = rng.randint(3, size=50)
    loss = make_loss("multinomial")
    value = loss.value(torch.from_numpy(logits), torch.from_numpy(np.eye(3)[labels]))
    proba = loss.proba(torch.from_numpy(logits)).numpy()
    np.testing.assert_allclose(proba.sum(1), 1.0)
    assert float(value.mean()) == pytest.approx(
        sklearn.metrics.log_loss(labels, proba))


def test_probabilities():
    logits = torch.tensor([[-3.0], [-1.0], [0.0], [0.5], [2.0]], dtype=torch.float64)
    np.testing.assert_allclose(make_loss("log_loss").proba(logits).numpy(),
                               1 / (1 + np.exp(-logits.numpy())))
    np.testing.assert_allclose(make_loss("modified_huber").proba(logits).numpy(),
                               [[0.0], [0.0], [0.5], [0.75], [1.0]])
    for name in ("hinge", "squared_hinge", "perceptron", "squared_error"):
        assert make_loss(name).proba is None


@pytest.mark.parametrize("name", ["hinge", "squared_hinge", "perceptron"])
@pytest.mark.parametrize("weighted", [False, True])
def test_margin_losses_fused_sum_and_gradient_equal_value_and_gradient(
        name, weighted):
    loss = make_loss(name)
    generator = torch.Generator().manual_seed(0)
    output = torch.randn(50, 4, dtype=torch.float64, generator=generator)
    output[0, 0] = 1.0  # on hinge's margin: scikit-learn steps there
    target = torch.where(torch.rand(50, 4, generator=generator) > 0.5, 1.0,
                         -1.0).double()
    target[0, 0] = 1.0
    weight = (torch.rand(50, dtype=torch.float64, generator=generator)
              if weighted else None)
    total, gradient = loss.weighted_sum_and_gradient(output, target, weight)
    values, expected = loss.value(output, target), loss.gradient(output, target)
    if weighted:
        values, expected = values * weight, expected * weight[:, None]
    torch.testing.assert_close(total, values.sum(), rtol=0, atol=0)
    torch.testing.assert_close(gradient, expected, rtol=0, atol=0)
