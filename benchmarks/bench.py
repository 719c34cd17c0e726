"""Speed of theorysim's engine (second design) against NumPy, C and JAX doing the same math.

Four workloads (issue 7).  W1 and W3 run clipped GD, h_t = min(eta, gamma*eta/|f'(x_t)|),
x_{t+1} = x_t - h_t f'(x_t), on f(x) = x^4 (theorysim's "power" objective, p = c = 4) from x0 = 3;
in one dimension theorysim writes the step's case out (``clipped_gd.move_1d``: gamma*eta*sign(g)
when eta|g| > gamma*eta, else eta*g), and so does every implementation below.

* W1: one run, eta = 0.01, gamma = 0.1, 2,000,000 iterations, f and |f'| recorded at every
  iteration.  ``ts.run``.
* W2: Adam (Kingma & Ba: bias correction, eps = 1e-8 outside the sqrt, eta = 1e-3, betas 0.9,
  0.999) with global-norm clipping at 1.0, g <- g min(1, 1/|g|), on theorysim's built-in
  separable quartic f(x) = sum_i a_i x_i^4/4 + b_i x_i^2/2 with a_i = 0.5 + i/(d-1),
  b_i = 1.5 - i/(d-1) (i = 0..d-1), d = 10,000, 2,000 iterations, f recorded at every
  iteration, from x0 = linspace(-2, 2, d) + 0.5.  ``ts.run``.
* W3: a 64 x 64 grid of (eta, gamma), log-spaced in [1e-4, 1e-1] x [1e-3, 1], 20,000 iterations
  each; final loss and first iteration with |f'| <= 1e-3.  ``ts.sweep`` (blocks of grid points on
  threads), with all numba threads and with one.
* W4: SGD with Gaussian gradient noise, x <- x - eta (x + sigma z), z ~ N(0, I), on |x|^2/2 in
  d = 10 (``quadratic``, lam = 1), eta = 0.01, sigma = 1, x0 = (1, ..., 1), 1,000 seeds x
  10,000 iterations; final loss of every seed.  ``ts.sweep`` over ``{"seed": arange(1000)}``.

Every workload's outputs include theorysim's divergence verdict: a run whose f or |grad f| is
not finite stops there (W1, W2: the iteration; W3, W4: per run, final loss NaN).  Every
implementation below produces the same outputs, divergence test included, at every iteration.

Implementations (columns):

* theorysim: the public API (``ts.run`` / ``ts.sweep``, with validation, allocation and result
  assembly).
* NumPy: W1 a Python loop over floats; W2 NumPy over d and W3 NumPy over the grid, time loop in
  Python; W4 NumPy over seeds x d with one PCG64 generator (other random numbers: its check is
  statistical, mean final loss within 5 standard errors of theorysim's).
* C, matched bit for bit (``c/*_matched.c``): the arithmetic of theorysim's generated loops, in
  the same order, built with ``-ffp-contract=off`` (no FMA) -- the correctness check; it must
  agree to the last bit (W4 with theorysim's own random numbers: xoshiro256** streams seeded by
  ``theorysim.oracles._rng.seed_states`` and the 256-slab ziggurat of ``_rng.normal``, tables
  written to ``_build/zig_tables.h`` from ``_rng.TABLES`` at build time).
* C, fastest honest (``c/*_fast.c``): the fastest C we could write for the same math and
  outputs (same records, results within 1e-12 relative): reductions reordered (OpenMP ``simd``
  reductions, ``-fopenmp-simd``), division-free step tests, fused passes, ``-fno-math-errno`` (sqrt
  need not set errno, so it vectorises; no result changes), W4's eight runs in the lanes of one
  AVX-512 vector; never ``-ffast-math``.  This is the limit column: "theorysim / fast C" is the ratio the issue asks
  to bring within 1.5.
* JAX (optional; skipped when ``jax`` is not importable): ``jax.jit`` of ``lax.scan`` over the
  iterations, ``vmap`` over grid points (W3) and seeds (W4), float64, CPU; the same formulas as
  theorysim.  It runs in a subprocess (``--jax-worker``) so its thread count can be set:
  one thread is ``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false
  intra_op_parallelism_threads=1``, "all" is XLA's default.  W1-W3 are checked to 1e-12; W4 uses
  JAX's own generator (threefry) and is checked statistically.  The divergence test is inside
  the scan (W3, W4: a first-bad index per run) or applied to the records after it (W1, W2).

The C loops (``benchmarks/c/``) are built on the fly with ``gcc -O3 -march=native
-ffp-contract=off`` (plus the flags above) into ``benchmarks/_build/`` and loaded with ctypes;
without gcc their rows are skipped.  The check column compares each result with theorysim's
(W1: final iterate and all records; W2: final iterate and the loss records; W3: first hits
equal, final losses; W4: final losses of every seed) and says FAIL beyond 1e-12 relative.

Reading the tables: times are warm -- a warm-up call, then the best of at least 3 calls of the
whole thing (for C and NumPy a wrapper that allocates the outputs and runs the loop).  The rows
timed in this process (theorysim, NumPy, C) take their calls in turns, one call per row per
round, so that every row samples the same stretch of time: the shared machine's speed drifts by
20-30% over tens of seconds, and rows timed one after the other had ratios that moved with it.
"ns / unit" is per iteration (W1), per coordinate and iteration (W2), per grid point and
iteration (W3) or per coordinate update, time / (seeds x iterations x d) (W4).  Ratios compare
rows with the same number of threads.  The notes give theorysim's compiled-loop-only
``seconds`` and the CPU other processes used meanwhile (the machine is shared: on a busy
machine every row suffers, the multi-threaded ones most).

Start-up (measured first): fresh interpreters with ``NUMBA_CACHE_DIR`` and
``THEORYSIM_CACHE_DIR`` pointed at freshly emptied folders under ``_build/startup``.  The
first process (empty caches) runs ``import theorysim``, a first ``ts.run`` of a built-in
combination (clipped GD on ``power``), then a second new combination (Adam with clipping on
``separable_quartic``) and a first ``ts.sweep`` of the first; the second process (warm caches)
does the same.  Targets of the issue: < 5 s, < 5 s more, < 1 s.  The warm timings use their
own caches (``_build/numba_cache``, ``_build/theorysim_cache``).

Usage: ``python benchmarks/bench.py [--quick]``.  The markdown report goes to stdout and
``benchmarks/results.md`` (progress to stderr; the section "Before the second engine design"
at the end of an existing results.md is kept); ``--quick`` (10x fewer iterations, one
start-up pair, a smoke test) writes ``benchmarks/_build/results_quick.md`` instead.  Exit
status 1 if a check fails.
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
C_DIR = HERE / "c"
BUILD_DIR = HERE / "_build"
RESULTS = HERE / "results.md"
ARCHIVE_HEADING = "# Before the second engine design (2026-11-23)"

# numba and theorysim read these when imported: the warm timings compile into (or load from)
# caches of their own, never the user's
os.environ.setdefault("NUMBA_CACHE_DIR", str(BUILD_DIR / "numba_cache"))
os.environ.setdefault("THEORYSIM_CACHE_DIR", str(BUILD_DIR / "theorysim_cache"))
os.environ.setdefault("THEORYSIM_QUIET", "1")
# OpenMP worker threads sleep between the C loops' parallel regions instead of spinning for a
# while, so they take no core from the row timed next (the rows take turns, see the docstring)
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

import numpy as np  # noqa: E402

CFLAGS = ("-O3", "-march=native", "-ffp-contract=off", "-shared", "-fPIC")
FAST_FLAGS = ("-fopenmp-simd", "-fno-math-errno")

# -- the workloads ------------------------------------------------------------------------------
P, C = 4.0, 4.0  # f(x) = (C/P)|x|^P = x^4
X0 = 3.0
W1_ETA, W1_GAMMA, W1_STEPS = 0.01, 0.1, 2_000_000
W3_ETAS = np.logspace(-4, -1, 64)
W3_GAMMAS = np.logspace(-3, 0, 64)
W3_SHAPE = (W3_ETAS.size, W3_GAMMAS.size)
W3_STEPS, W3_TOL = 20_000, 1e-3
W2_D, W2_STEPS = 10_000, 2_000
W2_ETA, W2_B1, W2_B2, W2_EPS, W2_CLIP = 1e-3, 0.9, 0.999, 1e-8, 1.0  # ts.methods.adam defaults
W4_SEEDS, W4_D, W4_STEPS = 1000, 10, 10_000
W4_LAM, W4_ETA, W4_SIGMA = np.ones(W4_D), 0.01, 1.0  # f(x) = |x|^2 / 2
W4_NUMPY_SEED = W4_JAX_SEED = 0
N_SE = 5.0  # statistical check: mean final losses within N_SE standard errors

MIN_REPEATS, MAX_REPEATS, REPEAT_BUDGET = 3, 20, 1.0  # timed calls per row; budget in seconds
RTOL = 1e-12  # agreement required of every implementation
UNIT = {"W1": "ns / iteration", "W2": "ns / coordinate-iteration", "W3": "ns / point-iteration",
        "W4": "ns / coordinate update"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(fn):
    """One warm-up call, then at least MIN_REPEATS timed calls (more, up to MAX_REPEATS, while
    they total under REPEAT_BUDGET seconds); return (best seconds, timed calls, last result)."""
    result = fn()
    times = []
    while len(times) < MIN_REPEATS or (sum(times) < REPEAT_BUDGET and len(times) < MAX_REPEATS):
        result = None  # free the previous result first: every call allocates its own
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), len(times), result


def w2_coefficients():
    """a_i = 0.5 + i/(d-1), b_i = 1.5 - i/(d-1): both in [0.5, 1.5], a + b = 2."""
    s = np.arange(W2_D) / (W2_D - 1)
    return 0.5 + s, 1.5 - s


def w2_x0():
    return np.linspace(-2.0, 2.0, W2_D) + 0.5


def w4_x0():
    return np.ones(W4_D)


def grid_points():
    """The W3 grid flattened in ts.sweep's order (eta along axis 0): (eta, gamma) arrays."""
    eta, gamma = np.meshgrid(W3_ETAS, W3_GAMMAS, indexing="ij")
    return eta.ravel(), gamma.ravel()


