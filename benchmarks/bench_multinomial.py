"""Multiclass ``loss='log_loss'``: GDClassifier's one softmax against SGDClassifier's
one-vs-all logistic heads, the deliberate difference listed in
docs/user_guide/migrating.rst.

Run ``python benchmarks/bench_multinomial.py`` (a minute). For iris, wine and
digits: 5-fold CV of ``make_pipeline(StandardScaler(), Est(loss='log_loss',
random_state=seed))`` with every other parameter at its default, accuracy and
log loss averaged over the folds and over ``--seeds`` seeds (default 5), and
row 2 of standardised iris's ``predict_proba`` at ``random_state=0``. The table
goes to stdout and to ``benchmarks/results/multinomial.md``. Quality only: no
time is measured.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
from _common import environment_summary, markdown_table, write_result_file
from sklearn.datasets import load_digits, load_iris, load_wine
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import GDClassifier

DATA_SETS = {"iris": load_iris, "wine": load_wine, "digits": load_digits}
MODELS = {"SGDClassifier (one-vs-all)": SGDClassifier,
          "GDClassifier (softmax)": GDClassifier}


def cv_quality(Model, X, y, seeds: int) -> tuple[float, float]:
    """(accuracy, log loss) of 5-fold CV, averaged over folds and seeds."""
    accuracy, log_loss = [], []
    for seed in range(seeds):
        pipeline = make_pipeline(StandardScaler(),
                                 Model(loss="log_loss", random_state=seed))
        scores = cross_validate(pipeline, X, y, cv=5,
                                scoring=("accuracy", "neg_log_loss"))
        accuracy.append(scores["test_accuracy"].mean())
        log_loss.append(-scores["test_neg_log_loss"].mean())
    return float(np.mean(accuracy)), float(np.mean(log_loss))


def iris_row_two() -> list[str]:
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    rows = []
    for name, Model in MODELS.items():
        model = Model(loss="log_loss", random_state=0).fit(X, y)
        rows.append(f"{name}: {model.predict_proba(X[2:3]).round(3)[0].tolist()}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = []
    for name, load in DATA_SETS.items():
        X, y = load(return_X_y=True)
        for model_name, Model in MODELS.items():
            accuracy, log_loss = cv_quality(Model, X, y, args.seeds)
            rows.append([name, model_name, f"{accuracy:.4f}", f"{log_loss:.3f}"])
    report = "\n".join([
        "# Multiclass log loss: softmax (ours) against one-vs-all (scikit-learn)",
        "",
        f"`python benchmarks/bench_multinomial.py --seeds {args.seeds}`; "
        f"{environment_summary()}",
        "",
        markdown_table(["data set", "model", "CV accuracy", "CV log loss"], rows),
        "",
        "Standardised iris, row 2, `predict_proba` at `random_state=0`: "
        + "; ".join(iris_row_two()),
    ])
    print(report)
    path = write_result_file("multinomial.md", report)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
