"""scikit-optimize's ``skopt.space`` API on ``skopt_est.space``.

Written from scikit-optimize's documentation (signatures, defaults,
transforms, return types, errors); the few side-by-side comparisons with an
installed scikit-optimize skip when it is missing.
"""

import copy
import inspect
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skopt_est.search import Optimizer
from skopt_est.space import (
    Categorical,
    CategoricalEncoder,
    Dimension,
    Integer,
    LabelEncoder,
    LogN,
    Normalize,
    Pipeline,
    Real,
    Space,
    StringEncoder,
    check_dimension,
    normalize_dimensions,
)
from skopt_est.space.space import Real as RealFromSubmodule
from skopt_est.space.transformers import Identity


def _defaults(func):
    return {
        name: p.default
        for name, p in inspect.signature(func).parameters.items()
        if p.kind is not p.KEYWORD_ONLY
    }


E = inspect.Parameter.empty


@pytest.mark.parametrize(
    "func, expected",
    [
        (Real, dict(low=E, high=E, prior="uniform", base=10, transform=None,
                    name=None, dtype=float)),
        (Integer, dict(low=E, high=E, prior="uniform", base=10, transform=None,
                       name=None, dtype=np.int64)),
        (Categorical, dict(categories=E, prior=None, transform=None, name=None)),
        (Space, dict(dimensions=E, constraint=None)),
        (check_dimension, dict(dimension=E, transform=None)),
        (Real.rvs, dict(self=E, n_samples=1, random_state=None)),
        (Integer.rvs, dict(self=E, n_samples=1, random_state=None)),
        (Categorical.rvs, dict(self=E, n_samples=None, random_state=None)),
        (Space.rvs, dict(self=E, n_samples=1, random_state=None)),
        (Space.from_yaml, dict(yml_path=E, namespace=None)),
    ],
)
def test_signatures_and_defaults_are_scikit_optimizes(func, expected):
    assert _defaults(func) == expected


def test_the_layout_mirrors_skopt_space():
    assert RealFromSubmodule is Real
    assert issubclass(Real, Dimension) and issubclass(Categorical, Dimension)


# ----------------------------------------------------------------- rvs types
def test_real_rvs_returns_floats_or_arrays_of_dtype():
    values = Real(0, 10).rvs(5, random_state=0)
    assert isinstance(values, list) and all(type(v) is float for v in values)
    assert all(0 <= v <= 10 for v in values)
    single = Real(0, 10).rvs(None, random_state=0)
    assert type(single) is float and single == values[0]
    as_f32 = Real(0, 10, dtype=np.float32).rvs(5, random_state=0)
    assert isinstance(as_f32, np.ndarray) and as_f32.dtype == np.float32
    np.testing.assert_allclose(as_f32, values, rtol=1e-6)
    assert Real(0, 10, dtype="float64").rvs(2, random_state=0).dtype == np.float64


def test_integer_rvs_returns_int64_arrays_unless_dtype_is_int():
    values = Integer(1, 5).rvs(50, random_state=0)
    assert isinstance(values, np.ndarray) and values.dtype == np.int64
    assert set(values.tolist()) == {1, 2, 3, 4, 5}
    as_int = Integer(1, 5, dtype=int).rvs(50, random_state=0)
    assert as_int == values.tolist() and all(type(v) is int for v in as_int)
    assert Integer(1, 5, dtype="uint8").rvs(3, random_state=0).dtype == np.uint8
    assert isinstance(Integer(1, 5).rvs(None, random_state=0), np.int64)


def test_log_uniform_integer_rvs_gives_every_integer_mass():
    values = Integer(1, 8, prior="log-uniform", base=2).rvs(4000, random_state=0)
    counts = np.bincount(values, minlength=9)[1:]
    assert counts.min() > 0
    # log-uniform: the small integers are the likely ones
    assert counts[0] > counts[-1]


def test_categorical_rvs_default_is_one_bare_category():
    dim = Categorical(["a", "b", "c"])
    assert dim.rvs(random_state=0) in ("a", "b", "c")
    assert dim.rvs(1, random_state=0) == [dim.rvs(random_state=0)]


def test_categorical_prior_sets_the_frequencies():
    dim = Categorical(["a", "b", "c"], prior=[0.1, 0.2, 0.7])
    values = dim.rvs(5000, random_state=0)
    freq = [values.count(c) / 5000 for c in "abc"]
    np.testing.assert_allclose(freq, [0.1, 0.2, 0.7], atol=0.03)
    np.testing.assert_allclose(dim.prior_, [0.1, 0.2, 0.7])
    assert dim.prior == [0.1, 0.2, 0.7] and Categorical(["a"]).prior is None


