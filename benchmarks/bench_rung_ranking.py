"""How well the low rungs of HyperbandSearchCV rank settings for the top rung.

Draws ``--n-settings`` settings from bench_multifidelity's space of
``--problem``, trains each on the 3 folds of that problem's training part by
``partial_fit`` (as the search's continuation does, ``max_iter`` =
``--max-epochs``) and records the mean CV score (accuracy, R² for friedman)
after 1, 3, 9, ... epochs. Prints the Spearman correlation of each
rung's scores with the top rung's, and the top-rung score of the setting that
successive halving (keep the best third per rung) would promote against the
best of all. Usage::

    python benchmarks/bench_rung_ranking.py --seeds 0 1
    python benchmarks/bench_rung_ranking.py --problem friedman --scale 0.15
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_multifidelity import PROBLEMS, _problem, _space  # noqa: E402

from skopt_est.space import Space  # noqa: E402


def rung_scores(seed: int, n_settings: int, max_epochs: int,
                problem: str = "digits", scale: float = 1.0):
    X, y, cls, classifier = _problem(problem, seed, scale)
    X_tr, _, y_tr, _ = train_test_split(X, y, test_size=0.25, random_state=seed,
                                        stratify=y if classifier else None)
    spaces = _space(problem)
    names = sorted(spaces)
    space = Space([spaces[n] for n in names], names=names)
    points = space.draw(n_settings, random_state=np.random.RandomState(100 + seed))
    splitter = StratifiedKFold if classifier else KFold
    folds = list(splitter(3, shuffle=True, random_state=seed).split(X_tr, y_tr))
    extra = {"classes": np.unique(y)} if classifier else {}
    rungs = [3**k for k in range(20) if 3**k <= max_epochs]
    scores = np.zeros((n_settings, len(rungs)))
    for i, point in enumerate(points):
        for train, test in folds:
            model = cls(max_iter=max_epochs, random_state=seed,
                        **space.to_params(point))
            for epoch in range(1, rungs[-1] + 1):
                model.partial_fit(X_tr[train], y_tr[train], **extra)
                if epoch in rungs:
                    scores[i, rungs.index(epoch)] += model.score(
                        X_tr[test], y_tr[test]) / len(folds)
    return rungs, scores


def halving_pick(scores: np.ndarray) -> int:
    alive = np.arange(len(scores))
    for rung in range(scores.shape[1] - 1):
        keep = int(np.ceil(len(alive) / 3))
        alive = alive[np.argsort(-scores[alive, rung], kind="stable")[:keep]]
    return int(alive[np.argmax(scores[alive, -1])])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--n-settings", type=int, default=27)
    parser.add_argument("--max-epochs", type=int, default=27)
    parser.add_argument("--problem", default="digits", choices=PROBLEMS)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="row-count multiplier, as in bench_multifidelity.py")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import torch

    torch.set_num_threads(1)
    for seed in args.seeds:
        start = time.process_time()
        rungs, scores = rung_scores(seed, args.n_settings, args.max_epochs,
                                    args.problem, args.scale)
        top = scores[:, -1]
        print(f"seed {seed} ({time.process_time() - start:.0f} CPU s)")
        for j, rung in enumerate(rungs[:-1]):
            rho = spearmanr(scores[:, j], top).statistic
            print(f"  {rung} epochs: Spearman with {rungs[-1]} epochs {rho:.3f}")
        print(f"  halving's pick {top[halving_pick(scores)]:.4f}, best "
              f"{top.max():.4f}, median {np.median(top):.4f} (CV score at "
              f"{rungs[-1]} epochs)")


if __name__ == "__main__":
    main()
