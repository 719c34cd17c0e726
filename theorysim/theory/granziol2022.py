r"""Learning rate against batch size through the batch Hessian's top eigenvalue (Granziol,
Zohren, Roberts, "Learning rates as a function of batch size: a random matrix theory approach to
neural network training", JMLR 2022, arXiv 2006.09092).

Read in the paper's own text (abstract): the extremal eigenvalues of the batch Hessian exceed those
of the empirical Hessian; hence the largest stable learning rate scales linearly with the batch
size B for SGD and as :math:`\sqrt B` for Adam (in the regime the paper analyses).  The paper's
spiked-model formula was **not** read.  The symbolic reference here is the standard
Marchenko-Pastur edge [secondary: standard RMT, not the paper's formula]:

* ``granziol2022.mp_edge`` — for :math:`H_B=\frac1BX_B^\top X_B` with :math:`X_B` a
  :math:`B\times d` matrix of i.i.d. :math:`\mathcal N(0,s^2)` entries, the top eigenvalue
  approaches :math:`s^2(1+\sqrt{d/B})^2`.  So GD's edge :math:`2/\lambda_{\max}(H_B)` grows like
  :math:`2B/(s^2d)` for :math:`B\ll d` (linear in B) and saturates at :math:`2/s^2` for
  :math:`B\gg d` (our reading of the edge).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from ._statement import Source, Statement, compare, verdict_from

q = sp.Symbol("q", positive=True)  #: d/B
s2 = sp.Symbol("s2", positive=True)  #: entry variance
N_DATA, D_DATA, DATA_SEED = 2000, 200, 0


def data():
    """``(A, b)``: n = 2000 Gaussian rows in d = 200, targets from a random linear rule + noise."""
    rs = np.random.default_rng(DATA_SEED)
    A = rs.normal(size=(N_DATA, D_DATA))
    b = A @ rs.normal(size=D_DATA) / np.sqrt(D_DATA) + 0.1 * rs.normal(size=N_DATA)
    return A, b


class MPEdge(Statement):
    r"""Top eigenvalue of the batch Hessian :math:`\frac1BX_B^\top X_B`: the Marchenko-Pastur
    edge :math:`s^2(1+\sqrt{d/B})^2`.

    **Statement [secondary: standard random-matrix theory].**  The Stieltjes transform m of the
    MP law with ratio :math:`q=d/B` and unit variance solves :math:`qzm^2+(z+q-1)m+1=0`; the
    support's edges are the zeros of the discriminant, :math:`z=(1\pm\sqrt q)^2`; variance
    :math:`s^2` scales them.  **Symbolic check.** sympy solves the discriminant for z.
    **Simulation.** Fresh Gaussian batches (d = 200, unit variance) for B = 50, 200, 800
    (q = 4, 1, 1/4): the measured top eigenvalue of :math:`\frac1BX_B^\top X_B`, averaged over 5
    draws, within 10 % of the edge (finite-size fluctuations are :math:`O(d^{-2/3})` relative).
    Minibatches drawn *with replacement from a finite data set* sit above the edge once B is a
    sizeable fraction of n (repeated rows): the figure ``lr_batch`` shows both.
    """

    id = "granziol2022.mp_edge"
    title = "batch Hessian top eigenvalue ~ s^2 (1 + sqrt(d/B))^2 (Marchenko-Pastur edge)"
    source = Source("granziol2022", "the RMT reference of the LR-vs-B rule (paper's spiked formula "
                    "not read)", "GZR22 / MP", "secondary", "standard Marchenko-Pastur edge")
    assumptions = ("X_B: B x d, i.i.d. entries of variance s^2, d/B fixed, d large",)
    kind = "identity"
    main = "edge"
    BATCHES = (50, 200, 800)

    def expressions(self):
        return {"edge": s2 * (1 + sp.sqrt(q)) ** 2}

    def symbolic_check(self):
        z = sp.Symbol("z", positive=True)
        m = sp.Symbol("m")
        poly = sp.Poly(q * z * m**2 + (z + q - 1) * m + 1, m)
        a, b, c = poly.all_coeffs()
        edges = sp.solve(sp.Eq(b**2 - 4 * a * c, 0), z)
        top = max(edges, key=lambda e: float(e.subs(q, sp.Rational(1, 3))))
        ok = sp.simplify(sp.expand(top - self.expr.subs(s2, 1))) == 0 and len(edges) == 2
        return verdict_from(ok, f"discriminant zeros z = {edges}; stated edge {self.expr} (s2 = 1)",
                            via="sympy")

    def simulate(self, quick=True):
        rs = np.random.default_rng(1)
        worst, lines = 0.0, []
        for B in self.BATCHES:
            tops = []
            for _ in range(5):
                AB = rs.normal(size=(B, D_DATA))
                tops.append(np.linalg.eigvalsh(AB.T @ AB / B)[-1])
            pred = self.evaluate(q=D_DATA / B, s2=1.0)
            rel = abs(np.mean(tops) / pred - 1)
            worst = max(worst, rel)
            lines.append(f"B = {B}: {np.mean(tops):.3f} vs {pred:.3f}")
        return verdict_from(compare(worst, 0.10, "<="), "; ".join(lines) + f" (max rel. dev. {worst:.3f})",
                            measured=worst, bound=0.10, relation="<=", via="numpy eigvalsh")


STATEMENTS = [MPEdge()]

__all__ = ["STATEMENTS", "MPEdge", "data"]
