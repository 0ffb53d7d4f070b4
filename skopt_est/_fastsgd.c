/* Per-sample plain SGD epochs of a linear model (skopt_est._fastsgd).

   scikit-learn's per-sample SGD, for k heads at once. For each row i of
   `order`, with o = W x_i + b computed before the update:
       g_j  = -lr * clip(w_i * dloss(o_j, y_ij)) / mean_w
       W   <- max(0, 1 - lr * l2) W,   W_j += g_j x_i,   b_j += decay * g_j
   then, once `average_start` samples were seen, the averaged SGD step, and
   with an L1 part the cumulative truncated gradient of Tsuruoka, Tsujii and
   Ananiadou (2009): u += lr * l1; every touched coordinate is clipped
   toward zero by what u says it should have lost so far, minus what it did
   lose (q).

   The working state is double and feature-major (v[f * k + j]), so a sparse
   row touches k contiguous values per stored entry:
   - W = wscale * v: the L2 shrink is one multiply; v is rescaled when
     wscale falls below `rescale_below` (scikit-learn's thresholds);
   - the average is (aw + avg_a * v) / avg_b (the sparse averaging trick of
     Bottou's "Stochastic gradient descent tricks", 2012), so a row's
     averaging step also touches only its entries;
   - q: the L1 applied so far per coordinate, u: the total L1 offered.
   The state lives across the epochs of one fit; sync writes the model's
   parameters (and averages) of the dtype of X after each epoch.

   A dense row is a row whose entries are all d features in order. The code
   below the #else is compiled twice, for double and float X. */
#ifndef SKOPT_REAL
#include <math.h>
#include <stdint.h>
#include <stddef.h>

#define MAX_DLOSS 1e12

enum { SQUARED_ERROR, HUBER, EPSILON_INSENSITIVE, SQUARED_EPSILON_INSENSITIVE,
       POISSON, HINGE, PERCEPTRON, SQUARED_HINGE, MODIFIED_HUBER, LOG_LOSS,
       MULTINOMIAL };