@pytest.mark.parametrize("prior", [[0.5], [0.5, 0.6], [-0.5, 1.5]])
def test_invalid_categorical_prior_raises_value_error(prior):
    with pytest.raises(ValueError, match="prior"):
        Categorical(["a", "b"], prior=prior)


# ----------------------------------------------------------------- transforms
def test_real_transforms():
    assert Real(0, 10).transform([1, 2]) == [1, 2]  # identity: unchanged
    normalized = Real(0, 10, transform="normalize")
    np.testing.assert_allclose(normalized.transform([0, 5, 10]), [0, 0.5, 1])
    assert normalized.inverse_transform(0.5) == 5.0
    log = Real(1e-3, 1e3, prior="log-uniform")
    np.testing.assert_allclose(log.transform([1e-3, 1.0]), [-3, 0])
    assert log.transformed_bounds == pytest.approx((-3, 3))
    log_norm = Real(1e-3, 1e3, prior="log-uniform", transform="normalize")
    np.testing.assert_allclose(log_norm.transform([1e-3, 1.0, 1e3]), [0, 0.5, 1])
    assert log_norm.inverse_transform([0.5]) == pytest.approx([1.0])
    # inverse_transform clips into the bounds
    assert Real(0, 10).inverse_transform([11.0, -1.0]) == [10.0, 0.0]


def test_integer_transforms_round_and_clip():
    dim = Integer(1, 5)
    np.testing.assert_array_equal(dim.inverse_transform([1.4, 2.6, 7]), [1, 3, 5])
    normalized = Integer(1, 5, transform="normalize")
    np.testing.assert_allclose(normalized.transform([1, 3, 5]), [0, 0.5, 1])
    np.testing.assert_array_equal(normalized.inverse_transform([0, 0.4, 1]), [1, 3, 5])
    assert Integer(1, 5, dtype=int).inverse_transform(2.6) == 3
    log = Integer(1, 100, prior="log-uniform", transform="normalize")
    np.testing.assert_array_equal(log.inverse_transform([0, 0.5, 1]), [1, 10, 100])


@pytest.mark.parametrize(
    "dim, outside", [(Real(0, 10, transform="normalize"), 11),
                     (Integer(1, 5, transform="normalize"), 6)]
)
def test_normalize_rejects_values_outside_the_bounds(dim, outside):
    with pytest.raises(ValueError, match="values should"):
        dim.transform([outside])
    with pytest.raises(ValueError, match="values should"):
        dim.inverse_transform([1.5])


@pytest.mark.parametrize("k, width", [(1, 1), (2, 1), (3, 3), (5, 5)])
def test_onehot_width_as_in_scikit_optimize(k, width):
    dim = Categorical(list(range(k)))
    assert dim.transformed_size == width
    encoded = dim.transform(list(range(k)))
    assert encoded.shape == (k, width)
    assert dim.inverse_transform(encoded).tolist() == list(range(k))


def test_two_categories_take_one_column_with_a_half_threshold():
    dim = Categorical(["a", "b"])
    assert dim.transform(["a", "b"]).tolist() == [[0], [1]]
    assert dim.inverse_transform([0.4, 0.6, 1.0]).tolist() == ["a", "b", "b"]
    assert dim.transformed_bounds == (0.0, 1.0)


@pytest.mark.parametrize(
    "transform, encoded",
    [
        ("label", [2, 0]),
        ("string", ["3", "1"]),
        ("identity", [3, 1]),
        ("normalize", [1.0, 0.0]),
    ],
)
def test_categorical_transforms_round_trip(transform, encoded):
    dim = Categorical([1, 2, 3], transform=transform)
    assert np.asarray(dim.transform([3, 1])).tolist() == encoded
    assert dim.inverse_transform(dim.transform([3, 1])).tolist() == [3, 1]
    assert dim.transformed_size == 1


def test_label_and_normalize_round_fractional_codes():
    label = Categorical(["a", "b", "c"], transform="label")
    assert label.inverse_transform([2, 0.6]).tolist() == ["c", "b"]
    norm = Categorical(["a", "b", "c"], transform="normalize")
    assert norm.inverse_transform([0, 0.7, 1]).tolist() == ["a", "b", "c"]


