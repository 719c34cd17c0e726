r"""Figure after Granziol, Zohren, Roberts, "Learning rates as a function of batch size" (JMLR
2022, arXiv 2006.09092).

* ``lr_batch`` — least squares (``objectives.least_squares``, n = 2000, d = 200, Gaussian rows)
  with a minibatch oracle of size B: the largest step on a log grid whose run does not end above
  its start (:math:`f(x_T)\le f(x_0)`, no overflow) after a fixed horizon, for SGD (``gd`` on the
  stochastic oracle) and Adam, against B on log-log axes; fitted slopes over the small-batch range
  against the paper's rules (linear for SGD, square root for Adam [abstract, read]), and GD's edge
  on the batch Hessian :math:`2/\lambda_{\max}(H_B)` from the Marchenko-Pastur edge
  :math:`(1+\sqrt{d/B})^2` (standard RMT; ``theorysim.theory.granziol2022``).
  The stability criterion and the grid are ours.
"""
from __future__ import annotations

import numpy as np

from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import sweep
from ..theory import granziol2022 as _theory
from . import register
from ._style import apply

BATCHES = (2, 4, 8, 16, 32, 64, 128, 256, 512)
BATCHES_QUICK = (4, 32)
GRID = tuple(float(v) for v in np.logspace(-3.5, 1.0, 37))
STEPS = (200, 60)
SEED = 0
#: the slope fit uses B <= FIT_MAX (the small-batch regime B << d)
FIT_MAX = 32
ADAM_BETAS = (0.9, 0.999)


def lr_batch_methods():
    return {"sgd": _methods.gd(GRID[0]), "adam": _methods.adam(GRID[0], beta1=ADAM_BETAS[0],
                                                               beta2=ADAM_BETAS[1])}


def largest_stable(objective, builder, key, steps, fixed=None):
    """Largest value of ``key`` on :data:`GRID` whose run ends finite and not above its start."""
    d = objective.dim
    x0 = np.zeros(d)
    f0 = objective.value(x0)
    res = sweep(objective, builder, grid={key: np.array(GRID)}, fixed=fixed or {}, x0=x0,
                steps=steps, seed=SEED)
    ok = ~res.diverged & (res.final_loss <= f0)
    return float(np.array(GRID)[ok].max()) if ok.any() else float("nan")


def lr_batch_data(quick=False):
    k = 1 if quick else 0
    A, b = _theory.data()
    batches = BATCHES_QUICK if quick else BATCHES
    sgd, adam = [], []
    for B in batches:
        f = _objectives.get("least_squares", A=A, b=b, batch=int(B))
        sgd.append(largest_stable(f, _methods.gd, "eta", STEPS[k]))
        adam.append(largest_stable(f, _methods.adam, "alpha", STEPS[k],
                                   fixed={"beta1": ADAM_BETAS[0], "beta2": ADAM_BETAS[1]}))
    Bv = np.array(batches, float)
    mp = 2.0 / (1.0 + np.sqrt(_theory.D_DATA / Bv)) ** 2
    fit = Bv <= FIT_MAX
    slope = {}
    for name, v in (("sgd", np.array(sgd)), ("adam", np.array(adam))):
        ok = fit & np.isfinite(v)
        slope[name] = float(np.polyfit(np.log(Bv[ok]), np.log(v[ok]), 1)[0]) if ok.sum() >= 2 else np.nan
    return dict(B=Bv, sgd=np.array(sgd), adam=np.array(adam), mp=mp, slope=slope)


def _caption():
    return (
        f"Least squares, n = {_theory.N_DATA}, d = {_theory.D_DATA} (Gaussian rows), minibatch of B rows "
        f"drawn with replacement, from x = 0, {STEPS[0]} steps, seed {SEED}: the largest step on a log "
        f"grid ({len(GRID)} values from {GRID[0]:.3g} to {GRID[-1]:g}) whose run ends finite with "
        "f(x_T) <= f(x_0) (our stability criterion), for SGD and for Adam (beta1 = "
        f"{ADAM_BETAS[0]:g}, beta2 = {ADAM_BETAS[1]:g}), against B = "
        + ", ".join(str(b) for b in BATCHES) + ". Dotted lines: slopes 1 and 1/2 (the paper's "
        "linear rule for SGD and square-root rule for Adam, abstract); dashed: 2/(1 + sqrt(d/B))^2, "
        "GD's edge on a batch Hessian at the Marchenko-Pastur edge (standard RMT, not the paper's "
        f"spiked formula). Slopes fitted over B <= {FIT_MAX}.")


@register("lr_batch", paper="granziol2022",
          title="Largest stable learning rate against batch size: SGD and Adam on least squares",
          caption=_caption(), methods=lr_batch_methods, cost=45)
def lr_batch_figure(quick=False):
    import matplotlib.pyplot as plt

    apply()
    d = lr_batch_data(quick=quick)
    fig, ax = plt.subplots(figsize=(7, 4.8), constrained_layout=True)
    B = d["B"]
    ax.plot(B, d["sgd"], "o-", color="#1f77b4", label=f"SGD (fitted slope {d['slope']['sgd']:.2f})")
    ax.plot(B, d["adam"], "s-", color="#9467bd", label=f"Adam (fitted slope {d['slope']['adam']:.2f})")
    ax.plot(B, d["mp"], "--", color="#555555", label=r"$2/(1+\sqrt{d/B})^2$ (MP edge)")
    for v, p, col in ((d["sgd"], 1.0, "#1f77b4"), (d["adam"], 0.5, "#9467bd")):
        if np.isfinite(v[0]):
            ax.plot(B, v[0] * (B / B[0]) ** p, ":", color=col, lw=1, label=f"slope {p:g}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size B")
    ax.set_ylabel("largest stable step")
    ax.set_title(f"least squares n = {_theory.N_DATA}, d = {_theory.D_DATA}", fontsize=10)
    ax.legend(fontsize=8)
    return fig
