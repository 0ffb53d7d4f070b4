"""Run every script in examples/ in a subprocess, at a small size."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(script, tmp_path):
    if script.name == "dask_search.py":
        pytest.importorskip("distributed")
    pytest.importorskip("matplotlib")
    root = str(Path(__file__).resolve().parents[1])  # this checkout's skopt_est
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "SKOPT_EST_EXAMPLES_SMALL": "1",
        "SKOPT_EST_EXAMPLES_OUT": str(tmp_path),
        "MPLBACKEND": "Agg",
    }
    # -W error: the examples are a newcomer's first hour, without a warning
    completed = subprocess.run([sys.executable, "-W", "error", str(script)],
                               capture_output=True,
                               text=True, timeout=300, env=env, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Traceback" not in completed.stderr
    assert completed.stdout.strip()
    for line in completed.stdout.splitlines():
        if line.startswith("figure: "):
            figure = Path(line.removeprefix("figure: "))
            assert figure.parent == tmp_path  # never written into the repository
            assert figure.read_bytes().startswith(b"\x89PNG")


def test_examples_are_found():
    assert {path.name for path in EXAMPLES} >= {
        "learning_rate_schedules.py", "digits_bayes_vs_random.py",
        "sparsity_l1_elasticnet.py", "dropout_vs_weight_decay.py", "gpu.py",
        "dask_search.py", "skopt_gp_minimize.py", "skopt_bayes_search_svc.py",
    }
