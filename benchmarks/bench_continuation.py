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
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_digits

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=27)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--n-sparse", type=int, default=6000,
                        help="rows of the text-like data (80 %% train)")
    parser.add_argument("--problems", nargs="+", default=None)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
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
