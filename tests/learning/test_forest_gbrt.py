"""Forest and gradient-boosting surrogates: the standard deviations they
predict are the ones their definitions give."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import GradientBoostingRegressor

from skopt_est.learning import (
    ExtraTreesRegressor,
    GradientBoostingQuantileRegressor,
    RandomForestRegressor,
)

FORESTS = [RandomForestRegressor, ExtraTreesRegressor]


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(80, 3))
    y = X[:, 0] ** 2 + np.sin(3 * X[:, 1]) + 0.1 * rng.normal(size=80)
    return X, y, rng.uniform(-1, 1, size=(30, 3))


@pytest.mark.parametrize("forest", FORESTS)
def test_with_one_sample_leaves_the_std_is_the_spread_of_the_trees(forest, data):
    X, y, X_test = data
    model = forest(n_estimators=25, random_state=0).fit(X, y)
    mean, std = model.predict(X_test, return_std=True)
    per_tree = np.array([tree.predict(X_test) for tree in model.estimators_])
    np.testing.assert_allclose(mean, per_tree.mean(axis=0))
    np.testing.assert_allclose(std, per_tree.std(axis=0), atol=1e-10)
    assert np.all(std > 0)


def test_larger_leaves_add_their_variance_to_the_spread(data):
    X, y, X_test = data
    model = ExtraTreesRegressor(n_estimators=15, min_samples_leaf=6, random_state=0)
    mean, std = model.fit(X, y).predict(X_test, return_std=True)
    # law of total variance, with each leaf's variance from the training
    # targets that fall in it (no bootstrap: every tree saw every row)
    leaf_means, leaf_vars = [], []
    for tree in model.estimators_:
        train_leaves, test_leaves = tree.apply(X), tree.apply(X_test)
        leaf_means.append([y[train_leaves == leaf].mean() for leaf in test_leaves])
        leaf_vars.append([y[train_leaves == leaf].var() for leaf in test_leaves])
    leaf_means, leaf_vars = np.array(leaf_means), np.array(leaf_vars)
    expected = np.sqrt(leaf_vars.mean(0) + leaf_means.var(0))
    np.testing.assert_allclose(std, expected, rtol=1e-6)
    assert np.all(std > leaf_means.std(axis=0))


@pytest.mark.parametrize("forest", FORESTS)
def test_min_variance_floors_each_leaf(forest, data):
    X, y, X_test = data
    plain = forest(random_state=0).fit(X, y)
    floored = clone(plain).set_params(min_variance=0.5).fit(X, y)
    _, std = plain.predict(X_test, return_std=True)
    _, std_floored = floored.predict(X_test, return_std=True)
    np.testing.assert_allclose(std_floored, np.sqrt(std**2 + 0.5))


@pytest.mark.parametrize("forest", FORESTS)
def test_forest_keeps_scikit_optimize_defaults_and_the_estimator_api(forest, data):
    X, y, X_test = data
    model = forest()
    params = model.get_params()
    assert params["n_estimators"] == 10 and params["max_features"] is None
    assert params["min_variance"] == 0.0 and params["n_jobs"] == 1
    mean = model.fit(X, y).predict(X_test)
    assert mean.shape == (30,)
    with pytest.raises(ValueError, match="squared_error"):
        forest(criterion="absolute_error").fit(X, y).predict(X_test, return_std=True)


def test_gbrt_predicts_ordered_quantiles_and_their_half_spread(data):
    X, y, X_test = data
    model = GradientBoostingQuantileRegressor(random_state=0).fit(X, y)
    quantiles = model.predict(X_test, return_quantiles=True)
    assert quantiles.shape == (30, 3)
    assert np.mean(quantiles[:, 0] <= quantiles[:, 2]) > 0.9
    median, std = model.predict(X_test, return_std=True)
    np.testing.assert_allclose(median, quantiles[:, 1])
    np.testing.assert_allclose(std, (quantiles[:, 2] - quantiles[:, 0]) / 2)
    np.testing.assert_allclose(model.predict(X_test), median)
    # the 16% and 84% quantiles bracket about two thirds of the training targets
    q = model.predict(X, return_quantiles=True)
    inside = np.mean((y >= q[:, 0]) & (y <= q[:, 2]))
    assert 0.5 < inside < 0.95


def test_gbrt_uses_the_given_booster_and_checks_it(data):
    X, y, _ = data
    base = GradientBoostingRegressor(loss="quantile", n_estimators=7)
    model = GradientBoostingQuantileRegressor(
        quantiles=[0.1, 0.5], base_estimator=base, random_state=1).fit(X, y)
    assert [r.alpha for r in model.regressors_] == [0.1, 0.5]
    assert all(r.n_estimators == 7 for r in model.regressors_)
    assert base.get_params()["alpha"] == 0.9  # the user's object is not changed
    model.predict(X[:2])
    with pytest.raises(ValueError, match="0.84"):
        model.predict(X[:2], return_std=True)
    with pytest.raises(ValueError, match="loss='quantile'"):
        GradientBoostingQuantileRegressor(
            base_estimator=GradientBoostingRegressor()).fit(X, y)
    with pytest.raises(ValueError, match="GradientBoostingRegressor"):
        GradientBoostingQuantileRegressor(base_estimator=object()).fit(X, y)
    with pytest.raises(ValueError, match="quantiles"):
        GradientBoostingQuantileRegressor(quantiles=[0.5, 1.5]).fit(X, y)


def test_gbrt_is_reproducible_with_a_seed(data):
    X, y, X_test = data
    first = GradientBoostingQuantileRegressor(random_state=3).fit(X, y)
    second = GradientBoostingQuantileRegressor(random_state=3).fit(X, y)
    np.testing.assert_array_equal(
        first.predict(X_test, return_quantiles=True),
        second.predict(X_test, return_quantiles=True),
    )
