"""BayesSearchCV: scikit-learn's BaseSearchCV driven by the GP ``Optimizer``.

Only parameter handling and ``_run_search`` live here: cross-validation,
scoring, refit, ``cv_results_`` and ``best_*`` are scikit-learn's own.
Scores are maximised by scikit-learn's convention; the optimizer minimises
``-score``.
"""

from __future__ import annotations

import difflib
import numbers
import os
import warnings
from collections.abc import Sequence

import numpy as np
from scipy.optimize import OptimizeResult
from scipy.stats import rankdata
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, indexable

from .._compat import (
    BaseSearchCV,
    Interval,
    InvalidParameterError,
    StrOptions,
    tolerate_all_failed_fits,
    validate_parameter_constraints,
)
from ..callbacks import check_callback, load
from ..space import Categorical, Space
from ..utils import eval_callbacks
from ._optimizer import PER_SECOND, Optimizer, space_size

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
    "model_queue_size",
    "n_jobs",
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
        Passed to ``skopt_est.search.Optimizer``: ``base_estimator`` ('GP',
        our own Gaussian process, the default; 'RF', 'ET', 'GBRT', 'dummy' or
        a regressor as in scikit-optimize), ``n_initial_points`` (10),
        ``initial_point_generator`` ('random', 'sobol', 'lhs', 'halton',
        'hammersly', 'grid' or an ``InitialPointGenerator``),
        ``acq_func`` ('gp_hedge', 'EI', 'PI', 'LCB', 'MES', 'PVRS'; not the
        per-second 'EIps' and 'PIps', which need timed evaluations),
        ``acq_optimizer``,
        ``acq_func_kwargs``, ``acq_optimizer_kwargs``, ``model_queue_size``
        (1 here: ``optimizer_results_`` keep the latest surrogate),
        ``n_jobs`` (unused); and, as shortcuts, ``xi``, ``kappa`` and
        ``n_restarts_optimizer``.
    n_iter : int, default=50
        Evaluations per search space. Values must be in the range `[1, inf)`.
    scoring : str, callable, list, tuple, dict or None, default=None
        As in ``GridSearchCV``.
    fit_params : dict or None, default=None
        Passed to the estimator's ``fit``, as scikit-optimize's constructor
        takes them (which then ignores them); keyword arguments of ``fit``
        take precedence.
    n_jobs : int or None, default=None
        Parallel fits (candidates x folds), as in ``GridSearchCV``.
    n_points : int, default=1
        Candidates proposed per round (constant liar) and evaluated in
        parallel. Values must be in the range `[1, inf)`.
    iid : object, default='deprecated'
        Ignored, as in scikit-optimize; another value warns at ``fit``.
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
    initial_params : dict, 'estimator', list of (dict or 'estimator') or None, \
