"""'EIps' and 'PIps': improvement per second of evaluation.

The objective returns ``(value, seconds)``; the optimizer records ``(value,
log(seconds))`` as scikit-optimize does and fits two surrogates of the same
kind, one to the values and one to the log-times. The acquisition is log-EI
(or log-PI) plus ``log E[1/t]``: with the log-time posterior ``N(m, s**2)``
in log-seconds, ``1/t`` is log-normal and ``E[1/t] = exp(-m + s**2 / 2)``,
so maximising the sum maximises EI divided by the expected time, as
scikit-optimize's 'EIps' does (``EI * E[1/t]``).

``PerSecond`` holds the two surrogates and passes the optimizer's surrogate
protocol (``_maximise``) through to the objective's; the maximiser adds
``log_rate`` to the acquisition where the surrogate has it.
"""

from __future__ import annotations

import numpy as np

from ._gp import GaussianProcess

__all__ = ["PerSecond", "TimedValueError", "check_timed_values"]


class TimedValueError(TypeError, ValueError):
    """A per-second optimizer was told something other than ``(value,
    seconds)``: a ``TypeError`` as scikit-optimize raises, and a
    ``ValueError`` as skopt_est's other checks of ``tell`` raise."""


class PerSecond:
    """A surrogate of the objective and one of its log-time.

    Parameters
    ----------
    objective : GaussianProcess or Regressor
        Surrogate of the values.
    time : GaussianProcess or Regressor
        Surrogate of the log-times, of the same kind; a GP must have an
        affine output warp (``warp_power=False``), so that its predictions
        convert to log-seconds.
    """

    def __init__(self, objective, time):
        self.objective = objective
        self.time = time

    @property
    def estimators_(self) -> tuple:
        """``(objective model, time model)``, the fitted models, as a result's
        ``models`` holds them (scikit-optimize's ``MultiOutputRegressor``
        attribute)."""
        return tuple(
            s if isinstance(s, GaussianProcess) else s.estimator_
            for s in (self.objective, self.time)
        )

    def fit(self, X: np.ndarray, y: np.ndarray) -> PerSecond:
        """Fit the objective to ``y[:, 0]`` and the time to ``y[:, 1]``."""
        y = np.asarray(y, dtype=float)
        self.objective.fit(X, y[:, 0])
        self.time.fit(X, y[:, 1])
        return self

    def copy(self) -> PerSecond:
        """A snapshot: later fits of ``self`` do not change it."""
        return PerSecond(self.objective.copy(), self.time.copy())

    def fantasize(self, X_new: np.ndarray, y_new) -> PerSecond:
        """A copy conditioned on extra points; ``y_new`` has rows ``(value,
        log-time)`` (the constant liar's lies)."""
        y_new = np.asarray(y_new, dtype=float).reshape(-1, 2)
        return PerSecond(self.objective.fantasize(X_new, y_new[:, 0]),
                         self.time.fantasize(X_new, y_new[:, 1]))

    def __getattr__(self, name):
        # X_train_, y_train_, length_scale_, noise_, predict,
        # predict_with_gradient, predict_objective, standardise,
        # posterior_covariance: the objective's
        if name in ("objective", "time"):  # not yet set (unpickling)
            raise AttributeError(name)
        return getattr(self.objective, name)

    def _log_seconds(self) -> tuple[float, float]:
        """``(slope, offset)`` from the time surrogate's units to log-seconds."""
        time = self.time
        if isinstance(time, GaussianProcess):
            warp = time.warp_
            return warp.slope(), warp.inverse_transform(np.zeros(1))[0]
        return 1.0, 0.0

    def log_rate(self, X: np.ndarray) -> np.ndarray:
        """``log E[1/t]`` at the rows of ``X``, shape ``(n,)``."""
        slope, offset = self._log_seconds()
        mu, sigma = self.time.predict(X)
        mean, std = slope * mu + offset, slope * sigma
        return -mean + 0.5 * std**2

    def log_rate_with_gradient(self, X: np.ndarray):
        """``log_rate`` and its gradient in x, shapes ``(n,)`` and ``(n, d)``."""
        slope, offset = self._log_seconds()
        mu, sigma, d_mu, d_sigma = self.time.predict_with_gradient(X)
        mean, std = slope * mu + offset, slope * sigma
        value = -mean + 0.5 * std**2
        grad = -slope * d_mu + (std * slope)[:, None] * d_sigma
        return value, grad


def check_timed_values(y, is_batch: bool, acq_func: str) -> list[list[float]]:
    """``(value, seconds)`` pairs told to a per-second optimizer, as
    ``[value, log(seconds)]`` rows; a clear error for anything else."""
    pairs = np.asarray(y, dtype=float) if _is_pair_like(y, is_batch) else None
    if pairs is None:
        how = "a list of (value, seconds) pairs" if is_batch else "(value, seconds)"
        raise TimedValueError(
            f"acq_func={acq_func!r} expects y to be {how}: the objective returns "
            f"its value and the seconds it took. Got {y!r}. Return (value, "
            "elapsed seconds) from the objective, or use acq_func='EI' / 'PI' "
            "for plain values."
        )
    pairs = pairs.reshape(-1, 2)
    if not np.all(pairs[:, 1] > 0):
        raise ValueError(
            f"acq_func={acq_func!r}: the times must be positive seconds (their "
            f"log is modelled); got {pairs[:, 1].tolist()}."
        )
    return [[float(v), float(np.log(t))] for v, t in pairs]


def _is_pair_like(y, is_batch: bool) -> bool:
    if isinstance(y, str | bytes):
        return False
    try:
        shape = np.shape(np.asarray(y, dtype=float))
    except (TypeError, ValueError):
        return False
    return shape[-1:] == (2,) and len(shape) == (2 if is_batch else 1)
