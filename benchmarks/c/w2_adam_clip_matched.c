/* W2, matched bit for bit: Adam (Kingma & Ba, bias-corrected, eps outside the sqrt) with
 * global-norm clipping at `clip` on the separable quartic
 *
 *     f(x) = sum_i a_i x_i^4/4 + b_i x_i^2/2      (theorysim's "separable_quartic")
 *
 * recording f at every iteration.  Same arithmetic, in the same order, as theorysim's generated
 * single-run loop (objectives/separable_quartic.py `value_and_grad`, engine/_kernel.py `norm`,
 * methods/adam_type.py `update`; compile with -ffp-contract=off: no FMA):
 *
 *     x2 = x_i*x_i;  g_i = (a_i*x2 + b_i)*x_i;  f = 0 + sum_i x2*((0.25*a_i)*x2 + 0.5*b_i)
 *     |g| = sqrt(0 + sum_i g_i*g_i)                       (both sums in index order)
 *     s = min(1, clip/(|g| + 0));  bc1 = 1 - b1^(t+1);  bc2 = 1 - b2^(t+1)
 *     gt = s*g_i;  m_i = b1 m_i + (1-b1) gt;  v_i = b2 v_i + (1-b2)(gt*gt)
 *     x_i -= eta*((m_i/bc1) / (sqrt(v_i/bc2) + eps))      (0 when m_i/bc1 == 0)
 *
 * Two passes per iteration (gradient and f, then |g|) as theorysim does, then the Adam pass.
 * Iterations t = 0..steps each evaluate f (steps + 1 records); the last takes no step.  A
 * non-finite f or |g| ends the run (returns that t; records after it are left untouched);
 * returns -1 otherwise.  x (length d) is updated in place; g, m, v are work arrays (m, v zeroed
 * here).
 */
#include <math.h>
#include <stdint.h>

int64_t w2_adam_clip_matched(int64_t d, double *restrict x, double *restrict g, double *restrict m,
                             double *restrict v, const double *restrict a, const double *restrict b,
                             double eta, double b1, double b2, double eps, double clip, int64_t steps,
                             double *restrict loss)
{
    for (int64_t i = 0; i < d; ++i)
        m[i] = v[i] = 0.0;
    for (int64_t t = 0;; ++t) {
        double f = 0.0;
        for (int64_t i = 0; i < d; ++i) {
            const double xi = x[i];
            const double x2 = xi * xi;
            g[i] = (a[i] * x2 + b[i]) * xi;
            f += x2 * (0.25 * a[i] * x2 + 0.5 * b[i]);
        }
        double n2 = 0.0;
        for (int64_t i = 0; i < d; ++i)
            n2 += g[i] * g[i];
        const double gn = sqrt(n2);
        loss[t] = f;
        if (!(gn < INFINITY) || !(fabs(f) < INFINITY))
            return t;
        if (t == steps)
            break;
        const double q = clip / (gn + 0.0);
        const double scale = q < 1.0 ? q : 1.0; /* numba's min(1.0, q) */
        const double bc1 = 1.0 - pow(b1, t + 1.0);
        const double bc2 = 1.0 - pow(b2, t + 1.0);
        for (int64_t i = 0; i < d; ++i) {
            const double gt = scale * g[i];
            const double mi = b1 * m[i] + (1.0 - b1) * gt;
            const double vi = b2 * v[i] + (1.0 - b2) * (gt * gt);
            const double mh = mi / bc1;
            m[i] = mi;
            v[i] = vi;
            x[i] -= mh != 0.0 ? eta * (mh / (sqrt(vi / bc2) + eps)) : 0.0;
        }
    }
    return -1;
}
