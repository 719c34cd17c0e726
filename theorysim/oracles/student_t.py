r"""Heavy-tailed gradient noise :math:`\xi_i=s\,t_\nu` (i.i.d. Student t; infinite variance for
:math:`\nu\le2`).  ``params = [scale, nu]``.

The coordinates are independent, so the oracle is its coordinate-wise form ``noise_entry`` (see
:mod:`.gaussian`)."""
from .._jit import inner
from ._rng import student_t as _t


@inner
def noise_entry(params, j, rng):
    """:math:`s\\,t_\\nu` for the next coordinate of run j (stream j)."""
    return params[0] * _t(rng, j, params[1])

