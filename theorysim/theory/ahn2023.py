r"""A two-parameter edge-of-stability toy :math:`f(x,y)=\ell(xy)` (issue 9, testbed 3), in the
spirit of Ahn, Bubeck, Chewi, Lee, Suarez, Zhang, "Learning threshold neurons via the edge of
stability" (NeurIPS 2023, arXiv 2212.07469).

Read in the paper [C, abstract and Figure 1 caption]: for simplified two-layer ReLU models GD
provably shows the edge of stability, and there is a sharp phase transition in the step size
below which the network does not learn a threshold neuron (a non-zero bias); large step sizes are
needed.  Whether the paper's reduced model is GD on :math:`\ell(xy)` could **not** be confirmed
in its text, so this module is **theorysim's own** minimalist example
(``ts.objectives.product_loss``) and its statement is ours:

* ``ahn2023.edge`` — on the minimisers :math:`x=0`, :math:`\nabla^2f=\mathrm{diag}(\ell''(0)y^2,0)`,
  so GD with step :math:`\eta` can only converge to :math:`(0,y)` with
  :math:`y^2\le2/(\eta\ell''(0))`; gradient flow conserves :math:`x^2-y^2`, so with a small step
  the limit is :math:`|y_\infty|\approx\sqrt{y_0^2-x_0^2}`, and with a large one GD sheds
  :math:`|y|` until it is just inside the edge.  Phase transition in :math:`\eta` at
  :math:`\eta^*=2/(\ell''(0)(y_0^2-x_0^2))`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

AC = sp.Symbol("a", positive=True)  #: l''(0)
Y = sp.Symbol("y", real=True)
#: simulation: start, curvatures l''(0), step grid per curvature (as multiples of eta*), steps
X0 = (0.5, 3.0)
CURVS = (1.0, 2.0)
ETA_FACTORS = np.linspace(0.1, 2.6, 26)
STEPS = 20_000


def eta_star(a, x0=X0):
    """The step at which the flow limit sits on the edge: 2/(a (y0^2 - x0^2))."""
    return 2.0 / (a * (x0[1] ** 2 - x0[0] ** 2))


def limits(a, etas, x0=X0, steps=STEPS):
    """Final |y| of GD on ``product_loss(a)`` for each step in ``etas`` (NaN if not converged)."""
    import theorysim as ts

    f = ts.objectives.product_loss(a)
    out = np.full(len(etas), np.nan)
    for i, e in enumerate(etas):
        tr = ts.run(f, ts.methods.gd(float(e)), x0=list(x0), steps=steps, record_every=steps)
        if not tr.diverged and tr.grad_norm[-1] <= 1e-10:
            out[i] = abs(tr.x[-1, 1])
    return out


class Edge(Statement):
    r""":math:`\ell(xy)`: GD settles only where :math:`\eta\ell''(0)y^2\le2`; GF conserves
    :math:`x^2-y^2`.

    **Derivation (ours).** With :math:`\ell` even, :math:`\ell'(0)=0`; at :math:`(0,y)` the
    gradient is 0 and the Hessian is :math:`\mathrm{diag}(\ell''(0)y^2,0)`, so the GD map's
    Jacobian there is :math:`\mathrm{diag}(1-\eta\ell''(0)y^2,1)`: the x-direction is stable iff
    :math:`\eta\ell''(0)y^2<2` (``thresholds.quadratic``), and a point with
    :math:`\eta\ell''(0)y^2>2` repels.  Under GF, :math:`\tfrac d{dt}(x^2-y^2)=-2x\ell'(xy)y+2y\ell'(xy)x=0`.
    **Symbolic:** sympy with a general even :math:`\ell` to sixth order (the Hessian at
    :math:`x=0` needs :math:`\ell'(0),\ell''(0)` only) and an undefined :math:`\ell` for the flow.
    **Simulation:** GD on ``product_loss(a)`` for :math:`a\in` ``CURVS`` from ``X0`` over steps
    :math:`\eta=c\,\eta^*`, :math:`c\in` ``ETA_FACTORS``: every converged run must end inside the
    edge (headline: the largest :math:`\eta a y_\infty^2/(\eta a\,y_{\rm edge}^2)`, bound 1); runs
    with :math:`c\le0.75` must end within 5 % of the flow limit :math:`\sqrt{y_0^2-x_0^2}`, and
    runs with :math:`c\ge1.2` must have shed |y| below the flow limit (the phase transition).
    """

    id = "ahn2023.edge"
    title = "l(xy): GD converges only to (0, y) with y^2 <= 2/(eta l''(0)); GF keeps x^2 - y^2"
    source = Source("ahn2023", "abstract [C]; the l(xy) toy and the edge are ours", "ABCLSZ'23 (ours)",
                    "ours", "the paper's reduced model could not be confirmed in its text; theorysim's "
                            "own minimalist example")
    assumptions = ("f(x, y) = l(xy), l even, convex, C^2, l''(0) = a > 0", "GD with constant step eta")
    kind = "condition"
    main = "edge_y2"

    def expressions(self):
        return {"edge_y2": 2 / (S.eta * AC)}

    def symbolic_check(self):
        # the Hessian at x = 0 involves l'(0) and l''(0) only: take a general even l to 6th order
        c0, c4, c6 = sp.symbols("c0 c4 c6", real=True)
        s = sp.Symbol("s", real=True)
        l_even = c0 + AC / 2 * s**2 + c4 * s**4 + c6 * s**6
        f = l_even.subs(s, S.x * Y)
        H0 = sp.hessian(f, (S.x, Y)).subs(S.x, 0).applyfunc(sp.simplify)
        grad0 = [sp.simplify(sp.diff(f, v).subs(S.x, 0)) for v in (S.x, Y)]
        jac = sp.eye(2) - S.eta * H0
        mult = jac[0, 0]
        edge = sp.solve(sp.Eq(mult, -1), Y)
        y2 = sp.simplify(edge[-1] ** 2) if edge else None
        q = S.x**2 - Y**2
        fl = sp.Function("l")(S.x * Y)  # any l: GF conserves x^2 - y^2
        flow = sp.simplify(sp.diff(q, S.x) * (-sp.diff(fl, S.x)) + sp.diff(q, Y) * (-sp.diff(fl, Y)))
        ok = (all(g == 0 for g in grad0) and H0 == sp.Matrix([[AC * Y**2, 0], [0, 0]])
              and y2 is not None and sp.simplify(y2 - self.expr) == 0 and flow == 0)
        return verdict_from(ok, f"at x = 0: grad = {grad0}, Hessian = {H0.tolist()}, GD multiplier {mult} = -1 "
                                f"at y^2 = {y2}; d/dt (x^2 - y^2) under GF = {flow}", via="sympy")

    def simulate(self, quick=True):
        worst, gap, shed, parts = 0.0, 0.0, True, []
        y_flow = np.sqrt(X0[1] ** 2 - X0[0] ** 2)
        for a in CURVS:
            etas = ETA_FACTORS * eta_star(a)
            yl = limits(a, etas)
            ok = np.isfinite(yl)
            edge_y2 = np.array([self.evaluate(eta=e, a=a) for e in etas])
            ratio = yl[ok] ** 2 / edge_y2[ok]
            worst = max(worst, float(np.max(ratio)))
            small = ok & (ETA_FACTORS <= 0.75)
            gap = max(gap, float(np.max(np.abs(yl[small] - y_flow) / y_flow)))
            big = ok & (ETA_FACTORS >= 1.2)
            shed &= bool(np.all(yl[big] < 0.97 * y_flow))
            parts.append(f"a={a:g}: {int(ok.sum())}/{etas.size} converged, max y_inf^2/edge = {np.max(ratio):.4f}, "
                         f"min over c >= 1.2 = {np.min(yl[big] ** 2 / edge_y2[big]):.3f}")
        passed = compare(worst, 1.0, "<=") and gap <= 0.05 and shed
        return verdict_from(passed, "; ".join(parts) + f"; small steps end within {gap:.3%} of the flow limit "
                                    f"{y_flow:.4f}; large steps shed |y|: {shed}",
                            measured=worst, bound=1.0, relation="<=", via="engine")


STATEMENTS = [Edge()]

__all__ = ["STATEMENTS", "Edge", "limits", "eta_star", "X0", "CURVS", "ETA_FACTORS", "STEPS"]
