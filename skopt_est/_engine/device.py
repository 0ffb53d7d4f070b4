"""Turn the ``device`` parameter into a ``torch.device``, and scope thread counts."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import torch

# Below this batch size one intra-op thread is faster than two on a 2-core CPU:
# the ops are too small to split, and the hand-off costs more than it saves
# (benchmarks/bench_linear.py, bench_mlp.py).
_SINGLE_THREAD_MAX_BATCH = 1024
# With two cores or fewer a second intra-op thread gains at most 2x on large
# matrix products and loses 4-20x whenever another process wants a core
# (measured for batches of 4096 and full batch, benchmarks/bench_linear.py).
_HAS_FEW_CORES = (os.cpu_count() or 1) <= 2


def resolve_device(device: str) -> torch.device:
    """Return the torch device named by ``device``, checking it exists.

    Parameters
    ----------
    device : {'cpu', 'cuda', 'cuda:N', 'mps', 'auto'}
        ``'auto'`` picks CUDA, then MPS, then the CPU.

    Raises
    ------
    ValueError
        If the device is not known to torch or is absent on this machine.
    """
    if device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a device torch knows; use 'cpu', 'cuda', "
            "'cuda:N', 'mps' or 'auto'."
        ) from exc
    if resolved.type == "cuda":
        _check_cuda(device, resolved)
    elif resolved.type == "mps" and not _mps_is_available():
        raise ValueError(
            f"device={device!r} was requested but MPS is not available on this "
            "machine; use device='cpu' or device='auto'."
        )
    elif resolved.type not in ("cpu", "cuda", "mps"):
        raise ValueError(
            f"device={device!r} is not supported; use 'cpu', 'cuda', 'cuda:N', "
            "'mps' or 'auto'."
        )
    return resolved


def _check_cuda(device: str, resolved: torch.device) -> None:
    if not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine; use device='cpu' or device='auto'."
        )
    n_devices = torch.cuda.device_count()
    if resolved.index is not None and resolved.index >= n_devices:
        raise ValueError(
            f"device={device!r} was requested but only {n_devices} CUDA device(s) "
            f"exist; use an index below {n_devices}."
        )


def _mps_is_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def training_threads(device: torch.device, batch_rows: int) -> int | None:
    """The intra-op thread count for training at ``batch_rows`` rows a step:
    one on the CPU for small batches (or on a machine with few cores), else
    None, which leaves torch's count alone."""
    if device.type == "cpu" and (batch_rows <= _SINGLE_THREAD_MAX_BATCH
                                 or _HAS_FEW_CORES):
        return 1
    return None


@contextlib.contextmanager
def intra_op_threads(n_threads: int | None) -> Iterator[None]:
    """Set torch's intra-op thread count for the block, then restore it.

    ``None`` leaves the count alone.
    """
    previous = torch.get_num_threads()
    if n_threads is None or n_threads == previous:
        yield
        return
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
