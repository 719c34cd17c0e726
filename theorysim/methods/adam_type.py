r"""The Adam-type family of Chen, Liu, Sun, Hong (ICLR 2019, Alg. 1) as presets of one kernel.

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

The *effective step* of coordinate i is :math:`a_{t,i}=\alpha_t/\sqrt{\hat v_{t,i}}` (with
:math:`\epsilon` as configured); :mod:`theorysim.diagnostics` accumulates Chen et al.'s three
quantities from it.
"""
from __future__ import annotations

from ._base import (
    ADAM_TYPE,
    ALPHA,
    B1_CONSTANT,
    B1_GEOMETRIC,
    BETA,
    BETA1,
    BETA2,
    CLIP,
    CLIP_DELTA,
    EPS,
    F_AMS_AFTER_BIAS,
    F_AMSGRAD,
    F_BETA1_SCHEDULE,
    F_BIAS_M,
    F_BIAS_V,
    F_EPS_INSIDE,
    F_SIGN,
    F_VRULE,
    GAMMA,
    LAMBDA,
    NONE,
    NORMALIZE,
    V_RULES,
    Method,
    boolean,
    in_unit_interval,
    nonnegative,
    positive,
    schedule_code,
)


def adam_type(alpha, beta1=0.0, beta2=0.999, eps=0.0, *, v_rule="ema", amsgrad=False,
              bias_correction=False, eps_inside=False, amsgrad_after_bias=False, sign=False,
              schedule="constant", beta1_decay=None, clip=None, clip_delta=0.0, normalize=None,
              name="adam_type", source="Chen, Liu, Sun, Hong 2019, Algorithm 1 (generalized Adam)"):
    r"""The generic Adam-type update (module docstring); every named preset is a call of this.

    Args:
      alpha: base step :math:`\alpha>0`; :math:`\alpha_t=\alpha\sigma_t`.
      beta1: momentum :math:`\beta_1\in[0,1)`.
      beta2: second-moment decay :math:`\beta_2\in[0,1)` (``"ema"`` rules).
      eps: :math:`\epsilon\ge0` in the denominator.
      v_rule: ``"one"``, ``"ema"``, ``"mean"`` or ``"ema_momentum"``.
      amsgrad, bias_correction, eps_inside, amsgrad_after_bias, sign: see module docstring.
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
    code, vals = schedule_code(schedule)
    hyper = {"alpha": positive("alpha", alpha), "beta1": in_unit_interval("beta1", beta1),
             "beta2": in_unit_interval("beta2", beta2), "eps": nonnegative("eps", eps)}
    rows = {"alpha": ALPHA, "beta1": BETA1, "beta2": BETA2, "eps": EPS}
    rule = NONE
    if clip is not None:
        rule = CLIP
        hyper["clip"] = positive("clip", clip)
        hyper["clip_delta"] = nonnegative("clip_delta", clip_delta)
        rows.update(clip=GAMMA, clip_delta=CLIP_DELTA)
    if normalize is not None:
        rule = NORMALIZE
        hyper["normalize"] = nonnegative("normalize", normalize)
        rows["normalize"] = BETA
    b1s = B1_CONSTANT
    if beta1_decay is not None:
        b1s = B1_GEOMETRIC
        lam = positive("beta1_decay", beta1_decay)
        in_unit_interval("beta1_decay", lam, closed_right=True)
        hyper["beta1_decay"] = lam
        rows["beta1_decay"] = LAMBDA
    amsgrad, bias_correction, eps_inside, amsgrad_after_bias, sign = (
        boolean(k, v) for k, v in (("amsgrad", amsgrad), ("bias_correction", bias_correction),
                                   ("eps_inside", eps_inside),
                                   ("amsgrad_after_bias", amsgrad_after_bias), ("sign", sign)))
    flags = {F_VRULE: V_RULES[v_rule], F_AMSGRAD: int(amsgrad),
             F_BIAS_M: int(bias_correction), F_BIAS_V: int(bias_correction),
             F_EPS_INSIDE: int(eps_inside), F_SIGN: int(sign),
             F_AMS_AFTER_BIAS: int(amsgrad_after_bias), F_BETA1_SCHEDULE: b1s}
    return Method(name, rule, code, ADAM_TYPE, hyper, rows, vals, source=source,
                  extra_flags=flags)


def sgd(alpha, schedule="constant", **kw):
    r"""SGD: :math:`\beta_1=0`, :math:`\hat v_t=1` (Chen et al. 2019, Sec. 2 list of members)."""
    return adam_type(alpha, 0.0, 0.0, 0.0, v_rule="one", schedule=schedule, name="sgd",
                     source="Chen et al. 2019, Sec. 2: SGD as beta1 = 0, v = 1", **kw)


def momentum(alpha, beta1=0.9, schedule="constant", **kw):
    r"""Momentum SGD in the averaged form :math:`m_t=\beta_1m_{t-1}+(1-\beta_1)g_t`,
    :math:`x_{t+1}=x_t-\alpha_tm_t` (Chen et al. 2019).

    .. warning:: PyTorch's ``SGD(momentum=mu)`` uses :math:`m_t=\mu m_{t-1}+g_t`, i.e. this form with
       :math:`\alpha` replaced by :math:`\alpha/(1-\beta_1)`.
    """
    return adam_type(alpha, beta1, 0.0, 0.0, v_rule="one", schedule=schedule, name="momentum",
                     source="Chen et al. 2019, Sec. 2: momentum SGD as v = 1", **kw)


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
