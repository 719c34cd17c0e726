r"""SAM on quadratics (Andriushchenko, Flammarion, "Towards understanding sharpness-aware
minimization", ICML 2022, arXiv 2206.06232; Foret et al. 2021 for the rule; Bartlett, Long,
Bousquet, "The dynamics of sharpness-aware minimization", for the 2-cycle [secondary: abstract]).

* ``andriushchenko2022.usam_stability`` — unnormalized SAM (:math:`\epsilon=\rho\nabla f`, the
  ascent of the authors' code [read]) on :math:`f=\frac h2x^2` is the linear map
  :math:`x\mapsto(1-\eta h-\eta\rho h^2)x`, stable iff :math:`\eta(h+\rho h^2)<2` (our algebra).
* ``andriushchenko2022.nsam_two_cycle`` — normalized SAM on a convex quadratic ends in a 2-cycle
  across the minimum along the top eigenvector [secondary source, Bartlett et al.'s abstract]; the
  amplitude :math:`x^*=\eta h\rho/(2-\eta h)` is theorysim's algebra.
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


STATEMENTS = [USAMStability(), NSAMTwoCycle()]

__all__ = ["STATEMENTS", "USAMStability", "NSAMTwoCycle"]
