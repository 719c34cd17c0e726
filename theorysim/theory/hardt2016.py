r"""Stability of SGD (Hardt, Recht, Singer, "Train faster, generalize better: stability of
stochastic gradient descent", ICML 2016, arXiv 1509.01240).

Read in the paper's own text: the abstract (SGM with few iterations is uniformly stable, convex
and non-convex, under Lipschitz + smooth losses; stability-promoting practices).  The theorem
statements and their constants were **not** read (a recollection of the convex bound,
:math:`\epsilon_{stab}\le\frac{2L^2}n\sum_t\alpha_t`, is unconfirmed).  The two statements below
are theorysim's own derivations of the two ingredients of that argument:

* ``hardt2016.expansive`` — a GD step :math:`w\mapsto w-\alpha\nabla f(w)` on a convex
  :math:`\beta`-smooth f is 1-Lipschitz for :math:`\alpha\le c/\beta`, :math:`c=2`;
* ``hardt2016.divergence_bound`` — SGD on two data sets that differ in one of n examples, with the
  same sample sequence and steps :math:`\alpha_t\le2/\beta`, keeps
  :math:`\mathbb E\|w_T-w'_T\|\le\frac{c_\delta L}n\sum_{t<T}\alpha_t`, :math:`c_\delta=2`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

N_EX, D_EX, DATA_SEED, SWAP_SEED = 100, 10, 0, 5


def coupled_data():
    """``(f, f')``: logistic regression on n = 100 Gaussian points in d = 10 and the same data with
    example 0 replaced (new x, flipped label); both with a one-example oracle."""
    import theorysim as ts

    f = ts.objectives.get("logistic", n=N_EX, dim=D_EX, seed=DATA_SEED, batch=1)
    X, y = f.info["X"].copy(), f.info["y"].copy()
    rs = np.random.default_rng(SWAP_SEED)
    X[0] = rs.normal(size=D_EX)
    y[0] = -y[0]
    return f, ts.objectives.get("logistic", X=X, y=y, batch=1)


def coupled_divergence(method, steps, seeds):
    """Mean over seeds of :math:`\\|w_t-w'_t\\|` (t = 0..steps) for ``method`` on
    :func:`coupled_data` from w = 0, the same seed (hence the same sample sequence) on both."""
    import theorysim as ts

    f, g = coupled_data()
    out = []
    for s in seeds:
        a = ts.run(f, method, x0=np.zeros(D_EX), steps=steps, seed=int(s))
        b = ts.run(g, method, x0=np.zeros(D_EX), steps=steps, seed=int(s))
        out.append(np.linalg.norm(a.x - b.x, axis=1))
    return np.array(out).mean(axis=0)


class Expansive(Statement):
    r"""A gradient step on a convex :math:`\beta`-smooth function is 1-Lipschitz for
    :math:`\alpha\le c/\beta`, :math:`c=2`.

    **Proof (textbook; the lemma Hardt et al.'s convex argument uses).**  The step's Jacobian is
    :math:`I-\alpha\nabla^2f` with eigenvalues :math:`1-\alpha h`, :math:`h\in[0,\beta]`; its norm
    is at most 1 iff :math:`\alpha\beta\le2`.  **Symbolic check.** On the quadratic of curvature
    :math:`\beta` (the worst case), sympy solves :math:`|1-\alpha\beta|\le1` for :math:`\alpha`.
    **Simulation.** Coupled runs (same seed) from two starts at :math:`\alpha=0.999\,c/\beta`:
    on :math:`\frac12(2x_1^2+0.5x_2^2)` (:math:`\beta=2`, GD) and on logistic regression with a
    one-example oracle (same sample sequence): the largest one-step ratio
    :math:`\|w_{t+1}-w'_{t+1}\|/\|w_t-w'_t\|` is at most 1.
    """

    id = "hardt2016.expansive"
    title = "GD step on convex beta-smooth f is 1-Lipschitz for alpha <= 2/beta"
    source = Source("hardt2016", "expansivity of gradient updates (convex case; number not read)",
                    "HRS16 / textbook", "textbook", "standard lemma, proof in the docstring")
    assumptions = ("f convex, beta-smooth", "w -> w - alpha grad f(w), 0 < alpha")
    kind = "condition"
    main = "alpha_max"

    def expressions(self):
        return {"alpha_max": 2 / S.beta}

    def symbolic_check(self):
        sol = sp.solve_univariate_inequality(sp.Abs(1 - S.alpha * S.beta) <= 1, S.alpha, relational=False)
        ok = sp.simplify(sol.sup - self.expr) == 0
        return verdict_from(ok, f"|1 - alpha beta| <= 1 for alpha in {sol}; stated alpha <= {self.expr}",
                            via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        worst = 0.0
        q = ts.objectives.get("quadratic", lam=[2.0, 0.5])
        a_q = 0.999 * self.evaluate(beta=2.0)
        runs = [(q, a_q, {}, 50)]
        f, g = coupled_data()
        beta = max(f.info["beta"], g.info["beta"])
        runs.append((f, 0.999 * self.evaluate(beta=beta), {"seed": 1}, 400 if quick else 4000))
        lines = []
        for obj, alpha, kw, steps in runs:
            a = ts.run(obj, ts.methods.gd(alpha), x0=np.ones(obj.dim), steps=steps, **kw)
            b = ts.run(obj, ts.methods.gd(alpha), x0=-np.ones(obj.dim), steps=steps, **kw)
            dist = np.linalg.norm(a.x - b.x, axis=1)
            ok_rows = dist[:-1] > 1e-300
            r = float(np.max(dist[1:][ok_rows] / dist[:-1][ok_rows]))
            worst = max(worst, r)
            lines.append(f"{obj.name} (alpha = {alpha:.4g}): max one-step ratio {r:.6f}")
        return verdict_from(compare(worst, 1.0, "<=", rtol=1e-12), "; ".join(lines), measured=worst,
                            bound=1.0, relation="<=", via="engine")


class DivergenceBound(Statement):
    r"""SGD on data sets differing in one of n examples, same sample sequence, convex
    :math:`L`-Lipschitz :math:`\beta`-smooth losses, :math:`\alpha_t\le2/\beta`:
    :math:`\mathbb E\|w_T-w'_T\|\le\frac{c_\delta L}n\sum_{t<T}\alpha_t`, :math:`c_\delta=2`.

    **Derivation (theorysim's, the argument the abstract summarizes).**  With probability
    :math:`1-1/n` both runs take a step on the same example: by :class:`Expansive`, the distance
    does not grow.  With probability :math:`1/n` they use the differing examples: the distance grows
    by at most :math:`\alpha_t(\|\nabla\ell\|+\|\nabla\ell'\|)\le2\alpha_tL`.  So
    :math:`\mathbb E\delta_{t+1}\le\mathbb E\delta_t+2\alpha_tL/n`; sum from :math:`\delta_0=0`.
    **Symbolic check.** sympy sums the recursion for a constant step.  **Simulation.** logistic
    regression (n = 100, d = 10, :func:`coupled_data`), SGD with :math:`\alpha=1/\beta`, mean of
    :math:`\|w_t-w'_t\|` over seeds at every t against the bound (upper bound: the largest ratio
    measured/bound over t).
    """

    id = "hardt2016.divergence_bound"
    title = "coupled SGD on neighbouring data: E||w_T - w'_T|| <= (2L/n) sum alpha_t"
    source = Source("hardt2016", "the convex stability argument (theorem number and constants not "
                    "read)", "HRS16 / ours", "ours", "our derivation of the argument; the paper's "
                    "displayed bound was not read")
    assumptions = ("losses convex, L-Lipschitz, beta-smooth; alpha_t <= 2/beta",
                   "same sample sequence on both data sets; one differing example of n")
    kind = "upper bound"
    main = "bound"
    n_sym = sp.Symbol("n", positive=True, integer=True)

    def expressions(self):
        t = sp.Symbol("t", integer=True, nonnegative=True)
        return {"bound": 2 * S.L / self.n_sym * sp.Sum(S.alpha, (t, 0, S.T - 1)),
                "per_step": 2 * S.alpha * S.L / self.n_sym}

    def symbolic_check(self):
        T = sp.Symbol("T", positive=True, integer=True)
        t = sp.Symbol("t", integer=True, nonnegative=True)
        e = self.expressions()
        rec = sp.summation(e["per_step"], (t, 0, T - 1))  # delta_T from delta_0 = 0
        bound = e["bound"].subs(S.T, T).doit()
        ok = sp.simplify(rec - bound) == 0
        return verdict_from(ok, f"sum of the one-step increments 2 alpha L/n over T steps: {rec}; "
                            f"stated {sp.simplify(bound)}", via="sympy")

    def simulate(self, quick=True):
        import theorysim as ts

        f, g = coupled_data()
        beta = max(f.info["beta"], g.info["beta"])
        L = max(f.info["L"], g.info["L"])
        alpha = 1.0 / beta
        steps, seeds = (1000, 16) if quick else (3000, 64)
        D = coupled_divergence(ts.methods.gd(alpha), steps, np.arange(seeds))
        t = np.arange(1, steps + 1)
        per = float(self.expressions()["per_step"].subs({S.alpha: alpha, S.L: L, self.n_sym: N_EX}))
        bound = per * t
        ratio = float(np.max(D[1:] / bound))
        return verdict_from(compare(ratio, 1.0, "<="), f"max over t of mean||w_t - w'_t|| / bound = "
                            f"{ratio:.3f} ({seeds} seeds, {steps} steps, alpha = 1/beta = {alpha:.4g}, "
                            f"L = {L:.4g}); at T: {D[-1]:.4g} vs {bound[-1]:.4g}", measured=ratio,
                            bound=1.0, relation="<=", via="engine")


STATEMENTS = [Expansive(), DivergenceBound()]

__all__ = ["STATEMENTS", "Expansive", "DivergenceBound", "coupled_data", "coupled_divergence"]
