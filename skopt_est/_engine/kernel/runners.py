"""A compiled per-sample SGD epoch for linear models on the CPU.

At ``batch_size=1`` each torch update costs about ten ops of Python and
dispatch, 50-500 times scikit-learn's SGD on small data (issue 15). For the
fits it covers, the epoch runs as one call of a small C kernel
(``_engine/kernel/sgd.c``, bound by the Cython module ``_sgd``): scikit-learn's
per-sample SGD (``_plain_sgd``) with its scaled weights, cumulative L1
penalty, averaging and, on sparse rows, its intercept decay, over dense or CSR
rows of float32 or float64. The kernel is compiled when the package is built
or installed (``setup.py``), as scikit-learn's ``_sgd_fast``; a package whose
kernel cannot be imported is a broken install and fails at import, never
training a different model without a word. ``SKOPT_EST_NO_KERNEL=1`` runs the
torch path instead, on purpose (docs/user_guide/batch_modes.rst).

:func:`make_fast_epoch` decides once per fit. Where scikit-learn fits one
binary (or regression) problem per head, which the estimators say by
``spec.sgd_seeds``, it returns :class:`_ExactHeads`: scikit-learn's SGD
itself, with its seeds, shuffle, weights, stop rule and early-stopping split,
so that a fit equals ``SGDClassifier``'s / ``SGDRegressor``'s at the same
``random_state`` (tests/test_sklearn_parity.py). Otherwise (the multinomial
log loss, multi-output regression) it returns :class:`_FastEpoch`, all heads
in one pass, which draws the torch path's permutation and advances the
stepper's counters and clock as :meth:`Stepper.step` does. In the same row
order both give the torch path's updates to rounding (tests/test_fastsgd.py).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
import torch
from joblib import effective_n_jobs

from ..losses import r2_score
from ..report import SGDReport
from ..schedules import PASSIVE_AGGRESSIVE, clock_lr, is_clock_schedule
from ..stop import ADAPTIVE_DIVISOR, MIN_ADAPTIVE_LR

try:
    from ._sgd import (
        LOGISTIC_CODE,
        LOSS_CODES,
        MULTINOMIAL_CODE,
        SCHEDULE_CODES,
        SGDState,
    )
except ImportError as error:  # a broken install: never a silent other model
    raise ImportError(
        "skopt_est's compiled SGD kernel (skopt_est._engine.kernel._sgd) cannot "
        f"be imported ({error}). The installation is incomplete or was built "
        "for another Python: reinstall it with `pip install --force-reinstall "
        "--no-cache-dir skopt-est`, or from a source checkout with `pip install "
        "-e .` (building needs a C compiler)."
    ) from error

DISABLE_ENV = "SKOPT_EST_NO_KERNEL"


def kernel_disabled() -> bool:
    """Whether the user asked for the torch path (``SKOPT_EST_NO_KERNEL=1``)."""
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


_REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive",
                      "squared_epsilon_insensitive")

# scikit-learn's SGD moves the intercept of a sparse fit at 1 % of the
# weights' rate (SPARSE_INTERCEPT_DECAY), against the intercept's unscaled
# and hence noisier updates
SPARSE_INTERCEPT_DECAY = 0.01
# wscale below which the scaled weights are rescaled: scikit-learn's
# thresholds per dtype (its rescaling also folds the averaging trick, so the
# averages with L1 depend on when it happens)
_RESCALE_BELOW = {torch.float64: 1e-9, torch.float32: 1e-6}


def _loss_code(loss) -> tuple[int, float] | None:
    """(the kernel's loss code, the divisor of a head's loss) or None."""
    if loss.name == "log_loss":
        return {"binary": (LOGISTIC_CODE, 1.0),
                "onehot": (MULTINOMIAL_CODE, 1.0)}.get(loss.target_kind)
    code = LOSS_CODES.get(loss.name)
    if code is None:
        return None
    if loss.name in _REGRESSION_LOSSES + ("poisson",):
        # regression: the mean over outputs; GDClassifier's ±1-coded heads
        # (target_kind 'sign') each count in full
        return (code, None) if loss.target_kind == "real" else (
            (code, 1.0) if loss.target_kind == "sign" else None)
    return code, 1.0


def _csr_parts(X) -> tuple | None:
    """(indptr int64, indices int32, values) of a scipy or torch CSR matrix,
    kept alive by the caller; None if ``X`` is neither."""
    if isinstance(X, torch.Tensor):
        if X.layout != torch.sparse_csr or X.device.type != "cpu":
            return None
        indptr = X.crow_indices().to(torch.int64).contiguous()
        indices = X.col_indices().to(torch.int32).contiguous()
        values = X.values().contiguous()
        return indptr, indices, values
    if not sp.issparse(X) or X.format != "csr":
        return None
    indptr = torch.from_numpy(np.ascontiguousarray(X.indptr, dtype=np.int64))
    indices = torch.from_numpy(np.ascontiguousarray(X.indices, dtype=np.int32))
    values = torch.from_numpy(np.ascontiguousarray(X.data))
    return indptr, indices, values


def _is_sparse(X) -> bool:
    return sp.issparse(X) or (isinstance(X, torch.Tensor)
                              and X.layout != torch.strided)


def make_fast_epoch(module, train, spec, objective, stepper, state,
                    validation=None
                    ) -> Callable[[torch.Generator], float] | None:
    """The compiled epoch of this fit, or None where the torch path must run.

    Eligible: a CPU fit of a :class:`LinearModel` without dropout, at
    ``batch_size=1`` (more than one row), plain SGD without momentum
    (``solver='sgd'``, ``momentum=0``, one parameter group), X dense or CSR
    (scipy or torch) of float32 or float64, any penalty (L2, L1, elastic
    net), any ``average``, any learning-rate schedule (the per-update clocks
    are evaluated in the kernel, the rest hold the rate constant within an
    epoch), and a loss the kernel codes: every regression loss (also
    GDClassifier's ±1-coded ones), hinge, perceptron, squared hinge,
    modified Huber, binary and multinomial log loss.
    """
    from ..modules import LinearModel

    coded = _loss_code(spec.loss)
    if not (type(module) is LinearModel and module.input_dropout.p == 0
            and coded is not None and spec.batch_size == 1
            and train.n_samples > 1 and spec.solver == "sgd"
            and spec.momentum == 0 and not objective.decoupled_l2
            and not objective.per_batch_weight
            and len(stepper.optimizer.param_groups) == 1
            and train.device.type == "cpu"
            and train.dtype in _RESCALE_BELOW):
        return None
    sparse = _is_sparse(train.X)
    csr = _csr_parts(train.X) if sparse else None
    if sparse and csr is None:
        return None
    weight, bias = module.linear.weight, module.linear.bias
    dense = [train.y, weight] + ([] if sparse else [train.X])
    if train.sample_weight is not None:
        dense.append(train.sample_weight)
    if bias is not None:
        dense.append(bias)
    if csr is not None:
        dense.append(csr[2])
    if any(t.dtype != train.dtype or not t.is_contiguous()
           or t.device.type != "cpu" for t in dense):
        return None
    if kernel_disabled():
        return None
    if _one_fit_per_head(spec, coded, weight.shape[0]):
        return _ExactHeads(module, train, spec, stepper, state, coded, csr,
                           validation)
    if spec.learning_rate in PASSIVE_AGGRESSIVE:  # one head per problem only
        return None
    return _FastEpoch(module, train, spec, objective, stepper, state, coded,
                      csr)


def check_kernel_ran(spec, fast_epoch) -> None:
    """Refuse a fit whose schedule only the per-head kernel has ('pa1',
    'pa2') where it does not run."""
    if spec.learning_rate in PASSIVE_AGGRESSIVE and not isinstance(
            fast_epoch, _ExactHeads):
        reason = ("SKOPT_EST_NO_KERNEL is set" if kernel_disabled() else
                  "this fit is not one per-sample problem per output on the CPU")
        raise ValueError(
            f"learning_rate={spec.learning_rate!r} runs on the compiled "
            f"per-sample kernel only, and {reason}: fit one output at a time "
            "on device='cpu' with solver='sgd', batch_size=1, or choose "
            "another learning_rate.")


def _one_fit_per_head(spec, coded, n_heads: int) -> bool:
    """Whether scikit-learn fits this as one binary (or regression) problem
    per head, each with its own seed (:class:`_ExactHeads`)."""
    return (len(spec.sgd_seeds) == n_heads and coded[0] != MULTINOMIAL_CODE
            and (n_heads == 1 or spec.loss.target_kind == "sign"))


class _FastEpoch:
    """One fit's compiled epochs: the C state and its buffers, across epochs.

    The working weights (double) persist from epoch to epoch,
    as scikit-learn's do within one fit; each epoch ends by writing the
    module's parameters, and the averages into ``state.averaged_params``
    (where the stepper's :class:`Averager` keeps them). A parameter changed
    in place between epochs is reloaded.
    """

    def __init__(self, module, train, spec, objective, stepper, state, coded,
                 csr) -> None:
        self._spec, self._stepper, self._state = spec, stepper, state
        self._n = train.n_samples
        self._weight, self._bias = module.linear.weight, module.linear.bias
        k, d = self._weight.shape
        double = {"dtype": torch.float64}
        # kept alive here: the C state points into them
        self._buffers = {
            "v": torch.zeros(d * k, **double), "vb": torch.zeros(k, **double),
            "out": torch.zeros(k, **double), "g": torch.zeros(k, **double),
            "yk": torch.zeros(k, **double)}
        self._keep = [train.X, train.y, train.sample_weight, csr]
        s = self._c = SGDState(train.dtype == torch.float32)
        s.n, s.d, s.k = self._n, d, k
        s.feature_major = int(csr is not None)
        if csr is None:
            s.X = train.X.data_ptr()
        else:
            s.indptr, s.indices, s.X = (t.data_ptr() for t in csr)
        s.Y = train.y.data_ptr()
        s.sw = None if train.sample_weight is None else train.sample_weight.data_ptr()
        s.W = self._weight.data_ptr()
        s.b = None if self._bias is None else self._bias.data_ptr()
        s.fit_intercept = int(self._bias is not None)
        code, head_div = coded
        s.loss, s.eps = code, spec.loss.epsilon
        s.head_div = float(k) if head_div is None else head_div
        s.clip = int(spec.loss.unbounded_gradient)
        self._per_update_clock = (is_clock_schedule(spec.learning_rate)
                                  and spec.clock == "updates")
        s.schedule = (SCHEDULE_CODES[spec.learning_rate]
                      if self._per_update_clock else 0)
        s.power_t, s.alpha, s.t0 = spec.power_t, spec.alpha, spec.optimal_init
        scale, l2, factor = objective.batch_terms(1)
        s.l2, s.l1, s.mean_w = l2, objective.penalty.l1 * factor, scale
        s.intercept_decay = SPARSE_INTERCEPT_DECAY if csr is not None else 1.0
        s.rescale_below = _RESCALE_BELOW[train.dtype]
        s.wscale, s.avg_a, s.avg_b = 1.0, 0.0, 1.0
        if s.l1:
            self._buffers["q"] = torch.zeros(d * k, **double)
        self._averages = None
        if spec.average_start:
            s.average_start = spec.average_start
            self._buffers["aw"] = torch.zeros(d * k, **double)
            self._buffers["ab"] = torch.zeros(k, **double)
            self._averages = state.averaged_params
            if self._averages is None:  # stored in the state once they start
                self._averages = [torch.zeros_like(self._weight.detach())] + (
                    [] if self._bias is None
                    else [torch.zeros_like(self._bias.detach())])
            s.AW = self._averages[0].data_ptr()
            s.Ab = None if self._bias is None else self._averages[1].data_ptr()
        for name, buffer in self._buffers.items():
            setattr(s, name, buffer.data_ptr())
        s.load(bool(state.averaged_params))
        self._versions = self._param_versions()

    def _param_versions(self):
        return [p._version for p in (self._weight, self._bias) if p is not None]

    def __call__(self, generator: torch.Generator) -> float:
        spec, state, s = self._spec, self._state, self._c
        if self._param_versions() != self._versions:  # changed between epochs
            s.load(False)
        # the torch path's draw (loop._epoch_batches)
        order = (torch.randperm(self._n, generator=generator) if spec.shuffle
                 else torch.arange(self._n))
        s.order = order.data_ptr()
        s.lr0 = spec.lr if self._per_update_clock else self._stepper.lr
        s.t, s.seen, s.n_averaged = (state.n_updates, state.n_samples_seen,
                                     state.n_averaged)
        total = s.epoch()
        s.sync()
        state.n_updates, state.n_samples_seen = s.t, s.seen
        if s.n_averaged > 0 and self._averages is not None:
            state.averaged_params = self._averages
            state.n_averaged = s.n_averaged
        self._versions = self._param_versions()
        if self._per_update_clock:
            self._stepper.set_lr(clock_lr(spec, state.n_updates))
        return total


_L1_RATIO = {"l2": 0.0, "l1": 1.0}


class _Head:
    """One head's C state and stop bookkeeping in :class:`_ExactHeads`."""

    def __init__(self, c_state, buffers, keep, lr: float,
                 minimise: bool) -> None:
        self.c = c_state
        self.buffers = buffers  # the working state (v, vb, ...), double
        self.keep = keep  # other tensors the C state points into
        self.lr = lr
        self.best = math.inf if minimise else -math.inf
        self.no_improvement = 0
        self.stopped = False
        self.loss_sum = 0.0
        self.best_params: list[torch.Tensor] | None = None


class _ExactHeads:
    """scikit-learn's SGD on the kernel: one ``_plain_sgd`` fit per head.

    As ``SGDClassifier`` (one binary problem per class, ``fit_binary``) and
    ``SGDRegressor``: each head has its own shuffle seed
    (``spec.sgd_seeds``), its dataset's order, reshuffled in place by
    scikit-learn's Fisher-Yates at every epoch start, its class weights
    (``spec.head_weights``) times the raw sample weights, its learning rate
    (``'adaptive'``) and its stop rule on its own objective (or validation
    score); a head that stopped waits while the others go on, so the fit's
    epochs are the maximum over the heads. The engine's stop rule is not
    used (``owns_stop``): :meth:`end_epoch` decides.
    """

    owns_stop = True

    def __init__(self, module, train, spec, stepper, state, coded, csr,
                 validation) -> None:
        self._spec, self._stepper, self._state = spec, stepper, state
        self._n = train.n_samples
        self._weight, self._bias = module.linear.weight, module.linear.bias
        self._validation = validation
        self._averages = None
        if spec.average_start:
            self._averages = state.averaged_params or (
                [torch.zeros_like(self._weight.detach())]
                + ([] if self._bias is None
                   else [torch.zeros_like(self._bias.detach())]))
        self._heads = [self._make_head(j, train, coded[0], csr)
                       for j in range(self._weight.shape[0])]
        for head in self._heads:
            head.c.load(bool(state.averaged_params))
        self._versions = self._param_versions()
        # scikit-learn's verbose lines, per head (report)
        self._reports = ([SGDReport(state.n_samples_seen) for _ in self._heads]
                         if spec.verbose else None)
        n_threads = min(effective_n_jobs(spec.n_jobs), len(self._heads))
        # the kernel releases the GIL for the epoch, so heads run in parallel
        self._pool = ThreadPoolExecutor(n_threads) if n_threads > 1 else None

    def _make_head(self, j, train, code, csr) -> _Head:
        spec, state = self._spec, self._state
        d = self._weight.shape[1]
        double = {"dtype": torch.float64}
        y = train.y[:, j].contiguous()
        index, row_of = self._dataset_order(train)
        buffers = {"v": torch.zeros(d, **double), "vb": torch.zeros(1, **double),
                   "out": torch.zeros(1, **double), "g": torch.zeros(1, **double)}
        l1_ratio = _L1_RATIO.get(spec.penalty, spec.l1_ratio)
        pen_alpha = spec.alpha if spec.penalty is not None else 0.0
        if pen_alpha and l1_ratio:
            buffers["q"] = torch.zeros(d, **double)
        if self._averages is not None:
            buffers["aw"] = torch.zeros(d, **double)
            buffers["ab"] = torch.zeros(1, **double)
        s = SGDState(train.dtype == torch.float32)
        s.n, s.d, s.k, s.feature_major = self._n, d, 1, 0
        if csr is None:
            s.X = train.X.data_ptr()
        else:
            s.indptr, s.indices, s.X = (t.data_ptr() for t in csr)
        s.Y, s.index, s.n_index = y.data_ptr(), index.data_ptr(), len(index)
        s.row_of = None if row_of is None else row_of.data_ptr()
        s.sw = (None if train.sample_weight is None
                else train.sample_weight.data_ptr())
        size = self._weight.element_size()
        s.W = self._weight.data_ptr() + j * d * size
        s.b = None if self._bias is None else self._bias.data_ptr() + j * size
        if self._averages is not None:
            s.AW = self._averages[0].data_ptr() + j * d * size
            s.Ab = (None if self._bias is None
                    else self._averages[1].data_ptr() + j * size)
        s.fit_intercept = int(self._bias is not None)
        s.loss, s.eps = code, spec.loss.epsilon
        s.schedule = (SCHEDULE_CODES.get(spec.learning_rate, 0)
                      if spec.clock == "updates" else 0)
        s.power_t, s.alpha, s.t0 = spec.power_t, spec.alpha, _sklearn_t0(spec)
        s.l1_ratio, s.pen_alpha = l1_ratio, pen_alpha
        s.intercept_decay = SPARSE_INTERCEPT_DECAY if csr is not None else 1.0
        s.rescale_below = _RESCALE_BELOW[train.dtype]
        s.wscale, s.avg_a, s.avg_b = 1.0, 0.0, 1.0
        s.average_start = spec.average_start
        s.t, s.seen, s.n_averaged = (state.n_updates, state.n_samples_seen,
                                     state.n_averaged)
        s.shuffle = int(spec.shuffle)
        s.seed = spec.sgd_seeds[j] & 0xFFFFFFFF
        s.pos_weight, s.neg_weight = (spec.head_weights[j] if spec.head_weights
                                      else (1.0, 1.0))
        for name, buffer in buffers.items():
            setattr(s, name, buffer.data_ptr())
        return _Head(s, buffers, [y, index, row_of, csr, train],
                     self._stepper.lr, minimise=self._validation is None)

    def _dataset_order(self, train):
        """A head's initial order and its map to training rows: with a
        validation split, all rows of the set it came from, the validation
        ones mapped to -1 (scikit-learn's validation mask)."""
        if self._validation is None or train.source is None:
            return torch.arange(self._n, dtype=torch.int64), None
        rows, n_source = train.source
        row_of = torch.full((n_source,), -1, dtype=torch.int64)
        row_of[torch.as_tensor(rows, dtype=torch.int64)] = torch.arange(
            self._n, dtype=torch.int64)
        return torch.arange(n_source, dtype=torch.int64), row_of

    def _param_versions(self):
        return [p._version for p in (self._weight, self._bias) if p is not None]

    def __call__(self, generator: torch.Generator) -> float:
        if self._param_versions() != self._versions:  # changed between epochs
            for head in self._heads:
                head.c.load(False)
        spec = self._spec
        adaptive = spec.learning_rate == "adaptive"
        per_update_clock = (is_clock_schedule(spec.learning_rate)
                            and spec.clock == "updates")
        # a per-update clock is evaluated in C from eta0; the stepper's rate
        # is that clock's value after the last epoch, for the fitted state
        base_lr = spec.lr if per_update_clock else self._stepper.lr
        running = [head for head in self._heads if not head.stopped]
        for head in running:
            head.c.lr0 = head.lr if adaptive else base_lr
        if self._pool is None:
            for head in running:
                self._run_head(head)
        else:
            list(self._pool.map(self._run_head, running))
        self._versions = self._param_versions()
        state = self._state
        state.n_updates = max(h.c.t for h in self._heads)
        state.n_samples_seen = max(h.c.seen for h in self._heads)
        n_averaged = max(h.c.n_averaged for h in self._heads)
        if n_averaged > 0 and self._averages is not None:
            state.averaged_params, state.n_averaged = self._averages, n_averaged
        if per_update_clock:
            self._stepper.set_lr(clock_lr(spec, state.n_updates))
        return sum(h.loss_sum for h in self._heads)

    def _report(self, j: int, head: _Head, score: float | None) -> None:
        """Head ``j``'s epoch block (scikit-learn prints a head's every epoch
        before the next head's; here the heads alternate, epoch by epoch)."""
        bias = None if self._bias is None else self._bias[j:j + 1]
        self._reports[j].epoch(self._weight[j], bias, head.c.seen,
                               head.c.sumloss / self._n,
                               head.c.objective / self._n, score,
                               math.sqrt(head.c.sq_norm))

    def _run_head(self, head: _Head) -> None:
        head.loss_sum = head.c.exact_epoch()
        head.c.sync()

    def end_epoch(self, score: float | None) -> bool:
        """Each running head's stop rule, as scikit-learn's; True when every
        head has stopped. ``score``: the model's validation score (used as
        the head's own when there is one head)."""
        scores = self._head_scores(score)
        tol = self._spec.tol
        for j, head in enumerate(self._heads):
            if head.stopped:
                continue
            if scores is None:
                value = head.c.objective / self._n
                worse = tol is not None and value > head.best - tol
                head.best = min(head.best, value)
            else:
                value = scores[j]
                worse = tol is not None and value < head.best + tol
                if value > head.best:
                    head.best = value
                    head.best_params = self._head_params(j)
            if self._reports is not None:
                self._report(j, head, None if scores is None else scores[j])
            head.no_improvement = head.no_improvement + 1 if worse else 0
            if head.no_improvement >= self._spec.patience:
                if (self._spec.learning_rate == "adaptive"
                        and head.lr > MIN_ADAPTIVE_LR):
                    head.lr /= ADAPTIVE_DIVISOR
                    head.no_improvement = 0
                else:
                    head.stopped = True
                    if self._reports is not None:
                        self._reports[j].converged()
        return all(head.stopped for head in self._heads)

    def _head_scores(self, score):
        """Each head's validation score as scikit-learn's callback computes
        it: R², or the accuracy of its own +1/-1 problem, of the working
        weights before their scale ``wscale`` is applied (it is handed the
        weight array itself)."""
        if self._validation is None:
            return None
        data = self._validation
        X = data.features(None)
        weight = data.sample_weight
        if weight is None:
            weight = torch.ones(data.n_samples, dtype=X.dtype)
        scores = []
        for j, head in enumerate(self._heads):
            v, b = head.buffers["v"], head.buffers["vb"]
            output = (X @ v.to(X.dtype)[:, None] + b.to(X.dtype))
            target = data.y[:, j:j + 1]
            if self._spec.validation_metric == "r2":
                scores.append(r2_score(output, target, weight))
            else:
                right = ((output > 0) == (target > 0))[:, 0].to(weight.dtype)
                scores.append(float((weight * right).sum() / weight.sum()))
        return scores

    def _head_params(self, j):
        params = [self._weight.detach()[j].clone()]
        if self._bias is not None:
            params.append(self._bias.detach()[j].clone())
        return params

    def finish(self) -> None:
        """Restore each head's weights of its best validation score (the
        engine's :meth:`StopRule.restore_best`, per head); end the threads."""
        if self._pool is not None:
            self._pool.shutdown()
        with torch.no_grad():
            for j, head in enumerate(self._heads):
                if head.best_params is None:
                    continue
                self._weight[j].copy_(head.best_params[0])
                if self._bias is not None:
                    self._bias[j].copy_(head.best_params[1])


def _sklearn_t0(spec) -> float:
    """scikit-learn's ``optimal_init``: its initial rate divides the typical
    weight by ``max(1, dloss)``, which is 1 for every loss it has."""
    if spec.learning_rate != "optimal":
        return 1.0
    typical = math.sqrt(1.0 / math.sqrt(spec.alpha))
    return 1.0 / (typical * spec.alpha)
