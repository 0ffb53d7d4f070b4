"""MLPRegressor / MLPClassifier against scikit-learn, skorch and a bare torch loop.

Run ``python benchmarks/bench_mlp.py`` (about 8 minutes on a loaded 2-core CPU);
``--quick`` is a smoke test. The markdown tables go to stdout and to
``benchmarks/results/mlp.md`` (``mlp_cuda.md`` with ``--device cuda``).

One invocation measures every method, but each (problem, batch, method) is
timed in a fresh worker process (this script run with ``--worker SPEC``, which
prints one JSON line): scikit-learn's numpy MLP slows down 4-10x when torch's
OpenMP threads have run in the same process, and a fresh process per method
gives every peer a clean start. Times are medians of ``--repeats`` fits
(after one untimed warm-up epoch on a slice, so import and first-call costs
are not billed); the quality metric is computed on a held-out test split
after the last fit, so it sits beside every time. The ratios divide by the
scikit-learn row of the same problem and batch, measured in the same run.

Problems (float32, features standardised on the training split):

- regression: ``make_regression(n_samples + n_test, 50, n_informative=30,
  noise=5)`` with ``y <- y + 0.1 * y**2 / std(y)`` (a mild non-linearity),
  ``y`` standardised; 50 000 training rows, 12 500 test rows; quality R².
  Hidden layers (128, 64), relu, Adam lr 1e-3, exactly 20 epochs
  (``max_iter=20, tol=0, n_iter_no_change=10**6``, no early stopping),
  batch 32 and 256.
- digits: ``load_digits`` split 75/25 (stratified, seed 0); hidden (100,),
  relu, Adam lr 1e-3, exactly 50 epochs, batch 64; quality accuracy.

Matched settings: skopt_est and scikit-learn run at their defaults otherwise
(``alpha=1e-4`` L2 penalty, shuffling every epoch, Glorot-uniform init in
scikit-learn, torch's default init in skopt_est). The bare torch loop and
skorch fit the same module (``Linear-ReLU-...-Linear``, torch default init)
with ``torch.optim.Adam(lr=1e-3)`` on ``0.5 * mse`` / cross-entropy, no
penalty (the 1e-4 L2 term changes neither time nor quality measurably).

Threads: skopt_est picks its own (one intra-op thread for small CPU batches).
The bare torch loop (Adam ``fused=True``, per-epoch ``randperm`` + index
slicing) is tried under 1 and 2 intra-op threads on a one-epoch cut-down fit;
the faster count is used for the timed fits and the table says which.
skorch runs under one intra-op thread (the faster count for these batch sizes).
scikit-learn's BLAS (OpenBLAS) is tried under 1 and 2 threads the same way
(``threadpoolctl``): on a busy 2-core machine two BLAS threads made its
batch-256 fit 40x slower, which would flatter every ratio.
The predict workers use one thread (BLAS or torch intra-op) for every method
but skopt_est, which picks its own.

skorch collates item by item and is slow, so it is timed ``--skorch-repeats``
times (default: once at batch 32, where one fit takes about a minute on a
loaded 2-core machine, else ``--repeats``; the table gives n for every row).

``--device cuda`` puts skopt_est, the torch loop and skorch on the GPU
(scikit-learn stays on the CPU), and ``--scale 10`` multiplies the regression
training set tenfold; without CUDA the script says so and exits 0.

The predict table times ``--predict-calls`` calls of ``predict`` on one row
(each call timed alone; median and 90th percentile per call), after 50 warm-up
calls, on the regression model (batch 256, one epoch) and the digits model.
"""

from __future__ import annotations

import json
import os
import shlex
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _common import (  # noqa: E402
    Result,
    base_parser,
    environment_summary,
    format_ratio,
    format_seconds,
    markdown_table,
    time_repeated,
    write_result_file,
)

SEED = 0
N_SAMPLES = 50_000
N_FEATURES = 50
LR = 1e-3
REGRESSION = dict(hidden=(128, 64), epochs=20, batches=(32, 256))
DIGITS = dict(hidden=(100,), epochs=50, batches=(64,))
QUICK = dict(n_samples=2_000, regression_epochs=2, digits_epochs=3)
METHODS = ("scikit-learn", "skopt_est", "bare torch loop", "skorch")
PREDICT_METHODS = ("scikit-learn", "skopt_est", "bare torch loop", "skorch")
TOLERANCE = {"regression": 0.002, "digits": 0.01}
# A worker that runs longer than this is killed and its row reported missing.
WORKER_TIMEOUT_S = 900


