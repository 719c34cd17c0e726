r"""Stochastic gradient oracles: :math:`g_t=\nabla f(x_t)+\xi_t`, seeded and reproducible.

>>> import theorysim as ts
>>> tr = ts.run(ts.objectives.get("quadratic", lam=1.0), ts.methods.sgd(0.01),
...             x0=[1.0], steps=100, noise=ts.oracles.gaussian(1.0), seed=0)

* :func:`gaussian` — :math:`\xi\sim\mathcal N(0,\sigma^2I)` (bounded variance);
* :func:`bounded` — :math:`\xi` uniform in the ball :math:`\|\xi\|\le\tau`: the almost-sure bound
  of Zhang et al. 2020, Assumption 5 (clipped SGD, Thm 7);
* :func:`student_t` — heavy tails, :math:`\xi_i=s\,t_\nu` (infinite variance for
  :math:`\nu\le2`).

Finite sums with minibatches and online sequences :math:`f_t` are objective families
(:func:`theorysim.objectives.get` ``"least_squares"``, ``"linear_online"``,
``"linear_stochastic"``, ``"sign_split"``), since their oracle is part of the problem.
Random numbers: xoshiro256** with ziggurat normals, one stream per run
(:mod:`theorysim.oracles._rng`); a seed is always explicit.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np

from ..methods._base import positive

# the oracle modules (one file each: ``noise_entry(params, j, rng)`` for one coordinate, or
# ``perturb(params, G, j, rng)`` for a whole column) load before the builders of
# the same name below take the package attributes
_MODULES = {n: importlib.import_module(f"{__name__}.{n}") for n in ("gaussian", "bounded", "student_t")}


@dataclass(frozen=True)
class Noise:
    """Additive noise: the oracle module (its ``noise_entry`` or ``perturb`` kernel) and its parameters."""

    name: str
    module: str
    params: tuple

    def kernel_params(self):
        p = np.zeros(4)
        p[: len(self.params)] = self.params
        return p

    def __repr__(self):
        return f"{self.name}({', '.join(f'{v:g}' for v in self.params)})"


def gaussian(sigma):
    r"""Gaussian noise :math:`\xi\sim\mathcal N(0,\sigma^2 I)`, :math:`\mathbb E\|\xi\|^2=d\sigma^2`."""
    return Noise("gaussian", _MODULES["gaussian"].__name__, (positive("sigma", sigma),))


def bounded(tau):
    r"""Noise uniform in the ball :math:`\{\|\xi\|\le\tau\}` (Zhang et al. 2020, Assumption 5)."""
    return Noise("bounded", _MODULES["bounded"].__name__, (positive("tau", tau),))


def student_t(nu, scale=1.0):
    r"""Heavy-tailed noise :math:`\xi_i=s\,t_\nu` (i.i.d. Student t, :math:`\nu>0`)."""
    return Noise("student_t", _MODULES["student_t"].__name__,
                 (positive("scale", scale), positive("nu", nu)))


NAMES = {"gaussian": gaussian, "bounded": bounded, "student_t": student_t}

__all__ = ["Noise", "gaussian", "bounded", "student_t", "NAMES"]
