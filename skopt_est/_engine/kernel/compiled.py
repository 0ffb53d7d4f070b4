"""The compiled kernel (``_sgd``, built with the package), or an ImportError
that says how to reinstall: a broken install never trains another model;
and what every runner tells it the same way (loss codes, constants,
addresses). No torch here: the kernel's lane (``lane``) runs without it.
"""

from __future__ import annotations

import os

from ..loss_kinds import REGRESSION_LOSSES

try:
    from ._sgd import (
        LOGISTIC_CODE,
        LOSS_CODES,
        MULTINOMIAL_CODE,
        SCHEDULE_CODES,
        SGDState,
    )
except ImportError as error:  # a broken install: never a silent other model
    raise ImportError(
        "skopt_est's compiled SGD kernel (skopt_est._engine.kernel._sgd) cannot "
        f"be imported ({error}). The installation is incomplete or was built "
        "for another Python: reinstall it with `pip install --force-reinstall "
        "--no-cache-dir skopt-est`, or from a source checkout with `pip install "
        "-e .` (building needs a C compiler)."
    ) from error

# scikit-learn's SGD moves the intercept of a sparse fit at 1 % of the
# weights' rate (SPARSE_INTERCEPT_DECAY), against the intercept's unscaled
# and hence noisier updates
SPARSE_INTERCEPT_DECAY = 0.01


DISABLE_ENV = "SKOPT_EST_NO_KERNEL"


def kernel_disabled() -> bool:
    """Whether the user asked for the torch path (``SKOPT_EST_NO_KERNEL=1``,
    docs/user_guide/batch_modes.rst)."""
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


def per_sample_sgd(spec, n_samples: int) -> bool:
    """Whether ``spec`` is a fit the kernel's loop runs: one sample a step
    (``batch_size=1``, more than one row), plain SGD without momentum (the
    L2 term in the gradient), scikit-learn's SGD scaling (not the MLP's
    per-batch penalty), a loss it codes (:func:`loss_code`), and the kernel
    not switched off (``SKOPT_EST_NO_KERNEL``). Where the data and the model
    live is the caller's to check (``eligibility``, ``lane``)."""
    return (spec.batch_size == 1 and n_samples > 1 and spec.solver == "sgd"
            and spec.momentum == 0 and not spec.penalty_per_batch_weight
            and loss_code(spec.loss) is not None and not kernel_disabled())


def one_problem_per_head(spec, n_heads: int) -> bool:
    """Whether each of the ``n_heads`` outputs is a problem of its own, as
    scikit-learn's SGD fits it: a shuffle seed per head (``spec.sgd_seeds``),
    one output or ±1-coded one-vs-all heads, not the multinomial loss."""
    return (len(spec.sgd_seeds) == n_heads
            and loss_code(spec.loss)[0] != MULTINOMIAL_CODE
            and (n_heads == 1 or spec.loss.target_kind == "sign"))


def rescale_below(single: bool) -> float:
    """The ``wscale`` below which the scaled weights are rescaled:
    scikit-learn's thresholds per dtype (its rescaling also folds the
    averaging trick, so the averages with L1 depend on when it happens)."""
    return 1e-6 if single else 1e-9


def address(array) -> int:
    """Where a C-contiguous numpy array's data starts, for the C state."""
    return array.__array_interface__["data"][0]


def loss_code(loss) -> tuple[int, float | None] | None:
    """(the kernel's loss code, the divisor of a head's loss) or None."""
    if loss.name == "log_loss":
        return {"binary": (LOGISTIC_CODE, 1.0),
                "onehot": (MULTINOMIAL_CODE, 1.0)}.get(loss.target_kind)
    code = LOSS_CODES.get(loss.name)
    if code is None:
        return None
    if loss.name in REGRESSION_LOSSES + ("poisson",):
        # regression: the mean over outputs; GDClassifier's ±1-coded heads
        # (target_kind 'sign') each count in full
        return (code, None) if loss.target_kind == "real" else (
            (code, 1.0) if loss.target_kind == "sign" else None)
    return code, 1.0


__all__ = ["DISABLE_ENV", "LOGISTIC_CODE", "LOSS_CODES", "MULTINOMIAL_CODE",
           "SCHEDULE_CODES", "SPARSE_INTERCEPT_DECAY", "SGDState", "address",
           "kernel_disabled", "loss_code", "one_problem_per_head",
           "per_sample_sgd", "rescale_below"]
