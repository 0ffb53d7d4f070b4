"""Tests of skopt_est.plots: rendered with Agg, checked by the axes' content."""

import sys
import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skopt_est import MLPRegressor  # noqa: E402
from skopt_est.plots import (  # noqa: E402
    plot_convergence,
    plot_evaluations,
    plot_histogram,
    plot_learning_curves,
    plot_objective,
    plot_regret,
)
from skopt_est.search import BayesSearchCV, Optimizer  # noqa: E402
from skopt_est.space import Categorical, Integer, Real  # noqa: E402

N_ITER = 8


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[:200], y[:200]


@pytest.fixture(scope="module")
def search(diabetes):
    spaces = {
        "alpha": Real(1e-3, 1e3, prior="log-uniform"),
        "fit_intercept": Categorical([True, False]),
        "max_iter": Integer(10, 100),
    }
    return BayesSearchCV(
        Ridge(),
        spaces,
        n_iter=N_ITER,
        cv=2,
        random_state=0,
        optimizer_kwargs={"n_initial_points": 4},
    ).fit(*diabetes)


@pytest.fixture(scope="module")
def optimize_result():
    optimizer = Optimizer([(-2.0, 2.0), (0.0, 1.0)], n_initial_points=4, random_state=0)
    return optimizer.run(lambda x: (x[0] - 0.5) ** 2 + x[1], n_iter=8)


def _visible(axes):
    return [ax for ax in np.ravel(axes) if ax.get_visible()]


# ----------------------------------------------------------------- convergence
def test_plot_convergence_search_draws_best_score_so_far(search):
    ax = plot_convergence(search)
    (line,) = ax.get_lines()
    scores = search.cv_results_["mean_test_score"]
    np.testing.assert_allclose(line.get_xdata(), np.arange(1, N_ITER + 1))
    np.testing.assert_allclose(line.get_ydata(), np.maximum.accumulate(scores))
    assert ax.get_xlabel() == "Number of evaluations"
    assert ax.get_ylabel() == "Best CV score so far"


def test_plot_convergence_several_searches_one_labelled_line_each(search, diabetes):
    grid = GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=2).fit(*diabetes)
    ax = plot_convergence(("bayes", search), grid, labels=["bayes", "grid"])
    lines = ax.get_lines()
    assert [len(line.get_xdata()) for line in lines] == [N_ITER, 3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["bayes", "grid"]


def test_plot_convergence_optimize_result_draws_min_so_far(optimize_result, search):
    ax = plot_convergence(("f", optimize_result))
    first = ax.get_lines()[0]
    np.testing.assert_allclose(
        first.get_ydata(), np.minimum.accumulate(optimize_result.func_vals)
    )
    assert ax.get_ylabel() == "min f(x) after n calls"
    ax2 = plot_convergence(search.optimizer_results_[0])
    np.testing.assert_allclose(
        ax2.get_lines()[0].get_ydata(),
        np.minimum.accumulate(-search.cv_results_["mean_test_score"]),
    )


def test_plot_convergence_rejects_mixed_kinds_and_unknown_objects(
    search, optimize_result
):
    with pytest.raises(ValueError, match="one kind at a time"):
        plot_convergence(search, optimize_result)
    with pytest.raises(TypeError, match="Cannot plot a list"):
        plot_convergence([1, 2, 3])
    with pytest.raises(ValueError, match="one label per result"):
        plot_convergence(search, labels=["a", "b"])


def test_plot_convergence_ignores_failed_evaluations():
    result = {"func_vals": np.array([np.nan, 3.0, np.nan, 1.0]), "x_iters": []}
    ax = plot_convergence(result)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [np.inf, 3.0, 3.0, 1.0])


# ------------------------------------------------------------------- objective
def test_plot_objective_panels_and_partial_dependence_lines(search):
    axes = plot_objective(search, n_points=12, n_samples=20)
    assert axes.shape == (3, 3)
    # names sorted by BayesSearchCV: alpha, fit_intercept, max_iter
    assert [axes[2, j].get_xlabel() for j in range(3)] == [
        "alpha",
        "fit_intercept",
        "max_iter",
    ]
    assert len(_visible(axes)) == 6  # diagonal + lower triangle
    assert not axes[0, 1].get_visible()
    alpha_line = axes[0, 0].get_lines()[0]
    assert len(alpha_line.get_xdata()) == 12
    assert np.all(np.isfinite(alpha_line.get_ydata()))
    assert axes[0, 0].get_xscale() == "log"
    categorical_line = axes[1, 1].get_lines()[0]
    np.testing.assert_array_equal(categorical_line.get_xdata(), [0, 1])
    assert [t.get_text() for t in axes[1, 1].get_xticklabels()] == ["True", "False"]
    assert "CV score" in axes[0, 0].get_ylabel()
    # 2-D panels: a filled surface and the evaluated points
    panel = axes[2, 0]
    offsets = [c.get_offsets() for c in panel.collections if hasattr(c, "get_offsets")]
    assert any(len(o) == N_ITER for o in offsets)


