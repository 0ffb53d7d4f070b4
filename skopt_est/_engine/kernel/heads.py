"""scikit-learn's SGD on the compiled kernel: one ``_plain_sgd`` fit per head.

The kernel (``sgd.c``, bound by the Cython module ``_sgd``) is scikit-learn's
per-sample SGD: scaled weights, the cumulative L1 penalty, averaging and, on
sparse rows, the intercept decay, over dense or CSR rows of float32 or
float64, one epoch a call. :class:`HeadsRunner` drives one such fit per head
with scikit-learn's seeds, shuffle, class weights, learning rate and
early-stopping split, so that a fit equals ``SGDClassifier``'s /
``SGDRegressor``'s at the same ``random_state``
(tests/test_sklearn_parity.py); each head reuses the engine's stop rule,
validation metric, penalty split and ``'optimal'`` start. Only the inner
loop is the kernel's own.

It holds host numpy arrays only (:class:`host.HostData`, the weights and
their averages), so the compiled kernel's lane (:mod:`lane`) runs it
without importing torch; the torch path hands it views of its CPU tensors.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from joblib import effective_n_jobs

from ..metrics import score_outputs
from ..rates import clock_lr, is_clock_schedule, sgd_optimal_init
from ..regularisation import penalty_fractions
from ..report import SGDReport
from ..stop import HeadRecord, make_stop_rule
from .compiled import (
    SCHEDULE_CODES,
    SPARSE_INTERCEPT_DECAY,
    SGDState,
    address,
    loss_code,
    rescale_below,
)
from .host import HostData, csr_arrays


class _Head:
    """One head's C state, its rule and its learning rate in :class:`HeadsRunner`."""

    def __init__(self, c_state, buffers, keep, lr: float, rule) -> None:
        self.c = c_state
        self.buffers = buffers  # the working state (v, vb, ...), double
        self.keep = keep  # other arrays the C state points into
        self.lr = lr
        self.rule = rule  # the engine's StopRule over this head's record
        self.stopped = False
        self.loss_sum = 0.0


