"""``python -m skopt_est`` runs the ``skopt-est`` command line."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
