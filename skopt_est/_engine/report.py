"""scikit-learn's SGD verbose lines, for the linear models (``verbose > 0``).

Each epoch of each head prints a block on stdout::

    -- Epoch 3
    Norm: 1.73, NNZs: 4, Bias: -1.362884, T: 450, Avg. loss: 0.000083, \
Objective: 0.028616
    Total training time: 0.01 seconds.

(with ``early_stopping``, ``, Validation score: 0.900000`` ends the second
line), and a head that stops prints ``Convergence after 7 epochs took 0.02
seconds``. ``T`` counts the training rows this ``fit`` (or ``partial_fit``
call) has passed over, ``Avg. loss`` is the epoch's mean loss per training
row, ``Objective`` that plus the penalty. The compiled kernel
(``kernel.runners.HeadsRunner``) prints one block per head, as scikit-learn; the
torch path prints one block for the whole model (``Norm`` and ``NNZs`` over
every head's weights, ``Bias`` the heads' mean intercept).
"""

from __future__ import annotations

import time

import numpy as np


class SGDReport:
    """The lines of one head (or of the whole model) during one fit.

    Parameters
    ----------
    n_seen : int
        The training rows seen before this fit (``T`` counts from there).
    """

    def __init__(self, n_seen: int) -> None:
        self.start = time.perf_counter()
        self.n_seen = n_seen
        self.n_epochs = 0

    def epoch(self, weight: np.ndarray, bias: np.ndarray | None,
              n_seen: int, avg_loss: float, objective: float,
              score: float | None = None, norm: float | None = None) -> None:
        """Print the block of the epoch that has just ended.

        ``weight`` and ``bias`` are host arrays (the torch path hands over
        copies: this runs only with ``verbose``). ``score``: the validation
        score, if any; ``norm``: the weights' norm
        where the caller tracks it as scikit-learn does (its running norm,
        which the L1 truncation does not update), else computed.
        """
        self.n_epochs += 1
        if norm is None:
            norm = float(np.linalg.norm(weight.astype(np.float64).ravel()))
        nnz = int(np.count_nonzero(weight))
        intercept = 0.0 if bias is None or bias.size == 0 else float(
            bias.astype(np.float64).mean())
        validation = "" if score is None else f", Validation score: {score:f}"
        print(f"-- Epoch {self.n_epochs}")
        print(f"Norm: {norm:.2f}, NNZs: {nnz}, Bias: {intercept:.6f}, "
              f"T: {n_seen - self.n_seen}, Avg. loss: {avg_loss:f}, "
              f"Objective: {objective:f}{validation}")
        print(f"Total training time: {self.elapsed():.2f} seconds.")

    def converged(self) -> None:
        """Print the line of a head whose stop rule ended its fit."""
        print(f"Convergence after {self.n_epochs} epochs took "
              f"{self.elapsed():.2f} seconds")

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
