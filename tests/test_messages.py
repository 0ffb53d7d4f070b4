"""Error and warning messages a newcomer meets first (issue 14)."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skopt_est import (
    BayesSearchCV,
    GDClassifier,
    GDRegressor,
    MLPClassifier,
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


_HUGE = (np.random.RandomState(0).normal(size=(60, 3)) * 1e15).astype(np.float32)
_HUGE_Y = _HUGE @ np.float32([1.0, 2.0, 3.0])


def _scaler_mentions(message):
    return message.count("StandardScaler")


@pytest.mark.parametrize(
    "estimator, parameter",
    [
        (GDRegressor(), "Lower eta0=0.01"),
        (GDRegressor(learning_rate="optimal"), "Raise alpha=0.0001"),
        (GDClassifier(loss="squared_error"), "Raise alpha=0.0001"),
        (
            MLPRegressor(solver="sgd", learning_rate_init=1e3),
            "Lower learning_rate_init=1000",
        ),
    ],
)
def test_overflow_message_says_to_scale_once_and_names_the_parameter(
    estimator, parameter
):
    with pytest.raises(ValueError) as info:
        is_classifier = isinstance(estimator, GDClassifier)
        estimator.fit(_HUGE, _HUGE_Y > 0 if is_classifier else _HUGE_Y)
    message = str(info.value)
    assert "Floating-point under-/overflow occurred at epoch #" in message
    assert parameter in message
    assert _scaler_mentions(message) == 1, message


def test_mlp_overflow_keeps_scikit_learns_mlp_sentence():
    with pytest.raises(ValueError) as info:
        MLPRegressor(solver="sgd", learning_rate_init=1e3).fit(_HUGE, _HUGE_Y)
    assert str(info.value).startswith(
        "Solver produced non-finite parameter weights. The input data may contain "
        "large values and need to be preprocessed."
    )


def test_a_climbing_loss_names_the_parameter_and_scaling_once():
    rng = np.random.RandomState(0)
    X_big = rng.normal(size=(100, 3)) * 1e6
    with pytest.raises(ValueError) as info:
        MLPRegressor(learning_rate_init=1e3, random_state=0).fit(
            X_big, X_big @ [1, 2, 3]
        )
    message = str(info.value)
    assert "Training diverged at epoch" in message
    assert "Lower learning_rate_init=1000" in message
    assert _scaler_mentions(message) == 1, message


def test_early_stopping_divergence_warning_reads_once():
    rng = np.random.RandomState(0)
    X_big = rng.normal(size=(100, 3)) * 1e6
    with pytest.warns(ConvergenceWarning) as record:
        MLPRegressor(
            learning_rate_init=1e3, early_stopping=True, random_state=0
        ).fit(X_big, X_big @ [1, 2, 3])
    message = next(str(w.message) for w in record if "diverged" in str(w.message))
    assert "kept the weights of the best validation score" in message
    assert "Lower learning_rate_init=1000" in message
    assert _scaler_mentions(message) == 1, message


def _warning_text(estimator, X, y):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        estimator.fit(X, y)
    return [str(w.message) for w in record if w.category is ConvergenceWarning]


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (GDClassifier(max_iter=2, random_state=0), "SGDClassifier"),
        (MLPClassifier(max_iter=2, random_state=0), "MLPClassifier"),
        (MLPClassifier(solver="lbfgs", max_iter=2, random_state=0), "MLPClassifier"),
    ],
)
def test_max_iter_warning_starts_with_scikit_learns_words(ours, theirs):
    from sklearn import linear_model, neural_network

    module = linear_model if theirs.startswith("SGD") else neural_network
    solver = {"solver": "lbfgs"} if ours.solver == "lbfgs" else {}
    peer = getattr(module, theirs)(max_iter=2, random_state=0, **solver)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    [expected] = _warning_text(peer, X, y)
    [message] = _warning_text(ours, X, y)
    # scikit-learn's first sentence word for word (without L-BFGS's status
    # line), then what to change
    assert message.startswith(expected.split(" (status=")[0]), (message, expected)
    assert "max_iter" in message


# ------------------------------------------------- verbose: scikit-learn's SGD
_EPOCH_BLOCK = re.compile(
    r"-- Epoch (\d+)\n"
    r"Norm: \d+\.\d\d, NNZs: \d+, Bias: -?\d+\.\d{6}, T: (\d+), "
    r"Avg\. loss: \d+\.\d{6}, Objective: \d+\.\d{6}"
    r"(?:, Validation score: \d\.\d{6})?\n"
    r"Total training time: \d+\.\d\d seconds\.\n")
_CONVERGED = re.compile(r"Convergence after (\d+) epochs took \d+\.\d\d seconds\n")


def _printed(capsys, model, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, **fit_params)
    captured = capsys.readouterr()
    return re.sub(r"\d+\.\d\d seconds", "0.00 seconds", captured.out), captured.err


def _blocks(out):
    """The (epoch, T) of each block, and the epochs of each Convergence line;
    nothing else may be printed."""
    blocks = [(int(e), int(t)) for e, t in _EPOCH_BLOCK.findall(out)]
    stops = [int(n) for n in _CONVERGED.findall(out)]
    assert not _CONVERGED.sub("", _EPOCH_BLOCK.sub("", out)), out
    return blocks, stops


@pytest.mark.parametrize("params", [
    dict(), dict(penalty="l1", alpha=0.01), dict(early_stopping=True),
    dict(average=True, learning_rate="invscaling", eta0=0.1),
    dict(class_weight={0: 3.0, 1: 1.0})])
def test_verbose_kernel_prints_scikit_learns_sgd_lines(capsys, params):
    """The compiled kernel's fit is scikit-learn's: so are its lines, the
    times aside (the sample weights do not enter Avg. loss, as there)."""
    from sklearn.datasets import load_iris
    X, y = load_iris(return_X_y=True)
    X, y = StandardScaler().fit_transform(X), (y == 1).astype(int)
    weight = np.random.RandomState(0).uniform(0.5, 2.0, len(y))
    ours, err = _printed(capsys, GDClassifier(verbose=1, random_state=0, **params),
                         X, y, sample_weight=weight)
    theirs, _ = _printed(capsys, SGDClassifier(verbose=1, random_state=0, **params),
                         X, y, sample_weight=weight)
    assert ours == theirs and not err
    model = GDClassifier(random_state=0, **params).fit(X, y, sample_weight=weight)
    blocks, stops = _blocks(ours)
    assert [epoch for epoch, _ in blocks] == list(range(1, model.n_iter_ + 1))
    assert stops == [model.n_iter_]


def test_verbose_kernel_prints_a_block_per_head(capsys):
    from sklearn.datasets import load_iris
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ours, _ = _printed(capsys, GDClassifier(verbose=1, random_state=0), X, y)
    theirs, _ = _printed(capsys, SGDClassifier(verbose=1, random_state=0), X, y)
    # scikit-learn prints head after head, the kernel epoch after epoch
    assert sorted(ours.splitlines()) == sorted(theirs.splitlines())
    blocks, stops = _blocks(ours)
    model = GDClassifier(random_state=0).fit(X, y)
    assert max(stops) == model.n_iter_ and len(stops) == 3
    assert len(blocks) == sum(stops)


@pytest.mark.parametrize("Model,params", [
    (GDClassifier, dict(batch_size=16)),
    (GDClassifier, dict(solver="adam", loss="log_loss", early_stopping=True)),
    (GDRegressor, dict(batch_size=8, momentum=0.5)),
    (GDRegressor, dict(max_iter=4, tol=None))])
def test_verbose_torch_path_prints_one_block_per_epoch(capsys, Model, params):
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    X, y = StandardScaler().fit_transform(X), (y - y.mean()) / y.std()
    if Model is GDClassifier:
        y = np.digitize(y, [-0.5, 0.5])
    model = Model(verbose=1, random_state=0, **params)
    out, err = _printed(capsys, model, X, y)
    assert not err  # no progress bar: scikit-learn's SGD prints none
    assert "Iteration" not in out  # the MLP's lines are the MLP's
    blocks, stops = _blocks(out)
    n_train = len(y) - (-(-len(y) // 10) if model.early_stopping else 0)  # ceil
    assert blocks == [(epoch, epoch * n_train)
                      for epoch in range(1, model.n_iter_ + 1)]
    assert stops == ([model.n_iter_] if params.get("tol", 1) else [])
    assert ("Validation score" in out) == model.early_stopping


def test_verbose_partial_fit_counts_its_own_call(capsys):
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    X, y = StandardScaler().fit_transform(X), (y - y.mean()) / y.std()
    for model in (GDRegressor(verbose=1, random_state=0),
                  SGDRegressor(verbose=1, random_state=0)):
        for _ in range(2):
            model.partial_fit(X, y)
    out = capsys.readouterr().out
    assert _blocks(out) == ([(1, len(y))] * 4, [])


@pytest.mark.parametrize("Model, wrong_loss, right_loss", [
    (GDClassifier, "log_loss", "hinge"),
    (GDRegressor, "squared_error", "epsilon_insensitive"),
])
def test_passive_aggressive_names_its_loss_as_scikit_learn(Model, wrong_loss,
                                                           right_loss):
    X, y = np.random.RandomState(0).normal(size=(20, 3)), np.arange(20) % 2
    with pytest.raises(ValueError, match=f"only works with loss '{right_loss}'"):
        Model(loss=wrong_loss, learning_rate="pa1").fit(X, y)


def test_passive_aggressive_names_the_settings_the_kernel_needs():
    X, y = np.random.RandomState(0).normal(size=(20, 3)), np.arange(20) % 2
    with pytest.raises(ValueError, match=r"got solver='adam', batch_size=8\."):
        GDClassifier(learning_rate="pa2", solver="adam", batch_size=8).fit(X, y)


def test_passive_aggressive_refuses_what_the_kernel_does_not_run(monkeypatch):
    X = np.random.RandomState(0).normal(size=(20, 3))
    model = GDRegressor(loss="epsilon_insensitive", learning_rate="pa1")
    with pytest.raises(ValueError, match="one per-sample problem per output"):
        model.fit(X, np.c_[X[:, 0], X[:, 1]])
    monkeypatch.setenv("SKOPT_EST_NO_KERNEL", "1")
    with pytest.raises(ValueError, match="SKOPT_EST_NO_KERNEL is set"):
        model.fit(X, X[:, 0])


def test_mlp_has_no_passive_aggressive_rate():
    with pytest.raises(ValueError, match="learning_rate"):
        MLPRegressor(learning_rate="pa1").fit([[0.0], [1.0]], [0.0, 1.0])
