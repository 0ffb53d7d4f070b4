"""Arrays -> tensors: dtypes, weights, sparse X as a torch CSR tensor."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch

import skopt_est._engine.data as data_module
from skopt_est import GDClassifier, GDRegressor, MLPRegressor
from skopt_est._engine.data import TrainingData, take_rows, to_training_data

CPU = torch.device("cpu")


def _arrays(dtype=np.float64, n=12, d=5):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((n, d)).astype(dtype)
    X[X < 0.3] = 0.0
    return X, rng.standard_normal(n)


@pytest.mark.parametrize("dtype, torch_dtype", [(np.float64, torch.float64),
                                                (np.float32, torch.float32)])
def test_dense_dtype_follows_X(dtype, torch_dtype):
    X, y = _arrays(dtype)
    data = to_training_data(X, y, np.full(len(y), 2.0), CPU)
    assert data.dtype == torch_dtype
    assert data.X.dtype == data.y.dtype == data.sample_weight.dtype == torch_dtype
    assert data.y.shape == (len(y), 1)
    assert not data.is_sparse
    np.testing.assert_array_equal(data.X.numpy(), X)


def test_unit_weights_are_stored_as_none():
    X, y = _arrays()
    data = to_training_data(X, y, np.ones(len(y)), CPU)
    assert data.sample_weight is None
    assert data.total_weight == len(y)
    assert data.weights(torch.arange(3)) is None


def test_weights_follow_rows():
    X, y = _arrays()
    weights = np.arange(1.0, len(y) + 1)
    data = to_training_data(X, y, weights, CPU)
    assert data.total_weight == weights.sum()
    rows = torch.tensor([4, 0, 7])
    np.testing.assert_array_equal(data.weights(rows).numpy(), weights[[4, 0, 7]])
    np.testing.assert_array_equal(data.targets(rows).numpy()[:, 0], y[[4, 0, 7]])
    np.testing.assert_array_equal(data.features(rows).numpy(), X[[4, 0, 7]])


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_stays_sparse_and_rows_match_dense(fmt):
    X, y = _arrays()
    data = to_training_data(sp.csr_matrix(X).asformat(fmt), y, None, CPU)
    assert data.is_sparse and data.X.layout == torch.sparse_csr
    assert data.index_device() == CPU
    for rows in (torch.tensor([3, 1, 10]), slice(2, 7)):
        block = data.features(rows)
        assert block.layout == torch.sparse_csr
        np.testing.assert_array_equal(block.to_dense().numpy(), X[rows])
    np.testing.assert_array_equal(data.features(None).to_dense().numpy(), X)


@pytest.mark.parametrize("block_nonzeros", [1 << 17, 7])
def test_sparse_permuted_rows_follow_the_order(monkeypatch, block_nonzeros):
    # 7 nonzeros a block: every few batches gather a new block
    monkeypatch.setattr(data_module, "_GATHER_BLOCK_NONZEROS", block_nonzeros)
    X, y = _arrays(n=23)
    data = to_training_data(sp.csr_matrix(X), y, np.arange(1.0, 24), CPU)
    order = torch.randperm(23, generator=torch.Generator().manual_seed(0))
    permuted = data.permuted(order)
    assert permuted.is_sparse
    assert permuted.X is data.X  # no copy of the CSR
    np.testing.assert_array_equal(permuted.features(None).to_dense().numpy(),
                                  X[order])
    np.testing.assert_array_equal(permuted.y.numpy()[:, 0], y[order])
    np.testing.assert_array_equal(permuted.sample_weight.numpy(),
                                  np.arange(1.0, 24)[order])
    for start in range(0, 23, 3):
        batch = permuted.features(slice(start, start + 3))
        np.testing.assert_array_equal(batch.to_dense().numpy(),
                                      X[order][start:start + 3])
    np.testing.assert_array_equal(permuted.features(slice(20, 30)).to_dense(),
                                  X[order][20:])
    rows = torch.tensor([5, 0, 22])
    np.testing.assert_array_equal(permuted.features(rows).to_dense().numpy(),
                                  X[order][rows.numpy()])
    # a permutation of the permuted set composes the orders
    again = permuted.permuted(order)
    np.testing.assert_array_equal(again.features(None).to_dense().numpy(),
                                  X[order][order])


@pytest.mark.parametrize("sparse", [False, True])
def test_take_rows(sparse):
    X, y = _arrays()
    weights = np.arange(1.0, len(y) + 1)
    data = to_training_data(sp.csr_matrix(X) if sparse else X, y, weights, CPU)
    rows = np.array([2, 5, 8])
    subset = take_rows(data, rows)
    assert isinstance(subset, TrainingData)
    assert subset.n_samples == 3 and subset.is_sparse == sparse
    features = subset.features(None)
    if sparse:
        features = features.to_dense()
    np.testing.assert_array_equal(features.numpy(), X[rows])
    np.testing.assert_array_equal(subset.y.numpy()[:, 0], y[rows])
    np.testing.assert_array_equal(subset.sample_weight.numpy(), weights[rows])


def _spy_batches(monkeypatch):
    """Record the layout and row count of every batch of a sparse fit."""
    batches = []
    original = TrainingData.features

    def features(self, rows):
        block = original(self, rows)
        if self.is_sparse:
            batches.append((block.layout, block.shape[0]))
        return block

    monkeypatch.setattr(TrainingData, "features", features)
    return batches


@pytest.mark.parametrize("batch_size", [16, None])
def test_sparse_fit_multiplies_sparse_batches(monkeypatch, sparse_truth,
                                              batch_size):
    X, y, _ = sparse_truth
    batches = _spy_batches(monkeypatch)
    model = GDRegressor(batch_size=batch_size, max_iter=2, tol=None,
                        random_state=0)
    model.fit(sp.csr_matrix(X), y)
    assert batches and {layout for layout, _ in batches} == {torch.sparse_csr}
    assert max(n for _, n in batches) == (batch_size or len(y))
    assert sum(n for _, n in batches) == 2 * len(y)


@pytest.mark.parametrize("batch_size", [1, 16, None])
def test_sparse_fit_matches_dense(sparse_truth, batch_size, monkeypatch):
    # the torch path: the compiled kernel decays a sparse fit's intercept
    # as scikit-learn does, on purpose unlike the dense fit
    monkeypatch.setenv("SKOPT_EST_NO_KERNEL", "1")
    X, y, _ = sparse_truth
    params = dict(batch_size=batch_size, max_iter=3, tol=None, random_state=0,
                  learning_rate="constant", eta0=0.01)
    dense = GDRegressor(**params).fit(X, y)
    sparse = GDRegressor(**params).fit(sp.csr_matrix(X), y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X)), dense.predict(X),
                               rtol=1e-10, atol=1e-12)


def test_sparse_classifier_matches_dense(iris):
    params = dict(loss="log_loss", batch_size=8, max_iter=3, tol=None,
                  random_state=0)
    dense = GDClassifier(**params).fit(iris.X, iris.y)
    sparse = GDClassifier(**params).fit(sp.csr_matrix(iris.X), iris.y)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sparse.predict_proba(sp.csc_matrix(iris.X_test)),
                               dense.predict_proba(iris.X_test), rtol=1e-10)


def test_cpu_copies_small_data_and_gathers_large_data_or_batches():
    X = torch.zeros(1000, 8, dtype=torch.float64)  # 64 KB, 64 B a row
    data = TrainingData(X, torch.zeros(1000), None, CPU, torch.float64)
    assert data.can_permute(batch_size=32)
    assert not data.can_permute(batch_size=data_module._CPU_COPY_MAX_BATCH_BYTES)
    many_rows = data_module._CPU_COPY_MAX_BYTES // 64 + 1
    big = TrainingData(torch.zeros(many_rows, 8, dtype=torch.float64),
                       torch.zeros(many_rows), None, CPU, torch.float64)
    assert not big.can_permute(batch_size=1)


@pytest.mark.parametrize("batch_size", [1, 7])
def test_shuffled_copy_and_gathered_batches_train_identically(monkeypatch,
                                                              batch_size):
    rng = np.random.RandomState(0)
    X, y = rng.standard_normal((60, 4)), rng.standard_normal(60)
    weights = rng.uniform(0.5, 2.0, size=60)
    params = dict(batch_size=batch_size, max_iter=3, tol=None, random_state=0)
    copied = GDRegressor(**params).fit(X, y, sample_weight=weights)
    monkeypatch.setattr(data_module, "_CPU_COPY_MAX_BYTES", 0)
    gathered = GDRegressor(**params).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(gathered.coef_, copied.coef_)
    np.testing.assert_array_equal(gathered.intercept_, copied.intercept_)


@pytest.mark.parametrize("Model", [GDRegressor, MLPRegressor])
def test_pandas_input_fits_without_torchs_read_only_warning(Model):
    # pandas hands out read-only arrays under copy-on-write; torch warns
    # when it wraps one
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    y = pd.Series(rng.normal(size=40))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*not writable.*")
        Model(max_iter=2, random_state=0).fit(X, y)
