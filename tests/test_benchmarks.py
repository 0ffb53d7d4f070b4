"""The benchmark functions reach their published minima, and nowhere lower."""

import numpy as np
import pytest
from scipy.optimize import minimize

from skopt_est import benchmarks

BRANIN_MINIMA = [(-np.pi, 12.275), (np.pi, 2.275), (9.42478, 2.475)]
HART6_MINIMUM = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]


@pytest.mark.parametrize("point", BRANIN_MINIMA)
def test_branin_takes_its_minimum_value_at_each_minimiser(point):
    assert benchmarks.branin(point) == pytest.approx(0.397887, abs=1e-5)


def test_branin_is_never_lower_than_its_minimum_on_a_dense_grid():
    x1, x2 = np.meshgrid(np.linspace(-5, 10, 301), np.linspace(0, 15, 301))
    values = [benchmarks.branin(p) for p in zip(x1.ravel(), x2.ravel())]
    assert min(values) >= 0.397887 - 1e-6
    assert min(values) < 0.41  # the grid does come close


def test_hart6_minimum_is_a_local_minimum_with_the_published_value():
    assert benchmarks.hart6(HART6_MINIMUM) == pytest.approx(-3.32237, abs=1e-4)
    polished = minimize(benchmarks.hart6, HART6_MINIMUM, bounds=[(0, 1)] * 6)
    assert polished.fun == pytest.approx(-3.32237, abs=1e-4)
    rng = np.random.RandomState(0)
    assert min(benchmarks.hart6(p) for p in rng.uniform(size=(2000, 6))) > -3.32237


def test_one_dimensional_benchmarks_have_their_minima():
    grid = np.linspace(-10, 10, 2001)
    assert min(benchmarks.bench1([x]) for x in grid) == pytest.approx(0.0)
    assert benchmarks.bench2([5.0]) == -5.0
    assert min(benchmarks.bench2([x]) for x in grid) == -5.0
    assert benchmarks.bench2([-1.0]) == 1.0  # the left branch
    values = [benchmarks.bench3([x]) for x in np.linspace(-2, 2, 4001)]
    assert -0.91 < min(values) < -0.90
    assert benchmarks.bench1_with_time([3.0]) == (9.0, 2.22)


def test_categorical_benchmarks_read_numbers_from_strings():
    assert benchmarks.bench4(["0"]) == 0.0
    assert benchmarks.bench4(["-3"]) == 9.0
    assert benchmarks.bench5(["0", 0]) == 0.0
    assert benchmarks.bench5(["2", 1.5]) == 6.25
