r"""``theorysim page``: one self-contained, offline HTML lecture page with three interactive panels.

Everything the page shows is computed here, at generation time, by the public API (``ts.sweep``,
``ts.run``, :mod:`theorysim.diagnostics`, :mod:`theorysim.theory`) and written inline into the
page as JSON, next to a plain-JavaScript canvas renderer (``template.html``, package data): no
server, no CDN, no external library.  A slider only picks a precomputed grid point, so a redraw is
a few canvas calls (the page times each redraw and shows it).

Panels:

* **Zhang et al. 2020** (ICLR, arXiv 1905.11881): GD :math:`x_{k+1}=x_k-\eta\nabla f(x_k)`,
  clipped GD :math:`h_k=\min\{\eta,\gamma\eta/\|\nabla f(x_k)\|\}` (eq. 5) and normalized GD
  :math:`h_k=\eta_n/(\|\nabla f(x_k)\|+\beta)` (Sec. 3.1), matched to the clipped step by
  :math:`\eta_n=\gamma\eta`, :math:`\beta=\gamma` (the paper's matching, Sec. 3.1), on :math:`f(x)=\cosh x`
  (:math:`(L_0,L_1)=(1,1)`) from :math:`x_0=\operatorname{asinh}M`, i.e.
  :math:`|f'(x_0)|=M`; sliders for :math:`M,\eta,\gamma`; curves
  :math:`\|\nabla f(x_k)\|` and the first :math:`k` with :math:`\|\nabla f(x_k)\|\le\epsilon`.
  The objective and the grids are ours; the step rules are the paper's.
* **Reddi et al. 2018** (ICLR, Sec. 3): where Adam (no bias correction, no :math:`\epsilon`,
  :math:`\alpha_t=\alpha/\sqrt t`) goes on :math:`f_t=Cx` (:math:`t\bmod3=1`), :math:`-x`
  otherwise, over :math:`(\beta_2,C)` for each :math:`\beta_1` of the slider
  (:func:`theorysim.figures.reddi2018.divergence_map_data`, batched sweeps), with the curve
  :math:`F(\beta_1,\beta_2,C)=0` of :func:`theorysim.theory.reddi2018.drift` on top; sliders for
  :math:`\beta_1,\beta_2,C` show :math:`x_t` of Adam and AMSGrad (Algorithm 2).
* **Chen et al. 2019** (ICLR): the monitor's :math:`A(T)/S(T)` and :math:`B(T)/S(T)`
  (:func:`theorysim.diagnostics.chen_quantities`) and the verdict
  (:func:`theorysim.diagnostics.chen_verdict`) for the Adam-type presets on Reddi's problem
  (C = 3) and theorysim's ``sign_split``, chosen from a menu.

>>> from theorysim.page import write
>>> path = write("lecture")          # doctest: +SKIP
"""
from __future__ import annotations

import base64
import json
import math
import time
from importlib import resources
from pathlib import Path

import numpy as np

from .. import __version__
from .. import diagnostics as _diag
from .. import methods as _methods
from .. import objectives as _objectives
from ..engine import run, sweep

#: the file ``write`` creates inside its output folder
FILENAME = "theorysim-lecture.html"

# ---------------------------------------------------------------------------------------------
# grids (full, quick)
# ---------------------------------------------------------------------------------------------
#: Zhang panel: initial gradient norms M, steps eta, clipping thresholds gamma
ZHANG_M = (np.array([3.0, 10.0, 30.0, 100.0, 300.0, 1e3, 3e3, 1e4]), np.array([10.0, 1e3]))
ZHANG_ETA = (np.logspace(-3.0, 0.0, 13), np.array([0.01, 0.1, 1.0]))
ZHANG_GAMMA = (np.logspace(-1.0, 1.0, 7), np.array([0.1, 1.0]))
#: tolerance on |f'(x)| and the step budget (full, quick)
ZHANG_EPS = 1e-2
ZHANG_STEPS = (20_000, 4_000)
#: Reddi panel: slider grid of the x_t curves (beta1 is also the map's slice)
REDDI_BETA2 = (np.array([0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99]),
               np.array([0.1, 0.5, 0.9]))
REDDI_C = (np.array([2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0, 20.0]), np.array([3.0, 10.0]))
#: Chen panel: monitored steps (full, quick), seed of the stochastic problem
CHEN_STEPS = (100_000, 10_000)
CHEN_SEED = 0
CHEN_PROBLEMS = {
    "reddi_c3": "Reddi et al.'s Sec. 3 problem, C = 3 (online, on [-1, 1]), alpha_t = 0.1/sqrt(t)",
    "sign_split": "theorysim's sign_split finite sum (c = (10, -0.5 x 10), x0 = 2, seed 0), "
                  "alpha_t = 1/sqrt(t)",
}