# ------------------------------------------------------------------ data
@dataclass
class Problem:
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    hidden: tuple[int, ...]
    epochs: int

    @property
    def is_regression(self) -> bool:
        return self.name == "regression"

    @property
    def n_outputs(self) -> int:
        return 1 if self.is_regression else int(self.y_train.max()) + 1


def make_problem(name: str, *, n_samples: int, quick: bool) -> Problem:
    from sklearn.preprocessing import StandardScaler

    if name == "regression":
        from sklearn.datasets import make_regression

        n_test = n_samples // 4
        X, y = make_regression(n_samples + n_test, N_FEATURES, n_informative=30,
                               noise=5.0, random_state=SEED)
        y = y + 0.1 * y ** 2 / y.std()
        X_train, X_test = X[:n_samples], X[n_samples:]
        y_train, y_test = y[:n_samples], y[n_samples:]
        y_mean, y_std = y_train.mean(), y_train.std()
        y_train = ((y_train - y_mean) / y_std).astype(np.float32)
        y_test = ((y_test - y_mean) / y_std).astype(np.float32)
        epochs = QUICK["regression_epochs"] if quick else REGRESSION["epochs"]
        hidden = REGRESSION["hidden"]
    else:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split

        X, y = load_digits(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=SEED)
        y_train, y_test = y_train.astype(np.int64), y_test.astype(np.int64)
        epochs = QUICK["digits_epochs"] if quick else DIGITS["epochs"]
        hidden = DIGITS["hidden"]
    scaler = StandardScaler().fit(X_train)
    X_train = scaler.transform(X_train).astype(np.float32)
    X_test = scaler.transform(X_test).astype(np.float32)
    return Problem(name, X_train, y_train, X_test, y_test, hidden, epochs)


def score(problem: Problem, predictions: np.ndarray) -> float:
    predictions = np.asarray(predictions)
    if problem.is_regression:
        from sklearn.metrics import r2_score

        return float(r2_score(problem.y_test, predictions.reshape(-1)))
    return float(np.mean(predictions.reshape(-1) == problem.y_test))


