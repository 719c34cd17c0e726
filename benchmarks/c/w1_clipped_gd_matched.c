/* W1, matched bit for bit: one clipped-GD trajectory on f(x) = (c/p)|x|^p with p = 4,
 * recording f and |f'| at every iteration.
 *
 * Same arithmetic, in the same order, as theorysim's generated single-run loop
 * (objectives/power.py `value_and_grad`, methods/clipped_gd.py `update` and `move_1d`) and the
 * Python loop in bench.py, so all three agree to the last bit (compile with -ffp-contract=off:
 * no FMA):
 *
 *     g = c*(x*x*x);  f = (1/p)*(x*g);  x <- x - (eta |g| > gamma eta ? gamma eta sign(g) : eta g)
 *
 * (clipped GD's step h g, h = min(eta, gamma*eta/|g|), with its case written out).
 *
 * Iterations t = 0..steps each evaluate f and g (steps + 1 records); the last takes no step.
 * A non-finite f or |g| ends the run (*stop = that t, else -1), as in theorysim.
 * Returns the last iterate.
 */
#include <math.h>
#include <stdint.h>

double w1_clipped_gd_matched(double x, double c, double p, double eta, double gamma, int64_t steps,
                             double *restrict loss, double *restrict grad_norm, int64_t *restrict stop)
{
    const double inv_p = 1.0 / p;
    const double gamma_eta = gamma * eta;
    *stop = -1;
    for (int64_t t = 0;; ++t) {
        const double g = c * (x * x * x);
        const double gn = fabs(g);
        const double f = inv_p * (x * g);
        loss[t] = f;
        grad_norm[t] = gn;
        if (!(gn < INFINITY) || !(fabs(f) < INFINITY)) {
            *stop = t;
            break;
        }
        if (t == steps)
            break;
        x -= eta * gn > gamma_eta ? copysign(gamma_eta, g) : eta * g; /* clipped_gd.move_1d */
    }
    return x;
}
