"""Plots of searches and of training: convergence, surrogate, evaluations, curves.

matplotlib is an optional dependency (the ``plots`` extra): it is imported
inside the functions, and its absence raises an ``ImportError`` that names
``pip install skopt-est[plots]``.

A *result* is one of the things a search leaves behind:

* a fitted ``BayesSearchCV``: its ``optimizer_results_`` (the values are
  ``-score``, so the plots show the CV score, higher is better);
* any other fitted scikit-learn search with ``cv_results_`` (``GridSearchCV``,
  ``RandomizedSearchCV``): ``plot_convergence`` only;
* an ``OptimizeResult`` or dict with ``x_iters``, ``func_vals`` and ``space``,
  as ``Optimizer.get_result()`` and the entries of ``optimizer_results_``
  give: the values are plotted as they are, lower is better.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = [
    "plot_convergence",
    "plot_evaluations",
    "plot_learning_curves",
    "plot_objective",
]

_INSTALL_HINT = (
    "skopt_est.plots needs matplotlib; install it with: pip install skopt-est[plots]"
)


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc
    return plt


# --------------------------------------------------------------------- inputs
def _is_search(obj) -> bool:
    return hasattr(obj, "cv_results_") or hasattr(obj, "optimizer_results_")


def _score_series(search) -> np.ndarray:
    """Mean CV score of every evaluation of a fitted search, in order."""
    if hasattr(search, "optimizer_results_"):
        values = [
            np.asarray(r["func_vals"], dtype=float) for r in search.optimizer_results_
        ]
        return -np.concatenate(values) if values else np.empty(0)
    results = search.cv_results_
    refit = getattr(search, "refit", True)
    key = "mean_test_score"
    if key not in results:
        key = (
            f"mean_test_{refit}"
            if isinstance(refit, str)
            else next(k for k in results if k.startswith("mean_test_"))
        )
    return np.asarray(results[key], dtype=float)


def _series(result, in_list: bool = False) -> tuple[np.ndarray, bool]:
    """``(values, is_score)``: scores are maximised, objective values minimised."""
    if _is_search(result):
        return _score_series(result), True
    if isinstance(result, Mapping) and "func_vals" in result:
        return np.asarray(result["func_vals"], dtype=float), False
    what = f"list of {type(result).__name__}" if in_list else type(result).__name__
    raise TypeError(
        f"Cannot plot a {what}; pass a fitted BayesSearchCV, a "
        "fitted scikit-learn search, or an OptimizeResult with func_vals "
        "(an entry of optimizer_results_ or Optimizer.get_result())."
    )


def _optimize_result(result, index: int) -> tuple[Mapping, bool]:
    """``(OptimizeResult, is_score)`` for the surrogate and evaluation plots."""
    if hasattr(result, "optimizer_results_"):
        entries = result.optimizer_results_
        if not -len(entries) <= index < len(entries):
            raise ValueError(
                f"index={index} is out of range: the search has {len(entries)} "
                "search space(s)."
            )
        return entries[index], True
    if isinstance(result, Mapping) and {"x_iters", "func_vals", "space"} <= set(result):
        return result, False
    raise TypeError(
        f"Cannot plot a {type(result).__name__}; pass a fitted BayesSearchCV or an "
        "OptimizeResult with x_iters, func_vals and space (an entry of "
        "optimizer_results_ or Optimizer.get_result())."
    )


def _best_so_far(values: np.ndarray, is_score: bool) -> np.ndarray:
    # a failed evaluation (NaN) never counts as the best
    if is_score:
        return np.maximum.accumulate(np.where(np.isfinite(values), values, -np.inf))
    return np.minimum.accumulate(np.where(np.isfinite(values), values, np.inf))


# ----------------------------------------------------------------- convergence
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


# ---------------------------------------------------------- surrogate helpers
def _dimension_grid(dimension, n_points: int) -> tuple[list, np.ndarray]:
    """Values to evaluate along one dimension and their plot positions."""
    from .space import Categorical, Integer

    if isinstance(dimension, Categorical):
        return list(dimension.categories), np.arange(len(dimension.categories))
    if isinstance(dimension, Integer) and dimension.high - dimension.low < n_points:
        values = list(range(int(dimension.low), int(dimension.high) + 1))
        return values, np.asarray(values, dtype=float)
    values = dimension.from_design(np.linspace(0.0, 1.0, n_points))
    if isinstance(dimension, Integer):
        values = sorted(set(values))
    return values, np.asarray(values, dtype=float)


def _positions(dimension, values: Sequence) -> np.ndarray:
    from .space import Categorical

    if isinstance(dimension, Categorical):
        return np.asarray([dimension.index(v) for v in values], dtype=float)
    return np.asarray(values, dtype=float)


def _style_axis(axis_setter, ticks_setter, dimension) -> None:
    """Log scale for log priors, category names for categoricals."""
    from .space import Categorical

    if isinstance(dimension, Categorical):
        ticks_setter(
            range(len(dimension.categories)),
            [str(c) for c in dimension.categories],
            rotation=45,
            ha="right",
        )
    elif getattr(dimension, "prior", "uniform") == "log-uniform":
        axis_setter("log")


def _select_dimensions(space, dimensions, plot_dims=None) -> tuple[list[int], list]:
    """``(indices, labels)`` of the dimensions to draw.

    ``plot_dims`` (names or indices) selects, as in scikit-optimize. So does
    ``dimensions`` when it lists names of the space; a list that is not, one
    entry per drawn dimension, labels the axes, as scikit-optimize's
    ``dimensions`` does.
    """
    names = space.names
    label_list = None
    if dimensions is not None and plot_dims is None:
        if all(name in names for name in dimensions):
            plot_dims = dimensions
        else:
            label_list = list(dimensions)
    elif dimensions is not None:
        label_list = list(dimensions)
    if plot_dims is None:
        indices = list(range(len(names)))
    else:
        indices = []
        for item in plot_dims:
            if isinstance(item, numbers.Integral) and 0 <= item < len(names):
                indices.append(int(item))
            elif item in names:
                indices.append(names.index(item))
            else:
                raise ValueError(
                    f"dimensions: {item!r} is not in the search space {names}."
                )
        if not indices:
            raise ValueError("dimensions=[] is empty; name at least one dimension.")
    if label_list is not None and len(label_list) != len(indices):
        stranger = next((n for n in label_list if n not in names), label_list[0])
        raise ValueError(
            f"dimensions: {stranger!r} is not in the search space {names}; to "
            f"label the axes instead, give one label per plotted dimension "
            f"({len(indices)})."
        )
    labels = label_list or [_label(names[i], i) for i in indices]
    return indices, labels


def _label(name, i: int) -> str:
    return str(name) if name is not None else f"x{i}"


def _surrogate(entry: Mapping, random_state):
    """The surrogate the search fitted last, or one fitted the same way.

    A result from ``Optimizer``, ``gp_minimize`` or ``BayesSearchCV`` holds
    its fitted models; the latest is drawn when it saw every evaluation.
    Otherwise (a result saved without models, or a search that ended inside
    its initial design) the optimizer's own fit is run once on the
    evaluations, failed ones counted as the worst value.
    """
    from .search._gp import GaussianProcess
    from .search._optimizer import fit_surrogate

    space = entry["space"]
    func_vals = np.asarray(entry["func_vals"], dtype=float)
    finite = np.isfinite(func_vals)
    if finite.sum() < 2:
        raise ValueError(
            f"plot_objective needs at least 2 finite evaluations, got {finite.sum()}."
        )
    models = entry.get("models") or []
    if models and len(models[-1].X_train_) == len(func_vals):
        return models[-1]
    gp = GaussianProcess(space.n_columns, random_state)
    return fit_surrogate(gp, space, entry["x_iters"], func_vals)


def _partial_dependence(model, space, samples: np.ndarray, fixed: list) -> float:
    """Mean surrogate prediction (objective units) over ``samples`` with
    ``fixed`` dimensions set.

    ``samples`` are model-cube rows; ``fixed`` is a list of
    ``(dimension index, value)``.
    """
    rows = samples.copy()
    slices = space.column_slices()
    for index, value in fixed:
        rows[:, slices[index]] = space.dimensions[index].to_unit([value])[0]
    return float(np.mean(model.predict_objective(rows)))


# ------------------------------------------------------------------- objective
def plot_objective(
    result,
    *,
    dimensions=None,
    n_points=40,
    n_samples=250,
    levels=10,
    size=2.0,
    index=0,
    random_state=0,
    plot_dims=None,
    zscale="linear",
    show_points=True,
    cmap=None,
    sample_source="random",
    minimum="result",
    n_minimum_search=None,
):
    """Plot the surrogate's partial dependence on each dimension and each pair.

    The surrogate drawn is the Gaussian process the search itself fitted
    last (refitted the same way when the result holds none). The panel on
    the diagonal for a dimension
    shows the surrogate averaged over ``n_samples`` random points of the
    other dimensions, as that dimension varies; the panel below the diagonal
    for a pair does the same on a grid of both. Evaluated points are black
    dots, the best one a red star.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        A fitted ``BayesSearchCV`` (its search space ``index``; the plot
        shows the CV score) or an ``OptimizeResult`` with ``x_iters``,
        ``func_vals`` and ``space`` (the plot shows the objective).
    dimensions : list of str or None, default=None
        Names of the dimensions to plot, in order; all when None. A list
        that is not names of the space labels the plotted axes instead, as
        scikit-optimize's ``dimensions`` does.
    n_points : int, default=40
        Grid points per dimension.
    n_samples : int, default=250
        Random points averaged over for each value of the partial dependence.
    levels : int, default=10
        Contour levels of the 2-D panels.
    size : float, default=2.0
        Height and width of each panel in inches.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.
    random_state : int, RandomState instance or None, default=0
        Seed of the random points averaged over.
    plot_dims : list of str or int, or None, default=None
        Names or indices of the dimensions to plot (scikit-optimize's
        selection argument); all when None.
    zscale : {'linear', 'log'}, default='linear'
        Scale of the contour levels of the 2-D panels.
    show_points : bool, default=True
        Draw the evaluated points on the 2-D panels.
    cmap : str or None, default=None
        Colour map of the 2-D panels; ``'viridis_r'`` for an objective and
        ``'viridis'`` for a CV score (dark is good in both) when None.
    sample_source : 'random', default='random'
        Where the averaged-over points come from; only scikit-optimize's
        default is supported.
    minimum : 'result', default='result'
        Which point the red marks show: the best evaluated one.
    n_minimum_search : None, default=None
        Accepted for compatibility; unused with ``minimum='result'``.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: 1-D partial dependence; below it: 2-D; above it: hidden.
    """
    from sklearn.utils import check_random_state

    plt = _pyplot()
    _check_positive("n_points", n_points)
    _check_positive("n_samples", n_samples)
    for name, value, allowed in (
        ("zscale", zscale, ("linear", "log")),
        ("sample_source", sample_source, ("random",)),
        ("minimum", minimum, ("result",)),
    ):
        if value not in allowed:
            raise ValueError(
                f"{name}={value!r} is not supported; use one of {list(allowed)}."
            )
    entry, is_score = _optimize_result(result, index)
    space = entry["space"]
    sign = -1.0 if is_score else 1.0
    if cmap is None:
        cmap = "viridis" if is_score else "viridis_r"
    values = sign * np.asarray(entry["func_vals"], dtype=float)
    x_iters = [list(x) for x in entry["x_iters"]]
    rng = check_random_state(random_state)
    model = _surrogate(entry, rng)
    samples = space.to_unit(space.draw(n_samples, random_state=rng))
    chosen, labels = _select_dimensions(space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    best = int(np.nanargmax(values) if is_score else np.nanargmin(values))
    grids = {i: _dimension_grid(space.dimensions[i], n_points) for i in chosen}
    what = "CV score" if is_score else "objective"

    n = len(chosen)
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1, size * n + 1), squeeze=False)
    for row, i in enumerate(chosen):
        dim_i = space.dimensions[i]
        grid_values, positions = grids[i]
        for col, j in enumerate(chosen):
            ax = axes[row, col]
            if col > row:
                ax.set_visible(False)
                continue
            if col == row:
                dependence = [
                    sign * _partial_dependence(model, space, samples, [(i, v)])
                    for v in grid_values
                ]
                ax.plot(positions, dependence, color="C0")
                ax.axvline(
                    _positions(dim_i, [x_iters[best][i]])[0],
                    color="r",
                    linestyle="--",
                    linewidth=1,
                )
                ax.set_ylabel(f"Partial dependence\n({what})")
                _style_axis(ax.set_xscale, ax.set_xticks, dim_i)
            else:
                dim_j = space.dimensions[j]
                grid_j, positions_j = grids[j]
                surface = np.array(
                    [
                        [
                            sign
                            * _partial_dependence(
                                model, space, samples, [(i, vi), (j, vj)]
                            )
                            for vj in grid_j
                        ]
                        for vi in grid_values
                    ]
                )
                is_numeric = not (_is_categorical(dim_i) or _is_categorical(dim_j))
                if is_numeric and len(positions) > 1 and len(positions_j) > 1:
                    contour_levels = levels
                    if zscale == "log" and np.all(surface > 0):
                        contour_levels = np.geomspace(
                            surface.min(), surface.max(), levels + 1
                        )
                    ax.contourf(
                        positions_j,
                        positions,
                        surface,
                        levels=contour_levels,
                        cmap=cmap,
                    )
                else:
                    ax.pcolormesh(
                        positions_j, positions, surface, shading="nearest", cmap=cmap
                    )
                if show_points:
                    ax.scatter(
                        _positions(dim_j, [x[j] for x in x_iters]),
                        _positions(dim_i, [x[i] for x in x_iters]),
                        c="k",
                        s=8,
                        lw=0,
                    )
                ax.scatter(
                    _positions(dim_j, [x_iters[best][j]]),
                    _positions(dim_i, [x_iters[best][i]]),
                    c="r",
                    s=60,
                    marker="*",
                    lw=0,
                )
                _style_axis(ax.set_xscale, ax.set_xticks, dim_j)
                _style_axis(ax.set_yscale, ax.set_yticks, dim_i)
                ax.set_ylabel(label_of[i])
            ax.set_xlabel(label_of[j])
    fig.suptitle(f"Surrogate partial dependence ({what})")
    fig.tight_layout()
    return axes


def _is_categorical(dimension) -> bool:
    from .space import Categorical

    return isinstance(dimension, Categorical)


# ----------------------------------------------------------------- evaluations
def plot_evaluations(
    result, *, bins=20, dimensions=None, plot_dims=None, size=2.0, index=0
):
    """Plot where the search evaluated: histograms and pairwise scatter plots.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    bins : int, default=20
        Histogram bins of a numeric dimension.
    dimensions : list of str or None, default=None
        As in ``plot_objective``: names to plot, or axis labels.
    plot_dims : list of str or int, or None, default=None
        As in ``plot_objective``: names or indices to plot.
    size : float, default=2.0
        Height and width of each panel in inches.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: histogram of the evaluated values; below it: evaluated
        points coloured by order of evaluation, the best a red star; above
        it: hidden.
    """
    plt = _pyplot()
    _check_positive("bins", bins)
    entry, is_score = _optimize_result(result, index)
    space = entry["space"]
    x_iters = [list(x) for x in entry["x_iters"]]
    if not x_iters:
        raise ValueError("plot_evaluations needs at least one evaluation.")
    values = np.asarray(entry["func_vals"], dtype=float)
    finite = np.where(np.isfinite(values), values, np.inf)
    best = int(np.argmin(finite))  # func_vals are minimised in both kinds
    chosen, labels = _select_dimensions(space, dimensions, plot_dims)
    label_of = dict(zip(chosen, labels))
    order = np.arange(len(x_iters))

    n = len(chosen)
    fig, axes = plt.subplots(n, n, figsize=(size * n + 1, size * n + 1), squeeze=False)
    for row, i in enumerate(chosen):
        dim_i = space.dimensions[i]
        column_i = _positions(dim_i, [x[i] for x in x_iters])
        for col, j in enumerate(chosen):
            ax = axes[row, col]
            dim_j = space.dimensions[j]
            if col > row:
                ax.set_visible(False)
                continue
            if col == row:
                if _is_categorical(dim_i):
                    counts = np.bincount(
                        column_i.astype(int), minlength=len(dim_i.categories)
                    )
                    ax.bar(np.arange(len(counts)), counts, color="C0")
                else:
                    edges = _histogram_edges(dim_i, bins)
                    ax.hist(column_i, bins=edges, color="C0")
                ax.set_ylabel("Number of evaluations")
                _style_axis(ax.set_xscale, ax.set_xticks, dim_i)
            else:
                column_j = _positions(dim_j, [x[j] for x in x_iters])
                ax.scatter(column_j, column_i, c=order, cmap="viridis", s=12, lw=0)
                ax.scatter(
                    column_j[best], column_i[best], c="r", s=60, marker="*", lw=0
                )
                _style_axis(ax.set_xscale, ax.set_xticks, dim_j)
                _style_axis(ax.set_yscale, ax.set_yticks, dim_i)
                ax.set_ylabel(label_of[i])
            ax.set_xlabel(label_of[j])
    fig.suptitle("Evaluations" + (" (by CV score)" if is_score else ""))
    fig.tight_layout()
    return axes


def _histogram_edges(dimension, bins: int) -> np.ndarray:
    if getattr(dimension, "prior", "uniform") == "log-uniform":
        return np.geomspace(dimension.low, dimension.high, bins + 1)
    return np.linspace(dimension.low, dimension.high, bins + 1)


# ------------------------------------------------------------- learning curves
def _trained_estimator(estimator):
    """The estimator holding ``loss_curve_`` inside searches and pipelines."""
    for _ in range(10):
        if hasattr(estimator, "loss_curve_"):
            return estimator
        if hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        elif hasattr(estimator, "steps"):
            estimator = estimator.steps[-1][1]
        elif hasattr(estimator, "regressor_"):
            estimator = estimator.regressor_
        else:
            break
    raise ValueError(
        f"{type(estimator).__name__} has no loss_curve_; pass a fitted "
        "skopt_est estimator (or a search or pipeline holding one)."
    )


def plot_learning_curves(estimators, *, labels=None, axes=None):
    """Plot training loss and validation score per epoch of fitted estimators.

    Parameters
    ----------
    estimators : estimator, list of estimators or dict of str to estimator
        Fitted estimators with ``loss_curve_`` (and, with
        ``early_stopping=True``, ``validation_scores_``), or searches and
        pipelines that hold one. A dict names the lines by its keys.
    labels : list of str or None, default=None
        Legend labels, one per estimator.
    axes : matplotlib Axes, sequence of Axes or None, default=None
        Where to draw: one Axes for the loss, a second for the validation
        scores when any estimator has them. New axes when None.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        The loss panel, then the validation-score panel if there is one.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skopt_est import MLPRegressor
    >>> from skopt_est.plots import plot_learning_curves
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = MLPRegressor(max_iter=5, tol=0.0, random_state=0)
    >>> model = model.fit(X, (y - y.mean()) / y.std())
    >>> axes = plot_learning_curves(model)
    >>> len(axes[0].get_lines()[0].get_ydata())
    5
    """
    plt = _pyplot()
    if isinstance(estimators, Mapping):
        labels = list(estimators) if labels is None else labels
        estimators = list(estimators.values())
    elif not isinstance(estimators, Sequence):
        estimators = [estimators]
    estimators = [_trained_estimator(e) for e in estimators]
    if labels is not None and len(labels) != len(estimators):
        raise ValueError(
            f"labels has {len(labels)} entries for {len(estimators)} estimators."
        )
    has_validation = any(
        getattr(e, "validation_scores_", None) is not None for e in estimators
    )
    n_panels = 2 if has_validation else 1
    if axes is None:
        _, axes = plt.subplots(1, n_panels, figsize=(5 * n_panels, 3.5), squeeze=False)
        axes = axes[0]
    else:
        axes = np.atleast_1d(np.asarray(axes, dtype=object))
        if len(axes) < n_panels:
            raise ValueError(
                f"axes has {len(axes)} Axes; the validation scores need {n_panels}."
            )
    for k, estimator in enumerate(estimators):
        label = labels[k] if labels is not None else None
        loss = np.asarray(estimator.loss_curve_, dtype=float)
        axes[0].plot(np.arange(1, len(loss) + 1), loss, label=label, color=f"C{k % 10}")
        scores = getattr(estimator, "validation_scores_", None)
        if has_validation and scores is not None:
            scores = np.asarray(scores, dtype=float)
            axes[1].plot(
                np.arange(1, len(scores) + 1), scores, label=label, color=f"C{k % 10}"
            )
    axes[0].set_xlabel("Epoch")
    axes[0].set_ylabel("Training loss")
    axes[0].set_title("Training loss")
    if has_validation:
        axes[1].set_xlabel("Epoch")
        axes[1].set_ylabel("Validation score")
        axes[1].set_title("Validation score")
    for ax in axes[:n_panels]:
        ax.grid(True, alpha=0.3)
        if labels is not None:
            ax.legend(loc="best")
    return np.asarray(axes[:n_panels], dtype=object)


def _check_positive(name: str, value) -> None:
    if not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}={value!r} must be a positive integer.")