@pytest.mark.parametrize(
    "make", [lambda: Real(0, 1, transform="onehot"),
             lambda: Integer(0, 3, transform="label"),
             lambda: Categorical(["a"], transform="bad")],
)
def test_unsupported_transform_raises_value_error(make):
    with pytest.raises(ValueError, match="transform should be"):
        make()


def test_categories_of_mixed_types_come_back_as_themselves():
    dim = Categorical(["a", 1, None, (2, 3)])
    back = dim.inverse_transform(dim.transform([None, (2, 3), 1]))
    assert back.dtype == object and back.tolist() == [None, (2, 3), 1]


# ---------------------------------------------- attributes, in, distance, eq
def test_bounds_sizes_and_constants():
    assert Real(0, 1).bounds == (0, 1) and Integer(1, 4).bounds == (1, 4)
    assert Categorical(["a", "b"]).bounds == ("a", "b")
    assert Real(0, 10, transform="normalize").transformed_bounds == (0.0, 1.0)
    assert Categorical(["a", "b", "c"]).transformed_bounds == [(0.0, 1.0)] * 3
    assert Categorical(["a", "b", "c"], transform="label").transformed_bounds == (0, 2)
    assert all(d.size == 1 for d in (Real(0, 1), Integer(0, 1), Categorical(["a"])))
    assert not Real(0, 1).is_constant and not Integer(0, 1).is_constant
    assert Categorical(["only"]).is_constant and not Categorical(["a", "b"]).is_constant


def test_in_checks_the_bounds_and_the_categories():
    assert 0.5 in Real(0, 1) and 1 in Real(0, 1) and 1.5 not in Real(0, 1)
    assert "a" not in Real(0, 1)
    assert 3 in Integer(1, 5) and np.int64(3) in Integer(1, 5)
    assert 6 not in Integer(1, 5)
    assert "a" in Categorical(["a", "b"]) and "z" not in Categorical(["a", "b"])
    assert [1] in Categorical([[1], [2]])  # unhashable categories work too
    assert 1 not in Categorical([True, False])


def test_distance():
    assert Real(0, 10).distance(1, 4) == 3 and Integer(1, 5).distance(5, 2) == 3
    assert Categorical(["a", "b"]).distance("a", "b") == 1
    assert Categorical(["a", "b"]).distance("a", "a") == 0
    with pytest.raises(RuntimeError, match="within the space"):
        Real(0, 10).distance(1, 40)
    with pytest.raises(RuntimeError, match="within the space"):
        Categorical(["a"]).distance("a", "z")


