"""HyperbandSearchCV against full-fidelity and multi-fidelity peers at equal CPU time.

Every method runs in one process, one after the other, on the same split: the
reference ``BayesSearchCV(n_iter=40)`` first, whose CPU time ``T`` sets the
budgets (``--budgets``, fractions of ``T``). Each method then gets each
budget and its selected model, refitted on the training rows, is scored on a
held-out test set (25 %): accuracy for the classifiers, R² for friedman.

Problems (``--problems``):

- digits: ``MLPClassifier`` on scikit-learn's digits (1797 rows, /16);
- sparse: ``GDClassifier`` on the text-like CSR data of ``bench_linear.py``
  (``make_text_like(2)``: 30 000 rows x 50 000 columns, about 65 stored
  entries a row, its fixed data re-split by seed), over learning rate
  ``eta0``, ``alpha``, batch size, loss, penalty, solver and schedule;
- friedman: ``MLPRegressor`` on ``make_friedman1(10_000, noise=1.0)``, ``y``
  standardised;
- classification: ``MLPClassifier`` on ``make_classification(20_000, 40,
  n_informative=15, flip_y=0.1)``, standardised.

The MLP space: learning rate, ``alpha``, batch size, hidden sizes, dropout,
solver and schedule; ``max_iter`` is ``--max-epochs``.

Methods (``--methods``):

- bayes: ``BayesSearchCV`` stopped by CPU time. Its budgeted results are read
  off the reference run: the best setting among those finished at the first
  callback past ``fraction x T`` is exactly what a run with that deadline
  returns;
- hyperband: ``HyperbandSearchCV(min_resources=1, factor=3)`` cycling
  brackets until a CPU-time callback stops it, read off one run to ``T`` the
  same way (the best setting at the largest resource among the rungs
  finished when the budget passed). ``hyperband:name=value,...`` runs it
  with other arguments (an A/B of ``random_fraction=0``, say), and
  ``hyperband:proposals='input'`` with another source of candidates
  (``bench_fidelity_model.py``'s variants);
- random: ``RandomizedSearchCV`` with ``n_iter = round(40 * fraction)``, a
  run per budget;
- halving: scikit-learn's ``HalvingRandomSearchCV(resource='max_iter')``
  with ``n_candidates = round(120 * fraction)``, a run per budget, from
  ``min_resources=1`` (its rungs stop where the candidates run out, below
  ``max_iter`` with fewer than ``3 ** (rungs - 1)``);
  ``halving:min_resources='exhaust'`` runs scikit-learn's default, whose
  last rung is ``max_iter``;
- optuna: TPE with ``HyperbandPruner``, one ``partial_fit`` epoch per report
  on one 3-fold split's first fold, stopped by CPU time (read off one run).

random and halving are sized by counts, so their CPU time only approximates
the budget (the table gives it). Torch runs on one thread, so CPU time is
the work done.

Size (``--scale``, ``--max-epochs``): the defaults are the full benchmark
(5 seeds, the row counts above, 200 epochs), for a quiet machine: hours per
problem. ``--scale`` multiplies the row counts of sparse, friedman and
classification (digits keeps its 1797 rows) for a reduced run. A seed costs
about 7 x T of CPU with every method (two hyperband variants included); the
reduced run of ``results/multifidelity.md`` had T = 35 s (digits, 27 epochs),
40 s (sparse, ``--scale 0.1 --max-epochs 9``), 21 s (friedman, ``--scale
0.15``) and 31 s (classification, ``--scale 0.1``): 5-10 wall minutes a seed on a
shared 2-core machine. Sparse at ``--scale 0.15`` and 27 epochs had T over
200 s. Usage::

    python benchmarks/bench_multifidelity.py --quick
    python benchmarks/bench_multifidelity.py --problems friedman --seeds 0 1 2 \\
        --scale 0.15 --max-epochs 27

``--json FILE`` also writes every row (problem, seed, method, budget
fraction, CPU seconds, held-out score, with the command and the date) to
``FILE``, after each seed, merged into what the file holds: rows keyed by
(problem, seed, method, fraction), a later run replacing the same keys, so
one run per problem can write to one file (``_mf_results.py`` gives the
format). ``plot_multifidelity.py`` draws it and prints its tables::

    python benchmarks/bench_multifidelity.py --problems digits --seeds 0 1 2 3 4 \\
        --max-epochs 27 --json benchmarks/results/multifidelity.json
    python benchmarks/plot_multifidelity.py benchmarks/results/multifidelity.json \\
        --out docs/_static/multifidelity.png --table

SMAC3 is not run (see results/multifidelity.md).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_friedman1
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    HalvingRandomSearchCV,
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    train_test_split,
)
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _mf_results  # noqa: E402

from skopt_est import GDClassifier, MLPClassifier, MLPRegressor  # noqa: E402
from skopt_est.search import BayesSearchCV, HyperbandSearchCV  # noqa: E402
from skopt_est.space import Categorical, Integer, Real  # noqa: E402

N_ITER = 40
PROBLEMS = ("digits", "sparse", "friedman", "classification")


def _problem(name: str, seed: int, scale: float = 1.0):
    """``(X, y, estimator class, is_classifier)``."""
    if name == "digits":
        X, y = load_digits(return_X_y=True)
        return X / 16, y, MLPClassifier, True
    if name == "classification":
        X, y = make_classification(round(20_000 * scale), 40, n_informative=15,
                                   flip_y=0.1, random_state=seed)
        return StandardScaler().fit_transform(X), y, MLPClassifier, True
    if name == "friedman":
        X, y = make_friedman1(round(10_000 * scale), noise=1.0, random_state=seed)
        return X, (y - y.mean()) / y.std(), MLPRegressor, False
    if name == "sparse":
        import scipy.sparse as sp
        from bench_linear import SPARSE_SHAPE, make_text_like

        X_a, y_a, X_b, y_b = make_text_like(2, n_samples=round(SPARSE_SHAPE[0] * scale))
        return sp.vstack([X_a, X_b]).tocsr(), np.concatenate([y_a, y_b]), \
            GDClassifier, True
    raise ValueError(f"unknown problem {name!r}; choose from {PROBLEMS}")


def _space(problem: str = "digits") -> dict:
    if problem == "sparse":
        return {
            "eta0": Real(1e-4, 1.0, prior="log-uniform"),
            "alpha": Real(1e-7, 1e-2, prior="log-uniform"),
            "batch_size": Integer(16, 256, prior="log-uniform"),
            "loss": Categorical(["hinge", "log_loss", "modified_huber"]),
            "penalty": Categorical(["l2", "l1", "elasticnet"]),
            "solver": Categorical(["sgd", "adam", "rmsprop"]),
            "learning_rate": Categorical(["constant", "invscaling", "cosine"]),
        }
    return {
        "learning_rate_init": Real(1e-4, 1e-1, prior="log-uniform"),
        "alpha": Real(1e-6, 1e-1, prior="log-uniform"),
        "batch_size": Integer(16, 256, prior="log-uniform"),
        "hidden_layer_sizes": Categorical([(32,), (64,), (128,), (64, 64)]),
        "dropout": Real(0.0, 0.4),
        "solver": Categorical(["adam", "sgd", "rmsprop"]),
        "learning_rate": Categorical(["constant", "cosine", "linear"]),
    }


def _distributions(space: dict) -> dict:
    from scipy.stats import loguniform, uniform

    out = {}
    for name, dim in space.items():
        if isinstance(dim, Categorical):
            out[name] = list(dim.categories)
        elif isinstance(dim, Integer):
            out[name] = list(range(dim.low, dim.high + 1, 16))
        elif dim.prior == "log-uniform":
            out[name] = loguniform(dim.low, dim.high)
        else:
            out[name] = uniform(dim.low, dim.high - dim.low)
    return out


class _Trace:
    """A search callback: notes (rows finished, CPU seconds) at every call and
    stops past ``stop_after`` CPU seconds (never when None)."""

    def __init__(self, rows, stop_after=None):
        self.rows = rows
        self.stop_after = stop_after
        self.start = time.process_time()
        self.calls: list[tuple[int, float]] = []

    def __call__(self, result) -> bool:
        used = time.process_time() - self.start
        self.calls.append((self.rows(result), used))
        return self.stop_after is not None and used > self.stop_after

    def at(self, budget: float) -> tuple[int, float]:
        """What a run stopped at ``budget`` CPU seconds would have finished."""
        return next((c for c in self.calls if c[1] > budget), self.calls[-1])


def _best_of_first(results: dict, n_rows: int) -> dict:
    """Parameters of the best of the first ``n_rows`` rows, at their largest
    resource where the rows have one (the rule of both searches)."""
    scores = np.asarray(results["mean_test_score"][:n_rows], dtype=float)
    if "n_resources" in results:
        resources = np.asarray(results["n_resources"][:n_rows])
        scores = np.where(resources == resources.max(), scores, np.nan)
    best = 0 if np.isnan(scores).all() else int(np.nanargmax(scores))
    return dict(results["params"][best])


def _refit(est, params: dict, X, y):
    start = time.process_time()
    model = clone(est).set_params(**params).fit(X, y)
    return model, time.process_time() - start


def _smoothed_best_of_first(results: dict, n_rows: int, space: dict) -> dict:
    """As ``_best_of_first``, but the setting whose score a GP fitted on the
    largest resource's rows predicts best (a pick less prone to the luck of
    the maximum of noisy CV scores)."""
    from skopt_est.search import Optimizer

    scores = np.asarray(results["mean_test_score"][:n_rows], dtype=float)
    resources = np.asarray(results["n_resources"][:n_rows])
    rows = [i for i in range(n_rows)
            if resources[i] == resources.max() and np.isfinite(scores[i])]
    if len(rows) < 3:
        return _best_of_first(results, n_rows)
    names = list(space)
    points = [[results["params"][i][name] for name in names] for i in rows]
    optimizer = Optimizer(list(space.values()), n_initial_points=1, random_state=0)
    optimizer.tell(points, [-scores[i] for i in rows])
    mean, _ = optimizer.models[-1].predict(optimizer.space.to_unit(points))
    return dict(results["params"][rows[int(np.argmin(mean))]])


def _read_off(est, search, trace, budgets, X, y, space=None):
    """``(CPU seconds used, refitted model)`` per budget, from one run; with
    ``space``, the pick is ``_smoothed_best_of_first``'s."""
    out = []
    for budget in budgets:
        n_rows, used = trace.at(budget)
        if space is None:
            params = _best_of_first(search.cv_results_, n_rows)
        else:
            params = _smoothed_best_of_first(search.cv_results_, n_rows, space)
        model, seconds = _refit(est, params, X, y)
        out.append((used + seconds, model))
    return out


