r"""Heavy-tailed gradient noise :math:`\xi_i=s\,t_\nu` (i.i.d. Student t; infinite variance for
:math:`\nu\le2`).  ``params = [scale, nu]``.

The coordinates are independent: the coordinate-wise form ``noise_entry`` lets the engine's
batched loop interleave runs (same random numbers, same order within each run)."""
from .._jit import jit
from ._rng import student_t as _t


@jit(inline="always")
def noise_entry(params, j, rng):
    """:math:`s\\,t_\\nu` for the next coordinate of run j (stream j)."""
    return params[0] * _t(rng, j, params[1])


@jit(inline="always")
def perturb(params, G, j, rng):
    """Add :math:`s\\,t_\\nu` to every coordinate of column j of G."""
    for i in range(G.shape[0]):
        G[i, j] += noise_entry(params, j, rng)
