"""Tests of the surrogate plots of skopt_est.plots: partial dependence, the
2-D objective and the 1-D Gaussian process, rendered with Agg and checked
against values computed here from the fitted model."""

import numpy as np
import pytest
from scipy.stats import norm

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skopt_est import gp_minimize  # noqa: E402
from skopt_est.plots import (  # noqa: E402
    partial_dependence,
    partial_dependence_1D,
    partial_dependence_2D,
    plot_gaussian_process,
    plot_objective,
    plot_objective_2D,
)
from skopt_est.space import Categorical, Integer, Real  # noqa: E402
from skopt_est.utils import expected_minimum  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _mixed_objective(p):
    return (p[0] - 0.3) ** 2 + 0.2 * p[1] + (p[2] == "b") + np.log10(p[3]) ** 2


@pytest.fixture(scope="module")
def mixed():
    space = [
        Real(-1.0, 1.0, name="a"),
        Integer(0, 3, name="k"),
        Categorical(["a", "b", "c"], name="c"),
        Real(1e-2, 1.0, prior="log-uniform", name="lr"),
    ]
    return gp_minimize(
        _mixed_objective, space, n_calls=10, n_initial_points=6, random_state=0
    )


def _noisy_sine(x):
    return float(np.sin(5 * x[0]))


@pytest.fixture(scope="module")
def line_result():
    return gp_minimize(
        _noisy_sine, [(-2.0, 2.0)], n_calls=9, n_initial_points=5, random_state=0
    )


def _mean_with(model, space, samples, fixed):
    """Mean predicted objective with dimensions fixed: ``{index: value}``."""
    rows = samples.copy()
    slices = space.column_slices()
    for index, value in fixed.items():
        rows[:, slices[index]] = space.dimensions[index].to_unit([value])
    return model.predict_objective(rows).mean()


# ------------------------------------------------------- partial dependence
def test_partial_dependence_1D_averages_the_fitted_model(mixed):
    space, model = mixed.space, mixed.models[-1]
    samples = space.to_unit(space.rvs(15, random_state=1))
    xi, yi = partial_dependence_1D(space, model, 0, samples, n_points=5)
    np.testing.assert_allclose(xi, np.linspace(-1.0, 1.0, 5))
    expected = [_mean_with(model, space, samples, {0: v}) for v in xi]
    np.testing.assert_allclose(yi, expected, rtol=1e-10)
    # a log-uniform dimension is spaced geometrically
    xi, _ = partial_dependence_1D(space, model, 3, samples, n_points=3)
    np.testing.assert_allclose(xi, [1e-2, 1e-1, 1.0])


def test_partial_dependence_1D_categorical_and_integer_positions(mixed):
    space, model = mixed.space, mixed.models[-1]
    samples = space.to_unit(space.rvs(10, random_state=2))
    xi, yi = partial_dependence_1D(space, model, 2, samples, n_points=40)
    np.testing.assert_array_equal(xi, [0, 1, 2])  # category indices
    expected = [_mean_with(model, space, samples, {2: c}) for c in "abc"]
    np.testing.assert_allclose(yi, expected, rtol=1e-10)
    xi, _ = partial_dependence_1D(space, model, 1, samples, n_points=40)
    np.testing.assert_array_equal(xi, [0, 1, 2, 3])  # every integer


def test_partial_dependence_2D_orientation(mixed):
    space, model = mixed.space, mixed.models[-1]
    samples = space.to_unit(space.rvs(8, random_state=3))
    xi, yi, zi = partial_dependence_2D(space, model, 0, 2, samples, n_points=4)
    np.testing.assert_array_equal(xi, [0, 1, 2])  # dimension j = 2 along x
    np.testing.assert_allclose(yi, np.linspace(-1.0, 1.0, 4))
    assert zi.shape == (4, 3)
    for a, b in [(0, 0), (3, 1), (2, 2)]:
        expected = _mean_with(model, space, samples, {0: yi[a], 2: "abc"[b]})
        assert zi[a, b] == pytest.approx(expected, rel=1e-10)


def test_partial_dependence_holds_the_others_at_x_eval(mixed):
    space, model = mixed.space, mixed.models[-1]
    point = [0.1, 2, "c", 0.5]
    xi, yi = partial_dependence(space, model, 1, x_eval=point, n_points=4)
    samples = space.to_unit([point])
    np.testing.assert_allclose(
        yi, [_mean_with(model, space, samples, {1: k}) for k in range(4)]
    )
    first = partial_dependence(space, model, 0, 3, n_samples=6, random_state=0)
    again = partial_dependence(space, model, 0, 3, n_samples=6, random_state=0)
    assert len(first) == 3
    np.testing.assert_array_equal(first[2], again[2])


