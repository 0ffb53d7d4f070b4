"""Sparse X, first class: the torch path multiplies CSR tensors, never
densifies, and trains the model a dense fit of the same rows trains."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from skopt_est import GDClassifier, GDRegressor, MLPClassifier, MLPRegressor
from skopt_est._engine.data import to_training_data
from skopt_est._engine.kernel import eligibility
from skopt_est._engine.kernel.compiled import DISABLE_ENV
from skopt_est._engine.modules import SeededDropout
from skopt_est._engine.sparse import sparse_linear

CPU = torch.device("cpu")
COMMON = dict(max_iter=3, tol=None, random_state=0, batch_size=8)


@pytest.fixture(autouse=True)
def _torch_path(monkeypatch):
    # the compiled kernel follows scikit-learn's sparse rules (intercept
    # decay), which differ from the dense fit on purpose: test the torch path
    monkeypatch.setenv(DISABLE_ENV, "1")


def _data(n=60, d=9, seed=0, classes=3):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, d))
    X[rng.uniform(size=X.shape) < 0.6] = 0.0
    X[3] = 0.0  # an empty row
    y_class = np.digitize(X[:, :3].sum(axis=1), [-0.3, 0.3][: classes - 1])
    y_real = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    return X, y_class, y_real


def _assert_same_fit(dense, sparse, X, *, rtol=1e-9, atol=1e-11):
    if hasattr(dense, "coef_"):
        np.testing.assert_allclose(np.asarray(sparse.coef_), dense.coef_,
                                   rtol=rtol, atol=atol)
        np.testing.assert_allclose(sparse.intercept_, dense.intercept_,
                                   rtol=rtol, atol=atol)
    else:
        for got, want in zip(sparse.coefs_ + sparse.intercepts_,
                             dense.coefs_ + dense.intercepts_):
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X)),
                               dense.predict(X), rtol=rtol, atol=atol)


def _fit_both(estimator_class, params, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = estimator_class(**params).fit(X, y)
        sparse = estimator_class(**params).fit(sp.csr_matrix(X), y)
    return dense, sparse


@pytest.mark.parametrize("loss", ["hinge", "log_loss", "modified_huber",
                                  "squared_hinge", "perceptron", "squared_error",
                                  "huber"])
@pytest.mark.parametrize("classes", [2, 3])
def test_classifier_losses(loss, classes):
    X, y, _ = _data(classes=classes)
    dense, sparse = _fit_both(GDClassifier, dict(loss=loss, **COMMON), X, y)
    _assert_same_fit(dense, sparse, X)


@pytest.mark.parametrize("loss", ["squared_error", "huber", "epsilon_insensitive",
                                  "squared_epsilon_insensitive"])
def test_regressor_losses(loss):
    X, _, y = _data()
    dense, sparse = _fit_both(GDRegressor, dict(loss=loss, **COMMON), X, y)
    _assert_same_fit(dense, sparse, X)


@pytest.mark.parametrize("penalty, l1_ratio", [(None, 0.15), ("l2", 0.15),
                                               ("l1", 0.15),
                                               ("elasticnet", 0.5)])
@pytest.mark.parametrize("batch_size", [1, 8, None])
def test_penalties_and_batch_modes(penalty, l1_ratio, batch_size):
    X, y, _ = _data()
    params = dict(COMMON, penalty=penalty, l1_ratio=l1_ratio, alpha=0.01,
                  batch_size=batch_size, learning_rate="constant", eta0=0.05)
    dense, sparse = _fit_both(GDClassifier, params, X, y)
    _assert_same_fit(dense, sparse, X)


@pytest.mark.parametrize("solver, extra", [
    ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.9,
                                         "nesterovs_momentum": True}),
    ("adam", {}), ("adamw", {}), ("rmsprop", {}), ("adagrad", {}),
    ("lbfgs", {}),
])
@pytest.mark.parametrize("classes", [2, 3])
def test_solvers(solver, extra, classes):
    X, y, _ = _data(classes=classes)
    params = dict(COMMON, solver=solver, learning_rate="constant", eta0=0.01,
                  **extra)
    dense, sparse = _fit_both(GDClassifier, params, X, y)
    _assert_same_fit(dense, sparse, X)


@pytest.mark.parametrize("average", [True, 10])
def test_averaging(average):
    X, _, y = _data()
    dense, sparse = _fit_both(GDRegressor, dict(COMMON, average=average), X, y)
    _assert_same_fit(dense, sparse, X)


def test_sample_weights_and_early_stopping():
    X, y, _ = _data(n=120)
    weights = np.random.RandomState(1).uniform(0.2, 3.0, len(y))
    params = dict(COMMON, early_stopping=True, max_iter=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = GDClassifier(**params).fit(X, y, sample_weight=weights)
        sparse = GDClassifier(**params).fit(sp.csr_matrix(X), y,
                                            sample_weight=weights)
    _assert_same_fit(dense, sparse, X)


@pytest.mark.parametrize("estimator_class", [MLPClassifier, MLPRegressor])
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_mlp(estimator_class, solver):
    X, y_class, y_real = _data()
    y = y_class if estimator_class is MLPClassifier else y_real
    params = dict(hidden_layer_sizes=(7, 5), solver=solver, max_iter=4,
                  random_state=0, batch_size=16, alpha=1e-3)
    dense, sparse = _fit_both(estimator_class, params, X, y)
    _assert_same_fit(dense, sparse, X, rtol=1e-8, atol=1e-10)


def test_mlp_autograd_activation():
    # gelu has no hand-written backward: autograd runs through sparse_linear
    X, y, _ = _data()
    params = dict(hidden_layer_sizes=(6,), activation="gelu", max_iter=3,
                  random_state=0, batch_size=16)
    dense, sparse = _fit_both(MLPClassifier, params, X, y)
    _assert_same_fit(dense, sparse, X, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_input_formats(fmt):
    X, y, _ = _data()
    dense = GDClassifier(**COMMON).fit(X, y)
    sparse = GDClassifier(**COMMON).fit(sp.csr_matrix(X).asformat(fmt), y)
    _assert_same_fit(dense, sparse, X)
    for method in ("predict", "decision_function"):
        np.testing.assert_allclose(
            getattr(sparse, method)(sp.csr_matrix(X).asformat(fmt)),
            getattr(dense, method)(X), rtol=1e-9, atol=1e-11)


def test_explicit_zeros_and_unsorted_indices():
    X, y, _ = _data()
    rng = np.random.RandomState(2)
    csr = sp.csr_matrix(X)
    rows, columns, values = [], [], []
    for row in range(X.shape[0]):
        start, stop = csr.indptr[row], csr.indptr[row + 1]
        row_columns = list(csr.indices[start:stop])
        row_values = list(csr.data[start:stop])
        missing = np.setdiff1d(np.arange(X.shape[1]), row_columns)
        if len(missing):  # an explicitly stored zero
            row_columns.append(missing[0])
            row_values.append(0.0)
        order = rng.permutation(len(row_columns))  # unsorted columns
        columns += [row_columns[i] for i in order]
        values += [row_values[i] for i in order]
        rows.append(len(row_columns))
    indptr = np.concatenate([[0], np.cumsum(rows)])
    messy = sp.csr_matrix((np.array(values), np.array(columns), indptr),
                          shape=X.shape)
    assert not messy.has_sorted_indices and messy.nnz > csr.nnz
    np.testing.assert_array_equal(messy.toarray(), X)
    dense = GDClassifier(**COMMON).fit(X, y)
    sparse = GDClassifier(**COMMON).fit(messy, y)
    _assert_same_fit(dense, sparse, X)
    np.testing.assert_allclose(sparse.decision_function(messy),
                               dense.decision_function(X), rtol=1e-9)


def test_partial_fit():
    X, y, _ = _data(n=90)
    dense, sparse = GDClassifier(random_state=0), GDClassifier(random_state=0)
    classes = np.unique(y)
    for block in np.array_split(np.arange(len(y)), 3):
        dense.partial_fit(X[block], y[block], classes=classes)
        sparse.partial_fit(sp.csr_matrix(X[block]), y[block], classes=classes)
    _assert_same_fit(dense, sparse, X)
    mlp_dense, mlp_sparse = (MLPClassifier(hidden_layer_sizes=(5,),
                                           random_state=0) for _ in range(2))
    for block in np.array_split(np.arange(len(y)), 3):
        mlp_dense.partial_fit(X[block], y[block], classes=classes)
        mlp_sparse.partial_fit(sp.csr_matrix(X[block]), y[block],
                               classes=classes)
    _assert_same_fit(mlp_dense, mlp_sparse, X)


def test_predict_proba_on_sparse():
    X, y, _ = _data()
    for estimator in (GDClassifier(loss="log_loss", **COMMON),
                      MLPClassifier(hidden_layer_sizes=(5,), max_iter=3,
                                    random_state=0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            estimator.fit(X, y)
        np.testing.assert_allclose(estimator.predict_proba(sp.csc_matrix(X)),
                                   estimator.predict_proba(X), rtol=1e-10)


def test_training_and_prediction_never_densify(monkeypatch):
    X, y, y_real = _data()
    originals = {}

    def refuse(name):
        def method(self, *args, **kwargs):
            # scikit-learn's label binarizer densifies its own (n, classes)
            # label matrix; only X (n, n_features) must stay sparse
            if self.shape[1] == X.shape[1]:
                raise AssertionError(f"X was densified ({name})")
            return originals[type(self), name](self, *args, **kwargs)
        return method

    for cls in (sp.csr_matrix, sp.csr_array, sp.csc_matrix, sp.csc_array,
                sp.coo_matrix, sp.coo_array):
        for name in ("toarray", "todense"):
            originals[cls, name] = getattr(cls, name)
            monkeypatch.setattr(cls, name, refuse(name))
    originals[torch.Tensor, "to_dense"] = torch.Tensor.to_dense
    monkeypatch.setattr(torch.Tensor, "to_dense", refuse("to_dense"))
    X_sparse = sp.csr_matrix(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for estimator in (GDClassifier(**COMMON), GDClassifier(batch_size=None,
                                                               max_iter=2),
                          GDClassifier(solver="adam", **COMMON),
                          GDClassifier(solver="lbfgs", max_iter=3),
                          MLPClassifier(hidden_layer_sizes=(5,), max_iter=2)):
            estimator.fit(X_sparse, y)
            estimator.predict(X_sparse)
        GDRegressor(**COMMON).fit(sp.coo_matrix(X), y_real).predict(X_sparse)


def test_multiclass_weight_is_row_major_after_a_sparse_fit():
    # the torch path lays the weight out column-major while training (one
    # gather per product); the compiled kernel and coef_ expect row-major
    X, y, _ = _data(classes=3)
    model = GDClassifier(**COMMON).fit(sp.csr_matrix(X), y)
    assert model.module_.linear.weight.is_contiguous()
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.fit(sp.csr_matrix(X), y)
    assert all(p.is_contiguous() for p in mlp.module_.parameters())


def test_sparse_linear_matches_dense_product():
    X, _, _ = _data(d=11)
    weight = torch.randn(4, 11, dtype=torch.float64)
    bias = torch.randn(4, dtype=torch.float64)
    data = to_training_data(sp.csr_matrix(X), np.zeros(len(X)), None, CPU)
    want = torch.from_numpy(X) @ weight.t() + bias
    torch.testing.assert_close(sparse_linear(data.X, weight, bias), want)
    column_major = weight.t().contiguous().t()
    torch.testing.assert_close(sparse_linear(data.X, column_major, None),
                               want - bias)


def test_dropout_on_sparse_keeps_zeros():
    X, _, _ = _data()
    data = to_training_data(sp.csr_matrix(X), np.zeros(len(X)), None, CPU)
    layer = SeededDropout(0.5)
    layer.generator = torch.Generator().manual_seed(0)
    dropped = layer(data.X)
    assert dropped.layout == torch.sparse_csr
    values = dropped.values()
    kept = values != 0
    assert 0 < int(kept.sum()) < len(values)
    torch.testing.assert_close(values[kept], 2.0 * data.X.values()[kept])


# ----------------------------------------------- batch_size='auto' routing
def _spy_kernel(monkeypatch, accept: bool):
    """Replace the kernel's eligibility: record the batch size it is asked
    about and take the fit (as one-vs-all heads) only at batch_size=1."""
    asked = []

    def spy(module, train, spec):
        asked.append((spec.batch_size, train.is_sparse))
        return "heads" if accept and spec.batch_size == 1 else None

    monkeypatch.setattr(eligibility, "kernel_kind", spy)
    return asked


@pytest.mark.parametrize("to_sparse", [sp.csr_matrix, np.asarray])
def test_auto_goes_per_sample_where_the_kernel_takes_it(monkeypatch, to_sparse):
    X, y, _ = _data(n=3000, d=6)
    X = to_sparse(X)
    sparse = sp.issparse(X)
    asked = _spy_kernel(monkeypatch, accept=True)
    GDClassifier(max_iter=1, tol=None).fit(X, y)
    assert asked == [(1, sparse)]
    asked.clear()
    GDClassifier(max_iter=1, tol=None, batch_size=64).fit(X, y)
    assert asked == [(64, sparse)]
    asked.clear()
    GDClassifier(max_iter=1, tol=None, solver="adam").fit(X, y)
    assert asked == [(3, sparse)]  # not asked at 1: the kernel runs no Adam


def test_auto_keeps_its_rule_where_the_kernel_declines(monkeypatch):
    X, y, _ = _data(n=3000, d=6)
    asked = _spy_kernel(monkeypatch, accept=False)
    model = GDClassifier(max_iter=1, tol=None).fit(sp.csr_matrix(X), y)
    assert asked == [(1, True), (3, True)]
    assert model.n_iter_ == 1


def test_csr_rows_on_the_host_matches_a_dense_gather():
    from skopt_est._engine.sparse import csr_rows, to_torch_csr

    rng = np.random.default_rng(0)
    X = sp.random(40, 30, density=0.2, format="csr", random_state=1,
                  dtype=np.float32)
    tensor = to_torch_csr(X, CPU)
    for rows in (torch.as_tensor(rng.permutation(40)),
                 torch.as_tensor([3, 3, 0, 39]), torch.as_tensor([], dtype=torch.long)):
        taken = csr_rows(tensor, rows)
        assert taken.layout == torch.sparse_csr
        np.testing.assert_array_equal(taken.to_dense().numpy(),
                                      X.toarray()[rows.numpy()])


def test_scattered_weight_gradient_in_pieces_equals_one_piece(monkeypatch):
    # the gradient off the CPU (index_add_ in pieces), run here on the CPU
    import skopt_est._engine.sparse as sparse

    X = sp.random(50, 40, density=0.3, format="csr", random_state=2)
    tensor = to_training_data(X, np.zeros(50), None, CPU).X
    weight = torch.randn(3, 40, dtype=torch.float64)
    d_output = torch.randn(50, 3, dtype=torch.float64)
    whole = sparse._scattered_weight_gradient(weight, d_output, tensor, 0.5)
    monkeypatch.setattr(sparse, "_CONTRIBUTION_ELEMENTS", 7)
    pieces = sparse._scattered_weight_gradient(weight, d_output, tensor, 0.5)
    expected = d_output.T @ torch.as_tensor(X.toarray()) + 0.5 * weight
    torch.testing.assert_close(whole, expected)
    torch.testing.assert_close(pieces, expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("n_outputs", [1, 4])
@pytest.mark.parametrize("column_major", [True, False])
@pytest.mark.parametrize("l2", [0.0, 0.5])
@pytest.mark.parametrize("old_grad", [False, True])
def test_cpu_weight_gradient_is_the_dense_product_in_the_weights_layout(
        dtype, n_outputs, column_major, l2, old_grad):
    from skopt_est._engine.sparse import column_major_, sparse_weight_gradient

    X = sp.random(50, 40, density=0.3, format="csr", random_state=2,
                  dtype=np.float32 if dtype == torch.float32 else np.float64)
    tensor = to_training_data(X, np.zeros(50), None, CPU).X
    weight = torch.randn(n_outputs, 40, dtype=dtype)
    if column_major:
        column_major_(weight)
    if old_grad:  # a previous step's gradient, to be overwritten
        weight.grad = torch.full_like(weight, 7.0)
    d_output = torch.randn(50, n_outputs, dtype=dtype)
    grad = sparse_weight_gradient(weight, d_output, tensor, l2)
    expected = d_output.T @ torch.as_tensor(X.toarray()) + l2 * weight
    assert grad.dtype == dtype
    assert grad.is_contiguous() == weight.is_contiguous()
    assert grad.t().is_contiguous() == weight.t().is_contiguous()
    tolerance = 1e-5 if dtype == torch.float32 else 1e-12
    torch.testing.assert_close(grad, expected, rtol=tolerance, atol=tolerance)
    if old_grad and column_major:
        # written into the old gradient's memory: no allocation a step
        assert grad.data_ptr() == weight.grad.data_ptr()


def test_cpu_weight_gradient_without_scipys_in_place_kernel(monkeypatch):
    import skopt_est._engine.sparse as sparse

    monkeypatch.setattr(sparse, "_csc_matvecs", None)
    X = sp.random(50, 40, density=0.3, format="csr", random_state=2)
    tensor = to_training_data(X, np.zeros(50), None, CPU).X
    weight = torch.randn(3, 40, dtype=torch.float64)
    sparse.column_major_(weight)
    weight.grad = torch.zeros_like(weight)
    d_output = torch.randn(50, 3, dtype=torch.float64)
    grad = sparse.sparse_weight_gradient(weight, d_output, tensor, 0.5)
    assert grad.data_ptr() != weight.grad.data_ptr()
    torch.testing.assert_close(
        grad, d_output.T @ torch.as_tensor(X.toarray()) + 0.5 * weight)


def test_indices_stay_int32_from_scipy_to_the_batches():
    X = sp.random(30, 20, density=0.3, format="csr", random_state=0)
    assert X.indices.dtype == np.int32
    data = to_training_data(X, np.zeros(30), None, CPU)
    # the tensor shares scipy's index arrays: no second copy of the CSR
    assert data.X.col_indices().dtype == torch.int32
    assert data.X.col_indices().data_ptr() == X.indices.ctypes.data
    order = torch.randperm(30, generator=torch.Generator().manual_seed(0))
    for rows in (slice(3, 9), torch.tensor([4, 1, 7])):
        batch = data.permuted(order).features(rows)
        assert batch.crow_indices().dtype == torch.int32
        assert batch.col_indices().dtype == torch.int32


def test_adam_on_a_column_major_weight_steps_as_torchs_adam():
    # the sparse fit's first-layer weight is column-major; its Adam state is
    # created by _stepper (so the fused kernel never sees a non-contiguous
    # tensor) and must be the state torch's Adam makes, step for step
    from skopt_est._engine.optim import _Adam
    from skopt_est._engine.sparse import column_major_, memory_order
    from skopt_est._engine.step import _functional_adam_update

    generator = torch.Generator().manual_seed(0)
    start = torch.randn(5, 40, generator=generator)
    grads = [torch.randn(5, 40, generator=generator) for _ in range(3)]
    ours = torch.nn.Parameter(start.clone())
    column_major_(ours)
    assert memory_order(ours).is_contiguous()
    reference = torch.nn.Parameter(start.clone())
    bias = torch.nn.Parameter(torch.zeros(5))
    reference_bias = torch.nn.Parameter(torch.zeros(5))
    optimizer = _Adam([ours, bias], lr=0.1, fused=True)
    reference_optimizer = _Adam([reference, reference_bias], lr=0.1, fused=True)
    update = _functional_adam_update(optimizer, [ours, bias])
    for grad in grads:
        ours.grad = grad.t().contiguous().t()  # the sparse gradient's layout
        bias.grad = grad[:, 0].clone()
        reference.grad, reference_bias.grad = grad.clone(), grad[:, 0].clone()
        update()
        reference_optimizer.step()
        torch.testing.assert_close(ours.detach(), reference.detach())
        torch.testing.assert_close(bias.detach(), reference_bias.detach())
    for param, reference_param in ((ours, reference), (bias, reference_bias)):
        state = optimizer.state[param]
        reference_state = reference_optimizer.state[reference_param]
        assert state.keys() == reference_state.keys()
        for key, value in state.items():
            expected = reference_state[key]
            assert (value.dtype, value.device, value.shape) == (
                expected.dtype, expected.device, expected.shape)
            torch.testing.assert_close(value, expected)
    assert not optimizer.state[ours]["exp_avg"].is_contiguous()  # ours' layout


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_second_step_writes_into_the_first_steps_gradient(n_outputs):
    from skopt_est._engine.sparse import column_major_, sparse_weight_gradient

    X = sp.random(50, 40, density=0.3, format="csr", random_state=2)
    tensor = to_training_data(X, np.zeros(50), None, CPU).X
    weight = torch.nn.Parameter(torch.randn(n_outputs, 40, dtype=torch.float64))
    column_major_(weight)
    for step in range(2):
        d_output = torch.randn(50, n_outputs, dtype=torch.float64)
        with torch.no_grad():  # as closed_form_backward calls it
            grad = sparse_weight_gradient(weight, d_output, tensor, 0.1)
        if step == 0:
            first = grad.data_ptr()
        weight.grad = grad
    assert weight.grad.data_ptr() == first
    torch.testing.assert_close(
        weight.grad,
        d_output.T @ torch.as_tensor(X.toarray()) + 0.1 * weight.detach())
