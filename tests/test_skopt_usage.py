"""What scikit-optimize's example gallery does, done with skopt_est.

Each test follows one gallery example's use of the API (the names it
imports, the arguments it passes, what it reads back), written here in our
own words and at small sizes, and checks the outcome. The gallery itself is
measured outside the repository (every example, unshrunk, against
scikit-optimize); these tests keep its usage working.
"""

import pickle
import warnings

import numpy as np
import pytest
from scipy.spatial.distance import pdist

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from sklearn.datasets import load_diabetes, load_iris  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.svm import SVC, LinearSVC  # noqa: E402
from sklearn.tree import DecisionTreeRegressor  # noqa: E402

from skopt_est import (  # noqa: E402
    BayesSearchCV,
    Optimizer,
    dummy_minimize,
    dump,
    forest_minimize,
    gbrt_minimize,
    gp_minimize,
    load,
)
from skopt_est.benchmarks import branin, hart6  # noqa: E402
from skopt_est.callbacks import CheckpointSaver  # noqa: E402
from skopt_est.plots import (  # noqa: E402
    plot_convergence,
    plot_evaluations,
    plot_gaussian_process,
    plot_histogram,
    plot_objective,
    plot_objective_2D,
)
from skopt_est.sampler import Grid, Halton, Hammersly, Lhs, Sobol  # noqa: E402
from skopt_est.space import Categorical, Integer, Real, Space  # noqa: E402
from skopt_est.utils import point_asdict, use_named_args  # noqa: E402

BRANIN_MINIMUM = 0.397887


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def wavy(x, noise_level=0.0, rng=None):
    """The gallery's 1-D toy objective, with optional seeded noise."""
    noise = noise_level * rng.randn() if noise_level else 0.0
    return float(np.sin(5 * x[0]) * (1 - np.tanh(x[0] ** 2)) + noise)


# ------------------------------------------------------------- ask-and-tell
def test_ask_and_tell_loop_then_plot_the_model():
    rng = np.random.RandomState(0)
    opt = Optimizer(
        [(-2.0, 2.0)],
        "GP",
        acq_func="EI",
        acq_optimizer="sampling",
        initial_point_generator="lhs",
        n_initial_points=5,
        random_state=0,
    )
    for _ in range(8):
        x = opt.ask()
        assert -2.0 <= x[0] <= 2.0
        res = opt.tell(x, wavy(x, 0.1, rng))
    assert len(res.x_iters) == 8 and len(res.models) == 4
    ax = plot_gaussian_process(
        res, objective=wavy, noise_level=0.1, show_acq_func=True, show_next_point=True
    )
    assert [line.get_label() for line in ax.get_lines()][-1] == "evaluations"
    # the lhs design: one initial point in each fifth of [-2, 2]
    first = np.sort([x[0] for x in res.x_iters[:5]])
    np.testing.assert_array_equal(np.floor((first + 2.0) / 0.8), np.arange(5))


# ---------------------------------------------------- bayesian-optimization
def test_gp_minimize_with_the_gallery_arguments_and_plots():
    rng = np.random.RandomState(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (DeprecationWarning, FutureWarning))
        res = gp_minimize(
            lambda x: wavy(x, 0.1, rng),
            [(-2.0, 2.0)],
            acq_func="EI",
            n_calls=12,
            n_random_starts=5,
            noise=0.1**2,
            random_state=1234,
        )
    assert len(res.x_iters) == 12 and res.fun < -0.8  # the minimum is -0.95
    assert {"x", "fun", "models", "x_iters", "func_vals", "space", "specs"} <= set(res)
    assert res.specs["args"]["n_calls"] == 12
    plot_convergence(res)
    plt.figure()
    for n_iter in range(3):
        plt.subplot(3, 2, 2 * n_iter + 1)
        ax = plot_gaussian_process(
            res, n_calls=n_iter, objective=wavy, show_title=False
        )
        assert ax is plt.gca()
        plt.subplot(3, 2, 2 * n_iter + 2)
        ax = plot_gaussian_process(
            res,
            n_calls=n_iter,
            show_mu=False,
            show_acq_func=True,
            show_observations=False,
            show_next_point=True,
        )
        assert len(ax.get_lines()) == 2  # the acquisition and its best point