@dataclass
class W1Result:
    x_final: float
    loss: np.ndarray
    grad_norm: np.ndarray
    stop: int  # first iteration with a non-finite f or |f'|, -1: none


@dataclass
class W2Result:
    x_final: np.ndarray
    loss: np.ndarray
    stop: int


@dataclass
class W3Result:
    final_loss: np.ndarray  # W3_SHAPE: axis 0 eta, axis 1 gamma (ts.sweep's layout)
    first_hit: np.ndarray
    diverged_at: np.ndarray  # -1: never


@dataclass
class W4Result:
    final_loss: np.ndarray  # (W4_SEEDS,)
    diverged_at: np.ndarray


KINDS = ("theorysim", "numpy", "c_matched", "c_fast", "jax")
KIND_LABEL = {"theorysim": "theorysim", "numpy": "NumPy", "c_matched": "C matched",
              "c_fast": "C fast", "jax": "JAX"}


@dataclass
class Row:
    """One line of the detailed table."""

    workload: str
    kind: str  # one of KINDS
    impl: str
    threads: int
    work: int  # iterations (W1), coordinate (W2, W4) or grid-point (W3) iterations
    seconds: float | None = None  # best time; None: skipped
    repeats: int = 0
    check: str = ""

    @property
    def ns(self):
        return 1e9 * self.seconds / self.work


# -- (a) theorysim ------------------------------------------------------------------------------
def _ts():
    import theorysim

    return theorysim


def _stop(tr):
    return -1 if tr.diverged_at is None else int(tr.diverged_at)


def w1_theorysim(steps, kernel_seconds):
    ts = _ts()
    f = ts.objectives.get("power", p=P, c=C)

    def call():
        tr = ts.run(f, ts.methods.clipped_gd(eta=W1_ETA, gamma=W1_GAMMA), x0=[X0], steps=steps,
                    record_every=1, record_iterates=False)
        kernel_seconds.append(tr.seconds)
        x = float(tr.x_final[0]) if tr.x_final is not None else math.nan
        return W1Result(x, tr.loss, tr.grad_norm, _stop(tr))

    return call


def w2_theorysim(steps, kernel_seconds, nudge=False):
    ts = _ts()
    a, b = w2_coefficients()
    f = ts.objectives.get("separable_quartic", a=a, b=b)
    x0 = np.nextafter(w2_x0(), np.inf) if nudge else w2_x0()

    def call():
        tr = ts.run(f, ts.methods.adam(W2_ETA, W2_B1, W2_B2, W2_EPS, clip=W2_CLIP), x0=x0,
                    steps=steps, record_iterates=False)
        kernel_seconds.append(tr.seconds)
        return W2Result(tr.x_final, tr.loss, _stop(tr))

    return call


def w3_theorysim(steps, kernel_seconds):
    ts = _ts()
    f = ts.objectives.get("power", p=P, c=C)
    grid = {"eta": W3_ETAS, "gamma": W3_GAMMAS}

    def call():
        res = ts.sweep(f, ts.methods.clipped_gd, grid=grid, x0=[X0], steps=steps, tol=W3_TOL)
        kernel_seconds.append(res.seconds)
        return W3Result(res.final_loss, res.first_hit, res.diverged_at)

    return call


def w4_theorysim(steps, kernel_seconds):
    ts = _ts()
    f = ts.objectives.get("quadratic", lam=W4_LAM)
    noise = ts.oracles.gaussian(W4_SIGMA)
    x0 = w4_x0()

    def call():
        res = ts.sweep(f, ts.methods.gd, {"seed": np.arange(W4_SEEDS)}, fixed={"eta": W4_ETA},
                       x0=x0, steps=steps, noise=noise)
        kernel_seconds.append(res.seconds)
        return W4Result(res.final_loss, res.diverged_at)

    return call


@dataclass
class Local:
    """An implementation timed in this process: ``call()`` runs it once and returns its result;
    with ``numba_threads`` numba's thread count is set to it around the call (and restored)."""

    call: object
    numba_threads: int | None = None

    def __call__(self):
        if self.numba_threads is None:
            return self.call()
        import numba

        old = numba.get_num_threads()
        numba.set_num_threads(self.numba_threads)
        try:
            return self.call()
        finally:
            numba.set_num_threads(old)


def take_turns(entries):
    """Time the ``(row, Local)`` entries in rounds, one call of each row still sampling per round:
    a row samples at least MIN_REPEATS calls, then more while its calls total under
    REPEAT_BUDGET seconds, up to MAX_REPEATS.  Fills each row's ``seconds`` (the best call) and
    ``repeats``."""
    times = [[] for _ in entries]

    def wants_more(ts_):
        return len(ts_) < MIN_REPEATS or (sum(ts_) < REPEAT_BUDGET and len(ts_) < MAX_REPEATS)

    while any(wants_more(ts_) for ts_ in times):
        for (_row, fn), ts_ in zip(entries, times):
            if wants_more(ts_):
                t0 = time.perf_counter()
                result = fn()
                ts_.append(time.perf_counter() - t0)
                del result  # before the next call: every call allocates its own
    for (row, _), ts_ in zip(entries, times):
        row.seconds, row.repeats = min(ts_), len(ts_)
        log(f"  {row.workload} {row.impl}, {row.threads} thread(s): best {row.seconds * 1e3:.1f} ms "
            f"of {row.repeats}, {row.ns:.3g} ns/unit, {row.check}")


