r"""Objectives: built-in (L0,L1)-smooth families, hard instances, and user-written ones.

>>> import theorysim as ts
>>> f = ts.objectives.get("cosh")
>>> (f.L0, f.L1)
(1.0, 1.0)

Every objective satisfies :math:`\|\nabla^2 f(x)\|\le L_0+L_1\|\nabla f(x)\|` with its documented
pair (Zhang, He, Sra, Jadbabaie 2020, Definition 1); :mod:`theorysim.theory` proves each pair.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import importlib

from ._base import Objective
from .deep_linear import deep_linear
from .linear_online import regret
from .product import product_loss
from .user import from_numba, from_sympy

#: registry name -> module of the family (each defines ``make`` and its kernels)
_FAMILIES = ("quadratic", "power", "cosh", "ramp_wall", "linear_online", "linear_stochastic",
             "least_squares", "sign_split", "separable_quartic", "flat_valley",
             "double_well", "noisy_quadratic", "scale_invariant", "diagonal_net", "logistic",
             "diagonal_net_1sam")
# import every family first: the builders below then take the package attributes of the same name
_MODULES = {name: importlib.import_module(f"{__name__}.{name}") for name in _FAMILIES}

#: one-line descriptions for ``theorysim list``
DESCRIPTIONS = {
    "quadratic": "1/2 sum_i lam_i x_i^2; L-smooth baseline (L0, L1) = (max lam, 0)",
    "power": "(c/p) sum_i |x_i|^p, p >= 2; (L0, L1) = (c (p-2)^(p-2), 1), not L-smooth for p > 2",
    "cosh": "(a/s^2) sum_i cosh(s x_i); exactly (a, s)-smooth",
    "ramp_wall": "theorysim's 2-D hard instance for fixed-step GD after Zhang et al. 2020 Thm 4",
    "linear_online": "Reddi et al. 2018 online problem f_t = a x (t mod P = 1) else b x on [-1, 1]",
    "linear_stochastic": "Reddi et al. 2018 stochastic problem f_t = a x w.p. p else b x on [-1, 1]",
    "least_squares": "finite sum (1/2n)||Ax - b||^2 with a minibatch oracle",
    "sign_split": "theorysim's finite sum after Chen et al. 2019: c_I h(x), Huber h, mean c > 0",
    "separable_quartic": "sum_i a_i x_i^4/4 + b_i x_i^2/2; (L0, L1) = (max(4a + b), 1)",
    "double_well": "sum_i x_i^4/4 - x_i^2/2; GD past eta = 1 cycles, at eta = 2 it is chaotic",
    "flat_valley": "theorysim's EoS toy (1 + |y|^2)|x|^2/2 (or its sqrt); sharpness 1 + |y|^2 on x = 0",
    "noisy_quadratic": "1/2 sum_i h_i x_i^2, oracle noise N(0, c_i/B) per coordinate (Yaida 2018 testbed)",
    "scale_invariant": "c F(w/||w||), F(u) = u'Au/2: 0-homogeneous (Li et al. 2022); not (L0, L1)-smooth",
    "diagonal_net": "(1/2n) sum_i (<u*v, x_i> - y_i)^2, label-noise minibatch oracle (Damian et al. 2021)",
    "diagonal_net_1sam": "diagonal_net whose gradient is the 1-SAM direction mean_i grad l_i(w + rho grad l_i(w))",
    "logistic": "(1/n) sum log(1 + exp(-y_i x_i'w)), minibatch oracle; beta = max ||x_i||^2/4 (Hardt et al. 2016)",
}


def names() -> list[str]:
    """Names of the built-in objectives."""
    return list(_FAMILIES)


#: parameters of the families that count things (integers; ``dim`` at least 1)
_COUNTS = ("dim", "n", "period", "seed")  # families check their other counts (batch, ...)
def _check_params(name, params):
    """Every family parameter is a number or an array of numbers (``None`` where that is the
    family's default); counts are integers; the family's ``make`` checks shapes."""
    import inspect
    import numbers

    import numpy as np

    signature = inspect.signature(_MODULES[name].make).parameters
    for k, v in params.items():
        if v is None and k in signature and signature[k].default is None:
            continue
        if v is None:
            raise TypeError(f"objective {name!r}: parameter {k} must be a number, got None")
        default = signature[k].default if k in signature else None
        if isinstance(default, bool) and isinstance(v, (bool, np.bool_)):
            params[k] = bool(v)  # a switch of the family (e.g. flat_valley's root)
            continue
        if isinstance(default, bool):
            raise ValueError(f"objective {name!r}: parameter {k} must be True or False, got "
                             f"{type(v).__name__} {v!r}")
        if isinstance(v, (bool, np.bool_, str, bytes)):
            raise TypeError(f"objective {name!r}: parameter {k} must be a number, got "
                            f"{type(v).__name__} {v!r}")
        if k in _COUNTS:
            if not isinstance(v, numbers.Real) or not np.isfinite(v) or float(v) != int(v):
                raise ValueError(f"objective {name!r}: parameter {k} must be an integer, got {v!r}")
            lo = 0 if (k == "seed" or default == 0) else 1  # 0 where the family's default is 0
            if int(v) < lo:
                raise ValueError(f"objective {name!r}: parameter {k} must be an integer >= {lo}, got {v!r}")
            params[k] = int(v)
            continue
        try:  # a number or an array of numbers; each family checks the shape it needs
            np.asarray(v, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"objective {name!r}: parameter {k} must be a number or an array of "
                            f"numbers, got {v!r}") from None
    return params


def get(name: str, **params) -> Objective:
    """Build the built-in objective ``name`` with keyword ``params`` (see each family).

    Parameters are numbers or arrays of numbers (counts such as ``dim`` are integers); a
    string, a boolean or a ragged list is refused with a message naming the parameter.
    """
    if not isinstance(name, str) or name not in _FAMILIES:
        close = difflib.get_close_matches(str(name), _FAMILIES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown objective {name!r}{hint}; choose from {', '.join(_FAMILIES)}")
    _check_params(name, params)
    module = _MODULES[name]
    try:
        obj = module.make(**params)
    except TypeError as exc:
        import numpy as np

        arrays = [k for k, v in params.items() if v is not None and np.ndim(v) > 0]
        if arrays:  # an array where the family takes one number: name it
            raise ValueError(f"objective {name!r}: parameter {' / '.join(arrays)} must be a single "
                             f"number here, got shape {np.shape(params[arrays[0]])} ({exc})") from None
        raise ValueError(f"objective {name!r}: {exc}") from None
    return dataclasses.replace(obj, family=module.__name__)


def _builtin(name):
    maker = _MODULES[name].make

    @functools.wraps(maker)
    def build(**params):
        return get(name, **params)

    return build


quadratic = _builtin("quadratic")
power = _builtin("power")
cosh = _builtin("cosh")
ramp_wall = _builtin("ramp_wall")
linear_online = _builtin("linear_online")
linear_stochastic = _builtin("linear_stochastic")
least_squares = _builtin("least_squares")
sign_split = _builtin("sign_split")
separable_quartic = _builtin("separable_quartic")
flat_valley = _builtin("flat_valley")
double_well = _builtin("double_well")
noisy_quadratic = _builtin("noisy_quadratic")
scale_invariant = _builtin("scale_invariant")
diagonal_net = _builtin("diagonal_net")
logistic = _builtin("logistic")
diagonal_net_1sam = _builtin("diagonal_net_1sam")

__all__ = ["Objective", "get", "names", "from_numba", "from_sympy", "quadratic", "power", "cosh",
           "ramp_wall", "linear_online", "linear_stochastic", "least_squares", "sign_split",
           "separable_quartic", "flat_valley", "double_well", "noisy_quadratic", "scale_invariant",
           "diagonal_net", "logistic", "diagonal_net_1sam", "regret", "DESCRIPTIONS", "deep_linear", "product_loss"]