default=None
        Parameter settings evaluated first, in order, before the initial
        design: known good settings, or the string ``'estimator'`` for the
        estimator's own current values of the searched parameters
        (``estimator.get_params()`` restricted to the space's names). Each
        setting goes to the first search space whose parameter names it
        gives exactly (``'estimator'``: the first whose names the estimator
        has) and must lie inside it; it counts toward that space's
        ``n_iter`` and is told to the surrogate like any other evaluation.
        The ``n_initial_points`` design points still follow in full.

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
        ``fun``, ``space``, and ``models`` (the latest fitted surrogate, once
        the initial design is done).

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
        "initial_params": [dict, list, StrOptions({"estimator"}), None],
        "fit_params": [dict, None],
        "iid": "no_validation",
    }

    def __init__(
        self,
        estimator,
        search_spaces,
        optimizer_kwargs=None,
        n_iter=50,
        scoring=None,
        fit_params=None,
        n_jobs=None,
        n_points=1,
        iid="deprecated",
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
        initial_params=None,
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
        self.fit_params = fit_params
        self.n_points = n_points
        self.iid = iid
        self.random_state = random_state
        self.initial_params = initial_params

    @property
    def total_iterations(self) -> int:
        """Number of evaluations the search runs over all its spaces.

        A finite space runs at most its number of distinct settings.
        """
        return sum(budget for _, _, budget in self._check_search_spaces())

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
            else:  # a TypeError, as scikit-optimize raises
                raise TypeError(
                    f"search_spaces: {entry!r} is not a dict or a (dict, n_iter) pair."
                )
        return budgets

    def _check_search_spaces(self) -> list[tuple[Space, int, int]]:
        """Validated ``(Space, n_iter, budget)`` per subspace, built on copies.

        ``budget`` is ``n_iter``, or the number of distinct settings of a
        finite space when that is smaller: no setting is evaluated twice.
        """
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
            size = space_size(space)
            subspaces.append(
                (space, n_iter, n_iter if size is None else min(n_iter, size))
            )
        return subspaces

    def _check_estimator_accepts(self, space: Space) -> None:
        self._check_parameter_names(space)
        self._check_categories(space)

    def _check_parameter_names(self, space: Space) -> None:
        # set_params on a clone, not get_params: skorch nets accept routed
        # names (module__n_hidden) that get_params does not list
        estimator = clone(self.estimator)
        point = space.draw(1, random_state=0)[0]
        for name, value in _cloned(space.to_params(point)).items():
            try:
                estimator.set_params(**{name: value})
            except (ValueError, TypeError, AttributeError) as exc:
                valid = sorted(self.estimator.get_params(deep=True))
                closest = difflib.get_close_matches(name, valid, n=1)
                hint = f" Did you mean {closest[0]!r}?" if closest else ""
                raise ValueError(
                    f"search_spaces: {name!r} is not a parameter of "
                    f"{type(self.estimator).__name__}.{hint} Valid parameters: "
                    f"{', '.join(valid)}."
                ) from exc

    def _check_categories(self, space: Space) -> None:
        """Every category against the estimator's ``_parameter_constraints``,
        so that an invalid value fails before the first fit, not fit by fit."""
        params = self.estimator.get_params(deep=True)
        for dimension in space.dimensions:
            if not isinstance(dimension, Categorical):
                continue
            owner_name, _, parameter = dimension.name.rpartition("__")
            if any(
                owner_name == name or owner_name.startswith(name + "__")
                for name in space.names
            ):
                continue  # the space swaps the owner (a step): its values vary
            owner = params.get(owner_name) if owner_name else self.estimator
            constraints = getattr(owner, "_parameter_constraints", None)
            if not isinstance(constraints, dict) or parameter not in constraints:
                continue
            for value in dimension.categories:
                try:
                    validate_parameter_constraints(
                        {parameter: constraints[parameter]},
                        {parameter: value},
                        caller_name=type(owner).__name__,
                    )
                except InvalidParameterError as exc:
                    raise ValueError(
                        f"search_spaces: {dimension.name}={value!r} is not a valid "
                        f"value. {exc}"
                    ) from exc

    def _check_initial_params(self, subspaces: list) -> list[list[list]]:
        """The seeded points of each subspace, in order, validated."""
        entries = self.initial_params
        if entries is None:
            entries = []
        elif isinstance(entries, dict | str):
            entries = [entries]
        seeds: list[list[list]] = [[] for _ in subspaces]
        for position, entry in enumerate(entries):
            where = f"initial_params[{position}]"
            index, point = _place_seed(entry, subspaces, self.estimator, where)
            seeds[index].append(point)
        for index, (space, n_iter, _) in enumerate(subspaces):
            # a repeated setting would be evaluated twice: keep its first entry
            unique = []
            for point in seeds[index]:
                if point not in unique:
                    unique.append(point)
            if len(unique) > n_iter:
                raise ValueError(
                    f"initial_params gives {len(unique)} settings of "
                    f"{space.names}, more than its n_iter={n_iter}; raise n_iter "
                    "or seed fewer settings."
                )
            seeds[index] = unique
        return seeds

    def _optimizer_params(self) -> dict:
        kwargs = dict(self.optimizer_kwargs or {})
        unknown = set(kwargs) - _OPTIMIZER_KWARGS
        if unknown:
            raise ValueError(
                f"optimizer_kwargs has unknown keys {sorted(unknown)}; use "
                f"{sorted(_OPTIMIZER_KWARGS)}."
            )
        # only the latest surrogate by default: plot_objective draws it, and
        # every checkpoint of a long search would hold all of them otherwise
        kwargs.setdefault("model_queue_size", 1)
        if kwargs.get("acq_func") in PER_SECOND:
            raise ValueError(
                f"acq_func={kwargs['acq_func']!r} needs (value, seconds) "
                "evaluations, which a cross-validated search does not tell; use "
                "'EI' or 'PI' (or time the fits inside gp_minimize)."
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
        for space, _, _ in subspaces:
            self._check_estimator_accepts(space)
        seeds = self._check_initial_params(subspaces)
        optimizer_params = self._optimizer_params()
        callbacks = check_callback(callback)
        fit_params = {**(self.fit_params or {}), **fit_params}
        if not (isinstance(self.iid, str) and self.iid == "deprecated"):
            warnings.warn(
                "The iid parameter has been deprecated and will be ignored.",
                UserWarning,
                stacklevel=2,
            )
        X, y = indexable(X, y)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = _FixedSplits(list(cv.split(X, y, groups)))
        if resume_state is not None:
            self._check_resume_state(resume_state, subspaces, splits)
        self._search_run = {
            "subspaces": subspaces,
            "seeds": seeds,
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
                with tolerate_all_failed_fits(self):
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
        if saved != [repr(space) for space, _, _ in subspaces]:
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
        if all(n >= budget for n, (_, _, budget) in zip(done, subspaces)):
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
        results = super()._format_results(candidate_params, n_splits, out, more_results)
        # scikit-learn ranks test scores only
        for key in [k for k in results if k.startswith("mean_train_")]:
            results["rank_" + key[len("mean_") :]] = _rank(results[key])
        return results

    def _run_search(self, evaluate_candidates):
        run = self._search_run
        rng = check_random_state(self.random_state)
        resume = run["resume"]
        optimizers = []
        for i, (space, _, _) in enumerate(run["subspaces"]):
            optimizer = Optimizer(
                space, random_state=rng.randint(2**31 - 1), **run["optimizer_params"]
            )
            if resume is not None and resume["history"][i][0]:
                x_iters, func_vals = resume["history"][i]
                n_seeded = min(len(run["seeds"][i]), len(x_iters))
                if n_seeded:
                    optimizer._tell_seeds(x_iters[:n_seeded], func_vals[:n_seeded])
                if len(x_iters) > n_seeded:
                    optimizer.tell(x_iters[n_seeded:], list(func_vals[n_seeded:]))
            optimizers.append(optimizer)
        self.optimizer_results_ = [opt.get_result() for opt in optimizers]
        progress = _ProgressBar(
            sum(budget for _, _, budget in run["subspaces"]), self.verbose, optimizers
        )
        try:
            for i, (space, _, n_iter) in enumerate(run["subspaces"]):
                optimizer, seeds = optimizers[i], run["seeds"][i]
                while len(optimizer.yi) < n_iter:
                    n_points = min(self.n_points, n_iter - len(optimizer.yi))
                    n_told = len(optimizer.yi)
                    is_seed = n_told < len(seeds)
                    if is_seed:
                        points = seeds[n_told : n_told + n_points]
                        n_points = len(points)
                    else:
                        points = optimizer.ask(n_points)
                    results = evaluate_candidates(
                        [candidate_params(space, p) for p in points], cv=run["cv"]
                    )
                    scores = np.asarray(
                        results[_score_key(results, self.refit)][-n_points:],
                        dtype=float,
                    )
                    if is_seed:
                        optimizer._tell_seeds(points, list(-scores))
                    else:
                        optimizer.tell(points, list(-scores))
                    self.optimizer_results_[i] = optimizer.get_result()
                    progress.update(n_points, _best_score(optimizers))
                    if self._should_stop(run, optimizers, i):
                        return
            _warn_exhausted(run["subspaces"])
        finally:
            progress.close()

    def _should_stop(self, run: dict, optimizers: list, index: int) -> bool:
        result = OptimizeResult(self.optimizer_results_[index])
        result["search_state"] = {
            "spaces": [space for space, _, _ in run["subspaces"]],
            "n_splits": run["cv"].get_n_splits(),
            "history": [(list(o.Xi), list(o.yi)) for o in optimizers],
            "candidate_params": list(run["candidate_params"]),
            "out": list(run["out"]),
        }
        return eval_callbacks(run["callbacks"], result)


def candidate_params(space: Space, point: list) -> dict:
    """The ``{name: value}`` setting of ``point``, with a fresh clone of every
    estimator among its values (a ``Categorical([SVC()])``), so that setting
    it never changes the user's object.

    A clone also takes the values of its own nested parameters
    (``model__C`` on the clone of ``model``), so that ``cv_results_`` and
    ``best_params_`` show each estimator as it was evaluated.
    """
    params = _cloned(space.to_params(point))
    for owner, value in params.items():
        if _is_estimator(value):
            nested = {
                name[len(owner) + 2 :]: inner
                for name, inner in params.items()
                if name.startswith(owner + "__")
            }
            value.set_params(**nested)
    return params


def _cloned(params: dict) -> dict:
    """``params`` with every estimator value replaced by a clone."""
    return {
        name: clone(value) if _is_estimator(value) else value
        for name, value in params.items()
    }


def _is_estimator(value) -> bool:
    return hasattr(value, "get_params") and not isinstance(value, type)


def _rank(means) -> np.ndarray:
    """Rank 1 for the highest mean, ties sharing the lowest rank, NaN last."""
    means = np.asarray(means, dtype=float)
    if np.isnan(means).all():
        return np.ones(len(means), dtype=np.int32)
    filled = np.where(np.isnan(means), np.nanmin(means) - 1, means)
    return rankdata(-filled, method="min").astype(np.int32)


def _warn_exhausted(subspaces: list) -> None:
    """One warning for every finite space that had fewer settings than n_iter."""
    exhausted = [
        f"{space.names} has {budget} distinct settings for n_iter={n_iter}"
        for space, n_iter, budget in subspaces
        if budget < n_iter
    ]
    if exhausted:
        warnings.warn(
            "Every setting of a finite search space was evaluated once, so the "
            f"search stopped early: {'; '.join(exhausted)}. Widen the space or "
            "lower n_iter.",
            UserWarning,
            stacklevel=3,
        )


def _place_seed(entry, subspaces: list, estimator, where: str) -> tuple[int, list]:
    """``(subspace index, point)`` of one ``initial_params`` entry."""
    if isinstance(entry, str) and entry == "estimator":
        current = estimator.get_params(deep=True)
        matches = [
            (i, {name: current[name] for name in space.names})
            for i, (space, _, _) in enumerate(subspaces)
            if all(name in current for name in space.names)
        ]
        if not matches:
            raise ValueError(
                f"{where}='estimator': {type(estimator).__name__}.get_params() "
                "lacks the searched parameters of every search space; give the "
                "setting as a dict instead."
            )
    elif isinstance(entry, dict):
        matches = [
            (i, dict(entry))
            for i, (space, _, _) in enumerate(subspaces)
            if set(space.names) == set(entry)
        ]
        if not matches:
            raise ValueError(
                f"{where} sets {sorted(entry)}, which are not the parameters of "
                f"any search space ({[space.names for space, _, _ in subspaces]}); "
                "give exactly one value per parameter of one space."
            )
    else:
        raise ValueError(
            f"{where}={entry!r} is not a dict of parameter values or 'estimator'."
        )
    first_bad = None
    for index, params in matches:
        space = subspaces[index][0]
        bad = [d for d in space.dimensions if not d.contains(params[d.name])]
        if not bad:
            return index, space.from_params(params)
        first_bad = first_bad or (bad[0], params[bad[0].name])
    dimension, value = first_bad
    raise ValueError(
        f"{where}: {dimension.name}={value!r} is outside the search space; "
        f"allowed: {_allowed_values(dimension)}."
    )


def _allowed_values(dimension) -> str:
    if isinstance(dimension, Categorical):
        return f"one of {list(dimension.categories)!r}"
    kind = type(dimension).__name__.lower()
    return f"{kind} values in [{dimension.low!r}, {dimension.high!r}]"


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
