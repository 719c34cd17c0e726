r"""Gaussian gradient noise :math:`\xi\sim\mathcal N(0,\sigma^2I)` (bounded variance,
:math:`\mathbb E\|\xi\|^2=d\sigma^2`).  ``params = [sigma]``.

The coordinates are independent, so the oracle is its coordinate-wise form ``noise_entry``: the
engine adds it to a column coordinate by coordinate, and its batched loop interleaves runs (same
random numbers, same order within each run)."""
from .._jit import inner
from ._rng import normal


@inner
def noise_entry(params, j, rng):
    """:math:`\\xi_i\\sim\\mathcal N(0,\\sigma^2)` for the next coordinate of run j (stream j)."""
    return params[0] * normal(rng, j)