# -- (b) Python / NumPy -------------------------------------------------------------------------
def w1_python(steps):
    """Python loop over floats (IEEE doubles: the same operations as the kernels)."""

    def call():
        loss = np.empty(steps + 1)
        grad_norm = np.empty(steps + 1)
        c, inv_p, eta, gamma_eta = C, 1.0 / P, W1_ETA, W1_GAMMA * W1_ETA
        x, stop = X0, -1
        for t in range(steps + 1):
            g = c * (x * x * x)
            gn = abs(g)
            f = inv_p * (x * g)
            loss[t] = f
            grad_norm[t] = gn
            if not (gn < math.inf and abs(f) < math.inf):
                stop = t
                break
            if t == steps:
                break
            x -= math.copysign(gamma_eta, g) if eta * gn > gamma_eta else eta * g
        n = steps + 1 if stop < 0 else stop + 1
        return W1Result(x, loss[:n], grad_norm[:n], stop)

    return call


def w2_numpy(steps):
    """NumPy over the d coordinates, time loop in Python, no temporaries in the loop.  The two
    sums (f and |g|^2) are ``np.dot`` (blocked summation, not index order: ~1 ulp apart)."""
    a, b = w2_coefficients()
    a4, b2 = 0.25 * a, 0.5 * b

    def call():
        x = w2_x0()
        loss = np.empty(steps + 1)
        x2, g, m, v = np.empty_like(x), np.empty_like(x), np.zeros_like(x), np.zeros_like(x)
        u, w = np.empty_like(x), np.empty_like(x)
        one_b1, one_b2 = 1.0 - W2_B1, 1.0 - W2_B2
        stop = -1
        for t in range(steps + 1):
            np.multiply(x, x, out=x2)
            np.multiply(a, x2, out=g)
            g += b
            g *= x  # g = (a x^2 + b) x
            np.multiply(a4, x2, out=u)
            u += b2  # u = a x^2/4 + b/2
            f = float(np.dot(x2, u))
            gn = math.sqrt(np.dot(g, g))
            loss[t] = f
            if not (gn < math.inf and abs(f) < math.inf):
                stop = t
                break
            if t == steps:
                break
            q = W2_CLIP / gn if gn > 0.0 else math.inf
            g *= q if q < 1.0 else 1.0  # clipped gradient
            bc1 = 1.0 - W2_B1 ** (t + 1.0)
            bc2 = 1.0 - W2_B2 ** (t + 1.0)
            m *= W2_B1
            np.multiply(g, one_b1, out=u)
            m += u  # m = b1*m + (1-b1)*g
            np.multiply(g, g, out=u)
            u *= one_b2
            v *= W2_B2
            v += u  # v = b2*v + (1-b2)*(g*g)
            np.divide(v, bc2, out=u)
            np.sqrt(u, out=u)
            u += W2_EPS  # den = sqrt(v/bc2) + eps
            np.divide(m, bc1, out=w)
            w /= u
            w *= W2_ETA
            x -= w  # x -= eta*((m/bc1)/den)  (m = 0 gives 0: no 0/0 with eps > 0)
        n = steps + 1 if stop < 0 else stop + 1
        return W2Result(x, loss[:n], stop)

    return call


def w3_numpy(steps):
    """NumPy over all grid points at once, time loop in Python, no temporaries in the loop."""

    def call():
        eta, gamma = grid_points()
        gamma_eta = gamma * eta
        x = np.full(eta.shape, X0)
        hit = np.full(eta.shape, -1, np.int64)
        bad = np.full(eta.shape, -1, np.int64)
        g, q, fx = np.empty_like(x), np.empty_like(x), np.empty_like(x)
        new, never, fin = (np.empty(x.shape, bool) for _ in range(3))
        with np.errstate(all="ignore"):
            for t in range(steps + 1):
                np.multiply(x, x, out=g)
                g *= x
                g *= C  # g = C*(x*x*x)
                np.abs(g, out=q)
                np.multiply(x, g, out=fx)
                np.isfinite(fx, out=fin)
                fin &= np.isfinite(q, out=new)  # f and |g| finite
                np.less(bad, 0, out=never)
                np.greater(never, fin, out=new)  # never & ~fin
                np.copyto(bad, t, where=new)
                np.less_equal(q, W3_TOL, out=new)
                new &= fin
                np.less(hit, 0, out=never)
                new &= never
                np.copyto(hit, t, where=new)  # first t with |g| <= tol
                if t == steps:
                    break
                np.multiply(eta, q, out=q)
                np.greater(q, gamma_eta, out=new)  # clipped: eta |g| > gamma eta
                np.multiply(eta, g, out=q)
                np.copysign(gamma_eta, g, out=fx)
                np.copyto(q, fx, where=new)  # the step: gamma eta sign(g) or eta g
                x -= q
        final_loss = np.where(bad < 0, (1.0 / P) * (x * g), np.nan)
        return W3Result(final_loss.reshape(W3_SHAPE), hit.reshape(W3_SHAPE), bad.reshape(W3_SHAPE))

    return call


def w4_numpy(steps):
    """NumPy over seeds x coordinates, time loop in Python; one PCG64 generator
    (``default_rng(W4_NUMPY_SEED)``, NumPy's ziggurat) draws the (seeds, d) normals per step."""

    def call():
        rng = np.random.default_rng(W4_NUMPY_SEED)
        x = np.tile(w4_x0(), (W4_SEEDS, 1))
        z, g = np.empty_like(x), np.empty_like(x)
        bad = np.full(W4_SEEDS, -1, np.int64)
        for t in range(steps + 1):
            np.multiply(x, W4_LAM, out=g)
            f = np.einsum("ij,ij->i", x, g)
            n2 = np.einsum("ij,ij->i", g, g)
            np.copyto(bad, t, where=(bad < 0) & ~(np.isfinite(f) & np.isfinite(n2)))
            if t == steps:
                break
            rng.standard_normal(out=z)
            z *= W4_SIGMA
            g += z
            g *= W4_ETA
            x -= g
        final = np.where(bad < 0, 0.5 * np.einsum("ij,ij->i", x, x * W4_LAM), np.nan)
        return W4Result(final, bad)

    return call


# -- (c) JAX (runs in a --jax-worker subprocess) ---------------------------------------------------
def _first_bad(f, gn):
    import jax.numpy as jnp

    bad = ~(jnp.isfinite(f) & jnp.isfinite(gn))
    return jnp.where(bad.any(), jnp.argmax(bad), -1)


