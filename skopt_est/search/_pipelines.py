"""Continuing a Pipeline whose last step trains epoch by epoch.

A ``Pipeline`` has no ``partial_fit``, so HyperbandSearchCV used to refit it
at every rung. Where the resource is its last step's ``max_iter``
(``'<step>__max_iter'``), that step has ``partial_fit``, and every earlier
step is a transformer that gives the same output when fitted again on the
same rows, a fold model goes on instead (mode ``'pipeline_partial_fit'``):
at each rung the earlier steps are fitted on the fold's training rows as
``Pipeline.fit`` fits them (``fit_transform``), and the last step continues
by ``partial_fit`` on their output, exactly as a bare estimator does in the
``'partial_fit'`` mode (``_continuation``). The last step of a fold model at
rung ``r`` is then the first ``r`` epochs of a ``max_resources`` fit on the
transformed rows, as a bare estimator's is on the raw ones.

Anything else refits: a ``Pipeline`` subclass (imbalanced-learn's runs
samplers in ``fit``), a step that resamples (``fit_resample``) or does not
transform, a step with ``random_state=None`` anywhere in its parameters (a
refit could give other features), fit parameters (their routing is the
pipeline's), or a resource other than the last step's ``max_iter``.
"""

from __future__ import annotations

from sklearn.base import clone
from sklearn.pipeline import Pipeline

MODE = "pipeline_partial_fit"


def pipeline_continues(estimator, resource: str, fit_params: dict) -> bool:
    """Whether fold models of ``estimator`` can continue (module doc)."""
    if type(estimator) is not Pipeline or fit_params:
        return False
    name, last = estimator.steps[-1]
    if resource != f"{name}__max_iter" or not hasattr(last, "partial_fit"):
        return False
    return all(_refits_the_same(step) for _, step in estimator.steps[:-1])


def _refits_the_same(step) -> bool:
    """A transformer whose refit on the same rows transforms them the same."""
    if step is None or (isinstance(step, str) and step == "passthrough"):
        return True
    if hasattr(step, "fit_resample") or not hasattr(step, "transform"):
        return False
    params = step.get_params(deep=True)
    return not any(
        key.rsplit("__", 1)[-1] == "random_state" and value is None
        for key, value in params.items()
    )


def last_step(pipeline: Pipeline):
    """``(name, estimator)`` of the last step."""
    return pipeline.steps[-1]


def new_fold_pipeline(estimator: Pipeline, params: dict, max_resources: int):
    """A fold model: ``params`` set, the last step built for
    ``max_resources`` epochs, without early stopping (as ``_continuation``
    builds a bare estimator)."""
    model = clone(estimator).set_params(**params)
    name, last = last_step(model)
    model.set_params(**{f"{name}__max_iter": max_resources})
    if last.get_params().get("early_stopping"):
        last.set_params(early_stopping=False)
    return model


def fit_transform_steps(model: Pipeline, X, y):
    """Fit every step but the last on ``X``, ``y`` as ``Pipeline.fit``
    does (each step's ``fit_transform``, in place); the last step's input."""
    Xt = X
    for _, step in model.steps[:-1]:
        if step is None or (isinstance(step, str) and step == "passthrough"):
            continue
        if hasattr(step, "fit_transform"):
            Xt = step.fit_transform(Xt, y)
        else:
            Xt = step.fit(Xt, y).transform(Xt)
    return Xt
