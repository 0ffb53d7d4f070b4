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
   below the #else is compiled twice, for double and float X. */
#ifndef SKOPT_REAL
#include <math.h>
#include <stdint.h>
#include <stddef.h>

#define MAX_DLOSS 1e12
/* rows between a row's prefetch and its training (2: 0.55x SGDRegressor's
   time at all defaults, 1: 0.57x, 4 and 8 no better) */
#define PREFETCH_AHEAD 2

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
    int32_t feature_major;    /* v[f * k + j] (CSR rows) or v[j * d + f] */
    /* scikit-learn's own SGD (exact_epoch), one head of a one-vs-all fit:
       `index` is its dataset's order, reshuffled in place at each epoch
       start from the same `seed`; `row_of` maps an entry to a training row
       (-1: a validation row, skipped), NULL is the identity */
    int32_t shuffle;
    uint32_t seed;
    int64_t *index;
    const int64_t *row_of;
    int64_t n_index;
    double pos_weight, neg_weight;   /* the class weight of y > 0, y <= 0 */
    double l1_ratio, pen_alpha;      /* the penalty in scikit-learn's terms */
    double sq_norm, l1_norm;         /* its running norms of W (in/out) */
    double objective;                /* out: unweighted loss + penalty sum */
    double sumloss;                  /* out: unweighted loss sum (verbose) */
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
void skopt_est_sgd_shuffle(int64_t *index, int64_t n, uint32_t seed) {
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
    int64_t d = s->d, k = s->k, fs = s->feature_major ? k : 1;
    int64_t hs = s->feature_major ? 1 : d;
    if (s->aw && !averages) skopt_est_sgd_fold(s);  /* keep the average */
    for (int64_t j = 0; j < k; j++) {
        for (int64_t f = 0; f < d; f++) s->v[f * fs + j * hs] = W[j * d + f];
        s->vb[j] = b ? b[j] : 0.0;
    }
    s->wscale = 1.0;
    s->sq_norm = 0.0; s->l1_norm = 0.0;
    for (int64_t f = 0; f < d * k; f++) {
        s->sq_norm += s->v[f] * s->v[f];
        s->l1_norm += fabs(s->v[f]);
    }
    if (averages && s->aw) {
        for (int64_t j = 0; j < k; j++) {
            for (int64_t f = 0; f < d; f++) s->aw[f * fs + j * hs] = AW[j * d + f];
            s->ab[j] = Ab ? Ab[j] : 0.0;
        }
        s->avg_a = 0.0; s->avg_b = 1.0;
    }
}

/* the working state -> the model's tensors (and the averages, once
   averaging started) */
void SKOPT_NAME(skopt_est_sgd_sync)(sgd_state *s) {
    SKOPT_NAME(real) *W = s->W, *b = s->b, *AW = s->AW, *Ab = s->Ab;
    int64_t d = s->d, k = s->k, fs = s->feature_major ? k : 1;
    int64_t hs = s->feature_major ? 1 : d;
    double ws = s->wscale, a = s->avg_a, inv_b = 1.0 / s->avg_b;
    for (int64_t j = 0; j < k; j++) {
        for (int64_t f = 0; f < d; f++)
            W[j * d + f] = (SKOPT_NAME(real))(ws * s->v[f * fs + j * hs]);
        if (b) b[j] = (SKOPT_NAME(real))s->vb[j];
    }
    if (s->aw && s->n_averaged > 0) {
        for (int64_t j = 0; j < k; j++) {
            for (int64_t f = 0; f < d; f++) {
                int64_t at = f * fs + j * hs;
                AW[j * d + f] = (SKOPT_NAME(real))((s->aw[at] + a * s->v[at]) * inv_b);
            }
            if (Ab) Ab[j] = (SKOPT_NAME(real))s->ab[j];
        }
    }
}

/* Row i of X: its values, and for CSR its column ids and count in *nnz
   (dense rows keep *nnz = d and *ind = NULL). */
static inline __attribute__((always_inline)) const SKOPT_NAME(real) *
SKOPT_NAME(row)(const sgd_state *s, const SKOPT_NAME(real) *X, int64_t i,
                const int sparse, int64_t *nnz, const int32_t **ind) {
    if (!sparse) return X + i * s->d;
    int64_t start = s->indptr[i];
    *nnz = s->indptr[i + 1] - start;
    *ind = s->indices + start;
    return X + start;
}

/* Row i's entries into the cache while the rows before it train: the rows
   come in shuffled order, so each row's first cache line was a miss (at
   all defaults, time / scikit-learn's SGD went from 0.97x to 0.55x on
   200 000 x 100 dense rows, 1.07x to 0.8x on 20-class text-like CSR) */
