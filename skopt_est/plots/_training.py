"""Training plots: the loss and validation score of fitted estimators per epoch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._common import _pyplot


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
