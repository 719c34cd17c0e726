r"""Noise uniform in the ball :math:`\{\|\xi\|\le\tau\}`: the almost-sure bound of Zhang, He, Sra,
Jadbabaie (ICLR 2020), Assumption 5 (clipped SGD, Thm 7); :math:`\mathbb E\xi=0`.
``params = [tau]``."""
import numpy as np

from .._jit import inner
from ._rng import normal, uniform


@inner
def perturb(params, G, j, rng):
    r"""Add :math:`\xi=r\,z/\|z\|` with :math:`z\sim\mathcal N(0,I)` and :math:`r=\tau U^{1/d}`.

    The direction's normals are drawn twice from the same generator state (first for
    :math:`\|z\|`, then replayed, scaled), so no work array is needed."""
    d = G.shape[0]
    tau = params[0]
    s0 = rng[0, j]
    s1 = rng[1, j]
    s2 = rng[2, j]
    s3 = rng[3, j]
    nz = 0.0
    for _ in range(d):  # first pass: the norm of a Gaussian direction
        z = normal(rng, j)
        nz += z * z
    nz = np.sqrt(nz)
    r = tau * uniform(rng, j) ** (1.0 / d)
    t0 = rng[0, j]
    t1 = rng[1, j]
    t2 = rng[2, j]
    t3 = rng[3, j]
    rng[0, j] = s0  # second pass: replay the same normals, scaled
    rng[1, j] = s1
    rng[2, j] = s2
    rng[3, j] = s3
    for i in range(d):
        G[i, j] += (r / nz) * normal(rng, j)
    rng[0, j] = t0
    rng[1, j] = t1
    rng[2, j] = t2
    rng[3, j] = t3
