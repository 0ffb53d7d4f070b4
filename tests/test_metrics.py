"""The validation metrics (metrics.py) against sklearn.metrics."""

import math

import numpy as np
import pytest
import sklearn.metrics

from skopt_est._engine.metrics import (
    accuracy_score,
    count_correct,
    r2_score,
    score_outputs,
)


@pytest.mark.parametrize("n_outputs", [1, 3])
def test_r2_matches_sklearn(n_outputs):
    rng = np.random.RandomState(0)
    target = rng.standard_normal((60, n_outputs))
    output = target + 0.5 * rng.standard_normal((60, n_outputs))
    weight = rng.uniform(0.1, 2.0, 60)
    ours = r2_score(output, target,
                    weight)
    assert ours == pytest.approx(sklearn.metrics.r2_score(
        target, output, sample_weight=weight), rel=1e-12)
    unweighted = r2_score(output, target,
                          np.ones(60))
    assert unweighted == pytest.approx(sklearn.metrics.r2_score(target, output))


def test_r2_constant_target_like_sklearn():
    target = np.ones((5, 1))
    weight = np.ones(5)
    assert r2_score(target.copy(), target, weight) == 1.0
    assert r2_score(target + 1, target, weight) == 0.0


def _labels_and_outputs(kind, n_outputs, seed=0):
    rng = np.random.RandomState(seed)
    output = rng.standard_normal((80, n_outputs))
    if n_outputs == 1:
        labels = rng.randint(2, size=80)
        target = labels[:, None].astype(float)
        if kind == "sign":
            target = 2 * target - 1
        predicted = (output[:, 0] > 0).astype(int)
    else:
        labels = rng.randint(n_outputs, size=80)
        target = np.eye(n_outputs)[labels]
        if kind == "sign":
            target = 2 * target - 1
        predicted = output.argmax(1)
    return output, target, labels, predicted


@pytest.mark.parametrize("kind, n_outputs", [("binary", 1), ("sign", 1),
                                             ("onehot", 3), ("sign", 3)])
def test_accuracy_matches_sklearn(kind, n_outputs):
    output, target, labels, predicted = _labels_and_outputs(kind, n_outputs)
    weight = np.random.RandomState(1).uniform(0.1, 2.0, 80)
    correct = count_correct(output, target, kind)
    np.testing.assert_array_equal(correct, predicted == labels)
    ours = accuracy_score(output, target,
                          weight, kind)
    assert ours == pytest.approx(sklearn.metrics.accuracy_score(
        labels, predicted, sample_weight=weight))


def test_score_outputs_is_nan_for_a_diverged_model():
    target = np.ones((4, 1))
    output = np.array([[1.0], [np.inf], [0.0], [2.0]])
    assert math.isnan(score_outputs(output, target, None, "r2", "real"))
    assert math.isnan(score_outputs(output, target, None, "accuracy", "sign"))
    huge = np.full((4, 1), 1e200)
    assert math.isnan(score_outputs(huge, target * [[1], [2], [3], [4]], None,
                                    "r2", "real"))
