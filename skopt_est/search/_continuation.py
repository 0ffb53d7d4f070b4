"""Advancing one fold model of one candidate to the next rung, and scoring it.

How a fold model reaches ``n_resources`` depends on what the estimator can do
(``continuation_mode`` picks it once per search):

- ``'partial_fit'`` (``resource='max_iter'`` and a ``partial_fit`` method,
  as ours and scikit-learn's MLP and SGD models have): the model is built
  with ``max_iter=max_resources``, so that a schedule defined over
  ``max_iter`` spans the whole budget, and each rung adds one
  ``partial_fit`` call per unit of resource. A candidate at rung ``r`` holds
  exactly the first ``r`` epochs of a ``max_resources`` fit (optimizer
  moments, schedule, shuffling stream all continue), so the top rung costs
  one full training. ``partial_fit`` applies no stop rule: fold models are
  built with ``early_stopping=False`` and ``tol`` is not watched; both act
  in the final refit only.
- ``'pipeline_partial_fit'`` (a ``Pipeline`` whose last step's ``max_iter``
  is the resource, whose last step has ``partial_fit`` and whose other
  steps are transformers that refit the same: ``_pipelines``): the other
  steps are fitted on the fold's rows at every rung, as ``Pipeline.fit``
  fits them, and the last step continues on their output as in
  ``'partial_fit'``.
- ``'warm_start'`` (another integer resource, such as ``n_estimators``, on
  an estimator with a ``warm_start`` parameter): ``warm_start=True`` and the
  resource set to the rung's total, so forests and boosting add members.
- ``'refit'``: a fresh fit at every rung with the resource set (or, for
  ``'n_samples'``, on that many rows of the training fold).
"""

from __future__ import annotations

import numbers
import time
import warnings

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.utils import resample

from .._compat import safe_indexing
from ._pipelines import (
    fit_transform_steps,
    last_step,
    new_fold_pipeline,
    pipeline_continues,
)

MODES = ("partial_fit", "pipeline_partial_fit", "warm_start", "refit")
# the modes that continue by partial_fit (a classifier's gets ``classes``)
PARTIAL_FIT_MODES = ("partial_fit", "pipeline_partial_fit")


def continuation_mode(estimator, resource: str, fit_params: dict | None = None) -> str:
    """The cheapest way ``estimator`` reaches a larger ``resource``."""
    if resource == "n_samples":
        return "refit"
    if resource == "max_iter" and hasattr(estimator, "partial_fit"):
        return "partial_fit"
    if pipeline_continues(estimator, resource, fit_params or {}):
        return "pipeline_partial_fit"
    if resource != "max_iter" and "warm_start" in estimator.get_params():
        return "warm_start"
    return "refit"


class FoldTask:
    """Everything a fold job needs that is the same for all jobs of a search."""

    def __init__(self, *, resource, mode, max_resources, scorer, error_score,
                 return_train_score, fit_params, classes):
        self.resource = resource
        self.mode = mode
        self.max_resources = max_resources
        self.scorer = scorer
        self.error_score = error_score
        self.return_train_score = return_train_score
        self.fit_params = fit_params
        self.classes = classes


def advance_fold(task: FoldTask, estimator, model, params: dict, X, y,
                 split: tuple, done: int, n_resources: int, seed: int):
    """Bring one fold model from ``done`` to ``n_resources`` and score it.

    ``model`` is the fold model of the previous rung (None at the first rung,
    or when the mode refits). Returns ``(out, model)``: ``out`` in the format
    of scikit-learn's ``_fit_and_score`` (what ``_format_results`` reads) and
    the fitted model, or None when the fit failed.
    """
    train, test = split
    if task.resource == "n_samples":
        train = _subsample(train, y, n_resources, seed, is_classifier(estimator))
    X_train, y_train = _rows(X, y, train)
    X_test, y_test = _rows(X, y, test)
    start = time.perf_counter()
    try:
        model = _advance(task, estimator, model, params, X_train, y_train, done,
                         n_resources)
        fit_error = None
    except Exception as exc:  # a failed fit scores error_score
        if task.error_score == "raise":
            raise
        model, fit_error = None, f"{type(exc).__name__}: {exc}"
    fit_time = time.perf_counter() - start
    out = {"fit_error": fit_error, "fit_time": fit_time,
           "n_test_samples": len(test)}
    start = time.perf_counter()
    if model is None:
        out["test_scores"] = task.error_score
        if task.return_train_score:
            out["train_scores"] = task.error_score
    else:
        out["test_scores"] = _score(task, model, X_test, y_test)
        if task.return_train_score:
            out["train_scores"] = _score(task, model, X_train, y_train)
    out["score_time"] = time.perf_counter() - start
    return out, model