class HeadsRunner:
    """scikit-learn's SGD on the kernel: one ``_plain_sgd`` fit per head.

    As ``SGDClassifier`` (one binary problem per class, ``fit_binary``) and
    ``SGDRegressor``: each head has its own shuffle seed
    (``spec.sgd_seeds``), its dataset's order, reshuffled in place by
    scikit-learn's Fisher-Yates at every epoch start, its class weights
    (``spec.head_weights``) times the raw sample weights, its learning rate
    (``'adaptive'``) and its own :class:`stop.StopRule` on its own objective
    (or validation score, :func:`metrics.score_outputs` of its own outputs);
    a head that stopped waits while the others go on, so the fit's epochs are
    the maximum over the heads. The runner contract
    (:class:`runner.Runner`): :meth:`verdict` is True once every head stopped.

    Parameters
    ----------
    weight, bias : ndarray
        The model's (n_heads, n_features) weights and (n_heads,) intercepts
        (None without one), C-contiguous, in the data's dtype; trained in
        place.
    train, validation : HostData
        The training rows, and the validation rows (None without early
        stopping).
    spec : TrainingSpec
    stepper : object
        The learning-rate holder: ``lr``, ``set_lr``, ``end_epoch``,
        ``finish`` (the lane's :class:`lane.RateClock`, or the torch path's
        :class:`step.Stepper`).
    state : TrainingState
        Counters and averages, continued and updated in place.
    """

    def __init__(self, weight, bias, train: HostData, spec, stepper, state,
                 validation: HostData | None) -> None:
        self._spec, self._stepper, self._state = spec, stepper, state
        self._n = train.n_samples
        self._weight, self._bias = weight, bias
        self._validation = validation
        self._averages = None
        if spec.average_start:
            self._averages = ([np.asarray(a) for a in state.averaged_params]
                              if state.averaged_params else
                              [np.zeros_like(weight)]
                              + ([] if bias is None else [np.zeros_like(bias)]))
        csr = csr_arrays(train.X) if train.is_sparse else None
        code = loss_code(spec.loss)[0]
        self._heads = [self._make_head(j, train, code, csr)
                       for j in range(weight.shape[0])]
        for head in self._heads:
            head.c.load(bool(state.averaged_params))
        # scikit-learn's verbose lines, per head (report)
        self._reports = ([SGDReport(state.n_samples_seen) for _ in self._heads]
                         if spec.verbose else None)
        self._adaptive = spec.learning_rate == "adaptive"
        # a per-update clock is evaluated in C from eta0; the stepper's rate
        # is that clock's value after the last epoch, for the fitted state
        self._per_update_clock = (is_clock_schedule(spec.learning_rate)
                                  and spec.clock == "updates")
        n_threads = min(effective_n_jobs(spec.n_jobs), len(self._heads))
        # the kernel releases the GIL for the epoch, so heads run in parallel
        self._pool = ThreadPoolExecutor(n_threads) if n_threads > 1 else None

    def _make_head(self, j, train: HostData, code, csr) -> _Head:
        spec, state = self._spec, self._state
        d = self._weight.shape[1]
        y = np.ascontiguousarray(train.y[:, j])
        index, row_of = self._dataset_order(train)
        buffers = {"v": np.zeros(d), "vb": np.zeros(1), "out": np.zeros(1),
                   "g": np.zeros(1)}
        # the engine's penalty split, in scikit-learn's terms (alpha, l1_ratio)
        l1_ratio = penalty_fractions(spec.penalty, spec.l1_ratio)[1]
        pen_alpha = spec.penalty_alpha
        if pen_alpha and l1_ratio:
            buffers["q"] = np.zeros(d)
        if self._averages is not None:
            buffers["aw"] = np.zeros(d)
            buffers["ab"] = np.zeros(1)
        s = SGDState(train.single)
        s.n, s.d, s.k, s.feature_major = self._n, d, 1, 0
        if csr is None:
            s.X = address(train.X)
        else:
            s.indptr, s.indices, s.X = (address(a) for a in csr)
        s.Y, s.index, s.n_index = address(y), address(index), len(index)
        s.row_of = None if row_of is None else address(row_of)
        s.sw = (None if train.sample_weight is None
                else address(train.sample_weight))
        size = self._weight.itemsize
        s.W = address(self._weight) + j * d * size
        s.b = None if self._bias is None else address(self._bias) + j * size
        if self._averages is not None:
            s.AW = address(self._averages[0]) + j * d * size
            s.Ab = (None if self._bias is None
                    else address(self._averages[1]) + j * size)
        s.fit_intercept = int(self._bias is not None)
        s.loss, s.eps = code, spec.loss.epsilon
        s.schedule = (SCHEDULE_CODES.get(spec.learning_rate, 0)
                      if spec.clock == "updates" else 0)
        s.power_t, s.alpha = spec.power_t, spec.alpha
        s.t0 = (sgd_optimal_init(spec.alpha) if spec.learning_rate == "optimal"
                else 1.0)
        s.l1_ratio, s.pen_alpha = l1_ratio, pen_alpha
        s.intercept_decay = SPARSE_INTERCEPT_DECAY if csr is not None else 1.0
        s.rescale_below = rescale_below(train.single)
        s.wscale, s.avg_a, s.avg_b = 1.0, 0.0, 1.0
        s.average_start = spec.average_start
        s.t, s.seen, s.n_averaged = (state.n_updates, state.n_samples_seen,
                                     state.n_averaged)
        s.shuffle = int(spec.shuffle)
        s.seed = spec.sgd_seeds[j] & 0xFFFFFFFF
        s.pos_weight, s.neg_weight = (spec.head_weights[j] if spec.head_weights
                                      else (1.0, 1.0))
        for name, buffer in buffers.items():
            setattr(s, name, address(buffer))
        # the rule keeps head j's best weights: views of its row
        params = [self._weight[j]] + ([] if self._bias is None
                                      else [self._bias[j:j + 1]])
        rule = make_stop_rule(spec, HeadRecord(), params)
        return _Head(s, buffers, [y, index, row_of, csr, train],
                     self._stepper.lr, rule)

    def _dataset_order(self, train: HostData):
        """A head's initial order and its map to training rows: with a
        validation split, all rows of the set it came from, the validation
        ones mapped to -1 (scikit-learn's validation mask)."""
        if self._validation is None or train.source is None:
            return np.arange(self._n, dtype=np.int64), None
        rows, n_source = train.source
        row_of = np.full(n_source, -1, dtype=np.int64)
        row_of[np.asarray(rows, dtype=np.int64)] = np.arange(self._n,
                                                             dtype=np.int64)
        return np.arange(n_source, dtype=np.int64), row_of

    def run_epoch(self, generator: object = None) -> float:
        """One epoch of every running head; the heads' weighted loss sum.
        (Each head shuffles by its own seed: ``generator`` is not drawn.)"""
        spec, heads = self._spec, self._heads
        base_lr = spec.lr if self._per_update_clock else self._stepper.lr
        running = [head for head in heads if not head.stopped]
        for head in running:
            head.c.lr0 = head.lr if self._adaptive else base_lr
        if self._pool is None:
            for head in running:
                self._run_head(head)
        else:
            list(self._pool.map(self._run_head, running))
        state = self._state
        c_states = [head.c for head in heads]
        state.n_updates = max([c.t for c in c_states])
        state.n_samples_seen = max([c.seen for c in c_states])
        if self._averages is not None:
            n_averaged = max([c.n_averaged for c in c_states])
            if n_averaged > 0:
                state.averaged_params, state.n_averaged = self._averages, n_averaged
        if self._per_update_clock:
            self._stepper.set_lr(clock_lr(spec, state.n_updates))
        return sum([head.loss_sum for head in heads])

    def _run_head(self, head: _Head) -> None:
        head.loss_sum = head.c.exact_epoch()
        head.c.sync()

    def verdict(self, mean_loss: float, score: float | None) -> bool:
        """Each running head's stop rule, as scikit-learn's, on the head's
        own objective or validation score; True once every head stopped.
        The state's bests follow the whole model (``mean_loss``, ``score``)."""
        state = self._state
        state.best_loss = min(state.best_loss, mean_loss)
        if score is not None:
            state.best_validation_score = max(state.best_validation_score, score)
        scores = self._head_scores()
        for j, head in enumerate(self._heads):
            if head.stopped:
                continue
            head_score = None if scores is None else scores[j]
            if self._reports is not None:
                self._report(j, head, head_score)
            verdict = head.rule.end_epoch(head.c.objective / self._n, head_score,
                                          head.lr)
            if verdict.lr is not None:
                head.lr = verdict.lr
            elif verdict.stop:
                head.stopped = True
                if self._reports is not None:
                    self._reports[j].converged()
        self._stepper.end_epoch()
        return all(head.stopped for head in self._heads)

    def _report(self, j: int, head: _Head, score: float | None) -> None:
        """Head ``j``'s epoch block (scikit-learn prints a head's every epoch
        before the next head's; here the heads alternate, epoch by epoch)."""
        bias = None if self._bias is None else self._bias[j:j + 1]
        self._reports[j].epoch(self._weight[j], bias, head.c.seen,
                               head.c.sumloss / self._n,
                               head.c.objective / self._n, score,
                               math.sqrt(head.c.sq_norm))

    def _head_scores(self) -> list[float] | None:
        """Each head's validation score as scikit-learn's callback computes
        it: the engine's metric of its own outputs, from the working weights
        before their scale ``wscale`` is applied (it is handed the weight
        array itself)."""
        if self._validation is None:
            return None
        data, spec = self._validation, self._spec
        dtype = data.y.dtype
        scores = []
        for j, head in enumerate(self._heads):
            v, b = head.buffers["v"], head.buffers["vb"]
            output = np.asarray(data.X @ v.astype(dtype)[:, None]) + b.astype(dtype)
            scores.append(score_outputs(output, data.y[:, j:j + 1],
                                        data.sample_weight,
                                        spec.validation_metric,
                                        spec.loss.target_kind))
        return scores

    def finish(self) -> None:
        """Store the stepper's state, end the threads, and put back each
        head's weights of its best validation score (its rule's)."""
        self._stepper.finish()
        if self._pool is not None:
            self._pool.shutdown()
        for head in self._heads:
            head.rule.restore_best()
