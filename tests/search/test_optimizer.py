import numpy as np
import pytest

from skopt_est.search import Optimizer
from skopt_est.space import Categorical, Integer, Real


def _quadratic(x):
    return (x[0] - 0.3) ** 2 + (x[1] + 0.5) ** 2


@pytest.mark.parametrize("acq_func", ["EI", "PI", "LCB", "gp_hedge"])
def test_optimizer_minimises_a_quadratic(acq_func):
    opt = Optimizer(
        [(-2.0, 2.0), (-2.0, 2.0)],
        n_initial_points=5,
        acq_func=acq_func,
        random_state=0,
    )
    result = opt.run(_quadratic, n_iter=18)
    assert result.fun < 0.05
    assert len(result.x_iters) == len(result.func_vals) == 18
    assert result.fun == min(result.func_vals)


def test_optimizer_beats_its_own_initial_design():
    opt = Optimizer([(-2.0, 2.0), (-2.0, 2.0)], n_initial_points=6, random_state=1)
    result = opt.run(_quadratic, n_iter=20)
    assert result.fun < 0.5 * min(result.func_vals[:6])


@pytest.mark.parametrize("generator", ["random", "sobol", "lhs", "halton"])
def test_initial_point_generators_fill_the_space(generator):
    opt = Optimizer(
        [Real(0.0, 1.0), Integer(0, 9), Categorical(list("abc"))],
        n_initial_points=8,
        initial_point_generator=generator,
        random_state=0,
    )
    points = opt.ask(n_points=8)
    assert len(points) == 8
    assert all(opt.space.contains(p) for p in points)
    assert all(type(p[1]) is int for p in points)
    assert len({p[1] for p in points}) >= 4


def test_sobol_design_is_deterministic_given_seed():
    def make():
        return Optimizer(
            [(0.0, 1.0)] * 2, initial_point_generator="sobol", random_state=3
        )

    assert make().ask(4) == make().ask(4)


def test_optimizer_honours_integer_and_categorical_dimensions():
    space = [Integer(-5, 5), Categorical(["x", "y", "z"]), Real(0.0, 1.0)]

    def objective(p):
        return (p[0] - 2) ** 2 + (p[1] != "z") + (p[2] - 0.5) ** 2

    opt = Optimizer(space, n_initial_points=5, acq_func="EI", random_state=0)
    result = opt.run(objective, n_iter=20)
    assert all(type(x[0]) is int and x[1] in "xyz" for x in result.x_iters)
    assert result.x[0] == 2 and result.x[1] == "z"


def test_ask_n_points_gives_distinct_points_constant_liar():
    opt = Optimizer([(0.0, 1.0), (0.0, 1.0)], n_initial_points=3, random_state=0)
    for x in opt.ask(3):
        opt.tell(x, _quadratic(x))
    batch = opt.ask(n_points=4)
    assert len(batch) == 4
    assert len({tuple(np.round(p, 6)) for p in batch}) == 4


@pytest.mark.parametrize(
    "strategy, lie", [("cl_min", np.min), ("cl_mean", np.mean), ("cl_max", np.max)]
)
def test_ask_strategy_picks_the_constant_liars_lie(monkeypatch, strategy, lie):
    # scikit-optimize's ask(n_points, strategy): the lie told for each pending
    # point is the min, mean or max of the values observed so far
    from skopt_est.search._gp import GaussianProcess

    lies = []
    fantasize = GaussianProcess.fantasize

    def recording(self, X_new, y_new):
        lies.extend(np.ravel(y_new))
        return fantasize(self, X_new, y_new)

    monkeypatch.setattr(GaussianProcess, "fantasize", recording)
    opt = Optimizer([(0.0, 1.0), (0.0, 1.0)], n_initial_points=4, random_state=0)
    values = []
    for x in opt.ask(4):
        values.append(_quadratic(x))
        opt.tell(x, values[-1])
    batch = opt.ask(n_points=3, strategy=strategy)
    assert len({tuple(p) for p in batch}) == 3
    assert lies == pytest.approx([lie(values)] * 2)


def test_ask_rejects_an_unknown_strategy():
    opt = Optimizer([(0.0, 1.0)], n_initial_points=2, random_state=0)
    with pytest.raises(ValueError, match="strategy='cl_median' is not supported"):
        opt.ask(n_points=2, strategy="cl_median")


