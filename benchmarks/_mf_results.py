"""The JSON file of ``bench_multifidelity.py``'s rows: merge rows in, read them back.

The file is one object::

    {"rows": [{"problem": "digits", "seed": 0, "method": "hyperband",
               "fraction": 0.25, "cpu_seconds": 9.7, "score": 0.9778,
               "metric": "accuracy", "max_epochs": 27, "scale": 1.0,
               "command": "python benchmarks/bench_multifidelity.py ...",
               "date": "2026-12-05T08:30:00+00:00"}, ...],
     "note": "..."}

A row is one method's held-out ``score`` at one budget (``fraction`` of
``T``, the CPU time of ``BayesSearchCV(n_iter=40)`` in the same run) on one
seed; ``cpu_seconds`` is what the method used. The reference is the row of
method ``bayes`` at fraction 1. A row may carry a ``note`` (how it was made,
where that is not the command). Rows are keyed by :data:`KEY`: merging a
run's rows replaces the rows of the same key and keeps every other row and
the file's other fields, so runs of one problem each can share a file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

KEY = ("problem", "seed", "method", "fraction")


def _key(row: dict) -> tuple:
    return tuple(row[name] for name in KEY)


def load(path) -> dict:
    """The file's object; ``{"rows": []}`` when it does not exist yet."""
    path = Path(path)
    if not path.exists():
        return {"rows": []}
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON ({error}); give the file "
                         "bench_multifidelity.py --json wrote") from error
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise ValueError(f"{path} is not a bench_multifidelity JSON file: "
                         "expected an object with a 'rows' list")
    missing = [name for name in (*KEY, "cpu_seconds", "score")
               if any(name not in row for row in data["rows"])]
    if missing:
        raise ValueError(f"{path}: some rows lack the fields {missing}")
    return data


@contextmanager
def _locked(path: Path):
    """Holds an exclusive lock for ``path``: a file in the temporary directory
    named after its absolute path, so none lies beside the results (POSIX)."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    name = Path(tempfile.gettempdir()) / f"mf_results-{digest}.lock"
    with open(name, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def merge(path, rows: list[dict]) -> int:
    """Merges ``rows`` into the file at ``path`` and returns its row count.

    Read, merge and write happen under a lock, and the write replaces the
    file in one ``os.replace``, so concurrent runs lose no rows and a crash
    leaves the previous file whole.
    """
    path = Path(path)
    with _locked(path):
        data = load(path)
        new = {_key(row): row for row in rows}
        kept = [row for row in data["rows"] if _key(row) not in new]
        data["rows"] = kept + list(new.values())
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(handle, "w") as out:
            out.write(_dumps(data))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return len(data["rows"])


def _dumps(data: dict) -> str:
    """``data`` as JSON with one row a line, so that a diff shows the rows."""
    rows = ",\n".join("  " + json.dumps(row) for row in data["rows"])
    rest = "".join(f",\n {json.dumps(k)}: {json.dumps(v)}"
                   for k, v in data.items() if k != "rows")
    return f'{{\n "rows": [\n{rows}\n ]{rest}\n}}\n'


def as_tuples(rows: list[dict]) -> list[tuple]:
    """``(problem, seed, method, fraction, cpu_seconds, score)`` per row, the
    form ``bench_multifidelity._print_table`` takes."""
    return [(r["problem"], r["seed"], r["method"], r["fraction"], r["cpu_seconds"],
             r["score"]) for r in rows]