def run_bayes(est, X, y, cv, seed, space, budgets):
    search = BayesSearchCV(est, space, n_iter=N_ITER, cv=cv, random_state=seed)
    trace = _Trace(lambda result: len(result.func_vals))
    search.fit(X, y, callback=trace)
    return search, trace


def run_hyperband(est, X, y, cv, seed, space, budgets, proposals="top",
                  smoothed_pick=False, **kwargs):
    """``proposals``: where new candidates come from, one of
    ``bench_fidelity_model.VARIANTS`` ('top' is what the search does).
    ``smoothed_pick``: also read the run off by ``_smoothed_best_of_first``
    (returns both lists)."""
    from bench_fidelity_model import VARIANTS

    from skopt_est.search import _hyperband

    kwargs = {"factor": 3, "n_brackets": 200, "min_resources": 1, **kwargs}
    search = HyperbandSearchCV(est, space, cv=cv, random_state=seed, **kwargs)
    trace = _Trace(lambda result: len(result["hyperband_state"]["rows"]["params"]),
                   stop_after=max(budgets))
    shipped = _hyperband.RungOptimizers
    _hyperband.RungOptimizers = VARIANTS[proposals]  # this process only
    try:
        search.fit(X, y, callback=trace)
    finally:
        _hyperband.RungOptimizers = shipped
    found = _read_off(est, search, trace, budgets, X, y)
    if not smoothed_pick:
        return found
    return found, _read_off(est, search, trace, budgets, X, y, space=space)