# ---------------------------------------------- exploration-vs-exploitation
@pytest.mark.parametrize(
    "acq_func, kwargs",
    [("LCB", {"kappa": 1e4}), ("PI", {"xi": 1e-6}), ("EI", {"xi": -1e12})],
)
def test_acq_func_kwargs_then_run_and_plot(acq_func, kwargs):
    rng = np.random.RandomState(1)
    opt = Optimizer(
        [(-2.0, 2.0)],
        "GP",
        n_initial_points=3,
        acq_func=acq_func,
        acq_optimizer="sampling",
        acq_func_kwargs=kwargs,
        random_state=0,
    )
    result = opt.run(lambda x: wavy(x, 0.1, rng), n_iter=6)
    assert len(result.func_vals) == 6
    assert opt.acq_func_kwargs == kwargs
    ax = plot_gaussian_process(result, objective=wavy, show_acq_func=True)
    assert ax.get_title().startswith("x* = ")


# ---------------------------------------------- hyperparameter-optimization
def test_use_named_args_objective_with_gp_minimize():
    X, y = load_diabetes(return_X_y=True)
    reg = DecisionTreeRegressor(random_state=0)
    space = [
        Integer(1, 5, name="max_depth"),
        Integer(2, 50, name="min_samples_split"),
        Real(1e-4, 1.0, "log-uniform", name="ccp_alpha"),
    ]

    @use_named_args(space)
    def objective(**params):
        reg.set_params(**params)
        return -np.mean(
            cross_val_score(reg, X, y, cv=3, scoring="neg_mean_absolute_error")
        )

    res = gp_minimize(objective, space, n_calls=8, n_initial_points=5, random_state=0)
    assert res.fun == pytest.approx(objective(res.x))
    assert res.fun < 60.0  # a mean absolute error; the target's spread is ~77
    assert len(plot_convergence(res).get_lines()) == 1


# ---------------------------------------------- interruptible-optimization
def test_checkpoint_then_resume_from_x0_and_y0(tmp_path):
    path = tmp_path / "checkpoint.pkl"
    saver = CheckpointSaver(str(path), compress=9)
    gp_minimize(
        wavy,
        [(-20.0, 20.0)],
        x0=[-20.0],
        acq_func="LCB",
        n_calls=5,
        n_initial_points=0,
        callback=[saver],
        random_state=777,
    )
    res = load(path)
    assert len(res.x_iters) == 5 and res.x_iters[0] == [-20.0]
    resumed = gp_minimize(
        wavy,
        [(-20.0, 20.0)],
        x0=res.x_iters,
        y0=res.func_vals,
        acq_func="LCB",
        n_calls=3,
        n_initial_points=0,
        callback=[saver],
        random_state=777,
    )
    assert resumed.x_iters[:5] == res.x_iters
    assert len(resumed.x_iters) == 8
    assert resumed.fun <= res.fun
    assert len(load(path).x_iters) == 8  # the saver wrote the resumed run


# ---------------------------------------------------- parallel-optimization
def test_ask_a_batch_and_evaluate_it_in_parallel():
    optimizer = Optimizer(
        dimensions=[Real(-5.0, 10.0), Real(0.0, 15.0)],
        random_state=1,
        base_estimator="gp",
    )
    for _ in range(5):
        x = optimizer.ask(n_points=4)
        assert len(x) == 4 and len({tuple(p) for p in x}) == 4
        y = Parallel(n_jobs=2)(delayed(branin)(v) for v in x)
        optimizer.tell(x, y)
    assert len(optimizer.yi) == 20
    assert min(optimizer.yi) < 2.0  # Branin's minimum is 0.398


