"""scikit-optimize's other acquisition names in Optimizer and gp_minimize:
'MES', 'PVRS' (judged on the candidate set) and 'EIps', 'PIps' (improvement
per second, with (value, seconds) evaluations)."""

import pickle

import numpy as np
import pytest

from skopt_est import forest_minimize, gp_minimize
from skopt_est.acquisition import max_value_entropy
from skopt_est.benchmarks import branin
from skopt_est.search import Optimizer
from skopt_est.search._gp import GaussianProcess
from skopt_est.search._information import MaxValueEntropy
from skopt_est.search._per_second import PerSecond
from skopt_est.space import Categorical, Integer, Real

BRANIN = [(-5.0, 10.0), (0.0, 15.0)]
BRANIN_MIN = 0.397887


def _timed_branin(x):
    """Branin's value and a time that grows with x[0] (0.1 s to 1.6 s)."""
    return branin(x), 0.1 + (x[0] + 5.0) / 10.0


def _objective(acq_func):
    return _timed_branin if acq_func.endswith("ps") else branin


@pytest.mark.parametrize("acq_func", ["MES", "PVRS", "EIps", "PIps"])
def test_gp_minimize_finds_branins_minimum(acq_func):
    result = gp_minimize(_objective(acq_func), BRANIN, acq_func=acq_func,
                         n_calls=22, n_initial_points=8, random_state=0)
    # random search's best of 22 is about 2 (8 points: about 5)
    assert result.fun < BRANIN_MIN + 0.15
    assert result.fun < np.min(result.func_vals[:8])
    assert len(result.x_iters) == len(result.func_vals) == 22


@pytest.mark.parametrize("acq_func", ["MES", "PVRS", "EIps", "PIps"])
def test_proposals_are_inside_the_space_and_reproducible(acq_func):
    dimensions = [Real(-2.0, 2.0), Integer(0, 6), Categorical(["a", "b", "c"])]

    def objective(x):
        value = (x[0] - 0.5) ** 2 + (x[1] - 2) ** 2 / 4 + (x[2] != "b")
        return (value, 1.0 + x[1]) if acq_func.endswith("ps") else value

    def run():
        opt = Optimizer(dimensions, n_initial_points=4, acq_func=acq_func,
                        random_state=3)
        for _ in range(9):
            x = opt.ask()
            assert opt.space.contains(x)
            opt.tell(x, objective(x))
        batch = opt.ask(n_points=3)
        assert all(opt.space.contains(x) for x in batch)
        assert len({tuple(x) for x in batch}) == 3
        return opt.Xi + batch

    first = run()
    assert first == run()
    assert len({tuple(x) for x in first}) == len(first)


@pytest.mark.parametrize("acq_func", ["EIps", "PIps"])
def test_per_second_state_matches_scikit_optimize(acq_func):
    opt = Optimizer(BRANIN, n_initial_points=3, acq_func=acq_func, random_state=0)
    told = []
    for _ in range(5):
        x = opt.ask()
        told.append(_timed_branin(x))
        result = opt.tell(x, told[-1])
    values, seconds = np.array(told).T
    # scikit-optimize records [value, log(seconds)] in yi
    assert all(isinstance(y, list) and len(y) == 2 for y in opt.yi)
    np.testing.assert_allclose(np.array(opt.yi), np.column_stack([values,
                                                                  np.log(seconds)]))
    np.testing.assert_allclose(result.func_vals, values)
    np.testing.assert_allclose(result.log_time, np.log(seconds))
    assert result.fun == values.min()
    objective_model, time_model = opt.models[-1].estimators_
    assert isinstance(objective_model, GaussianProcess)
    assert isinstance(time_model, GaussianProcess)
    # the pair answers as the objective's model (plots, expected_minimum)
    unit = opt.space.to_unit([[0.0, 5.0]])
    np.testing.assert_array_equal(opt.models[-1].predict(unit)[0],
                                  objective_model.predict(unit)[0])
    # a batch of pairs, and pickling (dump, checkpoints)
    xs = opt.ask(n_points=2)
    opt.tell(xs, [_timed_branin(x) for x in xs])
    assert len(opt.yi) == 7
    clone = pickle.loads(pickle.dumps(opt))
    assert clone.ask() == opt.ask()


