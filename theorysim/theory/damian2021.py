r"""Label-noise SGD prefers flat minimizers (Damian, Ma, Lee, "Label noise SGD provably prefers
flat global minimizers", NeurIPS 2021, arXiv 2106.06530).

Read in the paper's own text (abstract, introduction): label-noise SGD converges to a stationary
point of :math:`L+\lambda R` with :math:`R` penalizing sharp minimizers; label noise is
:math:`y\to y+\epsilon`, :math:`\epsilon` uniform on :math:`\{-\sigma,\sigma\}`.  The regularizer's
exact form and the theorem's constants were **not** read; the statement below uses only the
small-step reading :math:`R\propto\operatorname{tr}\nabla^2L` on the toy, where it pins the
selected minimizer without any constant:

* ``damian2021.flat_minimizer`` — for :math:`L(a,b)=\frac12(ab-1)^2`, on the manifold
  :math:`ab=1` (:math:`a,b>0`) :math:`\operatorname{tr}\nabla^2L=a^2+b^2` is minimal, =2, at
  :math:`a=b=1`; label-noise SGD started on the manifold at (2, 1/2) reaches it, GD stays.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ._statement import Source, Statement, compare, verdict_from

#: the simulation: start on the manifold, step, label noise, steps (full, quick)
START = (2.0, 0.5)
ETA = 0.01
SIGMA = 0.3
STEPS = (2_000_000, 1_000_000)


def toy(sigma=SIGMA, batch=1):
    """The objective :math:`\\frac12(ab-1)^2` with label noise ``sigma`` (``sigma = 0``: GD)."""
    import theorysim as ts

    if sigma == 0:
        return ts.objectives.get("diagonal_net", X=[[1.0]], y=[1.0])
    return ts.objectives.get("diagonal_net", X=[[1.0]], y=[1.0], sigma=sigma, batch=batch)


class FlatMinimizer(Statement):
    r"""On :math:`ab=1`, :math:`\operatorname{tr}\nabla^2\frac12(ab-1)^2=a^2+b^2` is minimal at
    :math:`a=b=1` (value 2), and label-noise SGD reaches that point.

    **Problem.** :math:`L(a,b)=\frac12(ab-1)^2` (``diagonal_net`` with one example x = y = 1).
    **Method.** SGD :math:`\theta\leftarrow\theta-\eta\nabla_\theta\frac12(ab-1-\epsilon)^2`,
    :math:`\epsilon` uniform on :math:`\{\pm\sigma\}` (Damian et al.'s label noise [read]).
    **Claim.** The paper's regularizer penalizes sharp minimizers [read]; its small-step form
    :math:`\propto\operatorname{tr}\nabla^2L` is our reading.  Along :math:`ab=1` the flattest point
    is :math:`a=b=1` (sympy: Lagrange conditions).  Why the run gets there (our algebra): the
    difference obeys :math:`a_{t+1}-b_{t+1}=(1+\eta r_t)(a_t-b_t)` with residual
    :math:`r_t=a_tb_t-1-\epsilon_t`, and :math:`\mathbb E\log(1+\eta r_t)\approx-\eta^2\sigma^2/2<0`
    near the manifold, so :math:`a-b\to0`; GD (:math:`\epsilon=0`) has :math:`r=0` on the manifold
    and never moves.
    **Symbolic check.** sympy solves the Lagrange system and takes the trace of the Hessian on the
    manifold.  **Simulation.** label-noise SGD (:data:`ETA`, :data:`SIGMA`) from (2, 1/2): the mean
    trace over the last 10 % of the run within 2 % of the stated minimum, :math:`|a-b|<10^{-2}`
    there; GD from the same point keeps its trace 4.25.
    """

    id = "damian2021.flat_minimizer"
    title = "label noise on (ab - 1)^2/2: tr Hess = a^2 + b^2 on ab = 1, minimal (= 2) at a = b = 1"
    source = Source("damian2021", "toy after the abstract's claim (regularizer form not read)",
                    "DML21 / toy", "ours", "the abstract's claim on a toy; the selected point and "
                    "the trace are computed here")
    assumptions = ("L(a, b) = (ab - 1)^2/2, a, b > 0", "label noise eps uniform on {-sigma, sigma}")
    kind = "identity"
    main = "tr_min"

    def expressions(self):
        a, b = sp.symbols("a b", positive=True)
        return {"tr_min": sp.Integer(2), "a_star": sp.Integer(1),
                "trace": a**2 + b**2, "L": (a * b - 1) ** 2 / 2}

    def symbolic_check(self):
        e = self.expressions()
        a, b = sp.symbols("a b", positive=True)
        mu = sp.Symbol("mu", real=True)
        H = sp.hessian(e["L"], (a, b))
        tr_on = sp.simplify(H.trace().subs(b, 1 / a))
        ok1 = sp.simplify(tr_on - e["trace"].subs(b, 1 / a)) == 0
        lag = e["trace"] - mu * (a * b - 1)
        sols = sp.solve([sp.diff(lag, a), sp.diff(lag, b), a * b - 1], [a, b, mu], dict=True)
        vals = [(s[a], s[b], e["trace"].subs(s)) for s in sols]
        ok2 = (len(vals) == 1 and vals[0][0] == e["a_star"] and vals[0][1] == e["a_star"]
               and vals[0][2] == e["tr_min"])
        ok3 = sp.limit(tr_on, a, 0, "+") == sp.oo and sp.limit(tr_on, a, sp.oo) == sp.oo
        return verdict_from(ok1 and ok2 and ok3, f"tr Hess on ab = 1: {tr_on}; Lagrange points "
                            f"(a, b, trace) = {vals}; trace -> oo at both ends", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        from ..objectives.diagonal_net import trace_hessian

        steps = STEPS[1 if quick else 0]
        f = toy()
        tr = ts.run(f, ts.methods.gd(ETA), x0=list(START), steps=steps, seed=0, record_every=100)
        k = max(1, len(tr.x) // 10)
        tail = tr.x[-k:]
        trace = float(trace_hessian(f, tail).mean())
        gap = float(np.abs(tail[:, 0] - tail[:, 1]).max())
        g = toy(0.0)
        gd = ts.run(g, ts.methods.gd(ETA), x0=list(START), steps=20000)
        gd_trace = float(trace_hessian(g, gd.x[-1])[0])
        target = float(self.expressions()["tr_min"])
        a_star = float(self.expressions()["a_star"])
        ok = (compare(trace, target, "~=", rtol=0.02) and gap < 1e-2
              and compare(float(tail.mean()), a_star, "~=", rtol=0.02) and gd_trace > 4.0)
        return verdict_from(ok, f"label-noise SGD (eta = {ETA:g}, sigma = {SIGMA:g}, {steps} steps): "
                            f"mean trace {trace:.4f}, max |a - b| {gap:.2g}, mean (a, b) "
                            f"{tail.mean(axis=0).round(4).tolist()} over the last 10 %; GD keeps "
                            f"trace {gd_trace:.4f}", measured=trace, bound=target, relation="~=",
                            via="engine")


STATEMENTS = [FlatMinimizer()]

__all__ = ["STATEMENTS", "FlatMinimizer", "toy", "START", "ETA", "SIGMA"]