# ------------------------------------------ sklearn-gridsearchcv-replacement
def test_bayes_search_with_tuples_lists_and_several_spaces():
    X, y = load_iris(return_X_y=True)
    opt = BayesSearchCV(
        SVC(),
        {
            "C": (1e-6, 1e6, "log-uniform"),
            "gamma": (1e-6, 1e1, "log-uniform"),
            "degree": (1, 8),
            "kernel": ["linear", "poly", "rbf"],
        },
        n_iter=6,
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert opt.best_score_ > 0.9
    assert isinstance(opt.best_params_["degree"], int | np.integer)
    svc = SVC()
    pipe = Pipeline([("model", SVC())])
    search = BayesSearchCV(
        pipe,
        [
            (
                {
                    "model": Categorical([svc]),
                    "model__C": Real(1e-3, 1e3, "log-uniform"),
                },
                3,
            ),
            (
                {
                    "model": [LinearSVC(max_iter=2000)],
                    "model__C": (1e-3, 1e3, "log-uniform"),
                },
                2,
            ),
        ],
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 5
    assert len(search.optimizer_results_) == 2


def test_bayes_search_callback_stops_the_search():
    X, y = load_iris(return_X_y=True)
    seen = []
    searchcv = BayesSearchCV(
        SVC(gamma="scale"),
        {"C": (0.01, 100.0, "log-uniform")},
        n_iter=8,
        cv=3,
        random_state=0,
    )

    def on_step(optim_result):
        # as in scikit-optimize, best_score_ exists only once fit returns: the
        # callback reads the result it is given
        seen.append(-np.min(optim_result.func_vals))
        return len(seen) == 3

    searchcv.fit(X, y, callback=on_step)
    assert len(searchcv.cv_results_["params"]) == 3
    assert searchcv.best_score_ == seen[-1]
    total = BayesSearchCV(
        SVC(), [({"C": (0.1, 1.0)}, 19), {"gamma": (0.1, 1.0)}], n_iter=23
    ).total_iterations
    assert total == 19 + 23


# -------------------------------------------------- store-and-load-results
def test_dump_and_load_with_and_without_the_objective(tmp_path):
    res = gp_minimize(
        wavy,
        [(-2.0, 2.0)],
        x0=[0.0],
        acq_func="LCB",
        n_calls=6,
        n_initial_points=3,
        random_state=777,
    )
    dump(res, tmp_path / "result.pkl")
    dump(res, tmp_path / "result.gz", compress=9)
    loaded = load(tmp_path / "result.pkl")
    assert loaded.fun == res.fun and loaded.x_iters == res.x_iters
    assert (tmp_path / "result.gz").stat().st_size < (
        tmp_path / "result.pkl"
    ).stat().st_size
    dump(res, tmp_path / "no_func.pkl", store_objective=False)
    assert "func" not in load(tmp_path / "no_func.pkl").specs["args"]
    assert "func" in res.specs["args"]  # the local result keeps it
    del res.specs["args"]["func"]
    dump(res, tmp_path / "no_func_2.pkl")
    assert "func" not in load(tmp_path / "no_func_2.pkl").specs["args"]


# ------------------------------------------------------ strategy-comparison
def test_convergence_of_several_methods_each_a_list_of_runs():
    def noisy_branin(x, rng=np.random.RandomState(0)):
        return branin(x) + 2.0 * rng.randn()

    bounds = [(-5.0, 10.0), (0.0, 15.0)]
    dummy = [
        dummy_minimize(noisy_branin, bounds, n_calls=8, random_state=n)
        for n in range(2)
    ]
    gp = [
        gp_minimize(noisy_branin, bounds, n_calls=8, n_initial_points=5, random_state=n)
        for n in range(2)
    ]
    plot = plot_convergence(
        ("dummy_minimize", dummy),
        ("gp_minimize", gp),
        true_minimum=BRANIN_MINIMUM,
        yscale="log",
    )
    plot.legend(loc="best", prop={"size": 6}, numpoints=1)
    assert plot.get_yscale() == "log"
    assert len(plot.get_lines()) == 2 * 3 + 1  # runs, means, true minimum


# ---------------------------------------------- partial-dependence plots
@pytest.fixture(scope="module")
def funny_result():
    def funny(x):
        return sum((v * i) ** 2 for i, v in enumerate(x))

    return gp_minimize(
        funny, [(-1.0, 1.0)] * 3, n_calls=12, n_initial_points=8, random_state=4
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"minimum": "expected_minimum"},
        {"sample_source": "result"},
        {
            "sample_source": "expected_minimum",
            "minimum": "expected_minimum",
            "n_minimum_search": 2,
        },
        {
            "sample_source": "expected_minimum_random",
            "minimum": "expected_minimum_random",
            "n_minimum_search": 10,
        },
        {"sample_source": [1, -0.5, 0.5], "minimum": [1, -0.5, 0.5]},
    ],
)
def test_plot_objective_with_each_gallery_option(funny_result, options):
    axes = plot_objective(funny_result, n_points=5, n_samples=10, **options)
    assert axes.shape == (3, 3)
    marked = axes[0, 0].get_lines()[1].get_xdata()[0]
    if isinstance(options.get("minimum"), list):
        assert marked == 1.0
    assert -1.0 <= marked <= 1.0


