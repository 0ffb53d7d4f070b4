"""HyperbandSearchCV: Hyperband's brackets with GP-proposed candidates and
fold models that continue from rung to rung.

The rung arithmetic is in ``_rungs``, the proposals in ``_fidelity``, the
fold jobs (continue, refit, score) in ``_continuation``; this module runs the
brackets and fills scikit-learn's ``cv_results_``, ``best_*`` and refit.
It owns ``fit`` instead of going through ``BaseSearchCV.fit``: scikit-learn's
``evaluate_candidates`` fits a fresh clone per candidate and fold, and a
promoted candidate must go on from its own fold models.
"""

from __future__ import annotations

import copy
import numbers
import os
import time

import numpy as np
from joblib import Parallel, delayed
from scipy.optimize import OptimizeResult
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, indexable

from .._compat import BaseSearchCV, Interval, StrOptions
from ..callbacks import load
from ..space import Space
from ._bayes import BayesSearchCV, _rank
from ._continuation import (
    PARTIAL_FIT_MODES,
    FoldTask,
    advance_fold,
    continuation_mode,
)
from ._fidelity import RungOptimizers
from ._rungs import hyperband_brackets

__all__ = ["HyperbandSearchCV"]


class HyperbandSearchCV(BaseSearchCV):
    """Hyperband over a resource, with candidates proposed by a Gaussian process.

    Runs Hyperband's brackets of successive halving: each bracket starts many
    settings on a small resource (epochs with ``resource='max_iter'``) and
    keeps the best ``1 / factor`` of them at each rung, multiplying their
    resource by ``factor`` up to ``max_resources``. New settings come from the
    GP ``Optimizer`` of the largest rung resource that has seen enough
    results (BOHB's rule, with our GP in place of TPE). A promoted setting
    goes on from its fold models of the previous rung (``partial_fit`` or
    ``warm_start``) instead of training again, so one that reaches the top
    costs one full training per fold. Search spaces, ``scoring``, ``cv``,
    ``refit``, ``error_score``, ``optimizer_kwargs``, callbacks and
    checkpoints are those of ``BayesSearchCV``; the resource parameters,
    the ``iter`` and ``n_resources`` columns of ``cv_results_`` and the
    ``n_resources_``, ``n_candidates_`` and ``n_iterations_`` attributes
    are those of scikit-learn's ``HalvingRandomSearchCV``.

    Parameters
    ----------
    estimator : estimator object
        Any scikit-learn compatible estimator.
    search_spaces : dict or list of one dict
        Parameter name -> ``Real``, ``Integer``, ``Categorical`` or a
        shorthand, as in ``BayesSearchCV``. Must not contain ``resource``.
    resource : str, default='max_iter'
        The parameter that grows from rung to rung, an integer parameter of
        the estimator, or ``'n_samples'`` (rows of the training fold).
    min_resources : int or 'smallest', default='smallest'
        Resource of the first rung of the most exploratory bracket.
        ``'smallest'`` is 1, or for ``'n_samples'`` ``2 * n_splits`` (times
        the number of classes for a classifier), as scikit-learn's.
    max_resources : int or 'auto', default='auto'
        Resource of every bracket's last rung, and of the refit. ``'auto'``
        is the estimator's own value of ``resource``, or the number of
        samples for ``'n_samples'``.
    factor : int or float, default=3
        Resource multiplier and elimination rate of each rung, in
        `(1, inf)`.
    n_brackets : int or None, default=None
        Brackets to run. None runs each of Hyperband's
        ``1 + floor(log_factor(max_resources / min_resources))`` brackets
        once, the most exploratory first; a larger number cycles through
        them again, with a surrogate that knows what came before.
    optimizer_kwargs : dict or None, default=None
        As in ``BayesSearchCV``; used for the optimizer of every rung
        resource. ``n_initial_points`` (10) is also the number of results
        a resource needs before its surrogate proposes settings.
    random_fraction : float in [0, 1], default=0.0
        Once a surrogate proposes, the chance that each new setting is drawn
        from the space's prior instead (BOHB's rule; BOHB uses 1/3). The
        draws keep exploring where a surrogate fitted on few or on
        low-fidelity results would narrow the search too early.
    continuation : {'auto', 'refit'}, default='auto'
        ``'auto'`` continues fold models where the estimator can
        (``partial_fit`` for ``resource='max_iter'``; for a ``Pipeline``
        with ``resource='<last step>__max_iter'``, the last step by
        ``partial_fit`` after the other steps, fitted again on the fold;
        ``warm_start`` for another integer resource) and refits them
        otherwise, as it refits a setting whose model has no
        ``partial_fit`` (an MLP with ``solver='lbfgs'``) at every rung;
        ``'refit'`` always trains afresh, as scikit-learn's halving search
        does.
    scoring : str, callable, list, tuple, dict or None, default=None
        As in ``GridSearchCV``.
    n_jobs : int or None, default=None
        Parallel fold jobs within a rung, through joblib.
    refit : bool, str or callable, default=True
        Refit the best setting at ``max_resources`` on the whole data. With
        several metrics, the metric (a string) ranking the settings.
    cv : int, cross-validation generator or iterable, default=5
        As in ``GridSearchCV``; the folds are drawn once per ``fit``.
    verbose : int, default=0
        ``>= 1`` prints one line per rung.
    pre_dispatch : int or str, default='2*n_jobs'
        As in ``GridSearchCV``.
    random_state : int, RandomState instance or None, default=None
        Seeds the optimizers, the prior draws and the ``'n_samples'``
        subsampling.
    error_score : 'raise' or numeric, default=np.nan
        Score of a failed fit. A setting with a failed fold is never
        promoted, its optimizer sees the worst score, and the search goes on.
    return_train_score : bool, default=False
        As in ``GridSearchCV``.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        One row per setting and rung, with ``iter`` (the rung's index in
        ``n_resources_``), ``n_resources`` and ``bracket`` columns. The
        ``params`` hold the resource at that rung (not for ``'n_samples'``).
    best_estimator_ : estimator
        The best setting refitted on the whole data at ``max_resources``.
    best_score_ : float
        Mean cross-validated score of the best setting at ``max_resources``.
    best_params_ : dict
        Parameters of the best setting, the resource included.
    best_index_ : int
        Row of the best setting in ``cv_results_``.
    n_resources_ : list of int
        Resource of each rung, bracket after bracket.
    n_candidates_ : list of int
        Settings evaluated at each rung.
    n_iterations_ : int
        Rungs run, ``len(n_resources_)``.
    brackets_ : list of Bracket
        Each bracket's planned ``n_resources`` and ``n_candidates``.
    min_resources_ : int
        The resolved ``min_resources``.
    max_resources_ : int
        The resolved ``max_resources``.
    continuation_ : str
        ``'partial_fit'``, ``'pipeline_partial_fit'``, ``'warm_start'`` or
        ``'refit'``: how fold models reached the next rung. A ``Pipeline``
        continues only where refitting its other steps on the same rows
        gives the same output (no sampler, no ``random_state=None``) and
        no fit parameters are passed; else it refits.
    optimizer_results_ : list of OptimizeResult
        The result of the optimizer of the largest resource told.
    scorer_ : function or dict
        Scorer(s) used on held-out data.
    n_splits_ : int
        Number of cross-validation splits.
    refit_time_ : float
        Seconds spent refitting the best model.
    multimetric_ : bool
        Whether several metrics were used.

    See Also
    --------
    BayesSearchCV : Every candidate at full resource; measured ahead of
        this search when the whole budget can be spent (user guide, "When
        to choose which").
    sklearn.model_selection.HalvingRandomSearchCV : Random candidates, one
        bracket, every rung trained afresh.

    Notes
    -----
    Fold models live from one rung to the next only for the settings still
    in the bracket: at most ``n_candidates_`` of the bracket's first rung
    times ``n_splits_``, one factor fewer after each rung, none between
    brackets. With ``partial_fit``, a learning-rate schedule defined over
    ``max_iter`` (``'linear'``, ``'cosine'``, ...) runs over
    ``max_resources``: a setting at rung ``r`` has had the first ``r``
    epochs of that schedule, and the top rung's model equals a fit of
    ``max_resources`` epochs (bit for bit on the torch mini-batch path over
    dense data; where our linear models train in the compiled kernel, with
    an L1 penalty, or on sparse data, it is the model of as many
    ``partial_fit`` calls, which restart the shuffle order or the L1
    accumulators as scikit-learn's SGD's do, or round the first gradient
    of each call otherwise). ``tol``, ``n_iter_no_change`` and
    ``early_stopping`` do not stop fold models (the rungs do); the refit
    of ``best_estimator_`` honours them.

    To resume, pass ``CheckpointSaver(path)`` as a callback (it writes after
    every rung, survivors' fold models included) and later call
    ``resume(path, X, y)`` on a search built with the same arguments.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skopt_est import HyperbandSearchCV, MLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> search = HyperbandSearchCV(
    ...     MLPClassifier(hidden_layer_sizes=(16,), max_iter=9, random_state=0),
    ...     {"learning_rate_init": (1e-4, 1e-1, "log-uniform")},
    ...     min_resources=1, factor=3, cv=3, random_state=0,
    ... ).fit(X / 16, y)
    >>> search.n_resources_
    [1, 3, 9, 3, 9, 9]
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list],
        "resource": [str],
        "min_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"smallest"}),
        ],
        "max_resources": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "factor": [Interval(numbers.Real, 1, None, closed="neither")],
        "n_brackets": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "optimizer_kwargs": [dict, None],
        "random_fraction": [Interval(numbers.Real, 0, 1, closed="both")],
        "continuation": [StrOptions({"auto", "refit"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        search_spaces,
        *,
        resource="max_iter",
        min_resources="smallest",
        max_resources="auto",
        factor=3,
        n_brackets=None,
        optimizer_kwargs=None,
        random_fraction=0.0,
        continuation="auto",
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=5,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
    ):
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.search_spaces = search_spaces
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.factor = factor
        self.n_brackets = n_brackets
        self.optimizer_kwargs = optimizer_kwargs
        self.random_fraction = random_fraction
        self.continuation = continuation
        self.random_state = random_state

    # BayesSearchCV's checks of the space against the estimator, and its
    # reading of optimizer_kwargs: same arguments, same errors
    _check_estimator_accepts = BayesSearchCV._check_estimator_accepts
    _check_parameter_names = BayesSearchCV._check_parameter_names
    _check_categories = BayesSearchCV._check_categories
    _optimizer_params = BayesSearchCV._optimizer_params

    # ------------------------------------------------------------- checks
    def _check_space(self) -> Space:
        spaces = self.search_spaces
        if isinstance(spaces, list):
            if len(spaces) != 1 or not isinstance(spaces[0], dict):
                raise ValueError(
                    "HyperbandSearchCV searches one space: give search_spaces as "
                    "a dict (or a list of one dict); run one search per "
                    "conditional space."
                )
            spaces = spaces[0]
        if not spaces:
            raise ValueError("search_spaces is empty; give at least one parameter.")
        if self.resource in spaces:
            raise ValueError(
                f"search_spaces must not contain the resource {self.resource!r}; "
                "it is set by the rungs (min_resources to max_resources)."
            )
        names = sorted(spaces)
        space = Space([spaces[n] for n in names], names=names)
        self._check_estimator_accepts(space)
        return space

    def _check_resources(self, X, n_splits: int, y) -> tuple[int, int]:
        params = self.estimator.get_params()
        if self.resource != "n_samples" and self.resource not in params:
            raise ValueError(
                f"resource={self.resource!r} is neither 'n_samples' nor a "
                f"parameter of {type(self.estimator).__name__}."
            )
        if self.max_resources != "auto":
            max_resources = self.max_resources
        elif self.resource == "n_samples":
            max_resources = X.shape[0] if hasattr(X, "shape") else len(X)
        else:
            max_resources = params[self.resource]
            if not isinstance(max_resources, numbers.Integral) or max_resources < 1:
                raise ValueError(
                    f"max_resources='auto' takes the estimator's "
                    f"{self.resource}={max_resources!r}, which is not a positive "
                    "integer; give max_resources."
                )
        min_resources = self.min_resources
        if min_resources == "smallest":
            min_resources = 1
            if self.resource == "n_samples":
                n_classes = (
                    len(np.unique(y)) if is_classifier(self.estimator) else 1
                )
                min_resources = 2 * n_splits * n_classes
        if min_resources > max_resources:
            raise ValueError(
                f"min_resources={min_resources} is greater than max_resources="
                f"{max_resources}."
            )
        return int(min_resources), int(max_resources)

    # ---------------------------------------------------------------- fit
    def fit(self, X, y=None, *, groups=None, callback=None, **fit_params):
        """Run the brackets and refit the best setting at ``max_resources``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group-aware ``cv``.
        callback : callable, list of callables or None, default=None
            Called with an ``OptimizeResult`` after every rung; returning
            ``True`` stops the search.
        **fit_params : dict
            Passed to the estimator's ``fit`` (or ``partial_fit``).

        Returns
        -------
        self : HyperbandSearchCV
            The fitted search.
        """
        resume = self.__dict__.pop("_resume_state", None)
        self._validate_params()
        space = self._check_space()
        callbacks = (
            [] if callback is None else [callback] if callable(callback)
            else list(callback)
        )
        scorers, refit_metric = self._get_scorers()
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, groups))
        self.n_splits_ = len(splits)
        self.min_resources_, self.max_resources_ = self._check_resources(
            X, self.n_splits_, y
        )
        self.brackets_ = hyperband_brackets(
            self.min_resources_, self.max_resources_, self.factor, self.n_brackets
        )
        self.continuation_ = (
            "refit" if self.continuation == "refit"
            else continuation_mode(self.estimator, self.resource, fit_params)
        )
        classes = None
        if self.continuation_ in PARTIAL_FIT_MODES and is_classifier(self.estimator):
            classes = np.unique(y)
        task = FoldTask(
            resource=self.resource, mode=self.continuation_,
            max_resources=self.max_resources_, scorer=scorers,
            error_score=self.error_score,
            return_train_score=self.return_train_score,
            fit_params=fit_params, classes=classes,
        )
        run = _Run(self, space, splits, task, callbacks, resume)
        run.run(X, y)
        results = run.results()
        self._finish(results, refit_metric, X, y, fit_params, scorers)
        return self

    def _finish(self, results, refit_metric, X, y, fit_params, scorers) -> None:
        self.multimetric_ = isinstance(results["_first_scores"], dict)
        del results["_first_scores"]
        if self.multimetric_ and callable(self.scoring):
            self._check_refit_for_multimetric(
                [k[len("mean_test_"):] for k in results if k.startswith("mean_test_")]
            )
            refit_metric = self.refit
        if self.refit or not self.multimetric_:
            self.best_index_ = self._select_best_index(
                self.refit, refit_metric, results
            )
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][
                    self.best_index_
                ]
            self.best_params_ = dict(results["params"][self.best_index_])
        if self.refit:
            params = dict(self.best_params_)
            if self.resource != "n_samples":
                params[self.resource] = self.max_resources_
            self.best_estimator_ = clone(self.estimator).set_params(**params)
            start = time.perf_counter()
            if y is None:
                self.best_estimator_.fit(X, **fit_params)
            else:
                self.best_estimator_.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
        self.scorer_ = getattr(scorers, "_scorers", scorers)
        self.cv_results_ = results

    @staticmethod
    def _select_best_index(refit, refit_metric, results):
        """Best row among those at the largest resource (``callable(refit)``:
        its choice over all rows)."""
        if callable(refit):
            return int(refit(results))
        key = f"mean_test_{refit_metric}"
        top = np.flatnonzero(results["n_resources"] == np.max(results["n_resources"]))
        scores = np.asarray(results[key], dtype=float)[top]
        if np.isnan(scores).all():
            return int(top[0])
        return int(top[np.nanargmax(scores)])

    def resume(
        self, checkpoint, X, y=None, *, groups=None, callback=None, **fit_params
    ):
        """Continue a search saved by ``CheckpointSaver`` without redoing a rung.

        Build the search with the same arguments as the interrupted one. Every
        finished rung appears in ``cv_results_`` and is told to the optimizers;
        the interrupted bracket goes on from its survivors' saved fold models.

        Parameters
        ----------
        checkpoint : str, path-like or OptimizeResult
            A ``CheckpointSaver`` file or the result it saved.
        X : array-like of shape (n_samples, n_features)
            The training data of the interrupted search.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