# ------------------------------------------------------------------ methods
# Each fit function returns (fitted, predict_fn, notes); predict_fn maps a
# float32 array to predictions (values or labels) as numpy.
def fit_sklearn(problem: Problem, batch: int, epochs: int, device: str,
                X=None, y=None):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    cls = MLPRegressor if problem.is_regression else MLPClassifier
    model = cls(hidden_layer_sizes=problem.hidden, activation="relu",
                solver="adam", learning_rate_init=LR, batch_size=batch,
                max_iter=epochs, tol=0.0, n_iter_no_change=10 ** 6,
                early_stopping=False, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(problem.X_train if X is None else X,
                  problem.y_train if y is None else y)
    return model, model.predict, f"n_iter_={model.n_iter_}"


def fit_skopt_est(problem: Problem, batch: int, epochs: int, device: str,
                  X=None, y=None):
    from skopt_est import MLPClassifier, MLPRegressor

    cls = MLPRegressor if problem.is_regression else MLPClassifier
    model = cls(hidden_layer_sizes=problem.hidden, activation="relu",
                solver="adam", learning_rate_init=LR, batch_size=batch,
                max_iter=epochs, tol=0.0, n_iter_no_change=10 ** 6,
                early_stopping=False, random_state=SEED, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at exactly max_iter
        model.fit(problem.X_train if X is None else X,
                  problem.y_train if y is None else y)
    return model, model.predict, f"n_iter_={model.n_iter_}"


def build_module(problem: Problem, n_features: int):
    from torch import nn

    layers, width = [], n_features
    for size in problem.hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    layers.append(nn.Linear(width, problem.n_outputs))
    return nn.Sequential(*layers)


def _torch_targets(problem: Problem, y: np.ndarray):
    import torch

    y = torch.from_numpy(np.ascontiguousarray(y))
    return y[:, None] if problem.is_regression else y.long()


def _loss_fn(problem: Problem):
    import torch.nn.functional as F

    if problem.is_regression:
        return lambda output, target: 0.5 * F.mse_loss(output, target)
    return F.cross_entropy


def _module_predictor(problem: Problem, module, device: str):
    import torch

    def predict(X: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            output = module(torch.from_numpy(X).to(device)).cpu().numpy()
        return output[:, 0] if problem.is_regression else output.argmax(axis=1)

    return predict


def fit_torch_loop(problem: Problem, batch: int, epochs: int, device: str,
                   X=None, y=None):
    """The loop a user writes by hand: randperm, index a batch, step."""
    import torch

    X = torch.from_numpy(problem.X_train if X is None else X).to(device)
    y = _torch_targets(problem, problem.y_train if y is None else y).to(device)
    torch.manual_seed(SEED)
    module = build_module(problem, X.shape[1]).to(device)
    optimizer = torch.optim.Adam(module.parameters(), lr=LR, fused=True)
    loss_fn = _loss_fn(problem)
    generator = torch.Generator(device=device).manual_seed(SEED)
    n_samples = X.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n_samples, generator=generator, device=device)
        for rows in order.split(batch):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(module(X[rows]), y[rows])
            loss.backward()
            optimizer.step()
    return module, _module_predictor(problem, module, device), ""


def fit_skorch(problem: Problem, batch: int, epochs: int, device: str,
               X=None, y=None):
    import torch
    from skorch import NeuralNetClassifier, NeuralNetRegressor
    from torch import nn

    class HalfMSELoss(nn.Module):
        def forward(self, output, target):
            return 0.5 * nn.functional.mse_loss(output, target)

    X = problem.X_train if X is None else X
    y = problem.y_train if y is None else y
    torch.manual_seed(SEED)
    common = dict(module=build_module(problem, X.shape[1]),
                  optimizer=torch.optim.Adam, lr=LR, max_epochs=epochs,
                  batch_size=batch, train_split=None,
                  iterator_train__shuffle=True, device=device, verbose=0)
    if problem.is_regression:
        net = NeuralNetRegressor(criterion=HalfMSELoss, **common)
        net.fit(X, y[:, None])

        def predict(X_new):
            return net.predict(X_new)[:, 0]
    else:
        net = NeuralNetClassifier(criterion=nn.CrossEntropyLoss, **common)
        net.fit(X, y)
        predict = net.predict
    return net, predict, ""


FITS = {"scikit-learn": fit_sklearn, "skopt_est": fit_skopt_est,
        "bare torch loop": fit_torch_loop, "skorch": fit_skorch}


# ------------------------------------------------------------------ worker
def _trial_rows(problem: Problem, batch: int) -> int:
    return min(len(problem.y_train), 100 * batch)


def run_fit_worker(spec: dict) -> dict:
    """Time ``spec['repeats']`` fits of one method; runs in its own process."""
    import torch

    problem = make_problem(spec["problem"], n_samples=spec["n_samples"],
                           quick=spec["quick"])
    method, batch, device = spec["method"], spec["batch"], spec["device"]
    fit = FITS[method]
    notes = []
    n_rows = _trial_rows(problem, batch)
    X_trial, y_trial = problem.X_train[:n_rows], problem.y_train[:n_rows]

    def trial():
        return fit(problem, batch, 1, device, X_trial, y_trial)

    if method == "bare torch loop" and device == "cpu":
        trial_times = {}
        for n_threads in (1, 2):
            torch.set_num_threads(n_threads)
            trial()  # warm the thread pool
            trial_times[n_threads] = min(time_repeated(trial, 2).times)
        best = min(trial_times, key=trial_times.get)
        torch.set_num_threads(best)
        other = max(trial_times.values()) / min(trial_times.values())
        notes.append(f"{best} thread(s), other count {other:.1f}x slower in "
                     f"1-epoch trial")
    elif method == "scikit-learn":
        # OpenBLAS with 2 threads on a busy 2-core machine can be 40x slower
        # than with 1; give scikit-learn the faster count, as the torch loop.
        from threadpoolctl import threadpool_limits

        trial_times = {}
        for n_threads in (1, 2):
            with threadpool_limits(limits=n_threads, user_api="blas"):
                trial()
                trial_times[n_threads] = min(time_repeated(trial, 2).times)
        best = min(trial_times, key=trial_times.get)
        threadpool_limits(limits=best, user_api="blas")  # for the timed fits
        other = max(trial_times.values()) / min(trial_times.values())
        notes.append(f"{best} BLAS thread(s), other count {other:.1f}x slower in "
                     f"1-epoch trial")
    elif method == "skorch" and device == "cpu":
        torch.set_num_threads(1)
        notes.append("1 thread")
        trial()
    else:
        trial()  # warm-up: imports, first-call dispatch, CUDA context
    timing = time_repeated(
        lambda: fit(problem, batch, problem.epochs, device), spec["repeats"])
    _, predict, fit_notes = timing.value
    times = timing.times
    quality = score(problem, predict(problem.X_test))
    if fit_notes:
        notes.append(fit_notes)
    return {"times": times, "quality": quality, "notes": ", ".join(notes),
            "threads": torch.get_num_threads()}


def run_predict_worker(spec: dict) -> dict:
    """Median wall time of ``predict`` on one row, each call timed alone."""
    import torch

    problem = make_problem(spec["problem"], n_samples=spec["n_samples"],
                           quick=spec["quick"])
    method, device = spec["method"], spec["device"]
    if method in ("bare torch loop", "skorch") and device == "cpu":
        torch.set_num_threads(1)
    if method == "scikit-learn":
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    batch = 256 if problem.is_regression else 64
    epochs = 1 if problem.is_regression else problem.epochs
    _, predict, _ = FITS[method](problem, batch, epochs, device)
    n_test = len(problem.X_test)
    rows = [problem.X_test[i % n_test:i % n_test + 1] for i in range(spec["calls"])]
    for row in rows[:50]:
        predict(row)
    per_call = []
    for row in rows:
        start = time.perf_counter()
        predict(row)
        per_call.append(time.perf_counter() - start)
    per_call.sort()
    return {"median": statistics.median(per_call),
            "p90": per_call[int(0.9 * (len(per_call) - 1))],
            "calls": len(per_call), "threads": torch.get_num_threads()}


def worker_main(spec_json: str) -> None:
    spec = json.loads(spec_json)
    if spec["kind"] == "fit":
        out = run_fit_worker(spec)
    else:
        out = run_predict_worker(spec)
    print("RESULT " + json.dumps(out), flush=True)


def call_worker(spec: dict, log) -> dict | None:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker",
               json.dumps(spec)]
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=WORKER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        log(f"  worker timed out after {WORKER_TIMEOUT_S} s: {spec}")
        return None
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    log(f"  worker failed (rc={done.returncode}): {spec}\n{done.stderr[-3000:]}")
    return None


# ------------------------------------------------------------------ driver
def problem_settings(name: str, quick: bool) -> dict:
    base = REGRESSION if name == "regression" else DIGITS
    epochs = (QUICK["regression_epochs" if name == "regression"
                    else "digits_epochs"] if quick else base["epochs"])
    return {"hidden": base["hidden"], "epochs": epochs, "batches": base["batches"]}


def run_fits(args, log) -> list[Result]:
    problems = ["regression", "digits"] if args.only is None else [args.only]
    methods = [m for m in METHODS if not (m == "skorch" and args.no_skorch)]
    results = []
    for name in problems:
        settings = problem_settings(name, args.quick)
        for batch in settings["batches"]:
            rows = []
            for method in methods:
                repeats = args.repeats
                if method == "skorch":
                    repeats = (args.skorch_repeats if args.skorch_repeats is not None
                               else 1 if batch <= 32 and not args.quick
                               else args.repeats)
                spec = dict(kind="fit", problem=name, batch=batch, method=method,
                            repeats=repeats, device=args.device,
                            n_samples=args.n_samples, quick=args.quick)
                log(f"{name} batch {batch}: {method} x{repeats}")
                start = time.perf_counter()
                out = call_worker(spec, log)
                if out is None:
                    continue
                seconds = statistics.median(out["times"])
                log(f"  {format_seconds(seconds)} s median "
                    f"({', '.join(f'{t:.2f}' for t in out['times'])}), quality "
                    f"{out['quality']:.4f}, worker {time.perf_counter() - start:.0f} s")
                on = "cpu" if method == "scikit-learn" else args.device
                setting = (f"{settings['hidden']} relu, Adam lr {LR:g}, "
                           f"{settings['epochs']} epochs, {on}")
                notes = ", ".join(x for x in (setting, out["notes"]) if x)
                rows.append(Result(name, str(batch), method, seconds,
                                   out["quality"], len(out["times"]), notes=notes,
                                   extra={"spread": f"{_spread(out['times']):.0%}"}))
            sklearn_rows = [r for r in rows if r.method == "scikit-learn"]
            for row in rows:
                if sklearn_rows:
                    row.baseline_seconds = sklearn_rows[0].seconds
            _ours_ratios(rows)
            results += rows
    return results


def _spread(times: list[float]) -> float:
    return (max(times) - min(times)) / statistics.median(times)


def _ours_ratios(rows: list[Result]) -> None:
    ours = [r for r in rows if r.method == "skopt_est"]
    if not ours:
        return
    for other in rows:
        if other.method == "bare torch loop":
            ours[0].extra["torch"] = format_ratio(ours[0].seconds / other.seconds)
        elif other.method == "skorch":
            ours[0].extra["skorch"] = format_ratio(ours[0].seconds / other.seconds)


def run_predicts(args, log) -> list[dict]:
    out_rows = []
    problems = ["regression", "digits"]
    methods = [m for m in PREDICT_METHODS if not (m == "skorch" and args.no_skorch)]
    for name in problems:
        for method in methods:
            spec = dict(kind="predict", problem=name, method=method,
                        device=args.device, n_samples=args.n_samples,
                        quick=args.quick, calls=args.predict_calls)
            log(f"predict one row, {name}: {method}")
            out = call_worker(spec, log)
            if out is None:
                continue
            log(f"  {out['median'] * 1e6:.1f} µs median per call")
            out_rows.append(dict(problem=name, method=method, **out))
    for name in problems:
        peer = [r for r in out_rows if r["problem"] == name
                and r["method"] == "scikit-learn"]
        for row in out_rows:
            if row["problem"] == name and peer:
                row["ratio"] = row["median"] / peer[0]["median"]
    return out_rows


# ------------------------------------------------------------------ report
def fit_table(results: list[Result]) -> str:
    headers = ["problem", "batch", "method", "time s (median, n)", "spread",
               "quality (test)", "time / sklearn", "ours / torch",
               "ours / skorch", "settings"]
    rows = [[r.task, r.batch, r.method,
             f"{format_seconds(r.seconds)} (n={r.repeats})", r.extra["spread"],
             f"{'R²' if r.task == 'regression' else 'acc'} {r.quality:.4f}",
             r.vs_baseline, r.extra.get("torch", ""), r.extra.get("skorch", ""),
             r.notes] for r in results]
    return markdown_table(headers, rows)


def predict_table(rows: list[dict]) -> str:
    headers = ["problem", "method", "µs per call (median)", "p90 µs",
               "calls", "time / sklearn", "torch threads"]
    return markdown_table(headers, [
        [r["problem"], r["method"], f"{r['median'] * 1e6:.1f}",
         f"{r['p90'] * 1e6:.1f}", str(r["calls"]),
         format_ratio(r["ratio"]) if "ratio" in r else "", str(r["threads"])]
        for r in rows])


def target_lines(results: list[Result], predicts: list[dict]) -> list[str]:
    def find(task, batch, method):
        return next((r for r in results if (r.task, r.batch, r.method)
                     == (task, batch, method)), None)

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**missed**"

    lines = []
    for task, batch, bound in (("regression", "256", 0.75),
                               ("regression", "32", 0.8),
                               ("digits", "64", 1.0)):
        ours, peer = find(task, batch, "skopt_est"), find(task, batch,
                                                          "scikit-learn")
        if ours and peer:
            ratio = ours.seconds / peer.seconds
            gap = abs(ours.quality - peer.quality)
            lines.append(
                f"- {task} batch {batch}: time {ratio:.2f}x scikit-learn "
                f"(target ≤ {bound:.2f}x) {verdict(ratio <= bound)}; quality gap "
                f"{gap:.4f} (target ≤ {TOLERANCE[task]}) "
                f"{verdict(gap <= TOLERANCE[task])}")
        skorch = find(task, batch, "skorch")
        if ours and skorch and task == "regression":
            speedup = skorch.seconds / ours.seconds
            lines.append(f"- {task} batch {batch}: {speedup:.1f}x faster than "
                         f"skorch (target ≥ 3x) {verdict(speedup >= 3)}")
    for name in ("regression", "digits"):
        ours = next((r for r in predicts if r["problem"] == name
                     and r["method"] == "skopt_est"), None)
        if ours and "ratio" in ours:
            lines.append(f"- predict one row ({name}): {ours['ratio']:.2f}x "
                         f"scikit-learn's time per call (target ≤ 1x) "
                         f"{verdict(ours['ratio'] <= 1.0)}")
    return lines


def render(results, predicts, args, command: str, loads) -> str:
    def fmt(load):
        return "n/a" if load is None else "/".join(f"{x:.2f}" for x in load)

    title = "MLP: skopt_est vs scikit-learn, skorch and a bare torch loop"
    lines = [f"# {title}" + (" (CUDA)" if args.device == "cuda" else ""), "",
             f"`{command}` on {environment_summary()}.", "",
             f"Load average (1/5/15 min) {fmt(loads[0])} before, {fmt(loads[1])} "
             f"after the run ({os.cpu_count()} cores; other jobs share this "
             f"machine, so compare ratios within this run, not across runs).", "",
             "Each method's fits run in a fresh worker process. 'time / sklearn' "
             "divides by scikit-learn's row of the same problem and batch; "
             "'ours / torch' and 'ours / skorch' below 1 mean skopt_est is "
             "faster. 'spread' is (max - min) / median of the repeats. "
             "Settings in the script's docstring.", ""]
    if results:
        lines += [markdown_table_title("Fit"), "", fit_table(results), ""]
    if predicts:
        lines += [markdown_table_title("predict on one row"), "",
                  f"{args.predict_calls} calls per method, each timed alone. "
                  "Regression model: (128, 64) relu after one epoch at batch 256; "
                  "digits model: (100,) relu.", "",
                  predict_table(predicts), ""]
    lines += ["## Targets", "", *target_lines(results, predicts)]
    return "\n".join(lines)


def _load_averages() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except (AttributeError, OSError):
        return None


def markdown_table_title(text: str) -> str:
    return f"## {text}"


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.splitlines()[0], default_samples=N_SAMPLES)
    parser.add_argument("--worker", help=argparse_hidden())
    parser.add_argument("--only", choices=("regression", "digits", "predict"))
    parser.add_argument("--no-skorch", action="store_true")
    parser.add_argument("--skorch-repeats", type=int, default=None,
                        help="timed skorch fits (default: 1 at batch 32, "
                             "where one fit takes minutes, else --repeats)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--scale", type=int, default=1,
                        help="multiply the regression training set (e.g. 10 on a GPU)")
    parser.add_argument("--predict-calls", type=int, default=2000)
    args = parser.parse_args(argv)
    if args.worker is not None:
        worker_main(args.worker)
        return 0
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            print("--device cuda: CUDA is not available on this machine; "
                  "nothing to measure.")
            return 0
    if args.quick:
        args.n_samples = QUICK["n_samples"]
        args.repeats = 1
        args.predict_calls = min(args.predict_calls, 200)
    args.n_samples *= args.scale

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    command = "python benchmarks/bench_mlp.py" + (
        " " + shlex.join(sys.argv[1:] if argv is None else argv)
        if (sys.argv[1:] if argv is None else argv) else "")
    loads = [_load_averages(), None]
    started = time.perf_counter()
    results = [] if args.only == "predict" else run_fits(args, log)
    predicts = (run_predicts(args, log) if args.only in (None, "predict")
                else [])
    loads[1] = _load_averages()
    log(f"total {time.perf_counter() - started:.0f} s")
    text = render(results, predicts, args, command, loads)
    print(text)
    if not args.quick:
        name = "mlp.md" if args.device == "cpu" else "mlp_cuda.md"
        print(f"\nwritten to {write_result_file(name, text)}", file=sys.stderr)
    return 0


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    sys.exit(main())