def test_partial_dependence_2D_gallery_flow():
    rng = np.random.RandomState(123)
    dimensions = [
        Real(name="learning_rate", low=1e-6, high=1e-2, prior="log-uniform"),
        Integer(name="num_dense_layers", low=1, high=5),
        Integer(name="num_dense_nodes", low=5, high=512),
        Categorical(name="activation", categories=["relu", "sigmoid"]),
    ]
    default_parameters = [1e-4, 1, 64, "relu"]

    def fitness(x):
        learning_rate, layers, nodes, activation = x
        value = ((np.exp(learning_rate) - 1.0) * 1000) ** 2 + layers**2
        value = (value + (nodes / 100) ** 2) * (1.0 + 0.1 * rng.rand())
        return value + 10 * (activation == "sigmoid")

    result = gp_minimize(
        func=fitness,
        dimensions=dimensions,
        n_calls=10,
        x0=default_parameters,
        n_initial_points=5,
        random_state=123,
    )
    assert result.x_iters[0] == default_parameters
    space = result.space
    search_space = {name: space[name][1] for name in space.dimension_names}
    assert point_asdict(search_space, default_parameters) == {
        "activation": 1e-4,
        "learning_rate": 1,
        "num_dense_layers": 64,
        "num_dense_nodes": "relu",
    }  # point_asdict pairs values with the *sorted* names, as scikit-optimize
    ax = plot_histogram(result=result, dimension_identifier="learning_rate", bins=20)
    assert sum(p.get_height() for p in ax.patches) == 10
    plt.figure()
    ax = plot_objective_2D(
        result=result,
        dimension_identifier1="learning_rate",
        dimension_identifier2="num_dense_nodes",
        n_points=6,
        n_samples=10,
    )
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("learning_rate", "num_dense_nodes")
    axes = plot_objective(
        result=result,
        plot_dims=["num_dense_layers", "num_dense_nodes"],
        n_points=6,
        n_samples=10,
    )
    assert axes[1, 0].get_xlabel() == "num_dense_layers"


def test_plot_objective_with_repeated_names_and_categoricals():
    space = [
        Integer(1, 10, name="max_depth"),
        Categorical(list("abc"), name="dummy"),
        Categorical(["squared_error", "absolute_error"], name="criterion"),
        Categorical(list("def"), name="dummy"),
    ]
    X, y = load_diabetes(return_X_y=True)

    def objective(params):
        tree = DecisionTreeRegressor(
            random_state=0,
            **{d.name: v for d, v in zip(space, params) if d.name != "dummy"},
        )
        return -np.mean(cross_val_score(tree, X, y, cv=3))

    result = gp_minimize(
        objective, space, n_calls=7, n_initial_points=5, random_state=0
    )
    point = [3, "b", "absolute_error", "e"]
    axes = plot_objective(
        result, n_points=5, n_samples=10, sample_source=point, minimum=point
    )
    assert axes.shape == (4, 4)
    assert [t.get_text() for t in axes[3, 3].get_xticklabels()] == ["d", "e", "f"]
    axes = plot_objective(
        result,
        n_points=5,
        sample_source="expected_minimum_random",
        minimum="expected_minimum_random",
        n_minimum_search=100,
    )
    assert axes.shape == (4, 4)


