"""BayesSearchCV: scikit-learn's BaseSearchCV driven by the GP ``Optimizer``.

Only parameter handling and ``_run_search`` live here: cross-validation,
scoring, refit, ``cv_results_`` and ``best_*`` are scikit-learn's own.
Scores are maximised by scikit-learn's convention; the optimizer minimises
``-score``.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Sequence

import numpy as np
from scipy.optimize import OptimizeResult
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, indexable

from .._compat import BaseSearchCV, Interval, tolerate_all_failed_fits
from ..callbacks import load
from ..space import Space
from ._optimizer import Optimizer

__all__ = ["BayesSearchCV"]

_OPTIMIZER_KWARGS = {
    "n_initial_points",
    "initial_point_generator",
    "acq_func",
    "acq_optimizer",
    "acq_func_kwargs",
    "acq_optimizer_kwargs",
    "xi",
    "kappa",
    "n_restarts_optimizer",
    "base_estimator",
}


class _FixedSplits:
    """A CV splitter that replays splits computed once, so every round sees the
    same folds even when ``cv`` shuffles without a seed."""

    def __init__(self, splits: list):
        self.splits = splits

    def split(self, X=None, y=None, groups=None, **split_params):
        return iter(self.splits)

    def get_n_splits(self, X=None, y=None, groups=None, **split_params):
        return len(self.splits)


class BayesSearchCV(BaseSearchCV):
    """Bayesian optimisation of hyperparameters with a Gaussian-process surrogate.

    A drop-in for scikit-optimize's ``BayesSearchCV`` built on scikit-learn's
    ``BaseSearchCV``: ``scoring`` (also multi-metric), ``refit``, ``cv``,
    ``error_score``, ``return_train_score``, ``n_jobs``, ``pre_dispatch``,
    ``cv_results_`` and ``best_*`` behave as in ``GridSearchCV``. Each round
    the optimizer proposes ``n_points`` parameter settings, they are
    cross-validated in parallel through joblib, and the mean test score
    (of the ``refit`` metric when several are given) is told back.

    Parameters
    ----------
    estimator : estimator object
        Any scikit-learn compatible estimator, pipeline or skorch net.
    search_spaces : dict, list of dict or list of (dict, int)
        Parameter name -> ``Real``, ``Integer``, ``Categorical`` or a
        shorthand: ``(low, high)``, ``(low, high, 'log-uniform')``, a list of
        categories. A list of dicts searches each in turn with ``n_iter``
        evaluations; a ``(dict, n_iter)`` pair gives that space its own
        budget. Never modified.
    optimizer_kwargs : dict or None, default=None
        Passed to ``skopt_est.search.Optimizer``: ``n_initial_points`` (10),
        ``initial_point_generator`` ('random', 'sobol', 'lhs', 'halton'),
        ``acq_func`` ('gp_hedge', 'EI', 'PI', 'LCB'), ``acq_optimizer``,
        ``acq_func_kwargs``, ``acq_optimizer_kwargs``; and, as shortcuts,
        ``xi``, ``kappa`` and ``n_restarts_optimizer``.
    n_iter : int, default=50
        Evaluations per search space. Values must be in the range `[1, inf)`.
    scoring : str, callable, list, tuple, dict or None, default=None
        As in ``GridSearchCV``.
    n_jobs : int or None, default=None
        Parallel fits (candidates x folds), as in ``GridSearchCV``.
    n_points : int, default=1
        Candidates proposed per round (constant liar) and evaluated in
        parallel. Values must be in the range `[1, inf)`.
    refit : bool, str or callable, default=True
        As in ``GridSearchCV``. With several metrics a string ``refit`` also
        names the metric the optimizer maximises; otherwise the first metric
        is used.
    cv : int, cross-validation generator or iterable, default=None
        As in ``GridSearchCV``. The folds are drawn once per ``fit`` and
        reused by every round.
    verbose : int, default=0
        ``>= 1`` shows a progress bar with the best score so far; higher
        values add scikit-learn's per-fit messages.
    pre_dispatch : int or str, default='2*n_jobs'
        As in ``GridSearchCV``.
    random_state : int, RandomState instance or None, default=None
        Seeds the optimizers.
    error_score : 'raise' or numeric, default=np.nan
        Score given to a failed fit. The optimizer sees it as the worst
        score observed and the search goes on, even when every fit of a
        round fails; ``'raise'`` propagates the error.
    return_train_score : bool, default=False
        As in ``GridSearchCV``.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in ``GridSearchCV``, one row per evaluated candidate.
    best_estimator_ : estimator
        Refitted on the whole data with the best parameters (if ``refit``).
    best_score_ : float
        Mean cross-validated score of the best candidate.
    best_params_ : dict
        Parameters of the best candidate.
    best_index_ : int
        Row of the best candidate in ``cv_results_``.
    scorer_ : function or dict
        Scorer(s) used on held-out data.
    n_splits_ : int
        Number of cross-validation splits.
    refit_time_ : float
        Seconds spent refitting the best model.
    multimetric_ : bool
        Whether several metrics were used.
    optimizer_results_ : list of OptimizeResult
        One per search space: ``x_iters``, ``func_vals`` (``-score``), ``x``,
        ``fun``, ``space``.

    See Also
    --------
    sklearn.model_selection.GridSearchCV : Exhaustive search over a grid.
    sklearn.model_selection.RandomizedSearchCV : Random search.
    skopt_est.search.Optimizer : The ask/tell engine used here.

    Notes
    -----
    To resume an interrupted search, pass ``CheckpointSaver(path)`` as a
    callback and later call ``resume(path, X, y)`` on an estimator built with
    the same arguments: every finished evaluation is reused (it appears in
    ``cv_results_`` and is told to the optimizer) and the search continues
    up to ``n_iter`` per space.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> from skopt_est.search import BayesSearchCV
    >>> from skopt_est.space import Real
    >>> X, y = load_diabetes(return_X_y=True)
    >>> search = BayesSearchCV(
    ...     Ridge(), {"alpha": Real(1e-4, 1e2, prior="log-uniform")},
    ...     n_iter=4, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> sorted(search.best_params_)
    ['alpha']
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "search_spaces": [dict, list],
        "optimizer_kwargs": [dict, None],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_points": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        search_spaces,
        optimizer_kwargs=None,
        n_iter=50,
        scoring=None,
        n_jobs=None,
        n_points=1,
        refit=True,
        cv=None,
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
        self.optimizer_kwargs = optimizer_kwargs
        self.n_iter = n_iter
        self.n_points = n_points
        self.random_state = random_state

    @property
    def total_iterations(self) -> int:
        """Number of evaluations the search runs over all its spaces."""
        return sum(n_iter for _, n_iter in self._subspace_budgets())

    def _subspace_budgets(self) -> list[tuple[dict, int]]:
        spaces = self.search_spaces
        if isinstance(spaces, dict):
            return [(spaces, self.n_iter)]
        budgets = []
        for entry in spaces:
            if (
                isinstance(entry, tuple)
                and len(entry) == 2
                and isinstance(entry[0], dict)
            ):
                if not isinstance(entry[1], numbers.Integral) or entry[1] < 1:
                    raise ValueError(
                        f"search_spaces: n_iter={entry[1]!r} of a (space, n_iter) "
                        "pair must be a positive integer."
                    )
                budgets.append((entry[0], int(entry[1])))
            elif isinstance(entry, dict):
                budgets.append((entry, self.n_iter))
            else:
                raise ValueError(
                    f"search_spaces: {entry!r} is not a dict or a (dict, n_iter) pair."
                )
        return budgets

    def _check_search_spaces(self) -> list[tuple[Space, int]]:
        """Validated ``(Space, n_iter)`` per subspace, built on copies."""
        if isinstance(self.search_spaces, list) and not self.search_spaces:
            raise ValueError("search_spaces=[] is empty; give at least one space.")
        subspaces = []
        for space_dict, n_iter in self._subspace_budgets():
            if not space_dict:
                raise ValueError(
                    "search_spaces: a search space is empty; give at least one "
                    "parameter."
                )
            names = sorted(space_dict)
            space = Space([space_dict[n] for n in names], names=names)
            self._check_parameter_names(space)
            subspaces.append((space, n_iter))
        return subspaces

    def _check_parameter_names(self, space: Space) -> None:
        # set_params on a clone, not get_params: skorch nets accept routed
        # names (module__n_hidden) that get_params does not list
        estimator = clone(self.estimator)
        point = space.draw(1, random_state=0)[0]
        for name, value in space.to_params(point).items():
            try:
                estimator.set_params(**{name: value})
            except (ValueError, TypeError, AttributeError) as exc:
                raise ValueError(
                    f"search_spaces: {name!r} is not a parameter of "
                    f"{type(self.estimator).__name__} ({exc}); valid ones are "
                    f"{sorted(self.estimator.get_params(deep=True))}."
                ) from exc

    def _optimizer_params(self) -> dict:
        kwargs = dict(self.optimizer_kwargs or {})
        unknown = set(kwargs) - _OPTIMIZER_KWARGS
        if unknown:
            raise ValueError(
                f"optimizer_kwargs has unknown keys {sorted(unknown)}; use "
                f"{sorted(_OPTIMIZER_KWARGS)}."
            )
        base_estimator = kwargs.pop("base_estimator", "GP")
        if base_estimator not in ("GP", "gp"):
            raise ValueError(
                f"optimizer_kwargs: base_estimator={base_estimator!r} is not "
                "supported; only the Gaussian process 'GP' is."
            )
        acq_func_kwargs = dict(kwargs.pop("acq_func_kwargs", None) or {})
        for key in ("xi", "kappa"):
            if key in kwargs:
                acq_func_kwargs[key] = kwargs.pop(key)
        acq_optimizer_kwargs = dict(kwargs.pop("acq_optimizer_kwargs", None) or {})
        if "n_restarts_optimizer" in kwargs:
            acq_optimizer_kwargs["n_restarts_optimizer"] = kwargs.pop(
                "n_restarts_optimizer"
            )
        return {
            **kwargs,
            "acq_func_kwargs": acq_func_kwargs,
            "acq_optimizer_kwargs": acq_optimizer_kwargs,
        }

    def fit(self, X, y=None, *, groups=None, callback=None, **fit_params):
        """Run the search: ``n_iter`` cross-validated evaluations per space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Target.
        groups : array-like of shape (n_samples,), default=None
            Group labels for a group-aware ``cv``.
        callback : callable, list of callables or None, default=None
            Called with the current ``OptimizeResult`` after every round;
            returning ``True`` stops the search.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : BayesSearchCV
            The fitted search.
        """
        resume_state = self.__dict__.pop("_resume_state", None)
        self._validate_params()
        subspaces = self._check_search_spaces()
        optimizer_params = self._optimizer_params()
        if callback is None:
            callbacks = []
        elif callable(callback):
            callbacks = [callback]
        else:
            callbacks = list(callback)
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = _FixedSplits(list(cv.split(X, y, groups)))
        if resume_state is not None:
            self._check_resume_state(resume_state, subspaces, splits)
        self._search_run = {
            "subspaces": subspaces,
            "optimizer_params": optimizer_params,
            "callbacks": callbacks,
            "cv": splits,
            "resume": resume_state,
            "candidate_params": [],
            "out": [],
        }
        if groups is not None:
            fit_params["groups"] = groups
        try:
            if self.error_score == "raise":
                super().fit(X, y, **fit_params)
            else:
                with tolerate_all_failed_fits():
                    super().fit(X, y, **fit_params)
        finally:
            del self._search_run
        return self

    def resume(
        self, checkpoint, X, y=None, *, groups=None, callback=None, **fit_params
    ):
        """Continue a search saved by ``CheckpointSaver``, re-using its evaluations.

        Build the ``BayesSearchCV`` with the same arguments as the
        interrupted one. Every evaluation in the checkpoint appears in
        ``cv_results_`` and is told to the optimizer without being run
        again; the search then runs until each space has ``n_iter``
        evaluations (raise ``n_iter`` to extend a finished search).

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
        self : BayesSearchCV
            The fitted search.
        """
        if isinstance(checkpoint, str | os.PathLike):
            checkpoint = load(checkpoint)
        state = checkpoint.get("search_state") if isinstance(checkpoint, dict) else None
        if state is None:
            raise ValueError(
                "checkpoint holds no search state; pass a file written by "
                "CheckpointSaver during BayesSearchCV.fit."
            )
        self._resume_state = state
        return self.fit(X, y, groups=groups, callback=callback, **fit_params)

    def _check_resume_state(self, state: dict, subspaces: list, splits) -> None:
        saved = [repr(space) for space in state["spaces"]]
        if saved != [repr(space) for space, _ in subspaces]:
            raise ValueError(
                "The checkpoint was written by a search over different "
                "search_spaces; build BayesSearchCV with the same search_spaces."
            )
        if state["n_splits"] != splits.get_n_splits():
            raise ValueError(
                f"The checkpoint used {state['n_splits']} CV splits, cv gives "
                f"{splits.get_n_splits()}; use the same cv."
            )
        done = [len(x_iters) for x_iters, _ in state["history"]]
        if all(n >= n_iter for n, (_, n_iter) in zip(done, subspaces)):
            raise ValueError(
                f"The checkpoint already holds {sum(done)} evaluations, all that "
                f"n_iter={self.n_iter} asks for; raise n_iter to continue the search."
            )

    def _format_results(self, candidate_params, n_splits, out, more_results=None):
        # prepend the evaluations of a resumed checkpoint, and keep the raw
        # per-split results so that a checkpoint can hold them
        run = getattr(self, "_search_run", None)
        if run is not None:
            if run["resume"] is not None:
                candidate_params = run["resume"]["candidate_params"] + list(
                    candidate_params
                )
                out = run["resume"]["out"] + list(out)
            run["candidate_params"], run["out"] = list(candidate_params), list(out)
        return super()._format_results(candidate_params, n_splits, out, more_results)

    def _run_search(self, evaluate_candidates):
        run = self._search_run
        rng = check_random_state(self.random_state)
        resume = run["resume"]
        optimizers = []
        for i, (space, _) in enumerate(run["subspaces"]):
            optimizer = Optimizer(
                space, random_state=rng.randint(2**31 - 1), **run["optimizer_params"]
            )
            if resume is not None and resume["history"][i][0]:
                x_iters, func_vals = resume["history"][i]
                optimizer.tell(x_iters, list(func_vals))
            optimizers.append(optimizer)
        self.optimizer_results_ = [opt.get_result() for opt in optimizers]
        progress = _ProgressBar(self.total_iterations, self.verbose, optimizers)
        try:
            for i, (space, n_iter) in enumerate(run["subspaces"]):
                optimizer = optimizers[i]
                while len(optimizer.yi) < n_iter:
                    n_points = min(self.n_points, n_iter - len(optimizer.yi))
                    points = optimizer.ask(n_points)
                    results = evaluate_candidates(
                        [space.to_params(p) for p in points], cv=run["cv"]
                    )
                    scores = np.asarray(
                        results[_score_key(results, self.refit)][-n_points:],
                        dtype=float,
                    )
                    optimizer.tell(points, list(-scores))
                    self.optimizer_results_[i] = optimizer.get_result()
                    progress.update(n_points, _best_score(optimizers))
                    if self._should_stop(run, optimizers, i):
                        return
        finally:
            progress.close()

    def _should_stop(self, run: dict, optimizers: list, index: int) -> bool:
        result = OptimizeResult(self.optimizer_results_[index])
        result["search_state"] = {
            "spaces": [space for space, _ in run["subspaces"]],
            "n_splits": run["cv"].get_n_splits(),
            "history": [(list(o.Xi), list(o.yi)) for o in optimizers],
            "candidate_params": list(run["candidate_params"]),
            "out": list(run["out"]),
        }
        stops = [bool(callback(result)) for callback in run["callbacks"]]
        return any(stops)


def _score_key(results: dict, refit) -> str:
    if "mean_test_score" in results:
        return "mean_test_score"
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    return next(key for key in results if key.startswith("mean_test_"))


def _best_score(optimizers: Sequence[Optimizer]) -> float:
    values = np.concatenate([np.asarray(o.yi, dtype=float) for o in optimizers])
    values = values[np.isfinite(values)]
    return float(-values.min()) if len(values) else np.nan


class _ProgressBar:
    """tqdm bar over evaluations showing the best score, or nothing when quiet."""

    def __init__(self, total: int, verbose: int, optimizers: list):
        self.bar = None
        if verbose >= 1:
            from tqdm.auto import tqdm

            done = sum(len(o.yi) for o in optimizers)
            self.bar = tqdm(total=total, initial=done, desc="BayesSearchCV")

    def update(self, n: int, best_score: float) -> None:
        if self.bar is not None:
            self.bar.set_postfix(best_score=f"{best_score:.4g}", refresh=False)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
