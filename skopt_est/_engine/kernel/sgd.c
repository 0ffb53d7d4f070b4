/* Per-sample plain SGD epochs of a linear model (skopt_est._engine.kernel).

   scikit-learn's per-sample SGD, for k heads at once. For each row i of
   `order`, with o = W x_i + b computed before the update:
       g_j  = -lr * clip(w_i * dloss(o_j, y_ij)) / mean_w
       W   <- max(0, 1 - lr * l2) W,   W_j += g_j x_i,   b_j += decay * g_j
   then, once `average_start` samples were seen, the averaged SGD step, and
   with an L1 part the cumulative truncated gradient of Tsuruoka, Tsujii and
   Ananiadou (2009): u += lr * l1; every touched coordinate is clipped
   toward zero by what u says it should have lost so far, minus what it did
   lose (q).

   The working state is double; feature-major (v[f * k + j]) for CSR rows,
   so that a stored entry touches k contiguous values, head-major
   (v[j * d + f]) for dense rows, so that a head's dot product is contiguous
   and a head without a step costs no pass over the row:
   - W = wscale * v: the L2 shrink is one multiply; v is rescaled when
     wscale falls below `rescale_below` (scikit-learn's thresholds);
   - the average is (aw + avg_a * v) / avg_b (the sparse averaging trick of
     Bottou's "Stochastic gradient descent tricks", 2012), so a row's
     averaging step also touches only its entries;
   - q: the L1 applied so far per coordinate, u: the total L1 offered.
   The state lives across the epochs of one fit; sync writes the model's
   parameters (and averages) of the dtype of X after each epoch.

   A dense row is a row whose entries are all d features in order. The code
   of sgd_real.h is compiled twice, for double and float X. Built with the
   package (setup.py); portable C99 for gcc, clang and MSVC. */
#include <math.h>
#include <stddef.h>
#include "sgd.h"

#define MAX_DLOSS 1e12
/* rows between a row's prefetch and its training (2: 0.55x SGDRegressor's
   time at all defaults, 1: 0.57x, 4 and 8 no better) */
#define PREFETCH_AHEAD 2

#if defined(_MSC_VER)
#define SGD_INLINE static __forceinline
#else
#define SGD_INLINE static inline __attribute__((always_inline))
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SGD_PREFETCH(address) __builtin_prefetch(address)
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#include <xmmintrin.h>
#define SGD_PREFETCH(address) _mm_prefetch((const char *)(address), _MM_HINT_T0)
#else
#define SGD_PREFETCH(address) ((void)(address))
#endif

/* loss value and derivative d value / d o of one head */
static double head_loss(int loss, double o, double y, double eps, double k,
                        double *g) {
    double r = o - y, z = y * o, a, e;
    switch (loss) {
    case SQUARED_ERROR: *g = r / k; return 0.5 * r * r / k;
    case HUBER:
        *g = (r > eps ? eps : (r < -eps ? -eps : r)) / k;
        a = fabs(r);
        return (a <= eps ? 0.5 * r * r : eps * (a - 0.5 * eps)) / k;
    case EPSILON_INSENSITIVE:
        a = fabs(r);
        *g = a > eps ? (r > 0 ? 1.0 : -1.0) / k : 0.0;
        return (a > eps ? a - eps : 0.0) / k;
    case SQUARED_EPSILON_INSENSITIVE:
        e = fabs(r) - eps; if (e < 0.0) e = 0.0;
        *g = 2.0 * (r > 0 ? 1.0 : (r < 0 ? -1.0 : 0.0)) * e / k;
        return e * e / k;
    case POISSON: e = exp(o); *g = (e - y) / k; return (e - y * o) / k;
    case HINGE: *g = z <= 1.0 ? -y : 0.0; return z < 1.0 ? 1.0 - z : 0.0;
    case PERCEPTRON: *g = z <= 0.0 ? -y : 0.0; return z < 0.0 ? -z : 0.0;
    case SQUARED_HINGE:
        e = 1.0 - z; if (e < 0.0) e = 0.0;
        *g = -2.0 * y * e; return e * e;
    case MODIFIED_HUBER:
        if (z >= -1.0) { e = 1.0 - z; if (e < 0.0) e = 0.0;
                         *g = -2.0 * y * e; return e * e; }
        *g = -4.0 * y; return -4.0 * z;
    default: /* LOG_LOSS, targets 0 / 1; torch's softplus threshold 20 */
        *g = 1.0 / (1.0 + exp(-o)) - y;
        return (o > 20.0 ? o : log1p(exp(o))) - y * o;
    }
}