def test_partial_dependence_agrees_with_scikit_optimize_on_its_result():
    skopt = pytest.importorskip("skopt")
    from skopt.plots import partial_dependence_1D as reference

    result = skopt.gp_minimize(
        lambda p: (p[0] - 0.2) ** 2 + (p[1] == "y"),
        [(-1.0, 1.0), ["x", "y", "z"]],
        n_calls=7,
        n_initial_points=5,
        random_state=0,
    )
    space, model = result.space, result.models[-1]
    samples = space.transform(space.rvs(12, random_state=0))
    for i in (0, 1):
        ours = partial_dependence_1D(space, model, i, samples, n_points=6)
        theirs = reference(space, model, i, samples, n_points=6)
        np.testing.assert_allclose(ours[0], theirs[0])
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10)
    axes = plot_objective(result, n_points=4, n_samples=5)
    assert axes.shape == (2, 2)


# ------------------------------------------------------------- plot_objective
def test_plot_objective_marks_the_expected_minimum(mixed):
    axes = plot_objective(
        mixed, n_points=4, n_samples=6, minimum="expected_minimum", random_state=0
    )
    x, _ = expected_minimum(mixed, 20, np.random.RandomState(0))
    marked = axes[0, 0].get_lines()[1].get_xdata()[0]
    assert marked == pytest.approx(x[0])
    star = axes[1, 0].collections[-1].get_offsets()[0]
    np.testing.assert_allclose(star, [x[0], x[1]])
    # the same search once: the other dimensions held at the marked point
    held = plot_objective(
        mixed,
        n_points=4,
        plot_dims=[0],
        sample_source="expected_minimum",
        minimum="expected_minimum",
        random_state=0,
    )
    samples = mixed.space.to_unit([x])
    expected = [
        _mean_with(mixed.models[-1], mixed.space, samples, {0: v})
        for v in np.linspace(-1.0, 1.0, 4)
    ]
    np.testing.assert_allclose(held[0, 0].get_lines()[0].get_ydata(), expected)


def test_plot_objective_sample_source_holds_the_others_at_one_point(mixed):
    point = [0.5, 1, "a", 0.1]
    axes = plot_objective(
        mixed, n_points=5, sample_source=point, minimum=point, plot_dims=["a"]
    )
    line, mark = axes[0, 0].get_lines()
    samples = mixed.space.to_unit([point])
    expected = [
        _mean_with(mixed.models[-1], mixed.space, samples, {0: v})
        for v in np.linspace(-1.0, 1.0, 5)
    ]
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-10)
    assert mark.get_xdata()[0] == 0.5
    best = plot_objective(mixed, n_points=5, sample_source="result", plot_dims=[0])
    samples = mixed.space.to_unit([mixed.x])
    assert best[0, 0].get_lines()[0].get_ydata()[0] == pytest.approx(
        _mean_with(mixed.models[-1], mixed.space, samples, {0: -1.0})
    )
    with pytest.raises(ValueError, match="has 2 values; the space has 4"):
        plot_objective(mixed, sample_source=[0.5, 1])


# ---------------------------------------------------------- plot_objective_2D
def test_plot_objective_2D_axes_points_and_surface(mixed):
    plt.figure()
    ax = plot_objective_2D(mixed, "a", "lr", n_points=5, n_samples=6)
    assert ax is plt.gca()
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("a", "lr")
    assert ax.get_yscale() == "log"
    contours, dots, star = ax.collections
    expected = np.column_stack(
        [[x[0] for x in mixed.x_iters], [x[3] for x in mixed.x_iters]]
    )
    np.testing.assert_allclose(dots.get_offsets(), expected)
    np.testing.assert_allclose(star.get_offsets()[0], [mixed.x[0], mixed.x[3]])
    samples = mixed.space.to_unit(mixed.space.draw(6, np.random.RandomState(0)))
    _, _, zi = partial_dependence_2D(
        mixed.space, mixed.models[-1], 3, 0, samples, n_points=5
    )
    assert contours.levels.min() <= zi.min() and contours.levels.max() >= zi.max()


def test_plot_objective_2D_by_index_with_a_categorical(mixed):
    _, ax = plt.subplots()
    assert plot_objective_2D(mixed, 2, 1, n_points=4, n_samples=5, ax=ax) is ax
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="'nope' is not in the search space"):
        plot_objective_2D(mixed, "nope", "a")


