"""Draw (and tabulate) the rows ``bench_multifidelity.py --json FILE`` wrote.

One panel per problem: the mean held-out score over the seeds, with one
standard error as error bars, against the budget as a fraction of ``T``
(the CPU time of ``BayesSearchCV(n_iter=40)`` in the same run), one line
per method, ``HyperbandSearchCV`` drawn thick; the reference, that
``BayesSearchCV``'s final score, is the dashed line. ``--table`` prints each
problem's table in ``bench_multifidelity.py``'s format (by its
``_print_table``). The pipeline::

    python benchmarks/bench_multifidelity.py --problems digits --seeds 0 1 2 3 4 \\
        --max-epochs 27 --json benchmarks/results/multifidelity.json
    python benchmarks/bench_multifidelity.py --problems friedman --seeds 0 1 2 3 4 \\
        --scale 0.15 --max-epochs 27 --json benchmarks/results/multifidelity.json
    python benchmarks/plot_multifidelity.py benchmarks/results/multifidelity.json \\
        --out docs/_static/multifidelity.png --table

Each run merges its rows into the file (a rerun replaces the rows of the
same problem, seed, method and budget), so the plot always shows the latest
run of every problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _mf_results  # noqa: E402

PROBLEM_ORDER = ("digits", "sparse", "friedman", "classification")
LABELS = {
    "hyperband": "HyperbandSearchCV",
    "bayes": "BayesSearchCV, stopped at the budget",
    "random": "RandomizedSearchCV",
    "halving": "HalvingRandomSearchCV",
    "optuna": "Optuna TPE + HyperbandPruner",
}
METRICS = {"accuracy": "accuracy", "r2": "R²"}


def _by_problem(rows: list[dict]) -> dict[str, list[dict]]:
    names = sorted({r["problem"] for r in rows},
                   key=lambda p: (PROBLEM_ORDER + (p,)).index(p))
    return {name: [r for r in rows if r["problem"] == name] for name in names}


def _label(method: str) -> str:
    name, _, spec = method.partition(":")
    label = LABELS.get(name, name)
    return f"{label}({spec})" if spec else label


def _mean_se(values) -> tuple[float, float]:
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return float(values.mean()), float(se)


def _curve(rows: list[dict], method: str):
    """Fractions, means and standard errors of one method's rows."""
    fractions = sorted({r["fraction"] for r in rows if r["method"] == method})
    stats = [_mean_se([r["score"] for r in rows
                       if r["method"] == method and r["fraction"] == f])
             for f in fractions]
    return np.array(fractions), np.array(stats).reshape(-1, 2).T


def _seeds_text(seeds: list[int]) -> str:
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"seeds {seeds[0]}-{seeds[-1]}"
    return ("seed " if len(seeds) == 1 else "seeds ") + ", ".join(map(str, seeds))


def _title(problem: str, rows: list[dict]) -> str:
    seeds = sorted({r["seed"] for r in rows})
    epochs = sorted({r.get("max_epochs") for r in rows} - {None})
    scales = sorted({r.get("scale") for r in rows} - {None, 1.0})
    parts = [problem, _seeds_text(seeds)]
    if epochs:
        parts.append("/".join(map(str, epochs)) + " epochs")
    if scales and problem != "digits":
        parts.append("scale " + "/".join(f"{s:g}" for s in scales))
    return ", ".join(parts)


def _styles(methods: list[str]) -> dict[str, dict]:
    """One style per method, the same in every panel; Hyperband's stand out."""
    bold = iter(["#b2182b", "black", "#01665e"])
    plain = iter(["C0", "C2", "C1", "C4", "C5", "C7", "C8", "C9"])
    styles = {}
    for method in methods:
        if method.startswith("hyperband"):
            styles[method] = dict(color=next(bold, "black"), lw=2.8, marker="o",
                                  ms=7, zorder=5)
        else:
            styles[method] = dict(color=next(plain, "grey"), lw=1.3, marker="s",
                                  ms=4, alpha=0.85, zorder=3)
    return styles