def w1_jax(steps):
    """``lax.scan`` over the iterations; the divergence test runs on the records afterwards."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    inv_p, gamma_eta = 1.0 / P, W1_GAMMA * W1_ETA

    def evaluate(x):
        g = C * (x * x * x)
        return g, jnp.abs(g), inv_p * (x * g)

    def body(x, _):
        g, gn, f = evaluate(x)
        step = jnp.where(W1_ETA * gn > gamma_eta, jnp.copysign(gamma_eta, g), W1_ETA * g)
        return x - step, (f, gn)

    @jax.jit
    def run(x0):
        x, (f, gn) = lax.scan(body, x0, None, length=steps)
        _, gn_last, f_last = evaluate(x)
        f = jnp.append(f, f_last)
        gn = jnp.append(gn, gn_last)
        return x, f, gn, _first_bad(f, gn)

    x0 = jnp.float64(X0)

    def call():
        x, f, gn, stop = jax.block_until_ready(run(x0))
        stop = int(stop)
        n = steps + 1 if stop < 0 else stop + 1
        return W1Result(float(x), np.asarray(f)[:n], np.asarray(gn)[:n], stop)

    return call


def w2_jax(steps):
    """``lax.scan`` over the iterations, vector ops over d inside (XLA fuses them); ``jnp.sum``
    for f and |g|^2 (XLA's reduction order)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    a_np, b_np = w2_coefficients()
    a, b = jnp.asarray(a_np), jnp.asarray(b_np)

    def evaluate(x):
        x2 = x * x
        g = (a * x2 + b) * x
        return g, jnp.sqrt(jnp.sum(g * g)), jnp.sum(x2 * (0.25 * a * x2 + 0.5 * b))

    def body(carry, t):
        x, m, v = carry
        g, gn, f = evaluate(x)
        q = W2_CLIP / gn
        gt = jnp.where(q < 1.0, q, 1.0) * g
        bc1 = 1.0 - W2_B1 ** (t + 1.0)
        bc2 = 1.0 - W2_B2 ** (t + 1.0)
        m = W2_B1 * m + (1.0 - W2_B1) * gt
        v = W2_B2 * v + (1.0 - W2_B2) * (gt * gt)
        mh = m / bc1
        x = x - jnp.where(mh != 0.0, W2_ETA * (mh / (jnp.sqrt(v / bc2) + W2_EPS)), 0.0)
        return (x, m, v), (f, gn)

    @jax.jit
    def run(x0):
        zero = jnp.zeros_like(x0)
        (x, _, _), (f, gn) = lax.scan(body, (x0, zero, zero), jnp.arange(steps, dtype=jnp.float64))
        _, gn_last, f_last = evaluate(x)
        f = jnp.append(f, f_last)
        gn = jnp.append(gn, gn_last)
        return x, f, _first_bad(f, gn)

    x0 = jnp.asarray(w2_x0())

    def call():
        x, f, stop = jax.block_until_ready(run(x0))
        stop = int(stop)
        n = steps + 1 if stop < 0 else stop + 1
        return W2Result(np.asarray(x), np.asarray(f)[:n], stop)

    return call


def w3_jax(steps):
    """One grid point as a ``lax.scan`` carrying (x, first hit, first bad), ``vmap`` over the
    grid."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    inv_p = 1.0 / P

    def evaluate(x):
        g = C * (x * x * x)
        gn = jnp.abs(g)
        f = inv_p * (x * g)
        return g, gn, f, jnp.isfinite(gn) & jnp.isfinite(f)

    def mark(hit, bad, t, gn, ok):
        bad = jnp.where((bad < 0) & ~ok, t, bad)
        hit = jnp.where((hit < 0) & (gn <= W3_TOL) & ok, t, hit)
        return hit, bad

    def one(eta, gamma_eta):
        def body(carry, t):
            x, hit, bad = carry
            g, gn, _, ok = evaluate(x)
            hit, bad = mark(hit, bad, t, gn, ok)
            step = jnp.where(eta * gn > gamma_eta, jnp.copysign(gamma_eta, g), eta * g)
            return (x - step, hit, bad), None

        minus1 = jnp.int64(-1)
        (x, hit, bad), _ = lax.scan(body, (jnp.float64(X0), minus1, minus1),
                                    jnp.arange(steps, dtype=jnp.int64))
        _, gn, f, ok = evaluate(x)
        hit, bad = mark(hit, bad, steps, gn, ok)
        return jnp.where(bad < 0, f, jnp.nan), hit, bad

    run = jax.jit(jax.vmap(one))
    eta_np, gamma_np = grid_points()
    eta, gamma_eta = jnp.asarray(eta_np), jnp.asarray(gamma_np * eta_np)

    def call():
        f, hit, bad = jax.block_until_ready(run(eta, gamma_eta))
        return W3Result(np.asarray(f).reshape(W3_SHAPE), np.asarray(hit).reshape(W3_SHAPE),
                        np.asarray(bad).reshape(W3_SHAPE))

    return call


def w4_jax(steps):
    """One seed as a ``lax.scan`` (a ``jax.random.split`` and a ``normal`` of shape (d,) per step:
    threefry, other numbers than theorysim's), ``vmap`` over the seeds' keys."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    lam = jnp.asarray(W4_LAM)

    def check(x, bad, t):
        g = lam * x
        ok = jnp.isfinite(jnp.sum(x * g)) & jnp.isfinite(jnp.sum(g * g))
        return jnp.where((bad < 0) & ~ok, t, bad)

    def one(key):
        def body(carry, t):
            x, key, bad = carry
            bad = check(x, bad, t)
            key, sub = jax.random.split(key)
            z = jax.random.normal(sub, (W4_D,), dtype=jnp.float64)
            return (x - W4_ETA * (lam * x + W4_SIGMA * z), key, bad), None

        (x, _, bad), _ = lax.scan(body, (jnp.asarray(w4_x0()), key, jnp.int64(-1)),
                                  jnp.arange(steps, dtype=jnp.int64))
        bad = check(x, bad, steps)
        return jnp.where(bad < 0, 0.5 * jnp.sum(x * (lam * x)), jnp.nan), bad

    run = jax.jit(jax.vmap(one))
    keys = jax.random.split(jax.random.PRNGKey(W4_JAX_SEED), W4_SEEDS)

    def call():
        f, bad = jax.block_until_ready(run(keys))
        return W4Result(np.asarray(f), np.asarray(bad))

    return call


JAX_IMPLS = {"W1": w1_jax, "W2": w2_jax, "W3": w3_jax, "W4": w4_jax}
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


def jax_worker(workload, steps, out):
    """Body of ``--jax-worker``: time JAX on one workload, save the last result to ``out``
    (.npz) and print {"seconds", "repeats", "first_call"} as JSON."""
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    call = JAX_IMPLS[workload](steps)
    t0 = time.perf_counter()
    call()  # trace + compile + one run
    first = time.perf_counter() - t0
    seconds, repeats, result = timed(call)
    np.savez(out, **{k: np.asarray(v) for k, v in vars(result).items()})
    print(json.dumps({"seconds": seconds, "repeats": repeats, "first_call": first,
                      "jax": jax.__version__}))


def jax_available():
    try:
        import importlib.util

        return importlib.util.find_spec("jax") is not None
    except (ImportError, ValueError):
        return False


def jax_timing(workload, steps, threads, notes):
    """``timed``-like triple for JAX in a subprocess with ``threads`` (1, or 0 = XLA default)."""
    result_type = {"W1": W1Result, "W2": W2Result, "W3": W3Result, "W4": W4Result}[workload]

    def timing():
        env = dict(os.environ)
        if threads == 1:
            env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + " " + XLA_ONE_THREAD).strip()
        with tempfile.TemporaryDirectory(dir=BUILD_DIR) as tmp:
            out = Path(tmp) / "result.npz"
            proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--jax-worker",
                                   workload, "--steps", str(steps), "--out", str(out)],
                                  env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"JAX worker failed:\n{proc.stderr[-2000:]}")
            info = json.loads(proc.stdout.strip().splitlines()[-1])
            with np.load(out) as z:
                fields = {k: z[k] for k in z.files}
        for k, v in fields.items():
            if v.ndim == 0:
                fields[k] = v.item()
        notes.append(f"{workload} JAX {info['jax']} ({'1 thread' if threads == 1 else 'XLA default threads'}):"
                     f" first call (trace, compile, run) {fmt_time(info['first_call'])}.")
        return info["seconds"], info["repeats"], result_type(**fields)

    return timing


# -- (d) C via ctypes ---------------------------------------------------------------------------
def compile_c(gcc, source, name, extra=()):
    """Compile ``c/<source>`` into ``_build/<name>.so``; return (CDLL, command for the notes)."""
    BUILD_DIR.mkdir(exist_ok=True)
    out = BUILD_DIR / f"{name}.so"
    cmd = [gcc, *CFLAGS, *extra, str(C_DIR / source), "-o", str(out), "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"{gcc} exited with {proc.returncode}")
    shown = ["gcc", *cmd[1:]]
    return ctypes.CDLL(str(out)), " ".join(shown).replace(str(HERE) + os.sep, "")


def write_zig_header():
    """``_build/zig_tables.h``: theorysim's ziggurat tables and r, exact (hex float literals)."""
    from theorysim.oracles import _rng

    k, w, f = _rng.TABLES
    lines = ["/* generated by bench.py from theorysim.oracles._rng.TABLES and ZIG_R */",
             f"#define ZIG_R {float(_rng.ZIG_R).hex()}",
             f"static const uint64_t ZIG_K[{k.size}] = {{"]
    lines += [f"    {int(v)}ULL," for v in k]
    lines += ["};", f"static const double ZIG_W[{w.size}] = {{"]
    lines += [f"    {float(v).hex()}," for v in w]
    lines += ["};", f"static const double ZIG_F[{f.size}] = {{"]
    lines += [f"    {float(v).hex()}," for v in f]
    lines += ["};"]
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "zig_tables.h").write_text("\n".join(lines) + "\n")


