"""The ask/tell Bayesian optimizer behind ``BayesSearchCV``.

Points are lists of values (one per dimension, in the order of
``dimensions``); internally they live in the model cube of
``skopt_est.space`` (shape ``(n_points, n_columns)``). Objective values are
**minimised**. A non-finite value (a failed evaluation) is kept as told in
``func_vals`` but the surrogate sees the worst finite value observed so far.

One round of ``ask``: the first ``n_initial_points`` points come from a
space-filling design; after that the GP is fitted (in ``tell``), the
acquisition function is evaluated on a dense random set of candidates plus
perturbations of the best points seen, and the best few are polished with
L-BFGS-B using the GP's analytic gradients, with one-hot columns held fixed;
integer and categorical columns are then rounded and the best distinct
point wins. ``ask(n_points=k)`` proposes ``k`` points by the constant liar
strategy: each proposal is added to a copy of the GP at the best observed
value before the next one is chosen.
"""

from __future__ import annotations

import copy
import itertools
import numbers
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import OptimizeResult, minimize
from scipy.stats import qmc
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from ..space import Categorical, Integer, Space
from ._acquisition import (
    ACQ_FUNC_NAMES,
    HEDGE,
    HEDGE_PORTFOLIO,
    GPHedge,
    bind_acquisition,
    make_acquisition,
)
from ._gp import GaussianProcess

__all__ = ["Optimizer"]


def _random_design(n: int, d: int, rng: np.random.RandomState) -> np.ndarray:
    return rng.uniform(size=(n, d))


def _sobol_design(n: int, d: int, rng: np.random.RandomState) -> np.ndarray:
    m = max(int(np.ceil(np.log2(max(n, 1)))), 0)
    sampler = qmc.Sobol(d, scramble=True, seed=rng.randint(2**31 - 1))
    return sampler.random_base2(m)[:n]


def _lhs_design(n: int, d: int, rng: np.random.RandomState) -> np.ndarray:
    return qmc.LatinHypercube(d, seed=rng.randint(2**31 - 1)).random(n)


def _halton_design(n: int, d: int, rng: np.random.RandomState) -> np.ndarray:
    return qmc.Halton(d, scramble=True, seed=rng.randint(2**31 - 1)).random(n)


_INITIAL_POINT_GENERATORS: dict[
    str, Callable[[int, int, np.random.RandomState], np.ndarray]
] = {
    "random": _random_design,
    "sobol": _sobol_design,
    "lhs": _lhs_design,
    "halton": _halton_design,
}
_ACQ_OPTIMIZERS = ("auto", "lbfgs", "sampling")
_ACQ_OPTIMIZER_DEFAULTS = {"n_points": 2000, "n_restarts_optimizer": 5, "maxiter": 200}


