"""Plain-Python reference implementations: slow, obvious, written from the papers' formulas.

Every compiled kernel is tested against these.  Nothing here is shared with the package's
kernels: objectives are re-derived in NumPy, and the update follows Zhang et al. (2020, Sec. 3.1)
literally, one run at a time.
"""
from __future__ import annotations

import math

import numpy as np

DIVERGED_GRAD, DIVERGED_LOSS = "grad", "loss"


# -- objectives: (value, gradient) at one point --------------------------------------------
def value_grad(name, params, x):
    x = np.asarray(x, dtype=float)
    if name == "quadratic":
        lam = np.asarray(params)
        return 0.5 * float(np.sum(lam * x * x)), lam * x
    if name == "power":
        c, p = params
        # (sqrt(c/p) |x|^(p/2))^2 stays finite wherever (c/p)|x|^p is representable
        f = float(np.sum((math.sqrt(c / p) * np.abs(x) ** (p / 2)) ** 2))
        return f, c * np.sign(x) * np.abs(x) ** (p - 1)
    if name == "cosh":
        a, s = params
        return a / s**2 * float(np.sum(np.cosh(s * x))), a / s * np.sinh(s * x)
    if name == "ramp_wall":
        L0, L1, s, delta = params
        u, z = x[0] / delta, L1 * x[1]
        f = s * delta * math.log(math.cosh(u)) if abs(u) < 300 else s * delta * (abs(u) - math.log(2))
        f += L0 / L1**2 * (math.cosh(z) - 1.0)
        return f, np.array([s * math.tanh(u), L0 / L1 * math.sinh(z)])
    if name == "separable_quartic":
        d = len(x)
        a, b = np.asarray(params[:d]), np.asarray(params[d:])
        return float(np.sum(a * x**4 / 4 + b * x**2 / 2)), a * x**3 + b * x
    raise KeyError(name)


def norm(g):
    """Euclidean norm summed in index order (as the kernel does); hypot only on overflow."""
    if len(g) == 1:
        return abs(float(g[0]))
    s = 0.0
    for gi in g:
        s += gi * gi
    r = math.sqrt(s)
    return r if math.isfinite(r) or not np.all(np.isfinite(g)) else math.hypot(*g)


# -- methods ------------------------------------------------------------------------------
def schedule(kind, t, values=None):
    """sigma_t for t = 0, 1, ..."""
    return {"constant": 1.0, "inverse_sqrt": 1.0 / math.sqrt(t + 1), "inverse": 1.0 / (t + 1),
            "array": None}[kind] if kind != "array" else values[t]


def step_size(method, hyper, eta_t, gn):
    """Zhang et al. 2020, Sec. 3.1: GD, clipped GD (eq. 5), normalized GD (eq. 6)."""
    if method == "gd":
        return eta_t
    if method == "clipped_gd":
        return min(eta_t, hyper["gamma"] * eta_t / gn) if gn > 0 else eta_t
    if method == "normalized_gd":
        den = gn + hyper["beta"]
        return eta_t / den if den > 0 else 0.0
    raise KeyError(method)


def run(name, params, method, hyper, x0, steps, schedule_kind="constant", values=None, tol=None):
    """One run; returns a dict of per-iteration lists and the divergence info."""
    x = np.array(x0, dtype=float)
    out = {"loss": [], "grad_norm": [], "step_size": [], "x": [], "diverged_at": None,
           "reason": None, "first_hit": -1}
    for t in range(steps + 1):
        with np.errstate(all="ignore"):
            f, g = value_grad(name, params, x)
            gn = norm(g)
        out["loss"].append(f)
        out["grad_norm"].append(gn)
        out["x"].append(x.copy())
        if not math.isfinite(gn):
            out["diverged_at"], out["reason"] = t, DIVERGED_GRAD
            out["step_size"].append(math.nan)
            break
        if not math.isfinite(f):
            out["diverged_at"], out["reason"] = t, DIVERGED_LOSS
            out["step_size"].append(math.nan)
            break
        if tol is not None and out["first_hit"] < 0 and gn <= tol:
            out["first_hit"] = t
        if t == steps:
            out["step_size"].append(math.nan)
            break
        h = step_size(method, hyper, hyper["eta"] * schedule(schedule_kind, t, values), gn)
        out["step_size"].append(h)
        x = x - h * g
    return {k: (np.array(v) if isinstance(v, list) else v) for k, v in out.items()}


