r"""GD against gradient flow, after Elkabetz & Cohen, "Continuous vs. discrete optimization of
deep neural networks" (NeurIPS 2021, arXiv 2107.06608).

Read in the paper [C, abstract]: GD is a numerical integrator of gradient flow (GF); the gap
between them is governed by the curvature along the GF trajectory; for deep linear networks this
turns a GF analysis into a GD guarantee.  The paper's bounds, constants and theorem numbers were
**not** read.  The two statements here are elementary and theorysim's own (the conservation of
balancedness by GF is a well-known fact for deep linear networks, known to us from secondary
sources):

* ``elkabetz2021.gap_1d`` — on :math:`\tfrac a2x^2`: GD :math:`x_k=(1-\eta a)^kx_0`, GF
  :math:`x(k\eta)=e^{-a\eta k}x_0`; at fixed time :math:`t=k\eta` the gap is
  :math:`-\tfrac{\eta a^2t}2e^{-at}x_0+O(\eta^2)`.
* ``elkabetz2021.balancedness`` — for :math:`\tfrac12\|W_N\cdots W_1-\Phi\|_F^2`, GF conserves
  :math:`B_j=W_{j+1}^\top W_{j+1}-W_jW_j^\top`, and one GD step changes it by exactly
  :math:`\eta^2(G_{j+1}^\top G_{j+1}-G_jG_j^\top)`, :math:`G_j=\nabla_{W_j}f`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

A = sp.Symbol("a", positive=True)
K = sp.Symbol("k", positive=True, integer=True)
TT = sp.Symbol("t", positive=True)
#: 1-D instance: curvature, start, horizon, steps
A_1D, X0_1D, T_1D, ETAS_1D = 2.0, 1.0, 3.0, (0.1, 0.05, 0.01)
#: deep linear instance: target, depth, seed of the start, start scale, horizon, GD step
TARGET = ((1.0, 0.5), (0.0, 0.75))
DEPTH = 3
SEED = 0
SCALE = 0.5
T_END = 20.0
ETA = 0.05

_NOTE = ("the paper's abstract [C]: GD as an integrator of GF, gap governed by curvature; the "
         "statements and constants here are theorysim's")


def chain_start(seed=SEED, scale=SCALE, d=2, depth=DEPTH):
    """The seeded random start of the deep-linear runs (normal entries times ``scale``)."""
    return np.random.default_rng(np.random.SeedSequence(seed)).normal(size=depth * d * d) * scale


class Gap1D(Statement):
    r"""GD vs GF on :math:`\tfrac a2x^2`: gap :math:`(1-\eta a)^k-e^{-a\eta k}` (times
    :math:`x_0`), leading term :math:`-\tfrac{\eta a^2t}{2}e^{-at}` at :math:`t=k\eta`.

    **Symbolic:** with :math:`k=t/\eta`, sympy expands the gap in :math:`\eta` and compares the
    first-order term with the claim.  **Simulation:** ``ts.flow`` and GD (engine) on
    ``quadratic(lam=A_1D)`` from ``X0_1D`` to time ``T_1D`` for each of ``ETAS_1D``: the measured
    :math:`x_k^{GD}-x^{GF}(k\eta)` against the exact gap at every k (headline: the largest
    relative deviation, bound 1e-7, the solver's accuracy), and, at the smallest step,
    :math:`\max_k|{\rm gap}|/\eta` within 2 % of :math:`\max_t|{\rm leading}|/\eta=\tfrac a{2e}`.
    """

    id = "elkabetz2021.gap_1d"
    title = "a x^2/2: GD - GF = (1 - eta a)^k - exp(-a eta k) = -(eta a^2 t/2) exp(-a t) + O(eta^2)"
    source = Source("elkabetz2021", "abstract [C]; the 1-D gap is ours", "EC'21 (ours)", "ours", _NOTE)
    assumptions = ("f = a x^2 / 2, a > 0", "GD step eta, GF sampled at t = k eta")
    kind = "identity"
    main = "gap"

    def expressions(self):
        return {"gap": (1 - S.eta * A) ** K - sp.exp(-A * S.eta * K),
                "leading": -S.eta * A**2 * TT / 2 * sp.exp(-A * TT)}

    def symbolic_check(self):
        e = self.expressions()
        gd = sp.Symbol("x", real=True)
        # GD and GF solved by sympy from their definitions
        xk = sp.rsolve(sp.Function("u")(K + 1) - (gd - S.eta * A * gd).subs(gd, sp.Function("u")(K)),
                       sp.Function("u")(K), {sp.Function("u")(0): 1})
        tau = sp.Symbol("tau", positive=True)
        gf = sp.dsolve(sp.Derivative(sp.Function("v")(tau), tau) + A * sp.Function("v")(tau),
                       sp.Function("v")(tau), ics={sp.Function("v")(0): 1}).rhs
        same = sp.simplify(xk - gf.subs(tau, S.eta * K) - e["gap"]) == 0
        at_t = sp.exp((TT / S.eta) * sp.log(1 - S.eta * A)) - sp.exp(-A * TT)
        first = sp.simplify(sp.series(at_t, S.eta, 0, 2).removeO())
        ok = same and sp.simplify(first - e["leading"]) == 0
        return verdict_from(ok, f"rsolve: x_k = {xk}; dsolve: x(t) = {gf}; gap matches: {same}; "
                                f"O(eta) term at t = k eta: {first}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("quadratic", lam=A_1D)
        e = self.expressions()
        gap = sp.lambdify((S.eta, A, K), e["gap"], "numpy")
        lead = sp.lambdify((S.eta, A, TT), e["leading"], "numpy")
        worst, parts, ratio = 0.0, [], np.nan
        for eta in ETAS_1D:
            n = int(round(T_1D / eta))
            gd = ts.run(f, ts.methods.gd(eta), x0=[X0_1D], steps=n)
            gf = ts.flow(f, [X0_1D], T_1D, eta=eta, rtol=1e-12, atol=1e-14)
            meas = gd.x[:, 0] - gf.x[:, 0]
            exact = X0_1D * gap(eta, A_1D, np.arange(n + 1))
            rel = float(np.max(np.abs(meas - exact)) / np.max(np.abs(exact)))
            worst = max(worst, rel)
            ratio = float(np.max(np.abs(meas)) / eta)
            parts.append(f"eta={eta:g}: max|gap|/eta = {ratio:.5f}")
        tgrid = np.linspace(0.0, T_1D, 3001)
        limit = float(np.max(np.abs(lead(1.0, A_1D, tgrid)))) * X0_1D  # max_t |O(eta) term| / eta
        ok = compare(worst, 1e-7, "<=") and abs(ratio - limit) <= 0.02 * limit
        return verdict_from(ok, "; ".join(parts) + f" -> max_t |leading|/eta = {limit:.5f} (a/(2e)) "
                                f"within 2 % at eta = {ETAS_1D[-1]:g}",
                            measured=worst, bound=1e-7, relation="<=", via="engine")


def _chain_symbols(d=2, depth=3):
    Ws = [sp.Matrix(d, d, lambda i, k, j=j: sp.Symbol(f"w{j}{i}{k}", real=True)) for j in range(depth)]
    Phi = sp.Matrix(d, d, lambda i, k: sp.Symbol(f"phi{i}{k}", real=True))
    return Ws, Phi


def _chain_grads(Ws, Phi):
    """G_j = (W_N..W_{j+1})^T E (W_{j-1}..W_1)^T for the chain loss."""
    d = Ws[0].shape[0]
    eye = sp.eye(d)
    P = eye
    for W in Ws:
        P = W * P
    E = P - Phi
    Gs = []
    for j in range(len(Ws)):
        left, right = eye, eye
        for W in Ws[j + 1:]:
            left = W * left
        for W in Ws[:j]:
            right = W * right
        Gs.append(left.T * E * right.T)
    return Gs


class Balancedness(Statement):
    r"""GF conserves :math:`B_j=W_{j+1}^\top W_{j+1}-W_jW_j^\top`; a GD step changes it by exactly
    :math:`\eta^2(G_{j+1}^\top G_{j+1}-G_jG_j^\top)`.

    **Proof (ours).** :math:`W_{j+1}^\top G_{j+1}=(W_N\cdots W_{j+1})^\top E(W_j\cdots W_1)^\top
    =G_jW_j^\top`, so :math:`\dot B_j=-(G_{j+1}^\top W_{j+1}+W_{j+1}^\top G_{j+1})+(G_jW_j^\top
    +W_jG_j^\top)=0` under GF; under GD the first-order terms cancel the same way and the
    second-order ones remain.  **Symbolic:** sympy on 2x2 factors, depth 3, symbolic target:
    the identity, :math:`\dot B_j=0`, and the exact one-step change.  **Simulation:** on
    ``deep_linear(TARGET, DEPTH)`` from a seeded start, ``ts.flow`` to ``T_END``: the drift
    :math:`\max_k\|B_j(t_k)-B_j(0)\|` (headline, bound 1e-7: solver accuracy); GD with ``ETA``:
    the total change of :math:`B_j` against the sum of the per-step formula (relative deviation
    <= 1e-9).
    """

    id = "elkabetz2021.balancedness"
    title = "deep linear chain: GF conserves W_j+1'W_j+1 - W_j W_j'; a GD step moves it by eta^2 (G'G - GG')"
    source = Source("elkabetz2021", "abstract [C]; conservation known [S]; GD step formula ours",
                    "EC'21 (ours)", "ours", _NOTE)
    assumptions = ("f = ||W_N ... W_1 - Phi||_F^2 / 2, square factors",)
    kind = "identity"
    main = "gd_factor"

    def expressions(self):
        return {"gd_factor": S.eta**2, "flow_rate": sp.Integer(0)}

    def symbolic_check(self):
        Ws, Phi = _chain_symbols()
        Gs = _chain_grads(Ws, Phi)
        e = self.expressions()
        ident = all((Ws[j + 1].T * Gs[j + 1] - Gs[j] * Ws[j].T).expand() == sp.zeros(2, 2)
                    for j in range(2))
        rate_ok = True
        step_ok = True
        for j in range(2):
            rate = -(Gs[j + 1].T * Ws[j + 1] + Ws[j + 1].T * Gs[j + 1]) + (Gs[j] * Ws[j].T + Ws[j] * Gs[j].T)
            rate_ok &= (rate - e["flow_rate"] * sp.ones(2, 2)).expand() == sp.zeros(2, 2)
            Wn1, Wn = Ws[j + 1] - S.eta * Gs[j + 1], Ws[j] - S.eta * Gs[j]
            change = (Wn1.T * Wn1 - Wn * Wn.T) - (Ws[j + 1].T * Ws[j + 1] - Ws[j] * Ws[j].T)
            claim = e["gd_factor"] * (Gs[j + 1].T * Gs[j + 1] - Gs[j] * Gs[j].T)
            step_ok &= _is_zero(change - claim)
        ok = ident and rate_ok and step_ok
        return verdict_from(ok, f"W_j+1' G_j+1 = G_j W_j': {ident}; dB/dt under GF = 0: {rate_ok}; "
                                f"one GD step changes B_j by eta^2 (G_j+1' G_j+1 - G_j G_j'): {step_ok}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts
        from theorysim.diagnostics import balancedness, balancedness_drift
        from theorysim.objectives.deep_linear import unpack

        f = ts.objectives.deep_linear(np.array(TARGET), depth=DEPTH)
        d = f.info["d"]
        x0 = chain_start(d=d)
        gf = ts.flow(f, x0, T_END, eta=ETA)
        flow_drift = float(balancedness_drift(gf.x, d, DEPTH).max())
        gd = ts.run(f, ts.methods.gd(ETA), x0=x0, steps=int(round(T_END / ETA)))
        B = balancedness(gd.x, d, DEPTH)
        factor = self.evaluate("gd_factor", eta=ETA)
        total = np.zeros_like(B[0])
        for k in range(gd.x.shape[0] - 1):
            Gs = unpack(f.grad(gd.x[k]), d, DEPTH)
            total += np.stack([factor * (Gs[j + 1].T @ Gs[j + 1] - Gs[j] @ Gs[j].T) for j in range(DEPTH - 1)])
        worst = float(np.max(np.abs((B[-1] - B[0]) - total)) / np.max(np.abs(total)))
        gd_drift = float(balancedness_drift(gd.x, d, DEPTH)[-1])
        ok = compare(flow_drift, 1e-7, "<=") and worst <= 1e-9
        return verdict_from(ok, f"flow to t = {T_END:g}: max drift of B = {flow_drift:.3g}; GD eta = {ETA:g}: "
                                f"drift {gd_drift:.4g} at the end; summed per-step eta^2 formula vs measured "
                                f"change of B: relative deviation {worst:.3g}",
                            measured=flow_drift, bound=1e-7, relation="<=", via="engine")


def _is_zero(m):
    """A matrix of polynomials (in eta, the W entries and the target) is identically 0."""
    return m.applyfunc(sp.expand) == sp.zeros(*m.shape)


STATEMENTS = [Gap1D(), Balancedness()]

__all__ = ["STATEMENTS", "Gap1D", "Balancedness", "chain_start", "TARGET", "DEPTH", "ETA", "T_END"]
