/* W3, matched bit for bit: clipped GD on f(x) = (c/p)|x|^p (p = 4) for n grid points
 * (eta[j], gamma[j]) in lockstep.
 *
 * The grid loop is innermost and branch-free, so gcc vectorises it (SIMD across grid points).
 * Points are processed in blocks of BLOCK (the block's arrays stay in L1).  Compiled with
 * -fopenmp, the blocks are shared among `threads` threads, each running its blocks' whole time
 * loop, as theorysim's sweep does (blocks on threads); compiled without it, the pragma is
 * ignored and this is the one-thread version.  Same arithmetic, in the same order, as
 * theorysim's generated batch loop (compile with -ffp-contract=off: no FMA):
 *
 *     g = c*(x*x*x);  x <- x - (eta |g| > gamma eta ? gamma eta sign(g) : eta g);
 *     f = (1/p)*(x*g) at the end
 *
 * (the step h g of clipped GD, h = min(eta, gamma*eta/|g|), with its case written out, as
 * theorysim's clipped_gd.move_1d does for one coordinate).
 *
 * In:  x[j] the starts (overwritten with the final iterates), eta[j], gamma_eta[j] = gamma*eta.
 * Out: final_loss[j] = f(x_steps) (NaN if the run diverged); first_hit[j] = first t with
 *      |f'(x_t)| <= tol (-1: never); diverged_at[j] = first t with a non-finite f or |f'|
 *      (-1: never; such a run keeps iterating on NaN/inf here, which changes no output).
 */
#include <math.h>
#include <stdint.h>

#define BLOCK 512

static void block(int64_t n, double *restrict x, const double *restrict eta,
                  const double *restrict gamma_eta, double c, double inv_p, double tol,
                  int64_t steps, double *restrict final_loss, int64_t *restrict first_hit,
                  int64_t *restrict bad)
{
    for (int64_t j = 0; j < n; ++j)
        first_hit[j] = bad[j] = -1;
    for (int64_t t = 0; t < steps; ++t) {
        for (int64_t j = 0; j < n; ++j) { /* vectorised */
            const double xj = x[j];
            const double g = c * (xj * xj * xj);
            const double gn = fabs(g);
            /* f = (1/p) x g is finite iff x g is; a NaN in g makes both NaN */
            const double fx = fabs(xj * g);
            const double worst = gn > fx ? gn : fx;
            const int64_t b = bad[j], hit = first_hit[j];
            bad[j] = (b < 0 && !(worst < INFINITY)) ? t : b;
            first_hit[j] = (hit < 0 && gn <= tol && worst < INFINITY) ? t : hit;
            /* clipped_gd.move_1d: clipped iff eta |g| > gamma eta */
            x[j] = xj - (eta[j] * gn > gamma_eta[j] ? copysign(gamma_eta[j], g) : eta[j] * g);
        }
    }
    for (int64_t j = 0; j < n; ++j) { /* t = steps: evaluate only */
        const double xj = x[j];
        const double g = c * (xj * xj * xj);
        const double gn = fabs(g);
        const double f = inv_p * (xj * g);
        const int nonfinite = !(gn < INFINITY) | !(fabs(f) < INFINITY);
        bad[j] = (bad[j] < 0) & nonfinite ? steps : bad[j];
        first_hit[j] = (first_hit[j] < 0) & (gn <= tol) & (bad[j] < 0) ? steps : first_hit[j];
        final_loss[j] = bad[j] < 0 ? f : NAN;
    }
}

void w3_sweep_matched(int64_t n, double *x, const double *eta, const double *gamma_eta, double c,
                      double p, double tol, int64_t steps, int threads, double *final_loss,
                      int64_t *first_hit, int64_t *bad)
{
    const double inv_p = 1.0 / p;
    const int64_t n_blocks = (n + BLOCK - 1) / BLOCK;
    (void)threads; /* unused without OpenMP */
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t b = 0; b < n_blocks; ++b) {
        const int64_t j0 = b * BLOCK;
        const int64_t m = n - j0 < BLOCK ? n - j0 : BLOCK;
        block(m, x + j0, eta + j0, gamma_eta + j0, c, inv_p, tol, steps, final_loss + j0,
              first_hit + j0, bad + j0);
    }
}
