"""The compiled kernel (``_sgd``, built with the package), or an ImportError
that says how to reinstall: a broken install never trains another model."""

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

__all__ = ["LOGISTIC_CODE", "LOSS_CODES", "MULTINOMIAL_CODE", "SCHEDULE_CODES",
           "SGDState"]
