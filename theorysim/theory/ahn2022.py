r"""Unstable convergence, after Ahn, Zhang, Sra, "Understanding the unstable convergence of
gradient descent" (ICML 2022, arXiv 2204.01050).

Read in the paper [C, abstract and introduction]: the classical analysis needs the descent lemma
:math:`f(\theta_{t+1})\le f(\theta_t)-\eta(1-L\eta/2)\|\nabla f(\theta_t)\|^2` (their eq. (1.1)),
i.e. :math:`\eta<2/L` (condition (1.2), the *stable regime*); in practice GD converges with
:math:`\eta>2/L` "in an unstable manner".  The paper's two measures, the relative progress ratio
:math:`\mathrm{RP}(\theta)=(f(\theta-\eta\nabla f(\theta))-f(\theta))/(\eta\|\nabla f(\theta)\|^2)`
and the directional smoothness :math:`L(\theta,v)=\langle\nabla f(\theta)-\nabla f(\theta-v),v\rangle
/\|v\|^2` at :math:`v=\eta\nabla f(\theta)` (a secant along the step), are known here from a public
reproduction that quotes them [S]; the paper's own text past the introduction (equation numbers,
its figures' exact content) could not be read.  The identities and the toy below are theorysim's.

* ``ahn2022.rp_identity`` — on a quadratic, :math:`\mathrm{RP}=-1+\tfrac\eta2\kappa_{\rm dir}`
  exactly, so a GD step decreases f iff :math:`\kappa_{\rm dir}<2/\eta`.
* ``ahn2022.edge_hugging`` — for any :math:`C^1` f, :math:`\mathrm{RP}=-1+\eta\int_0^1s\,L(\theta,
  s\eta g)\,ds`, and a step whose gradient flips (:math:`\nabla f(\theta-\eta g)=-g`) has
  :math:`L=2/\eta` exactly; on theorysim's toy :math:`\log\cosh(xy-1)` GD's directional smoothness
  stays within 0.03% of :math:`2/\eta` for hundreds of steps while the loss falls non-monotonically.
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
                    "descent lemma and stable regime read [C]; RP as the paper defines it known from a "
                    "reproduction's quotation [S]; kappa_dir (pointwise) and the identity are theorysim's")
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


#: the hugging run: GD on product_loss(1, c=HUG_C) from HUG_X0 with step HUG_ETA; the check window
HUG_C = 1.0
HUG_X0 = (1.0, 14.0)
HUG_ETA = 0.02
HUG_WINDOW = (20, 1000)
#: bound on the median of |L / (2/eta) - 1| over the window; least share of loss increases there
HUG_TOL = 1e-3
HUG_UP_SHARE = 0.2


def hugging_run(steps=HUG_WINDOW[1], eta=HUG_ETA, x0=HUG_X0, c=HUG_C):
    """GD on ``product_loss(1, c)``: trajectory and, per iterate, the directional smoothness
    ``ds``, the directional curvature ``kd``, the sharpness ``sharp`` and ``rp``."""
    import theorysim as ts
    from theorysim.diagnostics import directional_curvature, directional_smoothness, relative_progress, sharpness_along

    f = ts.objectives.product_loss(1.0, c=c)
    tr = ts.run(f, ts.methods.gd(eta), x0=list(x0), steps=steps)
    xs = tr.x
    return tr, dict(ds=directional_smoothness(f, xs, eta), kd=directional_curvature(f, xs),
                    sharp=sharpness_along(f, xs), rp=relative_progress(f, xs, eta))


class EdgeHugging(Statement):
    r"""The directional smoothness of GD hugs :math:`2/\eta` while the loss falls non-monotonically.

    **Identity (ours).**  Put :math:`v=\eta g`, :math:`\varphi(s)=f(\theta-sv)`.  Then
    :math:`\langle\nabla f(\theta)-\nabla f(\theta-sv),v\rangle=\varphi'(s)-\varphi'(0)`, so
    :math:`s\,L(\theta,sv)\|v\|^2=\varphi'(s)-\varphi'(0)` and
    :math:`\eta\int_0^1 s\,L(\theta,sv)\,ds=\frac{\varphi(1)-\varphi(0)-\varphi'(0)}{\eta\|g\|^2}
    =\mathrm{RP}+1` (as :math:`\varphi'(0)=-\eta\|g\|^2`).  With :math:`L` constant along the step
    (a quadratic) this is ``ahn2022.rp_identity``.  A flipped gradient
    :math:`\nabla f(\theta-v)=-g` gives :math:`L(\theta,v)=\langle2g,\eta g\rangle/(\eta^2\|g\|^2)
    =2/\eta`: GD bouncing between the two walls of a valley has directional smoothness
    :math:`2/\eta` whatever the curvature at the iterates.

    **Symbolic:** sympy with a general quintic :math:`\varphi` checks the integral identity, and
    that a flip gives the level :math:`2/\eta` (expression ``level``).

    **Simulation (theorysim's toy, not the paper's experiment):** GD with :math:`\eta=` ``HUG_ETA``
    on :math:`\log\cosh(xy-1)` from ``HUG_X0``.  The valley floor :math:`xy=1` under the start has
    sharpness :math:`x^2+y^2\approx197>2/\eta=100`, so GD cannot descend into it: it bounces between
    the walls (where the loss is almost linear and the curvature small) and drifts along the valley
    towards flatter floor.  Over iterations ``HUG_WINDOW``: headline the median of
    :math:`|L/\mathrm{level}-1|` (bound ``HUG_TOL``); also required, a share of loss increases of at
    least ``HUG_UP_SHARE`` and a lower loss at the end of the window than at its start.  The detail
    line reports the same median for :math:`\kappa_{\rm dir}=g^\top\nabla^2f\,g/\|g\|^2` and for the
    sharpness, which do **not** hug :math:`2/\eta` there (about 0.7 of the way below it).
    """

    id = "ahn2022.edge_hugging"
    title = "directional smoothness L(x, eta g) hugs 2/eta while GD's loss falls non-monotonically"
    source = Source("ahn2022", "their RP and directional smoothness [S]; identity and toy are ours",
                    "AZS'22 (ours)", "ours",
                    "that the paper's directional smoothness sits near 2/eta during unstable convergence is "
                    "recalled and its definition known from a reproduction's quotation [S]; the integral "
                    "identity, the flip argument and the log-cosh toy are theorysim's")
    assumptions = ("f in C^1, GD step eta > 0, g = grad f(theta) != 0",
                   "toy: f(x, y) = log cosh(xy - 1), eta = 0.02, start (1, 14)")
    kind = "identity"
    main = "level"

    def expressions(self):
        return {"level": 2 / S.eta}

    def symbolic_check(self):
        s, G2 = sp.symbols("s G2", positive=True)
        c = sp.symbols("c0 c2:6", real=True)
        # phi(s) = f(theta - s v), v = eta g: phi'(0) = -eta ||g||^2 = -eta G2
        phi = c[0] - S.eta * G2 * s + sum(ck * s ** k for k, ck in zip(range(2, 6), c[1:]))
        dphi = sp.diff(phi, s)
        L = (dphi - dphi.subs(s, 0)) / (s * S.eta ** 2 * G2)          # L(theta, s v)
        rp = (phi.subs(s, 1) - phi.subs(s, 0)) / (S.eta * G2)
        ident = sp.simplify(rp - (-1 + S.eta * sp.integrate(sp.expand(s * L), (s, 0, 1)))) == 0
        # a flip: grad f(theta - v) = -g, so <g - (-g), eta g> / (eta^2 ||g||^2)
        flip = 2 * S.eta * G2 / (S.eta ** 2 * G2)
        at_level = sp.simplify(flip - self.expr) == 0
        ok = ident and at_level
        return verdict_from(ok, f"RP = -1 + eta int_0^1 s L(theta, s eta g) ds for a general quintic phi: {ident}; "
                                f"a flipped gradient gives L = {sp.simplify(flip)}, the level {self.expr}: "
                                f"{at_level}", via="sympy")

    def simulate(self, quick=True):
        a, b = HUG_WINDOW
        tr, m = hugging_run(steps=b)
        level = self.evaluate(eta=HUG_ETA)
        w = slice(a, b)

        def med(v):
            return float(np.median(np.abs(v[w] / level - 1)))

        dev = med(m["ds"])
        up = float(np.mean(np.diff(tr.loss[a:b + 1]) > 0))
        fell = tr.loss[b] < tr.loss[a]
        ok = compare(dev, HUG_TOL, "<=") and up >= HUG_UP_SHARE and fell and not tr.diverged
        return verdict_from(ok, f"GD eta = {HUG_ETA:g} on log cosh(xy - {HUG_C:g}) from {HUG_X0}, iterations "
                                f"[{a}, {b}]: median |L/level - 1| = {dev:.2g} (kappa_dir {med(m['kd']):.2f}, "
                                f"sharpness {med(m['sharp']):.2f}); loss rose at {100 * up:.0f}% of the steps, "
                                f"{tr.loss[a]:.3g} -> {tr.loss[b]:.3g}",
                            measured=dev, bound=HUG_TOL, relation="<=", via="engine")


STATEMENTS = [RPIdentity(), EdgeHugging()]

__all__ = ["STATEMENTS", "RPIdentity", "EdgeHugging", "hugging_run", "KAPPA", "EIGS", "X0", "ETA", "STEPS",
           "HUG_C", "HUG_X0", "HUG_ETA", "HUG_WINDOW", "HUG_TOL", "HUG_UP_SHARE"]
