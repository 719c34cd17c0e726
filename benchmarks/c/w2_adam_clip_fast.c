/* W2, fastest honest C: the same Adam + global-norm clipping on the separable quartic as
 * w2_adam_clip_matched.c (same math, same records: f at every iteration, the first iteration
 * with a non-finite f or |g|), written for speed.  Results agree to ~1e-15 relative (until W2's chaotic
 * end, see bench.py), not bit for bit, because
 *
 *   - the sums f and |g|^2 are SIMD reductions (`#pragma omp simd reduction`, built with
 *     -fopenmp-simd: several partial sums, added at the end -- a reordering of these two sums
 *     only; no -ffast-math);
 *   - eta/bc1 and 1/bc2 are computed once per iteration and multiply (no division by them);
 *   - built with -fno-math-errno: sqrt need not set errno, so the pass vectorises (results
 *     unchanged; 3.6x faster here);
 *   - one fused pass per iteration: the Adam step of coordinate i, then the new gradient of
 *     coordinate i and its terms of f and |g|^2.  The gradient is recomputed from x (3 flops)
 *     instead of being stored, so the pass reads x, m, v, a, b and writes x, m, v.
 *
 * Returns the first t with a non-finite f or |g| (the run stops there), or -1.
 */
#include <math.h>
#include <stdint.h>

int64_t w2_adam_clip_fast(int64_t d, double *restrict x, double *restrict m, double *restrict v,
                          const double *restrict a, const double *restrict b, double eta, double b1,
                          double b2, double eps, double clip, int64_t steps, double *restrict loss)
{
    double f = 0.0, n2 = 0.0;
#pragma omp simd reduction(+ : f, n2)
    for (int64_t i = 0; i < d; ++i) {
        const double xi = x[i];
        const double x2 = xi * xi;
        const double gi = (a[i] * x2 + b[i]) * xi;
        m[i] = v[i] = 0.0;
        f += x2 * (0.25 * a[i] * x2 + 0.5 * b[i]);
        n2 += gi * gi;
    }
    const double c1 = 1.0 - b1, c2 = 1.0 - b2;
    for (int64_t t = 0;; ++t) {
        const double gn = sqrt(n2);
        loss[t] = f;
        if (!(gn < INFINITY) || !(fabs(f) < INFINITY))
            return t;
        if (t == steps)
            break;
        const double q = clip / gn;
        const double s = q < 1.0 ? q : 1.0;
        const double k1 = eta / (1.0 - pow(b1, t + 1.0)), k2 = 1.0 / (1.0 - pow(b2, t + 1.0));
        f = 0.0;
        n2 = 0.0;
#pragma omp simd reduction(+ : f, n2)
        for (int64_t i = 0; i < d; ++i) {
            double xi = x[i];
            double x2 = xi * xi;
            const double gt = s * ((a[i] * x2 + b[i]) * xi);
            const double mi = b1 * m[i] + c1 * gt;
            const double vi = b2 * v[i] + c2 * (gt * gt);
            m[i] = mi;
            v[i] = vi;
            const double num = k1 * mi;
            xi -= num != 0.0 ? num / (sqrt(k2 * vi) + eps) : 0.0;
            x[i] = xi;
            x2 = xi * xi;
            const double gi = (a[i] * x2 + b[i]) * xi;
            f += x2 * (0.25 * a[i] * x2 + 0.5 * b[i]);
            n2 += gi * gi;
        }
    }
    return -1;
}
