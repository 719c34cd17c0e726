/* W4, matched bit for bit: SGD with additive Gaussian noise, x <- x - eta*(lam*x + sigma*z), z ~ N(0, I), on
 * f(x) = (1/2) sum_i lam_i x_i^2, for n independent runs (one per seed), each `steps` updates.
 *
 * The random numbers are theorysim's, bit for bit: xoshiro256** (one stream per run, state given
 * by the caller from theorysim.oracles._rng.seed_states) and the 256-slab ziggurat of
 * theorysim.oracles._rng.normal, ported line by line, with the tables (k, w, f) and r written
 * from the Python arrays into _build/zig_tables.h by bench.py at build time.  The arithmetic is
 * that of theorysim's kernel (gradient lam*x, then + sigma*z coordinate by coordinate in index
 * order, then x -= eta*g; compile with -ffp-contract=off), so the final losses are bit-identical.
 *
 * As in theorysim, f and |grad f| (before the noise) are evaluated at every iteration and a
 * non-finite one ends the run: diverged_at[j] = that t (-1: never), final_loss[j] = NaN.
 *
 * Each run keeps its generator and its d <= 64 coordinates in locals for the whole time loop.
 * Compiled with -fopenmp, the runs are shared among `threads` threads (static schedule);
 * without, the pragma is ignored and this is the one-thread version.
 *
 * In:  S (4 x n, row-major, uint64) the generator states (advanced in place), x0 (d).
 * Out: final_loss[j] = f(x_steps) of run j, diverged_at[j].
 */
#include <math.h>
#include <stdint.h>

#include "zig_tables.h" /* ZIG_K[256], ZIG_W[256], ZIG_F[257], ZIG_R */

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next_u64(uint64_t s[4])
{
    const uint64_t out = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

static inline double uniform(uint64_t s[4])
{
    return (double)(int64_t)(next_u64(s) >> 11) * 0x1p-53;
}

static inline double exponential(uint64_t s[4]) { return 0.0 - log(1.0 - uniform(s)); }

static double normal_tail(uint64_t s[4], double r)
{
    for (;;) {
        const double a = exponential(s) / r;
        const double b = exponential(s);
        if (b + b > a * a)
            return r + a;
    }
}

/* The ziggurat draw that starts from the 64-bit word u (already taken from the stream). */
static double normal_from(uint64_t s[4], uint64_t u)
{
    for (;; u = next_u64(s)) {
        const int i = (int)(u & 0xFF);
        const uint64_t m = u >> 11;
        const double x = (double)(int64_t)m * ZIG_W[i];
        const int neg = ((u >> 8) & 1) != 0;
        if (m < ZIG_K[i]) /* ~99% of the draws */
            return neg ? -x : x;
        if (i == 0) {
            if (x < ZIG_R)
                return neg ? -x : x;
            const double t = normal_tail(s, ZIG_R);
            return neg ? -t : t;
        }
        if (ZIG_F[i] + uniform(s) * (ZIG_F[i + 1] - ZIG_F[i]) < exp(-0.5 * x * x))
            return neg ? -x : x;
    }
}

static inline double normal(uint64_t s[4]) { return normal_from(s, next_u64(s)); }

#define MAX_D 64

void w4_sgd_noise_matched(int64_t n, int64_t d, uint64_t *S, const double *x0, const double *lam,
                          double eta, double sigma, int64_t steps, int threads, double *final_loss,
                          int64_t *diverged_at)
{
    (void)threads; /* unused without OpenMP */
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t j = 0; j < n; ++j) {
        uint64_t s[4] = {S[j], S[n + j], S[2 * n + j], S[3 * n + j]};
        double x[MAX_D];
        for (int64_t i = 0; i < d; ++i)
            x[i] = x0[i];
        int64_t bad = -1;
        for (int64_t t = 0; t <= steps; ++t) {
            double f = 0.0, n2 = 0.0;
            for (int64_t i = 0; i < d; ++i) {
                const double g = lam[i] * x[i];
                f += x[i] * g;
                n2 += g * g;
            }
            if (!(sqrt(n2) < INFINITY) || !(fabs(0.5 * f) < INFINITY)) {
                bad = t;
                break;
            }
            if (t == steps)
                break;
            for (int64_t i = 0; i < d; ++i) {
                const double g = lam[i] * x[i] + sigma * normal(s);
                x[i] -= eta * g;
            }
        }
        double f = 0.0;
        for (int64_t i = 0; i < d; ++i)
            f += x[i] * (lam[i] * x[i]);
        final_loss[j] = bad < 0 ? 0.5 * f : NAN;
        diverged_at[j] = bad;
        S[j] = s[0];
        S[n + j] = s[1];
        S[2 * n + j] = s[2];
        S[3 * n + j] = s[3];
    }
}