class Optimizer:
    """Gaussian-process Bayesian optimizer with an ask/tell interface.

    A drop-in for scikit-optimize's ``Optimizer`` with a GP surrogate.

    Parameters
    ----------
    dimensions : list
        One entry per dimension: ``Real``, ``Integer``, ``Categorical``, or a
        shorthand ``(low, high)``, ``(low, high, prior)``, list of categories;
        or a ``Space``. Copied, never modified.
    base_estimator : {'GP', 'gp', 'dummy'}, default='gp'
        The surrogate. skopt_est's is always its Gaussian process, so any
        other name (scikit-optimize's 'RF', 'ET', 'GBRT') or a regressor
        object raises ``ValueError``; ``'dummy'`` never fits one and keeps
        drawing random points after the initial design (random search).
    n_initial_points : int, default=10
        Points drawn from the initial design before the GP is used.
    initial_point_generator : {'random', 'sobol', 'lhs', 'halton'}, default='random'
        How the initial design is drawn (``scipy.stats.qmc`` for the
        quasi-random ones).
    n_jobs : int, default=1
        Accepted for scikit-optimize compatibility and unused: the
        acquisition is polished sequentially (a few milliseconds a round).
    acq_func : {'gp_hedge', 'EI', 'PI', 'LCB'}, default='gp_hedge'
        Acquisition function. EI and PI are maximised as their logarithm;
        ``'gp_hedge'`` picks each round, by a softmax of their gains, among
        log-EI with ``xi`` = 0, 1e-4 and 1e-3, and polishes only the member
        it picked. Unlike scikit-optimize's
        ``'gp_hedge'`` (EI, PI and LCB), whose PI and LCB members cost 10-30x
        in final regret on the benchmarks (benchmarks/bench_search.py); it
        ignores ``acq_func_kwargs``.
    acq_optimizer : {'auto', 'lbfgs', 'sampling'}, default='auto'
        ``'sampling'`` takes the best of the random candidates; ``'lbfgs'``
        (and ``'auto'``) polishes the best few with L-BFGS-B.
    random_state : int, RandomState instance or None, default=None
        Seed for the design, the candidates and the hedge draws.
    model_queue_size : int or None, default=None
        How many of the latest fitted surrogates ``models`` keeps; all of
        them when None.
    acq_func_kwargs : dict or None, default=None
        ``xi`` (EI, PI; in standardised units, default 0 for EI and 0.01 for
        PI) and ``kappa`` (LCB, default 1.96).
    acq_optimizer_kwargs : dict or None, default=None
        ``n_points`` (random candidates, default 2000),
        ``n_restarts_optimizer`` (L-BFGS-B starts drawn from the candidates,
        default 5, plus the incumbent) and ``maxiter`` (L-BFGS-B iterations per
        start, default 200); ``n_jobs`` is accepted and ignored.

    Attributes
    ----------
    space : Space
        The validated search space.
    Xi : list of list
        Points told so far.
    yi : list of float
        Values told so far.
    models : list of GaussianProcess
        The surrogates fitted so far, oldest first (at most
        ``model_queue_size``). ``models[-1].predict_objective(
        space.to_unit(points))`` is the latest one's prediction of the
        objective.

    Examples
    --------
    >>> from skopt_est.search import Optimizer
    >>> opt = Optimizer([(-2.0, 2.0)], n_initial_points=3, random_state=0)
    >>> for _ in range(6):
    ...     x = opt.ask()
    ...     _ = opt.tell(x, (x[0] - 0.5) ** 2)
    >>> abs(opt.get_result().x[0] - 0.5) < 0.2
    True
    """

    def __init__(
        self,
        dimensions: Sequence,
        base_estimator="gp",
        n_initial_points: int = 10,
        initial_point_generator: str = "random",
        n_jobs: int = 1,
        acq_func: str = "gp_hedge",
        acq_optimizer: str = "auto",
        random_state=None,
        model_queue_size: int | None = None,
        acq_func_kwargs: dict | None = None,
        acq_optimizer_kwargs: dict | None = None,
    ):
        self.space = Space(dimensions)  # a copy, also of a Space
        self.base_estimator = base_estimator
        self._is_dummy = _check_base_estimator(base_estimator) == "dummy"
        if not isinstance(n_initial_points, numbers.Integral) or n_initial_points < 0:
            raise ValueError(
                f"n_initial_points={n_initial_points!r} must be a non-negative integer."
            )
        _check_option(
            "initial_point_generator",
            initial_point_generator,
            _INITIAL_POINT_GENERATORS,
        )
        _check_option("acq_func", acq_func, ACQ_FUNC_NAMES)
        _check_option("acq_optimizer", acq_optimizer, _ACQ_OPTIMIZERS)
        if model_queue_size is not None and (
            not isinstance(model_queue_size, numbers.Integral) or model_queue_size < 1
        ):
            raise ValueError(
                f"model_queue_size={model_queue_size!r} must be a positive integer "
                "or None (keep every model)."
            )
        self.n_initial_points = int(n_initial_points)
        self.initial_point_generator = initial_point_generator
        self.n_jobs = n_jobs
        self.acq_func = acq_func
        self.acq_optimizer = acq_optimizer
        self.model_queue_size = model_queue_size
        self.acq_func_kwargs = dict(acq_func_kwargs or {})
        acq_optimizer_kwargs = dict(acq_optimizer_kwargs or {})
        acq_optimizer_kwargs.pop("n_jobs", None)  # polishing is sequential
        unknown = set(acq_optimizer_kwargs) - set(_ACQ_OPTIMIZER_DEFAULTS)
        if unknown:
            raise ValueError(
                f"acq_optimizer_kwargs has unknown keys {sorted(unknown)}; use "
                f"{sorted(_ACQ_OPTIMIZER_DEFAULTS)} (or n_jobs, which is ignored)."
            )
        self.acq_optimizer_kwargs = {**_ACQ_OPTIMIZER_DEFAULTS, **acq_optimizer_kwargs}
        self.rng = check_random_state(random_state)
        self.Xi: list[list] = []
        self.yi: list[float] = []
        self.models: list[GaussianProcess] = []
        self._n_seeded = 0
        self._design = _INITIAL_POINT_GENERATORS[initial_point_generator](
            self.n_initial_points, self.space.n_dims, self.rng
        )
        self._gp = GaussianProcess(self.space.n_columns, self.rng)
        self._is_fitted = False
        if acq_func == HEDGE:
            self._acquisitions = [bind_acquisition(*m) for m in HEDGE_PORTFOLIO]
            self._hedge = GPHedge(len(self._acquisitions))
        else:
            self._acquisitions = [make_acquisition(acq_func, self.acq_func_kwargs)]
            self._hedge = None
        self._hedge_proposals: np.ndarray | None = None

    def copy(self, random_state=None) -> Optimizer:
        """An independent copy, with the same points told and the same models.

        Parameters
        ----------
        random_state : int, RandomState instance or None, default=None
            Seed of the copy's later draws; ``None`` continues this
            optimizer's random stream (a copy of it).

        Returns
        -------
        optimizer : Optimizer
            Asking or telling it leaves ``self`` unchanged.
        """
        other = copy.deepcopy(self)
        if random_state is not None:
            other.rng = check_random_state(random_state)
            other._gp.random_state = other.rng
        return other

    # ------------------------------------------------------------------ ask
    def ask(self, n_points: int | None = None):
        """Propose the next point, or ``n_points`` points (constant liar).

        Parameters
        ----------
        n_points : int or None, default=None
            ``None`` returns one point (a list of values); an int returns a
            list of that many points.

        Returns
        -------
        point or points : list or list of list
            One point (a list of values, one per dimension), or a list of
            ``n_points`` distinct points.
        """
        if n_points is not None and (
            not isinstance(n_points, numbers.Integral) or n_points < 1
        ):
            raise ValueError(f"n_points={n_points!r} must be a positive integer.")
        # one BLAS thread: the matrices are tiny and extra threads only spin
        # (and fight the CV workers for the cores)
        with threadpool_limits(limits=1, user_api="blas"):
            points = self._ask_batch(1 if n_points is None else int(n_points))
        return points[0] if n_points is None else points

    def _ask_batch(self, n_points: int) -> list[list]:
        n_told = len(self.yi) - self._n_seeded
        points: list[list] = []
        n_design = max(min(self.n_initial_points - n_told, n_points), 0)
        if n_design:
            design = self.space.from_design(self._design[n_told : n_told + n_design])
            for point in design:
                points.append(self._unseen(point, points))
        if len(points) == n_points:
            return points
        if not self._is_fitted:  # no finite value yet, no data, or 'dummy'
            for point in self.space.draw(n_points - len(points), self.rng):
                points.append(self._unseen(point, points))
            return points
        gp = self._gp
        pending = self.space.to_unit(points) if points else None
        lie = float(np.min(self._surrogate_values()))
        if pending is not None:
            gp = gp.fantasize(pending, np.full(len(pending), lie))
        for _ in range(n_points - len(points)):
            unit = self._propose(gp)
            points.append(self.space.from_unit(unit[None, :])[0])
            gp = gp.fantasize(unit[None, :], [lie])
        return points

    def _unseen(self, point: list, pending: list[list]) -> list:
        """``point``, or a random point not yet told or pending if it was.

        Only discrete spaces can repeat a design point. A space small enough
        to list gives a random unseen point of the list; a larger one is
        redrawn until a fresh point comes (it is then far from exhausted).
        """
        seen = self.Xi + pending
        if point not in seen:
            return point
        grid = self._grid()
        if grid is not None:
            unseen = [p for p in grid if p not in seen]
            return unseen[self.rng.randint(len(unseen))] if unseen else point
        for _ in range(50):
            point = self.space.draw(1, self.rng)[0]
            if point not in seen:
                break
        return point

    def _grid(self) -> list[list] | None:
        """Every point of a finite space of at most ``_MAX_GRID`` points."""
        if not hasattr(self, "_grid_points"):
            size = space_size(self.space)
            self._grid_points = (
                [
                    list(p)
                    for p in itertools.product(*map(_values, self.space.dimensions))
                ]
                if size is not None and size <= _MAX_GRID
                else None
            )
        return self._grid_points

    def _propose(self, gp: GaussianProcess) -> np.ndarray:
        """The model-cube row maximising the acquisition under ``gp``.

        With ``gp_hedge`` every member is judged (its gain) at its best
        candidate, and only the member drawn this round is polished. Polishing
        all three cost 1.7x the time per iteration for the same regret (30
        seeds: Branin 8.4e-5 against 7.5e-5, Hartmann6 5.4e-3 against 5.5e-3).
        """
        y_best = float(np.min(gp.y_train_))
        candidates = self._candidates(gp)
        mu, sigma = gp.predict(candidates)
        values = [acq(mu, sigma, y_best)[0] for acq in self._acquisitions]
        chosen = 0
        if self._hedge is not None:
            self._hedge_proposals = candidates[[int(np.argmax(v)) for v in values]]
            chosen = self._hedge.choose(self.rng)
        acquisition, values = self._acquisitions[chosen], values[chosen]
        polished = None
        n_starts = self.acq_optimizer_kwargs["n_restarts_optimizer"]
        if self.acq_optimizer != "sampling" and n_starts > 0:
            starts = self._starts(gp, candidates, values, n_starts)
            polished = self._polish(gp, acquisition, y_best, starts)
        return self._maximise(gp, acquisition, y_best, candidates, values, polished)

    def _candidates(self, gp: GaussianProcess) -> np.ndarray:
        n_points = self.acq_optimizer_kwargs["n_points"]
        design = self.rng.uniform(size=(n_points, self.space.n_dims))
        random = self.space.design_to_unit(design)
        # local candidates around the best observed points: the global set is
        # too sparse in 6+ dimensions to refine a good basin by itself
        order = np.argsort(gp.y_train_)[:5]
        centres = gp.X_train_[order]
        n_local = n_points // 4
        scale = np.minimum(gp.length_scale_, 1.0) * 0.2
        local = centres[self.rng.randint(len(centres), size=n_local)]
        local = local + self.rng.normal(size=local.shape) * scale
        categorical = self.space.is_categorical_column
        local[:, categorical] = random[:n_local, categorical]
        return np.vstack([random, self.space.snap(local)])

    def _maximise(
        self,
        gp: GaussianProcess,
        acquisition: Callable,
        y_best: float,
        candidates: np.ndarray,
        values: np.ndarray,
        polished: np.ndarray | None,
    ) -> np.ndarray:
        """The best distinct point among the polished starts and the candidates."""
        order = np.argsort(-values)
        if polished is not None:
            snapped = self.space.snap(polished)
            snapped_values = acquisition(*gp.predict(snapped), y_best)[0]
            candidates = np.vstack([snapped, candidates[order]])
            values = np.concatenate([snapped_values, values[order]])
            order = np.argsort(-values, kind="stable")
        seen = gp.X_train_
        for index in order:
            point = candidates[index]
            if np.min(np.sum((seen - point) ** 2, axis=1)) > 1e-12:
                return point
        # every candidate already evaluated (a small discrete space): the best
        # point never evaluated, if the space can be listed
        grid = self._grid()
        if grid is not None:
            units = self.space.to_unit(grid)
            distance = ((units[:, None, :] - seen[None, :, :]) ** 2).sum(-1)
            unseen = units[distance.min(axis=1) > 1e-12]
            if len(unseen):
                return unseen[
                    int(np.argmax(acquisition(*gp.predict(unseen), y_best)[0]))
                ]
        return self.space.design_to_unit(self.rng.uniform(size=(1, self.space.n_dims)))[
            0
        ]

    def _starts(
        self,
        gp: GaussianProcess,
        candidates: np.ndarray,
        values: np.ndarray,
        n_starts: int,
    ) -> np.ndarray:
        """Polish starts: the best candidate, the incumbent, and ``n_starts - 1``
        candidates drawn with probability proportional to ``exp(value)`` (EI
        itself for log-EI), as Optuna's GP sampler does, so that one basin's
        crowd of candidates cannot take every start."""
        best = int(np.argmax(values))
        weights = np.exp(values - values[best])
        weights[best] = 0.0
        n_drawn = min(n_starts - 1, int(np.count_nonzero(weights > 0)))
        drawn = np.empty(0, dtype=int)
        if n_drawn > 0:
            drawn = self.rng.choice(
                len(values), size=n_drawn, replace=False, p=weights / weights.sum()
            )
        incumbent = gp.X_train_[np.argmin(gp.y_train_)]
        return np.vstack([candidates[best], candidates[drawn], incumbent])

    def _polish(
        self,
        gp: GaussianProcess,
        acquisition: Callable,
        y_best: float,
        starts: np.ndarray,
    ) -> np.ndarray:
        """L-BFGS-B from every start, one run per start.

        Each start gets its own run, with its own curvature estimate and its
        own stopping test. (One joint run over all starts, a separable sum,
        costs fewer Python calls but stops when the sum stops improving, with
        some starts unconverged: Hartmann6 regret 1.1e-1 joint against 5.9e-2
        separate, zero-mean GP, 30 seeds.) The variables are ``x / length_scale``
        (Optuna's preconditioning): the acquisition is a function of
        ``x / length_scale``, so in these units its curvature is about the
        same in every direction.
        """
        polished = starts.copy()
        free = ~self.space.is_categorical_column
        if not free.any():
            return polished
        scale = gp.length_scale_[free]
        bounds = list(zip(np.zeros_like(scale), 1.0 / scale))
        options = {"maxiter": self.acq_optimizer_kwargs["maxiter"]}
        for row in polished:
            objective = _ScaledAcquisition(gp, acquisition, y_best, row, free, scale)
            result = minimize(
                objective,
                row[free] / scale,
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options=options,
            )
            row[free] = np.clip(result.x * scale, 0.0, 1.0)
        return polished

    # ----------------------------------------------------------------- tell
    def tell(self, x, y, fit: bool = True) -> OptimizeResult:
        """Record one point and its value, or several points and their values.

        Parameters
        ----------
        x : list or list of list
            A point, or a list of points.
        y : float or list of float
            The value(s) to minimise. NaN or inf marks a failed evaluation: the
            surrogate sees the worst finite value observed.
        fit : bool, default=True
            Refit the surrogate now (skip when telling many batches at once).

        Returns
        -------
        result : OptimizeResult
            As ``get_result()``.
        """
        is_batch = isinstance(y, Sequence | np.ndarray) and not isinstance(y, str)
        points = list(x) if is_batch else [x]
        values = list(np.asarray(y, dtype=float).ravel()) if is_batch else [float(y)]
        if len(points) != len(values):
            raise ValueError(
                f"tell got {len(points)} points and {len(values)} values; give one "
                "value per point."
            )
        for point in points:
            if not self.space.contains(list(point)):
                raise ValueError(f"Point {point!r} is not within the search space.")
        self.Xi.extend(list(point) for point in points)
        self.yi.extend(float(v) for v in values)
        if fit:
            self._fit_when_designed()
        return self.get_result()

    def _fit_when_designed(self) -> None:
        """Fit the surrogate once the whole initial design has been told."""
        if self._is_dummy:
            return
        if self.yi and len(self.yi) - self._n_seeded >= self.n_initial_points:
            with threadpool_limits(limits=1, user_api="blas"):
                self._fit()

    def _tell_seeds(self, x: list[list], y: list[float]) -> OptimizeResult:
        """Tell points evaluated before the initial design (``x0``, seeds).

        They come on top of the ``n_initial_points`` design points, as
        scikit-optimize's ``x0`` does: the design is still drawn whole and the
        surrogate waits for it.
        """
        self.tell(list(x), list(y), fit=False)
        self._n_seeded += len(x)
        self._fit_when_designed()
        return self.get_result()

    def _surrogate_values(self) -> np.ndarray:
        return surrogate_values(self.yi)

    def _fit(self) -> None:
        if not np.isfinite(np.asarray(self.yi, dtype=float)).any():
            self._is_fitted = False
            return
        fit_surrogate(self._gp, self.space, self.Xi, self.yi)
        self._is_fitted = True
        self.models.append(self._gp.copy())
        if self.model_queue_size is not None:
            del self.models[: -self.model_queue_size]
        if self._hedge is not None and self._hedge_proposals is not None:
            mu, _ = self._gp.predict(self._hedge_proposals)
            self._hedge.update(mu)
            self._hedge_proposals = None

    # --------------------------------------------------------------- result
    def get_result(self) -> OptimizeResult:
        """The best point and the history so far.

        Returns
        -------
        result : OptimizeResult
            ``x`` (best point), ``fun`` (its value), ``x_iters``, ``func_vals``,
            ``space``, ``models`` (the fitted surrogates) and
            ``random_state``. Non-finite values never count as the best.
        """
        func_vals = np.asarray(self.yi, dtype=float)
        if len(func_vals) and np.isfinite(func_vals).any():
            best = int(
                np.nanargmin(np.where(np.isfinite(func_vals), func_vals, np.nan))
            )
            x, fun = list(self.Xi[best]), float(func_vals[best])
        else:
            x, fun = None, np.nan
        return OptimizeResult(
            x=x,
            fun=fun,
            x_iters=[list(p) for p in self.Xi],
            func_vals=func_vals,
            space=self.space,
            models=list(self.models),
            random_state=self.rng,
        )

    def run(self, func: Callable, n_iter: int = 1) -> OptimizeResult:
        """Ask, evaluate ``func`` and tell, ``n_iter`` times.

        Parameters
        ----------
        func : callable
            ``func(x) -> float`` for a point ``x``.
        n_iter : int, default=1
            Number of evaluations.

        Returns
        -------
        result : OptimizeResult
            As ``get_result()``.
        """
        for _ in range(n_iter):
            x = self.ask()
            self.tell(x, func(x))
        return self.get_result()


