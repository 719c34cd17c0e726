r"""Gaussian gradient noise :math:`\xi\sim\mathcal N(0,\sigma^2I)` (bounded variance,
:math:`\mathbb E\|\xi\|^2=d\sigma^2`).  ``params = [sigma]``."""
from .._jit import jit
from ._rng import normal


@jit(inline="always")
def perturb(params, G, j, rng):
    """Add :math:`\\xi_i\\sim\\mathcal N(0,\\sigma^2)`, independent, to column j of G."""
    sigma = params[0]
    for i in range(G.shape[0]):
        G[i, j] += sigma * normal(rng, j)