def run_random(est, X, y, cv, seed, space, fraction, **kwargs):
    search = RandomizedSearchCV(est, _distributions(space),
                                n_iter=max(1, round(N_ITER * fraction)), cv=cv,
                                random_state=seed, **kwargs)
    return search.fit(X, y).best_estimator_


def run_halving(est, X, y, cv, seed, space, fraction, **kwargs):
    kwargs = {"min_resources": 1, **kwargs}
    search = HalvingRandomSearchCV(
        est, _distributions(space), n_candidates=max(3, round(120 * fraction)),
        resource="max_iter", max_resources=est.max_iter, factor=3,
        cv=cv, random_state=seed, **kwargs,
    )
    return search.fit(X, y).best_estimator_


def run_optuna(est, X, y, cv, seed, space, budgets, classifier):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    train, val = next(cv.split(X, y))
    classes = np.unique(y) if classifier else None

    def suggest(trial):
        params = {}
        for name, dim in space.items():
            if isinstance(dim, Categorical):
                choices = list(range(len(dim.categories)))
                index = trial.suggest_categorical(name, choices)
                params[name] = dim.categories[index]
            elif isinstance(dim, Integer):
                params[name] = trial.suggest_int(name, dim.low, dim.high, log=True)
            else:
                params[name] = trial.suggest_float(
                    name, dim.low, dim.high, log=dim.prior == "log-uniform")
        return params

    def objective(trial):
        model = clone(est).set_params(**suggest(trial))
        for epoch in range(est.max_iter):
            kwargs = {"classes": classes} if classifier else {}
            model.partial_fit(X[train], y[train], **kwargs)
            score = model.score(X[val], y[val])
            if not np.isfinite(score):
                raise optuna.TrialPruned()
            trial.report(score, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return score

    study = optuna.create_study(
        direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.HyperbandPruner(min_resource=1,
                                              max_resource=est.max_iter),
    )
    start, snapshots = time.process_time(), []
    for budget in sorted(budgets):
        while time.process_time() - start <= budget:
            study.optimize(objective, n_trials=1, catch=(Exception,))
        snapshots.append((time.process_time() - start, _optuna_best(study, space)))
    out = []
    for used, params in snapshots:
        model, seconds = _refit(est, params, X, y)
        out.append((used + seconds, model))
    return out


def _optuna_best(study, space) -> dict:
    try:
        best = study.best_params
    except ValueError:  # every trial pruned or failed: the default setting
        return {}
    return {name: space[name].categories[value]
            if isinstance(space[name], Categorical) else value
            for name, value in best.items()}


def _method_kwargs(method: str) -> tuple[str, dict]:
    """``'hyperband:random_fraction=0,factor=4'`` -> name and keyword arguments."""
    name, _, spec = method.partition(":")
    kwargs = {}
    for item in filter(None, spec.split(",")):
        key, value = item.split("=")
        kwargs[key] = ast.literal_eval(value)
    return name, kwargs


def run_seed(problem, seed, args, log):
    """The rows of one seed and the name of the held-out metric."""
    X, y, cls, classifier = _problem(problem, seed, args.scale)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y if classifier else None)
    est = cls(max_iter=args.max_epochs, random_state=seed)
    cv = StratifiedKFold if classifier else KFold
    cv = cv(3, shuffle=True, random_state=seed)
    space = _space(problem)
    rows = []

    def add(method, fraction, used, model):
        rows.append((problem, seed, method, fraction, used, model.score(X_te, y_te)))
        log(rows[-1])

    ref, trace = run_bayes(est, X_tr, y_tr, cv, seed, space, None)
    total = trace.calls[-1][1]
    add("bayes", 1.0, total, ref.best_estimator_)  # the reference, n_iter=40
    budgets = [fraction * total for fraction in args.budgets]
    for method in args.methods:
        name, kwargs = _method_kwargs(method)
        if name == "bayes":
            fractions = [f for f in args.budgets if f < 1]
            for fraction, (used, model) in zip(fractions, _read_off(
                    est, ref, trace, [f * total for f in fractions], X_tr, y_tr)):
                add(method, fraction, used, model)
        elif name == "hyperband":
            found = run_hyperband(est, X_tr, y_tr, cv, seed, space, budgets, **kwargs)
            if kwargs.get("smoothed_pick"):  # the same run read off two ways
                found, smoothed = found
                for fraction, (used, model) in zip(args.budgets, smoothed):
                    add(method + "[GP pick]", fraction, used, model)
            for fraction, (used, model) in zip(args.budgets, found):
                add(method, fraction, used, model)
        elif name == "optuna":
            found = run_optuna(est, X_tr, y_tr, cv, seed, space, budgets, classifier)
            for fraction, (used, model) in zip(args.budgets, found):
                add(method, fraction, used, model)
        elif name in ("random", "halving"):
            run = run_random if name == "random" else run_halving
            for fraction in args.budgets:
                start = time.process_time()
                model = run(est, X_tr, y_tr, cv, seed, space, fraction, **kwargs)
                add(method, fraction, time.process_time() - start, model)
        else:
            raise ValueError(f"unknown method {method!r}")
    return rows, "accuracy" if classifier else "r2"


