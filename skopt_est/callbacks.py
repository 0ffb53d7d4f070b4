"""Callbacks for ``BayesSearchCV.fit``, ``gp_minimize`` and ``Optimizer`` loops.

A callback is any callable taking the current ``OptimizeResult`` (``x``,
``fun``, ``x_iters``, ``func_vals``, ``space``; ``BayesSearchCV`` adds
``search_state``, what a resume needs). It is called after every round; a
return value of ``True`` stops the search. The names are scikit-optimize's
``skopt.callbacks`` ones; ``EarlyStopper`` is the base of the stoppers and
``check_callback`` turns the ``callback`` argument into a list.
"""

from __future__ import annotations

import numbers
import os
import tempfile
import time

import numpy as np

from .utils import dump, load

__all__ = [
    "CheckpointSaver",
    "DeadlineStopper",
    "DeltaXStopper",
    "DeltaYStopper",
    "EarlyStopper",
    "HollowIterationsStopper",
    "StdStopper",
    "ThresholdStopper",
    "TimerCallback",
    "VerboseCallback",
    "check_callback",
    "dump",
    "load",
]


def check_callback(callback) -> list:
    """The ``callback`` argument of a search as a list of callables.

    Parameters
    ----------
    callback : callable, list or tuple of callables, or None
        What the user passed.

    Returns
    -------
    callbacks : list
        ``[]`` for None, ``[callback]`` for one callable, else a list of
        the given callables.

    Raises
    ------
    ValueError
        If ``callback`` is none of these (scikit-optimize's message).

    Examples
    --------
    >>> from skopt_est.callbacks import check_callback
    >>> check_callback(None), check_callback(print)
    ([], [<built-in function print>])
    """
    if callback is None:
        return []
    if callable(callback):
        return [callback]
    if isinstance(callback, list | tuple) and all(callable(c) for c in callback):
        return list(callback)
    raise ValueError(
        f"callback should be either a callable or a list of callables; got "
        f"{callback!r}."
    )


class EarlyStopper:
    """Base of the callbacks that decide whether the search goes on.

    A subclass implements ``_criterion(result)``, returning True to stop;
    calling the stopper returns that decision.

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import EarlyStopper
    >>> class TenCalls(EarlyStopper):
    ...     def _criterion(self, result):
    ...         return len(result.x_iters) >= 10
    >>> TenCalls()(OptimizeResult(x_iters=[[0.0]] * 10))
    True
    """

    def __call__(self, result) -> bool:
        """Whether to stop after this result.

        Parameters
        ----------
        result : OptimizeResult
            The result so far.

        Returns
        -------
        should_stop : bool
        """
        return bool(self._criterion(result))

    def _criterion(self, result) -> bool:
        raise NotImplementedError(
            f"{type(self).__name__} must implement _criterion(result)."
        )


class DeadlineStopper(EarlyStopper):
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

    def _criterion(self, result) -> bool:
        now = time.monotonic()
        self.iter_time.append(now - self._last)
        self._last = now
        time_left = self.total_time - (now - self._start)
        return bool(time_left <= max(self.iter_time))


class DeltaYStopper(EarlyStopper):
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

    def _criterion(self, result) -> bool:
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
    ``BayesSearchCV.resume(path, X, y)`` (see its docstring). A
    ``gp_minimize`` run resumes with ``gp_minimize(..., **saver.load())``.

    Parameters
    ----------
    checkpoint_path : str or path-like
        Where to write.
    **dump_options
        Passed to ``skopt_est.utils.dump`` (for example ``compress=3`` or
        ``store_objective=False``).

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

    def __call__(self, res) -> bool:
        """Save ``res``; never stops the search.

        Parameters
        ----------
        res : OptimizeResult
            The result so far.

        Returns
        -------
        should_stop : bool
            Always False.
        """
        path = os.fspath(self.checkpoint_path)
        directory = os.path.dirname(os.path.abspath(path))
        # the temporary file keeps the extension: joblib compresses by it
        handle, tmp_path = tempfile.mkstemp(
            dir=directory, prefix=".tmp-", suffix=os.path.basename(path)
        )
        os.close(handle)
        try:
            dump(res, tmp_path, **self.dump_options)
            os.replace(tmp_path, path)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise
        return False

    def load(self) -> dict:
        """The saved evaluations, as keyword arguments of ``gp_minimize``.

        Returns
        -------
        previous : dict
            ``{'x0': x_iters, 'y0': func_vals}`` of the checkpoint, or ``{}``
            when there is no file yet. The surrogate is refitted from them
            (scikit-optimize also passes its last fitted model as
            ``base_estimator``).
        """
        if not os.path.exists(self.checkpoint_path):
            return {}
        result = load(self.checkpoint_path)
        return {"x0": list(result.x_iters), "y0": list(result.func_vals)}


