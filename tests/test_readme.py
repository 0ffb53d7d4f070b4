"""The README's and the docs' first code samples run without a single warning."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def markdown_python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)


def rst_python_blocks(text: str) -> list[str]:
    blocks = []
    for match in re.finditer(r"^\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text,
                             flags=re.M):
        lines = match.group(1).rstrip("\n").splitlines()
        blocks.append("\n".join(line[3:] for line in lines) + "\n")
    return blocks


def code_of(name: str) -> str:
    text = (ROOT / name).read_text()
    blocks = (markdown_python_blocks if name.endswith(".md") else rst_python_blocks)(
        text
    )
    assert blocks, f"no python code block found in {name}"
    return "\n".join(blocks)


def test_code_blocks_are_extracted():
    assert "BayesSearchCV" in code_of("README.md")
    quickstart = code_of("docs/quickstart.rst")
    assert "cross_val_score" in quickstart and "plot_objective" in quickstart


@pytest.mark.slow
@pytest.mark.parametrize("name", ["README.md", "docs/quickstart.rst", "docs/index.rst"])
def test_first_hour_code_runs_without_warnings(name, tmp_path):
    # -W error: any warning, from skopt_est or a library it calls, fails
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", code_of(name)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stderr == ""
    assert completed.stdout.strip()