def test_ask_never_repeats_a_point_in_a_tiny_discrete_space():
    opt = Optimizer(
        [Integer(0, 2), Categorical(["a", "b"])], n_initial_points=2, random_state=0
    )
    seen = set()
    for _ in range(6):
        x = opt.ask()
        assert tuple(x) not in seen
        seen.add(tuple(x))
        opt.tell(x, float(x[0]) + (x[1] == "a"))


def test_tell_accepts_batches_and_failed_values():
    opt = Optimizer([(0.0, 1.0)], n_initial_points=2, random_state=0)
    opt.tell([[0.1], [0.9], [0.5]], [1.0, np.nan, 0.2])
    result = opt.get_result()
    assert result.fun == 0.2 and result.x == [0.5]
    assert np.isnan(result.func_vals[1])
    # the surrogate sees the failure as the worst value, not as NaN
    np.testing.assert_allclose(opt._surrogate_values(), [1.0, 1.0, 0.2])
    assert opt.space.contains(opt.ask())


def test_all_failed_values_fall_back_to_random_points():
    opt = Optimizer([(0.0, 1.0)], n_initial_points=1, random_state=0)
    opt.tell([[0.1], [0.2]], [np.nan, np.inf])
    assert opt.get_result().x is None
    assert opt.space.contains(opt.ask())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"acq_func": "UCB"}, "acq_func"),
        ({"initial_point_generator": "bogus"}, "initial_point_generator"),
        ({"acq_optimizer": "newton"}, "acq_optimizer"),
        ({"n_initial_points": -1}, "n_initial_points"),
        ({"acq_optimizer_kwargs": {"bogus": 1}}, "bogus"),
    ],
)
def test_optimizer_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Optimizer([(0.0, 1.0)], **kwargs)


def test_tell_rejects_points_outside_the_space():
    opt = Optimizer([(0.0, 1.0)])
    with pytest.raises(ValueError, match="not within"):
        opt.tell([2.0], 1.0)


def test_sampling_acq_optimizer_works():
    opt = Optimizer(
        [(-2.0, 2.0), (-2.0, 2.0)],
        n_initial_points=4,
        acq_optimizer="sampling",
        random_state=0,
    )
    assert opt.run(_quadratic, n_iter=10).fun < 1.0


def test_optimizer_is_reproducible():
    def run():
        return (
            Optimizer([(-2.0, 2.0), Integer(0, 4)], n_initial_points=3, random_state=7)
            .run(lambda x: x[0] ** 2 + x[1], 8)
            .x_iters
        )

    assert run() == run()


def _fitted_optimizer(acq_func="EI"):
    opt = Optimizer(
        [(0.0, 1.0), (0.0, 1.0)], n_initial_points=6, acq_func=acq_func, random_state=0
    )
    for _ in range(8):
        x = opt.ask()
        opt.tell(x, (x[0] - 0.3) ** 2 + (x[1] - 0.7) ** 2)
    return opt


def test_polish_starts_hold_best_candidate_and_incumbent():
    opt = _fitted_optimizer()
    gp = opt._surrogate
    candidates = np.random.RandomState(0).uniform(size=(50, 2))
    values = -np.arange(50.0)  # candidate 0 is the best
    starts = opt._maximiser.starts(gp, candidates, values, np.random.RandomState(0))
    assert len(starts) == 6
    np.testing.assert_array_equal(starts[0], candidates[0])
    np.testing.assert_array_equal(starts[-1], gp.X_train_[np.argmin(gp.y_train_)])
    assert len({tuple(row) for row in starts[1:-1]}) == 4  # drawn without repeats


def test_polish_does_not_lower_the_acquisition():
    opt = _fitted_optimizer()
    gp, acquisition = opt._surrogate, opt._acquisitions[0]
    y_best = float(np.min(gp.y_train_))
    starts = np.random.RandomState(1).uniform(size=(4, 2))
    before = acquisition(*gp.predict(starts), y_best)[0]
    polished = opt._maximiser.polish(gp, acquisition, y_best, starts)
    after = acquisition(*gp.predict(polished), y_best)[0]
    assert np.all((polished >= 0) & (polished <= 1))
    assert np.all(after >= before - 1e-9)  # each start runs on its own
    assert after.sum() > before.sum() + 1e-3


