"""Error and warning messages a newcomer meets first (issue 14)."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import (
    BayesSearchCV,
    GDClassifier,
    GDRegressor,
    MLPRegressor,
)
from skopt_est.space import Real

X = np.random.RandomState(0).normal(size=(40, 3))


@pytest.mark.parametrize(
    "regressor, classifier",
    [(GDRegressor, "GDClassifier"), (MLPRegressor, "MLPClassifier")],
)
def test_text_labels_to_a_regressor_suggest_the_classifier(regressor, classifier):
    labels = np.array(["spam", "ham"] * 20)
    with pytest.raises(ValueError, match=f"text labels such as 'spam'.*{classifier}"):
        regressor(max_iter=2).fit(X, labels)
    with pytest.raises(ValueError, match=classifier):
        regressor(max_iter=2).fit(X, list(labels))


def test_misspelt_search_space_key_names_the_closest_once():
    pipeline = make_pipeline(StandardScaler(), GDClassifier())
    search = BayesSearchCV(
        pipeline, {"gdclassifier__alpah": Real(1e-4, 1e-1)}, n_iter=2, cv=2
    )
    with pytest.raises(ValueError) as info:
        search.fit(X, np.arange(40) % 2)
    message = str(info.value)
    assert "Did you mean 'gdclassifier__alpha'?" in message
    # the valid names are listed once: alpha appears in the hint and the list
    assert message.count("gdclassifier__alpha") == 2
    assert message.count("gdclassifier__eta0") == 1


@pytest.mark.parametrize("schedule", ["cosine", "linear"])
def test_schedules_annealed_to_max_iter_do_not_warn(schedule):
    y = X @ [1.0, -2.0, 0.5]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        MLPRegressor(learning_rate=schedule, max_iter=3, random_state=0).fit(X, y)
        GDRegressor(learning_rate=schedule, max_iter=3, tol=1e-9, random_state=0).fit(
            X, y
        )


def test_a_constant_rate_still_warns_at_max_iter():
    y = X @ [1.0, -2.0, 0.5]
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        MLPRegressor(max_iter=3, random_state=0).fit(X, y)