def test_per_second_time_model_predicts_log_seconds():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(12, 1))
    log_t = np.log(0.5 + 3.0 * X[:, 0])
    pair = PerSecond(GaussianProcess(1, rng), GaussianProcess(1, rng, warp_power=False))
    pair.fit(X, np.column_stack([np.sin(6 * X[:, 0]), log_t]))
    # log E[1/t] = -m + s**2 / 2 with the GP's mean m and std s in log-seconds
    rate = pair.log_rate(X)
    np.testing.assert_allclose(-rate, log_t, atol=0.05)
    value, grad = pair.log_rate_with_gradient(X[:3])
    np.testing.assert_allclose(value, rate[:3])
    step = 1e-6
    numeric = (pair.log_rate(X[:3] + step) - pair.log_rate(X[:3] - step)) / (2 * step)
    np.testing.assert_allclose(grad[:, 0], numeric, rtol=1e-4, atol=1e-6)


def test_eips_prefers_the_cheap_one_of_two_equal_minima():
    # two minima of the same depth, at -1 and +1; evaluations on the right
    # take e**6 (400x) longer than on the left
    def objective(x):
        return (x[0] ** 2 - 1.0) ** 2

    def run(acq_func):
        opt = Optimizer([(-2.0, 2.0)], n_initial_points=5, acq_func=acq_func,
                        random_state=0)
        for _ in range(20):
            x = opt.ask()
            y = objective(x)
            opt.tell(x, (y, float(np.exp(3.0 * x[0]))) if acq_func == "EIps" else y)
        return np.array(opt.Xi[5:])[:, 0]

    per_second, plain = run("EIps"), run("EI")
    assert np.mean(per_second < 0) > 0.8
    assert np.mean(per_second < 0) > np.mean(plain < 0)


def test_gp_minimize_per_second_takes_pairs_for_x0_and_y0():
    x0 = [[0.0, 5.0], [3.0, 2.0]]
    result = gp_minimize(_timed_branin, BRANIN, acq_func="EIps", x0=x0,
                         y0=[_timed_branin(x) for x in x0], n_calls=8,
                         n_initial_points=3, random_state=0)
    assert result.x_iters[:2] == x0
    assert len(result.func_vals) == len(result.log_time) == 10
    np.testing.assert_allclose(result.log_time[0], np.log(_timed_branin(x0[0])[1]))


@pytest.mark.parametrize("bad", [1.5, (1.5,), (1.5, 2.0, 3.0), "fast"])
def test_per_second_refuses_scalar_values_and_names_the_fix(bad):
    opt = Optimizer(BRANIN, n_initial_points=2, acq_func="EIps", random_state=0)
    # a TypeError as in scikit-optimize, and a ValueError as skopt_est's checks
    with pytest.raises(TypeError, match=r"\(value, seconds\)") as info:
        opt.tell(opt.ask(), bad)
    assert isinstance(info.value, ValueError)
    assert "acq_func='EI'" in str(info.value)
    assert opt.yi == []


def test_per_second_gp_minimize_with_a_scalar_objective_says_what_to_return():
    with pytest.raises(ValueError, match="Return \\(value, elapsed seconds\\)"):
        gp_minimize(branin, BRANIN, acq_func="PIps", n_calls=5,
                    n_initial_points=2, random_state=0)


def test_per_second_refuses_non_positive_times():
    opt = Optimizer(BRANIN, n_initial_points=2, acq_func="EIps", random_state=0)
    with pytest.raises(ValueError, match="positive seconds"):
        opt.tell(opt.ask(), (1.0, 0.0))


@pytest.mark.parametrize("acq_func", ["MES", "PVRS"])
def test_set_acquisitions_refuse_lbfgs(acq_func):
    with pytest.raises(ValueError, match="acq_optimizer='sampling'"):
        Optimizer(BRANIN, acq_func=acq_func, acq_optimizer="lbfgs")


def test_pvrs_needs_a_gaussian_process_mes_does_not():
    with pytest.raises(ValueError, match="base_estimator='GP'"):
        Optimizer(BRANIN, base_estimator="ET", acq_func="PVRS")
    result = forest_minimize(branin, BRANIN, acq_func="MES", n_calls=12,
                             n_initial_points=6, random_state=0)
    assert result.fun <= np.min(result.func_vals[:6])
    assert len(result.models) == 7


def test_forest_minimize_per_second_fits_a_forest_to_the_times():
    result = forest_minimize(_timed_branin, BRANIN, acq_func="EIps", n_calls=10,
                             n_initial_points=6, random_state=0)
    objective_model, time_model = result.models[-1].estimators_
    assert type(objective_model) is type(time_model)
    assert objective_model is not time_model
    assert len(result.log_time) == 10


def test_unknown_acq_func_lists_the_names():
    with pytest.raises(ValueError, match="EIps.*MES.*PIps.*PVRS"):
        Optimizer(BRANIN, acq_func="EIS")


