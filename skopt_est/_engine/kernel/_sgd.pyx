# cython: language_level=3, boundscheck=False, wraparound=False
"""The compiled per-sample SGD kernel (sgd.c), bound for Python.

:class:`SGDState` owns one C ``sgd_state``: the torch side points its fields
at tensors it keeps alive (addresses from ``Tensor.data_ptr()``, ``None`` for
NULL), sets the scalars, and runs one epoch per call with the GIL released,
so that the heads of a one-vs-all fit train in parallel threads. The field
names and types are the header's, checked by the C compiler at build time.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t, uintptr_t
from libc.string cimport memset


cdef extern from "sgd.h" nogil:
    enum:
        SQUARED_ERROR
        HUBER
        EPSILON_INSENSITIVE
        SQUARED_EPSILON_INSENSITIVE
        POISSON
        HINGE
        PERCEPTRON
        SQUARED_HINGE
        MODIFIED_HUBER
        LOG_LOSS
        MULTINOMIAL
        SCHEDULE_CONSTANT
        SCHEDULE_OPTIMAL
        SCHEDULE_INVSCALING
        SCHEDULE_PA1
        SCHEDULE_PA2

    ctypedef struct sgd_state:
        const void *X
        const int64_t *indptr
        const int32_t *indices
        const void *Y
        const void *sw
        const int64_t *order
        void *W
        void *b
        void *AW
        void *Ab
        double *v
        double *vb
        double *aw
        double *ab
        double *q
        double *out
        double *g
        double *yk
        int64_t *index
        const int64_t *row_of
        int64_t n
        int64_t d
        int64_t k
        int32_t loss
        int32_t clip
        double eps
        double head_div
        int32_t schedule
        int32_t fit_intercept
        double lr0
        double power_t
        double alpha
        double t0
        double l2
        double l1
        double mean_w
        double intercept_decay
        double rescale_below
        int64_t t
        int64_t seen
        int64_t average_start
        int64_t n_averaged
        double wscale
        double u
        double avg_a
        double avg_b
        int32_t feature_major
        int32_t shuffle
        uint32_t seed
        int64_t n_index
        double pos_weight
        double neg_weight
        double l1_ratio
        double pen_alpha
        double sq_norm
        double l1_norm
        double objective
        double sumloss

    void skopt_est_sgd_load_f64(sgd_state *s, int averages)
    void skopt_est_sgd_load_f32(sgd_state *s, int averages)
    void skopt_est_sgd_sync_f64(sgd_state *s)
    void skopt_est_sgd_sync_f32(sgd_state *s)
    double skopt_est_sgd_epoch_f64(sgd_state *s)
    double skopt_est_sgd_epoch_f32(sgd_state *s)
    double skopt_est_sgd_exact_epoch_f64(sgd_state *s)
    double skopt_est_sgd_exact_epoch_f32(sgd_state *s)


# loss name -> the kernel's code
LOSS_CODES = {
    "squared_error": SQUARED_ERROR, "huber": HUBER,
    "epsilon_insensitive": EPSILON_INSENSITIVE,
    "squared_epsilon_insensitive": SQUARED_EPSILON_INSENSITIVE,
    "poisson": POISSON, "hinge": HINGE, "perceptron": PERCEPTRON,
    "squared_hinge": SQUARED_HINGE, "modified_huber": MODIFIED_HUBER,
}
LOGISTIC_CODE = LOG_LOSS  # 'log_loss' with 0/1 targets
MULTINOMIAL_CODE = MULTINOMIAL  # 'log_loss' with one-hot targets (softmax)
# learning-rate name -> the kernel's per-update clock or passive-aggressive step
SCHEDULE_CODES = {"optimal": SCHEDULE_OPTIMAL, "invscaling": SCHEDULE_INVSCALING,
                  "pa1": SCHEDULE_PA1, "pa2": SCHEDULE_PA2}


cdef class SGDState:
    """One fit's (or one head's) kernel state, for X of float32 or float64.

    Parameters
    ----------
    single : bool
        True for float32 X, False for float64 X.
    """

    cdef sgd_state c
    cdef readonly bint single

    def __cinit__(self, bint single):
        memset(&self.c, 0, sizeof(sgd_state))
        self.single = single

    def load(self, bint averages):
        """The model's tensors into the working state (and the averages)."""
        with nogil:
            if self.single:
                skopt_est_sgd_load_f32(&self.c, averages)
            else:
                skopt_est_sgd_load_f64(&self.c, averages)

    def sync(self):
        """The working state into the model's tensors (and the averages)."""
        with nogil:
            if self.single:
                skopt_est_sgd_sync_f32(&self.c)
            else:
                skopt_est_sgd_sync_f64(&self.c)

    def epoch(self):
        """One epoch of all heads over ``order``; the weighted loss sum."""
        cdef double total
        with nogil:
            if self.single:
                total = skopt_est_sgd_epoch_f32(&self.c)
            else:
                total = skopt_est_sgd_epoch_f64(&self.c)
        return total

    def exact_epoch(self):
        """One epoch of scikit-learn's ``_plain_sgd`` for one head; the
        weighted loss sum (``objective`` and ``sumloss`` are set too)."""
        cdef double total
        with nogil:
            if self.single:
                total = skopt_est_sgd_exact_epoch_f32(&self.c)
            else:
                total = skopt_est_sgd_exact_epoch_f64(&self.c)
        return total

    property X:
        def __get__(self): return <uintptr_t>self.c.X
        def __set__(self, address): self.c.X = <const void *><uintptr_t>(address or 0)
    property indptr:
        def __get__(self): return <uintptr_t>self.c.indptr
        def __set__(self, address): self.c.indptr = <const int64_t *><uintptr_t>(address or 0)
    property indices:
        def __get__(self): return <uintptr_t>self.c.indices
        def __set__(self, address): self.c.indices = <const int32_t *><uintptr_t>(address or 0)
    property Y:
        def __get__(self): return <uintptr_t>self.c.Y
        def __set__(self, address): self.c.Y = <const void *><uintptr_t>(address or 0)
    property sw:
        def __get__(self): return <uintptr_t>self.c.sw
        def __set__(self, address): self.c.sw = <const void *><uintptr_t>(address or 0)
    property order:
        def __get__(self): return <uintptr_t>self.c.order
        def __set__(self, address): self.c.order = <const int64_t *><uintptr_t>(address or 0)
    property W:
        def __get__(self): return <uintptr_t>self.c.W
        def __set__(self, address): self.c.W = <void *><uintptr_t>(address or 0)
    property b:
        def __get__(self): return <uintptr_t>self.c.b
        def __set__(self, address): self.c.b = <void *><uintptr_t>(address or 0)
    property AW:
        def __get__(self): return <uintptr_t>self.c.AW
        def __set__(self, address): self.c.AW = <void *><uintptr_t>(address or 0)
    property Ab:
        def __get__(self): return <uintptr_t>self.c.Ab
        def __set__(self, address): self.c.Ab = <void *><uintptr_t>(address or 0)
    property v:
        def __get__(self): return <uintptr_t>self.c.v
        def __set__(self, address): self.c.v = <double *><uintptr_t>(address or 0)
    property vb:
        def __get__(self): return <uintptr_t>self.c.vb
        def __set__(self, address): self.c.vb = <double *><uintptr_t>(address or 0)
    property aw:
        def __get__(self): return <uintptr_t>self.c.aw
        def __set__(self, address): self.c.aw = <double *><uintptr_t>(address or 0)
    property ab:
        def __get__(self): return <uintptr_t>self.c.ab
        def __set__(self, address): self.c.ab = <double *><uintptr_t>(address or 0)
    property q:
        def __get__(self): return <uintptr_t>self.c.q
        def __set__(self, address): self.c.q = <double *><uintptr_t>(address or 0)
    property out:
        def __get__(self): return <uintptr_t>self.c.out
        def __set__(self, address): self.c.out = <double *><uintptr_t>(address or 0)
    property g:
        def __get__(self): return <uintptr_t>self.c.g
        def __set__(self, address): self.c.g = <double *><uintptr_t>(address or 0)
    property yk:
        def __get__(self): return <uintptr_t>self.c.yk
        def __set__(self, address): self.c.yk = <double *><uintptr_t>(address or 0)
    property index:
        def __get__(self): return <uintptr_t>self.c.index
        def __set__(self, address): self.c.index = <int64_t *><uintptr_t>(address or 0)
    property row_of:
        def __get__(self): return <uintptr_t>self.c.row_of
        def __set__(self, address): self.c.row_of = <const int64_t *><uintptr_t>(address or 0)
    property n:
        def __get__(self): return self.c.n
        def __set__(self, int64_t value): self.c.n = value
    property d:
        def __get__(self): return self.c.d
        def __set__(self, int64_t value): self.c.d = value
    property k:
        def __get__(self): return self.c.k
        def __set__(self, int64_t value): self.c.k = value
    property loss:
        def __get__(self): return self.c.loss
        def __set__(self, int32_t value): self.c.loss = value
    property clip:
        def __get__(self): return self.c.clip
        def __set__(self, int32_t value): self.c.clip = value
    property eps:
        def __get__(self): return self.c.eps
        def __set__(self, double value): self.c.eps = value
    property head_div:
        def __get__(self): return self.c.head_div
        def __set__(self, double value): self.c.head_div = value
    property schedule:
        def __get__(self): return self.c.schedule
        def __set__(self, int32_t value): self.c.schedule = value
    property fit_intercept:
        def __get__(self): return self.c.fit_intercept
        def __set__(self, int32_t value): self.c.fit_intercept = value
    property lr0:
        def __get__(self): return self.c.lr0
        def __set__(self, double value): self.c.lr0 = value
    property power_t:
        def __get__(self): return self.c.power_t
        def __set__(self, double value): self.c.power_t = value
    property alpha:
        def __get__(self): return self.c.alpha
        def __set__(self, double value): self.c.alpha = value
    property t0:
        def __get__(self): return self.c.t0
        def __set__(self, double value): self.c.t0 = value
    property l2:
        def __get__(self): return self.c.l2
        def __set__(self, double value): self.c.l2 = value
    property l1:
        def __get__(self): return self.c.l1
        def __set__(self, double value): self.c.l1 = value
    property mean_w:
        def __get__(self): return self.c.mean_w
        def __set__(self, double value): self.c.mean_w = value
    property intercept_decay:
        def __get__(self): return self.c.intercept_decay
        def __set__(self, double value): self.c.intercept_decay = value
    property rescale_below:
        def __get__(self): return self.c.rescale_below
        def __set__(self, double value): self.c.rescale_below = value
    property t:
        def __get__(self): return self.c.t
        def __set__(self, int64_t value): self.c.t = value
    property seen:
        def __get__(self): return self.c.seen
        def __set__(self, int64_t value): self.c.seen = value
    property average_start:
        def __get__(self): return self.c.average_start
        def __set__(self, int64_t value): self.c.average_start = value
    property n_averaged:
        def __get__(self): return self.c.n_averaged
        def __set__(self, int64_t value): self.c.n_averaged = value
    property wscale:
        def __get__(self): return self.c.wscale
        def __set__(self, double value): self.c.wscale = value
    property u:
        def __get__(self): return self.c.u
        def __set__(self, double value): self.c.u = value
    property avg_a:
        def __get__(self): return self.c.avg_a
        def __set__(self, double value): self.c.avg_a = value
    property avg_b:
        def __get__(self): return self.c.avg_b
        def __set__(self, double value): self.c.avg_b = value
    property feature_major:
        def __get__(self): return self.c.feature_major
        def __set__(self, int32_t value): self.c.feature_major = value
    property shuffle:
        def __get__(self): return self.c.shuffle
        def __set__(self, int32_t value): self.c.shuffle = value
    property seed:
        def __get__(self): return self.c.seed
        def __set__(self, uint32_t value): self.c.seed = value
    property n_index:
        def __get__(self): return self.c.n_index
        def __set__(self, int64_t value): self.c.n_index = value
    property pos_weight:
        def __get__(self): return self.c.pos_weight
        def __set__(self, double value): self.c.pos_weight = value
    property neg_weight:
        def __get__(self): return self.c.neg_weight
        def __set__(self, double value): self.c.neg_weight = value
    property l1_ratio:
        def __get__(self): return self.c.l1_ratio
        def __set__(self, double value): self.c.l1_ratio = value
    property pen_alpha:
        def __get__(self): return self.c.pen_alpha
        def __set__(self, double value): self.c.pen_alpha = value
    property sq_norm:
        def __get__(self): return self.c.sq_norm
        def __set__(self, double value): self.c.sq_norm = value
    property l1_norm:
        def __get__(self): return self.c.l1_norm
        def __set__(self, double value): self.c.l1_norm = value
    property objective:
        def __get__(self): return self.c.objective
        def __set__(self, double value): self.c.objective = value
    property sumloss:
        def __get__(self): return self.c.sumloss
        def __set__(self, double value): self.c.sumloss = value
