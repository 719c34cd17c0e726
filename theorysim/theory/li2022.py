r"""Scale invariance and weight decay (Li, Bhojanapalli, Zaheer, Reddi, Kumar 2022, "Robust
training of neural networks using scale invariant architectures", arXiv 2202.00980; with
Lobacheva et al. 2021, arXiv 2106.15739, and Lyu, Li, Arora 2022, arXiv 2206.07085).

Read in the papers' own text (abstracts, Lobacheva et al.'s introduction): the recipe (scale
invariant network, SGD + weight decay, optional clip of the global gradient norm at
:math:`\sqrt{2\lambda/\eta}\,\|w\|`); that an SGD step on scale-invariant weights increases their
norm while weight decay decreases it; that normalization + weight decay enter the edge of
stability.  The papers' theorems (numbers, constants) were **not** read.  The four statements
below are elementary facts about the testbed ``objectives.scale_invariant`` and the rule
``methods.sgd_wd``, derived and checked by theorysim (tag ``ours``):

* ``li2022.euler`` — :math:`w\cdot\nabla L(w)=k\,L(w)` with degree :math:`k=0`;
* ``li2022.hessian_scaling`` — :math:`\nabla^2L(sw)=s^{p}\nabla^2L(w)` with :math:`p=-2`;
* ``li2022.norm_equilibrium`` — GD + L2 weight decay: :math:`\|w_{t+1}\|^2=(1-\eta\lambda)^2
  \|w_t\|^2+\eta^2\|g_t\|^2` (exact when :math:`w\cdot g=0`), whose stationary ratio is
  :math:`\langle\|g\|^2\rangle/\langle\|w\|^2\rangle=\lambda(2-\eta\lambda)/\eta`;
* ``li2022.eos_norm`` — the norm at which GD + WD hovers: :math:`\|w\|^2=\eta\,c\,(a_{\max}-
  a_{\min})/2`, where the effective step :math:`\eta/\|w\|^2` times the curvature on the sphere
  equals 2.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

_SRC_NOTE = ("elementary facts of the testbed (our derivation); the paper's theorems were not read")
#: the scale-invariant quadratic of the checks: eigenvalues, start, noise
A_DIAG = (1.0, 4.0, 10.0)
W0 = (0.3, -1.2, 0.7)
NOISE = 1e-3
k_deg = sp.Symbol("k", real=True)  #: degree of homogeneity (Euler's identity)
p_deg = sp.Symbol("p", real=True)  #: degree of homogeneity of the Hessian


def _sym_loss(d=3):
    """``(L, w, a, c)``: :math:`L=\\frac c2\\,w^\\top Aw/w^\\top w` with symbolic entries."""
    w = sp.symbols(f"w0:{d}", real=True)
    a = sp.symbols(f"a0:{d}", positive=True)
    c = sp.Symbol("c", positive=True)
    q = sum(ai * wi**2 for ai, wi in zip(a, w))
    n = sum(wi**2 for wi in w)
    return c * q / (2 * n), w, a, c


def _objective(scale=1.0):
    import theorysim as ts

    return ts.objectives.get("scale_invariant", a=list(A_DIAG), scale=scale)


class Euler(Statement):
    r"""Euler's identity for the scale-invariant loss: :math:`w\cdot\nabla L(w)=kL(w)`, :math:`k=0`.

    **Problem.** :math:`L(w)=c\,F(w/\|w\|)`, :math:`F(u)=\frac12u^\top Au` (0-homogeneous).
    **Guarantee (identity).** A function homogeneous of degree k satisfies
    :math:`w\cdot\nabla L=kL` (Euler); here k = 0, so the gradient is orthogonal to w: the reason a
    plain SGD step can only increase :math:`\|w\|` (Lobacheva et al. 2021, introduction [read]).
    **Symbolic check.** sympy simplifies :math:`w\cdot\nabla L-kL` to 0 for d = 3 and symbolic
    :math:`a_i, c`.  **Simulation.** The kernels along an SGD + WD run:
    :math:`\max|w\cdot\nabla L-kL|/(\|w\|\|\nabla L\|+|L|)\le10^{-12}`.
    """

    id = "li2022.euler"
    title = "scale-invariant loss: w . grad L(w) = k L(w) with k = 0"
    source = Source("li2022", "Sec. on scale invariance (Euler's identity; number not read)",
                    "Li+22 / Euler", "ours", _SRC_NOTE)
    assumptions = ("L(w) = c u'Au/2, u = w/||w||, w != 0",)
    kind = "identity"
    main = "k"

    def expressions(self):
        return {"k": sp.Integer(0)}

    def symbolic_check(self):
        L, w, a, c = _sym_loss()
        lhs = sum(wi * sp.diff(L, wi) for wi in w)
        r = sp.simplify(lhs - self.expr * L)
        return verdict_from(r == 0, f"w . grad L - k L = {r} (k = {self.expr})", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = _objective()
        tr = ts.run(f, ts.methods.sgd_wd(0.1, 0.01), x0=list(W0), steps=2000 if quick else 20000,
                    noise=ts.oracles.gaussian(NOISE), seed=0, record_every=10)
        k = float(self.expr)
        worst = 0.0
        for w in tr.x:
            v, g = f.value_and_grad(w)
            worst = max(worst, abs(w @ g - k * v) / (np.linalg.norm(w) * np.linalg.norm(g) + abs(v)))
        return verdict_from(compare(worst, 1e-12, "<="), f"max relative |w.grad L - k L| = {worst:.3g} "
                            f"over {len(tr.x)} iterates", measured=worst, bound=1e-12, relation="<=",
                            via="engine")


class HessianScaling(Statement):
    r""":math:`\nabla^2L(sw)=s^{p}\,\nabla^2L(w)` with :math:`p=-2` for the scale-invariant loss.

    Differentiating :math:`L(sw)=L(w)` twice gives :math:`s^2\nabla^2L(sw)=\nabla^2L(w)`: the
    curvature seen by a step falls like :math:`\|w\|^{-2}`, so :math:`\eta/\|w\|^2` is the
    effective step on the sphere (Li et al. 2022; Lyu et al. 2022 [abstracts read]).
    **Symbolic check.** sympy: :math:`\nabla^2L(sw)-s^p\nabla^2L(w)=0` entrywise (d = 2, symbolic
    :math:`a_i,c,s`).  **Simulation.** The Hessian kernel at :math:`w` and :math:`sw`,
    :math:`s\in\{10^{-3},10^{3}\}`: relative error :math:`\le10^{-12}`.
    """

    id = "li2022.hessian_scaling"
    title = "scale-invariant loss: Hess L(s w) = s^p Hess L(w) with p = -2"
    source = Source("li2022", "scale invariance (homogeneity of the Hessian; number not read)",
                    "Li+22 / homogeneity", "ours", _SRC_NOTE)
    assumptions = ("L(w) = c u'Au/2, u = w/||w||, w != 0, s > 0",)
    kind = "identity"
    main = "p"

    def expressions(self):
        return {"p": sp.Integer(-2)}

    def symbolic_check(self):
        L, w, a, c = _sym_loss(2)
        s = sp.Symbol("s", positive=True)
        H = sp.hessian(L, w)
        Hs = H.subs({wi: s * wi for wi in w}, simultaneous=True)
        diff = sp.simplify(Hs - s**self.expr * H)
        ok = diff.is_zero_matrix
        return verdict_from(ok, f"Hess L(s w) - s^p Hess L(w) = 0 entrywise: {ok} (p = {self.expr})",
                            via="sympy")

    def simulate(self, quick=True):
        f = _objective()
        w = np.array(W0)
        H = f.hessian(w)
        p = float(self.expr)
        worst = max(float(np.abs(f.hessian(s * w) - s**p * H).max() / np.abs(s**p * H).max())
                    for s in (1e-3, 1e3))
        return verdict_from(compare(worst, 1e-12, "<="), f"max relative error at s = 1e-3, 1e3: "
                            f"{worst:.3g}", measured=worst, bound=1e-12, relation="<=", via="engine")


class NormEquilibrium(Statement):
    r"""GD + L2 weight decay on a scale-invariant loss: the norm recursion and its equilibrium
    :math:`\langle\|g\|^2\rangle/\langle\|w\|^2\rangle=\lambda(2-\eta\lambda)/\eta` (exact).

    **Method.** :math:`w_{t+1}=(1-\eta\lambda)w_t-\eta g_t` (``methods.sgd_wd``).
    **Guarantee (identity).** :math:`\|w_{t+1}\|^2=(1-\eta\lambda)^2\|w_t\|^2-2\eta(1-\eta\lambda)
    w_t\cdot g_t+\eta^2\|g_t\|^2`; Euler's identity makes the middle term 0 for the exact gradient
    (and 0 in mean for unbiased noise), so at stationarity
    :math:`(1-(1-\eta\lambda)^2)\langle\|w\|^2\rangle=\eta^2\langle\|g\|^2\rangle`.  To first order
    in :math:`\eta\lambda` the ratio is :math:`2\lambda/\eta`: Li et al.'s clip level squared
    (abstract [read]); the exact form is theorysim's algebra.
    **Symbolic check.** sympy solves the fixed point.  **Simulation.** (i) noiseless steps: the
    recursion holds to rounding; (ii) SGD + WD with :math:`\mathcal N(0,10^{-6}I)` noise at
    :math:`\eta=0.5,\lambda=0.4` (:math:`\eta\lambda=0.2`, so the exact and first-order forms
    differ by 10 %), second half of each run, several seeds: the ratio of averages (noise
    variance added to the recorded exact-gradient norm) against the statement, within 4 SE.
    """

    id = "li2022.norm_equilibrium"
    title = "GD + WD, scale invariant: <||g||^2>/<||w||^2> = lambda (2 - eta lambda)/eta"
    source = Source("li2022", "norm dynamics behind the clip sqrt(2 lambda/eta)||w|| (our algebra)",
                    "Li+22 / norm", "ours", _SRC_NOTE)
    assumptions = ("w . g = 0 (exact gradient) or E[w . g] = 0 (unbiased noise)",
                   "w_{t+1} = (1 - eta lambda) w_t - eta g_t, stationary norm")
    kind = "identity"
    main = "ratio"
    ETA, LAM = 0.5, 0.4

    def expressions(self):
        return {"ratio": S.lam * (2 - S.eta * S.lam) / S.eta}

    def symbolic_check(self):
        n, G, P = sp.symbols("n G P", positive=True)  # ||w||^2, ||g||^2, w . g
        nxt = sp.expand((1 - S.eta * S.lam) ** 2 * n - 2 * S.eta * (1 - S.eta * S.lam) * P
                        + S.eta**2 * G)
        sol = sp.solve(sp.Eq(nxt.subs(P, 0), n), G)
        ok = len(sol) == 1 and sp.simplify(sol[0] / n - self.expr) == 0
        return verdict_from(ok, f"fixed point: ||g||^2/||w||^2 = {[sp.factor(s / n) for s in sol]}; "
                            f"stated {self.expr}", via="sympy")

    def samples(self, quick=True):
        """Per seed, :math:`(\\overline{\\|\\nabla L\\|^2}+d\\sigma^2)/\\overline{\\|w\\|^2}` over the
        second half of an SGD + WD run."""
        import theorysim as ts

        f = _objective()
        steps = 4000 if quick else 40000
        out = []
        for s in range(8 if quick else 32):
            tr = ts.run(f, ts.methods.sgd_wd(self.ETA, self.LAM), x0=list(W0), steps=steps,
                        noise=ts.oracles.gaussian(NOISE), seed=s)
            half = len(tr.loss) // 2
            n2 = (tr.x[half:] ** 2).sum(axis=1)
            out.append(((tr.grad_norm[half:] ** 2).mean() + f.dim * NOISE**2) / n2.mean())
        return np.array(out)

    def simulate(self, quick=True):
        import theorysim as ts

        f = _objective()
        eta, lam = 0.1, 0.05
        tr = ts.run(f, ts.methods.sgd_wd(eta, lam), x0=list(W0), steps=200)
        n2 = (tr.x**2).sum(axis=1)
        rec = (1 - eta * lam) ** 2 * n2[:-1] + eta**2 * tr.grad_norm[:-1] ** 2
        exact = float(np.max(np.abs(n2[1:] - rec) / n2[1:]))
        r = self.samples(quick)
        m, se = r.mean(), r.std(ddof=1) / np.sqrt(r.size)
        pred = self.evaluate(eta=self.ETA, **{"lambda": self.LAM})
        ok = exact <= 1e-12 and compare(m, pred, "~=", atol=4 * se) and se < 0.01 * pred
        return verdict_from(ok, f"noiseless recursion max rel. error {exact:.2g}; ratio {m:.5f} +- "
                            f"{se:.2g} (1 SE, {r.size} seeds) vs {pred:.5f} at eta = {self.ETA:g}, "
                            f"lambda = {self.LAM:g} (first order 2 lambda/eta = {2 * self.LAM / self.ETA:g})",
                            measured=float(m), bound=pred, relation="~=", via="engine")


class EoSNorm(Statement):
    r"""Where GD + WD hovers on a scale-invariant quadratic: :math:`\|w\|^2=\eta c\,(a_{\max}-a_{\min})/2`.

    **Problem.** ``scale_invariant`` with loss scale c and eigenvalues a; GD + L2 weight decay with a
    little gradient noise (without it the off-minimum components underflow and the instability
    never fires).  **Claim.** At a minimiser :math:`w=re_{\min}` the Hessian along
    :math:`e_{\max}` is :math:`c(a_{\max}-a_{\min})/r^2` (sympy); weight decay shrinks r until GD's
    stability condition :math:`\eta\cdot c(a_{\max}-a_{\min})/r^2<2` fails, and the run hovers at
    the edge, :math:`r^2=\eta c(a_{\max}-a_{\min})/2` (theorysim's derivation; Lyu, Li, Arora 2022
    [abstract read]: normalization + WD drive GD to the edge of stability).
    **Symbolic check.** sympy: Hessian entry at :math:`re_{\min}` and the solution of
    :math:`\eta\,h(r)=2`.  **Simulation.** η = 0.1, λ = 0.01, noise 1e-3, A = diag(1, 4, 10):
    over the second half of the run the prediction lies between the smallest and the largest
    :math:`\|w\|`, and the mean of :math:`\|w\|^2` is within 5 % of it.
    """

    id = "li2022.eos_norm"
    title = "GD + WD on a scale-invariant quadratic hovers at ||w||^2 = eta c (a_max - a_min)/2"
    source = Source("li2022", "edge of stability with normalization + WD (Lyu+22 abstract); our formula",
                    "Lyu+22 / ours", "ours", "our derivation; the papers' constants were not read")
    assumptions = ("L = c u'Au/2, a_min < a_max; GD + L2 WD, small gradient noise",)
    kind = "identity"
    main = "r2"

    def expressions(self):
        c = sp.Symbol("c", positive=True)
        amax, amin = sp.symbols("a_max a_min", positive=True)
        return {"r2": S.eta * c * (amax - amin) / 2}

    def symbolic_check(self):
        L, w, a, c = _sym_loss(2)
        r = sp.Symbol("r", positive=True)
        h = sp.simplify(sp.diff(L, w[1], 2).subs({w[0]: r, w[1]: 0}))  # e_min = e_0, e_max = e_1
        ok1 = sp.simplify(h - c * (a[1] - a[0]) / r**2) == 0
        sol = sp.solve(sp.Eq(S.eta * h, 2), r)
        r2 = sp.simplify(sol[0] ** 2) if sol else None
        amax, amin = sp.symbols("a_max a_min", positive=True)
        stated = self.expr.subs({amax: a[1], amin: a[0], sp.Symbol("c", positive=True): c})
        ok2 = r2 is not None and sp.simplify(r2 - stated) == 0
        return verdict_from(ok1 and ok2, f"Hessian along e_max at r e_min: {h}; eta h = 2 at r^2 = {r2}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = _objective()
        eta, lam = 0.1, 0.01
        tr = ts.run(f, ts.methods.sgd_wd(eta, lam), x0=list(W0), steps=40000 if quick else 100000,
                    noise=ts.oracles.gaussian(NOISE), seed=0, record_every=10)
        norm = np.linalg.norm(tr.x[len(tr.x) // 2:], axis=1)
        pred = self.evaluate(eta=eta, c=1.0, amax=max(A_DIAG), amin=min(A_DIAG))
        m = float((norm**2).mean())
        ok = norm.min() ** 2 <= pred <= norm.max() ** 2 and compare(m, pred, "~=", rtol=0.05)
        return verdict_from(ok, f"second half: ||w|| in [{norm.min():.3f}, {norm.max():.3f}], mean "
                            f"||w||^2 = {m:.4f} vs {pred:.4f}", measured=m, bound=pred, relation="~=",
                            via="engine")


STATEMENTS = [Euler(), HessianScaling(), NormEquilibrium(), EoSNorm()]

__all__ = ["STATEMENTS", "Euler", "HessianScaling", "NormEquilibrium", "EoSNorm", "A_DIAG", "W0"]
