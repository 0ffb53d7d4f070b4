"""Initial point generators: count, bounds, reproducibility and the design
properties each one promises."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from skopt_est.sampler import Grid, Halton, Hammersly, InitialPointGenerator, Lhs, Sobol
from skopt_est.space import Categorical, Integer, Real, Space

SPACE = [
    Real(1e-3, 1e2, prior="log-uniform"),
    Integer(-3, 4),
    Categorical(["a", "b", "c"]),
    (0.0, 1.0),
]
GENERATORS = [
    Lhs(), Lhs(lhs_type="centered", criterion=None), Lhs(criterion="correlation"),
    Lhs(criterion="ratio", iterations=20), Sobol(), Sobol(skip=5, randomize=False),
    Halton(), Halton(min_skip=1, max_skip=10), Halton(primes=[7, 5, 3, 2]), Hammersly(),
    Grid(), Grid(border="include"), Grid(border="only"), Grid(use_full_layout=False),
    Grid(append_border="include"),
]


@pytest.mark.parametrize("generator", GENERATORS, ids=repr)
@pytest.mark.parametrize("n_samples", [1, 7, 16])
def test_points_are_in_the_space_and_of_the_right_count(generator, n_samples):
    points = generator.generate(SPACE, n_samples, random_state=0)
    assert len(points) == n_samples
    space = Space(SPACE)
    assert all(space.contains(point) for point in points)


@pytest.mark.parametrize("generator", GENERATORS, ids=repr)
def test_the_same_seed_gives_the_same_points(generator):
    first = generator.generate(SPACE, 9, random_state=3)
    assert generator.generate(SPACE, 9, random_state=np.random.RandomState(3)) == first


@pytest.mark.parametrize("generator", [Lhs(), Sobol(), Grid(use_full_layout=False)],
                         ids=repr)
def test_random_designs_change_with_the_seed(generator):
    assert generator.generate(SPACE, 9, random_state=1) != generator.generate(
        SPACE, 9, random_state=2)


@pytest.mark.parametrize("lhs_type", ["classic", "centered"])
def test_lhs_puts_one_point_in_every_slice_of_every_dimension(lhs_type):
    design = Lhs(lhs_type=lhs_type).unit_design(3, 8, random_state=0)
    for column in design.T:
        assert sorted(np.floor(column * 8).astype(int)) == list(range(8))
    if lhs_type == "centered":
        np.testing.assert_allclose((design * 8) % 1, 0.5)


def test_lhs_maximin_keeps_a_better_spread_design_than_one_draw():
    kept = Lhs(criterion="maximin", iterations=200).unit_design(2, 10, random_state=0)
    plain = [Lhs(criterion=None).unit_design(2, 10, random_state=s) for s in range(20)]
    assert pdist(kept).min() > np.median([pdist(d).min() for d in plain])


def test_halton_and_hammersly_are_the_textbook_sequences():
    # base 2 then base 3, digits mirrored about the radix point
    design = Halton().unit_design(2, 5)
    np.testing.assert_allclose(design[:, 0], [0, 1 / 2, 1 / 4, 3 / 4, 1 / 8])
    np.testing.assert_allclose(design[:, 1], [0, 1 / 3, 2 / 3, 1 / 9, 4 / 9])
    own_base = Halton(primes=[3]).unit_design(1, 4)[:, 0]
    np.testing.assert_allclose(own_base, [0, 1 / 3, 2 / 3, 1 / 9])
    skipped = Halton(min_skip=2, max_skip=2).unit_design(1, 3)[:, 0]
    np.testing.assert_allclose(skipped, [1 / 4, 3 / 4, 1 / 8])
    hammersly = Hammersly().unit_design(2, 4)
    np.testing.assert_allclose(hammersly[:, 1], [0, 0.25, 0.5, 0.75])
    np.testing.assert_allclose(hammersly[:, 0], [0, 0.5, 0.25, 0.75])


def test_sobol_unscrambled_is_the_plain_sequence_and_scrambled_is_balanced():
    plain = Sobol(randomize=False).unit_design(1, 4)[:, 0]
    np.testing.assert_allclose(plain, [0, 0.5, 0.75, 0.25])
    skipped = Sobol(randomize=False, skip=2).unit_design(1, 2)[:, 0]
    np.testing.assert_allclose(skipped, [0.75, 0.25])
    drawn = Sobol(randomize=False, min_skip=1, max_skip=3)
    starts = {drawn.unit_design(1, 1, random_state=s)[0, 0] for s in range(20)}
    assert starts == {0.5, 0.75}  # skip 1 or 2
    scrambled = Sobol().unit_design(2, 16, random_state=0)
    for column in scrambled.T:  # one point in every sixteenth
        assert sorted(np.floor(column * 16).astype(int)) == list(range(16))


def test_grid_levels_follow_the_border_option():
    include = Grid(border="include").unit_design(2, 9, random_state=0)
    assert sorted(set(include[:, 0])) == [0.0, 0.5, 1.0]
    exclude = Grid(border="exclude").unit_design(2, 9, random_state=0)
    np.testing.assert_allclose(sorted(set(exclude[:, 0])), [0.25, 0.5, 0.75])
    only = Grid(border="only").unit_design(2, 8, random_state=0)
    assert set(only[:, 0]) == {0.0, 1.0}
    assert len({tuple(row) for row in include}) == 9


def test_invalid_options_name_what_to_fix():
    with pytest.raises(ValueError, match="lhs_type"):
        Lhs(lhs_type="wrong").generate(SPACE, 3)
    with pytest.raises(ValueError, match="criterion"):
        Lhs(criterion="wrong").generate(SPACE, 3)
    with pytest.raises(ValueError, match="border"):
        Grid(border="wrong").generate(SPACE, 3)
    with pytest.raises(ValueError, match="primes"):
        Halton(primes=[2]).generate(SPACE, 3)
    with pytest.raises(ValueError, match="no parameter"):
        Sobol().set_params(wrong=1)


def test_a_subclass_with_only_generate_or_only_unit_design_works():
    class Corners(InitialPointGenerator):
        def unit_design(self, n_dims, n_samples, random_state=None):
            return np.tile([[0.0], [1.0]], (n_samples, n_dims))[:n_samples]

    assert Corners().generate([(0.0, 2.0)], 2) == [[0.0], [2.0]]
    assert Sobol().set_params(skip=2).skip == 2
    with pytest.raises(NotImplementedError):
        InitialPointGenerator().generate([(0.0, 1.0)], 2)


def test_sobol_init_checks_and_records_the_dimension():
    sobol = Sobol()
    assert sobol.dim_num_save == -1
    assert sobol.init(5) is None
    assert sobol.dim_num_save == 5
    assert sobol.dim_max >= 40  # scikit-optimize's table stops at 40
    assert sobol.atmost == 2**sobol.log_max - 1
    for wrong in (0, sobol.dim_max + 1, 2.5):
        with pytest.raises(ValueError, match="dimensions"):
            sobol.init(wrong)
    # generate prepares the dimension of the space it is given
    sobol.generate(SPACE, 4, random_state=0)
    assert sobol.dim_num_save == len(SPACE)
    assert np.asarray(Sobol().unit_design(sobol.dim_max, 2, random_state=0)).shape == (
        2, sobol.dim_max)


def test_sobol_counts_what_it_generated_and_each_call_starts_after_skip():
    sobol = Sobol(randomize=False, skip=2)
    first = sobol.generate([(0.0, 1.0)], 2)
    assert sobol.num_generated == 2
    again = sobol.generate([(0.0, 1.0)], 4)
    assert sobol.num_generated == 6
    assert again[:2] == first  # as scikit-optimize: not a continuation
    assert repr(sobol) == "Sobol(skip=2, randomize=False, min_skip=None, max_skip=None)"
