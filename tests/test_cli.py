"""Tests of the ``skopt-est`` command line, run as a real subprocess."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import joblib
import numpy as np
import pytest

from skopt_est.cli import main
from skopt_est.cli.datasets import DatasetError, load_dataset
from skopt_est.cli.run import _one_line

FAST = ["--n-iter", "3", "--cv", "2", "--max-iter", "10", "--quiet"]
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, entry_point=False, cwd=None):
    if entry_point:
        script = Path(sys.executable).with_name("skopt-est")
        if not script.exists():
            pytest.skip("the skopt-est console script is not installed")
        command = [str(script), *args]
    else:
        command = [sys.executable, "-m", "skopt_est", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def assert_one_line_error(completed, *fragments):
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("skopt-est: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert completed.stdout == ""


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    rng = np.random.RandomState(0)
    path = tmp_path_factory.mktemp("data") / "houses.csv"
    rows = ["size,rooms,colour,price,kind"]
    for i in range(60):
        size, rooms = rng.uniform(50, 150), rng.randint(1, 6)
        colour = ["red", "blue", "green"][i % 3]
        price = 2 * size + 10 * rooms + (15 if colour == "red" else 0) + rng.normal()
        rooms_cell = "" if i == 4 else rooms  # a missing numeric cell
        rows.append(f"{size:.1f},{rooms_cell},{colour},{price:.2f},{'ab'[i % 2]}")
    path.write_text("\n".join(rows) + "\n")
    return path


# ------------------------------------------------------------------ error paths
# Each subprocess pays for importing torch, so the real console script runs
# the main error paths; the rest call ``main`` in this process, which is the
# same code behind the same ``sys.exit``.
@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--data", "no_such_file.csv"], ["no_such_file.csv", "no such file"]),
        (["--device", "cuda"], ["--device cuda", "not available"]),
        (["--cv", "1"], ["--cv", "at least 2"]),
    ],
)
def test_cli_user_errors_print_one_line(args, fragments):
    if "--device" in args and _has_cuda():
        pytest.skip("this machine has CUDA")
    assert_one_line_error(run_cli("tune", *args), *fragments)


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--target", "nope"], ["'nope' is not a column", "price"]),
        (["--target", "kind", "--task", "regression"], ["'kind' is not numeric"]),
    ],
)
def test_cli_csv_errors_print_one_line(csv_file, args, fragments):
    assert_one_line_error(run_cli("tune", "--data", str(csv_file), *args), *fragments)


def test_cli_entry_point_reports_missing_file():
    completed = run_cli("tune", "--data", "missing.csv", entry_point=True)
    assert_one_line_error(completed, "missing.csv")


def run_main(capsys, *args):
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse errors and --help
        status = exc.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, captured.out, captured.err)


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--model", "svm"], ["--model", "invalid choice"]),
        (["--n-iter", "x"], ["--n-iter", "'x' is not an integer"]),
        (["--data", "iris", "--target", "x"], ["--target only applies to a CSV"]),
        (["--data", "iris", "--task", "regression"], ["does not fit 'iris'"]),
        (["--plot", "/no/such/folder/plot.png"], ["--plot", "does not exist"]),
        (["--device", "tpu"], ["--device tpu"]),
    ],
)
def test_main_user_errors_print_one_line(capsys, args, fragments):
    assert_one_line_error(run_main(capsys, "tune", *args), *fragments)


def test_main_csv_without_target_lists_the_columns(capsys, csv_file):
    completed = run_main(capsys, "tune", "--data", str(csv_file))
    assert_one_line_error(
        completed, "--target COLUMN is required", "size, rooms, colour, price, kind"
    )


def test_main_without_command_prints_help(capsys):
    completed = run_main(capsys)
    assert completed.returncode == 2
    assert "tune" in completed.stderr


def test_main_help_lists_every_option(capsys):
    completed = run_main(capsys, "tune", "--help")
    assert completed.returncode == 0
    for option in (
        "--data",
        "--target",
        "--model",
        "--search",
        "--n-iter",
        "--cv",
        "--n-jobs",
        "--device",
        "--seed",
        "--plot",
        "--save",
        "--json",
    ):
        assert option in completed.stdout


def test_cli_module_parses_arguments_without_heavy_imports():
    # the cli package as the console script loads it: its help and argument
    # errors must not import numpy, scikit-learn or torch
    code = (
        "import sys\n"
        "from skopt_est.cli import main\n"
        "try:\n"
        "    main(['tune', '--help'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0\n"
        "heavy = {'numpy', 'torch', 'sklearn', 'scipy'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PACKAGE_ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "[]"


# ------------------------------------------------------------------ happy paths
@pytest.mark.slow
def test_cli_tune_json_save_and_plot(tmp_path):
    model_path, plot_path = tmp_path / "model.joblib", tmp_path / "convergence.png"
    completed = run_cli(
        "tune", *FAST, "--json", "--save", str(model_path), "--plot", str(plot_path)
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    result = json.loads(completed.stdout)
    assert result["data"] == "diabetes"
    assert result["model"] == "MLPRegressor"
    assert result["search"] == "BayesSearchCV"
    assert result["n_candidates"] == 3
    assert set(result["best_params"]) == {
        "solver",
        "learning_rate",
        "penalty",
        "alpha",
        "dropout",
        "learning_rate_init",
    }
    for key in ("best_cv_score", "test_score", "fit_time_s"):
        assert isinstance(result[key], float)
    assert result["baseline"]["estimator"] == "sklearn.neural_network.MLPRegressor()"
    assert isinstance(result["baseline"]["test_score"], float)

    model = joblib.load(model_path)
    dataset = load_dataset("diabetes")
    assert model.predict(dataset.X[:5]).shape == (5,)
    assert type(model[-1].regressor_).__name__ == "MLPRegressor"
    assert result["test_score"] == pytest.approx(
        model.score(*_test_split(dataset.X, dataset.y)), abs=1e-6
    )
    png = plot_path.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 1000


def _test_split(X, y):
    from sklearn.model_selection import train_test_split

    _, X_test, _, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    return X_test, y_test


@pytest.mark.slow
def test_cli_tune_table_on_csv_with_categorical_column(csv_file):
    completed = run_cli(
        "tune",
        "--data",
        str(csv_file),
        "--target",
        "price",
        "--model",
        "gd",
        "--search",
        "random",
        *FAST,
        entry_point=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    out = completed.stdout
    assert "GDRegressor on houses.csv (regression" in out
    assert "RandomizedSearchCV, 3 settings, 2-fold CV" in out
    assert "best parameters" in out and "eta0" in out
    assert "held-out test score (r2)" in out
    assert "sklearn.linear_model.SGDRegressor() test score" in out


@pytest.mark.slow
def test_main_tune_grid_classification(capsys):
    completed = run_main(
        capsys,
        "tune",
        "--data",
        "iris",
        "--search",
        "grid",
        "--cv",
        "2",
        "--max-iter",
        "3",
        "--quiet",
        "--json",
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["task"] == "classification"
    assert result["search"] == "GridSearchCV"
    assert result["n_candidates"] == 18
    assert result["scoring"] == "accuracy"


def test_main_tune_hyperband_runs_its_brackets(capsys):
    completed = run_main(
        capsys, "tune", "--data", "iris", "--search", "hyperband", "--cv", "2",
        "--max-iter", "9", "--json",
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["search"] == "HyperbandSearchCV"
    # max_iter 9 from 9 // 27 -> 1: brackets of 9, 5 and 3 settings
    assert result["n_candidates"] == 9 + 3 + 1 + 5 + 2 + 3
    assert result["best_params"]["max_iter"] == 9
    assert "search:" in completed.stderr  # the progress bar, one step per rung


# -------------------------------------------------------------- data and helpers
def test_load_dataset_csv_columns_and_task(csv_file):
    dataset = load_dataset(str(csv_file), target="price")
    assert dataset.task == "regression"
    assert dataset.feature_names == ["size", "rooms", "colour", "kind"]
    assert dataset.numeric_columns == [0, 1]
    assert dataset.categorical_columns == [2, 3]
    assert dataset.X.shape == (60, 4)
    assert np.isnan(float(dataset.X[4, 1]))
    classes = load_dataset(str(csv_file), target="kind")
    assert classes.task == "classification"
    assert set(classes.y) == {"a", "b"}


def test_load_dataset_rejects_bad_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DatasetError, match="is empty"):
        load_dataset(str(empty), target="y")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,y\n1,2\n3\n")
    with pytest.raises(DatasetError, match="row 3 has 1 fields"):
        load_dataset(str(ragged), target="y")
    with pytest.raises(DatasetError, match="not a file"):
        load_dataset(str(tmp_path), target="y")


def test_one_line_keeps_the_innermost_error():
    message = (
        "\nAll the 2 fits failed.\nTraceback (most recent call last):\n  File x\n"
        "ValueError: first\n\nThe above exception...\nValueError: the real cause\n"
    )
    assert _one_line(ValueError(message)) == "the real cause"
    assert _one_line(ValueError("plain")) == "plain"


def _has_cuda():
    import torch

    return torch.cuda.is_available()


# ------------------------------------------------------- issue 14: CSV targets
@pytest.fixture(scope="module")
def churn_file(tmp_path_factory):
    rng = np.random.RandomState(1)
    path = tmp_path_factory.mktemp("data") / "churn.csv"
    rows = ["tenure,plan,spend,churn,visits"]
    for i in range(80):
        tenure, spend = rng.randint(1, 60), rng.uniform(10, 90)
        plan = ["basic", "pro"][i % 2]
        churn = int(tenure < 20 or (plan == "basic" and spend > 70))
        rows.append(f"{tenure},{plan},{spend:.2f},{churn},{rng.randint(0, 400)}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_load_dataset_task_auto_uses_type_of_target(churn_file):
    churn = load_dataset(str(churn_file), target="churn")
    assert churn.task == "classification"
    assert "type_of_target: 'binary'" in churn.task_reason
    assert set(churn.y.tolist()) == {0, 1}
    # many distinct integers are a quantity, floats are one too
    visits = load_dataset(str(churn_file), target="visits")
    assert visits.task == "regression"
    assert "distinct integer values" in visits.task_reason
    spend = load_dataset(str(churn_file), target="spend")
    assert spend.task == "regression"
    assert "non-integer" in spend.task_reason
    forced = load_dataset(str(churn_file), target="churn", task="regression")
    assert forced.task == "regression" and forced.task_reason == "--task regression"


@pytest.mark.slow
def test_tune_csv_says_task_saves_model_that_reads_frames_and_files(
    capsys, churn_file, tmp_path
):
    pandas = pytest.importorskip("pandas")
    model_path, plot_path = tmp_path / "churn.joblib", tmp_path / "plot.png"
    completed = run_main(
        capsys,
        "tune",
        "--data",
        str(churn_file),
        "--target",
        "churn",
        "--model",
        "gd",
        *FAST,
        "--save",
        str(model_path),
        "--plot",
        str(plot_path),
    )
    assert completed.returncode == 0, completed.stderr
    assert "GDClassifier on churn.csv (classification" in completed.stdout
    assert "task: classification, as --target 'churn' has 2 distinct" in (
        completed.stdout
    )
    model = joblib.load(model_path)
    frame = pandas.read_csv(churn_file)
    expected = model.predict(load_dataset(str(churn_file), target="churn").X)
    shuffled = frame[["visits", "churn", "spend", "plan", "tenure"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_frame = model.predict(shuffled)
        from_file = model.predict(str(churn_file))
    np.testing.assert_array_equal(from_frame, expected)
    np.testing.assert_array_equal(from_file, expected)
    with pytest.raises(ValueError, match="lacks the column.*tenure"):
        model.predict(frame.drop(columns="tenure"))

    out = tmp_path / "predictions.csv"
    predicted = run_main(
        capsys, "predict", str(model_path), str(churn_file), "--output", str(out)
    )
    assert predicted.returncode == 0, predicted.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "churn" and len(lines) == 1 + len(frame)
    assert [int(line) for line in lines[1:]] == expected.tolist()
    to_stdout = run_main(capsys, "predict", str(model_path), str(churn_file))
    assert to_stdout.stdout.splitlines() == lines

    from PIL import Image

    with Image.open(plot_path) as image:
        assert min(image.info["dpi"]) >= 149.9


def test_predict_errors_print_one_line(capsys, tmp_path, csv_file):
    missing = run_main(capsys, "predict", str(tmp_path / "none.joblib"), str(csv_file))
    assert_one_line_error(missing, "none.joblib", "no such file")
    not_ours = tmp_path / "other.joblib"
    joblib.dump({"a": 1}, not_ours)
    assert_one_line_error(
        run_main(capsys, "predict", str(not_ours), str(csv_file)),
        "was not saved by 'skopt-est tune --save'",
    )


# ------------------------------------------------ issue 14: the search recipe
def _namespace(**overrides):
    from skopt_est.cli import build_parser

    return build_parser().parse_args(["tune", *overrides.pop("argv", [])])


def test_bayes_search_evaluates_the_defaults_first():
    from skopt_est.cli import recipe
    from skopt_est.cli.run import Progress

    args = _namespace(
        argv=[
            "--data",
            "iris",
            "--model",
            "gd",
            "--n-iter",
            "3",
            "--cv",
            "2",
            "--max-iter",
            "5",
            "--quiet",
        ]
    )
    dataset = load_dataset("iris")
    split = recipe.split(dataset, args)
    search, fit_params = recipe.make_search(dataset, args, Progress(disable=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(split["X_train"], split["y_train"], **fit_params)
    defaults = recipe.estimator(dataset, args).get_params()
    first = {
        k.removeprefix("model__"): v for k, v in search.cv_results_["params"][0].items()
    }
    assert first == {name: defaults[name] for name in first}
    assert len(search.cv_results_["params"]) == 3


def test_gd_recipe_trains_scikit_learns_sgd_model_first():
    from sklearn.linear_model import SGDClassifier

    from skopt_est.cli import recipe

    dataset = load_dataset("iris")
    model = recipe.estimator(dataset, _namespace(argv=["--model", "gd"]))
    peer = SGDClassifier(random_state=0)
    X, y = dataset.X.astype(float), dataset.y
    np.testing.assert_array_equal(model.fit(X, y).coef_, peer.fit(X, y).coef_)
    hyperband = _namespace(argv=["--model", "gd", "--search", "hyperband"])
    assert recipe.estimator(dataset, hyperband).max_iter == recipe.GD_HYPERBAND_EPOCHS


def _cv_results(fold_scores):
    scores = np.asarray(fold_scores, dtype=float)
    results = {"mean_test_score": scores.mean(axis=1)}
    for k in range(scores.shape[1]):
        results[f"split{k}_test_score"] = scores[:, k]
    return results


@pytest.mark.parametrize(
    ("fold_scores", "chosen"),
    [
        # the best is ahead of the defaults by less than its standard error
        ([[0.80, 0.90, 0.85], [0.80, 0.95, 0.86], [0.5, 0.5, 0.5]], 0),
        # ahead by more: the best is chosen
        ([[0.80, 0.82, 0.81], [0.90, 0.91, 0.92], [0.5, 0.5, 0.5]], 1),
        # the defaults are the best
        ([[0.90, 0.91, 0.92], [0.80, 0.82, 0.81], [np.nan] * 3], 0),
    ],
)
def test_gd_search_keeps_the_defaults_unless_beaten_by_a_standard_error(
    fold_scores, chosen
):
    from skopt_est.cli import recipe

    assert recipe.prefer_defaults(_cv_results(fold_scores)) == chosen


def test_budget_follows_the_size_of_the_data():
    from skopt_est.cli import recipe

    args = _namespace()
    budgets = [recipe.n_iter(load_dataset(name), args) for name in ("iris", "digits")]
    assert budgets[0] > budgets[1]
    assert recipe.n_iter(load_dataset("iris"), _namespace(argv=["--n-iter", "4"])) == 4


def test_device_error_uses_the_command_line_syntax(capsys):
    if _has_cuda():
        pytest.skip("this machine has CUDA")
    completed = run_main(capsys, "tune", "--device", "cuda")
    assert_one_line_error(completed, "--device cuda", "use --device cpu")
    assert "device='" not in completed.stderr
