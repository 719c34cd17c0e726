/* W4, fastest honest C: the noisy SGD of w4_sgd_noise_matched.c (same random numbers, same
 * outputs: final loss and first non-finite iteration of every run), written for speed.
 *
 * Eight runs advance together in the eight lanes of AVX-512 vectors: xoshiro256** on 8 streams
 * (shifts, adds, rotates), the ziggurat's fast path on 8 draws at once (gathers from the
 * tables, a 64-bit integer compare), and the rare rejected lanes (~1% of draws per lane)
 * finished one by one with the scalar code, from the same word of the same stream.  Every
 * lane does exactly the arithmetic of the scalar loop (compile with -ffp-contract=off), so the
 * results are bit-identical to the matched loop: the speed comes from the lanes, not from
 * other math.  Without AVX-512 (F, DQ) this file falls back to the scalar loop.
 *
 * In:  S (4 x n, row-major, uint64) the generator states (advanced in place), x0 (d <= 64).
 * Out: final_loss[j] = f(x_steps) of run j (NaN if it diverged), diverged_at[j] (-1: never).
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

static void run_scalar(int64_t n, int64_t j, int64_t d, uint64_t *S, const double *x0,
                       const double *lam, double eta, double sigma, int64_t steps,
                       double *final_loss, int64_t *diverged_at)
{
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
        if (!(n2 < INFINITY) || !(fabs(f) < INFINITY)) {
            bad = t;
            break;
        }
        if (t == steps)
            break;
        for (int64_t i = 0; i < d; ++i)
            x[i] -= eta * (lam[i] * x[i] + sigma * normal(s));
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

#if defined(__AVX512F__) && defined(__AVX512DQ__)
#include <immintrin.h>

typedef struct {
    __m512i s0, s1, s2, s3;
} xoshiro8;

static inline __m512i next8(xoshiro8 *r)
{
    const __m512i s1x5 = _mm512_add_epi64(_mm512_slli_epi64(r->s1, 2), r->s1);
    const __m512i rot = _mm512_rol_epi64(s1x5, 7);
    const __m512i out = _mm512_add_epi64(_mm512_slli_epi64(rot, 3), rot); /* * 9 */
    const __m512i t = _mm512_slli_epi64(r->s1, 17);
    r->s2 = _mm512_xor_si512(r->s2, r->s0);
    r->s3 = _mm512_xor_si512(r->s3, r->s1);
    r->s1 = _mm512_xor_si512(r->s1, r->s2);
    r->s0 = _mm512_xor_si512(r->s0, r->s3);
    r->s2 = _mm512_xor_si512(r->s2, t);
    r->s3 = _mm512_rol_epi64(r->s3, 45);
    return out;
}

/* Eight normals, one per lane; rejected lanes are finished by the scalar sampler. */
static inline __m512d normal8(xoshiro8 *r)
{
    const __m512i u = next8(r);
    const __m512i idx = _mm512_and_si512(u, _mm512_set1_epi64(0xFF));
    const __m512i m = _mm512_srli_epi64(u, 11);
    const __m512d w = _mm512_i64gather_pd(idx, ZIG_W, 8);
    const __m512i k = _mm512_i64gather_epi64(idx, (const long long *)ZIG_K, 8);
    __m512d x = _mm512_mul_pd(_mm512_cvtepi64_pd(m), w);
    const __mmask8 neg = _mm512_test_epi64_mask(u, _mm512_set1_epi64(0x100));
    x = _mm512_mask_xor_pd(x, neg, x, _mm512_set1_pd(-0.0));
    const __mmask8 ok = _mm512_cmplt_epu64_mask(m, k);
    if (__builtin_expect(ok != 0xFF, 0)) {
        uint64_t st[4][8], uw[8];
        double z[8];
        _mm512_storeu_si512(st[0], r->s0);
        _mm512_storeu_si512(st[1], r->s1);
        _mm512_storeu_si512(st[2], r->s2);
        _mm512_storeu_si512(st[3], r->s3);
        _mm512_storeu_si512(uw, u);
        _mm512_storeu_pd(z, x);
        for (int l = 0; l < 8; ++l) {
            if ((ok >> l) & 1)
                continue;
            uint64_t s[4] = {st[0][l], st[1][l], st[2][l], st[3][l]};
            z[l] = normal_from(s, uw[l]);
            st[0][l] = s[0];
            st[1][l] = s[1];
            st[2][l] = s[2];
            st[3][l] = s[3];
        }
        r->s0 = _mm512_loadu_si512(st[0]);
        r->s1 = _mm512_loadu_si512(st[1]);
        r->s2 = _mm512_loadu_si512(st[2]);
        r->s3 = _mm512_loadu_si512(st[3]);
        x = _mm512_loadu_pd(z);
    }
    return x;
}