typedef struct {
    /* data: dense X (rows of d) when indptr is NULL, else CSR */
    const void *X;
    const int64_t *indptr;
    const int32_t *indices;
    const void *Y;            /* n x k targets, coded as the loss wants */
    const void *sw;           /* sample weights or NULL */
    const int64_t *order;     /* the rows of this epoch */
    int64_t n, d, k;
    /* the model's tensors, dtype of X: k x d weights, k biases (or NULL),
       and the averages (NULL without averaging) */
    void *W, *b, *AW, *Ab;
    /* working state, double: v and aw d x k, vb, ab, out and g of k, q d x k
       (NULL without L1) */
    double *v, *vb, *aw, *ab, *q, *out, *g;
    int32_t loss, clip;
    double eps, head_div;     /* loss width; divisor of a head's loss */
    int32_t schedule;         /* 0 constant, 1 'optimal', 2 'invscaling' */
    int32_t fit_intercept;
    double lr0, power_t, alpha, t0;
    double l2, l1, mean_w, intercept_decay, rescale_below;
    int64_t t;                /* updates before this epoch (in/out) */
    int64_t seen;             /* samples seen (in/out) */
    int64_t average_start;    /* 0: no averaging */
    int64_t n_averaged;       /* (in/out) */
    double wscale, u, avg_a, avg_b;
} sgd_state;

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
void skopt_est_sgd_fold(sgd_state *s) {
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
#include __FILE__
#undef SKOPT_REAL
#undef SKOPT_NAME
#define SKOPT_REAL float
#define SKOPT_NAME(name) name##_f32
#include __FILE__

#else  /* ------------------------------------------- the dtype of X: REAL */
typedef SKOPT_REAL SKOPT_NAME(real);

/* the model's tensors -> the working state (a fresh fit, or the model was
   changed between epochs) */
void SKOPT_NAME(skopt_est_sgd_load)(sgd_state *s, int averages) {
    const SKOPT_NAME(real) *W = s->W, *b = s->b, *AW = s->AW, *Ab = s->Ab;
    int64_t d = s->d, k = s->k;
    if (s->aw && !averages) skopt_est_sgd_fold(s);  /* keep the average */
    for (int64_t j = 0; j < k; j++) {
        for (int64_t f = 0; f < d; f++) s->v[f * k + j] = W[j * d + f];
        s->vb[j] = b ? b[j] : 0.0;
    }
    s->wscale = 1.0;
    if (averages && s->aw) {
        for (int64_t j = 0; j < k; j++) {
            for (int64_t f = 0; f < d; f++) s->aw[f * k + j] = AW[j * d + f];
            s->ab[j] = Ab ? Ab[j] : 0.0;
        }
        s->avg_a = 0.0; s->avg_b = 1.0;
    }
}

/* the working state -> the model's tensors (and the averages, once
   averaging started) */
void SKOPT_NAME(skopt_est_sgd_sync)(sgd_state *s) {
    SKOPT_NAME(real) *W = s->W, *b = s->b, *AW = s->AW, *Ab = s->Ab;
    int64_t d = s->d, k = s->k;
    double ws = s->wscale, a = s->avg_a, inv_b = 1.0 / s->avg_b;
    for (int64_t j = 0; j < k; j++) {
        for (int64_t f = 0; f < d; f++)
            W[j * d + f] = (SKOPT_NAME(real))(ws * s->v[f * k + j]);
        if (b) b[j] = (SKOPT_NAME(real))s->vb[j];
    }
    if (s->aw && s->n_averaged > 0) {
        for (int64_t j = 0; j < k; j++) {
            for (int64_t f = 0; f < d; f++) {
                int64_t at = f * k + j;
                AW[j * d + f] = (SKOPT_NAME(real))((s->aw[at] + a * s->v[at]) * inv_b);
            }
            if (Ab) Ab[j] = (SKOPT_NAME(real))s->ab[j];
        }
    }
}

/* One epoch over `order`; returns the weighted loss sum. A row's entries:
   (indices[e], x[e]) for CSR, (e, x[e]) for a dense row; `sparse` is a
   constant at each call, so the compiler specialises the loops; so is
   `one_head` (k = 1: binary and single-output fits). */
static inline __attribute__((always_inline)) double
SKOPT_NAME(epoch)(sgd_state *s, const int sparse,
                                       const int one_head) {
    const SKOPT_NAME(real) *X = s->X, *Y = s->Y, *sw = s->sw;
    const int64_t d = s->d, k = one_head ? 1 : s->k;
    double *v = s->v, *vb = s->vb, *aw = s->aw, *ab = s->ab, *q = s->q;
    double *out = s->out, *g = s->g, yk[k > 0 ? k : 1];
    double total = 0.0, wscale = s->wscale, u = s->u;
    int64_t t = s->t, seen = s->seen, n_avg = s->n_averaged;
    for (int64_t r = 0; r < s->n; r++) {
        int64_t i = s->order[r], nnz = d;
        const SKOPT_NAME(real) *x;
        const int32_t *ind = NULL;
        if (sparse) {
            int64_t start = s->indptr[i];
            nnz = s->indptr[i + 1] - start;
            x = X + start;
            ind = s->indices + start;
        } else {
            x = X + i * d;
        }
        double wi = sw ? sw[i] : 1.0;
        double lr = s->schedule == 1 ? 1.0 / (s->alpha * (s->t0 + (double)t))
                  : s->schedule == 2 ? s->lr0 / pow((double)t + 1.0, s->power_t)
                  : s->lr0;
        for (int64_t j = 0; j < k; j++) out[j] = 0.0;
        for (int64_t e = 0; e < nnz; e++) {
            const double *vf = v + (sparse ? ind[e] : e) * k;
            double val = x[e];
            for (int64_t j = 0; j < k; j++) out[j] += vf[j] * val;
        }
        for (int64_t j = 0; j < k; j++) {
            out[j] = out[j] * wscale + vb[j];
            yk[j] = Y[i * k + j];
        }
        if (s->loss == MULTINOMIAL) {
            total += wi * multinomial(out, yk, k, g);
        } else {
            for (int64_t j = 0; j < k; j++)
                total += wi * head_loss(s->loss, out[j], yk[j], s->eps,
                                        s->head_div, g + j);
        }
        int any = 0;
        for (int64_t j = 0; j < k; j++) {
            double gj = g[j] * wi;
            if (s->clip) gj = gj > MAX_DLOSS ? MAX_DLOSS : (gj < -MAX_DLOSS ? -MAX_DLOSS : gj);
            g[j] = -lr * (gj / s->mean_w);
            any |= g[j] != 0.0;
        }
        if (s->l2 != 0.0) {
            /* as scikit-learn: never a negative scale, zero weights instead */
            double shrink = 1.0 - lr * s->l2;
            wscale *= shrink > 0.0 ? shrink : 0.0;
            if (wscale < s->rescale_below) {
                s->wscale = wscale;
                skopt_est_sgd_fold(s);
                wscale = 1.0;
            }
        }
        if (any) {
            for (int64_t j = 0; j < k; j++) out[j] = g[j] / wscale;
            for (int64_t e = 0; e < nnz; e++) {
                double *vf = v + (sparse ? ind[e] : e) * k, val = x[e];
                for (int64_t j = 0; j < k; j++) vf[j] += val * out[j];
            }
            if (s->fit_intercept)
                for (int64_t j = 0; j < k; j++) vb[j] += g[j] * s->intercept_decay;
        }
        seen++;
        if (aw && seen >= s->average_start) {
            double n_now = (double)(++n_avg), mu = 1.0 / n_now, a = s->avg_a;
            if (any) {
                for (int64_t j = 0; j < k; j++) out[j] = -g[j] / wscale;
                for (int64_t e = 0; e < nnz; e++) {
                    double *af = aw + (sparse ? ind[e] : e) * k, val = x[e];
                    for (int64_t j = 0; j < k; j++) af[j] += a * val * out[j];
                }
            }
            if (n_now > 1.0) s->avg_b /= 1.0 - mu;
            s->avg_a += mu * s->avg_b * wscale;
            if (s->fit_intercept)
                for (int64_t j = 0; j < k; j++) ab[j] += (vb[j] - ab[j]) / n_now;
        }
        if (q) {
            u += lr * s->l1;
            for (int64_t e = 0; e < nnz; e++) {
                int64_t at = (sparse ? ind[e] : e) * k;
                for (int64_t j = 0; j < k; j++) {
                    double z = v[at + j], w = z;
                    if (wscale * z > 0.0) {
                        w = z - (u + q[at + j]) / wscale;
                        if (w < 0.0) w = 0.0;
                    } else if (wscale * z < 0.0) {
                        w = z + (u - q[at + j]) / wscale;
                        if (w > 0.0) w = 0.0;
                    }
                    v[at + j] = w;
                    q[at + j] += wscale * (w - z);
                }
            }
        }
        t++;
    }
    s->wscale = wscale;
    s->u = u;
    s->t = t;
    s->seen = seen;
    s->n_averaged = n_avg;
    return total;
}

double SKOPT_NAME(skopt_est_sgd_epoch)(sgd_state *s) {
    if (s->k == 1)
        return s->indptr ? SKOPT_NAME(epoch)(s, 1, 1) : SKOPT_NAME(epoch)(s, 0, 1);
    return s->indptr ? SKOPT_NAME(epoch)(s, 1, 0) : SKOPT_NAME(epoch)(s, 0, 0);
}
#endif