class DeltaXStopper(EarlyStopper):
    """Stop when the last two evaluated points are less than ``delta`` apart.

    The distance sums, over the dimensions, ``|a - b|`` for numbers and 1 for
    two different categories.

    Parameters
    ----------
    delta : float
        Distance below which the search counts as converged.

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import DeltaXStopper
    >>> DeltaXStopper(0.1)(OptimizeResult(x_iters=[[0.5, "a"], [0.55, "a"]]))
    True
    """

    def __init__(self, delta: float):
        self.delta = delta

    def _criterion(self, result) -> bool:
        if len(result.x_iters) < 2:
            return False
        return _distance(result.x_iters[-2], result.x_iters[-1]) < self.delta


def _distance(a, b) -> float:
    total = 0.0
    for u, v in zip(a, b):
        is_number = all(
            isinstance(w, numbers.Real) and not isinstance(w, bool) for w in (u, v)
        )
        total += abs(float(u) - float(v)) if is_number else float(u != v)
    return total


class ThresholdStopper(EarlyStopper):
    """Stop once an objective value at or below ``threshold`` is found.

    Parameters
    ----------
    threshold : float
        Good-enough objective value (for ``BayesSearchCV``, ``-score``).

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import ThresholdStopper
    >>> ThresholdStopper(0.1)(OptimizeResult(fun=0.05))
    True
    """

    def __init__(self, threshold: float):
        self.threshold = threshold

    def _criterion(self, result) -> bool:
        fun = result.get("fun")
        return fun is not None and bool(np.isfinite(fun)) and fun <= self.threshold


class HollowIterationsStopper(EarlyStopper):
    """Stop when the last ``n_iterations`` improved the best value by at
    most ``threshold``.

    Parameters
    ----------
    n_iterations : int
        How many of the latest evaluations are judged.
    threshold : float, default=0
        Improvement of the best value over them that still counts as none.

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import HollowIterationsStopper
    >>> stopper = HollowIterationsStopper(n_iterations=2)
    >>> stopper(OptimizeResult(func_vals=[3.0, 1.0, 1.5, 1.2]))
    True
    """

    def __init__(self, n_iterations: int, threshold: float = 0):
        self.n_iterations = n_iterations
        self.threshold = threshold

    def _criterion(self, result) -> bool:
        values = np.asarray(result.func_vals, dtype=float)
        values = np.where(np.isfinite(values), values, np.inf)
        if len(values) <= self.n_iterations:
            return False
        best_before = np.min(values[: -self.n_iterations])
        improvement = best_before - np.min(values)
        return bool(improvement <= self.threshold)