# ----------------------------------------------------- visualizing-results
def test_evaluations_and_objective_with_uninformative_dimensions():
    def hart6_plus(x):
        return hart6(x[:6])

    res = gp_minimize(
        hart6_plus, [(0.0, 1.0)] * 8, n_calls=12, n_initial_points=10, random_state=4
    )
    axes = plot_evaluations(res, bins=10)
    assert axes.shape == (8, 8)
    assert sum(p.get_height() for p in axes[7, 7].patches) == 12
    axes = plot_objective(res, n_samples=5, n_points=4)
    assert axes.shape == (8, 8)
    dummy = dummy_minimize(
        branin, [(-5.0, 10.0), (0.0, 15.0)], n_calls=10, random_state=4
    )
    assert plot_evaluations(dummy, bins=10).shape == (2, 2)


# ----------------------------------------------------------------- samplers
@pytest.mark.parametrize("bounds", [[(-5.0, 10.0), (0.0, 15.0)], [(0, 5), (0, 5)]])
def test_initial_point_generators_fill_the_space(bounds):
    space = Space(bounds)
    n_samples = 10
    samplers = [
        Sobol(),
        Lhs(lhs_type="classic", criterion=None),
        Lhs(lhs_type="centered", criterion=None),
        Lhs(criterion="maximin", iterations=100),
        Lhs(criterion="correlation", iterations=100),
        Lhs(criterion="ratio", iterations=100),
        Halton(),
        Hammersly(),
        Grid(border="include", use_full_layout=False),
    ]
    random_points = space.rvs(n_samples, random_state=0)
    assert len(random_points) == n_samples
    for sampler in samplers:
        x = sampler.generate(space.dimensions, n_samples, random_state=0)
        assert len(x) == n_samples, sampler
        assert all(point in space for point in x), sampler
        assert pdist(np.asarray(x, dtype=float)).min() >= 0
    lhs = Lhs(lhs_type="classic", criterion=None).generate(
        space.dimensions, n_samples, random_state=0
    )
    if isinstance(bounds[0][0], float):
        # one point in each tenth of each dimension
        first = np.floor((np.array(lhs)[:, 0] + 5.0) / 1.5)
        np.testing.assert_array_equal(np.sort(first), np.arange(10))


# ------------------------------------------- names from the surrogates slice
def test_optimizer_pickles_after_being_told(tmp_path):
    opt = Optimizer(
        [(-2.0, 2.0)],
        "GP",
        acq_func="EI",
        acq_optimizer="sampling",
        initial_point_generator="lhs",
        n_initial_points=3,
        random_state=0,
    )
    for _ in range(5):
        x = opt.ask()
        opt.tell(x, wavy(x))
    with open(tmp_path / "my-optimizer.pkl", "wb") as f:
        pickle.dump(opt, f)
    with open(tmp_path / "my-optimizer.pkl", "rb") as f:
        restored = pickle.load(f)
    assert restored.Xi == opt.Xi and restored.yi == opt.yi
    assert restored.ask() == opt.ask()  # the same state, the same proposal