/* log(1 + exp(x)) by scikit-learn's branches (its _loss module) */
static double log1pexp(double x) {
    if (x <= -37.0) return exp(x);
    if (x <= -2.0) return log1p(exp(x));
    if (x <= 18.0) return log(1.0 + exp(x));
    if (x <= 33.3) return x + exp(-x);
    return x;
}

/* loss and derivative as scikit-learn's SGD loss classes compute them, so
   that every update rounds as theirs (the log loss: its half binomial) */
static double sk_loss(int loss, double p, double y, double eps, double *g) {
    double z, e;
    switch (loss) {
    case LOG_LOSS:
        if (p > -37.0) {
            e = exp(-p);
            *g = ((1.0 - y) - y * e) / (1.0 + e);
        } else {
            *g = exp(p) - y;
        }
        return log1pexp(p) - y * p;
    case HUBER:
        z = p - y;
        *g = fabs(z) <= eps ? z : (z >= 0.0 ? eps : -eps);
        e = fabs(y - p);
        return e <= eps ? 0.5 * e * e : eps * (e - 0.5 * eps);
    case EPSILON_INSENSITIVE:
        *g = y - p > eps ? -1.0 : (p - y > eps ? 1.0 : 0.0);
        e = fabs(y - p) - eps;
        return e > 0.0 ? e : 0.0;
    case SQUARED_EPSILON_INSENSITIVE:
        z = y - p;
        *g = z > eps ? -2.0 * (z - eps) : (z < -eps ? 2.0 * (-z - eps) : 0.0);
        e = fabs(y - p) - eps;
        return e > 0.0 ? e * e : 0.0;
    case HINGE: case PERCEPTRON:
        e = loss == HINGE ? 1.0 : 0.0;
        z = p * y;
        *g = z <= e ? -y : 0.0;
        return z <= e ? e - z : 0.0;
    case SQUARED_HINGE:
        z = 1.0 - p * y;
        *g = z > 0.0 ? -2.0 * y * z : 0.0;
        return z > 0.0 ? z * z : 0.0;
    case MODIFIED_HUBER:
        z = p * y;
        if (z >= 1.0) { *g = 0.0; return 0.0; }
        if (z >= -1.0) { *g = 2.0 * (1.0 - z) * -y; return (1.0 - z) * (1.0 - z); }
        *g = -4.0 * y; return -4.0 * z;
    default: /* SQUARED_ERROR */
        *g = p - y;
        return 0.5 * (p - y) * (p - y);
    }
}

/* scikit-learn's shuffle of a dataset's order: Fisher-Yates driven by its
   xorshift generator (our_rand_r), from a copy of `seed` */
static void sgd_shuffle(int64_t *index, int64_t n, uint32_t seed) {
    for (int64_t i = 0; i + 1 < n; i++) {
        if (seed == 0) seed = 1;
        seed ^= (uint32_t)(seed << 13);
        seed ^= (uint32_t)(seed >> 17);
        seed ^= (uint32_t)(seed << 5);
        uint32_t r = seed % ((uint32_t)2147483647 + 1u);
        int64_t j = i + (int64_t)(r % (uint32_t)(n - i));
        int64_t swap = index[i]; index[i] = index[j]; index[j] = swap;
    }
}

/* the multinomial loss of one row: softmax cross-entropy, one-hot y */
static double multinomial(const double *o, const double *y, int64_t k,
                          double *g) {
    double m = o[0], s = 0.0, dot = 0.0;
    for (int64_t j = 1; j < k; j++) if (o[j] > m) m = o[j];
    for (int64_t j = 0; j < k; j++) { g[j] = exp(o[j] - m); s += g[j]; }
    for (int64_t j = 0; j < k; j++) { g[j] = g[j] / s - y[j]; dot += y[j] * o[j]; }
    return m + log(s) - dot;
}

/* wscale into v, and the averaging trick's (a, b) into aw */
static void sgd_fold(sgd_state *s) {
    int64_t n = s->d * s->k;
    if (s->aw) {
        double a = s->avg_a, inv_b = 1.0 / s->avg_b;
        for (int64_t f = 0; f < n; f++) s->aw[f] = (s->aw[f] + a * s->v[f]) * inv_b;
        s->avg_a = 0.0; s->avg_b = 1.0;
    }
    for (int64_t f = 0; f < n; f++) s->v[f] *= s->wscale;
    s->wscale = 1.0;
}

#define SKOPT_REAL double
#define SKOPT_NAME(name) name##_f64
#include "sgd_real.h"
#undef SKOPT_REAL
#undef SKOPT_NAME
#define SKOPT_REAL float
#define SKOPT_NAME(name) name##_f32
#include "sgd_real.h"
#undef SKOPT_REAL
#undef SKOPT_NAME
