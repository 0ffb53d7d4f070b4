"""Where GDRegressor's time per mini-batch step goes (cProfile and torch.profiler).

``python benchmarks/profile_linear.py [--batch-sizes auto 256] [--n-samples N]``
fits ``GDRegressor`` with default parameters except ``max_iter=2, tol=None``
and the batch size on the regression problem of ``bench_linear.py``, and prints
per step (one optimizer update):

- the wall time without any profiler;
- cProfile's Python functions: calls per step, own µs per call, cumulative µs
  per step (profiling inflates these; compare them with each other);
- torch.profiler's aten ops: calls per step, self CPU µs per call and per step.
"""

from __future__ import annotations

import cProfile
import math
import pstats
import sys
import time
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import markdown_table  # noqa: E402
from bench_linear import batch_sizes, make_problems  # noqa: E402

from skopt_est import GDRegressor  # noqa: E402

N_EPOCHS = 2


def _fit(problem, batch_size):
    return GDRegressor(max_iter=N_EPOCHS, tol=None, batch_size=batch_size,
                       random_state=0).fit(problem.X_train, problem.y_train)


def _python_table(profiler: cProfile.Profile, n_steps: int, top: int) -> str:
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in sorted(
            stats.stats.items(), key=lambda item: -item[1][2])[:top]:
        where = f"{Path(filename).parent.name}/{Path(filename).name}:{line}"
        if filename == "~":
            where = "builtin"
        rows.append([name, where, f"{ncalls / n_steps:.2f}",
                     f"{1e6 * tottime / ncalls:.2f}",
                     f"{1e6 * tottime / n_steps:.1f}",
                     f"{1e6 * cumtime / n_steps:.1f}"])
    return markdown_table(["function", "file", "calls/step", "own µs/call",
                           "own µs/step", "cum µs/step"], rows)


def _op_table(prof, n_steps: int, top: int) -> str:
    events = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)
    rows = []
    total_self = sum(e.self_cpu_time_total for e in events)
    total_calls = sum(e.count for e in events)
    for event in events[:top]:
        rows.append([event.key, f"{event.count / n_steps:.2f}",
                     f"{event.self_cpu_time_total / event.count:.2f}",
                     f"{event.self_cpu_time_total / n_steps:.1f}"])
    rows.append(["(all ops)", f"{total_calls / n_steps:.1f}", "",
                 f"{total_self / n_steps:.1f}"])
    return markdown_table(["aten op", "calls/step", "self µs/call",
                           "self µs/step"], rows)


def profile_batch(problem, batch_size, top: int) -> str:
    n_samples = len(problem.y_train)
    rows = batch_sizes(n_samples)["default"] if batch_size == "auto" else batch_size
    n_steps = N_EPOCHS * math.ceil(n_samples / rows)
    _fit(problem, batch_size)  # warm-up
    times = []
    for _ in range(3):
        start = time.perf_counter()
        _fit(problem, batch_size)
        times.append(time.perf_counter() - start)
    wall = sorted(times)[1]
    profiler = cProfile.Profile()
    profiler.enable()
    _fit(problem, batch_size)
    profiler.disable()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        _fit(problem, batch_size)
    return "\n".join([
        f"## batch_size={batch_size!r} ({rows} rows, {n_steps} steps, "
        f"{N_EPOCHS} epochs)",
        "",
        f"Wall time of the whole fit, no profiler (median of 3): {wall:.3f} s "
        f"= {1e6 * wall / n_steps:.1f} µs per step.",
        "",
        "### Python (cProfile, by own time)",
        "",
        _python_table(profiler, n_steps, top),
        "",
        "### aten ops (torch.profiler, by self CPU time)",
        "",
        _op_table(prof, n_steps, top),
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=200_000)
    parser.add_argument("--batch-sizes", nargs="+", default=["auto", "256"])
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    problem = make_problems(args.n_samples)[0]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} default threads\n")
    for batch in args.batch_sizes:
        print(profile_batch(problem, batch if batch == "auto" else int(batch),
                            args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
