"""Search quality and overhead: skopt_est's Optimizer against its peers, one run.

Part 1, ask/tell without CV: Branin (2-d), Hartmann6 (6-d) and a mixed
function (two log-scale reals, one integer, one 3-level categorical), a
budget of ``--n-evals`` evaluations, ``--seeds`` seeds, 10 initial points for
every method. Reported: regret (best value found minus the known optimum)
after 10/20/40 evaluations as the geometric mean over seeds (DESIGN §3) with
the median beside it, and the optimizer's own time per iteration (ask +
tell, objective excluded) at 10/25/40 observations, median over seeds.

Part 2, end to end: BayesSearchCV vs scikit-optimize's BayesSearchCV vs
RandomizedSearchCV tuning an SGDRegressor pipeline on diabetes (cv=3,
n_iter=25, 3 seeds): best CV score and wall time.

Peers (scikit-optimize, optuna) are benchmark-only dependencies
(``pip install skopt-est[bench]``).

    python benchmarks/bench_search.py                 # everything, 10 seeds
    python benchmarks/bench_search.py --seeds 3 --methods skopt_est optuna_gp
    python benchmarks/bench_search.py --skip-cv
"""

from __future__ import annotations

import argparse
import math
import time
import warnings

import numpy as np

from skopt_est.search import Optimizer
from skopt_est.space import Categorical, Integer, Real

N_INITIAL = 10
# per-iteration clock; --clock cpu swaps in process time, which on a shared,
# loaded machine measures the optimizer's own work instead of its waiting
CLOCK = {"now": time.perf_counter}

# ----------------------------------------------------------------- problems


def branin(x):
    x1, x2 = x
    a, b, c = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi
    r, s, t = 6.0, 10.0, 1 / (8 * np.pi)
    return a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * np.cos(x1) + s


_H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H6_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def hartmann6(x):
    x = np.asarray(x, dtype=float)
    return float(-np.sum(_H6_ALPHA * np.exp(-np.sum(_H6_A * (x - _H6_P) ** 2, axis=1))))


_MIXED_KIND = {"adam": 0.0, "sgd": 0.6, "rmsprop": 0.25}


def mixed(x):
    """Two log-scale reals, an integer and a categorical; minimum 0.

    Shaped like a learning-rate / regularisation / width / solver surface:
    a curved valley in (log lr, log alpha), an integer optimum whose best
    value depends on the solver, and a categorical offset.
    """
    lr, alpha, width, kind = x
    u, v = math.log10(lr) + 2.5, math.log10(alpha) + 4.0
    shift = 1 if kind == "sgd" else 0
    return (
        (u - 0.3 * v**2 / 4) ** 2
        + 0.25 * v**2
        + 0.05 * (width - 6 - shift) ** 2
        + _MIXED_KIND[kind]
    )


PROBLEMS = {
    "branin": (branin, [Real(-5.0, 10.0), Real(0.0, 15.0)], 0.397887357729738),
    "hartmann6": (hartmann6, [Real(0.0, 1.0)] * 6, -3.322368011391339),
    "mixed": (
        mixed,
        [
            Real(1e-5, 1.0, prior="log-uniform"),
            Real(1e-7, 1e-1, prior="log-uniform"),
            Integer(1, 16),
            Categorical(["adam", "sgd", "rmsprop"]),
        ],
        0.0,
    ),
}

# ------------------------------------------------------------------ methods


def run_skopt_est(func, dims, n_evals, seed):
    opt = Optimizer(dims, n_initial_points=N_INITIAL, random_state=seed)
    return _ask_tell_loop(opt.ask, opt.tell, func, n_evals)


def run_skopt_est_ei(func, dims, n_evals, seed):
    opt = Optimizer(dims, n_initial_points=N_INITIAL, acq_func="EI", random_state=seed)
    return _ask_tell_loop(opt.ask, opt.tell, func, n_evals)


def run_skopt(func, dims, n_evals, seed):
    import skopt

    peer_dims = []
    for d in dims:
        if isinstance(d, Real):
            peer_dims.append(skopt.space.Real(d.low, d.high, prior=d.prior))
        elif isinstance(d, Integer):
            peer_dims.append(skopt.space.Integer(d.low, d.high, prior=d.prior))
        else:
            peer_dims.append(skopt.space.Categorical(list(d.categories)))
    opt = skopt.Optimizer(peer_dims, n_initial_points=N_INITIAL, random_state=seed)
    return _ask_tell_loop(opt.ask, opt.tell, func, n_evals)