def test_mes_with_even_levels_is_the_mean_over_random_draws():
    rng = np.random.RandomState(0)
    mu, std = rng.normal(size=50), rng.uniform(0.1, 1.0, size=50)
    even = MaxValueEntropy(200).quantiles
    draws = np.random.RandomState(1).rand(200_000)
    spread, drawn = max_value_entropy(mu, std, even), max_value_entropy(mu, std, draws)
    np.testing.assert_allclose(spread, drawn, rtol=0.02, atol=1e-3 * drawn.max())
    assert np.argmax(spread) == np.argmax(drawn)


def test_gp_posterior_covariance_agrees_with_its_predictions():
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(10, 2))
    gp = GaussianProcess(2, rng).fit(X, np.sin(4 * X[:, 0]) + X[:, 1])
    A, B = rng.uniform(size=(5, 2)), rng.uniform(size=(7, 2))
    cov = gp.posterior_covariance(A, B)
    assert cov.shape == (5, 7)
    np.testing.assert_allclose(np.diag(gp.posterior_covariance(A, A)),
                               gp.predict(A)[1] ** 2, rtol=1e-6)
    np.testing.assert_allclose(gp.posterior_covariance(B, A), cov.T, atol=1e-12)
    # at a training point the latent f is pinned down (up to the noise)
    assert gp.posterior_covariance(X[:1], X[:1])[0, 0] < 0.05 * gp.constant_


def _wavy(x):
    return np.sin(3 * x[0]) + 0.3 * x[0] ** 2


def _wavy_timed(x):
    return _wavy(x), 0.5 + x[0] ** 2  # slow far from 0


def test_per_second_acquisition_divides_by_the_expected_time():
    from skopt_est.search._acquisition import acquisition_on

    result = gp_minimize(_wavy_timed, [(-2.0, 2.0)], acq_func="EIps", n_calls=12,
                         n_initial_points=6, random_state=0)
    model = result.models[-1]
    rows = result.space.to_unit([[v] for v in np.linspace(-2, 2, 41)])
    posterior = (*model.predict(rows), float(np.min(model.y_train_)))
    per_second = acquisition_on(model, rows, "EIps", {}, posterior)
    plain = acquisition_on(model, rows, "EI", {}, posterior)
    speed = np.exp(per_second - plain)  # E[1/t]
    assert speed[20] > 3 * max(speed[0], speed[-1])
    np.testing.assert_allclose(speed[20], 1 / 0.5, rtol=0.3)


@pytest.mark.parametrize("acq_func", ["MES", "PVRS", "EIps"])
def test_plot_gaussian_process_draws_the_new_acquisitions(acq_func):
    import matplotlib

    matplotlib.use("Agg")
    from skopt_est.plots import plot_gaussian_process

    objective = _wavy_timed if acq_func == "EIps" else _wavy
    result = gp_minimize(objective, [(-2.0, 2.0)], acq_func=acq_func, n_calls=9,
                         n_initial_points=5, random_state=0)
    ax = plot_gaussian_process(result, show_acq_func=True, n_points=50)
    lines = [line for axes in ax.figure.axes for line in axes.get_lines()
             if line.get_label() == f"{acq_func}(x)"]
    assert len(lines) == 1
    values = lines[0].get_ydata()
    assert len(values) == 50 and np.all(np.isfinite(values)) and values.min() >= 0
    assert values.max() > values.min()
    matplotlib.pyplot.close("all")


def test_pvrs_with_a_scikit_learn_gaussian_process_regressor():
    from skopt_est.learning import GaussianProcessRegressor
    from skopt_est.search._surrogates import Regressor

    result = gp_minimize(branin, BRANIN, base_estimator=GaussianProcessRegressor(
        normalize_y=True), acq_func="PVRS", n_calls=11, n_initial_points=8,
        n_points=1200, random_state=0)
    assert result.fun < np.min(result.func_vals[:8])
    # the covariance in blocks equals the joint one
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(8, 2))
    surrogate = Regressor(GaussianProcessRegressor(), 2).fit(X, X.sum(axis=1))
    A, B = rng.uniform(size=(3, 2)), rng.uniform(size=(1100, 2))
    joint = surrogate.estimator_.predict(np.vstack([A, B]), return_cov=True)[1]
    np.testing.assert_allclose(surrogate.posterior_covariance(A, B), joint[:3, 3:],
                               atol=1e-12)


def test_copy_reseeds_both_surrogates_of_a_per_second_optimizer():
    opt = Optimizer(BRANIN, n_initial_points=3, acq_func="EIps", random_state=0)
    for _ in range(3):
        x = opt.ask()
        opt.tell(x, _timed_branin(x))
    other = opt.copy(random_state=5)
    assert other._surrogate.objective.random_state is other.rng
    assert other._surrogate.time.random_state is other.rng
    assert opt._surrogate.time.random_state is opt.rng
