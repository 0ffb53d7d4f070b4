import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skopt_est.space import Categorical, Integer, Real, Space, check_dimension


def test_real_rvs_types_and_bounds():
    values = Real(1e-3, 1e2, prior="log-uniform").rvs(200, random_state=0)
    assert all(type(v) is float for v in values)
    assert min(values) >= 1e-3 and max(values) <= 1e2
    # log-uniform: about a fifth of the mass per decade
    assert 0.1 < np.mean(np.array(values) < 1e-2) < 0.3


def test_integer_rvs_gives_python_ints_covering_the_range():
    # dtype=int gives Python ints; the default (np.int64, as in
    # scikit-optimize) gives an array, see test_space_skopt.py
    values = Integer(1, 4, dtype=int).rvs(400, random_state=0)
    assert all(type(v) is int for v in values)
    assert set(values) == {1, 2, 3, 4}
    counts = np.bincount(values)[1:]
    assert counts.min() > 60  # ends get their full share


def test_categorical_rvs_keeps_category_objects():
    values = Categorical(["a", None, 3]).rvs(50, random_state=0)
    assert set(map(repr, values)) == {"'a'", "None", "3"}


@pytest.mark.parametrize(
    "spec, message",
    [
        (lambda: Real(1.0, 1.0), "lower than high"),
        (lambda: Real(2.0, 1.0), "lower than high"),
        (lambda: Real(0.0, 1.0, prior="log-uniform"), "positive"),
        (lambda: Integer(0, 5, prior="log-uniform"), "positive"),
        (lambda: Categorical([]), "empty"),
        (lambda: Real(0, 1, prior="normal"), "prior"),
        (lambda: Integer(0.5, 3), "integer"),
        (lambda: check_dimension("abc"), "has to be a list or tuple"),
    ],
)
def test_invalid_dimension_raises_clear_value_error(spec, message):
    with pytest.raises(ValueError, match=message):
        spec()


def test_check_dimension_shorthands():
    assert check_dimension((1, 5)) == Integer(1, 5)
    assert check_dimension((0.1, 5)) == Real(0.1, 5.0)
    assert check_dimension((1e-3, 1.0, "log-uniform")) == Real(
        1e-3, 1.0, prior="log-uniform"
    )
    assert check_dimension(["a", "b"]) == Categorical(("a", "b"))


def test_check_dimension_never_mutates_the_input():
    dim = Real(0.0, 1.0)
    named = check_dimension(dim, name="alpha")
    assert dim.name is None and named.name == "alpha"
    # only name and the transform are the user's to change, as in skopt
    with pytest.raises(AttributeError, match="read-only"):
        dim.low = 0.5


def _space():
    return Space(
        [
            Real(1e-4, 10.0, prior="log-uniform"),
            Real(-2.0, 3.0),
            Integer(1, 1000, prior="log-uniform"),
            Integer(-3, 3),
            Categorical(["a", "b", None]),
        ],
        names=["lr", "shift", "units", "k", "kind"],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5))
def test_space_design_unit_roundtrip(u):
    space = _space()
    point = space.from_design(np.array([u]))[0]
    assert space.contains(point)
    assert type(point[2]) is int and type(point[3]) is int and type(point[0]) is float
    unit = space.to_unit([point])
    assert unit.shape == (1, space.n_columns) == (1, 7)
    assert np.all((unit >= 0) & (unit <= 1))
    back = space.from_unit(unit)[0]
    assert back[2:] == point[2:]
    assert back[:2] == pytest.approx(point[:2], rel=1e-9, abs=1e-12)
    # snapping a representable point changes nothing
    np.testing.assert_allclose(space.snap(unit), unit, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-0.5, 1.5), min_size=7, max_size=7))
def test_space_inverse_transform_of_any_unit_row_is_valid(row):
    space = _space()
    point = space.from_unit(np.array([row]))[0]
    assert space.contains(point)
    np.testing.assert_allclose(
        space.to_unit([point]), space.snap(np.array([row])), atol=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(-50, 50), st.integers(1, 60))
def test_integer_roundtrip_is_exact(low, width):
    dim = Integer(low, low + width)
    values = list(range(low, low + width + 1))
    assert dim.from_unit(dim.to_unit(values)) == values


def test_space_to_params_and_back():
    space = _space()
    point = space.draw(1, random_state=1)[0]
    params = space.to_params(point)
    assert list(params) == space.names
    assert space.from_params(params) == point


def test_categorical_bool_and_int_categories_are_distinct():
    dim = Categorical([True, 1])
    assert dim.index(1) == 1 and dim.index(True) == 0