def test_plot_objective_subset_and_optimize_result(optimize_result):
    axes = plot_objective(optimize_result, n_points=10, n_samples=10)
    assert axes.shape == (2, 2)
    assert axes[1, 0].get_xlabel() == "x0"
    assert "objective" in axes[0, 0].get_ylabel()


def test_plot_objective_dimension_subset(search):
    axes = plot_objective(search, dimensions=["max_iter"], n_points=5, n_samples=5)
    assert axes.shape == (1, 1)
    assert axes[0, 0].get_xlabel() == "max_iter"
    with pytest.raises(ValueError, match="'nope' is not in the search space"):
        plot_objective(search, dimensions=["nope"])
    with pytest.raises(ValueError, match="n_points=0"):
        plot_objective(search, n_points=0)


def test_plot_objective_needs_two_finite_points(search):
    result = search.optimizer_results_[0].copy()
    result["func_vals"] = np.full(len(result["func_vals"]), np.nan)
    with pytest.raises(ValueError, match="at least 2 finite evaluations"):
        plot_objective(result)


# ----------------------------------------------------------------- evaluations
def test_plot_evaluations_histograms_and_scatter(search):
    axes = plot_evaluations(search, bins=5)
    assert axes.shape == (3, 3)
    assert len(_visible(axes)) == 6
    assert len(axes[0, 0].patches) == 5  # numeric: `bins` bars
    assert len(axes[1, 1].patches) == 2  # categorical: one bar per category
    assert sum(p.get_height() for p in axes[1, 1].patches) == N_ITER
    scatter_sizes = [len(c.get_offsets()) for c in axes[2, 0].collections]
    assert scatter_sizes == [N_ITER, 1]  # every evaluation, then the best
    assert axes[2, 1].get_xlabel() == "fit_intercept"
    assert axes[2, 1].get_ylabel() == "max_iter"


def test_plot_evaluations_rejects_unfitted_things():
    with pytest.raises(TypeError, match="Cannot plot a Ridge"):
        plot_evaluations(Ridge())


# ------------------------------------------------------------- learning curves
@pytest.fixture(scope="module")
def fitted_mlps(diabetes):
    X, y = diabetes
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    params = {
        "hidden_layer_sizes": (8,),
        "max_iter": 15,
        "random_state": 0,
        "n_iter_no_change": 50,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return {
            "plain": MLPRegressor(**params).fit(X, y),
            "early": MLPRegressor(early_stopping=True, **params).fit(X, y),
        }


def test_plot_learning_curves_loss_and_validation_panels(fitted_mlps):
    axes = plot_learning_curves(fitted_mlps)
    assert len(axes) == 2
    loss_lines = axes[0].get_lines()
    assert len(loss_lines) == 2
    np.testing.assert_allclose(
        loss_lines[0].get_ydata(), fitted_mlps["plain"].loss_curve_
    )
    (validation,) = axes[1].get_lines()  # only the early-stopping model has scores
    np.testing.assert_allclose(
        validation.get_ydata(), fitted_mlps["early"].validation_scores_
    )
    assert axes[0].get_ylabel() == "Training loss"
    assert axes[1].get_ylabel() == "Validation score"
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == [
        "plain",
        "early",
    ]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_plot_learning_curves_unwraps_pipelines(fitted_mlps, diabetes):
    X, y = diabetes
    pipeline = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
    ).fit(X, (y - y.mean()) / y.std())
    axes = plot_learning_curves(pipeline)
    assert len(axes) == 1
    assert len(axes[0].get_lines()[0].get_ydata()) == 3
    with pytest.raises(ValueError, match="has no loss_curve_"):
        plot_learning_curves(Ridge())


def test_plots_name_the_extra_when_matplotlib_is_missing(monkeypatch, search):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    for plot in (plot_convergence, plot_objective, plot_evaluations):
        with pytest.raises(ImportError, match=r"pip install skopt-est\[plots\]"):
            plot(search)


def test_plot_objective_draws_the_surrogate_the_search_fitted(optimize_result):
    from skopt_est.search._optimizer import result_surrogate

    model = optimize_result.models[-1]
    assert result_surrogate(optimize_result, np.random.RandomState(0)) is model
    axes = plot_objective(optimize_result, n_points=5, n_samples=30, random_state=0)
    drawn = axes[0, 0].get_lines()[0].get_ydata()
    space = optimize_result.space
    samples = space.to_unit(space.draw(30, random_state=np.random.RandomState(0)))
    grid = space.dimensions[0].from_design(np.linspace(0.0, 1.0, 5))
    expected = []
    for value in grid:
        rows = samples.copy()
        rows[:, 0] = space.dimensions[0].to_unit([value])[0, 0]
        expected.append(model.predict_objective(rows).mean())
    np.testing.assert_allclose(drawn, expected, rtol=1e-10)


