"""Test functions to minimise, under scikit-optimize's ``skopt.benchmarks`` names.

Each takes one point ``x`` (a list of values, as the optimizers pass it) and
returns a float. The formulas are the textbook ones; the known minima are in
each docstring and checked by ``tests/test_benchmarks.py``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "bench1",
    "bench1_with_time",
    "bench2",
    "bench3",
    "bench4",
    "bench5",
    "branin",
    "hart6",
]


def bench1(x) -> float:
    """The parabola ``x[0] ** 2``: one minimum, 0 at ``x[0] = 0``.

    Parameters
    ----------
    x : sequence of float
        A point with one coordinate.

    Returns
    -------
    value : float
        ``x[0] ** 2``.
    """
    return x[0] ** 2


def bench1_with_time(x) -> tuple[float, float]:
    """``bench1`` and a fixed evaluation time of 2.22 seconds.

    For acquisitions per second of scikit-optimize (``'EIps'``, ``'PIps'``),
    which skopt_est does not have; kept so that scripts importing it run.

    Parameters
    ----------
    x : sequence of float
        A point with one coordinate.

    Returns
    -------
    value : float
        ``x[0] ** 2``.
    seconds : float
        Always 2.22.
    """
    return x[0] ** 2, 2.22


def bench2(x) -> float:
    """A parabola left of 0 and a deeper one right of it.

    ``x[0] ** 2`` for ``x[0] < 0``, else ``(x[0] - 5) ** 2 - 5``: the global
    minimum is -5 at ``x[0] = 5``, a local one 0 at ``x[0] = 0``.

    Parameters
    ----------
    x : sequence of float
        A point with one coordinate.

    Returns
    -------
    value : float
        The piecewise parabola at ``x[0]``.
    """
    if x[0] < 0:
        return x[0] ** 2
    return (x[0] - 5) ** 2 - 5


def bench3(x) -> float:
    """``sin(5 x) (1 - tanh(x ** 2))``, the 1-D toy objective of the examples.

    On ``[-2, 2]`` its lowest value is about -0.909, at ``x[0]`` about -0.289.

    Parameters
    ----------
    x : sequence of float
        A point with one coordinate.

    Returns
    -------
    value : float
        The function at ``x[0]``.
    """
    return float(np.sin(5 * x[0]) * (1 - np.tanh(x[0] ** 2)))


def bench4(x) -> float:
    """``float(x[0]) ** 2`` for a categorical value given as a string.

    Its minimum is 0 at the category ``"0"``.

    Parameters
    ----------
    x : sequence
        A point whose one value is a string holding a number.

    Returns
    -------
    value : float
        The square of that number.
    """
    return float(x[0]) ** 2


def bench5(x) -> float:
    """``float(x[0]) ** 2 + x[1] ** 2``: a category (a string) and a number.

    Its minimum is 0 at ``["0", 0]``, for checking mixed spaces.

    Parameters
    ----------
    x : sequence
        A string holding a number, then a number.

    Returns
    -------
    value : float
        The sum of their squares.
    """
    return float(x[0]) ** 2 + x[1] ** 2


def branin(
    x,
    a: float = 1.0,
    b: float = 5.1 / (4 * np.pi**2),
    c: float = 5.0 / np.pi,
    r: float = 6.0,
    s: float = 10.0,
    t: float = 1.0 / (8 * np.pi),
) -> float:
    """The Branin-Hoo function on ``[-5, 10] x [0, 15]``.

    ``a (x2 - b x1^2 + c x1 - r)^2 + s (1 - t) cos(x1) + s``. With the default
    constants its three global minima, 0.397887, are at ``(-pi, 12.275)``,
    ``(pi, 2.275)`` and ``(9.42478, 2.475)``.

    Parameters
    ----------
    x : sequence of float
        ``(x1, x2)``.
    a, b, c, r, s, t : float
        The function's constants (the usual ones by default).

    Returns
    -------
    value : float
        The function at ``x``.
    """
    x1, x2 = x[0], x[1]
    return float(a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * np.cos(x1) + s)


_HART6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_HART6_A = np.array(
    [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ]
)
_HART6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def hart6(x, alpha=_HART6_ALPHA, P=_HART6_P, A=_HART6_A) -> float:
    """The six-dimensional Hartmann function on the unit hypercube.

    ``-sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)``: six local minima and
    the global one, -3.32237, at ``(0.20169, 0.150011, 0.476874, 0.275332,
    0.311652, 0.6573)``.

    Parameters
    ----------
    x : sequence of float
        Six coordinates in ``[0, 1]``.
    alpha : ndarray of shape (4,)
        Weights of the four bumps.
    P : ndarray of shape (4, 6)
        Their centres.
    A : ndarray of shape (4, 6)
        Their widths, per coordinate.

    Returns
    -------
    value : float
        The function at ``x``.
    """
    x = np.asarray(x, dtype=float)
    return float(-np.sum(alpha * np.exp(-np.sum(A * (x - P) ** 2, axis=1))))
