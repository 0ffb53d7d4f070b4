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


def _series(result) -> tuple[np.ndarray, bool]:
    """``(values, is_score)``: scores are maximised, objective values minimised."""
    if _is_search(result):
        return _score_series(result), True
    if isinstance(result, Mapping) and "func_vals" in result:
        return np.asarray(result["func_vals"], dtype=float), False
    raise TypeError(
        f"Cannot plot a {type(result).__name__}; pass a fitted BayesSearchCV, a "
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
def plot_convergence(*results, labels=None, ax=None, yscale=None):
    """Plot the best value found against the number of evaluations.

    Parameters
    ----------
    *results : search, OptimizeResult or (str, result) tuple
        One or several results to draw as one line each: a fitted
        ``BayesSearchCV`` (or any fitted scikit-learn search), whose line is
        the best mean CV score so far, or an ``OptimizeResult`` (an entry of
        ``optimizer_results_``, ``Optimizer.get_result()``), whose line is the
        smallest objective value so far. A ``(label, result)`` tuple names the
        line. All results must be of the same kind.
    labels : list of str or None, default=None
        Legend labels, one per result (overrides tuple labels).
    ax : matplotlib Axes or None, default=None
        Where to draw; a new figure when None.
    yscale : str or None, default=None
        Passed to ``ax.set_yscale`` (for example ``'log'``).

    Returns
    -------
    ax : matplotlib Axes
        The axes with one line per result.

    Examples
    --------
    >>> from skopt_est.search import Optimizer
    >>> from skopt_est.plots import plot_convergence
    >>> opt = Optimizer([(-2.0, 2.0)], n_initial_points=3, random_state=0)
    >>> result = opt.run(lambda x: (x[0] - 0.5) ** 2, n_iter=5)
    >>> ax = plot_convergence(result)
    >>> len(ax.get_lines())
    1
    """
    plt = _pyplot()
    if not results:
        raise ValueError("plot_convergence needs at least one result.")
    if labels is not None and len(labels) != len(results):
        raise ValueError(
            f"labels has {len(labels)} entries for {len(results)} results; give "
            "one label per result."
        )
    named = []
    for i, result in enumerate(results):
        label = None
        if (
            isinstance(result, tuple)
            and len(result) == 2
            and isinstance(result[0], str)
        ):
            label, result = result
        if labels is not None:
            label = labels[i]
        values, is_score = _series(result)
        named.append((label, values, is_score))
    kinds = {is_score for _, _, is_score in named}
    if len(kinds) > 1:
        raise ValueError(
            "plot_convergence got both searches (scores, maximised) and "
            "OptimizeResults (objective values, minimised); plot one kind at a time."
        )
    is_score = kinds.pop()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for label, values, _ in named:
        n_calls = np.arange(1, len(values) + 1)
        ax.plot(
            n_calls,
            _best_so_far(values, is_score),
            marker="o",
            markersize=3,
            label=label,
        )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Convergence plot")
    ax.set_xlabel("Number of evaluations")
    ax.set_ylabel("Best CV score so far" if is_score else "min f(x) after n calls")
    ax.grid(True, alpha=0.3)
    if yscale is not None:
        ax.set_yscale(yscale)
    if any(label is not None for label, _, _ in named):
        ax.legend(loc="best")
    return ax


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


def _select_dimensions(space, dimensions) -> list[int]:
    names = space.names
    if dimensions is None:
        return list(range(len(names)))
    indices = []
    for name in dimensions:
        if name not in names:
            raise ValueError(
                f"dimensions: {name!r} is not in the search space {names}."
            )
        indices.append(names.index(name))
    if not indices:
        raise ValueError("dimensions=[] is empty; name at least one dimension.")
    return indices


def _label(name, i: int) -> str:
    return str(name) if name is not None else f"x{i}"


def _fit_surrogate(space, x_iters: list, values: np.ndarray, random_state):
    """A GP on the evaluated points in the model cube, as the optimizer uses.

    The optimizer's own GP is private to it, so a scikit-learn
    ``GaussianProcessRegressor`` with the same kernel family (Matérn-5/2 with
    one length scale per column, plus noise) is fitted here, on standardised
    values.
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    finite = np.isfinite(values)
    if finite.sum() < 2:
        raise ValueError(
            f"plot_objective needs at least 2 finite evaluations, got {finite.sum()}."
        )
    # failed evaluations are treated as the worst value seen, as the optimizer does
    y = np.where(finite, values, values[finite].min())
    kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
        length_scale=np.ones(space.n_columns), length_scale_bounds=(1e-2, 1e2), nu=2.5
    ) + WhiteKernel(1e-3, (1e-6, 1.0))
    gpr = GaussianProcessRegressor(
        kernel, normalize_y=True, n_restarts_optimizer=2, random_state=random_state
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gpr.fit(space.to_unit(x_iters), y)
    return gpr


def _partial_dependence(gpr, space, samples: np.ndarray, fixed: list) -> float:
    """Mean surrogate prediction over ``samples`` with ``fixed`` dimensions set.

    ``samples`` are model-cube rows; ``fixed`` is a list of
    ``(dimension index, value)``.
    """
    rows = samples.copy()
    slices = space.column_slices()
    for index, value in fixed:
        rows[:, slices[index]] = space.dimensions[index].to_unit([value])[0]
    return float(np.mean(gpr.predict(rows)))


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
):
    """Plot the surrogate's partial dependence on each dimension and each pair.

    A Gaussian process is fitted to the evaluated points in the unit cube (as
    the optimizer's surrogate is). The panel on the diagonal for a dimension
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
        Names of the dimensions to plot, in order; all when None.
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
        Seed of the random points and of the GP's restarts.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_dims, n_dims)
        Diagonal: 1-D partial dependence; below it: 2-D; above it: hidden.
    """
    from sklearn.utils import check_random_state

    plt = _pyplot()
    _check_positive("n_points", n_points)
    _check_positive("n_samples", n_samples)
    entry, is_score = _optimize_result(result, index)
    space = entry["space"]
    sign = -1.0 if is_score else 1.0
    values = sign * np.asarray(entry["func_vals"], dtype=float)
    x_iters = [list(x) for x in entry["x_iters"]]
    rng = check_random_state(random_state)
    gpr = _fit_surrogate(space, x_iters, values, rng)
    samples = space.to_unit(space.draw(n_samples, random_state=rng))
    chosen = _select_dimensions(space, dimensions)
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
                    _partial_dependence(gpr, space, samples, [(i, v)])
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
                            _partial_dependence(gpr, space, samples, [(i, vi), (j, vj)])
                            for vj in grid_j
                        ]
                        for vi in grid_values
                    ]
                )
                is_numeric = not (_is_categorical(dim_i) or _is_categorical(dim_j))
                if is_numeric and len(positions) > 1 and len(positions_j) > 1:
                    ax.contourf(
                        positions_j,
                        positions,
                        surface,
                        levels=levels,
                        cmap="viridis_r" if not is_score else "viridis",
                    )
                else:
                    ax.pcolormesh(
                        positions_j,
                        positions,
                        surface,
                        shading="nearest",
                        cmap="viridis_r" if not is_score else "viridis",
                    )
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
                ax.set_ylabel(_label(dim_i.name, i))
            ax.set_xlabel(_label(space.dimensions[j].name, j))
    fig.suptitle(f"Surrogate partial dependence ({what})")
    fig.tight_layout()
    return axes


def _is_categorical(dimension) -> bool:
    from .space import Categorical

    return isinstance(dimension, Categorical)


# ----------------------------------------------------------------- evaluations
def plot_evaluations(result, *, dimensions=None, bins=20, size=2.0, index=0):
    """Plot where the search evaluated: histograms and pairwise scatter plots.

    Parameters
    ----------
    result : BayesSearchCV or OptimizeResult
        As in ``plot_objective``.
    dimensions : list of str or None, default=None
        Names of the dimensions to plot, in order; all when None.
    bins : int, default=20
        Histogram bins of a numeric dimension.
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
    chosen = _select_dimensions(space, dimensions)
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
                ax.set_ylabel(_label(dim_i.name, i))
            ax.set_xlabel(_label(dim_j.name, j))
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
