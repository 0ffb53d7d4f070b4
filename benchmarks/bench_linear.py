"""GDRegressor / GDClassifier against scikit-learn, skorch and a bare torch loop.

Run ``python benchmarks/bench_linear.py`` (under 10 minutes on a loaded 2-core CPU);
``--quick`` is a smoke test. The markdown table goes to stdout and to
``benchmarks/results/linear.md``. Every number comes from one run of one process.

Problems (float32, features standardised on the training split, held-out test
split of ``n_samples // 4`` rows for the quality metric):

- regression: ``make_regression(n_features=100, n_informative=50, noise=100)``,
  ``y`` standardised too; quality is R² on the test split;
- classification: ``make_classification(n_features=100, n_informative=20,
  n_classes=3)``; quality is accuracy on the test split.

Matched settings (every method, every batch size): 5 epochs (``max_iter=5,
tol=None``), no penalty, zero initial weights, shuffling every epoch, plain SGD
(no momentum) at a constant learning rate, on the loss

- regression: ``squared_error``, i.e. ``0.5 * (output - y)**2``, mean over the
  batch (``0.5 * F.mse_loss`` in torch and skorch);
- classification: ``log_loss``; GDClassifier fits 3 classes as one multinomial
  model, as ``F.cross_entropy`` does in torch and skorch.
  SGDClassifier fits one-vs-rest binary logistic heads (it has no multinomial).

GD, the bare torch loop and skorch use the same learning rate at a given batch
size (``LEARNING_RATES``: larger batches take larger steps, and the full batch
makes only 5 steps). scikit-learn's SGD updates per sample, where these rates
diverge (a per-sample step must stay below ``2 / ||x||**2``, about 0.02 here),
so it runs at its own constant ``SKLEARN_ETA0``; its time is the ratio's
denominator for every row of its problem.

Batch sizes: ``default`` is the batch GD's ``batch_size='auto'`` gives off the
compiled kernel (``n_samples // 1000`` clipped to [1, 256]: 200 at 200k
rows; on the CPU with plain SGD 'auto' is the per-sample kernel, which the
``defaults`` rows time), given to every method as a number; then
256, 4096 and the full batch (skorch ``batch_size=-1``).

Threads: GD sets its own (one intra-op thread up to 1024 rows per batch). The
bare torch loop is timed under 1 and under 2 threads and the faster is
reported (the table says which): a one-epoch trial on ``20 * batch_size``
rows (all rows for the full batch) under each count picks the count, then the
full fits are timed under it; timing every full fit under both counts would
cost minutes, because two threads can be 10x slower when another process is
using a core. skorch follows GD's rule (1 thread up to 1024
rows, else torch's default). scikit-learn's SGD is single-threaded Cython.

The ``defaults`` rows fit ``GDRegressor()`` / ``SGDRegressor()`` and
``GDClassifier()`` / ``SGDClassifier()`` with every parameter at its default
(``tol=1e-3``, ``max_iter=1000``, GD's ``batch_size='auto'``), except
``random_state=0``: this is the headline target.

skorch is slow (item-by-item collation), so it is timed ``--skorch-repeats``
times (default 3 at batch 256, which the target is about, 1 elsewhere).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.preprocessing import StandardScaler
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import (  # noqa: E402
    Result,
    base_parser,
    environment_summary,
    format_ratio,
    format_seconds,
    load_average,
    markdown_table,
    pick_thread_count,
    time_repeated,
    torch_threads,
    write_result_file,
)

from skopt_est import GDClassifier, GDRegressor  # noqa: E402

N_FEATURES = 100
N_CLASSES = 3
N_EPOCHS = 5
SEED = 0
# GD's batch_size='auto' rule for linear models, as its docstring states.
AUTO_UPDATES_PER_EPOCH, AUTO_MAX_BATCH = 1000, 256
# GD's own thread rule: one intra-op thread up to this many rows per batch.
SINGLE_THREAD_MAX_BATCH = 1024
SKLEARN_ETA0 = {"regression": 0.001, "classification": 0.01}
LEARNING_RATES = {  # batch label -> constant lr of GD, the torch loop and skorch
    "regression": {"default": 0.05, "256": 0.05, "4096": 0.5, "full": 1.0},
    "classification": {"default": 0.1, "256": 0.1, "4096": 1.0, "full": 2.0},
}


@dataclass
class Problem:
    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    metric: str  # "R²" or "acc"


def make_problems(n_samples: int) -> list[Problem]:
    n_test = max(n_samples // 4, 1)
    X, y = make_regression(n_samples + n_test, N_FEATURES, n_informative=50,
                           noise=100.0, random_state=SEED)
    regression = _split_and_scale("regression", X, y, n_samples, scale_y=True)
    X, y = make_classification(n_samples + n_test, N_FEATURES, n_informative=20,
                               n_redundant=10, n_classes=N_CLASSES,
                               random_state=SEED)
    classification = _split_and_scale("classification", X, y, n_samples,
                                      scale_y=False)
    return [regression, classification]


def _split_and_scale(name, X, y, n_train, *, scale_y) -> Problem:
    scaler = StandardScaler().fit(X[:n_train])
    X = scaler.transform(X).astype(np.float32)
    if scale_y:
        y = (y - y[:n_train].mean()) / y[:n_train].std()
        y = y.astype(np.float32)
    return Problem(name, X[:n_train], y[:n_train], X[n_train:], y[n_train:],
                   "R²" if scale_y else "acc")


def batch_sizes(n_samples: int) -> dict[str, int | None]:
    auto = int(np.clip(n_samples // AUTO_UPDATES_PER_EPOCH, 1, AUTO_MAX_BATCH))
    return {"default": auto, "256": min(256, n_samples),
            "4096": min(4096, n_samples), "full": None}


# ------------------------------------------------------------------ methods
def fit_gd(problem: Problem, batch_size: int | str | None, lr: float):
    estimator_class = GDRegressor if problem.name == "regression" else GDClassifier
    extra = {} if problem.name == "regression" else {"loss": "log_loss"}
    return estimator_class(
        penalty=None, learning_rate="constant", eta0=lr, max_iter=N_EPOCHS,
        tol=None, batch_size=batch_size, random_state=SEED, **extra,
    ).fit(problem.X_train, problem.y_train)


def fit_sklearn(problem: Problem):
    if problem.name == "regression":
        estimator = SGDRegressor(penalty=None, learning_rate="constant",
                                 eta0=SKLEARN_ETA0["regression"],
                                 max_iter=N_EPOCHS, tol=None, random_state=SEED)
    else:
        estimator = SGDClassifier(loss="log_loss", penalty=None,
                                  learning_rate="constant",
                                  eta0=SKLEARN_ETA0["classification"],
                                  max_iter=N_EPOCHS, tol=None, random_state=SEED)
    return estimator.fit(problem.X_train, problem.y_train)


def fit_defaults(problem: Problem, library: str):
    if problem.name == "regression":
        estimator_class = GDRegressor if library == "gd" else SGDRegressor
    else:
        estimator_class = GDClassifier if library == "gd" else SGDClassifier
    return estimator_class(random_state=SEED).fit(problem.X_train, problem.y_train)


def _half_mse(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return 0.5 * F.mse_loss(output, target)


def _torch_targets(problem: Problem, y: np.ndarray) -> torch.Tensor:
    if problem.name == "regression":
        return torch.from_numpy(y)[:, None]
    return torch.from_numpy(y).long()


def _n_outputs(problem: Problem) -> int:
    return 1 if problem.name == "regression" else N_CLASSES


def fit_torch_loop(problem: Problem, batch_size: int | None, lr: float, *,
                   n_epochs: int = N_EPOCHS, n_rows: int | None = None) -> nn.Module:
    """The loop a user writes by hand: index a batch, forward, backward, step.

    ``n_epochs`` and ``n_rows`` cut the fit down for the thread-count trial.
    """
    X = torch.from_numpy(problem.X_train[:n_rows])
    y = _torch_targets(problem, problem.y_train[:n_rows])
    loss_fn = _half_mse if problem.name == "regression" else F.cross_entropy
    module = nn.Linear(N_FEATURES, _n_outputs(problem))
    with torch.no_grad():
        module.weight.zero_()
        module.bias.zero_()
    optimizer = torch.optim.SGD(module.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(SEED)
    n_samples = X.shape[0]
    for _ in range(n_epochs):
        if batch_size is None or batch_size >= n_samples:
            batches = [(X, y)]
        else:
            order = torch.randperm(n_samples, generator=generator)
            batches = ((X[rows], y[rows]) for rows in order.split(batch_size))
        for X_batch, y_batch in batches:
            optimizer.zero_grad()
            loss = loss_fn(module(X_batch), y_batch)
            loss.backward()
            optimizer.step()
    return module


class ZeroLinear(nn.Linear):
    """nn.Linear starting from zero weights, like GD (and no global RNG draw)."""

    def reset_parameters(self) -> None:
        nn.init.zeros_(self.weight)
        nn.init.zeros_(self.bias)


class HalfMSELoss(nn.Module):
    def forward(self, output, target):
        return _half_mse(output, target)


def fit_skorch(problem: Problem, batch_size: int | None, lr: float):
    from skorch import NeuralNetClassifier, NeuralNetRegressor

    common = dict(
        module=ZeroLinear, module__in_features=N_FEATURES,
        module__out_features=_n_outputs(problem), optimizer=torch.optim.SGD,
        lr=lr, max_epochs=N_EPOCHS, batch_size=-1 if batch_size is None
        else batch_size, train_split=None, iterator_train__shuffle=True,
        iterator_train__generator=torch.Generator().manual_seed(SEED), verbose=0,
    )
    if problem.name == "regression":
        net = NeuralNetRegressor(criterion=HalfMSELoss, **common)
        y = problem.y_train[:, None]
    else:
        net = NeuralNetClassifier(criterion=nn.CrossEntropyLoss, **common)
        y = problem.y_train.astype(np.int64)
    n_threads = 1 if (batch_size or len(y)) <= SINGLE_THREAD_MAX_BATCH else None
    with torch_threads(n_threads):
        return net.fit(problem.X_train, y)


# ------------------------------------------------------------------ quality
def score_estimator(problem: Problem, estimator) -> float:
    """R² or accuracy on the test split (skorch nets and sklearn estimators)."""
    if problem.name == "regression":
        from sklearn.metrics import r2_score

        return r2_score(problem.y_test, np.ravel(estimator.predict(problem.X_test)))
    return float(np.mean(estimator.predict(problem.X_test) == problem.y_test))


def score_module(problem: Problem, module: nn.Module) -> float:
    with torch.inference_mode():
        output = module(torch.from_numpy(problem.X_test)).numpy()
    if problem.name == "regression":
        from sklearn.metrics import r2_score

        return r2_score(problem.y_test, output[:, 0])
    return float(np.mean(output.argmax(axis=1) == problem.y_test))


# ------------------------------------------------------------------ running
def measure(problem: Problem, batch: str, method: str, fit: Callable,
            score: Callable, repeats: int, notes: str = "") -> Result:
    timing = time_repeated(fit, repeats)
    return Result(problem.name, batch, method, timing.median,
                  score(problem, timing.value), repeats, notes=notes)


def run_problem(problem: Problem, repeats: int, skorch_repeats: dict[str, int],
                include_skorch: bool, log: Callable[[str], None]) -> list[Result]:
    n_samples = len(problem.y_train)
    results = []
    log(f"{problem.name}: scikit-learn")
    sklearn_result = measure(problem, "1 (per sample)", "scikit-learn SGD",
                             lambda: fit_sklearn(problem), score_estimator, repeats,
                             f"eta0={SKLEARN_ETA0[problem.name]}")
    results.append(sklearn_result)
    for label, batch_size in batch_sizes(n_samples).items():
        lr = LEARNING_RATES[problem.name][label]
        # 'auto' now runs the per-sample kernel on the CPU, where these
        # rates diverge: the row times the torch path at the batch that
        # 'auto' gives off the kernel (another solver, a GPU)
        shown = f"{batch_size} (torch 'auto')" if label == "default" else label
        gd_batch = batch_size
        log(f"{problem.name}: batch {shown}")
        results.append(measure(problem, shown, "GD", lambda: fit_gd(
            problem, gd_batch, lr), score_estimator, repeats, f"lr={lr}"))
        n_threads, trial_times = pick_thread_count(lambda: fit_torch_loop(
            problem, batch_size, lr, n_epochs=1,
            n_rows=None if batch_size is None else 20 * batch_size))
        with torch_threads(n_threads):
            timing = time_repeated(lambda: fit_torch_loop(problem, batch_size, lr),
                                   repeats)
        slowdown = max(trial_times.values()) / min(trial_times.values())
        results.append(Result(
            problem.name, shown, "bare torch loop", timing.median,
            score_module(problem, timing.value), repeats,
            notes=f"lr={lr}, {n_threads} thread(s) (other count "
                  f"{slowdown:.1f}x slower in trial)"))
        if include_skorch:
            n_skorch = skorch_repeats.get(label, skorch_repeats["other"])
            results.append(measure(problem, shown, "skorch", lambda: fit_skorch(
                problem, batch_size, lr), score_estimator, n_skorch, f"lr={lr}"))
    for result in results:
        result.baseline_seconds = sklearn_result.seconds
    log(f"{problem.name}: defaults")
    defaults = []
    for library, method in (("sklearn", "scikit-learn SGD"), ("gd", "GD")):
        fitted = []

        def fit(library=library):
            fitted.append(fit_defaults(problem, library))
            return fitted[-1]

        result = measure(problem, "defaults", method + " ()", fit, score_estimator,
                         repeats)
        result.notes = f"n_iter_={fitted[-1].n_iter_}"
        defaults.append(result)
    for result in defaults:
        result.baseline_seconds = defaults[0].seconds
    return results + defaults


def _gd_ratios(results: list[Result]) -> None:
    """Fill 'GD vs torch' and 'GD vs skorch' on GD rows of the same batch."""
    for row in results:
        if row.method != "GD":
            continue
        for other in results:
            if (other.task, other.batch) != (row.task, row.batch):
                continue
            if other.method == "bare torch loop":
                row.extra["torch"] = format_ratio(row.seconds / other.seconds)
            elif other.method == "skorch":
                row.extra["skorch"] = format_ratio(row.seconds / other.seconds)


def render(results: list[Result], environment: str, command: str,
           loads: tuple[float | None, float | None]) -> str:
    _gd_ratios(results)
    headers = ["problem", "batch", "method", "time s (median)", "quality (test)",
               "time / sklearn", "GD / torch", "GD / skorch", "settings"]
    metric = {"regression": "R²", "classification": "acc"}
    rows = [[r.task, r.batch, r.method,
             f"{format_seconds(r.seconds)} (n={r.repeats})",
             f"{metric[r.task]} {r.quality:.4f}", r.vs_baseline,
             r.extra.get("torch", ""), r.extra.get("skorch", ""), r.notes]
            for r in results]
    lines = [
        "# Linear models: GD vs scikit-learn, skorch and a bare torch loop",
        "",
        f"`{command}` on {environment}.",
        "",
        f"1-minute load average {_format_load(loads[0])} before, "
        f"{_format_load(loads[1])} after the run"
        + (" (another process was using the CPU: two-thread timings are "
           "inflated)." if max(x or 0 for x in loads) > 1.5 else "."),
        "",
        "Matched rows: 5 epochs, constant lr, no penalty, zero init, plain SGD "
        "(settings in the script's docstring). 'time / sklearn' divides by the "
        "scikit-learn row of the same problem (matched rows) or by "
        "`SGD*()` (defaults rows); 'GD / torch' and 'GD / skorch' below 1 mean "
        "GD is faster.",
        "",
        markdown_table(headers, rows),
        "",
        "## Targets",
        "",
        *target_lines(results),
    ]
    return "\n".join(lines)


def _format_load(load: float | None) -> str:
    return "n/a" if load is None else f"{load:.2f}"


def target_lines(results: list[Result]) -> list[str]:
    def find(task, batch_prefix, method):
        for result in results:
            if (result.task == task and result.batch.startswith(batch_prefix)
                    and result.method == method):
                return result
        return None

    lines = []
    tolerance = {"regression": 0.001, "classification": 0.005}
    for task in ("regression", "classification"):
        gd, peer = find(task, "defaults", "GD ()"), find(task, "defaults",
                                                         "scikit-learn SGD ()")
        if gd and peer:
            is_fast = gd.seconds <= peer.seconds
            is_close = gd.quality >= peer.quality - tolerance[task]
            lines.append(
                f"- {task} defaults: GD {gd.seconds:.3f} s vs sklearn "
                f"{peer.seconds:.3f} s ({format_ratio(gd.seconds / peer.seconds)}) "
                f"{'PASS' if is_fast else 'FAIL'}; quality {gd.quality:.4f} vs "
                f"{peer.quality:.4f} (tolerance {tolerance[task]}) "
                f"{'PASS' if is_close else 'FAIL'}")
        gd, loop, net = (find(task, "256", "GD"), find(task, "256", "bare torch loop"),
                         find(task, "256", "skorch"))
        if gd and loop:
            lines.append(
                f"- {task} batch 256: GD {gd.seconds:.3f} s vs bare torch "
                f"{loop.seconds:.3f} s ({format_ratio(gd.seconds / loop.seconds)}) "
                f"{'PASS' if gd.seconds <= loop.seconds else 'FAIL'}")
        if gd and net:
            speedup = net.seconds / gd.seconds
            lines.append(
                f"- {task} batch 256: skorch / GD = {speedup:.1f}x (target >= 5x) "
                f"{'PASS' if speedup >= 5 else 'FAIL'}")
    return lines


def warm_up(problem: Problem) -> None:
    """One small untimed fit of each torch path (lazy initialisation)."""
    small = Problem(problem.name, problem.X_train[:2000], problem.y_train[:2000],
                    problem.X_test, problem.y_test, problem.metric)
    fit_gd(small, 256, 0.01)
    fit_torch_loop(small, 256, 0.01)


# ------------------------------------------------------------- sparse data
SPARSE_SHAPE = (30_000, 50_000)
SPARSE_NNZ_PER_ROW = 80
SPARSE_MLP_MAX_ITER = 10


def make_text_like(n_classes: int, n_samples: int = SPARSE_SHAPE[0],
                   n_features: int = SPARSE_SHAPE[1]):
    """Text-like sparse data: (X_train, y_train, X_test, y_test), float32 CSR.

    About ``SPARSE_NNZ_PER_ROW`` stored entries a row (Poisson), column ids
    drawn from a Zipf law (exponent 1.1, as word frequencies; duplicates are
    summed, which leaves about 65 distinct columns a row), positive values,
    rows L2-normalised; labels from a noisy linear model (the median split of
    one score for 2 classes, the argmax of ``n_classes`` scores otherwise);
    the first 80 % of rows train.
    """
    import scipy.sparse as sp

    rng = np.random.default_rng(SEED)
    counts = np.maximum(1, rng.poisson(SPARSE_NNZ_PER_ROW, n_samples))
    indptr = np.concatenate([[0], np.cumsum(counts)])
    columns = rng.permutation(n_features)[(rng.zipf(1.1, indptr[-1]) - 1)
                                          % n_features]
    values = (rng.random(indptr[-1]) + 0.1).astype(np.float32)
    X = sp.csr_matrix((values, columns, indptr), shape=(n_samples, n_features))
    X.sum_duplicates()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = (sp.diags((1.0 / np.maximum(norms, 1e-12)).astype(np.float32)) @ X)
    X = X.tocsr().astype(np.float32)
    n_scores = 1 if n_classes == 2 else n_classes
    scores = X @ (3.0 * rng.standard_normal((n_features, n_scores)))
    scores += 0.5 * rng.standard_normal(scores.shape)
    y = ((scores[:, 0] > np.median(scores[:, 0])).astype(int) if n_classes == 2
         else scores.argmax(axis=1))
    n_train = int(0.8 * n_samples)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _sparse_fitters(n_classes: int) -> dict[str, Callable]:
    from sklearn.neural_network import MLPClassifier as SkMLPClassifier

    from skopt_est import MLPClassifier

    mlp = dict(hidden_layer_sizes=(64,), max_iter=SPARSE_MLP_MAX_ITER,
               random_state=SEED)
    return {
        "SGDClassifier()": lambda: SGDClassifier(random_state=SEED),
        "GDClassifier()": lambda: GDClassifier(random_state=SEED),
        "GDClassifier(batch_size=64)": lambda: GDClassifier(
            batch_size=64, random_state=SEED),
        "GDClassifier(batch_size=256)": lambda: GDClassifier(
            batch_size=256, random_state=SEED),
        "GDClassifier(batch_size=None)": lambda: GDClassifier(
            batch_size=None, random_state=SEED),
        "sklearn MLPClassifier((64,))": lambda: SkMLPClassifier(**mlp),
        "MLPClassifier((64,))": lambda: MLPClassifier(**mlp),
    }


_PEAK_SCRIPT = """
import gc, resource, sys, warnings
sys.path[:0] = {paths!r}
warnings.simplefilter("ignore")
import numpy as np, scipy.sparse as sp
from bench_linear import _sparse_fitters, _resident_kib
X = sp.load_npz({path!r}); y = np.load({labels!r})
fitter = _sparse_fitters({n_classes})[{name!r}]
# a first small fit loads what any fit loads once a process (the compiled
# kernel, torch's lazily built ops, thread pools): not this data's cost
fitter().fit(X[:500], y[:500])
estimator = fitter()
gc.collect()
before, reset = _resident_kib(reset_peak=True)
estimator.fit(X, y)
peak = _resident_kib()[1] if reset else resource.getrusage(
    resource.RUSAGE_SELF).ru_maxrss