# -- Adam-type family (Chen et al. 2019, Alg. 1; flags as in theorysim.methods.adam_type) -----
def adam_type_run(name, params, cfg, x0, steps, schedule_kind="constant", box=None):
    """One deterministic run of the generic Adam-type update; cfg holds the builder's arguments.

    Returns per-iteration lists plus Chen et al.'s accumulated quantities after each update:
    S = sum_t min_i a_{t,i}, A = sum_t ||a_t * g_t||^2, B = sum_{t>=1} ||a_t - a_{t-1}||_1,
    B2 = sum_{t>=1} ||a_t - a_{t-1}||^2, with a_{t,i} the effective step of coordinate i."""
    x = np.array(x0, dtype=float)
    d = x.size
    m, v, vh = np.zeros(d), np.zeros(d), np.zeros(d)
    a_prev = None
    S = A = Bq = B2 = 0.0
    out = {"x": [], "loss": [], "S": [], "A": [], "B": [], "B2": []}
    b1, b2, eps = cfg.get("beta1", 0.0), cfg.get("beta2", 0.0), cfg.get("eps", 0.0)
    for t in range(steps + 1):
        f, gt = value_grad(name, params, x)
        out["x"].append(x.copy())
        out["loss"].append(f)
        for k, val in zip(("S", "A", "B", "B2"), (S, A, Bq, B2)):
            out[k].append(val)
        if t == steps:
            break
        eta = cfg["alpha"] * schedule(schedule_kind, t)
        gn = norm(gt)
        if cfg.get("clip") is not None:
            c = min(1.0, cfg["clip"] / (gn + cfg.get("clip_delta", 0.0)))
        elif cfg.get("normalize") is not None:
            den = gn + cfg["normalize"]
            c = 1.0 / den if den > 0 else 0.0
        else:
            c = 1.0
        g = c * gt
        b1t = b1 * cfg["beta1_decay"] ** t if cfg.get("beta1_decay") is not None else b1
        m = b1t * m + (1.0 - b1t) * g
        rule = cfg.get("v_rule", "ema")
        if rule == "ema":
            v = b2 * v + (1.0 - b2) * (g * g)
        elif rule == "mean":
            k = t + 1.0
            v = (1.0 - 1.0 / k) * v + (g * g) / k
        elif rule == "ema_momentum":
            v = b2 * v + (1.0 - b2) * (m * m)
        else:
            v = np.ones(d)
        bias = cfg.get("bias_correction", False)
        mh = m / (1.0 - b1 ** (t + 1.0)) if bias else m
        bc2 = 1.0 - b2 ** (t + 1.0) if bias else 1.0
        if cfg.get("amsgrad", False):
            if cfg.get("amsgrad_after_bias", False):
                vh = np.maximum(vh, v / bc2)
                vu = vh
            else:
                vh = np.maximum(vh, v)
                vu = vh / bc2
        else:
            vu = v / bc2
        den = np.sqrt(vu + eps) if cfg.get("eps_inside", False) else np.sqrt(vu) + eps
        a = eta / den
        step = eta * np.sign(mh) if cfg.get("sign", False) else eta * (mh / den)
        x = x - step
        if box is not None:
            x = np.clip(x, box[0], box[1])
        S += float(np.min(a))
        A += float(np.sum((a * g) ** 2))
        if a_prev is not None:
            Bq += float(np.sum(np.abs(a - a_prev)))
            B2 += float(np.sum((a - a_prev) ** 2))
        a_prev = a
    return {k: np.array(v) for k, v in out.items()}