def test_plot_objective_refit_fills_failed_runs_with_the_worst_value(optimize_result):
    from skopt_est.search._optimizer import result_surrogate

    result = dict(optimize_result)
    result["models"] = []
    func_vals = np.asarray(result["func_vals"], dtype=float).copy()
    func_vals[2] = np.nan
    result["func_vals"] = func_vals
    gp = result_surrogate(result, np.random.RandomState(0))
    worst = np.nanmax(func_vals)
    filled = np.where(np.isnan(func_vals), worst, func_vals)
    np.testing.assert_allclose(gp.y_train_, gp.standardise(filled))
    assert gp.y_train_[2] == pytest.approx(gp.y_train_.max())
    assert plot_objective(result, n_points=4, n_samples=20).shape == (2, 2)


# ------------------------------------------------- scikit-optimize's inputs
@pytest.fixture(scope="module")
def gp_result():
    from skopt_est import gp_minimize

    space = [Real(-2.0, 2.0, name="a"), Integer(0, 3, name="k")]
    return gp_minimize(
        lambda x: (x[0] - 0.5) ** 2 + x[1],
        space,
        n_calls=8,
        n_initial_points=4,
        random_state=0,
    )


def test_plots_take_a_gp_minimize_result(gp_result):
    ax = plot_convergence(gp_result)
    np.testing.assert_allclose(
        ax.get_lines()[0].get_ydata(), np.minimum.accumulate(gp_result.func_vals)
    )
    assert plot_objective(gp_result, n_points=5, n_samples=10).shape == (2, 2)
    axes = plot_evaluations(gp_result, bins=4)
    assert axes[1, 0].get_xlabel() == "a" and axes[1, 0].get_ylabel() == "k"


def test_plot_convergence_list_of_runs_draws_faint_runs_and_their_mean(gp_result):
    from skopt_est import dummy_minimize

    runs = [
        dummy_minimize(
            lambda x: (x[0] - 0.5) ** 2 + x[1],
            gp_result.space.dimensions,
            n_calls=n,
            random_state=seed,
        )
        for seed, n in ((0, 6), (1, 6), (2, 4))
    ]
    ax = plot_convergence(("random", runs), ("gp", gp_result), true_minimum=0.0)
    lines = ax.get_lines()
    # three faint runs, their mean, the gp line, the true minimum
    assert len(lines) == 6
    assert [line.get_alpha() for line in lines[:3]] == [0.2, 0.2, 0.2]
    best = [np.minimum.accumulate(r.func_vals) for r in runs]
    expected = [np.mean([b[i] for b in best if len(b) > i]) for i in range(6)]
    np.testing.assert_allclose(lines[3].get_ydata(), expected)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "random",
        "gp",
        "True minimum",
    ]
    listed = plot_convergence([("a", runs[0]), ("b", runs[1])])
    assert [t.get_text() for t in listed.get_legend().get_texts()] == ["a", "b"]


def test_plot_objective_takes_scikit_optimize_arguments(gp_result):
    axes = plot_objective(gp_result, n_points=4, n_samples=10, plot_dims=["k"])
    assert axes.shape == (1, 1) and axes[0, 0].get_xlabel() == "k"
    labelled = plot_objective(
        gp_result,
        n_points=4,
        n_samples=10,
        dimensions=["alpha", "kappa"],
        show_points=False,
        cmap="magma",
        zscale="linear",
    )
    assert labelled[1, 0].get_xlabel() == "alpha"
    assert labelled[1, 0].get_ylabel() == "kappa"
    assert len(labelled[1, 0].collections) == 2  # the contours and the best star
    with pytest.raises(ValueError, match="'nearest' is not a point of the plot"):
        plot_objective(gp_result, minimum="nearest")
    with pytest.raises(ValueError, match="zscale='cubic'"):
        plot_objective(gp_result, zscale="cubic")
    by_index = plot_evaluations(gp_result, plot_dims=[1, 0])
    assert by_index[1, 0].get_xlabel() == "k"


# ------------------------------------------------------------------ histogram
def test_plot_histogram_counts_each_category_in_order(search):
    ax = plot_histogram(search, "fit_intercept", rotate_labels=30)
    column = [x[1] for x in search.optimizer_results_[0]["x_iters"]]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [column.count(True), column.count(False)]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["True", "False"]
    assert ax.get_xticklabels()[0].get_rotation() == 30
    assert ax.get_xlabel() == "fit_intercept"


