"""Per-run random streams inside numba kernels: xoshiro256** generators and exact samplers.

State
-----
All random state of a batch lives in one C-contiguous ``uint64`` array ``S`` of shape ``(4, B)``:
column ``j`` holds the four 64-bit words of the generator that drives run ``j`` (one column of
the batch).  Every sampler takes ``(S, j)``, advances column ``j`` in place and touches no other
column, so run ``j`` sees the same numbers whatever the batch size, the loop order or the thread
that executes it.  :func:`seed_states` builds ``S`` from an explicit seed.

Generator: xoshiro256**
-----------------------
The generator is xoshiro256** of Blackman and Vigna (D. Blackman, S. Vigna, "Scrambled linear
pseudorandom number generators", ACM Transactions on Mathematical Software 47(4), 2021).  Its
state is four 64-bit words ``s0..s3`` that evolve by a linear map over GF(2) built only from
xor, shift and rotation, with period ``2**256 - 1`` (the all-zero state is the one fixed point
and must never be used).  Each step

* produces the output from the *old* second word through the "starstar" scrambler,
  ``rotl(s1 * 5, 7) * 9`` (all arithmetic modulo ``2**64``), which makes every output bit,
  including the low ones, pass the standard statistical batteries;
* then updates the state: ``t = s1 << 17``; ``s2 ^= s0``; ``s3 ^= s1``; ``s1 ^= s2``;
  ``s0 ^= s3``; ``s2 ^= t``; ``s3 = rotl(s3, 45)``.

Seeding goes through :class:`numpy.random.SeedSequence`: child ``j`` of ``SeedSequence(seed)``
(spawn key ``(j,)``) fills column ``j``.  SeedSequence hashes the seed and the spawn key into
well-mixed, practically independent words, so the columns are independent streams and a given
seed gives the same bits on every machine.

Normal variates: ziggurat
-------------------------
:func:`normal` uses the ziggurat method of Marsaglia and Tsang (G. Marsaglia, W. W. Tsang, "The
Ziggurat Method for Generating Random Variables", Journal of Statistical Software 5(8), 2000),
in the form that takes the layer index and the uniform from disjoint bits of one 64-bit word
(the improvement suggested by Doornik, 2005).  The area under the half density
``f(x) = exp(-x**2 / 2)`` is covered by ``N = 256`` horizontal slabs of equal area ``A``: the
bottom slab is a rectangle of height ``f(r)`` together with the whole tail beyond ``r``, and the
slabs above are rectangles whose right edges ``x_1 = r > x_2 > ... > x_N = 0`` lie on the curve.
One draw picks a slab ``i`` uniformly (8 low bits), a sign (bit 8) and a point ``x`` uniform on
the slab's width (the top 53 bits).  If ``x`` is left of the next slab's edge the point is
certainly under the curve and ``x`` is returned at once -- this happens in about 99% of the
draws and costs one table lookup and one multiplication.  Otherwise, in slab ``i >= 1`` a
uniform height within the slab is compared with ``f(x)`` (exact rejection), and in the bottom
slab a point beyond ``r`` is drawn from the tail by Marsaglia's exact method: with ``E1, E2``
standard exponentials, ``a = E1 / r`` is accepted when ``2 E2 > a**2`` and ``r + a`` returned.
The sampler is therefore exact (up to the 53-bit resolution of the uniforms).

The tables are computed once at import, in Python floats: ``r`` is found by bisection so that the
chain of equal-area slabs closes exactly at the top of the curve (``r = 3.65415288536...`` for
256 slabs).  They are stored as small module-level arrays (:data:`TABLES`, 6 KB) and read by the
kernels as numba global constants; see "Tables, the disk cache and reference counts" below.

Other samplers
--------------
* :func:`uniform` -- ``(u >> 11) * 2**-53``: the top 53 bits of one output, a multiple of
  ``2**-53`` in ``[0, 1)``;
* :func:`bernoulli` -- ``uniform < p``;
* :func:`exponential` -- ``-log(1 - uniform)`` (inversion; ``1 - uniform`` is in ``(0, 1]``);
* :func:`gamma` -- Marsaglia and Tsang's squeeze-and-reject method (ACM TOMS 26(3), 2000) for
  shape ``a >= 1``: with ``d = a - 1/3`` and ``c = 1/sqrt(9 d)`` a normal ``z`` gives
  ``v = (1 + c z)**3``, accepted with the exact log-density test; shapes ``a < 1`` use
  ``Gamma(a) = Gamma(a + 1) * U**(1/a)``;
* :func:`student_t` -- Student's t with any real ``nu > 0`` by Bailey's polar method
  (R. W. Bailey, Mathematics of Computation 62, 1994): draw ``(u, v)`` uniform in the unit disc,
  ``w = u**2 + v**2``, and return ``u * sqrt(nu * (w**(-2/nu) - 1) / w)`` (for ``nu > 64``
  ``w**(-2/nu) - 1`` is evaluated as ``expm1(-2 log(w) / nu)`` to avoid cancellation).  It is
  exact, needs no normal or gamma variate, and costs one ``pow`` and one ``sqrt`` per draw.

Compiled helpers and ``NUMBA_DISABLE_JIT``
------------------------------------------
Every sampler is an ``inner`` function (:func:`theorysim._jit.inner`): compiled once, kept in
numba's disk cache, without reference counting, and inlined by LLVM into the loop that calls it.
:func:`fill_normal` and :func:`fill_u64` are ordinary ``@jit`` kernels (benchmarks and tests).
Under ``NUMBA_DISABLE_JIT=1`` the same code runs on numpy ``uint64`` scalars; shifts, xor and or
never overflow there, and the two multiplications of the scrambler go through :func:`_wmul`,
which in that mode multiplies Python ints and masks to 64 bits -- so the plain-Python streams are
bit-for-bit those of the compiled kernels, without overflow warnings.

Tables, the disk cache and reference counts
-------------------------------------------
numba freezes a module-level array that a kernel reads into the compiled code as a constant.
Both ways of handing the tables to the sampler were measured (numba 0.68):

* embedded (the samplers read the module arrays): a ``cache=True`` kernel that calls
  :func:`normal` is written to numba's disk cache and loads from it in a new process
  (``dispatcher.stats.cache_hits``; ``tests/oracles/test_rng.py`` checks this for
  :func:`fill_normal`), with no warning.  The frozen arrays own no memory, so they cost no
  reference counting;
* passed as arguments (``normal(S, j, k, w, f)``): caching works as well, but every call then
  increments and decrements the reference counts of the three table arrays (atomic operations):
  about 45 ns instead of 3.5 ns per draw in the measurement (2-core x86-64), when the samplers
  were compiled with reference counting.

The tables are therefore embedded, the samplers take just ``(S, j)``, and :data:`TABLES` is
exported read-only for inspection.  The samplers are compiled without reference counting, so the
state array ``S`` costs no increment per draw either; ``tests/engine/test_compile_cache.py``
compiles noisy sweeps afresh (the Student-t oracle reaches :func:`gamma`, :func:`normal`,
:func:`exponential`, :func:`uniform` and :func:`next_u64`) and checks that their LLVM IR calls no
``NRT_incref`` or ``NRT_decref``.

Cache freshness: a kernel that calls these samplers links (and LLVM inlines) their code (and the
tables) into its own cache entry.  numba only restamps an entry when the kernel's own file changes, so a kernel
outside ``theorysim/oracles`` keeps stale sampler code after this file changes unless its cache
stamp also covers this file.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .._jit import inner, jit, jit_disabled

__all__ = [
    "TABLES", "ZIG_LAYERS", "ZIG_R", "bernoulli", "exponential", "fill_normal", "fill_u64",
    "gamma", "next_u64", "normal", "seed_states", "student_t", "uniform",
]

_MASK64 = (1 << 64) - 1

# uint64 constants (numba types the mixed uint64/int64 operations as float or int64 otherwise)
_U5 = np.uint64(5)
_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U8 = np.uint64(8)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U45 = np.uint64(45)
_U64 = np.uint64(64)
_ZERO = np.uint64(0)
_ONE = np.uint64(1)
_LOW8 = np.uint64(0xFF)
_TWO_M53 = 2.0 ** -53


# ---------------------------------------------------------------- seeding (plain Python)

def _child_state(child: np.random.SeedSequence) -> np.ndarray:
    """Four uint64 words, not all zero, from one SeedSequence child."""
    words = child.generate_state(4, np.uint64)
    n = 4
    while not words.any():  # probability 2**-256; keep drawing, deterministically
        n += 4
        words = child.generate_state(n, np.uint64)[-4:]
    return words


def seed_states(seed, n: int) -> np.ndarray:
    """States for ``n`` independent xoshiro256** streams: a C-contiguous ``(4, n)`` uint64 array.

    ``seed`` is a non-negative int or a :class:`numpy.random.SeedSequence`; ``None`` is refused,
    because theorysim runs are always reproducible from an explicit seed.  Column ``j`` comes from
    the SeedSequence child with spawn key ``seed.spawn_key + (j,)``, so

    * the same seed always gives the same array, on every platform;
    * ``seed_states(s, m)[:, :n] == seed_states(s, n)`` for ``m > n`` (a run's stream does not
      depend on the batch size);
    * ``seed_states(SeedSequence(k), n) == seed_states(k, n)``; a SeedSequence argument is not
      modified (its spawn counter is ignored).
    """
    if seed is None:
        raise ValueError(
            "seed_states needs an explicit seed (an int or a numpy SeedSequence); seed=None "
            "would make the run irreproducible, and theorysim always wants reproducible runs")
    if isinstance(seed, np.random.SeedSequence):
        root = seed
    elif isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if int(seed) < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        root = np.random.SeedSequence(int(seed))
    else:
        raise TypeError(f"seed must be an int or a numpy SeedSequence, got {type(seed).__name__}")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    S = np.empty((4, int(n)), dtype=np.uint64)
    for j in range(int(n)):
        child = np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (j,),
                                       pool_size=root.pool_size)
        S[:, j] = _child_state(child)
    return S


# ---------------------------------------------------------------- ziggurat tables

def _ziggurat_tables(n_layers: int = 256):
    """(k, w, f, r) for an ``n_layers`` normal ziggurat; see the module docstring.

    ``x[0] = A / f(r)`` (the virtual width of the bottom slab), ``x[1] = r``, ...,
    ``x[n] = 0`` are the slab edges of ``f(x) = exp(-x**2/2)``; slab ``i`` spans heights
    ``f(x[i])..f(x[i+1])`` (the bottom slab ``0..f(r)``).  Returned:

    * ``k[i] = floor(2**53 x[i+1] / x[i])`` (uint64): 53-bit uniforms below it are inside the curve;
    * ``w[i] = x[i] * 2**-53``: multiplies the 53-bit integer into a point of slab ``i``;
    * ``f[i] = f(x[i])`` for ``i = 1..n`` with ``f[n] = 1``, ``f[0] = 0``.
    """
    fpdf = lambda x: math.exp(-0.5 * x * x)  # noqa: E731

    def chain(r):
        """Edges for a trial r; residual > 0 means the slabs are too fat (r too small)."""
        area = r * fpdf(r) + math.sqrt(math.pi / 2) * math.erfc(r / math.sqrt(2.0))
        xs = [area / fpdf(r), r]
        for _ in range(n_layers - 2):
            y = fpdf(xs[-1]) + area / xs[-1]
            if y >= 1.0:
                return xs, area, 1.0
            xs.append(math.sqrt(-2.0 * math.log(y)))
        return xs, area, fpdf(xs[-1]) + area / xs[-1] - 1.0

    lo, hi = 2.0, 5.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if chain(mid)[2] > 0.0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 4 * math.ulp(hi):
            break
    r = hi
    xs, _, _ = chain(r)
    xs.append(0.0)
    x = np.array(xs, dtype=np.float64)
    k = np.array([math.floor(2.0 ** 53 * x[i + 1] / x[i]) for i in range(n_layers)],
                 dtype=np.uint64)
    w = x[:n_layers] * _TWO_M53
    f = np.array([0.0] + [fpdf(v) for v in xs[1:n_layers]] + [1.0], dtype=np.float64)
    return k, w, f, r


ZIG_LAYERS = 256
_ZK, _ZW, _ZF, ZIG_R = _ziggurat_tables(ZIG_LAYERS)
for _a in (_ZK, _ZW, _ZF):
    _a.setflags(write=False)
#: ``(k, w, f)`` ziggurat tables (read-only; the samplers read the module arrays directly)
TABLES = (_ZK, _ZW, _ZF)


# ---------------------------------------------------------------- xoshiro256**

if jit_disabled():
    def _wmul(a, b):
        """``a * b`` modulo 2**64 for numpy uint64 scalars (plain-Python mode, no warnings)."""
        return np.uint64((int(a) * int(b)) & _MASK64)
else:
    @inner
    def _wmul(a, b):
        """``a * b`` modulo 2**64 (uint64 arithmetic wraps in compiled code)."""
        return a * b


@inner
def _rotl(x, k):
    """Rotate the uint64 ``x`` left by ``k`` (a uint64 in 1..63) bits."""
    return (x << k) | (x >> (_U64 - k))


@inner
def next_u64(S, j):
    """Next 64-bit output of stream ``j`` (xoshiro256**); advances column ``j`` of ``S``."""
    s0 = S[0, j]
    s1 = S[1, j]
    s2 = S[2, j]
    s3 = S[3, j]
    out = _wmul(_rotl(_wmul(s1, _U5), _U7), _U9)
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, _U45)
    S[0, j] = s0
    S[1, j] = s1
    S[2, j] = s2
    S[3, j] = s3
    return out


@inner
def uniform(S, j):
    """Uniform float64 in ``[0, 1)``: the top 53 bits of one output times ``2**-53``."""
    return np.float64(np.int64(next_u64(S, j) >> _U11)) * _TWO_M53


@inner
def bernoulli(S, j, p):
    """``True`` with probability ``p`` (``p <= 0``: never, ``p >= 1``: always)."""
    return uniform(S, j) < p


@inner
def exponential(S, j):
    """Standard exponential variate by inversion, ``-log(1 - U)`` (finite: ``1 - U > 0``)."""
    return 0.0 - math.log(1.0 - uniform(S, j))  # 0.0 - ...: +0.0 rather than -0.0 for U = 0


# ---------------------------------------------------------------- normal (ziggurat)

@inner
def _normal_tail(S, j, r):
    """``|Z|`` conditioned on ``|Z| > r``, by Marsaglia's exact exponential rejection."""
    while True:
        a = exponential(S, j) / r
        b = exponential(S, j)
        if b + b > a * a:
            return r + a


