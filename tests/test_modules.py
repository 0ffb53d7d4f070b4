"""The hand-written backward passes against autograd, and module init."""

import pytest
import torch

from skopt_est._engine.losses import make_loss
from skopt_est._engine.modules import MLP, LinearModel

LOSSES = [("squared_error", 2), ("multinomial", 3), ("log_loss", 1),
          ("poisson", 1), ("hinge", 3), ("huber", 1), ("modified_huber", 1)]


def _targets(loss, n_samples, n_outputs, generator):
    target = torch.randn(n_samples, n_outputs, dtype=torch.float64,
                         generator=generator)
    if loss.target_kind == "onehot":
        labels = torch.randint(n_outputs, (n_samples,), generator=generator)
        return torch.eye(n_outputs, dtype=torch.float64)[labels]
    if loss.target_kind == "binary":
        return (target > 0).double()
    if loss.target_kind == "sign":
        return torch.where(target > 0, 1.0, -1.0).double()
    return target.abs() if loss.name == "poisson" else target


def _autograd_gradients(module, X, target, weight, loss, scale):
    for param in module.parameters():
        param.grad = None
    values = loss.value(module(X), target) * weight
    (values.sum() / scale).backward()
    return values.sum().detach(), [p.grad.clone() for p in module.parameters()]


def _closed_form_gradients(module, X, target, weight, loss, scale):
    value = module.closed_form_backward(X, target, weight, loss, scale)
    return value, [p.grad.clone() for p in module.parameters()]


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("loss_name, n_outputs", LOSSES)
def test_mlp_closed_form_backward_matches_autograd(activation, loss_name,
                                                    n_outputs):
    generator = torch.Generator().manual_seed(0)
    module = MLP([5, 7, 6, n_outputs], activation=activation, dropout=0.0,
                 dtype=torch.float64, device=torch.device("cpu"),
                 generator=generator)
    loss = make_loss(loss_name)
    X = torch.randn(11, 5, dtype=torch.float64, generator=generator)
    target = _targets(loss, 11, n_outputs, generator)
    weight = torch.rand(11, dtype=torch.float64, generator=generator)
    expected_value, expected = _autograd_gradients(module, X, target, weight,
                                                   loss, 3.0)
    value, gradients = _closed_form_gradients(module, X, target, weight, loss, 3.0)
    torch.testing.assert_close(value, expected_value)
    for got, want in zip(gradients, expected):
        torch.testing.assert_close(got, want)


@pytest.mark.parametrize("loss_name, n_outputs", LOSSES)
def test_linear_closed_form_backward_matches_autograd(loss_name, n_outputs):
    generator = torch.Generator().manual_seed(1)
    module = LinearModel(4, n_outputs, fit_intercept=True, dropout=0.0,
                         dtype=torch.float64, device=torch.device("cpu"))
    with torch.no_grad():
        module.linear.weight.normal_(generator=generator)
    loss = make_loss(loss_name)
    X = torch.randn(9, 4, dtype=torch.float64, generator=generator)
    target = _targets(loss, 9, n_outputs, generator)
    weight = torch.rand(9, dtype=torch.float64, generator=generator)
    expected_value, expected = _autograd_gradients(module, X, target, weight,
                                                   loss, 2.0)
    value, gradients = _closed_form_gradients(module, X, target, weight, loss, 2.0)
    torch.testing.assert_close(value, expected_value)
    for got, want in zip(gradients, expected):
        torch.testing.assert_close(got, want)


def test_mlp_init_is_seeded_and_leaves_global_rng_alone():
    state = torch.get_rng_state()
    first = MLP([4, 8, 2], activation="relu", dropout=0.0, dtype=torch.float32,
                device=torch.device("cpu"),
                generator=torch.Generator().manual_seed(3))
    second = MLP([4, 8, 2], activation="relu", dropout=0.0, dtype=torch.float32,
                 device=torch.device("cpu"),
                 generator=torch.Generator().manual_seed(3))
    assert torch.equal(torch.get_rng_state(), state)
    for a, b in zip(first.parameters(), second.parameters()):
        assert torch.equal(a, b)
    bound = (6.0 / (4 + 8)) ** 0.5
    assert first.layers[0].weight.abs().max() <= bound


def test_gelu_has_no_closed_form_and_trains_by_autograd():
    module = MLP([3, 4, 1], activation="gelu", dropout=0.0, dtype=torch.float32,
                 device=torch.device("cpu"),
                 generator=torch.Generator().manual_seed(0))
    assert not module.has_closed_form()


def test_closed_form_l2_penalises_weights_not_biases():
    generator = torch.Generator().manual_seed(4)
    module = MLP([3, 5, 2], activation="tanh", dropout=0.0, dtype=torch.float64,
                 device=torch.device("cpu"), generator=generator)
    loss = make_loss("squared_error")
    X = torch.randn(6, 3, dtype=torch.float64, generator=generator)
    target = torch.randn(6, 2, dtype=torch.float64, generator=generator)
    module.closed_form_backward(X, target, None, loss, 6.0)
    plain = {name: p.grad.clone() for name, p in module.named_parameters()}
    module.closed_form_backward(X, target, None, loss, 6.0, l2=0.5)
    for name, param in module.named_parameters():
        penalty = 0.5 * param.detach() if param.ndim > 1 else 0.0
        torch.testing.assert_close(param.grad, plain[name] + penalty)