def _advance(task, estimator, model, params, X, y, done, n_resources):
    fit_params = task.fit_params
    if task.mode == "pipeline_partial_fit":
        return _advance_pipeline(task, estimator, model, params, X, y, done,
                                 n_resources)
    if task.mode == "partial_fit":
        if model is None:
            model, done = _new_partial_fit_model(task, estimator, params), 0
        if not hasattr(model, "partial_fit"):  # an MLP's solver='lbfgs'
            return _fresh_fit(task, estimator, params, X, y, n_resources)
        extra = {"classes": task.classes} if task.classes is not None else {}
        return partial_fit_epochs(model, n_resources - done, X, y,
                                  **extra, **fit_params)
    if task.mode == "warm_start" and model is not None:
        model.set_params(**{task.resource: n_resources})
        return model.fit(X, y, **fit_params)
    return _fresh_fit(task, estimator, params, X, y, n_resources,
                      warm_start=task.mode == "warm_start")


def _new_partial_fit_model(task, estimator, params):
    """The fold model that ``partial_fit`` grows: its schedule spans
    ``max_resources``, and it holds no validation data out (ours refuse
    ``early_stopping`` in ``partial_fit``): the rungs do the stopping, the
    final refit honours it."""
    model = clone(estimator).set_params(**{**params, task.resource: task.max_resources})
    if model.get_params().get("early_stopping"):
        model.set_params(early_stopping=False)
    return model


def _fresh_fit(task, estimator, params, X, y, n_resources, warm_start=False):
    """A fit from scratch at ``n_resources`` (rows for ``'n_samples'``: the
    caller took them)."""
    model = clone(estimator).set_params(**params)
    if warm_start:
        model.set_params(warm_start=True)
    if task.resource != "n_samples":
        model.set_params(**{task.resource: n_resources})
    return model.fit(X, y, **task.fit_params)


def _advance_pipeline(task, estimator, model, params, X, y, done, n_resources):
    """The earlier steps fitted again (the same, ``_pipelines``), the last
    continued on their output; no fit parameters (they refit). A setting
    whose last step has no ``partial_fit`` (an MLP's ``solver='lbfgs'``)
    refits at every rung."""
    if model is None:
        model, done = new_fold_pipeline(estimator, params, task.max_resources), 0
    if not hasattr(last_step(model)[1], "partial_fit"):
        return _fresh_fit(task, estimator, params, X, y, n_resources)
    X_last = fit_transform_steps(model, X, y)
    extra = {"classes": task.classes} if task.classes is not None else {}
    partial_fit_epochs(last_step(model)[1], n_resources - done, X_last, y, **extra)
    return model


def partial_fit_epochs(model, n_epochs: int, X, y, **kwargs):
    """``n_epochs`` calls of ``model.partial_fit(X, y, **kwargs)``.

    Our estimators do them in one call (``_partial_fit_epochs``: the data
    validated and coded once, the epochs trained in one engine run where
    that trains them bit for bit as one-epoch runs); any other estimator
    is called once per epoch.
    """
    if n_epochs < 1:
        return model
    in_one_call = getattr(model, "_partial_fit_epochs", None)
    # (an MLP's partial_fit exists for the stochastic solvers only)
    if in_one_call is not None and hasattr(model, "partial_fit"):
        return in_one_call(n_epochs, X, y, **kwargs)
    for _ in range(n_epochs):
        model.partial_fit(X, y, **kwargs)
    return model


def _score(task, model, X, y):
    try:
        scores = task.scorer(model, X, y)
    except Exception:
        if task.error_score == "raise":
            raise
        warnings.warn("Scoring failed; the score is error_score.", UserWarning,
                      stacklevel=2)
        return task.error_score
    if isinstance(scores, dict):
        return {name: _as_float(value) for name, value in scores.items()}
    return _as_float(scores)


def _as_float(value):
    return float(value) if isinstance(value, numbers.Number) else value


def _rows(X, y, indices):
    X_part = safe_indexing(X, indices)
    y_part = None if y is None else safe_indexing(y, indices)
    return X_part, y_part


def _subsample(train, y, n_resources, seed, classifier):
    """``n_resources`` rows of the training fold, stratified for a classifier."""
    if n_resources >= len(train):
        return train
    stratify = None
    if classifier and y is not None:
        labels = np.asarray(safe_indexing(y, train))
        if labels.ndim == 1 and n_resources >= len(np.unique(labels)):
            stratify = labels
    return resample(train, replace=False, n_samples=n_resources,
                    stratify=stratify, random_state=seed)
