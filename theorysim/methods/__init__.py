"""Update rules, one module each (GD family, Adam-type family, momentum methods), and presets.

>>> import theorysim as ts
>>> ts.methods.clipped_gd(eta=0.1, gamma=1.0)
Method(clipped_gd: eta=0.1, gamma=1, schedule=constant)
"""
from __future__ import annotations

import difflib

from ._base import Method
from .adam_type import (
    adafom,
    adagrad,
    adam,
    adam_type,
    amsgrad,
    generalized_signsgd,
    momentum,
    rmsprop,
    sgd,
    signsgd,
    signum,
)
from .clipped_gd import clipped_gd, clipped_gd_theorem3
from .clipped_gd_offset import clipped_gd_offset
from .gd import gd, gd_theorem6
from .heavy_ball import heavy_ball
from .nesterov import nesterov
from .normalized_gd import normalized_gd, normalized_gd_theorem3
from .sam import sam, sam_normalized
from .sgd_wd import sgd_wd, sgd_wd_clip, sgd_wd_decoupled

_BUILDERS = {
    "gd": gd,
    "clipped_gd": clipped_gd,
    "normalized_gd": normalized_gd,
    "clipped_gd_offset": clipped_gd_offset,
    "sgd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "amsgrad": amsgrad,
    "adafom": adafom,
    "signsgd": signsgd,
    "signum": signum,
    "generalized_signsgd": generalized_signsgd,
    "adam_type": adam_type,
    "heavy_ball": heavy_ball,
    "nesterov": nesterov,
    "sam": sam,
    "sgd_wd": sgd_wd,
    "sgd_wd_decoupled": sgd_wd_decoupled,
    "sgd_wd_clip": sgd_wd_clip,
    "sam_normalized": sam_normalized,
}

DESCRIPTIONS = {
    "gd": "gradient descent, h = eta * schedule (Zhang et al. 2020 eq. 4)",
    "clipped_gd": "h = min(eta, gamma*eta/||g||) (Zhang et al. 2020 eq. 5)",
    "normalized_gd": "h = eta/(||g|| + beta) (Zhang et al. 2020 Sec. 3.1)",
    "clipped_gd_offset": "h = min(eta, gamma/(||g|| + delta)) (Zhang et al. 2020 Thm 7, our reading)",
    "sgd": "Adam-type preset: beta1 = 0, v = 1 (Chen et al. 2019)",
    "momentum": "Adam-type preset: m = b1 m + (1-b1) g, v = 1 (Chen et al. 2019)",
    "adagrad": "Adam-type preset: v = mean of g^2, alpha/sqrt(t) (Chen et al. 2019)",
    "rmsprop": "Adam-type preset: beta1 = 0, v = EMA of g^2 (Reddi et al. 2018)",
    "adam": "Kingma & Ba 2015 Alg. 1 (bias correction, sqrt(v)+eps); flags for the analysed form",
    "amsgrad": "Reddi et al. 2018 Alg. 2: vhat = max(vhat, v), no bias correction, no eps",
    "adafom": "AdaGrad second moment + momentum, alpha/sqrt(t) (Chen et al. 2019)",
    "signsgd": "x -= alpha sign(g) (Bernstein et al. 2018)",
    "signum": "x -= alpha sign(m) (Bernstein et al. 2018)",
    "generalized_signsgd": "v = EMA of m^2, m/(sqrt(v)+eps) (Crawshaw et al. 2022)",
    "adam_type": "the generic Adam-type kernel with every flag (Chen et al. 2019's class)",
    "heavy_ball": "x += mu (x - x_prev) - eta g (Polyak 1964)",
    "nesterov": "x+ = y - eta g(y), y = x+ + mu (x+ - x) (Nesterov 2004, constant momentum)",
    "sam": "SAM x -= eta g(x + rho g(x)) (normalized=True: rho g/||g||), two engine iterations per step",
    "sgd_wd": "w <- w - eta (g + lam w): L2 weight decay",
    "sgd_wd_decoupled": "w <- (1 - lam) w - eta g (Loshchilov & Hutter 2019, SGDW)",
    "sgd_wd_clip": "L2 weight decay + clip g at sqrt(2 lam/eta) ||w|| (Li et al. 2022, SIBERT)",
    "sam_normalized": "preset of sam with the normalized ascent rho g/||g|| (Foret et al. 2021 eq. 2)",
}


def names() -> list[str]:
    """Names of the method builders."""
    return list(_BUILDERS)


def builder(name: str):
    """The builder function registered as ``name``."""
    if name not in _BUILDERS:
        close = difflib.get_close_matches(str(name), _BUILDERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown method {name!r}{hint}; choose from {', '.join(_BUILDERS)}")
    return _BUILDERS[name]


def get(name: str, **hyper) -> Method:
    """Build method ``name`` with keyword hyperparameters."""
    try:
        return builder(name)(**hyper)
    except TypeError as exc:
        raise ValueError(f"method {name!r}: {exc}") from None


__all__ = ["Method", "get", "names", "builder", "gd", "clipped_gd", "normalized_gd",
           "clipped_gd_theorem3", "normalized_gd_theorem3", "gd_theorem6", "DESCRIPTIONS", "clipped_gd_offset",
           "adam_type", "sgd", "momentum", "adagrad", "rmsprop", "adam", "amsgrad", "adafom",
           "signsgd", "signum", "generalized_signsgd", "heavy_ball", "nesterov", "sam", "sgd_wd",
           "sgd_wd_decoupled", "sgd_wd_clip", "sam_normalized"]