@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_squared_error_fast_sum_and_gradient_matches_generic(n_outputs, weighted):
    generator = torch.Generator().manual_seed(5)
    loss = make_loss("squared_error")
    output = torch.randn(7, n_outputs, dtype=torch.float64, generator=generator)
    target = torch.randn(7, n_outputs, dtype=torch.float64, generator=generator)
    weight = (torch.rand(7, dtype=torch.float64, generator=generator)
              if weighted else None)
    total, gradient = loss.sum_and_gradient(output, target, weight)
    values = loss.value(output, target)
    expected_gradient = loss.gradient(output, target)
    if weighted:
        values = values * weight
        expected_gradient = expected_gradient * weight[:, None]
    torch.testing.assert_close(total, values.sum())
    torch.testing.assert_close(gradient, expected_gradient)


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity",
                                        "gelu"])
def test_inference_forward_matches_forward(activation):
    module = MLP([4, 6, 5, 2], activation=activation, dropout=0.3,
                 dtype=torch.float64, device=torch.device("cpu"),
                 generator=torch.Generator().manual_seed(6)).eval()
    X = torch.randn(7, 4, dtype=torch.float64)
    torch.testing.assert_close(module.inference_forward(X), module(X))
    linear = LinearModel(4, 3, fit_intercept=True, dropout=0.2,
                         dtype=torch.float64, device=torch.device("cpu")).eval()
    with torch.no_grad():
        linear.linear.weight.normal_()
    torch.testing.assert_close(linear.inference_forward(X), linear(X))


def test_glorot_init_in_pieces_draws_the_same_weights(monkeypatch):
    import skopt_est._engine.modules as modules

    def layer():
        linear = torch.nn.Linear(300, 7, dtype=torch.float32)
        modules._glorot_uniform_(linear, "relu",
                                 torch.Generator().manual_seed(5))
        return linear

    whole = layer()
    monkeypatch.setattr(modules, "_INIT_PIECE", 13)
    pieces = layer()
    torch.testing.assert_close(pieces.weight, whole.weight, rtol=0, atol=0)
    torch.testing.assert_close(pieces.bias, whole.bias, rtol=0, atol=0)
    bound = (6.0 / 307) ** 0.5
    assert float(whole.weight.abs().max()) <= bound
    assert float(whole.weight.std()) > bound / 3  # drawn, not left at zero


def test_row_major_drops_the_old_layouts_gradient():
    from skopt_est._engine.sparse import column_major_, row_major_

    weight = torch.nn.Parameter(torch.randn(3, 8))
    column_major_(weight)
    weight.grad = torch.ones_like(weight)
    row_major_(weight)
    assert weight.is_contiguous() and weight.grad is None


@pytest.mark.parametrize("grad_layout", ["column", "row", "none"])
def test_row_major_copies_into_the_stale_gradients_memory(grad_layout):
    # a fresh copy while the freed gradient stayed in the heap held one
    # weight more at the end of a sparse fit; a gradient it cannot reuse
    # (none) leaves a plain copy
    from skopt_est._engine.sparse import column_major_, row_major_

    start = torch.randn(3, 8, generator=torch.Generator().manual_seed(0))
    weight = torch.nn.Parameter(start.clone())
    column_major_(weight)
    grad = {"column": lambda: torch.ones_like(weight),
            "row": lambda: torch.ones(3, 8),
            "none": lambda: None}[grad_layout]()
    weight.grad = grad
    row_major_(weight)
    assert weight.is_contiguous() and weight.grad is None
    torch.testing.assert_close(weight.detach(), start, rtol=0, atol=0)
    reused = weight.data_ptr() == (grad.data_ptr() if grad is not None else -1)
    assert reused == (grad_layout in ("column", "row"))


def test_mlp_for_sparse_input_is_born_column_major_with_the_same_weights():
    # a sparse fit's first layer starts in the layout its products want,
    # drawn in the same order: no copy to column-major, the same fit
    def build(column_major_input):
        return MLP([300, 7, 3], activation="relu", dropout=0.0,
                   dtype=torch.float32, device=torch.device("cpu"),
                   generator=torch.Generator().manual_seed(0),
                   column_major_input=column_major_input)

    row_major, column_major = build(False), build(True)
    first, *rest = column_major.linears()
    assert first.weight.t().is_contiguous() and not first.weight.is_contiguous()
    assert all(linear.weight.is_contiguous() for linear in rest)
    for got, want in zip(column_major.parameters(), row_major.parameters()):
        torch.testing.assert_close(got, want, rtol=0, atol=0)
