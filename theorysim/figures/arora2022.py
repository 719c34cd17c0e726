r"""Figure after Arora, Li, Panigrahi 2022 (edge of stability) on theorysim's flat valley.

* ``flat_valley`` — GD, normalized GD, GD on :math:`\sqrt L` and clipped GD on
  :math:`L(x,y)=\tfrac12(1+y^2)x^2` from the same start with the same step: the sharpness
  :math:`\lambda_1(\nabla^2L)` (with the drift rates of ``arora2022.drift`` drawn from the
  statement), the effective sharpness :math:`h_k\lambda_1` against the stability edge 2, the
  oscillation amplitude :math:`|x_k|` against :math:`\eta/2`, and the loss.  The toy and the rates
  are theorysim's own; the paper's abstract [C] states the qualitative result (NGD and GD on
  :math:`\sqrt{L-\min L}` reduce sharpness at the edge of stability).
"""
from __future__ import annotations

import numpy as np

from ..theory import arora2022 as _th
from . import register
from ._style import COLORS, apply

ETA, STEPS, X0, FIT_FROM = _th.ETA, _th.STEPS, _th.X0, _th.FIT_FROM
LABELS = {"gd": "GD", "normalized_gd": r"normalized GD ($\eta/\|\nabla L\|$)",
          "sqrt_gd": r"GD on $\sqrt{L}$", "clipped_gd": "clipped GD"}
_COLOR = {"gd": COLORS["gd"], "normalized_gd": COLORS["normalized_gd"], "sqrt_gd": "#9467bd",
          "clipped_gd": COLORS["clipped_gd"]}


def eos_methods():
    """The configured methods (``theorysim.theory.arora2022.eos_methods`` at ``ETA``)."""
    return _th.eos_methods(ETA)


def eos_data(steps=STEPS):
    """Per method: iteration, sharpness of L, effective step on L, |x|, L (arrays)."""
    from ..diagnostics import sharpness_along
    from ..objectives import get

    f = get("flat_valley")
    out = {}
    for m, tr in _th.flat_valley_runs(ETA, steps, X0).items():
        xs = tr.x
        sharp = sharpness_along(f, xs)
        L = 0.5 * (1 + xs[:, 1] ** 2) * xs[:, 0] ** 2
        h = tr.step_size.copy()
        if m == "sqrt_gd":  # GD on sqrt(L) = GD on L with step eta / (2 sqrt L)
            with np.errstate(divide="ignore"):
                h = h / (2.0 * np.sqrt(L))
        out[m] = dict(k=tr.iteration, sharp=sharp, h=h, ax=np.abs(xs[:, 0]), L=L, y=np.abs(xs[:, 1]))
    return out


def predicted_sharpness(data, steps=STEPS):
    """Sharpness 1 + y_k^2 predicted by the drift rates from the state at ``FIT_FROM``."""
    from scipy.special import lambertw

    st = _th.Drift()
    k = np.arange(FIT_FROM, steps + 1)
    y0 = data["sqrt_gd"]["y"][FIT_FROM]
    ys = y0 * np.exp(st.evaluate("sqrt_rate", eta=ETA) * (k - FIT_FROM))
    yn0 = data["normalized_gd"]["y"][FIT_FROM]
    q = np.log(yn0) + yn0**2 / 2 + st.evaluate("ngd_rate", eta=ETA) * (k - FIT_FROM)
    yn = np.sqrt(np.real(lambertw(np.exp(2 * q))))  # ln y + y^2/2 = q  <=>  y^2 e^{y^2} = e^{2q}
    return k, 1 + ys**2, 1 + yn**2


