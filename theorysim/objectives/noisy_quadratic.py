r"""Noisy quadratic :math:`f(\theta)=\tfrac12\sum_ih_i\theta_i^2` with a minibatch-noise oracle.

The oracle returns :math:`g=\nabla f(\theta)+\xi`, :math:`\xi_i\sim\mathcal N(0,c_i/B)` independent
across coordinates and iterations: the gradient noise of a minibatch of :math:`B` samples whose
per-sample gradient noise has variance :math:`c_i` along eigenvector :math:`i` (the "noisy
quadratic model" used to study SGD's stationary state; Yaida 2018, Sec. 2, states the
fluctuation-dissipation relations for any such stationary SGD).  The recorded loss is the mean
:math:`f(\theta)`; the recorded gradient norm is the norm of the *sampled* gradient
:math:`\|g\|` (as for ``least_squares``), so a run's records hold both sides of Yaida's first
relation: :math:`\theta\cdot\nabla f=2f(\theta)` and :math:`\|g\|^2`.

SGD :math:`\theta\leftarrow\theta-\eta g` is linear per coordinate,
:math:`\theta_i\leftarrow(1-\eta h_i)\theta_i-\eta\xi_i`, so for :math:`0<\eta h_i<2` its stationary
law is Gaussian with variance :math:`\sigma_i^2=\eta c_i/(B h_i(2-\eta h_i))` (the discrete Lyapunov
equation; :mod:`theorysim.theory.yaida2018`).  L-smooth with :math:`L=\max_ih_i`.

``params = [B, h_1..h_d, c_1..c_d]``.
"""
import numpy as np

from .._jit import inner, jit
from ..oracles._rng import normal
from ._base import Objective


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    """Columns ``j0 <= j < j1``: :math:`g_i=h_i\\theta_i+\\sqrt{c_i/B}\\,z_i`,
    :math:`f=\\tfrac12\\sum_ih_i\\theta_i^2`."""
    d = X.shape[0]
    inv_b = 1.0 / params[0]
    for j in range(j0, j1):
        s = 0.0
        for i in range(d):
            h = params[1 + i]
            x = X[i, j]
            s += h * x * x
            G[i, j] = h * x + np.sqrt(params[1 + d + i] * inv_b) * normal(rng, j)
        F[j] = 0.5 * s


@jit
def hess(params, x, H):
    d = x.shape[0]
    for i in range(d):
        for k in range(d):
            H[i, k] = 0.0
        H[i, i] = params[1 + i]


def _vector(name, v, dim):
    a = np.atleast_1d(np.asarray(v, dtype=np.float64))
    if a.ndim != 1 or a.size not in (1, dim):
        raise ValueError(f"noisy_quadratic: {name} must be a number or a vector of length {dim}, "
                         f"got shape {np.shape(v)}")
    a = np.broadcast_to(a, (dim,)).copy()
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError(f"noisy_quadratic: {name} must be finite and > 0, got {a}")
    return a


def make(h=(0.5, 1.0, 1.5, 2.0, 3.0), c=1.0, batch=1, dim=None):
    r"""Noisy quadratic with curvatures ``h`` (:math:`h_i>0`), per-sample noise variances ``c``
    (:math:`c_i>0`, a number or a vector) and minibatch size ``batch`` (:math:`B\ge1`): the oracle
    adds :math:`\mathcal N(0,c_i/B)` to coordinate i of the gradient."""
    hv = np.atleast_1d(np.asarray(h, dtype=np.float64))
    dim = hv.size if dim is None else int(dim)
    if dim < 1:
        raise ValueError(f"noisy_quadratic: dim must be >= 1, got {dim}")
    hv = _vector("h", h, dim)
    cv = _vector("c", c, dim)
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"noisy_quadratic: batch must be an integer >= 1, got {batch!r}")

    def sympy_form():
        import sympy as sp

        xs = sp.symbols(f"x0:{dim}", real=True)
        return sum(sp.Rational(1, 2) * sp.nsimplify(hi) * x**2 for hi, x in zip(hv, xs)), xs

    return Objective(
        name="noisy_quadratic", dim=dim, params=np.concatenate([[float(batch)], hv, cv]),
        L0=float(hv.max()), L1=0.0, f_star=0.0,
        source="mean 1/2 sum h_i x_i^2: L-smooth, L = max h (oracle noise N(0, c_i/B))",
        sympy_form=sympy_form,
        info=dict(stochastic=True, h=hv, c=cv, batch=int(batch)),
    )
