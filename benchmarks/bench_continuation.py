"""What continuing a fit costs against one fit of the same epochs.

HyperbandSearchCV's ``'partial_fit'`` continuation brings a fold model from
one rung to the next by ``n`` more epochs. This script times, in CPU seconds
(``time.process_time``), for each problem:

- ``fit``: one fit of ``--epochs`` epochs (stop rule off);
- ``per-epoch``: ``--epochs`` calls of ``partial_fit``, what the search did
  before ``_partial_fit_epochs``;
- ``rungs``: ``_partial_fit_epochs`` in the chunks of Hyperband's rungs
  (1, 3, 9, 27 epochs: calls of 1, 2, 6 and 18), what the search does now.

The three run interleaved, ``--repeats`` times; the table gives medians and
the ratios to ``fit``. Problems: MLPClassifier on digits (Adam; and SGD with
momentum, a cosine schedule and dropout), GDClassifier on bench_linear.py's
sparse text-like data (its default, the compiled kernel's lane; and Adam at
batch size 64, the torch path).

    python benchmarks/bench_continuation.py --repeats 7

``--searches TREE [TREE ...]`` times whole searches instead, each in a fresh
process importing ``skopt_est`` from ``TREE`` (a checkout: the git tree
before the change against this one, say), interleaved over ``--seeds``:
``HyperbandSearchCV(MLPClassifier(max_iter=27), bench_multifidelity.py's
digits space, min_resources=1, factor=3, cv=3)`` on digits, and ``skopt-est
tune --data digits --model mlp --search hyperband`` (its own pipeline and
space). A ``TREE:refit`` entry forces ``continuation='refit'``. Each line
gives CPU seconds, epochs trained (the engine's epoch loop, counted), and
the scores.

    python benchmarks/bench_continuation.py --searches /tmp/before . --seeds 0 1 2
    python benchmarks/bench_continuation.py --searches .:refit . --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the checkout named by PYTHONPATH (--searches) comes first, else this one
sys.path.insert(0, os.environ.get("PYTHONPATH", "").split(os.pathsep)[0]
                or str(Path(__file__).resolve().parent.parent))

from skopt_est import GDClassifier, MLPClassifier  # noqa: E402


def _problems(n_sparse: int):
    from bench_linear import make_text_like

    X, y = load_digits(return_X_y=True)
    X = X / 16
    X_text, y_text, _, _ = make_text_like(2, n_samples=n_sparse)
    mlp = dict(hidden_layer_sizes=(64,), random_state=0, n_iter_no_change=np.inf)
    return {
        "mlp-digits-adam": (MLPClassifier(**mlp), X, y),
        "mlp-digits-sgd-momentum-cosine-dropout": (MLPClassifier(
            solver="sgd", momentum=0.9, learning_rate="cosine", dropout=0.2,
            learning_rate_init=0.05, **mlp), X, y),
        "gd-text-default-lane": (GDClassifier(random_state=0, tol=None),
                                 X_text, y_text),
        "gd-text-adam-64": (GDClassifier(solver="adam", batch_size=64, eta0=0.01,
                                         random_state=0, tol=None), X_text, y_text),
    }


def _chunks(epochs: int) -> list[int]:
    """The epochs each rung adds, rungs at epochs / 3**k."""
    rungs = [epochs]
    while rungs[0] % 3 == 0 and rungs[0] > 1:
        rungs.insert(0, rungs[0] // 3)
    return [b - a for a, b in zip([0, *rungs], rungs)]


def _run(kind: str, estimator, X, y, epochs: int) -> float:
    kwargs = {"classes": np.unique(y)}
    model = clone(estimator).set_params(max_iter=epochs)
    start = time.process_time()
    if kind == "fit":
        model.fit(X, y)
    elif kind == "per-epoch":
        for _ in range(epochs):
            model.partial_fit(X, y, **kwargs)
    else:
        for n in _chunks(epochs):
            model._partial_fit_epochs(n, X, y, **kwargs)
    return time.process_time() - start


# --------------------------------------------------------- whole searches
def _count_epochs() -> dict:
    """Count the epochs every engine run trains (torch path and lane)."""
    import skopt_est._engine.kernel.lane as lane
    import skopt_est._engine.loop as loop

    count = {"epochs": 0}
    run_epochs = loop.run_epochs

    def counting(parts, state, generator=None):
        before = state.n_iter
        try:
            return run_epochs(parts, state, generator)
        finally:
            count["epochs"] += state.n_iter - before

    loop.run_epochs = lane.run_epochs = counting
    return count


def _one_search(kind: str, seed: int, refit: bool) -> dict:
    """One search in this process (``--one``); the skopt_est imported is the
    first on ``sys.path``."""
    import contextlib
    import io

    import skopt_est.search as search_module

    count = _count_epochs()
    out = {}

    class Timed(search_module.HyperbandSearchCV):
        def fit(self, X, y=None, **kwargs):
            if refit:
                self.continuation = "refit"
            start, epochs = time.process_time(), count["epochs"]
            super().fit(X, y, **kwargs)
            out.update(search_cpu=time.process_time() - start,
                       epochs=count["epochs"] - epochs, mode=self.continuation_,
                       best_score=float(self.best_score_),
                       scores=[float(v) for v in self.cv_results_["mean_test_score"]])
            return self

    search_module.HyperbandSearchCV = Timed
    if kind == "search":
        from bench_multifidelity import _space

        X, y = load_digits(return_X_y=True)
        Timed(MLPClassifier(max_iter=27, random_state=seed), _space("digits"),
              min_resources=1, factor=3, cv=3, random_state=seed).fit(X / 16, y)
    else:
        from skopt_est.cli import main as cli

        with contextlib.redirect_stdout(io.StringIO()) as printed:
            cli(["tune", "--data", "digits", "--model", "mlp", "--search",
                 "hyperband", "--seed", str(seed), "--json", "--quiet"])
        out["test_score"] = json.loads(printed.getvalue())["test_score"]
    return out


def _searches(trees: list[str], seeds: list[int]) -> None:
    print("| search | seed | tree | CPU (s) | epochs | mode | best CV | test |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("search", "cli"):
        first = {}
        for seed in seeds:
            for entry in trees:
                tree, _, refit = entry.partition(":")
                tree = os.path.abspath(tree)
                env = {**os.environ, "PYTHONPATH": tree}
                command = [sys.executable, os.path.abspath(__file__), "--one", kind,
                           str(seed)] + (["--refit"] if refit else [])
                done = subprocess.run(command, cwd=tree, env=env, check=True,
                                      capture_output=True, text=True)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                same = ""
                if seed in first:
                    same = (" (same CV scores)" if r["scores"] == first[seed]
                            else " (other CV scores)")
                first.setdefault(seed, r["scores"])
                print(f"| {kind} | {seed} | {entry} | {r['search_cpu']:.1f} | "
                      f"{r['epochs']} | {r['mode']}{same} | {r['best_score']:.4f} | "
                      f"{r.get('test_score', '')} |", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=27)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-sparse", type=int, default=6000,
                        help="rows of the text-like data (80 %% train)")
    parser.add_argument("--problems", nargs="+", default=None)
    parser.add_argument("--searches", nargs="+", metavar="TREE", default=None,
                        help="time whole searches importing skopt_est from each "
                        "TREE (TREE:refit forces continuation='refit')")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SEED"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--refit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.one:
        print(json.dumps(_one_search(args.one[0], int(args.one[1]), args.refit)))
        return
    if args.searches:
        _searches(args.searches, args.seeds)
        return
    kinds = ("fit", "per-epoch", "rungs")
    print(f"{args.epochs} epochs, median CPU seconds of {args.repeats} interleaved "
          f"runs; rungs = _partial_fit_epochs in chunks {_chunks(args.epochs)}\n")
    print("| problem | fit (s) | per-epoch (s) | rungs (s) | per-epoch / fit "
          "| rungs / fit |")
    print("|---|---|---|---|---|---|")
    for name, (estimator, X, y) in _problems(args.n_sparse).items():
        if args.problems and name not in args.problems:
            continue
        for kind in kinds:  # warm-up
            _run(kind, estimator, X, y, 2)
        times = {kind: [] for kind in kinds}
        for _ in range(args.repeats):
            for kind in kinds:
                times[kind].append(_run(kind, estimator, X, y, args.epochs))
        med = {kind: float(np.median(t)) for kind, t in times.items()}
        print(f"| {name} | {med['fit']:.3f} | {med['per-epoch']:.3f} | "
              f"{med['rungs']:.3f} | {med['per-epoch'] / med['fit']:.2f}x | "
              f"{med['rungs'] / med['fit']:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
