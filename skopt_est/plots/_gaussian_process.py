"""The 1-D surrogate plot: the fitted model, its uncertainty and the acquisition."""

from __future__ import annotations

import numbers

import numpy as np

from ._axes import _dimension_grid, _positions
from ._common import _check_positive, _current_axes, _pyplot
from ._dependence import _Encoding
from ._results import _optimize_result, _surrogate

_Z95 = 1.959963984540054  # the standard normal's 97.5 % quantile
# scikit-optimize's acquisition defaults, for surrogates that are not skopt_est's GP
_FOREIGN_DEFAULTS = {"xi": 0.01, "kappa": 1.96}


def _acquisition_spec(entry) -> tuple[str, dict]:
    """The acquisition named in the result's ``specs`` (EI when none is, or
    for ``gp_hedge``, whose members change from round to round)."""
    args = (entry.get("specs") or {}).get("args") or {}
    name = args.get("acq_func") or "EI"
    if name == "gp_hedge":
        name = "EI"
    return str(name), dict(args.get("acq_func_kwargs") or {})


def _model_at(entry, n_calls: int, random_state):
    """``(model, n_seen)``: the surrogate after ``n_calls`` model fits (the
    last when negative) and how many evaluations it was fitted on."""
    n_evaluated = len(entry["x_iters"])
    if not isinstance(n_calls, numbers.Integral):
        raise ValueError(f"n_calls={n_calls!r} must be an integer.")
    if n_calls < 0:
        return _surrogate(entry, random_state), n_evaluated
    models = entry.get("models") or []
    if n_calls >= len(models):
        raise ValueError(
            f"n_calls={n_calls} asks for model {n_calls} of a result holding "
            f"{len(models)}; use -1 for the last one."
        )
    model = models[n_calls]
    train = getattr(model, "X_train_", None)
    n_seen = len(train) if train is not None else n_evaluated - len(models) + n_calls
    return model, min(n_seen, n_evaluated)


class _Curves:
    """The surrogate's median and 95 % band in the objective's units, and
    the acquisition the optimizer maximises, on the grid ``rows``.

    ``ours``: a skopt_est result, whose acquisition is the optimizer's own
    (``search._acquisition``) on the surrogate's ``(mu, sigma)``; otherwise
    scikit-optimize's definitions with its defaults.
    """

    def __init__(self, model, rows, y_seen, name, kwargs, ours: bool):
        self.label = f"{name}(x)"
        if not ours and name.endswith("ps") and hasattr(model, "estimators_"):
            model = model.estimators_[0]  # the objective's half of a per-second pair
            name = name[:-2]
        mu, sigma, back, y_best = _posterior(model, rows, y_seen)
        with np.errstate(over="ignore", invalid="ignore"):  # far tails: +-inf
            self.center = back(mu)
            self.lower = back(mu - _Z95 * sigma)
            self.upper = back(mu + _Z95 * sigma)
        if ours:
            from ..search._acquisition import acquisition_on

            value = acquisition_on(model, rows, name, kwargs, (mu, sigma, y_best))
            # EI and PI (per second too) are maximised as logarithms; drawn
            # as themselves
            logarithm = name in ("EI", "PI", "EIps", "PIps")
            self.acquisition = np.exp(value) if logarithm else value
        else:
            self.acquisition = _scikit_optimize_acquisition(
                mu, sigma, y_best, name, kwargs
            )


def _posterior(model, rows, y_seen):
    """``(mu, sigma, back, y_best)``: the surrogate's mean and std in the
    units it works in, the map back to the objective's, and the best value
    in those units."""
    if hasattr(model, "predict_objective") and hasattr(model, "y_train_"):
        # skopt_est's surrogate protocol: the GP (Gaussian in warped,
        # standardised units; a monotone map keeps the band's ends its 2.5 %
        # and 97.5 % quantiles) or a wrapped regressor (the objective's units)
        mu, sigma = model.predict(rows)
        warp = getattr(model, "warp_", None)
        back = warp.inverse_transform if warp is not None else np.asarray
        return mu, sigma, back, float(np.min(model.y_train_))
    mu, sigma = model.predict(rows, return_std=True)
    finite = y_seen[np.isfinite(y_seen)]
    y_best = float(np.min(finite)) if finite.size else 0.0
    return np.ravel(mu), np.maximum(np.ravel(sigma), 1e-12), np.asarray, y_best


def _scikit_optimize_acquisition(mu, sigma, y_best, name, kwargs) -> np.ndarray:
    """EI, PI or LCB (negated, to maximise) in the objective's units."""
    from scipy.stats import norm

    options = {**_FOREIGN_DEFAULTS, **kwargs}
    if name == "LCB":
        return options["kappa"] * sigma - mu
    gap = y_best - options["xi"] - mu
    if name == "PI":
        return norm.cdf(gap / sigma)
    return gap * norm.cdf(gap / sigma) + sigma * norm.pdf(gap / sigma)


def _title(entry) -> str:
    x, fun = entry.get("x"), entry.get("fun")
    shown = x[0] if x is not None else None
    shown = f"{shown:.4f}" if isinstance(shown, numbers.Real) else str(shown)
    return f"x* = {shown}, f(x*) = {fun:.4f}"


