"""The convergence plot: best value so far against the number of evaluations."""

from __future__ import annotations

import numpy as np

from ._common import _current_axes, _pyplot
from ._results import _best_so_far, _series


def plot_convergence(*results, labels=None, ax=None, yscale=None, true_minimum=None):
    """Plot the best value found against the number of evaluations.

    Parameters
    ----------
    *results : search, OptimizeResult, list or (str, result) tuple
        What to draw, one entry per line: a fitted ``BayesSearchCV`` (or any
        fitted scikit-learn search), whose line is the best mean CV score so
        far; an ``OptimizeResult`` (from ``gp_minimize``, ``dummy_minimize``,
        ``Optimizer.get_result()`` or ``optimizer_results_``), whose line is
        the smallest objective value so far; a list of results, runs of one
        method, drawn faintly with their mean in bold; or a list of
        ``(label, result)`` pairs, one line each. A ``(label, result)``
        tuple (the result may be a list of runs) names the line. All results
        must be of the same kind.
    labels : list of str or None, default=None
        Legend labels, one per entry of ``results`` (overrides tuple labels).
    ax : matplotlib Axes or None, default=None
        Where to draw; a new figure when None.
    yscale : str or None, default=None
        Passed to ``ax.set_yscale`` (for example ``'log'``).
    true_minimum : float or None, default=None
        Draws a dashed horizontal line at this value.

    Returns
    -------
    ax : matplotlib Axes
        The axes with one line per result (plus one faint line per run of a
        list, and the ``true_minimum`` line).

    Examples
    --------
    >>> from skopt_est import gp_minimize
    >>> from skopt_est.plots import plot_convergence
    >>> res = gp_minimize(lambda x: (x[0] - 0.5) ** 2, [(-2.0, 2.0)],
    ...                   n_calls=5, n_initial_points=3, random_state=0)
    >>> ax = plot_convergence(res)
    >>> len(ax.get_lines())
    1
    """
    plt = _pyplot()
    traces, is_score = _traces(results, labels, "plot_convergence")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for k, (label, series, is_runs) in enumerate(traces):
        best = [_best_so_far(values, is_score) for values in series]
        _draw_trace(ax, best, is_runs, label, f"C{k % 10}")
    if true_minimum is not None:
        ax.axhline(true_minimum, linestyle="--", color="r", lw=1, label="True minimum")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Convergence plot")
    ax.set_xlabel("Number of evaluations")
    ax.set_ylabel("Best CV score so far" if is_score else "min f(x) after n calls")
    ax.grid(True, alpha=0.3)
    if yscale is not None:
        ax.set_yscale(yscale)
    if true_minimum is not None or any(label is not None for label, _, _ in traces):
        ax.legend(loc="best")
    return ax


def _is_labelled(result) -> bool:
    return isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], str)


def _is_labelled_list(result) -> bool:
    return (
        isinstance(result, list)
        and bool(result)
        and all(_is_labelled(item) for item in result)
    )


def _traces(results, labels, caller: str):
    """``([(label, [values per run], is_runs)], is_score)`` of the positional
    arguments of the convergence and regret plots."""
    if not results:
        raise ValueError(f"{caller} needs at least one result.")
    if len(results) == 1 and _is_labelled_list(results[0]):
        results = tuple(results[0])
    if labels is not None and len(labels) != len(results):
        raise ValueError(
            f"labels has {len(labels)} entries for {len(results)} results; give "
            "one label per result."
        )
    traces, kinds = [], set()
    for i, result in enumerate(results):
        label = None
        if _is_labelled(result):
            label, result = result
        if labels is not None:
            label = labels[i]
        is_runs = isinstance(result, list)
        runs = result if is_runs else [result]
        if not runs:
            raise ValueError(f"{caller} got an empty list of results.")
        series = [_series(run, in_list=is_runs) for run in runs]
        kinds |= {is_score for _, is_score in series}
        traces.append((label, [values for values, _ in series], is_runs))
    if len(kinds) > 1:
        raise ValueError(
            f"{caller} got both searches (scores, maximised) and "
            "OptimizeResults (objective values, minimised); plot one kind at a time."
        )
    return traces, kinds.pop()


def _draw_trace(ax, curves: list, is_runs: bool, label, color) -> None:
    """One curve, or for runs of one method each run faintly and their
    mean (over the runs that reached each step) in bold."""
    if not is_runs:
        steps = np.arange(1, len(curves[0]) + 1)
        ax.plot(steps, curves[0], marker="o", markersize=3, color=color, label=label)
        return
    for run in curves:
        ax.plot(np.arange(1, len(run) + 1), run, color=color, alpha=0.2)
    width = max(len(run) for run in curves)
    padded = np.full((len(curves), width), np.nan)
    for row, run in zip(padded, curves):
        row[: len(run)] = run
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(np.where(np.isfinite(padded), padded, np.nan), 0)
    ax.plot(np.arange(1, width + 1), mean, color=color, lw=2, label=label)


def _regret(values: np.ndarray, is_score: bool, optimum: float) -> np.ndarray:
    """Cumulative regret: the running sum of each evaluation's distance to
    the optimum; a failed evaluation counts as the run's worst value."""
    finite = np.isfinite(values)
    if is_score:
        worst = np.min(values[finite]) if finite.any() else optimum
        gaps = optimum - np.where(finite, values, worst)
    else:
        worst = np.max(values[finite]) if finite.any() else optimum
        gaps = np.where(finite, values, worst) - optimum
    return np.cumsum(gaps)


def plot_regret(*args, ax=None, true_minimum=None, yscale=None, labels=None):
    """Plot the cumulative regret against the number of evaluations.

    The regret of an evaluation is its distance to the optimum; the curve
    is its running sum, so a method that keeps sampling near the optimum
    flattens out.

    Parameters
    ----------
    *args : search, OptimizeResult, list or (str, result) tuple
        What to draw, one entry per line, as in ``plot_convergence``: a
        result, a list of runs of one method (drawn faintly, with their
        mean in bold) or a ``(label, result)`` tuple.
    ax : matplotlib Axes or None, default=None
        Where to draw; pyplot's current Axes when None.
    true_minimum : float or None, default=None
        The optimum: the lowest objective value (for searches, the highest
        CV score); the best value any of the results reached when None.
    yscale : str or None, default=None
        Passed to ``ax.set_yscale`` (for example ``'log'``).
    labels : list of str or None, default=None
        Legend labels, one per entry of ``args`` (overrides tuple labels).

    Returns
    -------
    ax : matplotlib Axes
        The axes with one line per result (plus one faint line per run of a
        list).
    """
    plt = _pyplot()
    traces, is_score = _traces(args, labels, "plot_regret")
    optimum = true_minimum
    if optimum is None:
        every = np.concatenate([v for _, series, _ in traces for v in series])
        every = every[np.isfinite(every)]
        if not every.size:
            raise ValueError("plot_regret needs at least one finite evaluation.")
        optimum = float(every.max() if is_score else every.min())
    ax = _current_axes(plt, ax)
    for k, (label, series, is_runs) in enumerate(traces):
        curves = [_regret(values, is_score, optimum) for values in series]
        _draw_trace(ax, curves, is_runs, label, f"C{k % 10}")
    ax.set_title("Cumulative regret")
    ax.set_xlabel("Number of evaluations")
    ax.set_ylabel(
        "Sum of (optimum - CV score)" if is_score else "Sum of (f(x) - optimum)"
    )
    ax.grid(True, alpha=0.3)
    if yscale is not None:
        ax.set_yscale(yscale)
    if any(label is not None for label, _, _ in traces):
        ax.legend(loc="best")
    return ax
