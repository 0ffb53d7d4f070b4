"""A compiled per-sample SGD epoch for dense linear models on the CPU.

At ``batch_size=1`` each torch update costs about ten ops of Python and
dispatch, 50-500 times scikit-learn's SGD on small data (issue 15). For the
fits where it gives the same updates, the epoch runs as one call of a small C
function (``_fastsgd.c``) on the tensors' memory. The C source is compiled on
first use with the system C compiler into a user cache directory
(``$XDG_CACHE_HOME/skopt_est`` or ``~/.cache/skopt_est``, the file name keyed
by a hash of the source) and loaded with :mod:`ctypes`. Without a compiler,
when compiling fails, or with ``SKOPT_EST_NO_KERNEL=1`` the torch path runs.

:func:`make_fast_epoch` decides once per fit; the epoch it returns draws the
same permutation as the torch path and advances the stepper's counters and
clock as :meth:`Stepper.step` does, so the two paths agree to rounding.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch

from ._schedules import clock_lr, is_clock_schedule

SOURCE = Path(__file__).with_name("_fastsgd.c")
DISABLE_ENV = "SKOPT_EST_NO_KERNEL"

# loss name -> the kernel's code (the enum of _fastsgd.c)
LOSS_CODES = {
    "squared_error": 0, "huber": 1, "epsilon_insensitive": 2,
    "squared_epsilon_insensitive": 3, "poisson": 4, "hinge": 5,
    "perceptron": 6, "squared_hinge": 7, "modified_huber": 8,
}
_LOGISTIC_CODE = 9  # 'log_loss' with 0/1 targets (not the multinomial one)
_SCHEDULE_CODES = {"optimal": 1, "invscaling": 2}

# the loaded kernel, or None after a failure (one attempt per process)
_LOADED: dict[str, Callable | None] = {}


def _compilers() -> list[list[str]]:
    """Compiler command lines to try, in order."""
    commands = []
    configured = sysconfig.get_config_var("CC")
    if configured:
        commands.append(shlex.split(configured))
    commands.append(["cc"])
    return commands


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return Path(base) / "skopt_est"


def _build(source: bytes) -> Path | None:
    """The compiled library of ``source``, built if not cached; None on failure."""
    for command in _compilers():
        key = hashlib.sha1(source + repr((command, sys.platform,
                                          sysconfig.get_platform())).encode())
        target = _cache_dir() / f"fastsgd-{key.hexdigest()[:16]}.so"
        if target.exists():
            return target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # a private name, then an atomic rename: parallel workers (joblib)
            # may compile at once, and none may load a half-written file
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".so.tmp")
            os.close(fd)
            try:
                subprocess.run([*command, "-O2", "-shared", "-fPIC", "-o", tmp,
                                str(SOURCE), "-lm"], check=True,
                               capture_output=True, timeout=120)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            return target
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def load_kernel() -> Callable | None:
    """The C epoch function, compiled and loaded once per process; None if
    it cannot be (no compiler, a failed build) or ``SKOPT_EST_NO_KERNEL=1``."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return None
    if "epoch" not in _LOADED:
        _LOADED["epoch"] = None
        try:
            path = _build(SOURCE.read_bytes())
            if path is not None:
                function = ctypes.CDLL(str(path)).skopt_est_sgd_epoch
                i64, f64, ptr = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
                function.restype = f64
                function.argtypes = ([i64] * 3 + [ptr] * 6 + [ctypes.c_int] * 2
                                     + [f64, ctypes.c_int] + [f64] * 6
                                     + [ptr, ptr])
                _LOADED["epoch"] = function
        except (OSError, AttributeError):
            pass
    return _LOADED["epoch"]


_REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive",
                      "squared_epsilon_insensitive")


def _loss_code(loss) -> int | None:
    if loss.name == "log_loss":
        return _LOGISTIC_CODE if loss.target_kind == "binary" else None
    if loss.name in _REGRESSION_LOSSES and loss.target_kind != "real":
        return None  # GDClassifier's ±1-coded regression losses: torch path
    return LOSS_CODES.get(loss.name)


def make_fast_epoch(module, train, spec, objective, stepper, state
                    ) -> Callable[[torch.Generator], float] | None:
    """The compiled epoch of this fit, or None where the torch path must run.

    Eligible: a dense float64 CPU fit of a :class:`LinearModel` without
    dropout, at ``batch_size=1`` (more than one row), plain SGD without
    momentum, no L1 term, no averaging, a loss the kernel codes. Any learning
    rate schedule: the per-update clocks are evaluated in the kernel, the rest
    hold the rate constant within an epoch.
    """
    from ._modules import LinearModel

    loss_code = _loss_code(spec.loss)
    if not (type(module) is LinearModel and module.input_dropout.p == 0
            and loss_code is not None and spec.batch_size == 1
            and train.n_samples > 1 and spec.solver == "sgd"
            and spec.momentum == 0 and not spec.average_start
            and not objective.penalty.l1 and not objective.decoupled_l2
            and len(stepper.optimizer.param_groups) == 1
            and train.device.type == "cpu" and not train.is_sparse
            and train.dtype == torch.float64):
        return None
    weight, bias = module.linear.weight, module.linear.bias
    tensors = [train.X, train.y, weight]
    if train.sample_weight is not None:
        tensors.append(train.sample_weight)
    if bias is not None:
        tensors.append(bias)
    if any(t.dtype != torch.float64 or not t.is_contiguous() for t in tensors):
        return None
    kernel = load_kernel()
    if kernel is None:
        return None

    n, (k, d) = train.n_samples, weight.shape
    scale, l2, _ = objective.batch_terms(1)
    per_update_clock = (is_clock_schedule(spec.learning_rate)
                        and spec.clock == "updates")
    schedule = _SCHEDULE_CODES[spec.learning_rate] if per_update_clock else 0
    X_ptr, y_ptr, w_ptr = (t.data_ptr() for t in (train.X, train.y, weight))
    sw_ptr = None if train.sample_weight is None else train.sample_weight.data_ptr()
    b_ptr = None if bias is None else bias.data_ptr()
    out = torch.empty(k, dtype=torch.float64)
    fixed = (spec.loss.epsilon, schedule)
    rest = (spec.power_t, spec.alpha, spec.optimal_init, l2, scale)
    clip = int(spec.loss.unbounded_gradient)

    def fast_epoch(generator: torch.Generator) -> float:
        # the torch path's draw (_training._epoch_batches)
        order = (torch.randperm(n, generator=generator) if spec.shuffle
                 else torch.arange(n))
        lr0 = spec.lr if per_update_clock else stepper.lr
        t = ctypes.c_int64(state.n_updates)
        total = kernel(n, d, k, X_ptr, y_ptr, sw_ptr, order.data_ptr(), w_ptr,
                       b_ptr, loss_code, clip, *fixed, lr0, *rest,
                       ctypes.byref(t), out.data_ptr())
        state.n_updates = t.value
        state.n_samples_seen += n
        if per_update_clock:
            stepper.set_lr(clock_lr(spec, state.n_updates))
        return total

    return fast_epoch
