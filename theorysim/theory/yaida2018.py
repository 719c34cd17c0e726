r"""SGD's stationary laws on noisy quadratics (S. Yaida, "Fluctuation-dissipation relations for
stochastic gradient descent", arXiv 1810.00004, ICLR 2019).

* ``yaida2018.fdr1`` — at a stationary state of SGD :math:`\theta_{t+1}=\theta_t-\eta g_t`
  (:math:`g_t` unbiased), :math:`\langle\theta\cdot\nabla f\rangle=\tfrac\eta2\langle\|g\|^2\rangle`.
  The abstract (read) says exact relations link measurable quantities to hyperparameters at any
  stationary state; the displayed form of the first relation is known to theorysim from a
  secondary restatement only, so it is tagged ``secondary``; sympy re-derives it here, so the
  constant 1/2 is also theorysim's own derivation.
* ``yaida2018.variance`` — on the noisy quadratic (``objectives.noisy_quadratic``) the stationary
  variance along eigenvector i is :math:`\sigma_i^2=\eta c_i/(Bh_i(2-\eta h_i))`, finite iff
  :math:`\eta h_i<2`: theorysim's derivation (the discrete Lyapunov equation of a linear
  recursion), not read in the paper.

* ``yaida2018.fdr1_momentum`` — SGD with momentum in Yaida's velocity form
  :math:`v_{t+1}=\mu v_t-\eta g_t`, :math:`\theta_{t+1}=\theta_t+v_{t+1}` (= ``methods.heavy_ball``):
  :math:`\langle\theta\cdot\nabla f\rangle=\frac{1+\mu}{2\eta}\langle\|v\|^2\rangle`.  The paper's
  text of the momentum section could not be read here; the form is the one the author's released
  code measures (facebookresearch/FDR_scheduler, ``OR = lr (1 + momentum)/(2 (1 - dampening))
  |v|^2`` in PyTorch's convention :math:`v_{\rm torch}=v/\eta`) and sympy derives it exactly from
  stationarity, so it is tagged as theorysim's derivation.  (The recollection "a factor
  :math:`(1+\mu)/(1-\mu)`" of the shared notes is not this relation.)

Simulations: many seeds of SGD (``methods.gd`` on the stochastic ``noisy_quadratic``) through
:func:`theorysim.sweep` with a ``"seed"`` grid; each seed gives one time average after a burn-in,
so the seeds are independent samples and the confidence intervals are the usual
:math:`\bar x\pm z\,s/\sqrt n`.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from . import _symbols as S
from ._statement import Source, Statement, compare, verdict_from

#: the noisy quadratic of the checks and the figure (curvatures h_i, per-sample noise c_i)
H_DIAG = (0.5, 1.0, 1.5, 2.0, 3.0)
C_DIAG = 1.0
#: a check passes when the measured mean lies within Z_ACCEPT standard errors of the prediction
Z_ACCEPT = 4.0
#: ... and that standard error is below this fraction of the prediction (the check has power)
MAX_REL_SE = 0.05


def fdr_samples(eta, batch, seeds, steps, burn, h=H_DIAG, c=C_DIAG):
    r"""Per-seed time averages of both sides of FDR1 for SGD on the noisy quadratic.

    Runs ``ts.sweep`` over ``grid={"seed": seeds}`` from :math:`\theta_0=0` for ``steps``
    updates, records every iterate, drops the first ``burn`` and returns
    ``(lhs, g2)``: per seed, :math:`\overline{\theta\cdot\nabla f}=\overline{2f(\theta_t)}` (exact
    on this quadratic, minimiser 0) and :math:`\overline{\|g_t\|^2}` (the sampled gradient's
    squared norm, which the oracle records).
    """
    import theorysim as ts

    f = ts.objectives.get("noisy_quadratic", h=list(h), c=c, batch=int(batch))
    res = ts.sweep(f, ts.methods.gd, grid={"seed": np.asarray(seeds)}, fixed={"eta": float(eta)},
                   x0=np.zeros(f.dim), steps=int(steps), record_every=1)
    if np.any(res.diverged):
        raise RuntimeError(f"SGD diverged at eta = {eta} (eta * max h = {eta * max(h):g} >= 2?)")
    lhs = 2.0 * res.loss[:, burn:].mean(axis=1)
    g2 = (res.grad_norm[:, burn:] ** 2).mean(axis=1)
    return lhs, g2


def variance_samples(eta, batch, seeds, steps, burn, h=H_DIAG, c=C_DIAG):
    r"""Per-seed, per-coordinate time averages of :math:`\theta_{t,i}^2` (shape ``(seeds, d)``),
    from ``ts.run`` with every iterate recorded (the coordinates of one d-dimensional run)."""
    import theorysim as ts

    f = ts.objectives.get("noisy_quadratic", h=list(h), c=c, batch=int(batch))
    out = []
    for s in seeds:
        tr = ts.run(f, ts.methods.gd(float(eta)), x0=np.zeros(f.dim), steps=int(steps),
                    seed=int(s))
        if tr.diverged:
            raise RuntimeError(f"SGD diverged at eta = {eta}")
        out.append((tr.x[burn:] ** 2).mean(axis=0))
    return np.array(out)


def mean_se(a):
    """Mean over the first axis and its standard error :math:`s/\\sqrt n`."""
    a = np.asarray(a, float)
    return a.mean(axis=0), a.std(axis=0, ddof=1) / np.sqrt(a.shape[0])


def _sides_agree(cases, rhs_name, suffix=""):
    """Verdict of a stationary relation <2f> = rhs measured per case ``(label, lhs, rhs)`` over
    seeds: the means agree within ``Z_ACCEPT`` standard errors of their difference, and that
    error is below ``MAX_REL_SE`` of the right side (the check could fail)."""
    ok, lines, head = True, [], None
    for label, lhs, rhs in cases:
        mL, _ = mean_se(lhs)
        mR, _ = mean_se(rhs)
        _, se = mean_se(lhs - rhs)
        good = compare(mL, mR, "~=", atol=Z_ACCEPT * se) and se <= MAX_REL_SE * mR
        ok &= bool(good)
        head = head or (mL, mR)
        lines.append(f"{label}: <2f> = {mL:.5g}, {rhs_name} = {mR:.5g}, diff {mL - mR:+.2g} "
                     f"+- {se:.2g} (1 SE, {len(lhs)} seeds)")
    return verdict_from(ok, "; ".join(lines) + suffix, measured=head[0], bound=head[1],
                        relation="~=", via="engine")


class FDR1(Statement):
    r"""First fluctuation-dissipation relation of SGD:
    :math:`\langle\theta\cdot\nabla f(\theta)\rangle=\tfrac\eta2\langle\|g\|^2\rangle`.

    **Problem.**  SGD :math:`\theta_{t+1}=\theta_t-\eta g_t` with an unbiased oracle,
    :math:`\mathbb E[g_t\mid\theta_t]=\nabla f(\theta_t)`, in a stationary state (the law of
    :math:`\theta_t` does not depend on t; averages :math:`\langle\cdot\rangle` over it).

    **Guarantee (identity).**  Yaida 2018, first FDR (Sec. 2 of the arXiv version; the equation
    number was not read).  Derivation (theorysim's, the argument the restatement names):
    :math:`\|\theta_{t+1}\|^2=\|\theta_t\|^2-2\eta\,\theta_t\cdot g_t+\eta^2\|g_t\|^2`; take
    expectations, use :math:`\mathbb E[\theta_t\cdot g_t]=\mathbb E[\theta_t\cdot\nabla f(\theta_t)]`
    and stationarity :math:`\mathbb E\|\theta_{t+1}\|^2=\mathbb E\|\theta_t\|^2`.

    **Symbolic check.**  Sympy solves the stationarity equation for
    :math:`\langle\theta\cdot\nabla f\rangle` and compares with the stated right side; and on the
    noisy quadratic it substitutes the stationary variances (:class:`StationaryVariance`) into
    both sides, per eigenvalue, and simplifies the difference to 0.

    **Simulation.**  ``noisy_quadratic`` (:data:`H_DIAG`, :data:`C_DIAG`), SGD for a grid of
    :math:`(\eta,B)`, many seeds via ``ts.sweep``: the measured :math:`\overline{2f}` against the
    stated right side at the measured :math:`\overline{\|g\|^2}`, within :data:`Z_ACCEPT` standard
    errors (paired over seeds).
    """

    id = "yaida2018.fdr1"
    title = "SGD at stationarity: <theta . grad f> = (eta/2) <||g||^2>"
    source = Source("yaida2018", "first FDR, Sec. 2 (equation number not read)", "Yaida18 FDR1",
                    "secondary", "abstract read; the relation's form from a secondary restatement; "
                    "re-derived by sympy here (factor 1/2 is theorysim's derivation)")
    assumptions = ("theta_{t+1} = theta_t - eta g_t, E[g | theta] = grad f(theta)",
                   "stationary state: E||theta_{t+1}||^2 = E||theta_t||^2")
    kind = "identity"
    main = "fdr"
    #: (eta, batch) pairs of the simulation (quick / full) and their seeds, steps, burn-in
    CASES_QUICK = ((0.1, 1), (0.4, 4))
    CASES_FULL = tuple((e, b) for e in (0.05, 0.1, 0.2, 0.4) for b in (1, 4, 16))

    def expressions(self):
        return {"fdr": S.eta / 2 * S.g2}

    def symbolic_check(self):
        P = sp.Symbol("P", real=True)  # <theta . grad f>
        n2 = sp.Symbol("n2", positive=True)  # E||theta||^2, the same before and after the step
        stationary = sp.Eq(n2 - 2 * S.eta * P + S.eta**2 * S.g2, n2)
        sol = sp.solve(stationary, P)
        ok1 = len(sol) == 1 and sp.simplify(sol[0] - self.expr) == 0
        s2 = StationaryVariance().expr  # the noisy quadratic, one eigenvalue
        lhs = S.h_i * s2  # h theta^2 = theta * grad f along eigenvector i
        rhs = self.expr.subs(S.g2, S.h_i**2 * s2 + S.c_i / S.B)  # E g_i^2 = h^2 s + c/B
        ok2 = sp.simplify(lhs - rhs) == 0
        return verdict_from(ok1 and ok2, f"stationarity gives <theta.grad f> = {sol}; stated "
                            f"{self.expr}; on the noisy quadratic lhs - rhs = "
                            f"{sp.simplify(lhs - rhs)} per eigenvalue", via="sympy")

    def measure(self, quick=True):
        """``[(eta, B, lhs samples, rhs samples)]``: per seed, measured :math:`\\overline{2f}` and
        the stated right side at the measured :math:`\\overline{\\|g\\|^2}`."""
        cases = self.CASES_QUICK if quick else self.CASES_FULL
        n, steps, burn = (32, 4000, 500) if quick else (64, 20000, 1000)
        out = []
        for eta, b in cases:
            lhs, g2 = fdr_samples(eta, b, np.arange(n), steps, burn)
            rhs = np.array([self.evaluate(eta=eta, g2=v) for v in g2])
            out.append((eta, b, lhs, rhs))
        return out

    def simulate(self, quick=True):
        return _sides_agree(((f"eta={eta:g}, B={b}", lhs, rhs)
                             for eta, b, lhs, rhs in self.measure(quick)), "(eta/2)<|g|^2>")


class StationaryVariance(Statement):
    r"""Stationary variance of SGD on a noisy quadratic, per eigenvalue:
    :math:`\sigma_i^2=\frac{\eta c_i}{Bh_i(2-\eta h_i)}`, finite iff :math:`0<\eta h_i<2`.

    **Problem.**  :math:`f=\tfrac12\sum_ih_i\theta_i^2`, oracle :math:`g=\nabla f+\xi`,
    :math:`\xi_i` independent, mean 0, variance :math:`c_i/B` (``objectives.noisy_quadratic``).

    **Guarantee (identity).**  :math:`\theta_{t+1,i}=(1-\eta h_i)\theta_{t,i}-\eta\xi_{t,i}`, so
    :math:`\mathrm{Var}\,\theta_{t+1,i}=(1-\eta h_i)^2\mathrm{Var}\,\theta_{t,i}+\eta^2c_i/B`; its
    fixed point (the discrete Lyapunov equation) is the stated :math:`\sigma_i^2`, attracting iff
    :math:`|1-\eta h_i|<1`.  theorysim's derivation (the paper's setting, not a formula read in
    it); it makes Yaida's FDR1 hold coordinate by coordinate (:class:`FDR1`).

    **Symbolic check.**  Sympy solves the variance recursion's fixed point and compares; the
    limit :math:`\eta h_i\to2^-` is :math:`+\infty`.  **Simulation.**  One d-dimensional run per
    seed (``ts.run``, iterates recorded): the time average of :math:`\theta_{t,i}^2` per
    coordinate, mean over seeds, within :data:`Z_ACCEPT` standard errors of the formula.
    """

    id = "yaida2018.variance"
    title = "SGD on a noisy quadratic: sigma_i^2 = eta c_i / (B h_i (2 - eta h_i))"
    source = Source("yaida2018", "the noisy quadratic of the FDR setting (our derivation)",
                    "Yaida18 setting", "ours", "discrete Lyapunov equation of the linear SGD "
                    "recursion; not read in the paper")
    assumptions = ("f = 1/2 sum h_i theta_i^2, g = grad f + xi, Var xi_i = c_i/B, independent",
                   "0 < eta h_i < 2")
    kind = "identity"
    main = "sigma2"
    CASES_QUICK = ((0.5, 2),)
    CASES_FULL = ((0.1, 1), (0.3, 4), (0.5, 2), (0.6, 1))

    def expressions(self):
        return {"sigma2": S.eta * S.c_i / (S.B * S.h_i * (2 - S.eta * S.h_i))}

    def symbolic_check(self):
        s = sp.Symbol("s", positive=True)
        sol = sp.solve(sp.Eq(s, (1 - S.eta * S.h_i) ** 2 * s + S.eta**2 * S.c_i / S.B), s)
        ok1 = len(sol) == 1 and sp.simplify(sol[0] - self.expr) == 0
        e = sp.Symbol("e", positive=True)
        lim = sp.limit(self.expr.subs(S.eta, (2 - e) / S.h_i), e, 0, "+")
        ok2 = lim == sp.oo
        return verdict_from(ok1 and ok2, f"fixed point of the variance recursion: {sol}; stated "
                            f"{self.expr}; limit eta h -> 2-: {lim}", via="sympy")

    def measure(self, quick=True):
        """``[(eta, B, samples (seeds, d), predicted (d,))]``."""
        cases = self.CASES_QUICK if quick else self.CASES_FULL
        n, steps, burn = (16, 4000, 500) if quick else (32, 20000, 1000)
        c = np.broadcast_to(np.asarray(C_DIAG, float), (len(H_DIAG),))
        out = []
        for eta, b in cases:
            x2 = variance_samples(eta, b, np.arange(n), steps, burn)
            pred = np.array([self.evaluate(eta=eta, hi=hi, ci=ci, B=b) for hi, ci in zip(H_DIAG, c)])
            out.append((eta, b, x2, pred))
        return out

    def simulate(self, quick=True):
        ok, lines, head = True, [], None
        for eta, b, x2, pred in self.measure(quick):
            m, se = mean_se(x2)
            z = (m - pred) / se
            good = np.all(np.abs(z) <= Z_ACCEPT) and np.all(se <= MAX_REL_SE * pred)
            ok &= bool(good)
            k = int(np.argmax(H_DIAG))
            head = head or (float(m[k]), float(pred[k]))
            lines.append(f"eta={eta:g}, B={b}: measured/predicted per eigenvalue "
                         f"{np.array2string(m / pred, precision=3)}, max |z| = {np.max(np.abs(z)):.2f}")
        return verdict_from(ok, "; ".join(lines) + " (headline: the largest h)", measured=head[0],
                            bound=head[1], relation="~=", via="engine")


v2 = sp.Symbol("v2", nonnegative=True)  #: <||v||^2>, mean squared velocity (step) norm


def momentum_fdr_samples(eta, mu, batch, seeds, steps, burn, h=H_DIAG, c=C_DIAG):
    r"""Per-seed time averages ``(lhs, v2)`` for heavy ball on the noisy quadratic from
    :math:`\theta_0=0`: :math:`\overline{\theta\cdot\nabla f}=\overline{2f}` and
    :math:`\overline{\|v\|^2}` with :math:`v_{t+1}=\theta_{t+1}-\theta_t` (every iterate recorded,
    the first ``burn`` dropped)."""
    import theorysim as ts

    f = ts.objectives.get("noisy_quadratic", h=list(h), c=c, batch=int(batch))
    lhs, vv = [], []
    for s in seeds:
        tr = ts.run(f, ts.methods.heavy_ball(float(eta), mu=float(mu)), x0=np.zeros(f.dim),
                    steps=int(steps), seed=int(s))
        if tr.diverged:
            raise RuntimeError(f"heavy ball diverged at eta = {eta}, mu = {mu}")
        lhs.append(2.0 * tr.loss[burn:].mean())
        vv.append((np.diff(tr.x[burn:], axis=0) ** 2).sum(axis=1).mean())
    return np.array(lhs), np.array(vv)


class MomentumFDR1(Statement):
    r"""First fluctuation-dissipation relation of SGD with momentum:
    :math:`\langle\theta\cdot\nabla f(\theta)\rangle=\frac{1+\mu}{2\eta}\langle\|v\|^2\rangle`.

    **Problem.**  Yaida's velocity form :math:`v_{t+1}=\mu v_t-\eta g_t`,
    :math:`\theta_{t+1}=\theta_t+v_{t+1}`, :math:`\mathbb E[g_t\mid\theta_t,v_t]=\nabla f(\theta_t)`,
    in a stationary state of :math:`(\theta_t,v_t)`.  **Mapping.**  These are the iterates of heavy
    ball :math:`\theta_{t+1}=\theta_t-\eta g_t+\mu(\theta_t-\theta_{t-1})` with
    :math:`v_t=\theta_t-\theta_{t-1}` (``methods.heavy_ball(eta, mu)``, :math:`v_0=0`); PyTorch's
    ``SGD(lr=eta, momentum=mu)`` keeps :math:`v/\eta`, so there the right side reads
    :math:`\frac{\eta(1+\mu)}2\langle\|v_{\rm torch}\|^2\rangle` (the author's code's form).

    **Guarantee (identity; theorysim's derivation).**  With :math:`P=\langle\theta\cdot\nabla f\rangle`,
    :math:`Q=\langle\theta_t\cdot v_t\rangle`, :math:`V=\langle\|v\|^2\rangle`:
    :math:`\mathbb E[\theta_t\cdot v_{t+1}]=\mu Q-\eta P`; stationarity of
    :math:`\|\theta\|^2` gives :math:`2(\mu Q-\eta P)+V=0`, stationarity of :math:`\theta\cdot v`
    (:math:`\theta_{t+1}\cdot v_{t+1}=\theta_t\cdot v_{t+1}+\|v_{t+1}\|^2`) gives
    :math:`\mu Q-\eta P+V=Q`; so :math:`Q=V/2` and :math:`P=(1+\mu)V/(2\eta)`.  :math:`\mu=0` is
    :class:`FDR1` (:math:`v=-\eta g`).

    **Symbolic check.**  Sympy solves the two stationarity equations for :math:`(P,Q)`; and on the
    noisy quadratic it solves the 2x2 discrete Lyapunov equation of :math:`(\theta_i,v_i)` per
    eigenvalue and checks :math:`h_i\Sigma_{\theta\theta}=\frac{1+\mu}{2\eta}\Sigma_{vv}`.
    **Simulation.**  Heavy ball on ``noisy_quadratic`` (:data:`H_DIAG`), many seeds: the measured
    :math:`\overline{2f}` against the stated right side at the measured
    :math:`\overline{\|\theta_{t+1}-\theta_t\|^2}`, within :data:`Z_ACCEPT` standard errors.
    """

    id = "yaida2018.fdr1_momentum"
    title = "SGD with momentum at stationarity: <theta . grad f> = (1 + mu)/(2 eta) <||v||^2>"
    source = Source("yaida2018", "FDR1 with momentum (paper's section not read; the author's code "
                    "measures this form)", "Yaida18 FDR1 (momentum)", "ours",
                    "derived here from stationarity by sympy; agrees with the observable of the "
                    "author's released scheduler code (facebookresearch/FDR_scheduler); the "
                    "paper's own text of this relation was not read")
    assumptions = ("v_{t+1} = mu v_t - eta g_t, theta_{t+1} = theta_t + v_{t+1}, E[g | theta, v] = grad f",
                   "stationary state of (theta, v)")
    kind = "identity"
    main = "fdr"
    #: (eta, mu, batch) of the simulation
    CASES_QUICK = ((0.1, 0.5, 1), (0.05, 0.9, 4))
    CASES_FULL = tuple((e, m, b) for e in (0.05, 0.1) for m in (0.5, 0.9) for b in (1, 4))

    def expressions(self):
        return {"fdr": (1 + S.mu) / (2 * S.eta) * v2}

    def symbolic_check(self):
        P, Q = sp.symbols("P Q", real=True)
        cross = S.mu * Q - S.eta * P  # E[theta_t . v_{t+1}]
        sol = sp.solve([sp.Eq(2 * cross + v2, 0), sp.Eq(cross + v2, Q)], [P, Q], dict=True)
        ok1 = len(sol) == 1 and sp.simplify(sol[0][P] - self.expr) == 0
        # noisy quadratic, one eigenvalue: z = (theta, v), z' = A z + b xi, Var xi = c/B
        a, b_, c_ = sp.symbols("s_tt s_tv s_vv", real=True)
        A = sp.Matrix([[1 - S.eta * S.h_i, S.mu], [-S.eta * S.h_i, S.mu]])
        bb = sp.Matrix([-S.eta, -S.eta])
        Sig = sp.Matrix([[a, b_], [b_, c_]])
        eqs = A * Sig * A.T + bb * bb.T * S.c_i / S.B - Sig
        lyap = sp.solve([eqs[0, 0], eqs[0, 1], eqs[1, 1]], [a, b_, c_], dict=True)
        ok2 = len(lyap) == 1 and sp.simplify(S.h_i * lyap[0][a] - self.expr.subs(v2, lyap[0][c_])) == 0
        ok3 = sp.simplify(self.expr.subs(S.mu, 0).subs(v2, S.eta**2 * S.g2) - FDR1().expr) == 0
        return verdict_from(ok1 and ok2 and ok3, f"stationarity gives {sol}; stated P = {self.expr}; "
                            f"Lyapunov solution on the noisy quadratic satisfies it: {ok2}; mu = 0 with "
                            f"v = -eta g is FDR1: {ok3}", via="sympy")

    def measure(self, quick=True):
        """``[(eta, mu, B, lhs samples, rhs samples)]`` per seed."""
        cases = self.CASES_QUICK if quick else self.CASES_FULL
        n, steps, burn = (32, 4000, 1000) if quick else (64, 20000, 2000)
        out = []
        for eta, mu, b in cases:
            lhs, vv = momentum_fdr_samples(eta, mu, b, np.arange(n), steps, burn)
            rhs = np.array([self.evaluate(eta=eta, mu=mu, v2=v) for v in vv])
            out.append((eta, mu, b, lhs, rhs))
        return out

    def simulate(self, quick=True):
        return _sides_agree(((f"eta={eta:g}, mu={mu:g}, B={b}", lhs, rhs)
                             for eta, mu, b, lhs, rhs in self.measure(quick)),
                            "(1+mu)/(2 eta)<|v|^2>", suffix=" (heavy ball)")


STATEMENTS = [FDR1(), StationaryVariance(), MomentumFDR1()]

__all__ = ["STATEMENTS", "FDR1", "StationaryVariance", "MomentumFDR1", "fdr_samples", "variance_samples",
           "momentum_fdr_samples", "mean_se", "H_DIAG", "C_DIAG", "v2"]
