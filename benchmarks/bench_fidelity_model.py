"""How fidelity enters HyperbandSearchCV's surrogate, measured three ways.

- top: the GP of the largest rung resource with ``n_initial_points`` results
  proposes (what ``HyperbandSearchCV`` does);
- input: one GP over the space plus the resource (log scale), fitted on every
  rung's results, proposes by expected improvement at ``max_resources``
  (2000 prior draws, constant liar);
- random: prior draws (Hyperband with continuation, no model).

Same brackets, folds and continuation; held-out test score of the refitted
best setting, and its CV score. Usage::

    PYTHONPATH=. python benchmarks/bench_fidelity_model.py --seeds 0 1 2

``bench_multifidelity.py`` runs the variants at equal CPU budgets against
its peers: ``--methods hyperband "hyperband:proposals='input'"``.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from bench_multifidelity import _space  # noqa: E402
from scipy.stats import norm
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, train_test_split

from skopt_est import MLPClassifier
from skopt_est.search import HyperbandSearchCV, _hyperband
from skopt_est.search._fidelity import RungOptimizers
from skopt_est.search._optimizer import Optimizer
from skopt_est.space import Integer, Space


class _RandomProposals(RungOptimizers):
    def ask(self, n_points):
        return self.space.draw(n_points, random_state=self.rng)


class _ResourceInput(RungOptimizers):
    """One GP over (setting, log resource); EI at the largest resource."""

    def __init__(self, space, optimizer_params, rng, random_fraction=0.0):
        super().__init__(space, optimizer_params, rng, random_fraction)
        self.points, self.values = [], []

    def tell(self, n_resources, points, scores):
        super().tell(n_resources, points, scores)
        self.points += [list(p) + [int(n_resources)] for p in points]
        self.values += [-float(s) for s in scores]

    def ask(self, n_points):
        finite = np.isfinite(self.values)
        if finite.sum() < 10:  # as many results as the top rung's optimizer needs
            return self.space.draw(n_points, random_state=self.rng)
        top = max(p[-1] for p in self.points)
        dims = list(self.space.dimensions) + [Integer(1, max(top, 2),
                                                      prior="log-uniform")]
        extended = Space(dims)
        opt = Optimizer(extended, n_initial_points=1,
                        random_state=self.rng.randint(2**31 - 1))
        opt.tell(self.points, self.values)
        gp = opt.models[-1]  # the surrogate fitted by this tell
        draws = [p + [top] for p in self.space.draw(2000, random_state=self.rng)]
        unit = extended.to_unit(draws)
        lie = float(np.nanmin(self.values))
        at_top = [p for p, v in zip(self.points, self.values)
                  if p[-1] == top and np.isfinite(v)]
        chosen = []
        for _ in range(n_points):
            mu, std = gp.predict(unit)
            ref = gp.predict(extended.to_unit(at_top))[0].min() if at_top else mu.min()
            z = (ref - mu) / np.maximum(std, 1e-9)
            ei = (ref - mu) * norm.cdf(z) + std * norm.pdf(z)
            ei[chosen] = -np.inf
            best = int(np.argmax(ei))
            chosen.append(best)
            gp = gp.fantasize(unit[best][None, :], [lie])
        return [draws[i][:-1] for i in chosen]


VARIANTS = {"top": RungOptimizers, "input": _ResourceInput, "random": _RandomProposals}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--max-epochs", type=int, default=27)
    parser.add_argument("--n-brackets", type=int, default=8)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    X, y = load_digits(return_X_y=True)
    X = X / 16
    rows = []
    for seed in args.seeds:
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25,
                                                  random_state=seed, stratify=y)
        for name, proposer in VARIANTS.items():
            _hyperband.RungOptimizers = proposer  # this script's process only
            start = time.process_time()
            search = HyperbandSearchCV(
                MLPClassifier(max_iter=args.max_epochs, random_state=seed), _space(),
                min_resources=1, n_brackets=args.n_brackets,
                cv=StratifiedKFold(3, shuffle=True, random_state=seed),
                random_state=seed,
            ).fit(X_tr, y_tr)
            rows.append((seed, name, time.process_time() - start, search.best_score_,
                         search.score(X_te, y_te)))
            print(rows[-1], flush=True)
    _hyperband.RungOptimizers = RungOptimizers
    print("\n| proposals | CPU s (mean) | best CV score (mean) | test score (mean) |")
    print("|---|---|---|---|")
    for name in VARIANTS:
        sel = [r for r in rows if r[1] == name]
        print(f"| {name} | {np.mean([r[2] for r in sel]):.1f} | "
              f"{np.mean([r[3] for r in sel]):.4f} | "
              f"{np.mean([r[4] for r in sel]):.4f} |")


if __name__ == "__main__":
    main()
