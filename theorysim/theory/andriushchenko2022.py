r"""SAM on quadratics (Andriushchenko, Flammarion, "Towards understanding sharpness-aware
minimization", ICML 2022, arXiv 2206.06232; Foret et al. 2021 for the rule; Bartlett, Long,
Bousquet, "The dynamics of sharpness-aware minimization", for the 2-cycle [secondary: abstract]).

* ``andriushchenko2022.usam_stability`` — unnormalized SAM (:math:`\epsilon=\rho\nabla f`, the
  ascent of the authors' code [read]) on :math:`f=\frac h2x^2` is the linear map
  :math:`x\mapsto(1-\eta h-\eta\rho h^2)x`, stable iff :math:`\eta(h+\rho h^2)<2` (our algebra).
* ``andriushchenko2022.nsam_two_cycle`` — normalized SAM on a convex quadratic ends in a 2-cycle
  across the minimum along the top eigenvector [secondary source, Bartlett et al.'s abstract]; the
  amplitude :math:`x^*=\eta h\rho/(2-\eta h)` is theorysim's algebra.
* ``andriushchenko2022.one_sam_sparser`` — on the sparse-regression diagonal net, 1-SAM (per-example
  ascent) ends with a lower test loss and a lower :math:`\|\beta\|_1` than GD and n-SAM at the same
  step, radius, start and number of steps (the abstract's claim [read], measured here); to first
  order in :math:`\rho` 1-SAM is GD on :math:`f+\frac\rho2\frac1n\sum_i\|\nabla\ell_i\|^2`, n-SAM on
  :math:`f+\frac\rho2\|\nabla f\|^2`, and the first penalty exceeds the second by the variance of
  the per-example gradients (our algebra).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

rho = sp.Symbol("rho", positive=True)  #: SAM's ascent radius


class USAMStability(Statement):
    r"""Unnormalized SAM on :math:`\frac h2x^2`: stable iff :math:`\eta(h+\rho h^2)<2`.

    **Method.** :math:`x_{t+1}=x_t-\eta\nabla f(x_t+\rho\nabla f(x_t))` (``methods.sam``, the
    unnormalized ascent; ``methods.sam_normalized(..., normalized=False)`` is the same rule).
    On :math:`f=\frac h2x^2`: :math:`x_{t+1}=(1-\eta h(1+\rho h))x_t`.
    **Guarantee (condition).** :math:`|1-\eta h(1+\rho h)|<1\iff0<\eta h(1+\rho h)<2`: SAM's
    stability edge :math:`2/(h+\rho h^2)` replaces GD's :math:`2/h` (our algebra; the testbed of
    extended.md C2).  **Symbolic check.** sympy derives the multiplier from the rule and solves the
    inequality for :math:`\eta`.  **Simulation.** A sweep over :math:`\eta` (400 grid points around
    the edge) at h = 1, :math:`\rho` = 0.5: the largest :math:`\eta` whose run shrinks
    (:math:`|x_T|<|x_0|`) against the stated edge, within one grid step.
    """

    id = "andriushchenko2022.usam_stability"
    title = "unnormalized SAM on h x^2/2: stable iff eta (h + rho h^2) < 2"
    source = Source("andriushchenko2022", "SAM on a quadratic (our algebra; the rule from the "
                    "authors' code)", "AF22 / ours", "ours", "condition derived here")
    assumptions = ("f = h x^2/2, h > 0", "x+ = x - eta f'(x + rho f'(x))")
    kind = "condition"
    main = "edge"
    H, RHO = 1.0, 0.5

    def expressions(self):
        return {"edge": 2 / (S.h_i + rho * S.h_i**2)}

    def symbolic_check(self):
        x = S.x
        fp = sp.Lambda(x, S.h_i * x)
        step = sp.expand(x - S.eta * fp(x + rho * fp(x)))
        m = sp.simplify(step / x)
        k = sp.Symbol("k", positive=True)  # m = 1 - eta k with k = h (1 + rho h) > 0
        lin = sp.simplify(m - (1 - S.eta * S.h_i * (1 + rho * S.h_i))) == 0
        sol = sp.solve_univariate_inequality(sp.Abs(1 - S.eta * k) < 1, S.eta, relational=False)
        sol = sol.subs(k, S.h_i * (1 + rho * S.h_i))
        ok = lin and sp.simplify(sol.sup - self.expr) == 0 and sol.inf == 0
        return verdict_from(ok, f"multiplier {m}; |m| < 1 for eta in {sol}; stated edge {self.expr}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("quadratic", lam=self.H)
        edge = self.evaluate(hi=self.H, rho=self.RHO)
        etas = np.linspace(0.5, 1.5, 401) * 2 / self.H  # around GD's and SAM's edges
        res = ts.sweep(f, ts.methods.sam_normalized, grid={"eta": etas},
                       fixed={"rho": self.RHO, "normalized": False}, x0=[1.0], steps=400)
        shrink = np.isfinite(res.final_loss) & (res.final_loss < 0.5)
        measured = float(etas[shrink].max())
        step = float(etas[1] - etas[0])
        ok = compare(measured, edge, "~=", atol=step)
        return verdict_from(ok, f"largest shrinking eta on a grid of step {step:.3g}: {measured:.4f}; "
                            f"stated edge {edge:.4f}; GD's edge {2 / self.H:g}", measured=measured,
                            bound=edge, relation="~=", via="engine")


class NSAMTwoCycle(Statement):
    r"""Normalized SAM on a convex quadratic: a 2-cycle :math:`\pm x^*` along the top eigenvector,
    :math:`x^*=\eta h\rho/(2-\eta h)`.

    **Method.** :math:`x_{t+1}=x_t-\eta\nabla f(x_t+\rho\nabla f/\|\nabla f\|)` (Foret et al.
    2021).  **Claim.** Bartlett, Long, Bousquet prove convergence to a 2-cycle across the minimum
    along the top-curvature direction [secondary: their abstract].  Our algebra: on the top
    eigenvector the step is :math:`x\mapsto x-\eta h(x+\rho\,\mathrm{sign}\,x)`, and
    :math:`x\to-x` solves :math:`x(2-\eta h)=\eta h\rho`; each half-step multiplies deviations by
    :math:`1-\eta h`, so the cycle attracts iff :math:`\eta h<2`.
    **Symbolic check.** sympy solves the cycle equation and the cycle's multiplier.
    **Simulation.** :math:`f=\frac12(x_1^2+3x_2^2)`, :math:`\eta=0.1`, :math:`\rho=0.05`: the last
    iterates alternate :math:`\pm x^*` on the top coordinate (relative error) and the other
    coordinate vanishes.
    """

    id = "andriushchenko2022.nsam_two_cycle"
    title = "normalized SAM on a quadratic: 2-cycle +-eta h rho/(2 - eta h) on the top eigenvector"
    source = Source("andriushchenko2022", "2-cycle of normalized SAM (Bartlett-Long-Bousquet "
                    "abstract); amplitude ours", "BLB / ours", "secondary",
                    "the 2-cycle from a secondary source; the amplitude is our algebra")
    assumptions = ("f = x' H x/2, H > 0, top eigenvalue h simple", "eta h < 2")
    kind = "identity"
    main = "amplitude"
    LAM = (1.0, 3.0)
    ETA, RHO = 0.1, 0.05

    def expressions(self):
        return {"amplitude": S.eta * S.h_i * rho / (2 - S.eta * S.h_i)}

    def symbolic_check(self):
        x = sp.Symbol("x", positive=True)
        sol = sp.solve(sp.Eq(-x, x - S.eta * S.h_i * (x + rho)), x)
        ok1 = len(sol) == 1 and sp.simplify(sol[0] - self.expr) == 0
        mult = sp.diff(x - S.eta * S.h_i * (x + rho), x) ** 2
        ok2 = sp.simplify(mult - (1 - S.eta * S.h_i) ** 2) == 0
        return verdict_from(ok1 and ok2, f"cycle x* = {sol}; stated {self.expr}; two-step multiplier "
                            f"{sp.factor(mult)} (< 1 iff eta h < 2)", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f = ts.objectives.get("quadratic", lam=list(self.LAM))
        tr = ts.run(f, ts.methods.sam_normalized(self.ETA, self.RHO), x0=[1.0, 1.0], steps=4000)
        it = tr.x[::2][-10:]  # SAM iterates (even engine iterations)
        k = int(np.argmax(self.LAM))
        pred = self.evaluate(eta=self.ETA, hi=max(self.LAM), rho=self.RHO)
        amp = np.abs(it[:, k])
        alternates = bool(np.all(np.sign(it[1:, k]) == -np.sign(it[:-1, k])))
        other = float(np.abs(np.delete(it, k, axis=1)).max())
        err = float(np.max(np.abs(amp - pred)) / pred)
        ok = alternates and err < 1e-9 and other < 1e-12
        return verdict_from(ok, f"top coordinate |x| = {amp.mean():.6g} (alternating: {alternates}), "
                            f"predicted {pred:.6g}, max rel. error {err:.2g}; other coordinate "
                            f"{other:.2g}", measured=float(amp.mean()), bound=pred, relation="~=",
                            via="engine")


G1 = sp.Symbol("G1", nonnegative=True)  #: mean squared per-example gradient norm (1/n) sum ||grad l_i||^2
Gf = sp.Symbol("Gf", nonnegative=True)  #: squared full-gradient norm ||grad f||^2


def _diag_net_instance(n=2, d=2):
    """A generic diagonal-net instance in sympy: parameters (u, v), data X (n x d), y; returns
    (theta, per-example losses l_i(theta) as functions of a point, f)."""
    u = sp.symbols(f"u1:{d + 1}", real=True)
    v = sp.symbols(f"v1:{d + 1}", real=True)
    X = sp.Matrix(n, d, sp.symbols(f"x1:{n * d + 1}", real=True))
    y = sp.symbols(f"y1:{n + 1}", real=True)
    th = list(u) + list(v)

    def ell(i, w):
        return (sum(w[k] * w[d + k] * X[i, k] for k in range(d)) - y[i]) ** 2 / 2

    return th, ell, sum(ell(i, th) for i in range(n)) / n


class OneSAMSparser(Statement):
    r"""1-SAM finds a sparser, better-generalizing interpolator of the diagonal net than GD and n-SAM.

    **Problem.** Sparse regression with a diagonal linear network, :math:`\beta=u\odot v`,
    :math:`f=\frac1n\sum_i\ell_i`, :math:`\ell_i=\frac12(\langle\beta,x_i\rangle-y_i)^2`
    (``objectives.diagonal_net``, n = 40, d = 100, 5-sparse :math:`\beta^*`, Gaussian X), start
    :math:`u_0=\alpha\mathbf 1`, :math:`v_0=0`.  **Methods** (same :math:`\eta`, :math:`\rho`, start,
    number of SAM steps): GD; n-SAM :math:`\theta\leftarrow\theta-\eta\nabla f(\theta+\rho\nabla f)`
    (``methods.sam``); 1-SAM :math:`\theta\leftarrow\theta-\eta\frac1n\sum_i\nabla\ell_i(\theta+
    \rho\nabla\ell_i)` (``methods.gd`` on ``objectives.diagonal_net_1sam``; unnormalized, full batch,
    as in the authors' code [read]).
    **Claim.** SAM picks a solution that generalizes better than GD on diagonal nets, more so with
    m-sharpness, i.e. 1-SAM (Andriushchenko & Flammarion 2022, abstract [read]; their theorem was not
    read).  Measured here as: 1-SAM's final test loss :math:`\frac12\|\beta-\beta^*\|^2` (the
    population risk for isotropic Gaussian inputs) and :math:`\|\beta\|_1` are below GD's and n-SAM's.
    **Why (our algebra, first order in** :math:`\rho` **).**
    :math:`\nabla\ell_i(\theta+\rho\nabla\ell_i)=\nabla\ell_i+\rho\nabla^2\ell_i\nabla\ell_i+O(\rho^2)
    =\nabla(\ell_i+\frac\rho2\|\nabla\ell_i\|^2)+O(\rho^2)`, so 1-SAM is GD on :math:`f` plus the
    penalty :math:`\frac\rho2G_1`, :math:`G_1=\frac1n\sum_i\|\nabla\ell_i\|^2`; n-SAM adds
    :math:`\frac\rho2G_f`, :math:`G_f=\|\nabla f\|^2`; and
    :math:`G_1-G_f=\frac1n\sum_i\|\nabla\ell_i-\nabla f\|^2\ge0`.  On the diagonal net
    :math:`\|\nabla\ell_i\|^2=r_i^2\sum_kx_{ik}^2(u_k^2+v_k^2)`: the penalty shrinks the weights
    while the residuals are large, which acts like a smaller initialization (the sparser regime).
    **Symbolic check.** On a generic instance (n = d = 2, every datum a symbol) sympy checks the two
    first-order expansions exactly (the directions are polynomials in :math:`\rho`) and the variance
    identity for the gap.  **Simulation.** The three runs above; 1-SAM's test loss and
    :math:`\|\beta\|_1` must be below both others'.
    """

    id = "andriushchenko2022.one_sam_sparser"
    title = "diagonal net: 1-SAM ends sparser (lower ||beta||_1, lower test loss) than GD and n-SAM"
    source = Source("andriushchenko2022", "abstract (1-SAM's implicit bias on diagonal nets); "
                    "1-SAM as in the authors' code", "AF22 / ours", "ours",
                    "the qualitative claim is the abstract's; the penalty expansion, the test "
                    "and the numbers are theorysim's")
    assumptions = ("diagonal net beta = u*v, n = 40 < d = 100, 5-sparse beta*, Gaussian X",
                   "u0 = alpha 1, v0 = 0; same eta, rho, start and number of steps for all three")
    kind = "identity"
    main = "gap"
    NET = dict(n=40, dim=100, sparsity=5, seed=0)
    ALPHA, ETA, RHO = 0.01, 0.05, 0.05
    STEPS = (20_000, 4_000)  #: SAM steps (full, quick)

    def expressions(self):
        return {"penalty_1sam": rho * G1 / 2, "penalty_nsam": rho * Gf / 2, "gap": rho * (G1 - Gf) / 2}

    def symbolic_check(self):
        n = 2
        th, ell, f = _diag_net_instance(n, 2)

        def grad(e):
            return sp.Matrix([sp.diff(e, s) for s in th])

        g = [grad(ell(i, th)) for i in range(n)]
        gf = grad(f)
        # 1-SAM and n-SAM directions (exact polynomials in rho)
        d1 = sum((g[i].subs(dict(zip(th, [th[k] + rho * g[i][k] for k in range(len(th))])),
                            simultaneous=True) for i in range(n)), sp.zeros(len(th), 1)) / n
        dn = gf.subs(dict(zip(th, [th[k] + rho * gf[k] for k in range(len(th))])), simultaneous=True)
        vals = {G1: sum((gi.T * gi)[0] for gi in g) / n, Gf: (gf.T * gf)[0]}
        e = {k: v.subs(vals) for k, v in self.expressions().items()}

        def first_order_ok(direction, penalty):
            zero = sp.expand(direction.subs(rho, 0) - gf)
            slope = sp.expand(sp.diff(direction, rho).subs(rho, 0) - grad(sp.diff(penalty, rho)))
            return zero == sp.zeros(len(th), 1) and slope == sp.zeros(len(th), 1)

        ok1 = first_order_ok(d1, e["penalty_1sam"])
        ok2 = first_order_ok(dn, e["penalty_nsam"])
        var = rho / 2 * sum(((gi - gf).T * (gi - gf))[0] for gi in g) / n
        ok3 = sp.expand(e["gap"] - var) == 0
        return verdict_from(ok1 and ok2 and ok3, f"n = d = 2, all data symbolic: 1-SAM direction = "
                            f"grad(f + {self.expressions()['penalty_1sam']}) + O(rho^2): {ok1}; n-SAM = "
                            f"grad(f + {self.expressions()['penalty_nsam']}) + O(rho^2): {ok2}; gap "
                            f"{self.expr} = (rho/2) mean ||grad l_i - grad f||^2 >= 0: {ok3}", via="sympy")

    def runs(self, quick=True):
        """``{name: (objective, method, engine steps, record every)}`` of GD, n-SAM and 1-SAM."""
        import theorysim as ts

        steps = self.STEPS[1 if quick else 0]
        net = ts.objectives.diagonal_net(**self.NET)
        one = ts.objectives.diagonal_net_1sam(rho=self.RHO, **self.NET)
        return {"GD": (net, ts.methods.gd(self.ETA), steps, 1),
                "n-SAM": (net, ts.methods.sam(self.ETA, self.RHO), 2 * steps, 2),
                "1-SAM": (one, ts.methods.gd(self.ETA), steps, 1)}

    def simulate(self, quick=True):
        import theorysim as ts

        out = {}
        for name, (f, m, n_it, _) in self.runs(quick).items():
            d = f.info["d"]
            x0 = np.concatenate([np.full(d, self.ALPHA), np.zeros(d)])
            tr = ts.run(f, m, x0=x0, steps=n_it, record_every=n_it)
            beta = tr.x[-1, :d] * tr.x[-1, d:]
            out[name] = (0.5 * float(((beta - f.info["beta_star"]) ** 2).sum()), float(np.abs(beta).sum()),
                         float(tr.loss[-1]))
        t1, l1, _ = out["1-SAM"]
        bound = min(out["GD"][1], out["n-SAM"][1])
        ok = (t1 < min(out["GD"][0], out["n-SAM"][0])) and compare(l1, bound, "<")
        steps = self.STEPS[1 if quick else 0]
        detail = "; ".join(f"{k}: test {v[0]:.3g}, ||beta||_1 {v[1]:.4f}, train {v[2]:.2g}" for k, v in out.items())
        return verdict_from(ok, f"{steps} steps, eta = rho = {self.ETA:g}, u0 = {self.ALPHA:g}: {detail} "
                            f"(||beta*||_1 = {self.NET['sparsity']})", measured=l1, bound=bound,
                            relation="<", via="engine")


STATEMENTS = [USAMStability(), NSAMTwoCycle(), OneSAMSparser()]

__all__ = ["STATEMENTS", "USAMStability", "NSAMTwoCycle", "OneSAMSparser", "G1", "Gf"]