def _q(quick):
    return int(bool(quick))


# ---------------------------------------------------------------------------------------------
# compact encodings for the page
# ---------------------------------------------------------------------------------------------
def _int16_b64(a):
    """Little-endian int16 array as base64 text (the page decodes it with a DataView)."""
    return base64.b64encode(np.ascontiguousarray(a, dtype="<i2").tobytes()).decode("ascii")


def encode_log10(a):
    r"""Curves of positive numbers as int16 :math:`\mathrm{round}(1000\log_{10}a)` (clipped to
    :math:`\pm32.767` decades); NaN (not recorded: after the hit or the divergence) is -32768."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.round(1000.0 * np.log10(np.abs(a)))
    q = np.clip(np.nan_to_num(q, nan=-32768.0, neginf=-32767.0, posinf=32767.0), -32767, 32767)
    q[np.isnan(a)] = -32768
    return _int16_b64(q)


def encode_unit(a):
    """Values in [-1, 1] as int16 round(30000 a) (resolution 3.3e-5); NaN is -32768."""
    a = np.asarray(a, dtype=float)
    q = np.clip(np.round(30000.0 * np.nan_to_num(a, nan=0.0)), -32767, 32767)
    q[np.isnan(a)] = -32768
    return _int16_b64(q)


def _sig(a, digits=4):
    """Nested lists of floats rounded to ``digits`` significant digits (NaN/inf -> None)."""
    a = np.asarray(a, dtype=float)
    out = [float(f"{v:.{digits}g}") if np.isfinite(v) else None for v in a.ravel()]
    return np.array(out, dtype=object).reshape(a.shape).tolist()


def _spliced(obj, builder, grid, fixed, tiers, **kw):
    """``ts.sweep`` at several cadences ``tiers = [(steps, record_every), ...]`` (increasing
    steps) spliced into one recording that is fine early and coarse late (for log time axes);
    deterministic runs, so a short run is exactly the start of a long one.  Returns the last
    (full) ``SweepResult`` and ``(iteration, grad_norm, loss)`` spliced along the last axis."""
    its, gns, losses, last = [], [], [], -1
    for steps, rec in tiers:
        res = sweep(obj, builder, grid, steps=steps, fixed=fixed, record_every=rec, **kw)
        keep = res.iteration > last
        its.append(res.iteration[keep])
        gns.append(res.grad_norm[..., keep])
        losses.append(res.loss[..., keep])
        last = res.iteration[-1]
    return res, np.concatenate(its), np.concatenate(gns, axis=-1), np.concatenate(losses, axis=-1)


# ---------------------------------------------------------------------------------------------
# panel data
# ---------------------------------------------------------------------------------------------
def zhang_start(M):
    r"""Start on :math:`\cosh` with :math:`|f'(x_0)|=\sinh x_0=M`: :math:`x_0=\operatorname{asinh}M`."""
    return float(np.arcsinh(M))


def zhang_methods(eta, gamma):
    r"""The three step rules at one slider point: GD (:math:`\eta`), clipped GD
    (:math:`\eta,\gamma`; Zhang et al. 2020 eq. 5) and normalized GD matched to it
    (:math:`\eta_n=\gamma\eta`, :math:`\beta=\gamma`; Sec. 3.1)."""
    return {"gd": _methods.gd(eta), "clipped_gd": _methods.clipped_gd(eta, gamma),
            "normalized_gd": _methods.normalized_gd(gamma * eta, gamma)}


def zhang_data(quick=False):
    r"""Iteration counts and :math:`\|\nabla f(x_k)\|` curves of GD, clipped GD and normalized GD
    on :math:`\cosh x` over the (M, eta, gamma) grid, by batched sweeps (stop at :math:`\epsilon`).

    Counts: first k with :math:`|f'(x_k)|\le\epsilon` (``-1``: not within the budget), and the
    iteration of divergence (``-1``: none).  Array shapes: GD ``(nM, neta)``, the others
    ``(nM, neta, ngamma)``."""
    q = _q(quick)
    Ms, etas, gammas, steps = ZHANG_M[q], ZHANG_ETA[q], ZHANG_GAMMA[q], ZHANG_STEPS[q]
    obj = _objectives.get("cosh")
    starts = np.array([[zhang_start(M)] for M in Ms])
    tiers = [(100, 2), (min(2000, steps), 40 if steps > 2000 else 20), (steps, max(1, steps // 50))]
    kw = dict(tol=ZHANG_EPS, stop_at_tol=True)
    out = dict(M=Ms.tolist(), eta=etas.tolist(), gamma=gammas.tolist(), eps=ZHANG_EPS, steps=steps,
               objective="cosh", count={}, diverged={}, curves={})

    def store(name, fh, da, it, gn):
        gn = gn.copy()
        # a retired (hit) or diverged run records nothing useful after its end
        gn[(fh[..., None] >= 0) & (it > fh[..., None])] = np.nan
        gn[(da[..., None] >= 0) & (it >= da[..., None])] = np.nan
        out["count"][name] = fh.tolist()
        out["diverged"][name] = da.tolist()
        out["curves"][name] = encode_log10(gn)
        out["T"] = it.tolist()

    res, it, gn, _ = _spliced(obj, _methods.gd, {"x0": starts, "eta": etas}, {}, tiers, **kw)
    store("gd", res.first_hit, res.diverged_at, it, gn)
    res, it, gn, _ = _spliced(obj, _methods.clipped_gd, {"x0": starts, "eta": etas, "gamma": gammas},
                              {}, tiers, **kw)
    store("clipped_gd", res.first_hit, res.diverged_at, it, gn)
    # normalized GD matched to clipped GD: eta_n = gamma * eta is not a product grid, so one
    # sweep per gamma (beta = gamma fixed), stacked on a last gamma axis
    parts = [_spliced(obj, _methods.normalized_gd, {"x0": starts, "eta": g * etas}, {"beta": g},
                      tiers, **kw) for g in gammas]
    fh = np.stack([p[0].first_hit for p in parts], axis=-1)
    da = np.stack([p[0].diverged_at for p in parts], axis=-1)
    gn = np.stack([p[2] for p in parts], axis=2)
    store("normalized_gd", fh, da, parts[0][1], gn)
    return out


def reddi_methods(beta1, beta2, alpha):
    r"""Adam as analysed by Reddi et al. 2018 (eq. 1: no bias correction, no :math:`\epsilon`) and
    AMSGrad (Algorithm 2), both with :math:`\alpha_t=\alpha/\sqrt t`."""
    return {"adam": _methods.adam(alpha, beta1=beta1, beta2=beta2, eps=0.0, bias_correction=False,
                                  schedule="inverse_sqrt"),
            "amsgrad": _methods.amsgrad(alpha, beta1=beta1, beta2=beta2, schedule="inverse_sqrt")}


def reddi_data(quick=False):
    r"""The (beta2, C) map of Adam's final iterate per beta1 (batched sweeps), the sympy boundary
    :math:`F=0` per beta1, and the slider grid's :math:`x_t` curves of Adam and AMSGrad.

    The runs take ``steps`` (a multiple of 3) updates from :math:`x_1=0`; every recorded row is
    at a kernel iteration k with :math:`k\equiv0\pmod3`, where the recorded loss is
    :math:`Cx`, so :math:`x=\text{loss}/C` (row k holds the paper's :math:`x_{k+1}`)."""
    from ..figures import reddi2018 as fig

    q = _q(quick)
    t0 = time.perf_counter()
    mp = fig.divergence_map_data(quick=quick)
    b1s, b2s, Cs = mp["beta1"], REDDI_BETA2[q], REDDI_C[q]
    steps, alpha = mp["steps"], mp["alpha"]
    lo_b2, hi_b2 = float(mp["beta2"][0]), float(mp["beta2"][-1])
    lo_C, hi_C = float(mp["C"][0]), float(mp["C"][-1])
    boundary = [[_sig(seg, 5) for seg in fig.drift_boundary(b1, (lo_b2, hi_b2), (lo_C, hi_C))]
                for b1 in b1s]
    tiers = [(300, 6), (steps, max(3, 3 * (steps // 150)))]
    x, curves, finals = {}, {}, {}
    builders = {"adam": (_methods.adam, dict(eps=0.0, bias_correction=False)),
                "amsgrad": (_methods.amsgrad, {})}
    for name, (builder, extra) in builders.items():
        per_C = []
        for C in Cs:
            obj = _objectives.get("linear_online", a=float(C), b=-1.0, period=3)
            fixed = dict(alpha=alpha, schedule="inverse_sqrt", **extra)
            res, it, _, loss = _spliced(obj, builder, {"beta1": b1s, "beta2": b2s}, fixed, tiers)
            per_C.append(loss / C)
        x[name] = np.stack(per_C, axis=2)  # (beta1, beta2, C, rows)
        curves[name] = encode_unit(x[name])
        finals[name] = x[name][..., -1].tolist()
    F = fig.drift_function()(b1s[:, None, None], b2s[None, :, None], Cs[None, None, :])
    return dict(
        map=dict(beta1=b1s.tolist(), beta2=mp["beta2"].tolist(), C=mp["C"].tolist(),
                 x=_sig(mp["x_final"], 4), boundary=boundary),
        beta1=b1s.tolist(), beta2=b2s.tolist(), C=Cs.tolist(), steps=steps, alpha=alpha,
        T=(it + 1).tolist(), curves=curves, x_final=finals,
        F=np.asarray(F, dtype=float).tolist(), seconds=time.perf_counter() - t0)


def chen_problem(problem):
    r"""``(objective, run keywords, alpha, beta2)`` of a Chen panel problem (see
    :data:`CHEN_PROBLEMS`)."""
    if problem == "reddi_c3":
        return _objectives.get("linear_online", a=3.0, b=-1.0, period=3), {}, 0.1, 0.1
    if problem == "sign_split":
        return _objectives.get("sign_split"), dict(seed=CHEN_SEED), 1.0, 0.0
    raise ValueError(f"problem must be one of {', '.join(CHEN_PROBLEMS)}, got {problem!r}")


def chen_presets(alpha, beta2):
    r"""The Adam-type presets of the Chen panel, all with :math:`\alpha_t=\alpha/\sqrt t`
    (Chen et al. 2019's members: SGD, momentum, AdaGrad, RMSProp, Adam, AMSGrad, AdaFom).
    Adam is the analysed form (:math:`\beta_1=0`, ``beta2``, no bias correction, no
    :math:`\epsilon`), AMSGrad the same betas; RMSProp takes :math:`\beta_2=0.9`."""
    s = "inverse_sqrt"
    return {
        "sgd": ("SGD", _methods.sgd(alpha, schedule=s)),
        "momentum": ("momentum (beta1 = 0.9)", _methods.momentum(alpha, beta1=0.9, schedule=s)),
        "adagrad": ("AdaGrad", _methods.adagrad(alpha, schedule=s)),
        "rmsprop": ("RMSProp (beta2 = 0.9)", _methods.rmsprop(alpha, beta2=0.9, schedule=s)),
        "adam": (f"Adam (beta1 = 0, beta2 = {beta2:g}, analysed form)",
                 _methods.adam(alpha, beta1=0.0, beta2=beta2, eps=0.0, bias_correction=False,
                               schedule=s)),
        "amsgrad": (f"AMSGrad (beta1 = 0, beta2 = {beta2:g})",
                    _methods.amsgrad(alpha, beta1=0.0, beta2=beta2, schedule=s)),
        "adafom": ("AdaFom (beta1 = 0.9)", _methods.adafom(alpha, beta1=0.9, schedule=s)),
    }


def _log_rows(T, k=160):
    """About ``k`` row indices of the increasing array ``T`` spread evenly in log T."""
    T = np.asarray(T, dtype=float)
    grid = np.logspace(0.0, math.log10(max(T[-1], 1.0)), k)
    idx = np.clip(np.searchsorted(T, grid), 0, len(T) - 1)
    return np.unique(np.concatenate([idx, [len(T) - 1]]))


def chen_data(quick=False):
    r"""Monitored runs (``ts.run(..., monitor=True)``) of every preset on every problem:
    :math:`A/S`, :math:`B/S` curves (log-sampled), the verdict of
    :func:`~theorysim.diagnostics.chen_verdict` and the final iterate."""
    steps = CHEN_STEPS[_q(quick)]
    head_steps = min(steps, 1000)
    out = dict(steps=steps, problems={})
    for problem, label in CHEN_PROBLEMS.items():
        obj, kw, alpha, beta2 = chen_problem(problem)
        presets = {}
        for name, (plabel, m) in chen_presets(alpha, beta2).items():
            head = run(obj, m, steps=head_steps, record_every=1, monitor=True, **kw)
            tr = run(obj, m, steps=steps, record_every=max(1, steps // 2000), monitor=True, **kw)
            qh, qt = _diag.chen_quantities(head), _diag.chen_quantities(tr)
            later = qt["T"] > qh["T"][-1]
            T = np.concatenate([qh["T"], qt["T"][later]])
            AS = np.concatenate([qh["A/S"], qt["A/S"][later]])
            BS = np.concatenate([qh["B/S"], qt["B/S"][later]])
            rows = _log_rows(T)
            v = _diag.chen_verdict(tr)
            presets[name] = dict(label=plabel, T=T[rows].tolist(), AS=_sig(AS[rows]),
                                 BS=_sig(BS[rows]), verdict=v.verdict, variance_ok=bool(v.variance_ok),
                                 bias_ok=bool(v.bias_ok), slope_A=v.slope_A, slope_B=v.slope_B,
                                 ratio_A=v.ratio_A, ratio_B=v.ratio_B,
                                 x_end=float(tr.x[-1, 0]), hyper=dict(m.hyper), method=m.name)
        out["problems"][problem] = dict(label=label, presets=presets)
    return out


# ---------------------------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------------------------
def build(quick=False, progress=None):
    """All the page's data (a JSON-ready dict); ``progress(text)`` is told about each panel."""
    say = progress or (lambda text: None)
    data = dict(meta=dict(version=__version__, quick=bool(quick)))
    for key, fn in (("zhang", zhang_data), ("reddi", reddi_data), ("chen", chen_data)):
        t = time.perf_counter()
        data[key] = fn(quick=quick)
        data[key].pop("seconds", None)
        say(f"{key}: {time.perf_counter() - t:.1f} s")
    return data


def _json(data):
    """Strict JSON (NaN -> null), safe inside a <script> element."""
    def clean(o):
        if isinstance(o, float):
            return o if math.isfinite(o) else None
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(v) for v in o]
        if isinstance(o, np.generic):
            return clean(o.item())
        return o

    text = json.dumps(clean(data), separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/")


def render_html(data):
    """The page: ``template.html`` with the data inlined."""
    template = resources.files(__name__).joinpath("template.html").read_text(encoding="utf-8")
    if template.count("/*__DATA__*/null") != 1:  # pragma: no cover - a broken install
        raise RuntimeError("theorysim/page/template.html lacks its data placeholder")
    return template.replace("/*__DATA__*/null", _json(data))


def output_path(out):
    """Validate ``out`` (a folder, created if missing) and return ``out / FILENAME``.

    Raises ValueError naming ``out`` when it is an existing file, or cannot be created or
    written."""
    if not isinstance(out, (str, Path)) or str(out) == "":
        raise TypeError(f"out must be a folder path (str or Path), got {out!r}")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"out={str(out)!r} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"out={str(out)!r}: cannot create the folder ({exc.strerror})") from None
    target = folder / FILENAME
    if target.exists() and target.is_dir():
        raise ValueError(f"out={str(out)!r}: {FILENAME} there is a folder")
    return target


def write(out=".", quick=False, progress=None) -> Path:
    """Compute the data and write ``out/theorysim-lecture.html``; return its path."""
    target = output_path(out)
    html = render_html(build(quick=quick, progress=progress))
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"out={str(out)!r}: cannot write {FILENAME} ({exc.strerror})") from None
    return target


# ---------------------------------------------------------------------------------------------
# a real browser (optional: playwright from PyPI, driving an installed Chromium)
# ---------------------------------------------------------------------------------------------
#: where a system Chromium is looked for (Debian's package first)
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


def find_chromium():
    """Path of an installed Chromium, or ``None``."""
    import shutil

    for p in CHROMIUM_PATHS:
        if Path(p).exists():
            return p
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_browser(playwright, user_data_dir):
    """A headless Chromium context (a fresh profile in ``user_data_dir``) from a started
    ``playwright.sync_api.sync_playwright()``; raises RuntimeError when no Chromium is found."""
    exe = find_chromium()
    if exe is None:
        raise RuntimeError(f"no Chromium found (looked for {', '.join(CHROMIUM_PATHS)})")
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=exe, headless=True, args=list(CHROMIUM_ARGS),
        viewport={"width": 1280, "height": 900})


def screenshot(html_path, png_path, full_page=True):
    """Open ``html_path`` from a file:// URL in headless Chromium and save a PNG screenshot."""
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as prof, sync_playwright() as pw:
        ctx = launch_browser(pw, prof)
        try:
            page = ctx.new_page()
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_function("window.__ready === true")
            page.screenshot(path=str(png_path), full_page=full_page)
        finally:
            ctx.close()
    return Path(png_path)


__all__ = ["write", "build", "render_html", "output_path", "zhang_data", "reddi_data", "chen_data",
           "zhang_methods", "zhang_start", "reddi_methods", "chen_problem", "chen_presets",
           "encode_log10", "encode_unit", "find_chromium", "launch_browser", "screenshot",
           "FILENAME"]