def test_update_next_after_changing_acq_func_kwargs():
    rng = np.random.RandomState(2)
    opt = Optimizer(
        [(-2.0, 2.0)],
        "GP",
        n_initial_points=3,
        acq_func="LCB",
        acq_optimizer="sampling",
        acq_func_kwargs={"kappa": 0},
        random_state=0,
    )
    opt.run(lambda x: wavy(x, 0.1, rng), n_iter=6)
    exploit = opt.copy(random_state=0).ask()
    opt.acq_func_kwargs = {"kappa": 100000}
    opt.update_next()
    explore = opt.copy(random_state=0).ask()
    result = opt.run(lambda x: wavy(x, 0.1, rng), n_iter=3)
    assert len(result.x_iters) == 9
    # kappa=0 goes to the lowest mean; a huge kappa to the widest band, far
    # from the evaluations
    seen = np.array([x[0] for x in result.x_iters[:6]])
    assert np.min(np.abs(seen - explore[0])) > np.min(np.abs(seen - exploit[0]))
    plot_gaussian_process(result, objective=wavy, show_acq_func=True)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_optimizer_with_a_gaussian_process_regressor_object():
    from sklearn.gaussian_process.kernels import RBF

    from skopt_est.learning import GaussianProcessRegressor

    gpr = GaussianProcessRegressor(
        kernel=1.0 * RBF(length_scale=1.0, length_scale_bounds=(1e-1, 10.0)),
        alpha=0.1**2,
        normalize_y=True,
        noise="gaussian",
        n_restarts_optimizer=1,
    )
    opt = Optimizer(
        [(-2.0, 2.0)],
        base_estimator=gpr,
        n_initial_points=5,
        acq_optimizer="sampling",
        random_state=42,
    )
    for _ in range(7):
        x = opt.ask()
        res = opt.tell(x, wavy(x))
    assert type(res.models[-1]) is GaussianProcessRegressor
    assert res.models[-1] is not gpr  # the template is left as given
    plt.figure()
    ax = plt.subplot(1, 2, 1)
    ax = plot_gaussian_process(res, ax=ax, objective=wavy, show_title=True)
    ax = plt.subplot(1, 2, 2)
    ax = plot_gaussian_process(
        res,
        ax=ax,
        show_acq_func=True,
        show_mu=False,
        show_observations=False,
        show_next_point=True,
    )
    assert len(ax.get_lines()) == 2


@pytest.mark.parametrize("base_estimator", ["RF", "ET"])
def test_forest_minimize_and_its_plots(base_estimator):
    res = forest_minimize(
        branin,
        [(-5.0, 10.0), (0.0, 15.0)],
        n_calls=14,
        base_estimator=base_estimator,
        random_state=4,
    )
    assert len(res.models) == 5  # one fit per evaluation from the 10th on
    assert res.fun < 20.0
    assert plot_evaluations(res, bins=10).shape == (2, 2)
    axes = plot_objective(res, n_points=5, n_samples=10)
    # the diagonal is the partial dependence of the forest the search fitted
    model, space = res.models[-1], res.space
    samples = space.to_unit(space.draw(10, np.random.RandomState(0)))
    expected = []
    for value in np.linspace(-5.0, 10.0, 5):
        rows = samples.copy()
        rows[:, 0] = space.dimensions[0].to_unit([value])[:, 0]
        expected.append(model.predict(rows).mean())
    np.testing.assert_allclose(axes[0, 0].get_lines()[0].get_ydata(), expected)


def test_gbrt_minimize_model_and_acquisition_plot():
    res = gbrt_minimize(
        wavy, [(-2.0, 2.0)], n_calls=12, n_initial_points=6, random_state=0
    )
    ax = plot_gaussian_process(
        res, n_calls=1, show_acq_func=True, show_next_point=True, n_points=50
    )
    model = res.models[1]
    grid = np.linspace(-2.0, 2.0, 50)
    mean, _ = model.predict(res.space.to_unit([[v] for v in grid]), return_std=True)
    median = ax.get_lines()[0]  # no objective given: the median comes first
    np.testing.assert_allclose(median.get_ydata(), mean)


def test_initial_point_generators_by_name_and_by_object():
    from skopt_est.utils import cook_initial_point_generator

    def hart6_noisy(x, rng=np.random.RandomState(0)):
        return hart6(x[:6]) + 0.1 * rng.randn()

    generators = [
        "random",
        cook_initial_point_generator("lhs", lhs_type="classic", criterion=None),
        cook_initial_point_generator("lhs", criterion="maximin"),
        cook_initial_point_generator(
            "sobol", randomize=False, min_skip=1, max_skip=100
        ),
        "halton",
        "hammersly",
        "grid",
    ]
    for generator in generators:
        res = gp_minimize(
            hart6_noisy,
            [(0.0, 1.0)] * 6,
            n_calls=7,
            n_initial_points=6,
            initial_point_generator=generator,
            random_state=0,
        )
        assert len(res.x_iters) == 7
        assert len({tuple(x) for x in res.x_iters[:6]}) == 6, generator