static inline __attribute__((always_inline)) void
SKOPT_NAME(prefetch_row)(const sgd_state *s, const SKOPT_NAME(real) *X,
                         int64_t i, const int sparse) {
    int64_t start = sparse ? s->indptr[i] : i * s->d;
    int64_t end = sparse ? s->indptr[i + 1] : start + s->d;
    for (const char *at = (const char *)(X + start);
         at < (const char *)(X + end); at += 64)
        __builtin_prefetch(at);
    if (sparse)
        for (const char *at = (const char *)(s->indices + start);
             at < (const char *)(s->indices + end); at += 64)
            __builtin_prefetch(at);
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
        const int32_t *ind = NULL;
        const SKOPT_NAME(real) *x = SKOPT_NAME(row)(s, X, i, sparse, &nnz, &ind);
        if (r + PREFETCH_AHEAD < s->n)
            SKOPT_NAME(prefetch_row)(s, X, s->order[r + PREFETCH_AHEAD], sparse);
        double wi = sw ? sw[i] : 1.0;
        double lr = s->schedule == 1 ? 1.0 / (s->alpha * (s->t0 + (double)t))
                  : s->schedule == 2 ? s->lr0 / pow((double)t + 1.0, s->power_t)
                  : s->lr0;
        if (sparse && one_head) {
            double o = 0.0;  /* in a register: out may alias v */
            for (int64_t e = 0; e < nnz; e++) o += v[ind[e]] * (double)x[e];
            out[0] = o;
        } else if (sparse) {
            for (int64_t j = 0; j < k; j++) out[j] = 0.0;
            for (int64_t e = 0; e < nnz; e++) {
                const double *vf = v + ind[e] * k;
                double val = x[e];
                for (int64_t j = 0; j < k; j++) out[j] += vf[j] * val;
            }
        } else {
            for (int64_t j = 0; j < k; j++) {
                const double *vj = v + j * d;
                double o = 0.0;
                for (int64_t e = 0; e < d; e++) o += vj[e] * x[e];
                out[j] = o;
            }
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
            if (sparse && one_head) {
                double c = out[0];
                for (int64_t e = 0; e < nnz; e++) v[ind[e]] += (double)x[e] * c;
            } else if (sparse) {
                for (int64_t e = 0; e < nnz; e++) {
                    double *vf = v + ind[e] * k, val = x[e];
                    for (int64_t j = 0; j < k; j++) vf[j] += val * out[j];
                }
            } else {
                for (int64_t j = 0; j < k; j++) {
                    double *vj = v + j * d, c = out[j];
                    if (g[j] != 0.0)
                        for (int64_t e = 0; e < d; e++) vj[e] += x[e] * c;
                }
            }
            if (s->fit_intercept)
                for (int64_t j = 0; j < k; j++) vb[j] += g[j] * s->intercept_decay;
        }
        seen++;
        if (aw && seen >= s->average_start) {
            double n_now = (double)(++n_avg), mu = 1.0 / n_now, a = s->avg_a;
            if (any) {
                for (int64_t j = 0; j < k; j++) out[j] = -g[j] / wscale;
                if (sparse) {
                    for (int64_t e = 0; e < nnz; e++) {
                        double *af = aw + ind[e] * k, val = x[e];
                        for (int64_t j = 0; j < k; j++) af[j] += a * val * out[j];
                    }
                } else {
                    for (int64_t j = 0; j < k; j++) {
                        double *aj = aw + j * d, c = out[j];
                        if (g[j] != 0.0)
                            for (int64_t e = 0; e < d; e++) aj[e] += a * x[e] * c;
                    }
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
                for (int64_t j = 0; j < k; j++) {
                    int64_t at = sparse ? ind[e] * k + j : j * d + e;
                    double z = v[at], w = z;
                    if (wscale * z > 0.0) {
                        w = z - (u + q[at]) / wscale;
                        if (w < 0.0) w = 0.0;
                    } else if (wscale * z < 0.0) {
                        w = z + (u - q[at]) / wscale;
                        if (w > 0.0) w = 0.0;
                    }
                    v[at] = w;
                    q[at] += wscale * (w - z);
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

/* One epoch of scikit-learn's _plain_sgd for one head (k = 1): its order,
   weights (class weight times sample weight, raw), arithmetic, running
   norms and objective, operation for operation; returns the weighted loss
   sum, s->objective gets the sum its stop rule compares. */
static inline __attribute__((always_inline)) double
SKOPT_NAME(exact)(sgd_state *s, const int sparse) {
    const SKOPT_NAME(real) *X = s->X, *Y = s->Y, *sw = s->sw;
    const int64_t d = s->d;
    const double alpha = s->alpha, l1r = s->l1_ratio, pen = s->pen_alpha;
    double *v = s->v, *aw = s->aw, *q = s->q;
    double b = s->vb[0], ab = s->ab ? s->ab[0] : 0.0;
    double total = 0.0, objective = 0.0, sumloss = 0.0;
    double wscale = s->wscale, u = s->u, sq = s->sq_norm, l1n = s->l1_norm;
    int64_t t = s->t, seen = s->seen, n_avg = s->n_averaged;
    if (s->shuffle) skopt_est_sgd_shuffle(s->index, s->n_index, s->seed);
    for (int64_t r = 0; r < s->n_index; r++) {
        int64_t i = s->index[r], nnz = d;
        if (s->row_of && (i = s->row_of[i]) < 0) continue;
        const int32_t *ind = NULL;
        const SKOPT_NAME(real) *x = SKOPT_NAME(row)(s, X, i, sparse, &nnz, &ind);
        if (r + PREFETCH_AHEAD < s->n_index) {
            int64_t next = s->index[r + PREFETCH_AHEAD];
            if (!s->row_of || (next = s->row_of[next]) >= 0)
                SKOPT_NAME(prefetch_row)(s, X, next, sparse);
        }
        double p = 0.0, tt = (double)(t + 1), eta, dloss;
        for (int64_t e = 0; e < nnz; e++) p += v[sparse ? ind[e] : e] * (double)x[e];
        p *= wscale;
        p += b;
        eta = s->schedule == 1 ? 1.0 / (alpha * (s->t0 + tt - 1.0))
            : s->schedule == 2 ? s->lr0 / pow(tt, s->power_t) : s->lr0;
        double y = Y[i], cw = y > 0.0 ? s->pos_weight : s->neg_weight;
        double wi = cw * (sw ? (double)sw[i] : 1.0);
        double loss = sk_loss(s->loss, p, y, s->eps, &dloss), norm = sqrt(sq);
        objective += loss;
        sumloss += loss;
        if (pen != 0.0)
            objective += pen * ((1.0 - l1r) * 0.5 * (norm * norm) + l1r * l1n);
        total += wi * loss;
        dloss = dloss < -MAX_DLOSS ? -MAX_DLOSS : (dloss > MAX_DLOSS ? MAX_DLOSS : dloss);
        double update = -eta * dloss;
        update *= wi;
        if (pen != 0.0 && l1r < 1.0) {
            /* as scikit-learn: never a negative scale, zero weights instead */
            double c = 1.0 - ((1.0 - l1r) * eta * pen);
            c = c > 0.0 ? c : 0.0;
            wscale *= c; sq *= c * c; l1n *= fabs(c);
            if (wscale < s->rescale_below) {
                s->wscale = wscale;
                skopt_est_sgd_fold(s);
                wscale = 1.0;
            }
        }
        if (update != 0.0) {
            double step = update / wscale, acc2 = 0.0, acc1 = 0.0;
            for (int64_t e = 0; e < nnz; e++) {
                double *w = v + (sparse ? ind[e] : e);
                *w += (double)x[e] * step;
                acc2 += *w * *w;
                acc1 += fabs(*w);
            }
            sq = acc2 * (wscale * wscale);
            l1n = acc1 * wscale;
            if (s->fit_intercept) b += update * s->intercept_decay;
        }
        if (aw && s->average_start <= tt) {
            double num = tt - (double)s->average_start + 1.0, mu = 1.0 / num;
            double a = s->avg_a, step = -update / wscale;
            for (int64_t e = 0; e < nnz; e++)
                aw[sparse ? ind[e] : e] += a * (double)x[e] * step;
            if (num > 1.0) s->avg_b /= 1.0 - mu;
            s->avg_a += mu * s->avg_b * wscale;
            ab += (b - ab) / num;
            n_avg++;
        }
        if (q) {
            u += l1r * eta * pen;
            for (int64_t e = 0; e < nnz; e++) {
                int64_t at = sparse ? ind[e] : e;
                double z = v[at];
                if (wscale * z > 0.0) {
                    double w = z - (u + q[at]) / wscale;
                    v[at] = w > 0.0 ? w : 0.0;
                } else if (wscale * z < 0.0) {
                    double w = z + (u - q[at]) / wscale;
                    v[at] = w < 0.0 ? w : 0.0;
                }
                q[at] += wscale * (v[at] - z);
            }
        }
        t++;
        seen++;
    }
    s->vb[0] = b;
    if (s->ab) s->ab[0] = ab;
    s->wscale = wscale; s->u = u; s->sq_norm = sq; s->l1_norm = l1n;
    s->t = t; s->seen = seen; s->n_averaged = n_avg;
    s->objective = objective;
    s->sumloss = sumloss;
    return total;
}

double SKOPT_NAME(skopt_est_sgd_exact_epoch)(sgd_state *s) {
    return s->indptr ? SKOPT_NAME(exact)(s, 1) : SKOPT_NAME(exact)(s, 0);
}

double SKOPT_NAME(skopt_est_sgd_epoch)(sgd_state *s) {
    if (s->k == 1)
        return s->indptr ? SKOPT_NAME(epoch)(s, 1, 1) : SKOPT_NAME(epoch)(s, 0, 1);
    return s->indptr ? SKOPT_NAME(epoch)(s, 1, 0) : SKOPT_NAME(epoch)(s, 0, 0);
}
#endif
