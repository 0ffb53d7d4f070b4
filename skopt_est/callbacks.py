"""Callbacks for ``BayesSearchCV.fit`` and ``Optimizer`` loops.

A callback is any callable taking the current ``OptimizeResult`` (``x``,
``fun``, ``x_iters``, ``func_vals``, ``space``; ``BayesSearchCV`` adds
``search_state``, what a resume needs). It is called after every round; a
return value of ``True`` stops the search.
"""

from __future__ import annotations

import os
import tempfile
import time

import joblib
import numpy as np

__all__ = ["CheckpointSaver", "DeadlineStopper", "DeltaYStopper", "load"]


class DeadlineStopper:
    """Stop before the search would run past ``total_time`` seconds.

    The clock starts when the stopper is created. After each round it stops
    the search when the time left is shorter than the longest round so far,
    so the deadline is kept rather than overrun by one round.

    Parameters
    ----------
    total_time : float
        Seconds the search may take.

    Examples
    --------
    >>> from skopt_est.callbacks import DeadlineStopper
    >>> DeadlineStopper(total_time=3600)(None)
    False
    """

    def __init__(self, total_time: float):
        self.total_time = total_time
        self._start = time.monotonic()
        self._last = self._start
        self.iter_time: list[float] = []

    def __call__(self, result) -> bool:
        now = time.monotonic()
        self.iter_time.append(now - self._last)
        self._last = now
        time_left = self.total_time - (now - self._start)
        return bool(time_left <= max(self.iter_time))


class DeltaYStopper:
    """Stop when the ``n_best`` best values are within ``delta`` of each other.

    Parameters
    ----------
    delta : float
        Largest spread of the ``n_best`` lowest objective values (the
        negated CV scores for ``BayesSearchCV``) that counts as converged.
    n_best : int, default=5
        How many of the best values must agree.

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import DeltaYStopper
    >>> DeltaYStopper(0.01, n_best=2)(OptimizeResult(func_vals=[0.5, 0.503, 0.9]))
    True
    """

    def __init__(self, delta: float, n_best: int = 5):
        self.delta = delta
        self.n_best = n_best

    def __call__(self, result) -> bool:
        values = np.asarray(result.func_vals, dtype=float)
        values = np.sort(values[np.isfinite(values)])
        if len(values) < self.n_best:
            return False
        return bool(values[self.n_best - 1] - values[0] <= self.delta)


class CheckpointSaver:
    """Save the result after every round, atomically, with joblib.

    The file is first written next to ``path`` and then renamed over it, so
    an interrupted search never leaves a truncated checkpoint. A
    ``BayesSearchCV`` checkpoint holds every finished evaluation; resume with
    ``BayesSearchCV.resume(path, X, y)`` (see its docstring).

    Parameters
    ----------
    checkpoint_path : str or path-like
        Where to write.
    **dump_options
        Passed to ``joblib.dump`` (for example ``compress=3``).

    Examples
    --------
    >>> import os, tempfile
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import CheckpointSaver, load
    >>> path = os.path.join(tempfile.mkdtemp(), "search.pkl")
    >>> CheckpointSaver(path)(OptimizeResult(fun=0.5))
    False
    >>> load(path).fun
    0.5
    """

    def __init__(self, checkpoint_path, **dump_options):
        self.checkpoint_path = checkpoint_path
        self.dump_options = dump_options

    def __call__(self, result) -> bool:
        path = os.fspath(self.checkpoint_path)
        directory = os.path.dirname(os.path.abspath(path))
        handle, tmp_path = tempfile.mkstemp(dir=directory, suffix=".tmp")
        os.close(handle)
        try:
            joblib.dump(result, tmp_path, **self.dump_options)
            os.replace(tmp_path, path)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise
        return False


def load(path):
    """Load a checkpoint written by ``CheckpointSaver``.

    Parameters
    ----------
    path : str or path-like
        The checkpoint file.

    Returns
    -------
    result : OptimizeResult
    """
    return joblib.load(path)
