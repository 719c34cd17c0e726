r"""The iterate loop, written once.  :mod:`theorysim.engine._codegen` turns it into one module per
(objective, method, oracle, recording) combination by replacing the header below with the
combination's imports and constants, and compiles that module with numba's disk cache.

Each iteration t of a run:

1. oracle: :math:`f(x_t)` and :math:`\nabla f(x_t)` from the objective (``_value_and_grad``); the
   gradient norm decides the tolerance test; a non-finite loss or gradient retires the run
   (divergence is data, checked at every iteration whatever the recording cadence);
2. noise (``NOISE``): the oracle's perturbation, giving :math:`g_t`;
3. step: the method's ``update`` (one file in :mod:`theorysim.methods`), then the projection onto
   the feasible box (``BOX``);
4. monitor (``MONITOR``): Chen et al.'s sums from the effective steps the update reported.

``run_one`` is the single-run loop (scalar code, column 0).  ``run_many`` advances blocks of
columns ``[j0, j1)`` in lockstep, the batch loop innermost; the engine calls it on disjoint block
ranges from several threads (the kernels release the GIL), so no OpenMP/TBB layer is involved:
processes may fork, and an exception raised in a user objective arrives with its own type.
All state lives in preallocated arrays, so a run can be cut into chunks of
iterations without changing a bit.  Records after a run stops stay NaN (allocated so).
"""
# --- header: replaced by the generator with the combination's parts and constants -----------
_value_and_grad = None  # the objective family's kernel
_update = None  # the update rule's kernel
_perturb = None  # the oracle's noise for one column (an oracle without ENTRYWISE_NOISE)
_noise_entry = None  # the oracle's noise for the next coordinate of one run (ENTRYWISE_NOISE)
_step_size = None  # the rule's scalar step h_t, when it moves x by -h_t g_t (SCALAR_PASS)
_move_1d = None  # the rule's move Delta_t of one coordinate, x_{t+1} = x_t - Delta_t (MOVE_1D)

NOISE = False
ENTRYWISE_NOISE = False
MONITOR = False
BOX = False
SCALAR_PASS = False  # the rule has a scalar step, and no monitor, box or whole-column oracle
DRAW_ENTRYWISE = False  # NOISE and ENTRYWISE_NOISE
ONE_PASS = False  # SCALAR_PASS without noise, and ONE_DIM: sweeps check and step in one pass
ONE_DIM = None  # run_many: True for d = 1, False for d > 1 (None: single runs' module)
MOVE_1D = False  # SCALAR_PASS and the rule writes its 1-D move itself (no h_t g_t product)
CACHE = True
# --- end of header -------------------------------------------------------------------------
# The compiled entry points take ``_nrt=False``: nothing in a loop allocates (every array is made
# in Python beforehand), so numba's reference counting is switched off.  With it on, a part that
# calls an opaque function (pow, exp, a user's fg) kept numba from pruning the increments and
# decrements of every array the loop touches, at every iteration: Adam-type runs in one dimension
# took 280 ns per step instead of 21 (measured).  The parts and helpers are ``inner`` functions
# (theorysim._jit): compiled once each, cached, and inlined by LLVM when a loop is compiled;
# ``_step``, which only calls them, is inlined by numba into each loop.
import numpy as np  # noqa: E402

from theorysim._jit import jit  # noqa: E402
from theorysim._status import CONVERGED, RUNNING  # noqa: E402
from theorysim.engine._kernel import accumulate_monitor, classify, norm, norms_into, recording, sumsq_into  # noqa: E402
from theorysim.methods._schedule import sigma  # noqa: E402


