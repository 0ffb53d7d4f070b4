"""Device resolution, thread scoping, and CUDA round trips (skipped without CUDA)."""

import pickle

import numpy as np
import pytest
import torch

from skopt_est import GDClassifier, GDRegressor
from skopt_est._engine.device import intra_op_threads, resolve_device

HAS_CUDA = torch.cuda.is_available()
HAS_MPS = bool(getattr(torch.backends, "mps", None)
               and torch.backends.mps.is_available())
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device")


def test_cpu():
    assert resolve_device("cpu") == torch.device("cpu")


def test_auto_picks_the_best_available():
    expected = "cuda" if HAS_CUDA else "mps" if HAS_MPS else "cpu"
    assert resolve_device("auto").type == expected


@pytest.mark.parametrize("name", ["gpu", "cuda:x", "", "tpu0"])
def test_unknown_device_names(name):
    with pytest.raises(ValueError, match="not a device torch knows"):
        resolve_device(name)


def test_device_torch_knows_but_estimators_do_not_support():
    with pytest.raises(ValueError, match="not supported"):
        resolve_device("meta")


@pytest.mark.skipif(HAS_CUDA, reason="CUDA is present")
@pytest.mark.parametrize("name", ["cuda", "cuda:0", "cuda:3"])
def test_absent_cuda(name):
    with pytest.raises(ValueError, match="CUDA is not available"):
        resolve_device(name)


@pytest.mark.skipif(HAS_MPS, reason="MPS is present")
def test_absent_mps():
    with pytest.raises(ValueError, match="MPS is not available"):
        resolve_device("mps")


@pytest.mark.gpu
@needs_cuda
def test_cuda_index_out_of_range():
    n_devices = torch.cuda.device_count()
    with pytest.raises(ValueError, match="CUDA device"):
        resolve_device(f"cuda:{n_devices}")
    assert resolve_device("cuda:0") == torch.device("cuda:0")


@pytest.mark.skipif(HAS_CUDA, reason="CUDA is present")
@pytest.mark.parametrize("Estimator", [GDRegressor, GDClassifier])
def test_absent_device_raises_at_fit_not_init(Estimator, iris):
    model = Estimator(device="cuda", max_iter=2)
    assert model.get_params()["device"] == "cuda"
    with pytest.raises(ValueError, match="device='cuda'.*CUDA is not available"):
        model.fit(iris.X, iris.y)
    assert not hasattr(model, "coef_")


def test_intra_op_threads_restores():
    before = torch.get_num_threads()
    with intra_op_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with intra_op_threads(None):
        assert torch.get_num_threads() == before
    with pytest.raises(RuntimeError), intra_op_threads(1):
        raise RuntimeError
    assert torch.get_num_threads() == before


def test_fit_leaves_thread_count_alone(iris):
    before = torch.get_num_threads()
    GDClassifier(max_iter=2, tol=None, random_state=0).fit(iris.X, iris.y)
    assert torch.get_num_threads() == before


# ------------------------------------------------------------------- on CUDA
@pytest.mark.gpu
@needs_cuda
def test_cuda_fit_matches_cpu(diabetes):
    params = dict(solver="adam", learning_rate="constant", eta0=0.01, batch_size=32,
                  max_iter=10, tol=None, random_state=0)
    cpu = GDRegressor(**params).fit(diabetes.X, diabetes.y)
    gpu = GDRegressor(device="cuda", **params).fit(diabetes.X, diabetes.y)
    assert next(gpu.module_.parameters()).device.type == "cuda"
    assert isinstance(gpu.coef_, np.ndarray)
    np.testing.assert_allclose(gpu.coef_, cpu.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gpu.predict(diabetes.X_test),
                               cpu.predict(diabetes.X_test), rtol=1e-6, atol=1e-8)


@pytest.mark.gpu
@needs_cuda
def test_cuda_fit_is_repeatable(iris):
    params = dict(loss="log_loss", dropout=0.2, batch_size=16, max_iter=5,
                  tol=None, random_state=0, device="cuda")
    a = GDClassifier(**params).fit(iris.X, iris.y)
    b = GDClassifier(**params).fit(iris.X, iris.y)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-6)


@pytest.mark.gpu
@needs_cuda
def test_cuda_model_pickles_to_cpu(iris):
    model = GDClassifier(loss="log_loss", max_iter=5, tol=None, random_state=0,
                         device="cuda").fit(iris.X, iris.y)
    restored = pickle.loads(pickle.dumps(model))
    assert next(restored.module_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(restored.predict_proba(iris.X_test),
                               model.predict_proba(iris.X_test), rtol=1e-6)
    # the original stays on the GPU
    assert next(model.module_.parameters()).device.type == "cuda"


@pytest.mark.gpu
@needs_cuda
def test_cuda_sparse_and_float32(sparse_truth):
    import scipy.sparse as sp

    X, y, _ = sparse_truth
    model = GDRegressor(device="cuda", batch_size=20, max_iter=10, tol=None,
                        random_state=0).fit(sp.csr_matrix(X.astype(np.float32)), y)
    assert next(model.module_.parameters()).dtype == torch.float32
    assert model.score(X, y) > 0.9