def test_equality_hash_and_repr():
    assert Real(0, 1) == Real(0.0, 1.0)
    assert Real(0, 1) != Real(0, 1, transform="normalize")
    assert Integer(1, 5) != Integer(1, 5, prior="log-uniform")
    assert Categorical(["a", "b"]) == Categorical(("a", "b"))
    assert Categorical(["a", "b"]) != Categorical(["a", "b"], prior=[0.3, 0.7])
    assert Real(0, 1, name="a") != Real(0, 1)
    assert hash(Real(0, 1)) == hash(Real(0, 1)) and len({Real(0, 1), Real(0, 1)}) == 1
    assert repr(Real(0, 10)) == (
        "Real(low=0.0, high=10.0, prior='uniform', transform='identity')"
    )
    assert repr(Integer(1, 1000, prior="log-uniform")) == (
        "Integer(low=1, high=1000, prior='log-uniform', transform='identity')"
    )
    assert repr(Categorical(list(range(10)))) == (
        "Categorical(categories=(0, 1, 2, ..., 7, 8, 9), prior=None)"
    )
    assert "name='lr'" in repr(Real(0, 1, name="lr"))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Real(1, 1), "has to be less than"),
        (lambda: Integer(5, 2), "has to be less than"),
        (lambda: Real(0, 1, prior="normal"), "prior should be"),
        (lambda: Real(0, 1, prior="log-uniform"), "should not contain 0"),
        (lambda: Real(0, 1, dtype=int), "dtype"),
        (lambda: Real(0, 1, dtype="int"), "dtype"),
        (lambda: Integer(0, 1, dtype=float), "dtype"),
        (lambda: Real(0, 1, name=3), "name must be"),
        (lambda: check_dimension(5), "Invalid dimension"),
    ],
)
def test_errors_have_scikit_optimizes_type_and_meaning(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ------------------------------------------------------------- mutability
def test_name_and_transform_are_the_users_to_change():
    dim = Real(0, 10)
    dim.name = "x"
    assert dim.name == "x"
    with pytest.raises(ValueError, match="name must be"):
        dim.name = 3
    dim.set_transformer("normalize")
    assert dim.transform_ == "normalize" and dim.transform([5]).tolist() == [0.5]
    for attribute in ("low", "high", "prior", "dtype"):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(dim, attribute, 1)


def test_space_and_optimizer_work_on_copies():
    dims = [Real(0, 10, name="x"), Categorical(["a", "b", "c"])]
    space = Space(dims)
    space.set_transformer(["normalize", "label"])
    space.dimension_names = ["u", "v"]
    assert [d.transform_ for d in dims] == ["identity", "onehot"]
    assert [d.name for d in dims] == ["x", None]
    copied = Space(space)
    assert copied == space and copied.dimensions[0] is not space.dimensions[0]
    opt = Optimizer(space, n_initial_points=2, random_state=0)
    space.set_transformer("identity")
    assert opt.space.get_transformer() == ["normalize", "label"]
    normalize_dimensions(dims)  # scikit-optimize's changes the given objects
    assert [d.transform_ for d in dims] == ["identity", "onehot"]


def test_the_optimizer_cube_ignores_the_transform():
    space = Space([Real(1e-3, 1.0, prior="log-uniform"), Integer(1, 5),
                   Categorical(["a", "b"])])
    points = space.draw(5, random_state=0)
    before = space.to_unit(points)
    space.set_transformer(["normalize", "normalize", "label"])
    np.testing.assert_array_equal(space.to_unit(points), before)
    assert space.from_unit(before) == points


def test_dimensions_copy_and_pickle():
    dim = Categorical(["a", "b", "c"], transform="label", name="c")
    for clone in (copy.copy(dim), copy.deepcopy(dim), pickle.loads(pickle.dumps(dim))):
        assert clone == dim and clone.transform(["c"]) == [2]
        clone.set_transformer("onehot")
        assert dim.transform_ == "label"


# -------------------------------------------------------------------- Space
def _space():
    return Space([
        Real(0, 10, name="x"),
        Integer(1, 5),
        Categorical(["a", "b", "c"], name="c"),
        Categorical(["u", "v"]),
    ])


def test_space_properties():
    space = _space()
    assert space.n_dims == len(space) == 4 and space.transformed_n_dims == 6
    assert space.bounds == [(0, 10), (1, 5), ("a", "b", "c"), ("u", "v")]
    assert space.transformed_bounds == [(0, 10), (1, 5)] + [(0.0, 1.0)] * 4
    assert (space.is_real, space.is_categorical, space.is_partly_categorical) == (
        False, False, True)
    assert Space([(0.0, 1.0)]).is_real and Space([["a"], ["b", "c"]]).is_categorical
    assert Space([["a"], (0.0, 1.0)]).n_constant_dimensions == 1
    assert space.dimension_names == ["x", "X_1", "c", "X_3"]
    assert space.get_transformer() == ["identity", "identity", "onehot", "onehot"]
    assert list(space) == space.dimensions


def test_space_transform_and_inverse():
    space = _space()
    points = [[1.0, 2, "b", "v"], [3.0, 5, "a", "u"]]
    Xt = space.transform(points)
    np.testing.assert_array_equal(Xt, [[1, 2, 0, 1, 0, 1], [3, 5, 1, 0, 0, 0]])
    assert space.inverse_transform(Xt) == points
    space.set_transformer_by_type("normalize", Real)
    assert space.transform(points)[:, 0].tolist() == [0.1, 0.3]
    with pytest.raises(ValueError, match="entries"):
        space.set_transformer(["identity"])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_normalized_space_round_trips_in_the_unit_cube(seed):
    space = normalize_dimensions([
        Real(1e-4, 1.0, prior="log-uniform"), (-3.0, 3.0), (1, 100, "log-uniform"),
        (-5, 5), ["a", "b"], ["x", "y", "z"],
    ])
    points = space.rvs(3, random_state=seed)
    Xt = space.transform(points)
    assert Xt.shape == (3, space.transformed_n_dims) == (3, 8)
    assert np.all((Xt >= 0) & (Xt <= 1))
    back = space.inverse_transform(Xt)
    for got, want in zip(back, points):
        assert got[2:] == want[2:]
        assert got[:2] == pytest.approx(want[:2], rel=1e-9)


def test_space_rvs_respects_the_constraint():
    space = Space([(0.0, 1.0), (0.0, 1.0)], constraint=lambda p: p[0] < p[1])
    points = space.rvs(20, random_state=0)
    assert len(points) == 20 and all(p[0] < p[1] for p in points)
    assert [0.2, 0.5] in space and [0.5, 0.2] not in space
    assert Space(space).constraint is space.constraint
    with pytest.raises(RuntimeError, match="valid samples"):
        Space([(0.0, 1.0)], constraint=lambda p: False).rvs(1, random_state=0)
    with pytest.raises(ValueError, match="callable"):
        Space([(0.0, 1.0)], ["x"])


def test_space_contains_distance_getitem_eq():
    space = _space()
    assert [1.0, 2, "b", "v"] in space
    assert [11.0, 2, "b", "v"] not in space and [1.0, 2] not in space
    assert space.distance([1.0, 2, "b", "v"], [3.0, 5, "a", "v"]) == 6.0
    assert space["x"] == (0, space.dimensions[0]) and space[1][0] == 1
    assert space["nope"] == (None, None)
    assert [i for i, _ in space[["c", "x"]]] == [2, 0]
    assert space == _space() and space != Space([(0.0, 1.0)])
    with pytest.raises(ValueError, match="same length"):
        space.dimension_names = ["a"]


def test_from_yaml(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "space.yml"
    path.write_text(
        "Space:\n"
        "- Integer:\n    low: -5\n    high: 5\n"
        "- Categorical:\n    categories:\n    - a\n    - b\n"
        "- real:\n    Low: 1.0\n    high: 5.0\n    prior: log-uniform\n"
        "Other:\n- Real: {low: 0.0, high: 1.0}\n"
    )
    space = Space.from_yaml(path)
    assert space == Space([Integer(-5, 5), Categorical(["a", "b"]),
                           Real(1.0, 5.0, prior="log-uniform")])
    assert Space.from_yaml(str(path), namespace="Other") == Space([Real(0.0, 1.0)])
    path.write_text("just a string")
    with pytest.raises(TypeError, match="list or dictionary"):
        Space.from_yaml(path)
    path.write_text("- Normal: {mu: 0}\n")
    with pytest.raises(ValueError, match="not a dimension type"):
        Space.from_yaml(path)


def test_from_df():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"lr": [0.1, 0.5], "k": [1, 4], "kind": ["a", "b"]})
    space = Space.from_df(df, priors={"lr": "log-uniform"})
    assert space == Space([Real(0.1, 0.5, prior="log-uniform", name="lr"),
                           Integer(1, 4, name="k"),
                           Categorical(["a", "b"], name="kind")])