@jit(inline="always")  # typed inside each loop: no library of its own to optimise (compile -5%)
def _step(t, j, s, X, G, gn, hp, op, st, noise_p, box, rng, aeff, AP, MON, drawn):
    """Noise, the method's update, monitor and projection for run j; returns the step size.

    Takes the arrays unpacked (the loops unpack their tuples once, outside the time loop).
    ``drawn``: the noise was already added (and ``gn`` is the noisy norm)."""
    gs = gn
    if NOISE and not drawn:
        if ENTRYWISE_NOISE:  # a column is its coordinates in order, from the run's own stream
            for i in range(X.shape[0]):
                G[i, j] += _noise_entry(noise_p, j, rng)
        else:
            _perturb(noise_p, G, j, rng)
        gs = norm(G, j)
    h = _update(t, j, s, X, G, gs, hp, op, st, aeff, MONITOR)
    if MONITOR:
        accumulate_monitor(t, j, G, aeff, AP, MON)
    if BOX:
        for i in range(X.shape[0]):
            X[i, j] = min(max(X[i, j], box[0]), box[1])
    return h


@jit(cache=CACHE, _nrt=False)
def run_one(obj, meth, state, track, recs, mon, scratch, steps, t0, t1, rec_every, tol,
            stop_at_tol):
    """One run (column 0) from iteration t0 to t1 (exclusive); returns the last t evaluated."""
    params, noise_p, box, rng = obj
    hp, op, st, skind, svals = meth
    X, G, F, GN, H = state
    hit, status, stop_t = track
    Rf, Rg, Rh, Rx, Rm = recs
    aeff, AP, MON = mon
    d = X.shape[0]
    nrec = Rf.shape[0]
    rec_x = Rx.shape[0] > 0
    rec_m = Rm.shape[0] > 0
    r_next = (t0 + rec_every - 1) // rec_every
    t_next = r_next * rec_every
    last = t0 - 1
    code = status[0]  # status, first hit and the step live in registers; written back at the end
    # column 0 as the parts see it: unsigned, like run_many's columns, so each part is compiled
    # once for both loops (a literal 0 would type them separately); LLVM folds it after inlining
    c0 = np.uint64(0)
    c1 = np.uint64(1)
    first = hit[0]
    h = np.nan
    if code != RUNNING:
        return last
    for t in range(t0, t1):
        last = t
        final = t == steps
        rec, r, t_next, r_next = recording(t, t_next, r_next, rec_every, final, nrec)
        _value_and_grad(params, X, G, F, c0, c1, t, rng, scratch)
        gn = norm(G, c0)  # overflow-safe already: a non-finite gn is a non-finite gradient
        if not (gn < np.inf) or not (abs(F[0]) < np.inf):
            GN[0] = gn
            code = classify(G, F, GN, c0)
            gn = GN[0]
            if code != RUNNING:
                stop_t[0] = t
        if first < 0 and gn <= tol and code == RUNNING:
            first = t
            if stop_at_tol:
                code = CONVERGED
                stop_t[0] = t
        if rec:
            Rf[r, 0] = F[0]
            Rg[r, 0] = gn
            if rec_x:
                for i in range(d):
                    Rx[r, i, 0] = X[i, 0]
            if rec_m:
                for q in range(4):
                    Rm[r, q, 0] = MON[q, 0]
        h = np.nan
        if not final and code == RUNNING:
            h = _step(t, c0, sigma(skind, t, svals), X, G, gn, hp, op, st, noise_p, box, rng, aeff,
                      AP, MON, False)
        if rec:
            Rh[r, 0] = h
        if final or code != RUNNING:
            GN[0] = gn
            break
    status[0] = code
    hit[0] = first
    H[0] = h
    return last