def load_c(notes):
    """Build and load the C loops: {"<workload>_<matched|fast>[_omp]"} -> ctypes function or None."""
    f64 = np.ctypeslib.ndpointer(np.float64, flags="C_CONTIGUOUS")
    i64 = np.ctypeslib.ndpointer(np.int64, flags="C_CONTIGUOUS")
    u64 = np.ctypeslib.ndpointer(np.uint64, flags="C_CONTIGUOUS")
    dbl, int64, cint = ctypes.c_double, ctypes.c_int64, ctypes.c_int
    w1_args = ([dbl, dbl, dbl, dbl, dbl, int64, f64, f64, i64], dbl)
    w2_matched = ([int64, f64, f64, f64, f64, f64, f64, dbl, dbl, dbl, dbl, dbl, int64, f64], int64)
    w2_fast = ([int64, f64, f64, f64, f64, f64, dbl, dbl, dbl, dbl, dbl, int64, f64], int64)
    w3_args = ([int64, f64, f64, f64, dbl, dbl, dbl, int64, cint, f64, i64, i64], None)
    w4_args = ([int64, int64, u64, f64, f64, dbl, dbl, int64, cint, f64, i64], None)
    serial, omp = ("-Wno-unknown-pragmas",), ("-fopenmp",)
    zig = ("-I", str(BUILD_DIR))
    builds = [  # key, source stem, extra flags, signature
        ("W1_matched", "w1_clipped_gd_matched", (), w1_args),
        ("W1_fast", "w1_clipped_gd_fast", FAST_FLAGS, w1_args),
        ("W2_matched", "w2_adam_clip_matched", (), w2_matched),
        ("W2_fast", "w2_adam_clip_fast", FAST_FLAGS, w2_fast),
        ("W3_matched", "w3_sweep_matched", serial, w3_args),
        ("W3_matched_omp", "w3_sweep_matched", omp, w3_args),
        ("W3_fast", "w3_sweep_fast", (*FAST_FLAGS, *serial), w3_args),
        ("W3_fast_omp", "w3_sweep_fast", (*FAST_FLAGS, *omp), w3_args),
        ("W4_matched", "w4_sgd_noise_matched", (*serial, *zig), w4_args),
        ("W4_matched_omp", "w4_sgd_noise_matched", (*omp, *zig), w4_args),
        ("W4_fast", "w4_sgd_noise_fast", (*FAST_FLAGS, *serial, *zig), w4_args),
        ("W4_fast_omp", "w4_sgd_noise_fast", (*FAST_FLAGS, *omp, *zig), w4_args),
    ]
    funcs = dict.fromkeys(key for key, *_ in builds)
    gcc = shutil.which("gcc")
    if gcc is None:
        log("gcc not found: the C rows are skipped")
        notes.append("gcc not found: the C rows are skipped.")
        return funcs
    write_zig_header()
    for key, stem, extra, (argtypes, restype) in builds:
        name = stem + ("_omp" if key.endswith("_omp") else "")
        try:
            lib, cmd = compile_c(gcc, stem + ".c", name, extra)
        except (RuntimeError, OSError) as exc:
            log(f"C build {name} failed, its rows are skipped:\n{exc}")
            notes.append(f"C build `{name}` failed, its rows are skipped: {exc}")
            continue
        fn = getattr(lib, stem)
        fn.argtypes, fn.restype = argtypes, restype
        funcs[key] = fn
        notes.append(f"C build: `{cmd}`")
    return funcs


def w1_c(fn, steps):
    def call():
        loss = np.empty(steps + 1)
        grad_norm = np.empty(steps + 1)
        stop = np.empty(1, np.int64)
        x = fn(X0, C, P, W1_ETA, W1_GAMMA, steps, loss, grad_norm, stop)
        n = steps + 1 if stop[0] < 0 else int(stop[0]) + 1
        return W1Result(x, loss[:n], grad_norm[:n], int(stop[0]))

    return call


def w2_c(fn, steps, matched):
    a, b = w2_coefficients()

    def call():
        x = w2_x0()
        m, v = np.empty_like(x), np.empty_like(x)
        loss = np.empty(steps + 1)
        tail = (a, b, W2_ETA, W2_B1, W2_B2, W2_EPS, W2_CLIP, steps, loss)
        stop = fn(W2_D, x, np.empty_like(x), m, v, *tail) if matched else fn(W2_D, x, m, v, *tail)
        n = steps + 1 if stop < 0 else stop + 1
        return W2Result(x, loss[:n], int(stop))

    return call


def w3_c(fn, steps, threads):
    def call():
        eta, gamma = grid_points()
        n = eta.size
        x = np.full(n, X0)
        final_loss = np.empty(n)
        first_hit, bad = np.empty(n, np.int64), np.empty(n, np.int64)
        fn(n, x, eta, gamma * eta, C, P, W3_TOL, steps, threads, final_loss, first_hit, bad)
        return W3Result(final_loss.reshape(W3_SHAPE), first_hit.reshape(W3_SHAPE),
                        bad.reshape(W3_SHAPE))

    return call


def w4_states():
    """Generator states (4, seeds) of W4's runs, as ``ts.sweep`` builds them for a seed grid."""
    from theorysim.oracles import _rng

    return np.concatenate([_rng.seed_states(s, 1) for s in range(W4_SEEDS)], axis=1)


def w4_c(fn, steps, threads, states):
    """``states``: theorysim's generator states (``w4_states()``), computed once outside the
    timing (theorysim's time includes building them; see the notes) and copied per call."""

    def call():
        S = states.copy()
        final_loss = np.empty(W4_SEEDS)
        bad = np.empty(W4_SEEDS, np.int64)
        fn(W4_SEEDS, W4_D, S, w4_x0(), W4_LAM, W4_ETA, W4_SIGMA, steps, threads, final_loss, bad)
        return W4Result(final_loss, bad)

    return call


# -- agreement checks ---------------------------------------------------------------------------
def max_rel_diff(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if np.array_equal(a, b, equal_nan=True):
        return 0.0
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return math.inf
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), np.finfo(np.float64).tiny)))


def verdict(diffs, extra_fail=""):
    """'ok: bit-identical' / 'ok: ...' / 'FAIL: ...' from {label: rel. diff.}."""
    if extra_fail:
        return f"FAIL: {extra_fail}"
    if all(v == 0.0 for v in diffs.values()):
        return "ok: bit-identical"
    ok = all(v <= RTOL for v in diffs.values())
    return ("ok" if ok else "FAIL") + ": rel. diff. " + ", ".join(f"{k} {v:.1e}" for k, v in diffs.items())


def check_w1(res, ref):
    if res.stop != ref.stop or res.loss.shape != ref.loss.shape:
        return verdict({}, f"stop {res.stop} and {res.loss.shape[0]} records, theorysim "
                           f"{ref.stop} and {ref.loss.shape[0]}")
    return verdict({"final x": max_rel_diff(res.x_final, ref.x_final),
                    "records": max(max_rel_diff(res.loss, ref.loss),
                                   max_rel_diff(res.grad_norm, ref.grad_norm))})


