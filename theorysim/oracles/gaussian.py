r"""Gaussian gradient noise :math:`\xi\sim\mathcal N(0,\sigma^2I)` (bounded variance,
:math:`\mathbb E\|\xi\|^2=d\sigma^2`).  ``params = [sigma]``.

The coordinates are independent, so the oracle also has the coordinate-wise form
``noise_entry``, which the engine's batched loop uses to interleave runs (same random numbers,
same order within each run)."""
from .._jit import jit
from ._rng import normal


@jit(inline="always")
def noise_entry(params, j, rng):
    """:math:`\\xi_i\\sim\\mathcal N(0,\\sigma^2)` for the next coordinate of run j (stream j)."""
    return params[0] * normal(rng, j)


@jit(inline="always")
def perturb(params, G, j, rng):
    """Add :math:`\\xi_i\\sim\\mathcal N(0,\\sigma^2)`, independent, to column j of G."""
    for i in range(G.shape[0]):
        G[i, j] += noise_entry(params, j, rng)