@jit(cache=CACHE, _nrt=False)
def run_many(obj, meth, state, track, recs, mon, scratch, steps, t0, t1, rec_every, tol,
             stop_at_tol, bs, b0, b1, last):
    """Blocks b0 <= b < b1 of ``bs`` columns each, every block's columns in lockstep from t0 to
    t1; ``last[b]`` gets the last t block b evaluated.

    The engine runs disjoint block ranges on several Python threads (compiled with ``nogil``).
    The column indices are unsigned: numba then emits no negative-index wraparound, so LLVM sees
    unit-stride accesses and vectorises the batch loops (signed indices: gathers and scatters,
    about 5x slower, measured on the W3 sweep of ``benchmarks/bench.py``).  One function, not a
    block function called per block: LLVM then optimises and emits the loop once, not twice."""
    params, noise_p, box, rng = obj
    hp, op, st, skind, svals = meth
    X, G, F, GN, H = state
    hit, status, stop_t = track
    Rf, Rg, Rh, Rx, Rm = recs
    aeff, AP, MON = mon
    d = X.shape[0]
    nrec = Rf.shape[0]
    rec_x = Rx.shape[0] > 0
    rec_m = Rm.shape[0] > 0
    B = X.shape[1]
    for b in range(b0, b1):
        j0 = np.uint64(b * bs)
        j1 = np.uint64(min(B, b * bs + bs))
        r_next = (t0 + rec_every - 1) // rec_every
        t_next = r_next * rec_every
        last_t = t0 - 1
        alive = 0
        for j in range(j0, j1):
            alive += status[j] == RUNNING
        if alive == 0:  # every run of the block has stopped
            last[b] = last_t
            continue
        for t in range(t0, t1):
            last_t = t
            final = t == steps
            rec, r, t_next, r_next = recording(t, t_next, r_next, rec_every, final, nrec)
            _value_and_grad(params, X, G, F, j0, j1, t, rng, scratch[b])
            if ONE_PASS and not final and not rec:
                # one pass per column instead of four (norm and checks, tolerance, step size,
                # step), branch-free so that it vectorises across the block: the W3 sweep of
                # benchmarks/bench.py 20% faster.  The same arithmetic per column as the general
                # path below; a run found not finite takes no step and is retired after the pass
                # (for d = 1 classify never finds a false alarm), one that reaches tol with
                # stop_at_tol takes none either.  Not on recorded rows (the records need x_t).
                s = sigma(skind, t, svals)
                # alive: the block's running runs, counted down where one stops (settle pass)
                settle = False  # some run overflowed, or reached the tolerance, now
                for j in range(j0, j1):
                    gn = abs(G[0, j])  # GN[j] is written where it is read: below, after the loop
                    ok = (gn < np.inf) & (abs(F[j]) < np.inf)  # & not and: no branches
                    live = (status[j] == RUNNING) & ok
                    # hit[j] is written in the pass below (once per run, not a store per step)
                    reach = live & (hit[j] < 0) & (gn <= tol)
                    stop = stop_at_tol & reach
                    settle |= (not ok) | reach
                    run = live & (not stop)
                    if MOVE_1D:  # computed in every lane, used in the running ones
                        dx = _move_1d(t, j, s, G[0, j], gn, hp, op)
                        X[0, j] -= dx if run else 0.0
                    else:
                        h = _step_size(t, j, s, gn, hp, op) if run else 0.0
                        X[0, j] -= h * G[0, j]
                if settle:
                    for j in range(j0, j1):
                        if status[j] != RUNNING:
                            continue
                        GN[j] = abs(G[0, j])
                        if not ((GN[j] < np.inf) & (abs(F[j]) < np.inf)):
                            status[j] = classify(G, F, GN, j)
                            stop_t[j] = t
                            X[0, j] = 0.0  # parked at the origin, as below
                            alive -= status[j] != RUNNING
                        elif hit[j] < 0 and GN[j] <= tol:  # reached tol now
                            hit[j] = t
                            if stop_at_tol:
                                status[j] = CONVERGED
                                stop_t[j] = t
                                alive -= 1
                if alive == 0:  # every run of the block has stopped
                    break
                continue
            bad = False
            if ONE_DIM:  # norm, finiteness and tolerance in one branch-free pass
                for j in range(j0, j1):
                    gn = abs(G[0, j])
                    GN[j] = gn
                    bad |= not (gn < np.inf) or not (abs(F[j]) < np.inf)
                    hit[j] = t if (hit[j] < 0 and gn <= tol and status[j] == RUNNING) else hit[j]
            else:
                sumsq_into(G, GN, j0, j1)
                for j in range(j0, j1):
                    gn = np.sqrt(GN[j])
                    GN[j] = gn
                    bad |= not (gn < np.inf) or not (abs(F[j]) < np.inf)
                    hit[j] = t if (hit[j] < 0 and gn <= tol and status[j] == RUNNING) else hit[j]
            if bad:  # rare path: retire the runs that diverged now (a false alarm re-measures GN)
                for j in range(j0, j1):
                    if status[j] == RUNNING:
                        code = classify(G, F, GN, j)
                        if code != RUNNING:
                            status[j] = code
                            stop_t[j] = t
                            if hit[j] == t:  # a run that diverges at t did not converge at t
                                hit[j] = -1
                        elif hit[j] < 0 and GN[j] <= tol:  # the overflow was a false alarm
                            hit[j] = t
            if stop_at_tol:
                for j in range(j0, j1):
                    if hit[j] == t and status[j] == RUNNING:
                        status[j] = CONVERGED
                        stop_t[j] = t
            if rec:
                for j in range(j0, j1):
                    if status[j] == RUNNING or stop_t[j] == t:
                        Rf[r, j] = F[j]
                        Rg[r, j] = GN[j]
                        if rec_x:
                            for i in range(d):
                                Rx[r, i, j] = X[i, j]
                        if rec_m:
                            for q in range(4):
                                Rm[r, q, j] = MON[q, j]
            if final:
                for j in range(j0, j1):
                    H[j] = np.nan
                break
            s = sigma(skind, t, svals)
            alive = 0
            gsrc = GN  # the norms the step sees
            if DRAW_ENTRYWISE:
                # coordinate i of every live run, then coordinate i + 1: each run draws from its own
                # stream in the same order as one column at a time (same bits), and the independent
                # streams overlap in the pipeline; the noisy norms go to H (GN keeps f's gradient)
                for i in range(d):
                    for j in range(j0, j1):
                        if status[j] == RUNNING:
                            G[i, j] += _noise_entry(noise_p, j, rng)
                norms_into(G, H, j0, j1)
                gsrc = H
            if SCALAR_PASS:
                # x -= h g with a scalar h: branch-free passes that vectorise across the batch (the
                # same arithmetic as the rule's update; retired runs move by 0 * g)
                if ONE_DIM:
                    for j in range(j0, j1):
                        run = status[j] == RUNNING
                        alive += run
                        h = _step_size(t, j, s, gsrc[j], hp, op) if run else 0.0
                        if MOVE_1D:
                            X[0, j] -= _move_1d(t, j, s, G[0, j], gsrc[j], hp, op) if run else 0.0
                        else:
                            X[0, j] -= h * G[0, j]
                        H[j] = h if run else np.nan
                else:
                    for j in range(j0, j1):
                        run = status[j] == RUNNING
                        alive += run
                        H[j] = _step_size(t, j, s, gsrc[j], hp, op) if run else 0.0
                    for i in range(d):
                        for j in range(j0, j1):
                            X[i, j] -= H[j] * G[i, j]
                    for j in range(j0, j1):
                        if status[j] != RUNNING:
                            H[j] = np.nan
            else:
                for j in range(j0, j1):
                    if status[j] == RUNNING:
                        alive += 1
                        H[j] = _step(t, j, s, X, G, gsrc[j], hp, op, st, noise_p, box, rng, aeff, AP,
                                     MON, DRAW_ENTRYWISE)
                    else:
                        H[j] = np.nan
            if rec:
                for j in range(j0, j1):
                    Rh[r, j] = H[j]
            if bad:  # park retired runs at the origin: finite and cheap from now on
                for j in range(j0, j1):
                    if status[j] != RUNNING and status[j] != CONVERGED and stop_t[j] == t:
                        for i in range(d):
                            X[i, j] = 0.0
            if alive == 0:  # every run of the block has stopped
                break
        if ONE_PASS:  # the norms of the last step evaluated (the one-pass loop did not store them)
            for j in range(j0, j1):
                if status[j] == RUNNING:
                    GN[j] = abs(G[0, j])
        last[b] = last_t
