"""HyperbandSearchCV against full-fidelity and multi-fidelity peers at equal CPU time.

Every method runs in one process, one after the other, on the same split: the
reference ``BayesSearchCV(n_iter=40)`` first, whose CPU time ``T`` sets the
budgets (``--budgets``, fractions of ``T``). Each method then gets each
budget and its selected model is scored on a held-out test set (25 %).

- bayes: ``BayesSearchCV`` stopped by CPU time (a callback);
- hyperband: ``HyperbandSearchCV`` (cycling brackets) stopped by CPU time;
- random: ``RandomizedSearchCV`` with ``n_iter = round(40 * fraction)``;
- halving: scikit-learn's ``HalvingRandomSearchCV(resource='max_iter')``
  with ``n_candidates = round(120 * fraction)``;
- optuna: TPE with ``HyperbandPruner``, one ``partial_fit`` epoch per report
  on one 3-fold split's first fold, stopped by the CPU budget.

Usage::

    PYTHONPATH=. python benchmarks/bench_multifidelity.py --quick
    PYTHONPATH=. python benchmarks/bench_multifidelity.py --problems digits friedman \\
        --seeds 0 1 --max-epochs 27 --budgets 0.25 1.0

SMAC3 is not run: it is not installed here (see results/multifidelity.md).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
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

from skopt_est import MLPClassifier, MLPRegressor
from skopt_est.search import BayesSearchCV, HyperbandSearchCV
from skopt_est.space import Categorical, Integer, Real

N_ITER = 40


def _problem(name: str, seed: int):
    if name == "digits":
        X, y = load_digits(return_X_y=True)
        return X / 16, y, MLPClassifier, True
    if name == "classification":
        X, y = make_classification(20_000, 40, n_informative=15, flip_y=0.1,
                                   random_state=seed)
        return StandardScaler().fit_transform(X), y, MLPClassifier, True
    if name == "friedman":
        X, y = make_friedman1(10_000, noise=1.0, random_state=seed)
        return X, (y - y.mean()) / y.std(), MLPRegressor, False
    raise ValueError(f"unknown problem {name!r}")


def _space() -> dict:
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


class _CpuDeadline:
    def __init__(self, seconds: float):
        self.end = time.process_time() + seconds

    def __call__(self, result) -> bool:
        return time.process_time() > self.end


def _cv(classifier: bool, seed: int):
    cls = StratifiedKFold if classifier else KFold
    return cls(3, shuffle=True, random_state=seed)


def run_bayes(est, X, y, cv, seed, budget):
    search = BayesSearchCV(est, _space(), n_iter=N_ITER, cv=cv, random_state=seed)
    callback = None if budget is None else _CpuDeadline(budget)
    return search.fit(X, y, callback=callback).best_estimator_


def run_hyperband(est, X, y, cv, seed, budget):
    search = HyperbandSearchCV(est, _space(), factor=3, cv=cv, random_state=seed,
                               n_brackets=50, min_resources=1)
    return search.fit(X, y, callback=_CpuDeadline(budget)).best_estimator_


def run_random(est, X, y, cv, seed, budget, fraction):
    search = RandomizedSearchCV(est, _distributions(_space()),
                                n_iter=max(1, round(N_ITER * fraction)), cv=cv,
                                random_state=seed)
    return search.fit(X, y).best_estimator_


def run_halving(est, X, y, cv, seed, budget, fraction):
    search = HalvingRandomSearchCV(
        est, _distributions(_space()), n_candidates=max(3, round(120 * fraction)),
        resource="max_iter", min_resources=1, max_resources=est.max_iter, factor=3,
        cv=cv, random_state=seed,
    )
    return search.fit(X, y).best_estimator_


def run_optuna(est, X, y, cv, seed, budget, classifier):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    train, val = next(cv.split(X, y))
    classes = np.unique(y) if classifier else None
    space = _space()

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
        model = est.__class__(**{**est.get_params(), **suggest(trial)})
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
    end = time.process_time() + budget
    while time.process_time() < end:
        study.optimize(objective, n_trials=1, catch=(Exception,))
    best = {**est.get_params()}
    for name, dim in space.items():
        value = study.best_params[name]
        best[name] = dim.categories[value] if isinstance(dim, Categorical) else value
    return est.__class__(**best).fit(X, y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", nargs="+",
                        default=["digits", "classification", "friedman"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--budgets", nargs="+", type=float,
                        default=[0.1, 0.25, 0.5, 1.0])
    parser.add_argument("--methods", nargs="+",
                        default=["hyperband", "bayes", "random", "halving", "optuna"])
    parser.add_argument("--quick", action="store_true",
                        help="digits, seed 0, 27 epochs, budgets 0.25 and 1")
    args = parser.parse_args(argv)
    if args.quick:
        args.problems, args.seeds, args.max_epochs = ["digits"], [0], 27
        args.budgets = [0.25, 1.0]
    warnings.simplefilter("ignore")
    rows = []
    for problem in args.problems:
        for seed in args.seeds:
            X, y, cls, classifier = _problem(problem, seed)
            X_tr, X_te, y_tr, y_te = train_test_split(
                X, y, test_size=0.25, random_state=seed,
                stratify=y if classifier else None)
            est = cls(max_iter=args.max_epochs, random_state=seed)
            cv = _cv(classifier, seed)
            start = time.process_time()
            ref = run_bayes(est, X_tr, y_tr, cv, seed, None)
            total = time.process_time() - start
            rows.append((problem, seed, "bayes(n_iter=40)", 1.0, total,
                         ref.score(X_te, y_te)))
            print(rows[-1], flush=True)
            for fraction in args.budgets:
                budget = fraction * total
                for method in args.methods:
                    start = time.process_time()
                    if method == "hyperband":
                        model = run_hyperband(est, X_tr, y_tr, cv, seed, budget)
                    elif method == "bayes":
                        if fraction == 1.0:
                            continue
                        model = run_bayes(est, X_tr, y_tr, cv, seed, budget)
                    elif method == "random":
                        model = run_random(est, X_tr, y_tr, cv, seed, budget, fraction)
                    elif method == "halving":
                        model = run_halving(est, X_tr, y_tr, cv, seed, budget,
                                            fraction)
                    else:
                        model = run_optuna(est, X_tr, y_tr, cv, seed, budget,
                                           classifier)
                    used = time.process_time() - start
                    rows.append((problem, seed, method, fraction, used,
                                 model.score(X_te, y_te)))
                    print(rows[-1], flush=True)
    _print_table(rows)


def _print_table(rows):
    print("\n| problem | method | budget (x T) | CPU s (mean) | test score (mean) |")
    print("|---|---|---|---|---|")
    keys = sorted({(r[0], r[2], r[3]) for r in rows})
    for problem, method, fraction in keys:
        sel = [r for r in rows if r[:1] == (problem,) and r[2] == method
               and r[3] == fraction]
        print(f"| {problem} | {method} | {fraction:g} | "
              f"{np.mean([r[4] for r in sel]):.1f} | "
              f"{np.mean([r[5] for r in sel]):.4f} |")


if __name__ == "__main__":
    main()
