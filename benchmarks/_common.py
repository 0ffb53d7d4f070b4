"""Timing, thread and table helpers shared by the ``bench_*.py`` scripts.

A benchmark builds a list of :class:`Result` (one per method and setting), all
measured in one process, and prints them with :func:`markdown_table`. Times are
the median wall-clock seconds of ``repeats`` calls of a fit function; the
quality metric (R², accuracy) is computed on a held-out split after the last
call, so it sits beside every time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Timing:
    """Median and spread of the wall-clock times of repeated calls."""

    times: list[float]
    value: object = None  # what the last call returned (a fitted model)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> float:
        """(max - min) / median: how noisy the repeats were."""
        return (max(self.times) - min(self.times)) / self.median


def time_repeated(fit: Callable[[], object], repeats: int) -> Timing:
    """Call ``fit`` ``repeats`` times; return every wall time and the last value.

    The garbage collector runs before each call and is disabled during it, so a
    collection triggered by the previous fit's garbage is not billed here.
    """
    times = []
    value = None
    for _ in range(repeats):
        value = None
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            value = fit()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return Timing(times, value)


@contextlib.contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Run the block with ``n_threads`` intra-op threads (None: leave as is)."""
    if n_threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def pick_thread_count(trial: Callable[[], object],
                      candidates: Sequence[int] = (1, 2)) -> tuple[int, dict]:
    """Time one short ``trial`` under each thread count; return the fastest.

    The trial should be a cut-down fit (fewer rows or epochs, same batch size),
    so that a thread count that is very slow (two threads on a loaded 2-core
    machine can be 10x slower) costs seconds, not minutes. Returns the best
    count and the trial time of every candidate.
    """
    trial_times = {}
    for n_threads in candidates:
        with torch_threads(n_threads):
            trial()  # warm the thread pool
            trial_times[n_threads] = min(time_repeated(trial, 2).times)
    return min(trial_times, key=trial_times.get), trial_times


def load_average() -> float | None:
    """The 1-minute load average (None where the OS has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


@dataclass
class Result:
    """One row of a benchmark table."""

    task: str
    batch: str
    method: str
    seconds: float
    quality: float
    repeats: int
    baseline_seconds: float | None = None  # the scikit-learn peer, same run
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def vs_baseline(self) -> str:
        if self.baseline_seconds is None:
            return ""
        return format_ratio(self.seconds / self.baseline_seconds)


def format_ratio(ratio: float) -> str:
    return f"{ratio:.2f}x"


def format_seconds(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured markdown table with padded columns."""
    widths = [max(len(str(cell)) for cell in column)
              for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        padded = (str(cell).ljust(width) for cell, width in zip(cells, widths))
        return "| " + " | ".join(padded) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(headers), separator, *(line(row) for row in rows)])


def environment_summary() -> str:
    """One line naming the machine, the library versions and the git commit."""
    import sklearn

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
            cwd=Path(__file__).resolve().parent, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parent,
            check=True).stdout.strip()
        commit += "+dirty" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (
        f"{datetime.date.today()}, {platform.processor() or platform.machine()} "
        f"({os.cpu_count()} cores), Python {platform.python_version()}, "
        f"torch {torch.__version__} (default {torch.get_num_threads()} threads), "
        f"scikit-learn {sklearn.__version__}, skopt_est commit {commit}"
    )


def write_result_file(name: str, text: str) -> Path:
    """Write ``text`` to ``benchmarks/results/<name>`` and return the path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / name
    path.write_text(text + "\n")
    return path


def base_parser(description: str, *, default_samples: int) -> argparse.ArgumentParser:
    """The flags every benchmark takes: --repeats, --n-samples, --quick."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed fits per setting; the median is reported")
    parser.add_argument("--n-samples", type=int, default=default_samples,
                        help="training samples per problem")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: small data, one repeat, no result file")
    return parser