def max_norm_rel_diff(a, b):
    """max_i |a_i - b_i| / max_i |b_i| (a vector's error relative to its scale)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), np.finfo(np.float64).tiny))


class W2Check:
    """W2 is chaotic at the end: theorysim itself, started one ulp away (``nextafter(x0, inf)``),
    agrees to ~1e-15 for ~1600 iterations, then its records jump apart (to ~1e-9) within a few
    iterations.  Reordered sums perturb every step by an ulp, so after that point no
    implementation but a bit-matched one can agree to 1e-12.  The check: loss records before
    ``T``, the first iteration where theorysim's own 1-ulp spread exceeds 1e-14, agree within
    1e-12 (the well-conditioned part, with a 100x margin); later records within 10x the largest
    1-ulp spread; the final iterate (max-norm relative) within max(1e-12, 10x its spread)."""

    def __init__(self, ref, nudged):
        spread = np.abs(nudged.loss - ref.loss) / np.abs(ref.loss)
        self.T = int(np.argmax(spread > 1e-14)) if (spread > 1e-14).any() else spread.size
        self.spread = float(spread.max())
        self.spread_x = max_norm_rel_diff(nudged.x_final, ref.x_final)

    def __call__(self, res, ref):
        if res.stop != ref.stop or res.loss.shape != ref.loss.shape:
            return verdict({}, f"stop {res.stop} and {res.loss.shape[0]} records, theorysim "
                               f"{ref.stop} and {ref.loss.shape[0]}")
        d_rec = np.abs(res.loss - ref.loss) / np.abs(ref.loss)
        d_x = max_norm_rel_diff(res.x_final, ref.x_final)
        if d_x == 0.0 and not d_rec.any():
            return "ok: bit-identical"
        early = float(d_rec[:self.T].max()) if self.T else 0.0
        late = float(d_rec[self.T:].max()) if self.T < d_rec.size else 0.0
        ok = (early <= RTOL and late <= max(RTOL, 10.0 * self.spread)
              and d_x <= max(RTOL, 10.0 * self.spread_x))
        text = f"{'ok' if ok else 'FAIL'}: rel. diff. loss records {early:.1e}"
        if self.T < d_rec.size:
            text += (f" before t = {self.T}, {late:.1e} from there (theorysim's 1-ulp spread "
                     f"{self.spread:.1e}), final x {d_x:.1e} (spread {self.spread_x:.1e})")
        else:
            text += f", final x {d_x:.1e}"
        return text


def check_w3(res, ref):
    n_hit = int(np.sum(res.first_hit != ref.first_hit))
    n_bad = int(np.sum(res.diverged_at != ref.diverged_at))
    fail = f"{n_hit} first hits and {n_bad} divergence iterations differ" if n_hit or n_bad else ""
    return verdict({"final loss": max_rel_diff(res.final_loss, ref.final_loss)}, fail)


def check_w4(res, ref):
    n_bad = int(np.sum(res.diverged_at != ref.diverged_at))
    return verdict({"final loss": max_rel_diff(res.final_loss, ref.final_loss)},
                   f"{n_bad} divergence iterations differ" if n_bad else "")


def mean_se(a):
    return float(np.mean(a)), float(np.std(a, ddof=1) / math.sqrt(a.size))


def check_w4_statistical(res, ref):
    """Other random numbers: the mean final losses must agree within N_SE standard errors."""
    (m, se), (m_ref, se_ref) = mean_se(res.final_loss), mean_se(ref.final_loss)
    z = abs(m - m_ref) / math.hypot(se, se_ref)
    return (f"{'ok' if z <= N_SE else 'FAIL'} (statistical only): mean final loss {m:.5f} vs "
            f"{m_ref:.5f}, {z:.1f} SE apart")


CHECKS = {"W1": check_w1, "W3": check_w3, "W4": check_w4}  # W2: W2Check


# -- the measurements ---------------------------------------------------------------------------
def measure(row, timing, check, ref):
    """Fill ``row`` from ``timing()`` (a ``timed``-like triple); check the result against ``ref``
    (theorysim's result; ``None`` when this row is theorysim's).  Return the result."""
    log(f"  {row.workload} {row.impl}, {row.threads} thread(s) ...")
    try:
        row.seconds, row.repeats, result = timing()
    except RuntimeError as exc:  # a JAX worker that failed: say so, keep going
        row.check = f"FAIL: {str(exc).splitlines()[-1] if str(exc) else 'error'}"
        log(f"    {exc}")
        return None
    row.check = "reference" if ref is None else check(result, ref)
    log(f"    best {row.seconds * 1e3:.1f} ms of {row.repeats}, {row.ns:.3g} ns/unit, {row.check}")
    return result


def run_workload(name, steps, work, plan, notes, kernel):
    """Measure the rows of ``plan`` [(Row, timing or None, check)]; the first must be theorysim's
    (the reference of the checks).  A :class:`Local` timing is called once (warm-up; its result
    is checked), then timed in turns with the other local rows (:func:`take_turns`); any other
    timing (a JAX worker) measures itself afterwards.  Return (rows, reference result)."""
    ref = None
    local = []
    for row, timing, check in plan:
        if timing is None:
            row.check = "skipped (" + ("jax not installed" if row.kind == "jax" else "no C build") + ")"
            log(f"  {row.workload} {row.impl}: {row.check}")
        elif isinstance(timing, Local):
            log(f"  {row.workload} {row.impl}, {row.threads} thread(s): warm-up and check ...")
            result = timing()
            row.check = "reference" if ref is None else check(result, ref)
            if ref is None:
                ref = result
            del result
            local.append((row, timing))
    take_turns(local)
    for row, timing, check in plan:
        if timing is not None and not isinstance(timing, Local):
            measure(row, timing, check, ref)
    for n, secs in sorted(kernel.items(), reverse=True):
        if len(secs) > 1:
            notes.append(f"{name} theorysim compiled loop only (`seconds` of the result), {n} "
                         f"thread(s): best {1e9 * min(secs[1:]) / work:.3g} {UNIT[name]}.")
    return [row for row, _, _ in plan], ref


def standard_plan(name, steps, work, c_funcs, threads_list, theorysim_call, numpy_call, c_call, notes,
                  numpy_check=None):
    """Rows for every thread count: theorysim, NumPy (one thread), C matched, C fast, JAX."""
    ts_kernel = {n: [] for n in threads_list}
    check = CHECKS.get(name) or numpy_check
    have_jax = jax_available()
    plan = []
    for n in threads_list:
        plan.append((Row(name, "theorysim", f"theorysim `ts.{'run' if name in ('W1', 'W2') else 'sweep'}`",
                         n, work), Local(theorysim_call(steps, ts_kernel[n]), n), check))
    plan.append((Row(name, "numpy", NUMPY_LABEL[name], 1, work), Local(numpy_call(steps)),
                 numpy_check or check))
    for n in threads_list:
        for kind in ("c_matched", "c_fast"):
            key = f"{name}_{kind[2:]}" + ("_omp" if n > 1 else "")
            fn = c_funcs.get(key)
            label = ("C, matched bit for bit" if kind == "c_matched" else "C, fastest honest") + (
                ", OpenMP" if n > 1 else "")
            plan.append((Row(name, kind, label, n, work),
                         None if fn is None else Local(c_call(fn, steps, n)), check))
    for n in threads_list:
        label = "JAX jit + scan" + (" + vmap" if name in ("W3", "W4") else "") + (
            ", XLA default threads" if n > 1 else "")
        jax_check = check_w4_statistical if name == "W4" else check
        plan.append((Row(name, "jax", label, n, work),
                     jax_timing(name, steps, 1 if n == 1 else 0, notes) if have_jax else None, jax_check))
    plan.sort(key=lambda p: p[0].kind != "theorysim")  # theorysim first: the reference
    return plan, ts_kernel


NUMPY_LABEL = {"W1": "Python loop over floats", "W2": "NumPy vectorised over d",
               "W3": "NumPy vectorised over the grid", "W4": "NumPy over seeds x d (PCG64)"}


def run_w1(steps, c_funcs, notes):
    log(f"W1: {steps:,} iterations")
    plan, kernel = standard_plan("W1", steps, steps, c_funcs, [1], w1_theorysim, w1_python,
                                 lambda fn, s, n: w1_c(fn, s), notes)
    rows, ref = run_workload("W1", steps, steps, plan, notes, kernel)
    notes.append(f"W1 result: final x = {ref.x_final:.17g}, final loss = {ref.loss[-1]:.17g}.")
    return rows


def run_w2(steps, c_funcs, notes):
    work = W2_D * steps
    log(f"W2: Adam + clipping on the separable quartic, d = {W2_D:,}, {steps:,} iterations")
    def c_factory(fn, s, n):
        return w2_c(fn, s, matched=fn is c_funcs.get("W2_matched"))

    ref = w2_theorysim(steps, [])()
    nudged = w2_theorysim(steps, [], nudge=True)()
    check = W2Check(ref, nudged)
    notes.append("W2 conditioning: theorysim started one ulp away (nextafter(x0, inf)) gives loss "
                 f"records up to {check.spread:.1e} and a final x {check.spread_x:.1e} (max-norm) "
                 f"relative apart; the spread first exceeds 1e-14 at iteration {check.T}.  Reordered "
                 "sums cannot agree to 1e-12 after that point: the W2 checks hold the records before "
                 "it to 1e-12 and the rest to 10x this spread (see `W2Check`).")
    plan, kernel = standard_plan("W2", steps, work, c_funcs, [1], w2_theorysim, w2_numpy, c_factory,
                                 notes, numpy_check=check)
    rows, ref = run_workload("W2", steps, work, plan, notes, kernel)
    notes.append(f"W2 result: f(x_0) = {ref.loss[0]:.17g}, f(x_{steps}) = {ref.loss[-1]:.17g}.")
    return rows


def run_w3(steps, c_funcs, notes, threads_list):
    work = W3_ETAS.size * W3_GAMMAS.size * steps
    log(f"W3: {W3_SHAPE[0]}x{W3_SHAPE[1]} grid x {steps:,} iterations, threads {threads_list}")
    plan, kernel = standard_plan("W3", steps, work, c_funcs, threads_list, w3_theorysim, w3_numpy, w3_c,
                                 notes)
    rows, ref = run_workload("W3", steps, work, plan, notes, kernel)
    hits = ref.first_hit >= 0
    notes.append(f"W3 result: {int(hits.sum())} of {hits.size} grid points reach |f'| <= {W3_TOL:g}, "
                 f"the earliest at iteration {int(ref.first_hit[hits].min())}; "
                 f"{int((ref.diverged_at >= 0).sum())} diverge." if hits.any() else
                 "W3 result: no grid point reaches the tolerance.")
    return rows


def run_w4(steps, c_funcs, notes, threads_list):
    work = W4_SEEDS * steps * W4_D
    log(f"W4: noisy SGD, {W4_SEEDS} seeds x {steps:,} iterations, d = {W4_D}, threads {threads_list}")
    t0 = time.perf_counter()
    states = w4_states()
    seeding = time.perf_counter() - t0
    plan, kernel = standard_plan("W4", steps, work, c_funcs, threads_list, w4_theorysim, w4_numpy,
                                 lambda fn, s, n: w4_c(fn, s, n, states), notes,
                                 numpy_check=check_w4_statistical)
    rows, ref = run_workload("W4", steps, work, plan, notes, kernel)
    notes.append(f"W4: building the {W4_SEEDS} generator states (`_rng.seed_states`, one SeedSequence "
                 f"per seed) takes {fmt_time(seeding)}; theorysim's rows include it, the C rows get "
                 f"the states precomputed (copied per call).")
    m, se = mean_se(ref.final_loss)
    expected = 0.5 * W4_D * W4_SIGMA ** 2 * W4_ETA / (2.0 - W4_ETA)
    notes.append(f"W4 result: mean final loss over the seeds {m:.5f} +- {se:.5f} (1 SE); the "
                 f"stationary value is d sigma^2 eta / (2 (2 - eta)) = {expected:.5f}.")
    return rows


# -- start-up ----------------------------------------------------------------------------------
STARTUP = """
import json, time
t0 = time.perf_counter()
import numpy as np
import theorysim as ts
t1 = time.perf_counter()
f = ts.objectives.get("power", p=4, c=4)
ts.run(f, ts.methods.clipped_gd(eta=0.01, gamma=0.1), x0=[3.0], steps=10)
t2 = time.perf_counter()
s = np.arange(100) / 99
q = ts.objectives.get("separable_quartic", a=0.5 + s, b=1.5 - s)
ts.run(q, ts.methods.adam(1e-3, clip=1.0), x0=np.linspace(-2, 2, 100) + 0.5, steps=10)
t3 = time.perf_counter()
ts.sweep(f, ts.methods.clipped_gd, grid={"eta": np.logspace(-4, -1, 8),
         "gamma": np.logspace(-3, 0, 8)}, x0=[3.0], steps=10, tol=1e-3)
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "run": t2 - t1, "second": t3 - t2, "sweep": t4 - t3}))
"""


def theorysim_sources():
    """Hash of theorysim's Python sources (a change while measuring would mix two versions)."""
    h = hashlib.sha256()
    for path in sorted(Path(_ts().__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def startup(notes, pairs):
    """``pairs`` x (a process on emptied caches, then one on the caches it filled).
    Return [(label, import s, first run s, second combination s, first sweep s, wall s)]."""
    log("start-up: fresh interpreters on emptied caches, then on warm ones")
    root = BUILD_DIR / "startup"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(root / "numba"),
               THEORYSIM_CACHE_DIR=str(root / "theorysim"))
    env.pop("THEORYSIM_QUIET", None)
    sources = [theorysim_sources()]
    load = OtherLoad()
    rows = []
    for k in range(pairs):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        for label in ("empty caches", "warm caches"):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True,
                                  text=True)
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                raise RuntimeError(f"start-up subprocess failed:\n{proc.stderr}")
            t = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append((f"{label} ({k + 1})", t["import"], t["run"], t["second"], t["sweep"], wall))
            if k == 0 and label == "empty caches":
                said = [ln for ln in proc.stderr.splitlines() if ln.startswith("theorysim:")]
                notes.append("First process prints: " + " / ".join(f"`{ln}`" for ln in said) + ".")
            log(f"  {label} ({k + 1}): {wall:.2f} s")
    sources.append(theorysim_sources())
    if len(set(sources)) > 1:
        notes.append("theorysim's sources changed during the start-up measurement: the rows may "
                     "mix two versions.")
    notes.append(busy_note(load, "the start-up measurement"))
    return rows