print((peak - before) * 1024)
"""


def _resident_kib(reset_peak: bool = False) -> tuple[int, bool]:
    """(resident set size now, in KiB; whether the peak was reset), or with
    ``reset_peak=False`` (now, the peak since the last reset).

    Linux resets the peak (``VmHWM``) on writing 5 to
    ``/proc/self/clear_refs``. Without that the peak is the process's
    lifetime ``ru_maxrss``, which loading the data may already have set
    (``load_npz``'s temporaries): a fit's growth then reads 0.
    """
    def status(field):
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise OSError(field)

    try:
        if reset_peak:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
            return status("VmRSS"), True
        return status("VmRSS"), status("VmHWM")
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, False


def fit_peak_bytes(name: str, n_classes: int, X, y, workdir: Path) -> int:
    """Peak resident memory of one fit above the resident memory just
    before it, in a fresh subprocess that has loaded the training data
    (``VmHWM`` after the fit, reset before it, minus ``VmRSS`` before it:
    everything the fit touches, numpy, scipy and torch's allocations alike;
    the fitted weights count, the loaded CSR does not). A fit on the first
    500 rows runs first, so that one-off loading is not counted."""
    import subprocess

    import scipy.sparse as sp

    path, labels = workdir / "X.npz", workdir / "y.npy"
    sp.save_npz(path, X, compressed=False)
    np.save(labels, y)
    here = Path(__file__).resolve().parent
    script = _PEAK_SCRIPT.format(paths=[str(here), str(here.parent)],
                                 path=str(path), labels=str(labels),
                                 n_classes=n_classes, name=name)
    output = subprocess.run([sys.executable, "-c", script], check=True,
                            capture_output=True, text=True).stdout
    return int(output.split()[-1])


def _weight_bytes(estimator) -> int:
    """Bytes of the fitted weights (coef_ and intercept_, or the MLP's
    coefs_ and intercepts_)."""
    arrays = [getattr(estimator, name, None) for name in ("coef_", "intercept_")]
    for name in ("coefs_", "intercepts_"):
        arrays += list(getattr(estimator, name, []))
    return sum(np.asarray(a).nbytes for a in arrays if a is not None)


def _peak_cell(peak: int, csr_bytes: int, weight_bytes: int) -> list[str]:
    """The two memory cells: the growth, and issue 12's target (the peak,
    the loaded CSR plus the growth, under 3x the CSR and the weights
    together: Adam's two moments and the gradient are already three copies
    of the weights, so ``3 x CSR + weights`` could not hold for an MLP whose
    first layer is the CSR's size)."""
    total = csr_bytes + peak
    limit = 3 * (csr_bytes + weight_bytes)
    return [f"{peak / 2**20:.0f} MiB ({peak / csr_bytes:.1f}x CSR)",
            f"{'yes' if total <= limit else 'no'} ({total / limit:.2f} of it)"]


def run_sparse(repeats: int, log: Callable[[str], None],
               names: list[str] | None = None,
               shape: tuple[int, int] = SPARSE_SHAPE) -> list[str]:
    """The sparse section: one markdown table over 2 and 20 classes."""
    import tempfile

    headers = ["classes", "method", "time s (median)", "acc (test)",
               "time / SGDClassifier()", "n_iter_", "fit peak RSS growth",
               "CSR + growth <= 3 (CSR + weights)"]
    rows = []
    for n_classes in (2, 20):
        X_train, y_train, X_test, y_test = make_text_like(n_classes, *shape)
        csr_bytes = (X_train.data.nbytes + X_train.indices.nbytes
                     + X_train.indptr.nbytes)
        baseline = None
        for name, make in _sparse_fitters(n_classes).items():
            if names is not None and name not in names:
                continue
            log(f"sparse {n_classes} classes: {name}")
            timing = time_repeated(lambda: make().fit(X_train, y_train), repeats)
            estimator = timing.value
            if baseline is None:
                baseline = timing.median
            with tempfile.TemporaryDirectory() as workdir:
                peak = fit_peak_bytes(name, n_classes, X_train, y_train,
                                      Path(workdir))
            rows.append([
                str(n_classes), f"`{name}`",
                f"{format_seconds(timing.median)} (n={repeats})",
                f"{estimator.score(X_test, y_test):.4f}",
                format_ratio(timing.median / baseline),
                str(getattr(estimator, "n_iter_", "")),
                *_peak_cell(peak, csr_bytes, _weight_bytes(estimator))])
    return [
        "## Sparse text-like data",
        "",
        f"{shape[0]} x {shape[1]} float32 CSR, about "
        f"{SPARSE_NNZ_PER_ROW} entries a row before duplicates are summed "
        "(Zipf column ids), L2-normalised rows, labels from a noisy linear "
        "model, 80 % train (`make_text_like`). Every estimator at its defaults "
        "but `random_state=0`; both MLPs with `hidden_layer_sizes=(64,)` and "
        f"`max_iter={SPARSE_MLP_MAX_ITER}` (the same cut for both, to keep the "
        "run short). 'fit peak RSS growth' is the peak resident memory of "
        "the fit (`VmHWM`, reset just before it) minus the resident memory "
        "before it, in a fresh subprocess that has loaded the training CSR "
        "(whose size is the 'x CSR' unit) and fitted its first 500 rows "
        "once (what loads once a process is not counted); the last column "
        "checks issue 12's target, the loaded CSR plus that growth under 3x "
        "(the CSR plus the fitted weights), read so because Adam's two "
        "moments and the gradient alone are 3x the weights, which for the "
        "MLPs' (64,) first layer (50 000 x 64 float32) are the CSR's size.",
        "",
        markdown_table(headers, rows),
    ]


# ------------------------------------------------- all defaults, converged
def make_default_problems():
    """Issue 11's data: (name, X_train, y_train, X_test, y_test) per task."""
    X, y = make_classification(200_000, 100, n_informative=30, random_state=SEED)
    n_train = 160_000
    scaler = StandardScaler().fit(X[:n_train])
    X = scaler.transform(X).astype(np.float32)
    problems = [("classification", X[:n_train], y[:n_train], X[n_train:],
                 y[n_train:])]
    X, y = make_regression(200_000, 100, n_informative=50, noise=10,
                           random_state=SEED)
    scaler = StandardScaler().fit(X[:n_train])
    X = scaler.transform(X).astype(np.float32)
    problems.append(("regression", X[:n_train], y[:n_train], X[n_train:],
                     y[n_train:]))
    return problems


def run_defaults(repeats: int, log: Callable[[str], None]) -> list[str]:
    """'All defaults, to convergence': GD*() against SGD*()."""
    headers = ["problem", "method", "time s (median)", "score (test)",
               "time / SGD*()", "n_iter_"]
    rows = []
    for name, X_train, y_train, X_test, y_test in make_default_problems():
        peers = ((SGDClassifier, GDClassifier) if name == "classification"
                 else (SGDRegressor, GDRegressor))
        baseline = None
        for estimator_class in peers:
            log(f"defaults {name}: {estimator_class.__name__}")
            timing = time_repeated(lambda: estimator_class(
                random_state=SEED).fit(X_train, y_train), repeats)
            baseline = baseline or timing.median
            metric = "acc" if name == "classification" else "R²"
            rows.append([name, f"`{estimator_class.__name__}()`",
                         f"{format_seconds(timing.median)} (n={repeats})",
                         f"{metric} {timing.value.score(X_test, y_test):.4f}",
                         format_ratio(timing.median / baseline),
                         str(timing.value.n_iter_)])
    return [
        "## All defaults, to convergence",
        "",
        "`make_classification(200_000, 100, n_informative=30)` and "
        "`make_regression(200_000, 100, n_informative=50, noise=10)`, "
        "`random_state=0`, standardised on the training split, float32, 80 % "
        "train; every parameter at its default but `random_state=0`.",
        "",
        markdown_table(headers, rows),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__.splitlines()[0], default_samples=200_000)
    parser.add_argument("--skorch-repeats", type=int, default=None,
                        help="skorch fits per setting (default: --repeats at "
                        "batch 256, 1 elsewhere)")
    parser.add_argument("--no-skorch", action="store_true", help="skip skorch")
    parser.add_argument("--only", choices=("matched", "sparse", "defaults"),
                        action="append", help="run only these sections "
                        "(repeatable; default: all three)")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_samples = min(args.n_samples, 20_000)
        args.repeats = 1
    repeats = max(args.repeats, 1)
    if args.skorch_repeats is not None:
        skorch_repeats = {"other": args.skorch_repeats}
    else:
        skorch_repeats = {"256": repeats, "other": 1}
    command = "python benchmarks/bench_linear.py " + " ".join(
        argv if argv is not None else sys.argv[1:])
    environment = environment_summary()

    def log(message: str) -> None:
        print(f"... {message}", file=sys.stderr, flush=True)

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    sections = set(args.only or ("matched", "sparse", "defaults"))
    load_before = load_average()
    parts = []
    if "matched" in sections:
        problems = make_problems(args.n_samples)
        warm_up(problems[0])
        results = []
        for problem in problems:
            results += run_problem(problem, repeats, skorch_repeats,
                                   not args.no_skorch, log)
        parts.append(render(results, environment, command.strip(),
                            (load_before, load_average())))
    else:
        parts.append(f"`{command.strip()}` on {environment}.")
    if "defaults" in sections:
        parts.append("\n".join(run_defaults(repeats, log)))
    if "sparse" in sections:
        shape = (3000, 5000) if args.quick else SPARSE_SHAPE
        parts.append("\n".join(run_sparse(repeats, log, shape=shape)))
    if sections != {"matched"}:
        parts.append(f"1-minute load average {_format_load(load_before)} "
                     f"before, {_format_load(load_average())} after the run.")
    report = "\n\n".join(parts)
    print(report)
    # only a full run replaces the stored results
    if not args.quick and args.only is None:
        path = write_result_file("linear.md", report)
        print(f"\nwritten to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
