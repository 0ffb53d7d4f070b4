"""The ``skopt-est`` command line (also ``python -m skopt_est``).

One module per job:

- ``parser``: the argument parser and the user-error type (standard library
  only, so ``--help`` and argument errors answer before torch loads);
- ``recipe``: data set -> split, pipeline, estimator, search space, budget,
  and scikit-learn's default peer;
- ``run``: ``main``, the orchestration of a command, the mapping of errors to
  one ``skopt-est: error:`` line, and the progress bar;
- ``report``: the result as a table or JSON, and the saved plot.
"""

from .parser import build_parser
from .run import main

__all__ = ["build_parser", "main"]
