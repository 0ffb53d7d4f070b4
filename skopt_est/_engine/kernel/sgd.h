/* The state and entry points of the per-sample SGD kernel (sgd.c), read by
   its Cython binding (_sgd.pyx). Portable C99: gcc, clang and MSVC. */
#ifndef SKOPT_EST_SGD_H
#define SKOPT_EST_SGD_H
#include <stdint.h>

/* the losses the kernel codes; LOG_LOSS takes 0 / 1 targets, MULTINOMIAL
   one-hot targets (softmax) */
enum { SQUARED_ERROR, HUBER, EPSILON_INSENSITIVE, SQUARED_EPSILON_INSENSITIVE,
       POISSON, HINGE, PERCEPTRON, SQUARED_HINGE, MODIFIED_HUBER, LOG_LOSS,
       MULTINOMIAL };
/* per-update learning-rate clocks evaluated in the kernel, and the
   passive-aggressive steps of scikit-learn's 'pa1' and 'pa2' (exact_epoch
   only: hinge or epsilon-insensitive loss, lr0 is their C) */
enum { SCHEDULE_CONSTANT, SCHEDULE_OPTIMAL, SCHEDULE_INVSCALING, SCHEDULE_PA1,
       SCHEDULE_PA2 };

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
    /* working state, double: v and aw d x k, vb, ab, out, g and yk (a row's
       targets) of k, q d x k (NULL without L1) */
    double *v, *vb, *aw, *ab, *q, *out, *g, *yk;
    int32_t loss, clip;
    double eps, head_div;     /* loss width; divisor of a head's loss */
    int32_t schedule;         /* SCHEDULE_* */
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

/* one entry point per dtype of X: _f64 (double) and _f32 (float) */
void skopt_est_sgd_load_f64(sgd_state *s, int averages);
void skopt_est_sgd_load_f32(sgd_state *s, int averages);
void skopt_est_sgd_sync_f64(sgd_state *s);
void skopt_est_sgd_sync_f32(sgd_state *s);
double skopt_est_sgd_epoch_f64(sgd_state *s);
double skopt_est_sgd_epoch_f32(sgd_state *s);
double skopt_est_sgd_exact_epoch_f64(sgd_state *s);
double skopt_est_sgd_exact_epoch_f32(sgd_state *s);

#endif