def _ask_tell_loop(ask, tell, func, n_evals):
    values, times = [], []
    for _ in range(n_evals):
        start = CLOCK["now"]()
        x = ask()
        elapsed = CLOCK["now"]() - start
        y = func(x)
        start = CLOCK["now"]()
        tell(x, y)
        times.append(elapsed + CLOCK["now"]() - start)
        values.append(y)
    return np.array(values), np.array(times)


def _optuna_distributions(dims):
    import optuna

    distributions = {}
    for i, d in enumerate(dims):
        log = getattr(d, "prior", "") == "log-uniform"
        if isinstance(d, Real):
            distributions[f"x{i}"] = optuna.distributions.FloatDistribution(
                d.low, d.high, log=log
            )
        elif isinstance(d, Integer):
            distributions[f"x{i}"] = optuna.distributions.IntDistribution(
                d.low, d.high, log=log
            )
        else:
            distributions[f"x{i}"] = optuna.distributions.CategoricalDistribution(
                list(d.categories)
            )
    return distributions


def _run_optuna(sampler, func, dims, n_evals):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=sampler)
    distributions = _optuna_distributions(dims)
    values, times = [], []
    for _ in range(n_evals):
        start = CLOCK["now"]()
        trial = study.ask(distributions)
        x = [trial.params[f"x{i}"] for i in range(len(dims))]
        elapsed = CLOCK["now"]() - start
        y = func(x)
        start = CLOCK["now"]()
        study.tell(trial, y)
        times.append(elapsed + CLOCK["now"]() - start)
        values.append(y)
    return np.array(values), np.array(times)


def run_optuna_gp(func, dims, n_evals, seed):
    import optuna

    sampler = optuna.samplers.GPSampler(seed=seed, n_startup_trials=N_INITIAL)
    return _run_optuna(sampler, func, dims, n_evals)


def run_optuna_tpe(func, dims, n_evals, seed):
    import optuna

    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=N_INITIAL)
    return _run_optuna(sampler, func, dims, n_evals)


def run_random(func, dims, n_evals, seed):
    from skopt_est.space import Space

    space = Space(dims)
    rng = np.random.RandomState(seed)
    values, times = [], []
    for _ in range(n_evals):
        start = CLOCK["now"]()
        x = space.rvs(1, rng)[0]
        times.append(CLOCK["now"]() - start)
        values.append(func(x))
    return np.array(values), np.array(times)


METHODS = {
    "skopt_est": run_skopt_est,
    "skopt_est_EI": run_skopt_est_ei,
    "skopt": run_skopt,
    "optuna_gp": run_optuna_gp,
    "optuna_tpe": run_optuna_tpe,
    "random": run_random,
}

# ------------------------------------------------------------------ reports


def _geomean(values):
    values = np.maximum(np.asarray(values, dtype=float), 1e-12)
    return float(np.exp(np.mean(np.log(values))))


def bench_optimizers(args):
    checkpoints = [c for c in (10, 20, 40) if c <= args.n_evals]
    timing_at = [c for c in (10, 25, 40) if c <= args.n_evals]
    print(
        f"## Optimizer alone: {args.n_evals} evaluations, {args.seeds} seeds, "
        f"{N_INITIAL} initial points; {args.clock} clock"
    )
    print("regret: geometric mean over seeds (median); time: ms per ask+tell, median")
    header = (
        "| problem | method | "
        + " | ".join(f"regret@{c}" for c in checkpoints)
        + " | "
        + " | ".join(f"ms@{c}" for c in timing_at)
        + " |"
    )
    print(header)
    print("|" + "---|" * (2 + len(checkpoints) + len(timing_at)))
    for problem in args.problems:
        func, dims, optimum = PROBLEMS[problem]
        for method in args.methods:
            regrets = {c: [] for c in checkpoints}
            times = {c: [] for c in timing_at}
            for seed in range(args.seeds):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    values, seconds = METHODS[method](func, dims, args.n_evals, seed)
                best = np.minimum.accumulate(values)
                for c in checkpoints:
                    regrets[c].append(best[c - 1] - optimum)
                for c in timing_at:
                    times[c].append(seconds[c - 1])
            cells = [
                f"{_geomean(regrets[c]):.2e} ({np.median(regrets[c]):.2e})"
                for c in checkpoints
            ]
            cells += [f"{1000 * np.median(times[c]):.1f}" for c in timing_at]
            print(f"| {problem} | {method} | " + " | ".join(cells) + " |", flush=True)