def _panel(ax, problem: str, rows: list[dict], styles: dict) -> None:
    methods = list(dict.fromkeys(r["method"] for r in rows))
    if {r["fraction"] for r in rows if r["method"] == "bayes"} == {1.0}:
        methods.remove("bayes")  # the reference alone: its dashed line says it
    for i, method in enumerate(methods):
        fractions, (means, ses) = _curve(rows, method)
        dodge = np.exp(0.025 * (i - (len(methods) - 1) / 2))  # on the log axis
        ax.errorbar(fractions * dodge, means, yerr=ses, capsize=3,
                    label=_label(method), **styles[method])
    reference = [r["score"] for r in rows
                 if r["method"] == "bayes" and r["fraction"] == 1.0]
    if reference:
        mean, _ = _mean_se(reference)
        ax.axhline(mean, color="grey", ls="--", lw=1.2, zorder=1,
                   label="reference: BayesSearchCV(n_iter=40) at T")
    fractions = sorted({r["fraction"] for r in rows})
    ax.set_xscale("log")
    ax.set_xticks(fractions, [f"{f:g}" for f in fractions])
    ax.minorticks_off()
    ax.set_xlabel("budget, fraction of T")
    metrics = {METRICS.get(r.get("metric"), "score") for r in rows}
    ax.set_ylabel("held-out " + "/".join(sorted(metrics)))
    ax.set_title(_title(problem, rows), fontsize=10)
    ax.grid(alpha=0.3)


def plot(rows: list[dict], out) -> None:
    """Writes the figure of ``rows`` (one panel per problem) to ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    problems = _by_problem(rows)
    ncols = min(2, len(problems))
    nrows = -(-len(problems) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 4.2 * nrows + 0.9),
                             squeeze=False, layout="constrained")
    styles = _styles(list(dict.fromkeys(r["method"] for r in rows)))
    for ax, (problem, selected) in zip(axes.flat, problems.items()):
        _panel(ax, problem, selected, styles)
    for ax in axes.flat[len(problems):]:
        ax.set_visible(False)
    handles = {}
    for ax in axes.flat[:len(problems)]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    fig.legend(handles.values(), handles.keys(), loc="outside lower center",
               ncol=min(3 if ncols > 1 else 1, len(handles)), fontsize=9,
               frameon=False)
    fig.suptitle("Held-out score at equal CPU time, mean ± one standard error "
                 "over the seeds" + (" " if ncols > 1 else "\n")
                 + "(T: CPU time of BayesSearchCV(n_iter=40))", fontsize=11)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def print_tables(rows: list[dict]) -> None:
    """Prints each problem's table as ``bench_multifidelity.py`` does."""
    from bench_multifidelity import _print_table

    for selected in _by_problem(rows).values():
        _print_table(_mf_results.as_tuples(selected))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="a file written by bench_multifidelity.py --json")
    parser.add_argument("--out", help="write the figure to this PNG file")
    parser.add_argument("--table", action="store_true",
                        help="print each problem's markdown table")
    parser.add_argument("--problems", nargs="+",
                        help="only these problems (default: every one in the file)")
    args = parser.parse_args(argv)
    if not (args.out or args.table):
        parser.error("nothing to do: give --out PNG, --table or both")
    if not Path(args.json).is_file():
        parser.error(f"{args.json}: no such file")
    try:
        rows = _mf_results.load(args.json)["rows"]
    except (OSError, ValueError) as error:
        parser.error(str(error))
    if args.problems:
        rows = [r for r in rows if r["problem"] in args.problems]
    if not rows:
        parser.error(f"no rows in {args.json}"
                     + (f" for {args.problems}" if args.problems else ""))
    if args.table:
        print_tables(rows)
    if args.out:
        plot(rows, args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
