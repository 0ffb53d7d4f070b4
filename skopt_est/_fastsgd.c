/* One epoch of per-sample plain SGD on a dense linear model (skopt_est._fastsgd).

   The same updates as the engine's torch path at batch_size=1, in one call:
   for each row i of `order`, with o = W x_i + b (before the update),
       g_j  = clip(w_i * dloss(o_j, y_ij)) / mean_w     (clip only if unbounded)
       W_j <- (1 - lr * l2) W_j - lr * g_j x_i,   b_j <- b_j - lr * g_j.
   W is held as scale * V during the epoch (the L2 shrink is one multiply; a
   head with a zero derivative costs only its dot product) and folded back
   before |scale| underflows and at the end. */
#include <math.h>
#include <stdint.h>

#define MAX_DLOSS 1e12

enum { SQUARED_ERROR, HUBER, EPSILON_INSENSITIVE, SQUARED_EPSILON_INSENSITIVE,
       POISSON, HINGE, PERCEPTRON, SQUARED_HINGE, MODIFIED_HUBER, LOG_LOSS };

/* loss value and derivative d value / d o of one head; regression losses are
   means over the k outputs, classification losses sums over heads */
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

/* schedule: 0 constant lr0, 1 'optimal' 1 / (alpha (t0 + t)),
   2 'invscaling' lr0 / (t + 1)^power_t, t the update count before the step.
   Returns the weighted loss sum; *t_updates is advanced by n. */
double skopt_est_sgd_epoch(
        int64_t n, int64_t d, int64_t k, const double *X, const double *Y,
        const double *sw, const int64_t *order, double *W, double *b,
        int loss, int clip, double eps, int schedule, double lr0,
        double power_t, double alpha, double t0, double l2, double mean_w,
        int64_t *t_updates, double *out) {
    int64_t t = *t_updates;
    double scale = 1.0, total = 0.0, kd = (double)k;
    for (int64_t s = 0; s < n; s++) {
        int64_t i = order[s];
        const double *x = X + i * d, *y = Y + i * k;
        double wi = sw ? sw[i] : 1.0;
        double lr = schedule == 1 ? 1.0 / (alpha * (t0 + (double)t))
                  : schedule == 2 ? lr0 / pow((double)t + 1.0, power_t) : lr0;
        for (int64_t j = 0; j < k; j++) {
            const double *w = W + j * d;
            double o = 0.0;
            for (int64_t f = 0; f < d; f++) o += w[f] * x[f];
            out[j] = o * scale + (b ? b[j] : 0.0);
        }
        if (l2 != 0.0) {
            scale *= 1.0 - lr * l2;
            if (fabs(scale) < 1e-9) {
                for (int64_t f = 0; f < k * d; f++) W[f] *= scale;
                scale = 1.0;
            }
        }
        for (int64_t j = 0; j < k; j++) {
            double g;
            total += wi * head_loss(loss, out[j], y[j], eps, kd, &g);
            g *= wi;
            if (clip) g = g > MAX_DLOSS ? MAX_DLOSS : (g < -MAX_DLOSS ? -MAX_DLOSS : g);
            double step = -lr * (g / mean_w);
            if (step != 0.0) {
                double *w = W + j * d, c = step / scale;
                for (int64_t f = 0; f < d; f++) w[f] += c * x[f];
                if (b) b[j] += step;
            }
        }
        t++;
    }
    if (scale != 1.0)
        for (int64_t f = 0; f < k * d; f++) W[f] *= scale;
    *t_updates = t;
    return total;
}