def test_plot_histogram_log_bins_on_a_log_uniform_dimension(search):
    _, ax = plt.subplots()
    assert plot_histogram(search, 0, bins=6, ax=ax) is ax
    alpha = np.array([x[0] for x in search.optimizer_results_[0]["x_iters"]])
    edges = np.geomspace(1e-3, 1e3, 7)
    expected, _ = np.histogram(alpha, bins=edges)
    np.testing.assert_array_equal([p.get_height() for p in ax.patches], expected)
    np.testing.assert_allclose(ax.patches[0].get_x(), edges[0])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="'gamma' is not in the search space"):
        plot_histogram(search, "gamma")


def test_plot_histogram_draws_on_the_current_axes(gp_result):
    plt.figure()
    plt.subplot(1, 2, 2)
    ax = plot_histogram(gp_result, "k", bins=4)
    assert ax is plt.gca()
    assert sum(p.get_height() for p in ax.patches) == len(gp_result.x_iters)


# --------------------------------------------------------------------- regret
def test_plot_regret_sums_the_distance_to_the_best_value(gp_result):
    ax = plot_regret(gp_result)
    (line,) = ax.get_lines()
    values = np.asarray(gp_result.func_vals)
    np.testing.assert_allclose(line.get_ydata(), np.cumsum(values - values.min()))
    assert line.get_ydata()[0] >= 0


def test_plot_regret_runs_and_true_minimum(gp_result):
    from skopt_est import dummy_minimize

    runs = [
        dummy_minimize(
            lambda x: (x[0] - 0.5) ** 2 + x[1],
            gp_result.space.dimensions,
            n_calls=5,
            random_state=seed,
        )
        for seed in (0, 1)
    ]
    _, ax = plt.subplots()
    plot_regret(("random", runs), ("gp", gp_result), true_minimum=-1.0, ax=ax)
    lines = ax.get_lines()
    assert len(lines) == 4  # two faint runs, their mean, the gp line
    curves = [np.cumsum(np.asarray(r.func_vals) + 1.0) for r in runs]
    np.testing.assert_allclose(lines[0].get_ydata(), curves[0])
    np.testing.assert_allclose(lines[2].get_ydata(), np.mean(curves, axis=0))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["random", "gp"]


def test_plot_regret_of_a_search_counts_from_the_best_score(search):
    plt.figure()
    ax = plot_regret(search)
    scores = search.cv_results_["mean_test_score"]
    np.testing.assert_allclose(
        ax.get_lines()[0].get_ydata(), np.cumsum(scores.max() - scores)
    )
    assert "CV score" in ax.get_ylabel()


# ------------------------------------------------ constant dimensions and ax=
@pytest.fixture(scope="module")
def constant_result():
    from skopt_est import gp_minimize

    space = [
        Real(-1.0, 1.0, name="a"),
        Categorical(["only"], name="fixed"),
        Integer(0, 4, name="k"),
        Categorical(["x", "y"], name="c"),
        Real(1e-2, 1.0, prior="log-uniform", name="lr"),
    ]
    return gp_minimize(
        lambda p: (p[0] - 0.3) ** 2 + 0.1 * p[2] + (p[3] == "y") + p[4],
        space,
        n_calls=9,
        n_initial_points=6,
        random_state=0,
    )


def test_plots_leave_constant_dimensions_out(constant_result):
    labels = ["A", "K", "C", "LR"]
    axes = plot_objective(constant_result, dimensions=labels, n_points=4, n_samples=5)
    assert axes.shape == (4, 4)
    assert [axes[3, j].get_xlabel() for j in range(4)] == labels
    axes = plot_evaluations(constant_result, dimensions=labels)
    assert [axes[j, 0].get_ylabel() for j in range(1, 4)] == labels[1:]
    with pytest.raises(ValueError, match=r"one label per plotted dimension \(4:"):
        plot_objective(constant_result, dimensions=["A", "B", "C", "D", "E"])
    # named explicitly, a constant dimension is drawn
    axes = plot_evaluations(constant_result, plot_dims=["fixed", "a"])
    assert axes[1, 0].get_xlabel() == "fixed"


def test_grid_plots_draw_inside_a_given_axes(constant_result):
    figure, (left, right) = plt.subplots(1, 2)
    axes = plot_evaluations(constant_result, plot_dims=["a", "k"], ax=right)
    assert axes.shape == (2, 2)
    assert all(panel.get_figure() is figure for panel in axes.ravel())
    assert not right.axison
    left_box, panel_box = left.get_position(), axes[0, 0].get_position()
    assert panel_box.x0 >= left_box.x1  # the panels sit in the right half
    axes = plot_objective(
        constant_result, plot_dims=["a"], n_points=4, n_samples=5, ax=left
    )
    assert axes[0, 0].get_position().x1 <= right.get_position().x0
