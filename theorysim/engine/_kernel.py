r"""Small compiled helpers shared by every generated loop (norms, recording cadence, status, monitor).

The loops of :mod:`theorysim.engine._template` call them (``inner``: compiled once, cached, inlined
by LLVM); none of them names an objective or a method.
"""
import numpy as np

from .._jit import inner, jit
from .._status import NONFINITE_GRAD, NONFINITE_LOSS, RUNNING


@jit
def scaled_norm(G, j):
    """Overflow-safe Euclidean norm of column j (used only when the fast norm overflowed)."""
    d = G.shape[0]
    m = 0.0
    for i in range(d):
        a = abs(G[i, j])
        if a != a:  # NaN anywhere makes the norm NaN (a later finite entry must not hide it)
            return a
        if a > m:
            m = a
    if m == 0.0 or not (m < np.inf):
        return m
    s = 0.0
    for i in range(d):
        r = G[i, j] / m
        s += r * r
    return m * np.sqrt(s)


@inner
def norm(G, j):
    """Euclidean norm of column j, summed in index order (``|g|`` exactly when d = 1)."""
    d = G.shape[0]
    if d == 1:
        return abs(G[0, j])
    s = 0.0
    for i in range(d):
        s += G[i, j] * G[i, j]
    r = np.sqrt(s)
    if not (r < np.inf):
        r = scaled_norm(G, j)
    return r


@inner
def recording(t, t_next, r_next, rec_every, final, nrec):
    """(record now?, row, next t, next row) without integer division in the loop."""
    if nrec == 0:
        return False, 0, t_next, r_next
    if t == t_next:
        return True, r_next, t_next + rec_every, r_next + 1
    if final:
        return True, nrec - 1, t_next, r_next
    return False, 0, t_next, r_next


@inner
def classify(G, F, GN, j):
    """Status of run j after a non-finite value appeared (RUNNING if it was a false alarm:
    the fast norm overflowed but the scaled norm is finite)."""
    if not (GN[j] < np.inf):
        GN[j] = scaled_norm(G, j)
    if not (GN[j] < np.inf):
        return NONFINITE_GRAD
    if not (abs(F[j]) < np.inf):
        return NONFINITE_LOSS
    return RUNNING


@inner
def accumulate_monitor(t, j, G, aeff, AP, MON):
    r"""Chen et al. 2019's sums for run j from this step's effective steps :math:`a_{t,i}`
    (``aeff[:, j]``) and the gradient they multiplied (``G[:, j]``):

    .. math::
       S\mathrel{+}=\min_ia_{t,i},\quad A\mathrel{+}=\|a_t\odot g_t\|^2,\quad
       B\mathrel{+}=\|a_t-a_{t-1}\|_1,\quad B_2\mathrel{+}=\|a_t-a_{t-1}\|^2.

    A coordinate with :math:`a=\infty` (zero second moment, :math:`\epsilon=0`) and zero gradient
    adds 0 to A; a NaN difference (:math:`\infty-\infty`) adds nothing to B."""
    d = G.shape[0]
    amin = np.inf
    for i in range(d):
        a = aeff[i, j]
        g = G[i, j]
        ag = a * g if g != 0.0 else 0.0
        MON[1, j] += ag * ag
        if t > 0:
            da = a - AP[i, j]
            if da == da:
                MON[2, j] += abs(da)
                MON[3, j] += da * da
        AP[i, j] = a
        amin = min(amin, a)
    MON[0, j] += amin


@inner
def no_noise(params, G, j, rng):
    """The deterministic oracle: :math:`g_t=\\nabla f(x_t)` (bound when a run has no noise)."""
    return None


@inner
def no_noise_entry(params, j, rng):
    """Bound when the oracle draws whole columns (its ``perturb``), not coordinates."""
    return 0.0


@inner
def sumsq_into(G, out, j0, j1):
    r"""``out[j]`` = :math:`\sum_iG_{ij}^2` for j0 <= j < j1, summed in index order (as in
    :func:`norm`), the batch loop innermost."""
    for j in range(j0, j1):
        out[j] = G[0, j] * G[0, j]
    for i in range(1, G.shape[0]):
        for j in range(j0, j1):
            out[j] += G[i, j] * G[i, j]


@inner
def norms_into(G, out, j0, j1):
    """``out[j]`` = :func:`norm` of column j for j0 <= j < j1, the batch loop innermost (same
    bits as :func:`norm`: sums in index order, the overflow-safe norm where the fast one is not
    finite)."""
    if G.shape[0] == 1:
        for j in range(j0, j1):
            out[j] = abs(G[0, j])
        return
    sumsq_into(G, out, j0, j1)
    bad = False
    for j in range(j0, j1):
        r = np.sqrt(out[j])
        out[j] = r
        bad |= not (r < np.inf)
    if bad:
        for j in range(j0, j1):
            if not (out[j] < np.inf):
                out[j] = scaled_norm(G, j)


@inner
def no_step_size(t, j, s, gn, hp, op):
    """Bound when the rule has no scalar step (its ``update`` does the whole move)."""
    return np.nan


@inner
def no_move_1d(t, j, s, g, gn, hp, op):
    """Bound when the rule has no 1-D move of its own (the loop moves x by h_t g_t)."""
    return np.nan
