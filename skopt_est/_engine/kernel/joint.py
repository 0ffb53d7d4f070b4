"""The compiled kernel's joint epoch: all heads in one pass.

The kernel (``sgd.c``, bound by the Cython module ``_sgd``, :mod:`heads`
says what it is) runs the multinomial log loss and multi-output regression
as one model: :class:`JointEpoch` is the epoch of a
:class:`runner.SteppedRunner`, which the engine's stepper, stop rule and
penalty drive. At ``batch_size=1`` each torch update costs about ten ops of
Python and dispatch, 50-500 times scikit-learn's SGD on small data (issue
15); the kernel runs the epoch in one call. :func:`eligibility.kernel_kind`
picks it.
"""

from __future__ import annotations

import torch

from ..rates import clock_lr, is_clock_schedule
from .compiled import (
    SCHEDULE_CODES,
    SPARSE_INTERCEPT_DECAY,
    SGDState,
    loss_code,
    rescale_below,
)
from .eligibility import csr_parts


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
        s.rescale_below = rescale_below(train.dtype == torch.float32)
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