def test_gp_hedge_proposes_from_every_portfolio_member():
    from skopt_est.search._acquisition import HEDGE_PORTFOLIO

    opt = _fitted_optimizer("gp_hedge")
    assert len(opt._acquisitions) == len(HEDGE_PORTFOLIO)
    opt.ask()
    assert opt._hedge_proposals.shape == (len(HEDGE_PORTFOLIO), 2)


@pytest.mark.parametrize("name", ["GP", "gp", "Gp"])
def test_optimizer_accepts_gp_base_estimator(name):
    opt = Optimizer([(-2.0, 2.0), (-2.0, 2.0)], base_estimator=name, random_state=0)
    assert opt.run(_quadratic, n_iter=12).fun < 0.5


@pytest.mark.parametrize("surrogate", [object(), "SVR"])
def test_optimizer_refuses_what_is_not_a_surrogate(surrogate):
    with pytest.raises(ValueError, match="surrogate name or a regressor|known"):
        Optimizer([(0.0, 1.0)], base_estimator=surrogate)


def test_optimizer_dummy_base_estimator_never_fits_a_model():
    opt = Optimizer([(0.0, 1.0)], "dummy", n_initial_points=2, random_state=0)
    result = opt.run(lambda x: x[0], n_iter=6)
    assert len(set(map(tuple, result.x_iters))) == 6
    assert opt.models == [] and result.models == []


def test_optimizer_keeps_models_and_model_queue_size_bounds_them():
    opt = Optimizer([(-2.0, 2.0), (-2.0, 2.0)], n_initial_points=3, random_state=0)
    opt.run(_quadratic, n_iter=6)
    # one model per tell from the end of the design on
    assert len(opt.models) == 4 and len(opt.get_result().models) == 4
    assert [len(m.X_train_) for m in opt.models] == [3, 4, 5, 6]
    bounded = Optimizer(
        [(-2.0, 2.0), (-2.0, 2.0)],
        n_initial_points=3,
        model_queue_size=2,
        random_state=0,
    )
    bounded.run(_quadratic, n_iter=6)
    assert [len(m.X_train_) for m in bounded.models] == [5, 6]
    with pytest.raises(ValueError, match="model_queue_size"):
        Optimizer([(0.0, 1.0)], model_queue_size=0)


def test_optimizer_copy_is_independent_and_continues_the_same_way():
    opt = Optimizer([(-2.0, 2.0), (-2.0, 2.0)], n_initial_points=3, random_state=0)
    opt.run(_quadratic, n_iter=5)
    twin = opt.copy()
    assert twin.Xi == opt.Xi and twin.yi == opt.yi and twin.space == opt.space
    assert twin.ask() == opt.ask()
    twin.tell([0.0, 0.0], 1.0)
    assert len(opt.yi) == 5 and len(twin.yi) == 6
    reseeded = opt.copy(random_state=1)
    assert reseeded.Xi == opt.Xi


def test_optimizer_acq_optimizer_kwargs_and_attributes():
    space = [Real(-2.0, 2.0), Integer(0, 3), Categorical(["a", "b"])]
    opt = Optimizer(
        space,
        n_initial_points=3,
        acq_optimizer_kwargs={"n_points": 50, "n_restarts_optimizer": 1, "n_jobs": 2},
        random_state=0,
    )
    assert opt.acq_optimizer_kwargs["n_points"] == 50
    opt.run(lambda x: x[0] ** 2 + x[1] + (x[2] == "b"), n_iter=5)
    assert opt.space.n_dims == 3 and len(opt.Xi) == len(opt.yi) == 5
    assert all(opt.space.contains(x) for x in opt.Xi)


def test_optimizer_on_a_finite_space_proposes_every_point_once():
    opt = Optimizer(
        [Integer(0, 2), Categorical(["a", "b"])], n_initial_points=2, random_state=0
    )
    for _ in range(6):
        x = opt.ask()
        opt.tell(x, float(x[0]) + (x[1] == "b"))
    assert len(set(map(tuple, opt.Xi))) == 6
    batch = Optimizer([Integer(0, 5)], n_initial_points=2, random_state=0).ask(6)
    assert sorted(batch) == [[0], [1], [2], [3], [4], [5]]
