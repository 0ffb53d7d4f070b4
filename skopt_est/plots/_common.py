"""What every plot needs: matplotlib, imported on demand, and argument checks."""

from __future__ import annotations

import numbers

_INSTALL_HINT = (
    "skopt_est.plots needs matplotlib; install it with: pip install skopt-est[plots]"
)


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return plt


def _check_positive(name: str, value) -> None:
    if not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}={value!r} must be a positive integer.")
