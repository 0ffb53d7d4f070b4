"""Does ``skopt-est tune`` beat scikit-learn's default model it prints beside it?

For every bundled data set, both ``--model mlp`` and ``--model gd`` and seeds
0, 1 and 2, runs ``skopt-est tune --data D --model M --seed S --json --quiet``
(the command line's own ``main``, in this process, with every other option at
its default) and reads from its JSON the held-out test score of the tuned
model, the test score of scikit-learn's default peer (MLPRegressor /
MLPClassifier or SGDRegressor / SGDClassifier, in the same pipeline and on the
same split) and the search time. The wall time of each run (search, refit,
baseline and report; not the interpreter's start) and its processor time
are measured here: on a shared machine the processor time is what the run
costs, the wall time what it waited.

    python benchmarks/bench_cli.py                  # all, writes results/cli.md
    python benchmarks/bench_cli.py --jobs 2         # two runs at once
    python benchmarks/bench_cli.py --data iris --models gd --seeds 0
    python benchmarks/bench_cli.py --rst            # results/cli.md -> cli.rst

``--rst`` writes the table of ``results/cli.md`` as ``results/cli.rst``,
which ``docs/benchmarks.rst`` includes, so the docs show the file's numbers.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from _common import (
    RESULTS_DIR,
    environment_summary,
    load_average,
    markdown_table,
    write_result_file,
)

from skopt_est.cli import main
from skopt_est.cli.datasets import BUNDLED


def run_once(data: str, model: str, seed: int, search: str | None = None) -> dict:
    """One ``skopt-est tune`` run; its JSON result plus the measured wall time."""
    argv = ["tune", "--data", data, "--model", model, "--seed", str(seed)]
    if search is not None:
        argv += ["--search", search]
    out = io.StringIO()
    start, cpu_start = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out):
        status = main([*argv, "--json", "--quiet"])
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if status != 0:
        raise RuntimeError(f"skopt-est {' '.join(argv)} exited with {status}")
    result = json.loads(out.getvalue())
    result["wall_s"] = wall
    result["cpu_s"] = cpu
    return result


def _run_task(task: tuple[str, str, int, str | None]) -> dict:
    return run_once(*task)


def summary_rows(results: dict) -> list[list[str]]:
    """One row per (data, model): mean scores over the seeds, and CPU times."""
    rows = []
    for (data, model), runs in results.items():
        tuned = [run["test_score"] for run in runs]
        default = [run["baseline"]["test_score"] for run in runs]
        walls = [run["wall_s"] for run in runs]
        cpus = [run["cpu_s"] for run in runs]
        mean_tuned, mean_default = statistics.mean(tuned), statistics.mean(default)
        rows.append(
            [
                data,
                model,
                runs[0]["model"],
                str(runs[0]["n_candidates"]),
                f"{mean_tuned:.4f}",
                " / ".join(f"{score:.3f}" for score in tuned),
                f"{mean_default:.4f}",
                runs[0]["baseline"]["estimator"].split(".")[-1],
                "yes" if mean_tuned >= mean_default else "NO",
                f"{statistics.mean(cpus):.1f}",
                f"{max(cpus):.1f}",
                f"{max(walls):.1f}",
            ]
        )
    return rows


def headers(seeds: list[int]) -> list[str]:
    return [
        "data",
        "--model",
        "tuned",
        "n_iter",
        "tuned test (mean)",
        "seeds " + " / ".join(map(str, seeds)),
        "default test (mean)",
        "default",
        "tuned >= default",
        "CPU s (mean)",
        "CPU s (max)",
        "wall s (max)",
    ]


def markdown_to_rst(markdown: str) -> str:
    """The first markdown table of ``markdown`` as an RST simple table."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    rows = [rows[0], *rows[2:]]  # drop the |---| separator
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    rule = "  ".join("=" * width for width in widths)

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths))

    return "\n".join(
        text.rstrip()
        for text in [rule, line(rows[0]), rule, *map(line, rows[1:]), rule]
    )


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", default=list(BUNDLED))
    parser.add_argument("--models", nargs="+", default=["mlp", "gd"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--search",
        default=None,
        help="passed to skopt-est tune (default: the command line's own default); "
        "another search writes results/cli_SEARCH.md",
    )
    parser.add_argument("--jobs", type=int, default=1, help="runs at once")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--rst", action="store_true", help="only convert results/cli.md to .rst"
    )
    args = parser.parse_args()
    if args.rst:
        markdown = (RESULTS_DIR / "cli.md").read_text()
        print(f"wrote {write_result_file('cli.rst', markdown_to_rst(markdown))}")
        return

    load_before = load_average()
    tasks = [
        (data, model, seed, args.search)
        for model in args.models
        for data in args.data
        for seed in args.seeds
    ]
    results = {(data, model): [] for data, model, _, _ in tasks}
    # a run trains on one torch thread (small batches) and fits the baseline
    # on one BLAS thread, so --jobs 2 keeps two cores busy
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
        for (data, model, seed, _), run in zip(tasks, pool.map(_run_task, tasks)):
            runs = results[(data, model)]
            runs.append(run)
            print(
                f"{data} {model} seed {seed}: tuned {run['test_score']:.4f} "
                f"default {run['baseline']['test_score']:.4f} "
                f"CPU {run['cpu_s']:.1f} s wall {run['wall_s']:.1f} s "
                f"{run['best_params']}",
                flush=True,
            )
    table = markdown_table(headers(args.seeds), summary_rows(results))
    print(table)
    if args.no_write:
        return
    seeds = " ".join(map(str, args.seeds))
    search_option = "" if args.search is None else f" --search {args.search}"
    command = "python benchmarks/bench_cli.py" + search_option
    if args.seeds != [0, 1, 2]:
        command += f" --seeds {seeds}"
    text = "\n".join(
        [
            "# `skopt-est tune` against scikit-learn's default model",
            "",
            f"Command: `{command}` (each row: "
            f"`skopt-est tune --data D --model M --seed S{search_option}` "
            f"for S in {seeds}, "
            "every other option at its default).",
            "",
            f"Runs at once: {args.jobs} (each on one thread).",
            "",
            f"Environment: {environment_summary()}; 1-minute load average "
            f"{load_before} at the start, {load_average()} at the end (the "
            "machine was shared, so the wall times are upper bounds).",
            "",
            "Scores: R² (diabetes) or accuracy on the held-out 25%; the default "
            "is scikit-learn's MLPRegressor/MLPClassifier or "
            "SGDRegressor/SGDClassifier with its default parameters in the "
            "same pipeline, on the same split. Wall time: search, refit, "
            "baseline and report, in one process (no interpreter start); CPU "
            "time: the seconds of processor time the run used, which on an "
            "idle machine is about its wall time and does not grow with the "
            "other processes' load.",
            "",
            table,
        ]
    )
    name = "cli.md" if args.search is None else f"cli_{args.search}.md"
    path = write_result_file(name, text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main_bench()
