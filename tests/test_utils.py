import numpy as np
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
    # scikit-optimize's message
    with pytest.raises(
        ValueError, match=r"Mismatch in number of search-space dimensions. "
        r"len\(dimensions\)==2 and len\(x\)==1"
    ):
        objective([0.5])


def test_use_named_args_needs_names():
    with pytest.raises(ValueError, match=r"All dimensions must have names, but "
                       r"found: \[Real\(low=0.0, high=1.0"):
        use_named_args([Real(0.0, 1.0, name="a"), Real(0.0, 1.0)])
    with pytest.raises(ValueError, match="must be instances of"):
        use_named_args([(0.0, 1.0)])


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


def _quadratic_result():
    from skopt_est.space import Categorical, Integer

    def objective(x):
        return (x[0] - 0.3) ** 2 + 0.1 * (x[1] - 2) ** 2 + (x[2] != "a")

    space = [Real(-1.0, 1.0), Integer(0, 5), Categorical(["a", "b"])]
    return gp_minimize(objective, space, n_calls=14, random_state=0)


def test_expected_minimum_lies_where_the_surrogate_is_lowest():
    from skopt_est.search._optimizer import result_surrogate
    from skopt_est.utils import expected_minimum, expected_minimum_random_sampling

    res = _quadratic_result()
    x, fun = expected_minimum(res, random_state=0)
    assert x in res.space and x[1:] == [2, "a"] and abs(x[0] - 0.3) < 0.1
    model = result_surrogate(res)
    assert fun == pytest.approx(model.predict_objective(res.space.to_unit([x]))[0])
    # the local minimisation starts from the best evaluation, so it never ends
    # above the surrogate's prediction there, nor above random sampling's best
    at_best = model.predict_objective(res.space.to_unit([res.x]))[0]
    _, sampled = expected_minimum_random_sampling(res, 500, random_state=0)
    assert fun <= at_best + 1e-12 and fun <= sampled + 1e-12
    assert expected_minimum(res, random_state=0) == (x, fun)


def test_expected_minimum_needs_positive_starts():
    from skopt_est.utils import expected_minimum

    with pytest.raises(ValueError, match="n_random_starts=0"):
        expected_minimum(_quadratic_result(), n_random_starts=0)


# ------------------------- issue 24: the rest of scikit-optimize's skopt.utils
def test_point_asdict_gives_an_ordered_dict_like_scikit_optimize():
    from collections import OrderedDict

    point = point_asdict({"b": Real(0.0, 1.0), "a": Real(0.0, 1.0)}, [1.0, 2.0])
    assert type(point) is OrderedDict and list(point.items()) == [("a", 1.0),
                                                                   ("b", 2.0)]


def test_dimensions_aslist_orders_the_dimensions_by_name():
    from skopt_est.space import Categorical, Integer
    from skopt_est.utils import dimensions_aslist

    space = {"c": Categorical(["x"]), "a": Integer(1, 3), "b": Real(0.0, 1.0)}
    assert dimensions_aslist(space) == [space["a"], space["b"], space["c"]]
    assert dimensions_aslist(space)[0] is space["a"]


def test_check_list_types_names_the_wrong_elements():
    from skopt_est.utils import check_list_types

    check_list_types([1, 2.5], (int, float))
    with pytest.raises(ValueError) as error:
        check_list_types([1, "two", 3, None], int)
    assert str(error.value) == (
        "All elements in list must be instances of <class 'int'>, but found: "
        "['two', None]"
    )


def test_check_dimension_names_names_the_unnamed_dimensions():
    from skopt_est.utils import check_dimension_names

    check_dimension_names([Real(0.0, 1.0, name="a")])
    unnamed = Real(0.0, 2.0)
    with pytest.raises(ValueError) as error:
        check_dimension_names([Real(0.0, 1.0, name="a"), unnamed])
    assert str(error.value).startswith(
        f"All dimensions must have names, but found: [{unnamed!r}]"
    )


def test_listlike_checks():
    from skopt_est.utils import is_2Dlistlike, is_listlike

    assert is_listlike([1]) and is_listlike((1,)) and not is_listlike("ab")
    assert not is_listlike(np.array([1]))
    assert is_2Dlistlike([[1], (2,)]) and not is_2Dlistlike([[1], 2])


