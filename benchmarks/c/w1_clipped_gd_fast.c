/* W1, fastest honest C: the clipped-GD trajectory of w1_clipped_gd_matched.c (same records f and
 * |f'| at every iteration, same stop at the first non-finite f or |f'|), written for the
 * shortest dependency chain from x_t to x_{t+1}:
 *
 *   - the division-free step of the matched loop (clipped iff gamma*eta < eta*|g|, then
 *     gamma*eta*sign(g), else eta*g), taken as a branch;
 *   - the unclipped step is x - (x*x)*(x*(c*eta)): two multiplications in parallel, then one,
 *     instead of four in a chain;
 *   - f and |g| are computed beside the chain, not on it.
 *
 * Results agree with the matched loop to ~1e-15 relative (rounding of reordered products).
 */
#include <math.h>
#include <stdint.h>

double w1_clipped_gd_fast(double x, double c, double p, double eta, double gamma, int64_t steps,
                          double *restrict loss, double *restrict grad_norm, int64_t *restrict stop)
{
    const double inv_p = 1.0 / p;
    const double gamma_eta = gamma * eta;
    const double c_eta = c * eta;
    *stop = -1;
    for (int64_t t = 0;; ++t) {
        const double x2 = x * x;
        const double g = c * (x2 * x);
        const double gn = fabs(g);
        const double f = inv_p * (x * g);
        loss[t] = f;
        grad_norm[t] = gn;
        if (__builtin_expect(!(gn < INFINITY) || !(fabs(f) < INFINITY), 0)) {
            *stop = t;
            break;
        }
        if (t == steps)
            break;
        if (eta * gn > gamma_eta)
            x -= copysign(gamma_eta, g);
        else
            x -= x2 * (x * c_eta);
    }
    return x;
}