# ------------------------------------------------------ plot_gaussian_process
def test_plot_gaussian_process_draws_the_last_model(line_result):
    plt.figure()
    ax = plot_gaussian_process(line_result, objective=_noisy_sine, n_points=50)
    truth, median, seen = ax.get_lines()
    grid = np.linspace(-2.0, 2.0, 50)
    np.testing.assert_allclose(truth.get_ydata(), np.sin(5 * grid))
    model = line_result.models[-1]
    rows = line_result.space.to_unit([[v] for v in grid])
    np.testing.assert_allclose(median.get_ydata(), model.predict_objective(rows))
    np.testing.assert_allclose(seen.get_xdata(), [x[0] for x in line_result.x_iters])
    np.testing.assert_allclose(seen.get_ydata(), line_result.func_vals)
    assert ax.get_title().startswith(f"x* = {line_result.x[0]:.4f}")


def test_plot_gaussian_process_acquisition_and_next_point(line_result):
    plt.figure()
    ax = plot_gaussian_process(
        line_result,
        n_calls=1,
        n_points=40,
        show_acq_func=True,
        show_next_point=True,
        show_mu=False,
        show_observations=False,
    )
    acquisition, nxt = ax.get_lines()
    model = line_result.models[1]
    grid = np.linspace(-2.0, 2.0, 40)
    mu, sigma = model.predict(line_result.space.to_unit([[v] for v in grid]))
    # expected improvement below the best standardised value, xi = 0 (ours)
    gap = np.min(model.y_train_) - mu
    ei = gap * norm.cdf(gap / sigma) + sigma * norm.pdf(gap / sigma)
    np.testing.assert_allclose(acquisition.get_ydata(), ei, rtol=1e-6, atol=1e-12)
    assert nxt.get_xdata()[0] == grid[np.argmax(ei)]
    assert ax.get_ylabel() == "EI(x)"


def test_plot_gaussian_process_n_calls_shows_what_that_model_saw(line_result):
    plt.figure()
    ax = plot_gaussian_process(line_result, n_calls=0, show_mu=False)
    (seen,) = ax.get_lines()
    n_seen = len(line_result.models[0].X_train_)
    assert len(seen.get_xdata()) == n_seen == 5
    with pytest.raises(ValueError, match="holding 5"):
        plot_gaussian_process(line_result, n_calls=5)


def test_plot_gaussian_process_refuses_two_dimensions(mixed):
    with pytest.raises(ValueError, match="one dimension; this one has 4"):
        plot_gaussian_process(mixed)


def test_plot_gaussian_process_on_scikit_optimize_results():
    skopt = pytest.importorskip("skopt")
    result = skopt.gp_minimize(
        _noisy_sine, [(-2.0, 2.0)], n_calls=7, n_initial_points=4, random_state=0
    )
    plt.figure()
    ax = plot_gaussian_process(result, n_points=30, show_observations=False)
    (median,) = ax.get_lines()
    rows = result.space.transform([[v] for v in np.linspace(-2.0, 2.0, 30)])
    mean, std = result.models[-1].predict(rows, return_std=True)
    np.testing.assert_allclose(median.get_ydata(), mean)
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx((mean + 1.959963984540054 * std).max())


def test_plot_gaussian_process_of_a_forest_draws_its_mean_band_and_ei():
    from skopt_est import forest_minimize

    result = forest_minimize(
        _noisy_sine,
        [(-2.0, 2.0)],
        n_calls=12,
        n_initial_points=6,
        base_estimator="ET",
        acq_func="EI",
        random_state=0,
    )
    plt.figure()
    ax = plot_gaussian_process(
        result, n_points=40, show_observations=False, show_acq_func=True
    )
    (median,) = ax.get_lines()
    grid = np.linspace(-2.0, 2.0, 40)
    model = result.models[-1]
    mean, std = model.predict(
        result.space.to_unit([[v] for v in grid]), return_std=True
    )
    np.testing.assert_allclose(median.get_ydata(), mean)
    # a regressor's acquisition reads the objective's units; EI's xi is 0
    gap = np.min(result.func_vals) - mean
    sigma = np.maximum(std, 1e-12)
    ei = gap * norm.cdf(gap / sigma) + sigma * norm.pdf(gap / sigma)
    (acquisition,) = [a for a in ax.figure.axes if a is not ax][0].get_lines()
    np.testing.assert_allclose(acquisition.get_ydata(), ei, rtol=1e-6, atol=1e-9)