def plot_gaussian_process(
    res,
    ax=None,
    n_calls=-1,
    objective=None,
    n_points=1000,
    noise_level=0,
    show_legend=True,
    show_title=True,
    show_acq_func=False,
    show_next_point=False,
    show_observations=True,
    show_mu=True,
    *,
    index=0,
    random_state=0,
):
    """Plot the surrogate of a search over one dimension.

    Draws the surrogate the search fitted (its median and 95 % band, in the
    objective's units), the evaluations it was fitted on and, optionally,
    the true objective and the acquisition function the optimizer
    maximises, with its best point on the grid.

    Parameters
    ----------
    res : OptimizeResult or BayesSearchCV
        A result over a one-dimensional space: ``gp_minimize``,
        ``Optimizer.get_result()``, an entry of ``optimizer_results_`` (or
        the fitted ``BayesSearchCV``, whose values are ``-score``), or
        scikit-optimize's.
    ax : matplotlib Axes or None, default=None
        Where to draw; pyplot's current Axes when None.
    n_calls : int, default=-1
        Which model to draw: the one fitted after ``n_calls + 1`` model fits
        (``res.models[n_calls]``), with the evaluations it saw; the last
        when negative.
    objective : callable or None, default=None
        The true objective, called as ``objective([x])``; drawn dashed.
    n_points : int, default=1000
        Grid points along the dimension.
    noise_level : float, default=0
        Standard deviation of the objective's noise: a 95 % band around it.
    show_legend : bool, default=True
        Draw the legend.
    show_title : bool, default=True
        Title with the best point and value.
    show_acq_func : bool, default=False
        Draw the acquisition function (on a second y axis when anything else
        is drawn). For skopt_est's GP it is the function the optimizer
        maximises, in the GP's standardised units (EI and PI drawn as
        themselves, the optimizer works with their logarithms).
    show_next_point : bool, default=False
        Mark the acquisition's maximum on the grid.
    show_observations : bool, default=True
        Draw the evaluations the model was fitted on.
    show_mu : bool, default=True
        Draw the surrogate's median and band.
    index : int, default=0
        Which search space of a ``BayesSearchCV`` with several.
    random_state : int, RandomState instance or None, default=0
        Seeds the optimizer's own fit for a skopt_est result saved without
        models.

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on (the first y axis).
    """
    plt = _pyplot()
    _check_positive("n_points", n_points)
    entry, _ = _optimize_result(res, index)
    space = entry["space"]
    if len(space.dimensions) != 1:
        raise ValueError(
            f"plot_gaussian_process draws a space of one dimension; this one has "
            f"{len(space.dimensions)}. Use plot_objective for more."
        )
    dimension = space.dimensions[0]
    values, x = _dimension_grid(dimension, n_points)
    rows = _Encoding(space).points([[v] for v in values])
    model, n_seen = _model_at(entry, n_calls, random_state)
    y_seen = np.asarray(entry["func_vals"], dtype=float)[:n_seen]
    x_seen = _positions(dimension, [p[0] for p in entry["x_iters"][:n_seen]])
    ax = _current_axes(plt, ax)
    if objective is not None:
        fx = np.array([float(objective([v])) for v in values])
        ax.plot(x, fx, "r--", label="f(x) without noise")
        band = _Z95 * noise_level
        ax.fill_between(x, fx - band, fx + band, color="r", alpha=0.2, lw=0)
    curves = None
    if show_mu or show_acq_func:
        ours = hasattr(space, "to_unit")
        curves = _Curves(model, rows, y_seen, *_acquisition_spec(entry), ours)
    if show_mu:
        ax.plot(x, curves.center, "g--", label="surrogate median")
        ax.fill_between(x, curves.lower, curves.upper, color="g", alpha=0.2, lw=0)
    if show_observations:
        ax.plot(x_seen, y_seen, "r.", markersize=8, label="evaluations")
    acq_ax = ax
    if show_acq_func:
        shared = show_mu or show_observations or objective is not None
        acq_ax = ax.twinx() if shared else ax
        acq_ax.plot(x, curves.acquisition, "b", label=curves.label)
        acq_ax.set_ylabel(curves.label)
        if not shared:
            acq_ax.fill_between(x, 0, curves.acquisition, color="b", alpha=0.3)
        if show_next_point:
            best = int(np.argmax(curves.acquisition))
            acq_ax.plot(
                x[best],
                curves.acquisition[best],
                "bo",
                markersize=6,
                label="next point",
            )
    if show_title:
        ax.set_title(_title(entry))
    ax.grid(True)
    ax.set_xlabel("x")
    if acq_ax is not ax or not show_acq_func:
        ax.set_ylabel("f(x)")
    if show_legend:
        handles, names = ax.get_legend_handles_labels()
        if acq_ax is not ax:
            more_handles, more_names = acq_ax.get_legend_handles_labels()
            handles, names = handles + more_handles, names + more_names
        acq_ax.legend(handles, names, loc="best", prop={"size": 6}, numpoints=1)
    return ax