@inner
def normal(S, j):
    """Standard normal variate from stream ``j`` (256-slab ziggurat, exact tail)."""
    while True:
        u = next_u64(S, j)
        i = np.intp(u & _LOW8)
        m = u >> _U11
        x = np.float64(np.int64(m)) * _ZW[i]
        neg = ((u >> _U8) & _ONE) != _ZERO
        if m < _ZK[i]:  # strictly inside the curve: ~99% of the draws end here
            return -x if neg else x
        if i == 0:  # bottom slab: its rectangle part, or else the tail beyond r
            if x < ZIG_R:
                return -x if neg else x
            t = _normal_tail(S, j, ZIG_R)
            return -t if neg else t
        if _ZF[i] + uniform(S, j) * (_ZF[i + 1] - _ZF[i]) < math.exp(-0.5 * x * x):
            return -x if neg else x


# ---------------------------------------------------------------- gamma, Student t

@inner
def gamma(S, j, shape):
    """Gamma(``shape``, scale 1) variate, ``shape > 0`` (Marsaglia-Tsang squeeze/rejection).

    Returns NaN for ``shape <= 0`` or NaN.
    """
    if not shape > 0.0:
        return np.nan
    boost = shape < 1.0
    a = shape + 1.0 if boost else shape
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:  # exits return directly: keeps the reference-count pruning effective
        z = normal(S, j)
        v = 1.0 + c * z
        if v > 0.0:
            v = v * v * v
            u = 1.0 - uniform(S, j)  # in (0, 1]
            z2 = z * z
            if u < 1.0 - 0.0331 * z2 * z2 or math.log(u) < 0.5 * z2 + d * (1.0 - v + math.log(v)):
                if boost:
                    return d * v * (1.0 - uniform(S, j)) ** (1.0 / shape)
                return d * v


