r"""Unstable convergence, after Ahn, Zhang, Sra, "Understanding the unstable convergence of
gradient descent" (ICML 2022, arXiv 2204.01050).

Read in the paper [C, abstract and introduction]: the classical analysis needs the descent lemma
:math:`f(\theta_{t+1})\le f(\theta_t)-\eta(1-L\eta/2)\|\nabla f(\theta_t)\|^2` (their eq. (1.1)),
i.e. :math:`\eta<2/L` (condition (1.2), the *stable regime*); in practice GD converges with
:math:`\eta>2/L` "in an unstable manner".  That the paper measures this with a relative-progress
ratio and the directional curvature along the gradient is recalled, not read (extended.md A2 [?]):
the definitions in :mod:`theorysim.diagnostics.progress` and the identity below are theorysim's.

* ``ahn2022.rp_identity`` — on a quadratic, :math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}`
  exactly, so a GD step decreases f iff :math:`\kappa_{\rm dir}<2/\eta`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

KAPPA = sp.Symbol("kappa_dir", positive=True)  #: directional curvature g'Hg/||g||^2
#: the quadratic of the simulation: eigenvalues, start, step above 2/lambda_max, steps
EIGS = (0.5, 2.0, 5.0)
X0 = (1.0, 1.0, 1e-3)
ETA = 0.45
STEPS = 80


class RPIdentity(Statement):
    r"""On :math:`f=\tfrac12x^\top Hx`: :math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}`, hence
    :math:`\mathrm{RP}<0\iff\kappa_{\rm dir}<2/\eta`.

    **Proof (ours, one line).**  With :math:`g=Hx`,
    :math:`f(x-\eta g)-f(x)=-\eta g^\top Hx+\tfrac{\eta^2}2g^\top Hg=-\eta\|g\|^2+\tfrac{\eta^2}2g^\top Hg`;
    divide by :math:`\eta\|g\|^2`.  **Symbolic:** sympy with a general symmetric 2x2 H and a
    general point, then solves :math:`-1+\tfrac\eta2\kappa<0` for :math:`\kappa`.
    **Simulation:** GD with :math:`\eta=` ``ETA`` above :math:`2/\lambda_{\max}` on the quadratic
    with eigenvalues ``EIGS`` from ``X0`` (the top mode starts tiny, so the loss first falls,
    then rises): at every step the measured RP against the identity (headline: largest absolute
    deviation, bound 1e-10), and the sign of each loss change against :math:`\kappa_{\rm dir}`
    versus :math:`2/\eta`.
    """

    id = "ahn2022.rp_identity"
    title = "quadratic: RP = -1 + (eta/2) kappa_dir, so a GD step decreases f iff kappa_dir < 2/eta"
    source = Source("ahn2022", "eqs. (1.1)-(1.2) [C]; the RP / kappa_dir identity is ours",
                    "AZS'22 (ours)", "ours",
                    "descent lemma and stable regime read [C]; RP and kappa_dir as the paper's measures "
                    "recalled, not read; the identity is theorysim's")
    assumptions = ("f = x'Hx/2, H symmetric", "GD step eta > 0, g = Hx != 0")
    kind = "identity"
    main = "rp"

    def expressions(self):
        return {"rp": -1 + S.eta / 2 * KAPPA}

    def symbolic_check(self):
        a, b, c = sp.symbols("a b c", real=True)
        x1, x2 = sp.symbols("x1 x2", real=True)
        H = sp.Matrix([[a, b], [b, c]])
        x = sp.Matrix([x1, x2])

        def f(v):
            return (v.T * H * v)[0] / 2

        g = H * x
        gg = (g.T * g)[0]
        rp = (f(x - S.eta * g) - f(x)) / (S.eta * gg)
        kappa = (g.T * H * g)[0] / gg
        ident = sp.simplify(rp - self.expr.subs(KAPPA, kappa)) == 0
        # RP is affine and increasing in kappa: RP < 0 iff kappa < its root
        roots = sp.solve(self.expr, KAPPA)
        rising = sp.diff(self.expr, KAPPA).is_positive
        ok = ident and rising and roots == [2 / S.eta]
        return verdict_from(ok, f"RP - (-1 + eta kappa/2) simplifies to 0: {ident}; RP increasing in "
                                f"kappa: {rising}, RP = 0 at kappa = {roots}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts
        from theorysim.diagnostics import directional_curvature, relative_progress

        f = ts.objectives.get("quadratic", lam=list(EIGS))
        tr = ts.run(f, ts.methods.gd(ETA), x0=list(X0), steps=STEPS)
        xs = tr.x[:-1]
        rp = relative_progress(f, xs, ETA)
        kd = directional_curvature(f, xs)
        pred = np.array([self.evaluate(eta=ETA, kappadir=k) for k in kd])
        dev = float(np.max(np.abs(rp - pred)))
        up = np.diff(tr.loss) > 0
        mism = int(np.sum(up != (kd > 2.0 / ETA)))
        ok = compare(dev, 1e-10, "<=") and mism == 0 and up.any() and (~up).any()
        return verdict_from(ok, f"GD eta = {ETA:g} > 2/lambda_max = {2 / max(EIGS):g} on eigenvalues {EIGS}, "
                                f"{STEPS} steps: loss rose at {int(up.sum())} steps; sign(loss change) vs "
                                f"kappa_dir > 2/eta: {mism} mismatches",
                            measured=dev, bound=1e-10, relation="<=", via="engine")


STATEMENTS = [RPIdentity()]

__all__ = ["STATEMENTS", "RPIdentity", "KAPPA", "EIGS", "X0", "ETA", "STEPS"]