_MAX_GRID = 20_000  # listed only once a repeat shows up: 20k points take 0.3 s


def space_size(space: Space) -> int | None:
    """Number of distinct points of a space with only integers and
    categories, or None when a dimension is real."""
    size = 1
    for dimension in space.dimensions:
        if isinstance(dimension, Integer):
            size *= dimension.high - dimension.low + 1
        elif isinstance(dimension, Categorical):
            size *= len(dimension.categories)
        else:
            return None
    return size


def _values(dimension) -> list:
    if isinstance(dimension, Integer):
        return list(range(dimension.low, dimension.high + 1))
    return list(dimension.categories)


def surrogate_values(func_vals: Sequence[float]) -> np.ndarray:
    """The values the surrogate is fitted to: a failed (non-finite)
    evaluation counts as the worst finite value, the largest of a
    minimisation."""
    y = np.asarray(func_vals, dtype=float)
    finite = np.isfinite(y)
    return np.where(finite, y, np.max(y[finite]) if finite.any() else 0.0)


def fit_surrogate(
    gp: GaussianProcess, space: Space, x_iters: Sequence, func_vals: Sequence[float]
) -> GaussianProcess:
    """Fit ``gp`` to evaluated points: the one fit both the optimizer and the
    plots (``skopt_est.plots``, for results that hold no model) use."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return gp.fit(space.to_unit(list(x_iters)), surrogate_values(func_vals))


class _ScaledAcquisition:
    """``-acquisition`` and its gradient at one point, as a function of the
    free columns divided by their length scales (the polish's variables)."""

    def __init__(self, gp, acquisition, y_best, row, free, scale):
        self.gp, self.acquisition, self.y_best = gp, acquisition, y_best
        self.point = row[None, :].copy()
        self.free, self.scale = free, scale

    def __call__(self, z: np.ndarray) -> tuple[float, np.ndarray]:
        self.point[0, self.free] = z * self.scale
        mu, sigma, d_mu, d_sigma = self.gp.predict_with_gradient(self.point)
        value, dv_dmu, dv_dsigma = self.acquisition(mu, sigma, self.y_best)
        grad = dv_dmu[0] * d_mu[0] + dv_dsigma[0] * d_sigma[0]
        return -float(value[0]), -grad[self.free] * self.scale


_SURROGATES = {"gp": "gp", "dummy": "dummy"}


def _check_base_estimator(base_estimator) -> str:
    """``'gp'`` or ``'dummy'`` (random sampling); anything else is refused."""
    if isinstance(base_estimator, str) and base_estimator.lower() in _SURROGATES:
        return _SURROGATES[base_estimator.lower()]
    raise ValueError(
        f"base_estimator={base_estimator!r} is not supported: skopt_est's "
        "surrogate is a Gaussian process (Matérn-5/2 with fitted priors), so "
        "use 'GP' (the default), or 'dummy' for random search."
    )


def _check_option(name: str, value, options) -> None:
    if value not in options:
        raise ValueError(
            f"{name}={value!r} is not supported; use one of {sorted(options)}."
        )