# --------------------------------------------------------- check_dimension
def test_check_dimension_shorthands_and_transform():
    assert check_dimension((1, 8, "log-uniform", 2)) == Integer(
        1, 8, prior="log-uniform", base=2)
    assert check_dimension((0.5, 2), transform="normalize") == Real(
        0.5, 2.0, transform="normalize")
    assert check_dimension(("a", "b")) == Categorical(["a", "b"])
    assert check_dimension(np.array([1, 2, 3])) == Categorical([1, 2, 3])
    assert check_dimension(["a", "b"], transform="label").transform_ == "label"
    dim = Real(0, 1)
    assert check_dimension(dim) == dim and check_dimension(dim) is not dim


def test_a_list_skopt_would_read_as_a_range_warns():
    with pytest.warns(UserWarning, match="Real"):
        assert check_dimension([0.0, 5.0]) == Categorical([0.0, 5.0])
    with pytest.warns(UserWarning, match="Integer"):
        check_dimension([1, 5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_dimension([1, 2])  # the same two values either way
        check_dimension([0.1, 1.0, 10.0])
        check_dimension(Categorical([0.0, 5.0]))


def test_transformers_are_importable_with_scikit_optimizes_names():
    assert Identity().transform([3]) == [3]
    assert LogN(2).inverse_transform([3]).tolist() == [8.0]
    assert Normalize(0, 4, is_int=True).inverse_transform([0.6]).tolist() == [2]
    assert Pipeline([LogN(10), Normalize(0, 2)]).inverse_transform([0.5]).tolist() \
        == pytest.approx([10.0])
    assert LabelEncoder(["x", "y"]).transform(["y"]) == [1]
    assert CategoricalEncoder().fit("abc").transform(["c"]).tolist() == [[0, 0, 1]]
    assert StringEncoder().fit([1.5, 2.5]).inverse_transform(["2.5"]) == [2.5]
    with pytest.raises(ValueError, match="Transformer"):
        Pipeline([object()])


# ------------------------------------------------- next to scikit-optimize
def _skopt_space():
    pytest.importorskip("skopt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import skopt.space
    return skopt.space


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ("Real", dict(low=0, high=10)),
        ("Real", dict(low=1e-3, high=1e3, prior="log-uniform")),
        ("Real", dict(low=1, high=64, prior="log-uniform", base=2, dtype=np.float32)),
        ("Integer", dict(low=-3, high=7)),
        ("Integer", dict(low=-3, high=7, dtype=int)),
        ("Categorical", dict(categories=["a", "b", "c"], prior=[0.2, 0.3, 0.5])),
    ],
)
def test_rvs_gives_scikit_optimizes_values_for_the_same_seed(args, kwargs):
    theirs = getattr(_skopt_space(), args)(**kwargs).rvs(20, random_state=3)
    ours = globals()[args](**kwargs).rvs(20, random_state=3)
    assert type(ours) is type(theirs)
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


@pytest.mark.parametrize("normalize", [False, True])
def test_space_transform_matches_scikit_optimize(normalize):
    sk = _skopt_space()

    def build(m):
        dims = [m.Real(1e-3, 1e3, prior="log-uniform"), m.Real(-2.0, 2.0),
                m.Integer(1, 9), m.Categorical(["a", "b"]),
                m.Categorical(["x", "y", "z"])]
        return m.Space(dims)

    theirs, ours = build(sk), build(__import__("skopt_est").space)
    points = theirs.rvs(10, random_state=1)
    assert ours.rvs(10, random_state=1) == points
    if normalize:
        # (scikit-optimize's rvs then changes, halving the end integers' mass;
        # ours draws from the prior whatever the transform)
        for space in (theirs, ours):
            space.set_transformer_by_type("normalize", type(space.dimensions[0]))
            space.set_transformer_by_type("normalize", type(space.dimensions[2]))
    np.testing.assert_allclose(ours.transform(points), theirs.transform(points))
    assert ours.transformed_n_dims == theirs.transformed_n_dims
    Xt = theirs.transform(points)
    back_theirs, back_ours = theirs.inverse_transform(Xt), ours.inverse_transform(Xt)
    for a, b in zip(back_ours, back_theirs):
        assert a[2:] == b[2:] and a[:2] == pytest.approx(b[:2])
    assert ours.distance(points[0], points[1]) == pytest.approx(
        theirs.distance(points[0], points[1]))


# ------------------------------------- issue 24: what scikit-optimize users hit
@pytest.mark.parametrize("dim", [Real(1.0, 25.0), Integer(1, 10),
                                 Real(1e-5, 1e5, prior="log-uniform"),
                                 Integer(1, 10, dtype=int)])
def test_a_one_sample_draw_is_inside_its_dimension(dim):
    for seed in range(20):
        sample = dim.rvs(random_state=seed)  # a list or array of one value
        assert np.size(sample) == 1 and sample in dim
    assert [dim.high] in dim and np.array([dim.low]) in dim
    assert [dim.low, dim.high] not in dim  # two values are not one value
    assert [dim.high + 1] not in dim


def test_a_one_sample_draw_is_inside_its_space():
    space = Space([Real(0.0, 1.0), Integer(2, 4)])
    assert [Real(0.0, 1.0).rvs(random_state=0), Integer(2, 4).rvs(random_state=0)] \
        in space


@pytest.mark.parametrize("make, words", [
    (lambda: Real(0, 1, transform="log"), "Real: transform should be 'normalize' "
                                          "or 'identity'; got 'log'"),
    (lambda: Integer(0, 1, transform="onehot"), "should be 'normalize' or "
                                                "'identity'"),
    (lambda: Categorical(["a"], transform="x"), "should be 'onehot', 'label', "
                                                "'string', 'identity' or "
                                                "'normalize'"),
])
def test_an_unknown_transform_is_refused_in_scikit_optimizes_words(make, words):
    with pytest.raises(ValueError) as error:
        make()
    assert words in str(error.value)


@pytest.mark.parametrize("spec", ["23", 23, {"low": 0}, None])
def test_an_invalid_dimension_names_what_a_dimension_has_to_be(spec):
    with pytest.raises(ValueError) as error:
        check_dimension(spec)
    message = str(error.value)
    # scikit-optimize 0.10 starts so; its older tests match the second phrase
    assert message.startswith(f"Invalid dimension {spec!r}")
    assert "has to be a list or tuple" in message
    assert "See the documentation of check_dimension" in message


@pytest.mark.parametrize("name", [1, 1.0, True, ["a"]])
def test_an_invalid_name_gives_scikit_optimizes_exact_message(name):
    for make in (lambda: Real(1, 2, name=name), lambda: Integer(1, 2, name=name),
                 lambda: Categorical(["a"], name=name)):
        with pytest.raises(ValueError) as error:
            make()
        assert error.value.args == ("Dimension's name must be either string or None.",)
    dim = Real(1, 2)
    with pytest.raises(ValueError, match="^Dimension's name must be either"):
        dim.name = name


def test_categorical_rvs_returns_scikit_optimizes_types_per_transform():
    onehot = Categorical(["cat", "dog", "rat"])
    normalized = Categorical(["cat", "dog", "rat"], transform="normalize")
    assert onehot.rvs(random_state=0) in onehot.categories  # bare category
    one = normalized.rvs(random_state=0)
    assert isinstance(one, list) and len(one) == 1 and one[0] in onehot.categories
    assert normalized.rvs(3, random_state=0) == onehot.rvs(3, random_state=0)


def test_bool_categories_come_back_as_a_bool_array():
    back = Categorical([True, False]).inverse_transform([[1.0], [0.0]])
    assert back.dtype == np.bool_ and back.tolist() == [False, True]


def test_the_dimension_base_class_declares_scikit_optimizes_api():
    class Custom(Dimension):
        pass

    custom = Custom()
    assert custom.name is None and Dimension.name is None
    for call in (lambda: custom.rvs(), lambda: custom.inverse_transform([0.5]),
                 lambda: custom.bounds, lambda: custom.is_constant,
                 lambda: custom.transformed_bounds):
        with pytest.raises(NotImplementedError):
            call()


def test_space_space_holds_what_skopt_space_space_holds():
    from skopt_est.space import space as module

    for name in ("Real", "Integer", "Categorical", "Dimension", "Space",
                 "check_dimension", "normalize_dimensions", "Normalize",
                 "Identity", "LogN", "Pipeline", "CategoricalEncoder",
                 "LabelEncoder", "StringEncoder"):
        assert getattr(module, name) is getattr(
            __import__("skopt_est.space", fromlist=[name]), name)


def test_inverse_transform_takes_x_by_scikit_optimizes_keyword():
    assert Normalize(0, 10).inverse_transform(X=[0.5]).tolist() == [5.0]
    assert Pipeline([LogN(10), Normalize(0, 2)]).inverse_transform(
        X=[0.5]).tolist() == pytest.approx([10.0])


def test_normalize_dimensions_of_utils_keeps_types_and_the_users_dimensions():
    from skopt_est import utils

    user = [Integer(1, 5), Categorical(["a", "b", "c"]), Real(0.0, 1.0),
            Integer(2, 64, prior="log-uniform", base=2, dtype=int)]
    space = utils.normalize_dimensions(user)
    assert utils.normalize_dimensions is normalize_dimensions
    assert [type(d) for d in space] == [type(d) for d in user]
    assert space.get_transformer() == ["normalize", "onehot", "normalize",
                                       "normalize"]
    assert [d.transform_ for d in user] == ["identity", "onehot", "identity",
                                            "identity"]
    back = space.inverse_transform(space.transform([[3, "b", 0.5, 8]]))[0]
    assert back == [3, "b", 0.5, 8]
    assert isinstance(back[0], np.int64) and type(back[1]) is str
    assert type(back[3]) is int


def test_contains_stays_strict_where_the_optimizer_validates_points():
    # `in` is scikit-optimize's lenient check; contains() guards tell and x0
    assert [0.5] in Real(0.0, 1.0) and not Real(0.0, 1.0).contains([0.5])
    assert np.array([3]) in Integer(1, 5) and not Integer(1, 5).contains([3])
    space = Space([Real(0.0, 1.0), Integer(1, 5)])
    assert [[0.5], [3]] in space and not space.contains([[0.5], [3]])
    assert [0.5, 3] in space and space.contains([0.5, 3])
