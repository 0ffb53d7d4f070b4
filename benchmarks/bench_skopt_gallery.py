"""The three scikit-optimize gallery examples that print a best value, over seeds.

scikit-optimize's example gallery (0.9) has three scripts that print the best
value an optimisation found. This benchmark runs the optimisation of each one
with the script's own calls, once per seed for ``--seeds`` seeds (default 20:
``random_state=seed``, and ``np.random.seed(seed)`` for the objectives that
draw noise from NumPy's global stream), in scikit-optimize (``skopt``) and in
skopt_est:

- ``bayesian-optimization``: ``gp_minimize`` of a noisy 1-D function
  (``sin(5x)(1 - tanh(x^2))`` plus N(0, 0.1^2) noise on [-2, 2]),
  ``acq_func='EI'``, ``n_calls=15``, ``n_random_starts=5``, ``noise=0.1**2``.
  The best value is ``res.fun``, the smallest *noisy* observation (as both
  libraries report it); the noise-free value at ``res.x`` sits beside it
  (the function's minimum is -0.9996 near x = -0.3).
- ``parallel-optimization``: ``Optimizer`` on Branin (``base_estimator='gp'``),
  10 rounds of ``ask(n_points=4)`` (constant liar) and ``tell``; the best
  value is ``min(optimizer.yi)`` (Branin's minimum is 0.397887).
- ``partial-dependence-plot-2D``: ``gp_minimize`` with ``n_calls=30`` and
  ``x0`` on a 4-d mixed space (log-uniform real, two integers, a
  categorical) whose objective is multiplied by ``1 + 0.1 U(0, 1)``; the best
  value is ``res.fun`` (the noise-free minimum is 1.0001).

The noise of both noisy objectives is drawn once per evaluation, whatever the
point, so with the same seed both libraries see the same noise sequence.

Reported per example and library: mean ± standard error of the best value
over seeds, the median, and how many seeds each library wins (lower is
better; a tie within 1e-9 counts for neither). The table goes to stdout and to
``benchmarks/results/skopt_gallery.md``, the per-seed values to
``benchmarks/results/skopt_gallery.json``.

    python benchmarks/bench_skopt_gallery.py                  # 20 seeds
    python benchmarks/bench_skopt_gallery.py --seeds 3 --examples parallel
    python benchmarks/bench_skopt_gallery.py --reuse-peer     # skopt from the json

Time: about 20 minutes on one free core for 20 seeds (52 on the shared
2-core machine of the recorded run), nearly all of it in scikit-optimize
(its constant liar refits its GP for every lie; skopt_est takes a minute);
``--reuse-peer`` reads scikit-optimize's values from the last json instead
of running it again (a few minutes). Quality only: no time is compared.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from _common import RESULTS_DIR, environment_summary, markdown_table, write_result_file

LIBRARIES = ("skopt", "skopt_est")
JSON_NAME = "skopt_gallery.json"

# ----------------------------------------------------------------- objectives


def noisy_wave(x, noise_level=0.1):
    """The bayesian-optimization example's objective (noise from np.random)."""
    return np.sin(5 * x[0]) * (1 - np.tanh(x[0] ** 2)) + np.random.randn() * noise_level


def wave(x):
    return float(noisy_wave(x, noise_level=0.0))


def model_fitness(x):
    """The partial-dependence-plot-2D example's objective (noise from np.random)."""
    learning_rate, num_dense_layers, num_dense_nodes, activation = x
    fitness = (
        ((math.exp(learning_rate) - 1.0) * 1000) ** 2
        + num_dense_layers**2
        + (num_dense_nodes / 100) ** 2
    )
    fitness *= 1.0 + 0.1 * np.random.rand()
    if activation == "sigmoid":
        fitness += 10
    return fitness


def branin(x):
    x1, x2 = x
    a, b, c = 1.0, 5.1 / (4 * np.pi**2), 5 / np.pi
    r, s, t = 6.0, 10.0, 1 / (8 * np.pi)
    return float(a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * np.cos(x1) + s)


# ------------------------------------------------------------------- examples


def _library(name):
    if name == "skopt":
        import skopt

        return skopt
    # this checkout's package, not whichever copy is installed: the script's
    # own folder, not the repository root, heads sys.path
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    import skopt_est

    return skopt_est


def run_bayesian(lib, seed: int) -> dict:
    np.random.seed(seed)
    res = lib.gp_minimize(
        noisy_wave, [(-2.0, 2.0)], acq_func="EI", n_calls=15, n_random_starts=5,
        noise=0.1**2, random_state=seed,
    )
    return {"best": float(res.fun), "true_at_x": wave(res.x)}