default=None
            Its target.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group-aware ``cv``, as in ``fit``.
        callback : callable, list of callables or None, default=None
            As in ``fit``.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : HyperbandSearchCV
            The fitted search.
        """
        if isinstance(checkpoint, str | os.PathLike):
            checkpoint = load(checkpoint)
        state = None
        if isinstance(checkpoint, dict):
            state = checkpoint.get("hyperband_state")
        if state is None:
            raise ValueError(
                "checkpoint holds no Hyperband state; pass a file written by "
                "CheckpointSaver during HyperbandSearchCV.fit."
            )
        self._resume_state = state
        return self.fit(X, y, groups=groups, callback=callback, **fit_params)


class _Run:
    """One ``fit``: the brackets, their rungs, and what they recorded."""

    def __init__(self, search, space, splits, task, callbacks, resume):
        self.search = search
        self.space = space
        self.splits = splits
        self.task = task
        self.callbacks = callbacks
        rng = check_random_state(search.random_state)
        self.rng = rng
        self.optimizers = RungOptimizers(
            space, search._optimizer_params(), rng, search.random_fraction
        )
        self.seed = rng.randint(2**31 - 1)
        self.rows: dict[str, list] = {
            "params": [], "out": [], "iter": [], "n_resources": [], "bracket": [],
        }
        self.n_resources_: list[int] = []
        self.n_candidates_: list[int] = []
        self.position = (0, 0)  # (bracket, rung) to run next
        self.survivors: list[dict] | None = None
        if resume is not None:
            self._restore(resume)

    # --------------------------------------------------------- resume
    def _restore(self, state: dict) -> None:
        if state["space"] != repr(self.space):
            raise ValueError(
                "The checkpoint was written by a search over different "
                "search_spaces; build HyperbandSearchCV with the same ones."
            )
        if state["n_splits"] != len(self.splits):
            raise ValueError(
                f"The checkpoint used {state['n_splits']} CV splits, cv gives "
                f"{len(self.splits)}; use the same cv."
            )
        if state["brackets"] != self.search.brackets_:
            raise ValueError(
                "The checkpoint's brackets differ from this search's; use the "
                "same resource, min_resources, max_resources, factor and "
                "n_brackets."
            )
        state = copy.deepcopy(state)  # the fold models go on in place
        self.optimizers.restore(state["history"])
        self.rng.set_state(state["rng_state"])
        self.seed = state["seed"]
        self.rows = {key: list(value) for key, value in state["rows"].items()}
        self.n_resources_ = list(state["n_resources_"])
        self.n_candidates_ = list(state["n_candidates_"])
        self.position = state["position"]
        self.survivors = state["survivors"]

    def _state(self) -> dict:
        return {
            "space": repr(self.space),
            "n_splits": len(self.splits),
            "brackets": self.search.brackets_,
            "history": self.optimizers.history(),
            "rng_state": self.rng.get_state(),
            "seed": self.seed,
            "rows": {key: list(value) for key, value in self.rows.items()},
            "n_resources_": list(self.n_resources_),
            "n_candidates_": list(self.n_candidates_),
            "position": self.position,
            "survivors": self.survivors,
        }

    # --------------------------------------------------------- brackets
    def run(self, X, y) -> None:
        brackets = self.search.brackets_
        start_bracket, start_rung = self.position
        for bracket in brackets[start_bracket:]:
            first = start_rung if bracket.index == start_bracket else 0
            if first == 0 or self.survivors is None:
                first = 0
                points = self.optimizers.ask(bracket.n_candidates[0])
                self.survivors = [
                    {"point": p, "models": [None] * len(self.splits), "done": 0}
                    for p in points
                ]
            for rung in range(first, len(bracket.n_resources)):
                if self._run_rung(X, y, bracket, rung):
                    return
                if self.survivors is None:
                    break

    def _run_rung(self, X, y, bracket, rung: int) -> bool:
        """Evaluate the survivors at this rung, keep the best; True stops."""
        search, task = self.search, self.task
        n_resources = bracket.n_resources[rung]
        candidates = self.survivors
        start = time.perf_counter()
        jobs = (
            delayed(advance_fold)(
                task, search.estimator, candidate["models"][fold],
                self.space.to_params(candidate["point"]), X, y, split,
                candidate["done"] if task.mode != "refit" else 0, n_resources,
                self.seed,
            )
            for candidate in candidates
            for fold, split in enumerate(self.splits)
        )
        done = Parallel(n_jobs=search.n_jobs, pre_dispatch=search.pre_dispatch)(jobs)
        n_splits = len(self.splits)
        outs = [out for out, _ in done]
        scores = self._record(candidates, outs, bracket, n_resources)
        for i, candidate in enumerate(candidates):
            candidate["models"] = [
                model for _, model in done[i * n_splits : (i + 1) * n_splits]
            ]
            candidate["done"] = n_resources
        self.optimizers.tell(n_resources, [c["point"] for c in candidates], scores)
        is_last = rung == len(bracket.n_resources) - 1
        if not is_last:
            # the best 1 / factor; a setting with a failed fold never goes on,
            # so a rung of failures ends its bracket early
            keep = bracket.n_candidates[rung + 1]
            order = np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")
            self.survivors = [candidates[i] for i in order[:keep]
                              if np.isfinite(scores[i])]
            is_last = not self.survivors
            if task.mode == "refit":
                for candidate in self.survivors:
                    candidate["models"] = [None] * n_splits
        self.position = (
            (bracket.index + 1, 0) if is_last else (bracket.index, rung + 1)
        )
        if is_last:
            self.survivors = None
        self._report(bracket, rung, n_resources, scores, time.perf_counter() - start)
        return self._should_stop()

    def _record(self, candidates, outs, bracket, n_resources) -> np.ndarray:
        """Append the rung's rows; return each candidate's mean score to rank
        by (NaN where a fold failed)."""
        iteration = len(self.n_resources_)
        self.n_resources_.append(n_resources)
        self.n_candidates_.append(len(candidates))
        resource = self.task.resource
        for candidate in candidates:
            params = self.space.to_params(candidate["point"])
            if resource != "n_samples":
                params[resource] = n_resources
            self.rows["params"].append(params)
            self.rows["iter"].append(iteration)
            self.rows["n_resources"].append(n_resources)
            self.rows["bracket"].append(bracket.index)
        self.rows["out"].extend(outs)
        n_splits = len(self.splits)
        scores = np.array(
            [
                _rank_score([o for o in outs[i * n_splits : (i + 1) * n_splits]],
                            self.search.refit)
                for i in range(len(candidates))
            ]
        )
        return scores

    def _report(self, bracket, rung, n_resources, scores, seconds) -> None:
        if self.search.verbose < 1:
            return
        best = np.nanmax(scores) if np.isfinite(scores).any() else np.nan
        n_brackets = len(self.search.brackets_)
        print(
            f"[HyperbandSearchCV] bracket {bracket.index + 1}/{n_brackets} rung "
            f"{rung + 1}/{len(bracket.n_resources)}: {len(scores)} candidates x "
            f"{len(self.splits)} folds at {self.task.resource}={n_resources}, "
            f"best {best:.4g} ({seconds:.1f} s)"
        )

    def _should_stop(self) -> bool:
        if not self.callbacks:
            return False
        result = OptimizeResult(self.optimizers.top_result())
        result["hyperband_state"] = self._state()
        return any([bool(callback(result)) for callback in self.callbacks])

    # --------------------------------------------------------- results
    def results(self) -> dict:
        search, rows = self.search, self.rows
        if not rows["params"]:
            raise ValueError("No rung finished; nothing to report.")
        outs = _fill_error_scores(rows["out"], search.error_score)
        more = {key: rows[key] for key in ("iter", "n_resources", "bracket")}
        results = search._format_results(rows["params"], len(self.splits), outs, more)
        for key in [k for k in results if k.startswith("mean_train_")]:
            results["rank_" + key[len("mean_"):]] = _rank(results[key])
        results["_first_scores"] = outs[0]["test_scores"]
        search.n_resources_ = list(self.n_resources_)
        search.n_candidates_ = list(self.n_candidates_)
        search.n_iterations_ = len(self.n_resources_)
        search.optimizer_results_ = [self.optimizers.top_result()]
        return results


def _rank_score(outs: list, refit) -> float:
    """Mean test score of the ranking metric over the folds; NaN if one failed."""
    if any(out["fit_error"] is not None for out in outs):
        return np.nan
    scores = [out["test_scores"] for out in outs]
    if isinstance(scores[0], dict):
        key = refit if isinstance(refit, str) and refit in scores[0] else next(
            iter(scores[0])
        )
        scores = [s[key] for s in scores]
    values = np.asarray(scores, dtype=float)
    return float(values.mean()) if np.isfinite(values).all() else np.nan


def _fill_error_scores(outs: list, error_score) -> list:
    """A failed fold's scalar ``error_score`` as a dict where others are dicts."""
    names = next(
        (list(o["test_scores"]) for o in outs if isinstance(o["test_scores"], dict)),
        None,
    )
    if names is None:
        return outs
    filled = []
    for out in outs:
        out = dict(out)
        for key in ("test_scores", "train_scores"):
            if key in out and not isinstance(out[key], dict):
                out[key] = {name: out[key] for name in names}
        filled.append(out)
    return filled