@inner
def student_t(S, j, nu):
    """Student-t variate with ``nu > 0`` (real) degrees of freedom, Bailey's polar method.

    Returns NaN for ``nu <= 0`` or NaN; ``nu = inf`` gives a normal variate.
    """
    if not nu > 0.0:
        return np.nan
    while True:
        u = 2.0 * uniform(S, j) - 1.0
        v = 2.0 * uniform(S, j) - 1.0
        w = u * u + v * v
        if 0.0 < w < 1.0:
            break
    if nu == np.inf:  # limit of the formula: u * sqrt(-2 log(w) / w)
        return u * math.sqrt(-2.0 * math.log(w) / w)
    if nu <= 64.0:
        p = w ** (-2.0 / nu) - 1.0  # one pow: the faster form
    else:  # avoids the cancellation in w**(-2/nu) - 1 when 2/nu is small
        p = math.expm1(-2.0 / nu * math.log(w))
    return u * math.sqrt(nu * p / w)


# ---------------------------------------------------------------- kernels

@jit
def fill_normal(S, out):
    """Fill ``out`` (shape ``(n, B)``) with normals: ``out[i, j]`` is draw ``i`` of stream ``j``."""
    n, B = out.shape
    for i in range(n):
        for j in range(B):
            out[i, j] = normal(S, j)


@jit
def fill_u64(S, out):
    """Fill ``out`` (uint64, shape ``(n, B)``) with raw outputs, ``out[i, j]`` from stream ``j``."""
    n, B = out.shape
    for i in range(n):
        for j in range(B):
            out[i, j] = next_u64(S, j)