class StdStopper(EarlyStopper):
    """Stop once a surrogate was fitted to objective values whose standard
    deviation is at most ``threshold``.

    The values of a converged search crowd around the optimum, so their
    spread falls (Makarova et al., "Automatic termination for hyperparameter
    optimization", 2022). The spread is read from each model of
    ``result.models``: ``y_train_std_`` (scikit-optimize's and
    ``skopt_est.learning``'s ``GaussianProcessRegressor``), or for
    skopt_est's own GP the scale of its output warp.

    Parameters
    ----------
    threshold : float
        Largest standard deviation that counts as converged.
    log_interval : int, default=10
        Print the smallest and largest spread every ``log_interval``
        models.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import StdStopper
    >>> models = [SimpleNamespace(y_train_std_=s) for s in (2.0, 0.05)]
    >>> StdStopper(0.1)(OptimizeResult(models=models))
    True
    """

    def __init__(self, threshold: float, log_interval: int = 10):
        self.threshold = threshold
        self.log_interval = log_interval

    def _criterion(self, result) -> bool:
        spreads = [_target_std(model) for model in result.get("models") or []]
        spreads = [s for s in spreads if s is not None]
        if not spreads:
            return False
        if len(spreads) % self.log_interval == 0:
            print(
                f"StdStopper: {len(spreads)} models, target std from "
                f"{min(spreads):.6g} to {max(spreads):.6g}"
            )
        return min(spreads) <= self.threshold


def _target_std(model) -> float | None:
    """Standard deviation of the objective values ``model`` was fitted to."""
    std = getattr(model, "y_train_std_", None)
    if std is None:
        std = getattr(getattr(model, "warp_", None), "spread_", None)
    return None if std is None else float(std)


class TimerCallback:
    """Record the seconds each round took in ``iter_time``.

    The first round is timed from the callback's creation.

    Attributes
    ----------
    iter_time : list of float
        ``iter_time[i]`` is the duration of round ``i + 1``.

    Examples
    --------
    >>> from skopt_est.callbacks import TimerCallback
    >>> timer = TimerCallback()
    >>> timer(None), len(timer.iter_time)
    (False, 1)
    """

    def __init__(self):
        self._last = time.monotonic()
        self.iter_time: list[float] = []

    def __call__(self, res) -> bool:
        """Record the time since the previous call; never stops the search.

        Parameters
        ----------
        res : OptimizeResult
            Unused.

        Returns
        -------
        should_stop : bool
            Always False.
        """
        now = time.monotonic()
        self.iter_time.append(now - self._last)
        self._last = now
        return False


class VerboseCallback:
    """Print one line per evaluation: its number, value, time and the best so far.

    ``gp_minimize(..., verbose=True)`` adds one.

    Parameters
    ----------
    n_total : int
        Number of evaluations planned (shown as ``i/n_total``).
    n_init : int, default=0
        How many of the first evaluations are the user's ``x0``.
    n_random : int, default=0
        How many after those come from the initial design.

    Attributes
    ----------
    iter_no : int
        Evaluations reported so far.

    Examples
    --------
    >>> from scipy.optimize import OptimizeResult
    >>> from skopt_est.callbacks import VerboseCallback
    >>> callback = VerboseCallback(n_total=5)
    >>> callback(OptimizeResult(func_vals=[0.5], fun=0.5))  # doctest: +ELLIPSIS
    Iteration 1/5 (model-based): f(x) = 0.5, best 0.5, ... s
    False
    """

    def __init__(self, n_total: int, n_init: int = 0, n_random: int = 0):
        self.n_total = n_total
        self.n_init = n_init
        self.n_random = n_random
        self.iter_no = 0
        self._last = time.monotonic()

    def __call__(self, res) -> bool:
        """Print the new evaluations of ``res``; never stops the search.

        Parameters
        ----------
        res : OptimizeResult
            The result so far.

        Returns
        -------
        should_stop : bool
            Always False.
        """
        now = time.monotonic()
        elapsed, self._last = now - self._last, now
        values = list(res.func_vals)
        for value in values[self.iter_no :]:
            self.iter_no += 1
            if self.iter_no <= self.n_init:
                kind = "user point"
            elif self.iter_no <= self.n_init + self.n_random:
                kind = "initial design"
            else:
                kind = "model-based"
            print(
                f"Iteration {self.iter_no}/{self.n_total} ({kind}): "
                f"f(x) = {value:.6g}, best {res.fun:.6g}, {elapsed:.4f} s"
            )
        return False