def bench_cv(args):
    from scipy.stats import loguniform
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import SGDRegressor
    from sklearn.model_selection import RandomizedSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skopt_est.search import BayesSearchCV

    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), SGDRegressor(max_iter=200, random_state=0))
    ours = {
        "sgdregressor__alpha": Real(1e-6, 1e1, prior="log-uniform"),
        "sgdregressor__eta0": Real(1e-4, 1e0, prior="log-uniform"),
        "sgdregressor__l1_ratio": Real(0.0, 1.0),
        "sgdregressor__penalty": Categorical(["l2", "l1", "elasticnet"]),
        "sgdregressor__learning_rate": Categorical(
            ["invscaling", "constant", "adaptive"]
        ),
    }
    print("\n## End to end: SGD pipeline on diabetes, cv=3, n_iter=25, 3 seeds")
    print("| method | best CV r2 (mean over seeds) | min | wall s (mean) |")
    print("|---|---|---|---|")

    def report(name, make):
        scores, walls = [], []
        for seed in range(3):
            search = make(seed)
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                search.fit(X, y)
            walls.append(time.perf_counter() - start)
            scores.append(search.best_score_)
        print(
            f"| {name} | {np.mean(scores):.4f} | {np.min(scores):.4f} | "
            f"{np.mean(walls):.1f} |",
            flush=True,
        )

    report(
        "skopt_est.BayesSearchCV",
        lambda seed: BayesSearchCV(pipe, ours, n_iter=25, cv=3, random_state=seed),
    )
    try:
        import skopt

        peer = {
            "sgdregressor__alpha": skopt.space.Real(1e-6, 1e1, prior="log-uniform"),
            "sgdregressor__eta0": skopt.space.Real(1e-4, 1e0, prior="log-uniform"),
            "sgdregressor__l1_ratio": skopt.space.Real(0.0, 1.0),
            "sgdregressor__penalty": skopt.space.Categorical(
                ["l2", "l1", "elasticnet"]
            ),
            "sgdregressor__learning_rate": skopt.space.Categorical(
                ["invscaling", "constant", "adaptive"]
            ),
        }
        report(
            "skopt.BayesSearchCV",
            lambda seed: skopt.BayesSearchCV(
                pipe, peer, n_iter=25, cv=3, random_state=seed
            ),
        )
    except ImportError:
        print("| skopt.BayesSearchCV | not installed | | |")
    distributions = {
        "sgdregressor__alpha": loguniform(1e-6, 1e1),
        "sgdregressor__eta0": loguniform(1e-4, 1e0),
        "sgdregressor__l1_ratio": [i / 20 for i in range(21)],
        "sgdregressor__penalty": ["l2", "l1", "elasticnet"],
        "sgdregressor__learning_rate": ["invscaling", "constant", "adaptive"],
    }
    report(
        "RandomizedSearchCV",
        lambda seed: RandomizedSearchCV(
            pipe, distributions, n_iter=25, cv=3, random_state=seed
        ),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--n-evals", type=int, default=40)
    parser.add_argument(
        "--problems", nargs="+", default=list(PROBLEMS), choices=list(PROBLEMS)
    )
    parser.add_argument(
        "--methods",
        nargs="+",
        default=[
            "skopt_est",
            "skopt_est_EI",
            "skopt",
            "optuna_gp",
            "optuna_tpe",
            "random",
        ],
        choices=list(METHODS),
    )
    parser.add_argument("--skip-cv", action="store_true", help="skip part 2")
    parser.add_argument("--skip-optimizers", action="store_true", help="skip part 1")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="time per iteration as wall-clock or process CPU time",
    )
    args = parser.parse_args(argv)
    CLOCK["now"] = time.process_time if args.clock == "cpu" else time.perf_counter
    if not args.skip_optimizers:
        bench_optimizers(args)
    if not args.skip_cv:
        bench_cv(args)


if __name__ == "__main__":
    main()