# -- the machine --------------------------------------------------------------------------------
def machine_facts():
    import numba

    ts = _ts()
    cpu = platform.processor() or "unknown"
    if shutil.which("lscpu"):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        cpu = next((ln.split(":", 1)[1].strip() for ln in out.splitlines()
                    if ln.startswith("Model name")), cpu)
    gcc = shutil.which("gcc")
    gcc_version = (subprocess.run([gcc, "--version"], capture_output=True, text=True)
                   .stdout.splitlines()[0] if gcc else "not found")
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jax_version = "not installed"
    if jax_available():
        proc = subprocess.run([sys.executable, "-c", "import jax; print(jax.__version__)"],
                              capture_output=True, text=True)
        jax_version = proc.stdout.strip() or "import failed"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists() and "avx512dq" in cpuinfo.read_text(errors="ignore"):
        cpu += " (AVX-512)"
    return {
        "nproc": nproc,
        "CPU": cpu,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "numpy": np.__version__,
        "numba": f"{numba.__version__}, {numba.get_num_threads()} threads",
        "theorysim": f"{ts.__version__}{theorysim_revision()}",
        "gcc": gcc_version,
        "jax": jax_version,
    }


def theorysim_revision():
    """`` (git <commit>[, uncommitted changes])`` when theorysim lives in a git checkout."""
    root = Path(_ts().__file__).parent

    def git(*args):
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else None

    if shutil.which("git") is None or (commit := git("rev-parse", "--short", "HEAD")) is None:
        return ""
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "*.py")
    return f" (git {commit}{', with uncommitted changes' if dirty else ''})"
class OtherLoad:
    """CPU time used by *other* processes between construction and ``cores()`` (Linux only):
    machine-wide busy time from /proc/stat minus this process's (and its children's)."""

    def __init__(self):
        self.start = self._sample()

    @staticmethod
    def _sample():
        try:
            ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        except (OSError, ValueError):
            return None
        busy = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait
        own = sum(os.times()[:4])
        return time.perf_counter(), busy, own

    def cores(self):
        """Average number of cores kept busy by other processes, or None."""
        end = self._sample()
        if self.start is None or end is None:
            return None
        (t0, busy0, own0), (t1, busy1, own1) = self.start, end
        return max(0.0, (busy1 - busy0) - (own1 - own0)) / (t1 - t0)


