r"""Heavy-tailed gradient noise :math:`\xi_i=s\,t_\nu` (i.i.d. Student t; infinite variance for
:math:`\nu\le2`).  ``params = [scale, nu]``."""
from .._jit import jit
from ._rng import student_t as _t


@jit(inline="always")
def perturb(params, G, j, rng):
    """Add :math:`s\\,t_\\nu` to every coordinate of column j of G."""
    scale = params[0]
    nu = params[1]
    for i in range(G.shape[0]):
        G[i, j] += scale * _t(rng, j, nu)
