/* The code of sgd.c that depends on the dtype of X, included there twice:
   SKOPT_REAL is the element type (double, float) and SKOPT_NAME(name) gives
   each function its dtype suffix (_f64, _f32). No include guard, on purpose. */
typedef SKOPT_REAL SKOPT_NAME(real);

/* the model's tensors -> the working state (a fresh fit, or the model was
   changed between epochs) */
void SKOPT_NAME(skopt_est_sgd_load)(sgd_state *s, int averages) {
    const SKOPT_NAME(real) *W = s->W, *b = s->b, *AW = s->AW, *Ab = s->Ab;
    int64_t d = s->d, k = s->k, fs = s->feature_major ? k : 1;
    int64_t hs = s->feature_major ? 1 : d;
    if (s->aw && !averages) sgd_fold(s);  /* keep the average */
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
SGD_INLINE const SKOPT_NAME(real) *
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
SGD_INLINE void
SKOPT_NAME(prefetch_row)(const sgd_state *s, const SKOPT_NAME(real) *X,
                         int64_t i, const int sparse) {
    int64_t start = sparse ? s->indptr[i] : i * s->d;
    int64_t end = sparse ? s->indptr[i + 1] : start + s->d;
    for (const char *at = (const char *)(X + start);
         at < (const char *)(X + end); at += 64)
        SGD_PREFETCH(at);
    if (sparse)
        for (const char *at = (const char *)(s->indices + start);
             at < (const char *)(s->indices + end); at += 64)
            SGD_PREFETCH(at);
}

/* One epoch over `order`; returns the weighted loss sum. A row's entries:
   (indices[e], x[e]) for CSR, (e, x[e]) for a dense row; `sparse` is a
   constant at each call, so the compiler specialises the loops; so is
   `one_head` (k = 1: binary and single-output fits). */
SGD_INLINE double
SKOPT_NAME(epoch)(sgd_state *s, const int sparse,
                                       const int one_head) {
    const SKOPT_NAME(real) *X = s->X, *Y = s->Y, *sw = s->sw;
    const int64_t d = s->d, k = one_head ? 1 : s->k;
    double *v = s->v, *vb = s->vb, *aw = s->aw, *ab = s->ab, *q = s->q;
    double *out = s->out, *g = s->g, *yk = s->yk;
    double total = 0.0, wscale = s->wscale, u = s->u;
    int64_t t = s->t, seen = s->seen, n_avg = s->n_averaged;
    for (int64_t r = 0; r < s->n; r++) {
        int64_t i = s->order[r], nnz = d;
        const int32_t *ind = NULL;
        const SKOPT_NAME(real) *x = SKOPT_NAME(row)(s, X, i, sparse, &nnz, &ind);
        if (r + PREFETCH_AHEAD < s->n)
            SKOPT_NAME(prefetch_row)(s, X, s->order[r + PREFETCH_AHEAD], sparse);
        double wi = sw ? sw[i] : 1.0;
        double lr = s->schedule == SCHEDULE_OPTIMAL ? 1.0 / (s->alpha * (s->t0 + (double)t))
                  : s->schedule == SCHEDULE_INVSCALING ? s->lr0 / pow((double)t + 1.0, s->power_t)
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
                sgd_fold(s);
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
SGD_INLINE double
SKOPT_NAME(exact)(sgd_state *s, const int sparse) {
    const SKOPT_NAME(real) *X = s->X, *Y = s->Y, *sw = s->sw;
    const int64_t d = s->d;
    const double alpha = s->alpha, l1r = s->l1_ratio, pen = s->pen_alpha;
    double *v = s->v, *aw = s->aw, *q = s->q;
    double b = s->vb[0], ab = s->ab ? s->ab[0] : 0.0;
    double total = 0.0, objective = 0.0, sumloss = 0.0;
    double wscale = s->wscale, u = s->u, sq = s->sq_norm, l1n = s->l1_norm;
    int64_t t = s->t, seen = s->seen, n_avg = s->n_averaged;
    const int passive_aggressive = s->schedule >= SCHEDULE_PA1;
    if (s->shuffle) sgd_shuffle(s->index, s->n_index, s->seed);
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
        eta = s->schedule == SCHEDULE_OPTIMAL ? 1.0 / (alpha * (s->t0 + tt - 1.0))
            : s->schedule == SCHEDULE_INVSCALING ? s->lr0 / pow(tt, s->power_t) : s->lr0;
        double y = Y[i], cw = y > 0.0 ? s->pos_weight : s->neg_weight;
        double wi = cw * (sw ? (double)sw[i] : 1.0);
        double loss = sk_loss(s->loss, p, y, s->eps, &dloss), norm = sqrt(sq);
        objective += loss;
        sumloss += loss;
        if (pen != 0.0 && !passive_aggressive)
            objective += pen * ((1.0 - l1r) * 0.5 * (norm * norm) + l1r * l1n);
        total += wi * loss;
        double update;
        if (passive_aggressive) {
            /* the step that makes the loss zero, capped (PA-I) or damped
               (PA-II) by C = lr0 (Crammer et al., 2006); a PA-I row of zeros
               is skipped uncounted, as scikit-learn skips it */
            double x_sq = 0.0;
            for (int64_t e = 0; e < nnz; e++) x_sq += (double)x[e] * (double)x[e];
            if (s->schedule == SCHEDULE_PA1) {
                if (x_sq == 0.0) continue;
                update = loss / x_sq < s->lr0 ? loss / x_sq : s->lr0;
            } else {
                update = loss / (x_sq + 0.5 / s->lr0);
            }
            if (s->loss == HINGE) update *= y;
            else if (y - p < 0.0) update = -update;
        } else {
            dloss = dloss < -MAX_DLOSS ? -MAX_DLOSS : (dloss > MAX_DLOSS ? MAX_DLOSS : dloss);
            update = -eta * dloss;
        }
        update *= wi;
        if (pen != 0.0 && l1r < 1.0) {
            /* as scikit-learn: never a negative scale, zero weights instead */
            double c = 1.0 - ((1.0 - l1r) * eta * pen);
            c = c > 0.0 ? c : 0.0;
            wscale *= c; sq *= c * c; l1n *= fabs(c);
            if (wscale < s->rescale_below) {
                s->wscale = wscale;
                sgd_fold(s);
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
