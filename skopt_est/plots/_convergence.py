"""The convergence plot: best value so far against the number of evaluations."""

from __future__ import annotations

import numpy as np

from ._common import _pyplot
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
    if not results:
        raise ValueError("plot_convergence needs at least one result.")
    if len(results) == 1 and _is_labelled_list(results[0]):
        results = tuple(results[0])
    if labels is not None and len(labels) != len(results):
        raise ValueError(
            f"labels has {len(labels)} entries for {len(results)} results; give "
            "one label per result."
        )
    traces = []
    for i, result in enumerate(results):
        label = None
        if _is_labelled(result):
            label, result = result
        if labels is not None:
            label = labels[i]
        runs = result if isinstance(result, list) else [result]
        if not runs:
            raise ValueError("plot_convergence got an empty list of results.")
        series = [_series(run, in_list=isinstance(result, list)) for run in runs]
        traces.append((label, series, isinstance(result, list)))
    kinds = {is_score for _, series, _ in traces for _, is_score in series}
    if len(kinds) > 1:
        raise ValueError(
            "plot_convergence got both searches (scores, maximised) and "
            "OptimizeResults (objective values, minimised); plot one kind at a time."
        )
    is_score = kinds.pop()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for k, (label, series, is_runs) in enumerate(traces):
        color = f"C{k % 10}"
        best = [_best_so_far(values, is_score) for values, _ in series]
        if is_runs:
            for run in best:
                ax.plot(np.arange(1, len(run) + 1), run, color=color, alpha=0.2)
            width = max(len(run) for run in best)
            padded = np.full((len(best), width), np.nan)
            for row, run in zip(padded, best):
                row[: len(run)] = run
            with np.errstate(invalid="ignore"):
                mean = np.nanmean(np.where(np.isfinite(padded), padded, np.nan), 0)
            ax.plot(np.arange(1, width + 1), mean, color=color, lw=2, label=label)
        else:
            ax.plot(
                np.arange(1, len(best[0]) + 1),
                best[0],
                marker="o",
                markersize=3,
                color=color,
                label=label,
            )
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
