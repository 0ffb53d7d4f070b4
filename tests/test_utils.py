import pytest

from skopt_est import gp_minimize
from skopt_est.space import Real
from skopt_est.utils import dump, load, point_asdict, point_aslist, use_named_args


def test_use_named_args_passes_values_by_name():
    space = [Real(0.0, 1.0, name="b"), Real(0.0, 1.0, name="a")]

    @use_named_args(space)
    def objective(a, b):
        """Doc kept."""
        return 10 * a + b

    assert objective([0.5, 0.25]) == pytest.approx(3.0)
    assert objective.__doc__ == "Doc kept." and objective.__wrapped__(a=1, b=0) == 10
    with pytest.raises(ValueError, match="1 values for 2 named dimensions"):
        objective([0.5])


def test_use_named_args_needs_names():
    with pytest.raises(ValueError, match=r"dimensions \[1\] have no name"):
        use_named_args([Real(0.0, 1.0, name="a"), Real(0.0, 1.0)])


def test_dump_and_load_round_trip_with_and_without_objective(tmp_path):
    def objective(x):
        return x[0] ** 2

    res = gp_minimize(
        objective, [(-1.0, 1.0)], n_calls=4, n_initial_points=3, random_state=0
    )
    path = tmp_path / "res.pkl"
    dump(res, path, store_objective=False)
    loaded = load(path)
    assert "func" not in loaded.specs["args"]
    assert "func" in res.specs["args"]  # the result itself is left whole
    assert loaded.x_iters == res.x_iters and list(loaded.func_vals) == list(
        res.func_vals
    )
    assert len(loaded.models) == len(res.models)
    with pytest.raises(Exception):  # a local function does not pickle
        dump(res, tmp_path / "with_func.pkl")
    compressed = tmp_path / "res.pkl.gz"
    dump(res, compressed, store_objective=False)
    assert load(compressed).fun == res.fun


def test_point_asdict_and_aslist_use_sorted_names():
    space = {"b": Real(0.0, 1.0), "a": Real(0.0, 1.0)}
    assert point_asdict(space, [1.0, 2.0]) == {"a": 1.0, "b": 2.0}
    assert point_aslist(space, {"b": 2.0, "a": 1.0}) == [1.0, 2.0]