def busy_note(load, during):
    """A note on how busy other processes kept the machine (since ``load`` was created)."""
    cores = load.cores()
    if cores is None:
        return f"CPU use of other processes during {during}: unknown (no /proc/stat)."
    note = f"CPU use of other processes during {during}: {cores:.2f} cores on average"
    if cores > 0.1:
        note += (" -- the machine was not idle: these timings are pessimistic, the "
                 "multi-threaded ones most")
    return note + "."


# -- report -------------------------------------------------------------------------------------
def fmt_time(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def _ns(r):
    return f"{r.ns:.3g}" if r is not None and r.seconds else "-"


def summary_table(rows):
    """One line per (workload, threads): ns/unit of each implementation and the two ratios."""
    lines = ["| workload | threads | theorysim | C fastest honest | C matched | JAX | NumPy | "
             "theorysim / fast C | theorysim / JAX |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    keys = []
    for r in rows:
        if (r.workload, r.threads) not in keys and r.kind == "theorysim":
            keys.append((r.workload, r.threads))
    for w, n in keys:
        by = {r.kind: r for r in rows if r.workload == w and r.threads == n and r.seconds}
        t = by.get("theorysim")

        def ratio(kind, t=t, by=by):
            o = by.get(kind)
            return f"{t.seconds / o.seconds:.2f}" if t and o else "-"

        lines.append(f"| {w} | {n} | {_ns(t)} | {_ns(by.get('c_fast'))} | {_ns(by.get('c_matched'))} | "
                     f"{_ns(by.get('jax'))} | {_ns(by.get('numpy'))} | {ratio('c_fast')} | {ratio('jax')} |")
    return lines


def results_table(rows):
    fast = {(r.workload, r.threads): r.seconds for r in rows if r.kind == "c_fast" and r.seconds}
    lines = ["| workload | implementation | threads | best time (of n) | ns / unit* | "
             "ratio to fast C, same threads | check |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.seconds is None:
            lines.append(f"| {r.workload} | {r.impl} | {r.threads} | - | - | - | {r.check} |")
            continue
        c = fast.get((r.workload, r.threads))
        ratio = f"{r.seconds / c:.2f}" if c else "n/a"
        lines.append(f"| {r.workload} | {r.impl} | {r.threads} | {fmt_time(r.seconds)} ({r.repeats}) | "
                     f"{r.ns:.3g} | {ratio} | {r.check} |")
    return lines


def startup_table(rows):
    lines = ["| process | `import theorysim` | first `ts.run` (power x clipped_gd) | second combination "
             "(separable_quartic x adam) | first `ts.sweep` (power x clipped_gd) | import + first run | "
             "process wall time |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, imp, run, second, sweep, wall in rows:
        lines.append(f"| {label} | {fmt_time(imp)} | {fmt_time(run)} | {fmt_time(second)} | "
                     f"{fmt_time(sweep)} | {fmt_time(imp + run)} | {fmt_time(wall)} |")
    lines.append("| target (issue 7) | | | < 5 s more | | empty: < 5 s; warm: < 1 s | |")
    return lines


def report(facts, rows, start_rows, notes, steps, quick):
    cmd = "python benchmarks/bench.py" + (" --quick" if quick else "")
    out = ["# theorysim benchmark: the engine's second design", "",
           f"`{cmd}`, {time.strftime('%Y-%m-%d %H:%M')}.  What is measured and how to read the tables: "
           "see the docstring of `benchmarks/bench.py`.  The machine is shared: other developers "
           "run tests on it at the same time (the notes say how many cores they kept busy), so "
           "every number here is pessimistic and noisy; ratios measured minutes apart are more "
           "trustworthy than absolute times.", ""]
    out += [f"- {k}: {v}" for k, v in facts.items()]
    out += ["", "## Summary (ns per unit*, best of n)", ""]
    out += summary_table(rows)
    out += ["", "\\* W1: per iteration; W2: per coordinate and iteration; W3: per grid point and "
            "iteration; W4: per coordinate update (seeds x iterations x d).  Ratios: time / time "
            "with the same number of threads (above 1: theorysim is slower).  JAX with threads > 1 is "
            "XLA's default thread pool.", ""]
    out += ["## Warm timings", "",
            f"W1: one clipped-GD run on x^4, {steps['W1']:,} iterations, f and |f'| recorded at every "
            f"iteration.  W2: Adam with global-norm clipping at {W2_CLIP:g} on the separable quartic "
            f"sum_i a_i x_i^4/4 + b_i x_i^2/2 (a_i = 0.5 + i/(d-1), b_i = 1.5 - i/(d-1)), d = "
            f"{W2_D:,}, {steps['W2']:,} iterations, f recorded at every iteration.  W3: "
            f"{W3_SHAPE[0]}x{W3_SHAPE[1]} (eta, gamma) grid x {steps['W3']:,} iterations, final loss "
            f"and first iteration with |f'| <= {W3_TOL:g}.  W4: SGD with N(0, {W4_SIGMA:g} I) "
            f"gradient noise on |x|^2/2, d = {W4_D}, eta = {W4_ETA:g}, {W4_SEEDS:,} seeds x "
            f"{steps['W4']:,} iterations, final loss of every seed.  Every implementation also "
            f"stops a run at its first non-finite f or |grad f|.", ""]
    out += results_table(rows)
    out += ["", "## Start-up", "",
            "Fresh interpreters with `NUMBA_CACHE_DIR` and `THEORYSIM_CACHE_DIR` pointed at freshly "
            "emptied folders: the first of each pair starts on empty caches, the second on what the "
            "first left.  Tiny calls (10 steps; the second combination with d = 100; the sweep on an "
            "8x8 grid).  Process wall time includes starting Python.", ""]
    out += startup_table(start_rows)
    out += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def archived_section(path):
    """The text from ARCHIVE_HEADING to the end of an existing results file ("" if none)."""
    if not path.exists():
        return ""
    text = path.read_text()
    i = text.find(ARCHIVE_HEADING)
    return "" if i < 0 else text[i:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true",
                        help="10x fewer iterations, one start-up pair (smoke test); report to "
                             "benchmarks/_build/")
    parser.add_argument("--jax-worker", metavar="WORKLOAD", choices=sorted(JAX_IMPLS),
                        help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.jax_worker:
        jax_worker(args.jax_worker, args.steps, args.out)
        return 0

    import numba

    scale = 10 if args.quick else 1
    steps = {"W1": W1_STEPS // scale, "W2": W2_STEPS // scale, "W3": W3_STEPS // scale,
             "W4": W4_STEPS // scale}
    threads = numba.get_num_threads()
    threads_list = [threads, 1] if threads > 1 else [1]
    BUILD_DIR.mkdir(exist_ok=True)
    facts = machine_facts()
    sources = theorysim_sources()
    notes = []
    c_funcs = load_c(notes)
    start_rows = startup(notes, 1 if args.quick else 2)
    load = OtherLoad()
    rows = (run_w1(steps["W1"], c_funcs, notes) + run_w2(steps["W2"], c_funcs, notes)
            + run_w3(steps["W3"], c_funcs, notes, threads_list)
            + run_w4(steps["W4"], c_funcs, notes, threads_list))
    notes.append(busy_note(load, "the warm timings"))
    if theorysim_sources() != sources:
        notes.append("theorysim's sources changed while the benchmark ran: the rows may mix two "
                     "versions (run again on a quiet checkout).")

    text = report(facts, rows, start_rows, notes, steps, args.quick)
    print(text)
    path = BUILD_DIR / "results_quick.md" if args.quick else RESULTS
    archive = archived_section(RESULTS)
    path.write_text(text + ("\n" + archive if archive else ""))
    log(f"report written to {path}")
    return 1 if any(r.check.startswith("FAIL") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
