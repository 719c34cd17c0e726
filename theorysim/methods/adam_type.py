r"""The Adam-type family of Chen, Liu, Sun, Hong (ICLR 2019) as presets of one kernel.

The generic update below is the paper's class as relayed by a secondary source (a blog summary;
only the paper's abstract could be read): the numbering of the paper's algorithm box and the
section that lists the members are unconfirmed, so they are not cited here.

.. math::
   m_t=\beta_{1,t}m_{t-1}+(1-\beta_{1,t})\,\tilde g_t,\qquad
   \hat v_t=h_t(\tilde g_1,\dots,\tilde g_t),\qquad
   x_{t+1}=\Pi_{\mathcal F}\Big(x_t-\alpha_t\,\frac{m_t}{\sqrt{\hat v_t}}\Big),

coordinate-wise, with :math:`m_0=v_0=0`, :math:`\alpha_t=\alpha\,\sigma_t` (schedule), and
:math:`\tilde g_t=c_t\,g_t` the gradient after the optional global-norm transform
(``clip``: :math:`c_t=\min\{1,\gamma/(\|g_t\|+\delta)\}`; ``normalize``:
:math:`c_t=1/(\|g_t\|+\beta)`).  The second-moment rule ``v_rule`` is

* ``"one"``:  :math:`\hat v_t=1` (SGD, momentum SGD);
* ``"ema"``:  :math:`v_t=\beta_2v_{t-1}+(1-\beta_2)\tilde g_t^2` (RMSProp, Adam, AMSGrad);
* ``"mean"``: :math:`v_t=(1-\tfrac1t)v_{t-1}+\tfrac1t\tilde g_t^2=\tfrac1t\sum_{i\le t}\tilde g_i^2`
  (AdaGrad, AdaFom);
* ``"ema_momentum"``: :math:`v_t=\beta_2v_{t-1}+(1-\beta_2)m_t^2` (generalized signSGD,
  Crawshaw et al. 2022).

Options that libraries disagree on are explicit flags, never silent choices:

* ``bias_correction``: :math:`\hat m_t=m_t/(1-\beta_1^t)`, :math:`v_t/(1-\beta_2^t)` (Kingma & Ba
  2015, Alg. 1); off in the analysed forms of Reddi et al. 2018 and Chen et al. 2019.
* ``eps_inside``: denominator :math:`\sqrt{\hat v_t+\epsilon}` (Reddi et al. 2018, eq. 3) instead of
  :math:`\sqrt{\hat v_t}+\epsilon` (Kingma & Ba; PyTorch; optax).
* ``amsgrad``: :math:`\hat v_t=\max(\hat v_{t-1},v_t)` (Reddi et al. 2018, Alg. 2);
  ``amsgrad_after_bias=True`` takes the max of the bias-corrected :math:`v_t` (optax) instead of
  the raw one (PyTorch: max of raw :math:`v_t`, then bias-correct).
* ``clip_delta``: PyTorch's ``clip_grad_norm_`` divides by :math:`\|g\|+10^{-6}`; default 0.
* ``sign``: step :math:`\alpha_t\,\mathrm{sign}(\hat m_t)` (signSGD, Signum).

A coordinate whose gradient history is all zero with :math:`\epsilon=0` has :math:`m=v=0`;
it takes a zero step (not :math:`0/0`).

The *effective step* of coordinate i is :math:`a_{t,i}=\alpha_t/\sqrt{\hat v_{t,i}}` (with
:math:`\epsilon` as configured); :mod:`theorysim.diagnostics` accumulates Chen et al.'s three
quantities from it.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._jit import inner
from ._base import boolean, in_unit_interval, make, nonnegative, positive

#: second-moment rules ``v_rule`` (module docstring) and gradient transforms, as read by the kernel
V_RULES = {"one": 0, "ema": 1, "mean": 2, "ema_momentum": 3}
_V_ONE, _V_EMA, _V_MEAN, _V_EMA_MOMENTUM = 0, 1, 2, 3
_PLAIN, _CLIP, _NORMALIZE = 0, 1, 2


class Hyper(NamedTuple):
    alpha: np.ndarray  #: base step :math:`\alpha`
    beta1: np.ndarray  #: momentum :math:`\beta_1`
    beta2: np.ndarray  #: second-moment decay :math:`\beta_2`
    eps: np.ndarray  #: :math:`\epsilon`
    clip: np.ndarray  #: clipping threshold :math:`\gamma` (``transform`` = clip)
    clip_delta: np.ndarray  #: :math:`\delta` in :math:`\min\{1,\gamma/(\|g\|+\delta)\}`
    normalize: np.ndarray  #: :math:`\beta` in :math:`g/(\|g\|+\beta)` (``transform`` = normalize)
    beta1_decay: np.ndarray  #: :math:`\lambda` in :math:`\beta_{1,t}=\beta_1\lambda^{t-1}`


class Options(NamedTuple):
    v_rule: int  #: index in :data:`V_RULES`
    amsgrad: bool
    bias_correction: bool
    eps_inside: bool
    amsgrad_after_bias: bool
    sign: bool
    transform: int  #: 0 plain, 1 clip, 2 normalize
    geometric_beta1: bool  #: use ``beta1_decay``


class State(NamedTuple):
    m: np.ndarray  #: first moment, (d, B)
    v: np.ndarray  #: second moment, (d, B)
    vhat: np.ndarray  #: running max of v (AMSGrad), (d, B)


def init(X):
    return State(np.zeros_like(X), np.zeros_like(X), np.zeros_like(X))


@inner
def update(t, j, s, X, G, gn, hp, op, st, aeff, monitor):
    r"""One Adam-type step for run j (module docstring); returns :math:`\alpha_tc_t`."""
    eta = s * hp.alpha[j]
    c = 1.0
    if op.transform == _CLIP:
        c = min(1.0, hp.clip[j] / (gn + hp.clip_delta[j]))
    elif op.transform == _NORMALIZE:
        den = gn + hp.normalize[j]
        c = 1.0 / den if den > 0.0 else 0.0
    b1 = hp.beta1[j]
    b2 = hp.beta2[j]
    eps = hp.eps[j]
    b1t = b1 * hp.beta1_decay[j] ** t if op.geometric_beta1 else b1
    bias = op.bias_correction
    bc1 = 1.0 - b1 ** (t + 1.0) if bias else 1.0
    bc2 = 1.0 - b2 ** (t + 1.0) if bias else 1.0
    k = t + 1.0
    vrule = op.v_rule
    M = st.m
    V = st.v
    VH = st.vhat
    if vrule == _V_EMA and not (op.amsgrad or op.sign or op.eps_inside or monitor):
        # Adam/RMSProp as usually run: the same arithmetic without the loop's switches, so LLVM
        # vectorises it (x / 1.0 is x exactly: bc1 = bc2 = 1 without bias correction)
        for i in range(X.shape[0]):
            g = c * G[i, j]
            m = b1t * M[i, j] + (1.0 - b1t) * g
            v = b2 * V[i, j] + (1.0 - b2) * (g * g)
            mh = m / bc1
            den = np.sqrt(v / bc2) + eps
            M[i, j] = m
            V[i, j] = v
            X[i, j] -= eta * (mh / den) if mh != 0.0 else 0.0
        return eta * c
    for i in range(X.shape[0]):
        g = c * G[i, j]
        m = b1t * M[i, j] + (1.0 - b1t) * g
        if vrule == _V_EMA:
            v = b2 * V[i, j] + (1.0 - b2) * (g * g)
        elif vrule == _V_MEAN:
            v = (1.0 - 1.0 / k) * V[i, j] + (g * g) / k
        elif vrule == _V_EMA_MOMENTUM:
            v = b2 * V[i, j] + (1.0 - b2) * (m * m)
        else:
            v = 1.0
        mh = m / bc1 if bias else m
        vc = v / bc2 if bias else v
        vh = VH[i, j]
        if op.amsgrad:
            if op.amsgrad_after_bias:
                vh = max(vh, vc)
                vu = vh
            else:
                vh = max(vh, v)
                vu = vh / bc2 if bias else vh
        else:
            vu = vc
        den = np.sqrt(vu + eps) if op.eps_inside else np.sqrt(vu) + eps
        if op.sign:
            step = eta * np.sign(mh)
        elif mh != 0.0:
            step = eta * (mh / den)
        else:  # no gradient history on this coordinate (0/0 when eps = 0): no move
            step = 0.0
        M[i, j] = m
        V[i, j] = v
        VH[i, j] = vh
        X[i, j] -= step
        if monitor:
            aeff[i, j] = eta / den
            G[i, j] = g
    return eta * c


def adam_type(alpha, beta1=0.0, beta2=0.999, eps=0.0, *, v_rule="ema", amsgrad=False,
              bias_correction=False, eps_inside=False, amsgrad_after_bias=False, sign=False,
              schedule="constant", beta1_decay=None, clip=None, clip_delta=0.0, normalize=None,
              name="adam_type",
              source="Chen, Liu, Sun, Hong 2019: generic Adam-type update (secondary source; "
                     "the paper's algorithm box unread)"):
    r"""The generic Adam-type update (module docstring); every named preset is a call of this.

    Args:
      alpha: base step :math:`\alpha>0`; :math:`\alpha_t=\alpha\sigma_t`.
      beta1: momentum :math:`\beta_1\in[0,1)`.
      beta2: second-moment decay :math:`\beta_2\in[0,1)` (``"ema"`` rules).
      eps: :math:`\epsilon\ge0` in the denominator.
      v_rule: ``"one"``, ``"ema"``, ``"mean"`` or ``"ema_momentum"``.
      amsgrad, bias_correction, eps_inside, amsgrad_after_bias, sign: switches (``True`` or
        ``False``); see module docstring.
      schedule: ``"constant"``, ``"inverse_sqrt"`` (:math:`1/\sqrt t`), ``"inverse"`` or an array.
      beta1_decay: :math:`\lambda\in(0,1]` for :math:`\beta_{1,t}=\beta_1\lambda^{t-1}`
        (Reddi et al. 2018, Cor. 1); ``None`` keeps :math:`\beta_1` constant.
      clip: global-norm clipping threshold :math:`\gamma>0` applied to :math:`g_t` first.
      clip_delta: :math:`\delta\ge0` in the clipping denominator.
      normalize: :math:`\beta\ge0`: use :math:`g_t/(\|g_t\|+\beta)` instead of :math:`g_t`.
    """
    if not isinstance(v_rule, str) or v_rule not in V_RULES:
        raise ValueError(f"v_rule must be one of {', '.join(V_RULES)}, got {v_rule!r}")
    if clip is not None and normalize is not None:
        raise ValueError("choose clip or normalize, not both")
    hyper = {"alpha": positive("alpha", alpha), "beta1": in_unit_interval("beta1", beta1),
             "beta2": in_unit_interval("beta2", beta2), "eps": nonnegative("eps", eps)}
    transform = _PLAIN
    if clip is not None:
        transform = _CLIP
        hyper["clip"] = positive("clip", clip)
        hyper["clip_delta"] = nonnegative("clip_delta", clip_delta)
    if normalize is not None:
        transform = _NORMALIZE
        hyper["normalize"] = nonnegative("normalize", normalize)
    if beta1_decay is not None:
        lam = positive("beta1_decay", beta1_decay)
        in_unit_interval("beta1_decay", lam, closed_right=True)
        hyper["beta1_decay"] = lam
    options = Options(
        v_rule=V_RULES[v_rule], amsgrad=boolean("amsgrad", amsgrad),
        bias_correction=boolean("bias_correction", bias_correction),
        eps_inside=boolean("eps_inside", eps_inside),
        amsgrad_after_bias=boolean("amsgrad_after_bias", amsgrad_after_bias),
        sign=boolean("sign", sign), transform=transform, geometric_beta1=beta1_decay is not None)
    return make(name, __name__, hyper, schedule, options, source)


def sgd(alpha, schedule="constant", **kw):
    r"""SGD: :math:`\beta_1=0`, :math:`\hat v_t=1` (a member of Chen et al. 2019's class, as relayed
    by a secondary source)."""
    return adam_type(alpha, 0.0, 0.0, 0.0, v_rule="one", schedule=schedule, name="sgd",
                     source="Chen et al. 2019 (secondary source): SGD as beta1 = 0, v = 1", **kw)


def momentum(alpha, beta1=0.9, schedule="constant", **kw):
    r"""Momentum SGD in the averaged form :math:`m_t=\beta_1m_{t-1}+(1-\beta_1)g_t`,
    :math:`x_{t+1}=x_t-\alpha_tm_t` (Chen et al. 2019).

    .. warning:: PyTorch's ``SGD(momentum=mu)`` uses :math:`m_t=\mu m_{t-1}+g_t`, i.e. this form with
       :math:`\alpha` replaced by :math:`\alpha/(1-\beta_1)`.
    """
    return adam_type(alpha, beta1, 0.0, 0.0, v_rule="one", schedule=schedule, name="momentum",
                     source="Chen et al. 2019 (secondary source): momentum SGD as v = 1", **kw)


def adagrad(alpha, eps=0.0, schedule="inverse_sqrt", **kw):
    r"""AdaGrad: :math:`\beta_1=0`, :math:`\hat v_t=\frac1t\sum_{i\le t}g_i^2`,
    :math:`\alpha_t=\alpha/\sqrt t` — Chen et al.'s form, equal to Duchi et al.'s
    :math:`\alpha/\sqrt{\sum_{i\le t}g_i^2}` when ``eps = 0`` (Reddi et al. 2018, Sec. 2)."""
    return adam_type(alpha, 0.0, 0.0, eps, v_rule="mean", schedule=schedule, name="adagrad",
                     source="Chen et al. 2019 / Reddi et al. 2018 Sec. 2: v = mean of g^2, "
                            "alpha_t = alpha/sqrt(t)", **kw)


def rmsprop(alpha, beta2=0.99, eps=0.0, schedule="constant", **kw):
    r"""RMSProp = Adam with :math:`\beta_1=0`, no bias correction (Reddi et al. 2018, Sec. 2)."""
    return adam_type(alpha, 0.0, beta2, eps, v_rule="ema", schedule=schedule, name="rmsprop",
                     source="Reddi et al. 2018, Sec. 2: RMSProp as Adam with beta1 = 0", **kw)


def adam(alpha, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True, eps_inside=False,
         schedule="constant", **kw):
    r"""Adam (Kingma & Ba 2015, Alg. 1): bias-corrected moments, :math:`\sqrt{\hat v}+\epsilon`.

    ``bias_correction=False, eps=0`` gives the form analysed by Reddi et al. (2018, eq. 1) and
    Chen et al. (2019); with ``schedule="inverse_sqrt"`` it is their :math:`\alpha_t=\alpha/\sqrt t`.
    """
    return adam_type(alpha, beta1, beta2, eps, v_rule="ema", bias_correction=bias_correction,
                     eps_inside=eps_inside, schedule=schedule, name="adam",
                     source="Kingma & Ba 2015, Algorithm 1", **kw)


def amsgrad(alpha, beta1=0.9, beta2=0.999, eps=0.0, bias_correction=False,
            amsgrad_after_bias=False, schedule="constant", **kw):
    r"""AMSGrad (Reddi et al. 2018, Alg. 2): :math:`\hat v_t=\max(\hat v_{t-1},v_t)`, no bias
    correction and no :math:`\epsilon` by default.

    .. warning:: PyTorch (``amsgrad=True``) bias-corrects after the max and adds
       :math:`\epsilon=10^{-8}`; optax takes the max of the bias-corrected :math:`v_t`
       (``amsgrad_after_bias=True``).
    """
    return adam_type(alpha, beta1, beta2, eps, v_rule="ema", amsgrad=True,
                     bias_correction=bias_correction, amsgrad_after_bias=amsgrad_after_bias,
                     schedule=schedule, name="amsgrad", source="Reddi et al. 2018, Algorithm 2",
                     **kw)


def adafom(alpha, beta1=0.9, eps=0.0, schedule="inverse_sqrt", **kw):
    r"""AdaFom — AdaGrad with first-order momentum (Chen et al. 2019):
    :math:`\hat v_t=\frac1t\sum_{i\le t}g_i^2`, :math:`m_t` with :math:`\beta_1`,
    :math:`\alpha_t=\alpha/\sqrt t`.  (The name is the paper's [confirmed, abstract]; the exact
    box of the paper was not readable, this is the form its name states.)"""
    return adam_type(alpha, beta1, 0.0, eps, v_rule="mean", schedule=schedule, name="adafom",
                     source="Chen et al. 2019 (abstract: AdaGrad with First Order Momentum)", **kw)


def signsgd(alpha, schedule="constant", **kw):
    r"""signSGD: :math:`x_{t+1}=x_t-\alpha_t\,\mathrm{sign}(g_t)` (Bernstein et al. 2018)."""
    return adam_type(alpha, 0.0, 0.0, 0.0, v_rule="one", sign=True, schedule=schedule,
                     name="signsgd", source="Bernstein et al. 2018: signSGD", **kw)


def signum(alpha, beta1=0.9, schedule="constant", **kw):
    r"""Signum: :math:`x_{t+1}=x_t-\alpha_t\,\mathrm{sign}(m_t)` (Bernstein et al. 2018)."""
    return adam_type(alpha, beta1, 0.0, 0.0, v_rule="one", sign=True, schedule=schedule,
                     name="signum", source="Bernstein et al. 2018: Signum (sign of momentum)", **kw)


def generalized_signsgd(alpha, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=False,
                        schedule="constant", **kw):
    r"""Generalized signSGD (Crawshaw et al. 2022): :math:`v_t=\beta_2v_{t-1}+(1-\beta_2)m_t^2`,
    step :math:`\alpha_tm_t/(\sqrt{v_t}+\epsilon)`; ``beta2 = 0, eps = 0`` is Signum exactly.
    Bias correction off by default, as in the authors' public code."""
    return adam_type(alpha, beta1, beta2, eps, v_rule="ema_momentum",
                     bias_correction=bias_correction, schedule=schedule,
                     name="generalized_signsgd",
                     source="Crawshaw, Liu, Orabona, Zhang, Zhuang 2022 (generalized signSGD)", **kw)
