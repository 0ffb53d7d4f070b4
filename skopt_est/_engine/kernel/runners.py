"""The compiled kernel's runners: all heads in one pass, or one per head.

The kernel (``sgd.c``, bound by the Cython module ``_sgd``) is scikit-learn's
per-sample SGD (``_plain_sgd``): scaled weights, the cumulative L1 penalty,
averaging and, on sparse rows, the intercept decay, over dense or CSR rows of
float32 or float64, one epoch a call. At ``batch_size=1`` each torch update
costs about ten ops of Python and dispatch, 50-500 times scikit-learn's SGD on
small data (issue 15); the kernel runs the epoch in one call.

:func:`eligibility.kernel_kind` picks the runner. :class:`JointEpoch` is the
epoch of a :class:`runner.SteppedRunner`: the engine's stepper, stop rule and
penalty drive it. :class:`HeadsRunner` is scikit-learn's SGD itself, one fit
per head with its seeds, shuffle, class weights, learning rate and
early-stopping split, so that a fit equals ``SGDClassifier``'s /
``SGDRegressor``'s at the same ``random_state`` (tests/test_sklearn_parity.py);
each head reuses the engine's stop rule, validation metric, penalty split and
``'optimal'`` start. Only the inner loop is the kernel's own.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import torch
from joblib import effective_n_jobs

from ..penalties import penalty_fractions
from ..predict import score_outputs
from ..rates import clock_lr, is_clock_schedule, sgd_optimal_init
from ..report import SGDReport
from ..stop import HeadRecord, make_stop_rule
from .compiled import SCHEDULE_CODES, SGDState
from .eligibility import csr_parts, loss_code

# scikit-learn's SGD moves the intercept of a sparse fit at 1 % of the
# weights' rate (SPARSE_INTERCEPT_DECAY), against the intercept's unscaled
# and hence noisier updates
SPARSE_INTERCEPT_DECAY = 0.01
# wscale below which the scaled weights are rescaled: scikit-learn's
# thresholds per dtype (its rescaling also folds the averaging trick, so the
# averages with L1 depend on when it happens)
_RESCALE_BELOW = {torch.float64: 1e-9, torch.float32: 1e-6}


class JointEpoch:
    """All heads in one compiled pass: the epoch of a :class:`SteppedRunner`.

    It draws the torch path's permutation and advances the stepper's
    counters and clock as :meth:`Stepper.step` does, so that in the same row
    order it gives the torch path's updates to rounding
    (tests/test_fastsgd.py); the engine's stop rule and stepper do the rest.
    The C state and its buffers live across epochs: the working weights
    (double) persist from epoch to epoch, as scikit-learn's do within one
    fit; each epoch ends by writing the module's parameters, and the
    averages into ``state.averaged_params``
    (where the stepper's :class:`Averager` keeps them). A parameter changed
    in place between epochs is reloaded.
    """

    def __init__(self, module, train, spec, objective, stepper, state) -> None:
        self._spec, self._stepper, self._state = spec, stepper, state
        coded = loss_code(spec.loss)
        csr = csr_parts(train.X) if train.is_sparse else None
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
        # the torch path's draw (epoch.epoch_batches)
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



class _Head:
    """One head's C state, its rule and its learning rate in :class:`HeadsRunner`."""

    def __init__(self, c_state, buffers, keep, lr: float, rule) -> None:
        self.c = c_state
        self.buffers = buffers  # the working state (v, vb, ...), double
        self.keep = keep  # other tensors the C state points into
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
    (or validation score, :func:`predict.score_outputs` of its own outputs);
    a head that stopped waits while the others go on, so the fit's epochs are
    the maximum over the heads. The runner contract
    (:class:`runner.Runner`): :meth:`verdict` is True once every head stopped.
    """

    def __init__(self, module, train, spec, stepper, state, validation) -> None:
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
        csr = csr_parts(train.X) if train.is_sparse else None
        code = loss_code(spec.loss)[0]
        self._heads = [self._make_head(j, train, code, csr)
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
        # the engine's penalty split, in scikit-learn's terms (alpha, l1_ratio)
        l1_ratio = penalty_fractions(spec.penalty, spec.l1_ratio)[1]
        pen_alpha = spec.penalty_alpha
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
        s.power_t, s.alpha = spec.power_t, spec.alpha
        s.t0 = (sgd_optimal_init(spec.alpha) if spec.learning_rate == "optimal"
                else 1.0)
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
        # the rule keeps head j's best weights: views of its row
        params = [self._weight.detach()[j]] + (
            [] if self._bias is None else [self._bias.detach()[j]])
        rule = make_stop_rule(spec, HeadRecord(), params)
        return _Head(s, buffers, [y, index, row_of, csr, train],
                     self._stepper.lr, rule)

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

    def run_epoch(self, generator: torch.Generator) -> float:
        """One epoch of every running head; the heads' weighted loss sum.
        (Each head shuffles by its own seed: ``generator`` is not drawn.)"""
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
        data = self._validation
        X = data.features(None)
        scores = []
        for j, head in enumerate(self._heads):
            v, b = head.buffers["v"], head.buffers["vb"]
            output = X @ v.to(X.dtype)[:, None] + b.to(X.dtype)
            scores.append(score_outputs(output, data.y[:, j:j + 1],
                                        data.sample_weight, self._spec))
        return scores

    def finish(self) -> None:
        """Store the stepper's state, end the threads, and put back each
        head's weights of its best validation score (its rule's)."""
        self._stepper.finish()
        if self._pool is not None:
            self._pool.shutdown()
        for head in self._heads:
            head.rule.restore_best()