def run_parallel(lib, seed: int) -> dict:
    optimizer = lib.Optimizer(
        dimensions=[lib.space.Real(-5.0, 10.0), lib.space.Real(0.0, 15.0)],
        random_state=seed, base_estimator="gp",
    )
    for _ in range(10):
        x = optimizer.ask(n_points=4)
        optimizer.tell(x, [branin(v) for v in x])
    distinct = len({tuple(p) for p in optimizer.Xi})
    return {"best": float(min(optimizer.yi)), "distinct": distinct}


def run_pdp2d(lib, seed: int) -> dict:
    space = lib.space
    dimensions = [
        space.Real(name="learning_rate", low=1e-6, high=1e-2, prior="log-uniform"),
        space.Integer(name="num_dense_layers", low=1, high=5),
        space.Integer(name="num_dense_nodes", low=5, high=512),
        space.Categorical(name="activation", categories=["relu", "sigmoid"]),
    ]
    np.random.seed(seed)
    res = lib.gp_minimize(
        func=model_fitness, dimensions=dimensions, n_calls=30,
        x0=[1e-4, 1, 64, "relu"], random_state=seed,
    )
    return {"best": float(res.fun)}


EXAMPLES = {
    "bayesian-optimization": run_bayesian,
    "parallel-optimization": run_parallel,
    "partial-dependence-plot-2D": run_pdp2d,
}

# -------------------------------------------------------------------- reports


def run_all(examples, libraries, seeds: int) -> dict:
    """``{example: {library: [per-seed dict]}}``, printing a line per run."""
    results: dict = {}
    for example in examples:
        for name in libraries:
            lib = _library(name)
            rows = []
            for seed in range(seeds):
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    row = EXAMPLES[example](lib, seed)
                row["seconds"] = time.perf_counter() - start
                rows.append(row)
                print(f"{example} {name} seed {seed}: {row}", flush=True)
            results.setdefault(example, {})[name] = rows
    return results


def _mean_se(values) -> str:
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{values.mean():.4f} ± {se:.4f}"


def table(results: dict) -> str:
    headers = ["example", "library", "best: mean ± s.e.", "median", "seeds won",
               "noise-free f(x) at best: mean ± s.e."]
    rows = []
    for example, by_lib in results.items():
        if not all(name in by_lib for name in LIBRARIES):
            continue
        best = {name: np.array([r["best"] for r in by_lib[name]]) for name in LIBRARIES}
        n = min(len(v) for v in best.values())
        ours, peer = best["skopt_est"][:n], best["skopt"][:n]
        wins = {"skopt_est": int(np.sum(ours < peer - 1e-9)),
                "skopt": int(np.sum(peer < ours - 1e-9))}
        for name in LIBRARIES:
            true = [r["true_at_x"] for r in by_lib[name][:n] if "true_at_x" in r]
            rows.append([
                example, name, _mean_se(best[name][:n]),
                f"{np.median(best[name][:n]):.4f}", f"{wins[name]} of {n}",
                _mean_se(true) if true else "",
            ])
    return markdown_table(headers, rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--examples", nargs="+", default=list(EXAMPLES),
                        help="names, or any unique prefix (parallel, bayesian, pdp)")
    parser.add_argument("--reuse-peer", action="store_true",
                        help="take scikit-optimize's values from the last json")
    parser.add_argument("--no-write", action="store_true",
                        help="print only; leave benchmarks/results alone")
    args = parser.parse_args(argv)
    aliases = {"pdp": "partial-dependence-plot-2D"}
    examples = []
    for given in args.examples:
        matches = [aliases[given]] if given in aliases else [
            e for e in EXAMPLES if e.startswith(given)]
        if len(matches) != 1:
            parser.error(f"--examples {given!r} names none or several of "
                         f"{list(EXAMPLES)}")
        examples.append(matches[0])
    libraries = ["skopt_est"] if args.reuse_peer else list(LIBRARIES)
    results = run_all(examples, libraries, args.seeds)
    if args.reuse_peer:
        previous = json.loads((RESULTS_DIR / JSON_NAME).read_text())
        for example in examples:
            results[example]["skopt"] = previous[example]["skopt"][: args.seeds]
    import skopt

    text = "\n".join([
        "# scikit-optimize's gallery examples over seeds "
        "(benchmarks/bench_skopt_gallery.py)",
        "",
        environment_summary() + f", scikit-optimize {skopt.__version__}",
        "",
        f"Best value over seeds 0-{args.seeds - 1} (lower is better); "
        "`seeds won`: strictly lower than the other library on the same seed.",
        "",
        table(results),
    ])
    print(text)
    if not args.no_write:
        write_result_file("skopt_gallery.md", text)
        write_result_file(JSON_NAME, json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