def _caption():
    m = eos_methods()
    return (
        f"theorysim's flat valley L(x, y) = (1 + y^2) x^2/2 from x0 = ({X0[0]:g}, {X0[1]:g}), "
        f"{STEPS} steps, the same step eta = {m['gd'].hyper['eta']:g} for GD, normalized GD "
        f"(beta = {m['normalized_gd'].hyper['beta']:g}), GD on sqrt(L) and clipped GD (gamma = "
        f"{m['clipped_gd'].hyper['gamma']:g}). (a) sharpness lambda_1 of the Hessian of L "
        "(exact eigenvalue); dashed: the drift rates of statement arora2022.drift (ours: d ln|y|/dk "
        f"= -eta^2/4 for GD on sqrt(L), d(ln|y| + y^2/2)/dk = -eta^2/2 for NGD) from step {FIT_FROM}. "
        "(b) effective sharpness h_k lambda_1, h_k the step each method takes on L (GD on sqrt(L): "
        "eta/(2 sqrt L)); the bands of normalized GD and GD on sqrt(L) straddle 2: on a 2-cycle "
        "{c, c - hop} the two values are hop/c and hop/(hop - c), whose harmonic mean is 2 (ours). "
        f"GD's stability edge is h lambda_1 = 2, i.e. lambda_1 = 2/eta = {2 / m['gd'].hyper['eta']:g}. (c) oscillation "
        "amplitude |x_k| against eta/2. (d) loss. GD and clipped GD land on the manifold and "
        "freeze; normalized GD and GD on sqrt(L) hop across it at the edge of stability and slide "
        "to the flattest minimiser y = 0 (the qualitative claim of Arora, Li, Panigrahi 2022's "
        "abstract; the toy and the rates are theorysim's own).")


_CAPTION = _caption()


@register("flat_valley", paper="arora2022",
          title="Edge of stability on a flat valley: normalized GD and GD on sqrt(L) find the flattest minimiser",
          caption=_CAPTION, methods=eos_methods)
def flat_valley_figure(quick=False):
    """Four panels: sharpness, effective sharpness, amplitude, loss."""
    import matplotlib.pyplot as plt

    apply()
    data = eos_data()
    fig, axes = plt.subplots(2, 2, figsize=(11.0, 7.6), constrained_layout=True)
    (a, b), (c, d) = axes
    for m, dd in data.items():
        kw = dict(color=_COLOR[m], label=LABELS[m], lw=1.2)
        a.plot(dd["k"], dd["sharp"], **kw)
        b.plot(dd["k"][:-1], dd["h"][:-1] * dd["sharp"][:-1], **(kw | {"lw": 0.6}))
        c.plot(dd["k"], np.maximum(dd["ax"], 1e-20), **kw)
        d.plot(dd["k"], np.maximum(dd["L"], 1e-300), **kw)
    k, ps, pn = predicted_sharpness(data)
    a.plot(k, ps, "k--", lw=1.0, label=r"drift rate, GD on $\sqrt{L}$ (ours)")
    a.plot(k, pn, "k:", lw=1.2, label="drift rate, normalized GD (ours)")
    a.axhline(1.0, color=COLORS["bound"], lw=0.8)
    a.set_ylabel(r"sharpness $\lambda_1(\nabla^2L)$")
    a.set_title("(a) sharpness")
    b.axhline(2.0, color="k", ls="--", lw=1.0, label=r"stability edge $h\lambda_1=2$", zorder=0)
    b.set_yscale("log")
    b.set_ylim(0.05, 20)
    b.set_ylabel(r"$h_k\lambda_1(\nabla^2L(x_k))$")
    b.set_title("(b) effective sharpness")
    c.axhline(ETA / 2, color="k", ls="--", lw=1.0, label=r"$\eta/2$")
    c.set_yscale("log")
    c.set_ylim(1e-4, 2)
    c.set_ylabel(r"$|x_k|$")
    c.set_title("(c) oscillation amplitude")
    d.set_yscale("log")
    d.set_ylim(1e-8, 10)
    d.set_ylabel(r"$L(x_k)$")
    d.set_title("(d) loss")
    for ax in (a, b, c, d):
        ax.set_xlabel("iteration k")
        ax.legend(fontsize=7.5)
    return fig
