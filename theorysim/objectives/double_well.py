r"""Double well :math:`f(x)=\sum_i\big(\tfrac14x_i^4-\tfrac12x_i^2\big)`: minima at
:math:`x_i=\pm1` (:math:`f^*=-d/4`), a local maximum at 0; the testbed of issue 9 for GD that does
not converge (after Zhang, Li, Sra, Jadbabaie 2022, abstract [C]: weights do not converge, their
distribution does).  Theorysim's choice of function.

GD with step :math:`\eta` acts per coordinate as :math:`T(x)=(1+\eta)x-\eta x^3`.  Per
coordinate :math:`f''=3x^2-1` and :math:`|f'|=|x^3-x|`; the smallest :math:`L_0` with
:math:`f''\le L_0+|f'|` is :math:`2+16\sqrt3/9\approx5.079` (attained at
:math:`|x|=1+2\sqrt3/3`), so the documented pair :math:`(L_0,L_1)=(2+16\sqrt3/9,\,1)` is tight
(``cert.double_well``, theorysim's derivation).

``params = [0]`` (unused; the dimension is the family's only argument).
"""
import numpy as np

from .._jit import inner, jit
from ._base import Objective

#: the smallest L0 for L1 = 1 (cert.double_well)
L0_DOCUMENTED = 2.0 + 16.0 * np.sqrt(3.0) / 9.0


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    d = X.shape[0]
    for j in range(j0, j1):
        F[j] = 0.0
    for i in range(d):
        for j in range(j0, j1):
            x = X[i, j]
            x2 = x * x
            G[i, j] = (x2 - 1.0) * x
            F[j] += x2 * (0.25 * x2 - 0.5)


@jit
def hess(params, x, H):
    d = x.shape[0]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = 3.0 * x[i] * x[i] - 1.0


def make(dim=1):
    r"""Double well :math:`\sum_i(x_i^4/4-x_i^2/2)` in ``dim`` dimensions."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or dim < 1:
        raise ValueError(f"double_well: dim must be an integer >= 1, got {dim!r}")
    dim = int(dim)

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        return sum(x**4 / 4 - x**2 / 2 for x in xs), xs

    return Objective(name="double_well", dim=dim, params=np.zeros(1), L0=L0_DOCUMENTED, L1=1.0,
                     f_star=-dim / 4.0,
                     source="(L0, L1) = (2 + 16 sqrt(3)/9, 1), tight: cert.double_well (theorysim's)",
                     sympy_form=sympy_form)