def _records(rows, metric, args, command, date) -> list[dict]:
    """``rows`` as the dictionaries of the ``--json`` file."""
    names = ("problem", "seed", "method", "fraction", "cpu_seconds", "score")
    return [{**dict(zip(names, row)), "metric": metric,
             "max_epochs": args.max_epochs, "scale": args.scale,
             "command": command, "date": date} for row in rows]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", nargs="+", default=list(PROBLEMS),
                        choices=PROBLEMS)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="row-count multiplier for sparse, friedman and "
                             "classification (digits keeps its rows)")
    parser.add_argument("--budgets", nargs="+", type=float,
                        default=[0.1, 0.25, 0.5, 1.0])
    parser.add_argument("--methods", nargs="+",
                        default=["hyperband", "bayes", "random", "halving", "optuna"])
    parser.add_argument("--quick", action="store_true",
                        help="digits, seed 0, 27 epochs, budgets 0.25 and 1")
    parser.add_argument("--json", metavar="FILE",
                        help="merge every row into this JSON file, after each "
                             "seed (plot_multifidelity.py draws it)")
    args = parser.parse_args(argv)
    if args.json:  # fail now rather than after the first seed
        if not Path(args.json).resolve().parent.is_dir():
            parser.error(f"--json {args.json}: its folder does not exist")
        try:
            _mf_results.load(args.json)
        except ValueError as error:
            parser.error(f"--json: {error}")
    command = "python benchmarks/bench_multifidelity.py " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    date = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    if args.quick:
        args.problems, args.seeds, args.max_epochs = ["digits"], [0], 27
        args.budgets = [0.25, 1.0]
    args.budgets = sorted(args.budgets)
    import torch

    torch.set_num_threads(1)
    warnings.simplefilter("ignore")
    rows = []
    for problem in args.problems:
        for seed in args.seeds:
            found, metric = run_seed(problem, seed, args,
                                     lambda row: print(row, flush=True))
            rows += found
            if args.json:
                _mf_results.merge(args.json,
                                  _records(found, metric, args, command, date))
        _print_table([r for r in rows if r[0] == problem])
    print("\ncommand: " + command)


def _print_table(rows):
    """Mean ± standard error over seeds of the held-out score, per budget."""
    methods = list(dict.fromkeys(r[2] for r in rows))
    fractions = sorted({r[3] for r in rows})
    seeds = sorted({r[1] for r in rows})
    print(f"\n{rows[0][0]}, seeds {seeds}: held-out score, mean ± s.e. "
          "(mean CPU s)\n")
    print("| budget (x T) | " + " | ".join(methods) + " |")
    print("|---" * (len(methods) + 1) + "|")
    for fraction in fractions:
        cells = []
        for method in methods:
            sel = [r for r in rows if r[2] == method and r[3] == fraction]
            if not sel:
                cells.append("")
                continue
            scores = np.array([r[5] for r in sel])
            se = scores.std(ddof=1) / np.sqrt(len(scores)) if len(scores) > 1 else 0
            cells.append(f"{scores.mean():.4f} ± {se:.4f} "
                         f"({np.mean([r[4] for r in sel]):.1f} s)")
        print(f"| {fraction:g} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
