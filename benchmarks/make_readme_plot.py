"""Regenerate ``docs/_static/convergence.png``, the README's convergence plot.

The image is the ``--plot`` output of the default run, at the command
line's resolution (150 dpi)::

    python benchmarks/make_readme_plot.py
    # the same as: skopt-est tune --plot docs/_static/convergence.png

The table the run prints goes to stdout, so the numbers beside the image can
be checked against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from skopt_est.cli import main

IMAGE = Path(__file__).resolve().parents[1] / "docs" / "_static" / "convergence.png"

if __name__ == "__main__":
    sys.exit(main(["tune", "--plot", str(IMAGE), "--quiet"]))
