"""Multi-fidelity plot: each candidate's CV score against its resource, rung by rung."""

from __future__ import annotations

import numpy as np

from ._common import _pyplot


def _rung_rows(search) -> dict:
    results = getattr(search, "cv_results_", None)
    if not isinstance(results, dict) or "n_resources" not in results:
        raise ValueError(
            f"{type(search).__name__} has no cv_results_ with an 'n_resources' "
            "column; pass a fitted HyperbandSearchCV or HalvingRandomSearchCV."
        )
    return results


def _score_key(results: dict, metric) -> str:
    key = f"mean_test_{metric}" if metric is not None else "mean_test_score"
    if key not in results:
        key = next(k for k in results if k.startswith("mean_test_"))
    return key


def plot_rungs(search, *, metric=None, ax=None):
    """Plot every candidate's mean CV score against its resource, rung by rung.

    One line per candidate joins its scores at the rungs it reached, so the
    settings a bracket stopped early end low on the resource axis; the best
    setting's line is drawn in black. Brackets take one colour each.

    Parameters
    ----------
    search : fitted HyperbandSearchCV or HalvingRandomSearchCV
        A search whose ``cv_results_`` has ``n_resources`` (and, for
        Hyperband, ``bracket``) columns.
    metric : str or None, default=None
        Which ``mean_test_<metric>`` to draw with several metrics; the
        single or first one when None.
    ax : matplotlib Axes or None, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on, resource on a log scale.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import SGDRegressor
    >>> from skopt_est import HyperbandSearchCV
    >>> from skopt_est.plots import plot_rungs
    >>> X, y = load_diabetes(return_X_y=True)
    >>> search = HyperbandSearchCV(
    ...     SGDRegressor(max_iter=9, tol=None), {"alpha": (1e-5, 1.0, "log-uniform")},
    ...     min_resources=1, cv=2, random_state=0,
    ... ).fit(X, y)
    >>> ax = plot_rungs(search)
    >>> len(ax.get_lines()) >= search.n_candidates_[0]
    True
    """
    results = _rung_rows(search)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    key = _score_key(results, metric)
    scores = np.asarray(results[key], dtype=float)
    resources = np.asarray(results["n_resources"])
    brackets = np.asarray(results.get("bracket", np.zeros(len(scores), dtype=int)))
    # a candidate is its parameters without the resource, within its bracket
    resource = getattr(search, "resource", None)
    labels = [
        repr(sorted((k, v) for k, v in p.items() if k != resource))
        for p in results["params"]
    ]
    colours = plt.get_cmap("tab10")
    best = getattr(search, "best_index_", None)
    best_label = None if best is None else (labels[best], brackets[best])
    drawn = set()
    for bracket in np.unique(brackets):
        rows = np.flatnonzero(brackets == bracket)
        for candidate in dict.fromkeys(labels[i] for i in rows):
            path = [i for i in rows if labels[i] == candidate]
            is_best = (candidate, bracket) == best_label
            ax.plot(
                resources[path],
                scores[path],
                marker="o",
                markersize=3,
                color="black" if is_best else colours(int(bracket) % 10),
                alpha=1.0 if is_best else 0.45,
                linewidth=2 if is_best else 1,
                zorder=3 if is_best else 2,
                label=None if bracket in drawn else f"bracket {bracket}",
            )
            drawn.add(bracket)
    ax.set_xscale("log")
    ax.set_xlabel(f"resource ({resource or 'n_resources'})")
    ax.set_ylabel(key.removeprefix("mean_test_").replace("_", " ") + " (mean CV)")
    ax.set_title("Candidates over rungs")
    ax.legend(fontsize="small")
    return ax