@pytest.mark.parametrize("x, message", [
    ([0.5, 7], "Point ([0.5, 7]) is not within the bounds of the space"),
    ([0.5], "Dimensions of point ([0.5]) and space"),
    ([[0.5, 2], [0.5, 9]], "Not all points are within the bounds of the space."),
    ([[0.5, 2], [0.5]], "Not all points have the same dimensions as the space."),
])
def test_check_x_in_space_says_which_check_failed(x, message):
    from skopt_est.space import Integer, Space
    from skopt_est.utils import check_x_in_space

    space = Space([Real(0.0, 1.0), Integer(1, 5)])
    check_x_in_space([0.5, 2], space)
    check_x_in_space([[0.5, 2], [1.0, 5]], space)
    with pytest.raises(ValueError) as error:
        check_x_in_space(x, space)
    assert str(error.value).startswith(message)


def test_eval_callbacks_calls_every_callback_and_stops_if_one_asks():
    from skopt_est.utils import eval_callbacks

    calls = []

    def record(value):
        def callback(result):
            calls.append((value, result))
            return value
        return callback

    assert eval_callbacks([record(None), record(True), record(False)], "r")
    assert calls == [(None, "r"), (True, "r"), (False, "r")]
    assert not eval_callbacks([record(None), record(False)], "r")
    assert not eval_callbacks([], "r") and not eval_callbacks(None, "r")


# ------------------------------------------------------------ create_result


def test_create_result_picks_the_smallest_finite_value():
    from skopt_est.space import Space
    from skopt_est.utils import create_result

    space = Space([(0.0, 3.0)])
    rng = np.random.RandomState(0)
    res = create_result([[0.0], [1.0], [2.0], [3.0]], [3.0, np.nan, 2.0, -np.inf],
                        space=space, rng=rng, specs={"function": "mine"},
                        models=["m"])
    assert res.x == [2.0] and res.fun == 2.0
    assert res.x_iters == [[0.0], [1.0], [2.0], [3.0]]
    np.testing.assert_array_equal(res.func_vals, [3.0, np.nan, 2.0, -np.inf])
    assert res.space is space and res.random_state is rng
    assert res.specs == {"function": "mine"} and res.models == ["m"]
    assert "log_time" not in res
    failed = create_result([[0.0]], [np.nan])
    assert failed.x is None and np.isnan(failed.fun)


def test_create_result_splits_value_and_log_time_columns():
    from skopt_est.utils import create_result

    res = create_result([[0.0], [1.0]], [[2.0, 0.5], [1.0, 0.7]])
    assert res.x == [1.0] and res.fun == 1.0
    np.testing.assert_array_equal(res.func_vals, [2.0, 1.0])
    np.testing.assert_array_equal(res.log_time, [0.5, 0.7])
    with pytest.raises(ValueError, match="Xi has 2 points and yi 3 values"):
        create_result([[0.0], [1.0]], [1.0, 2.0, 3.0])


def test_create_result_is_what_the_optimizer_returns():
    from skopt_est.search import Optimizer
    from skopt_est.utils import create_result

    opt = Optimizer([(0.0, 1.0)], n_initial_points=3, random_state=0)
    for _ in range(4):
        x = opt.ask()
        opt.tell(x, (x[0] - 0.4) ** 2)
    mine = create_result(opt.Xi, opt.yi, opt.space, opt.rng, opt.specs, opt.models)
    theirs = opt.get_result()
    assert set(mine) == set(theirs)
    assert mine.x == theirs.x and mine.fun == theirs.fun


def test_create_result_matches_scikit_optimize():
    skopt_utils = pytest.importorskip("skopt.utils")
    from skopt_est.utils import create_result

    Xi, yi = [[0.0, "a"], [1.0, "b"], [2.0, "a"]], [[1.5, 0.1], [0.5, 0.2], [0.9, 0.3]]
    mine, theirs = create_result(Xi, yi), skopt_utils.create_result(Xi, yi)
    assert set(theirs) <= set(mine)
    assert mine.x == theirs.x and mine.fun == theirs.fun
    np.testing.assert_array_equal(mine.func_vals, theirs.func_vals)
    np.testing.assert_array_equal(mine.log_time, theirs.log_time)