static void run8(int64_t n, int64_t j0, int64_t d, uint64_t *S, const double *x0,
                 const double *lam, double eta, double sigma, int64_t steps, double *final_loss,
                 int64_t *diverged_at)
{
    xoshiro8 r = {_mm512_loadu_si512(S + j0), _mm512_loadu_si512(S + n + j0),
                  _mm512_loadu_si512(S + 2 * n + j0), _mm512_loadu_si512(S + 3 * n + j0)};
    __m512d x[MAX_D];
    for (int64_t i = 0; i < d; ++i)
        x[i] = _mm512_set1_pd(x0[i]);
    const __m512d veta = _mm512_set1_pd(eta), vsig = _mm512_set1_pd(sigma);
    const __m512d inf = _mm512_set1_pd(INFINITY);
    __m512i bad = _mm512_set1_epi64(-1);
    __mmask8 alive = 0xFF;
    for (int64_t t = 0; t <= steps; ++t) {
        /* f and |grad f|^2 at x_t (theorysim's divergence test): lanes that went non-finite */
        __m512d f = _mm512_setzero_pd(), n2 = _mm512_setzero_pd();
        for (int64_t i = 0; i < d; ++i) {
            const __m512d g = _mm512_mul_pd(_mm512_set1_pd(lam[i]), x[i]);
            f = _mm512_add_pd(f, _mm512_mul_pd(x[i], g));
            n2 = _mm512_add_pd(n2, _mm512_mul_pd(g, g));
        }
        const __mmask8 fin = _mm512_cmp_pd_mask(_mm512_abs_pd(f), inf, _CMP_LT_OQ)
                             & _mm512_cmp_pd_mask(n2, inf, _CMP_LT_OQ);
        const __mmask8 died = alive & ~fin;
        if (__builtin_expect(died != 0, 0)) {
            bad = _mm512_mask_mov_epi64(bad, died, _mm512_set1_epi64(t));
            alive &= fin;
            if (!alive)
                break;
        }
        if (t == steps)
            break;
        for (int64_t i = 0; i < d; ++i) {
            const __m512d z = normal8(&r);
            const __m512d g = _mm512_add_pd(_mm512_mul_pd(_mm512_set1_pd(lam[i]), x[i]),
                                            _mm512_mul_pd(vsig, z));
            x[i] = _mm512_sub_pd(x[i], _mm512_mul_pd(veta, g));
        }
    }
    __m512d f = _mm512_setzero_pd();
    for (int64_t i = 0; i < d; ++i)
        f = _mm512_add_pd(f, _mm512_mul_pd(x[i], _mm512_mul_pd(_mm512_set1_pd(lam[i]), x[i])));
    f = _mm512_mul_pd(_mm512_set1_pd(0.5), f);
    f = _mm512_mask_mov_pd(f, (__mmask8)~alive, _mm512_set1_pd(NAN));
    _mm512_storeu_pd(final_loss + j0, f);
    _mm512_storeu_si512(diverged_at + j0, bad);
    _mm512_storeu_si512(S + j0, r.s0);
    _mm512_storeu_si512(S + n + j0, r.s1);
    _mm512_storeu_si512(S + 2 * n + j0, r.s2);
    _mm512_storeu_si512(S + 3 * n + j0, r.s3);
}
#define LANES 8
#else
#define LANES 1
#endif

void w4_sgd_noise_fast(int64_t n, int64_t d, uint64_t *S, const double *x0, const double *lam,
                       double eta, double sigma, int64_t steps, int threads, double *final_loss,
                       int64_t *diverged_at)
{
    const int64_t full = n / LANES;
    (void)threads; /* unused without OpenMP */
#pragma omp parallel for schedule(static) num_threads(threads)
    for (int64_t b = 0; b < full; ++b) {
#if LANES == 8
        run8(n, b * LANES, d, S, x0, lam, eta, sigma, steps, final_loss, diverged_at);
#else
        run_scalar(n, b, d, S, x0, lam, eta, sigma, steps, final_loss, diverged_at);
#endif
    }
    for (int64_t j = full * LANES; j < n; ++j) /* the last n mod 8 runs */
        run_scalar(n, j, d, S, x0, lam, eta, sigma, steps, final_loss, diverged_at);
}
