r"""1-SAM on the diagonal linear network, built as an objective: its "gradient" is the 1-SAM direction.

**What 1-SAM is.**  With per-example losses :math:`\ell_i(\theta)=\frac12(\langle u\odot v,x_i\rangle
-y_i)^2`, :math:`\theta=(u,v)\in\mathbb R^{2d}` and :math:`f=\frac1n\sum_i\ell_i` (the loss of
:mod:`.diagonal_net`), one step of m-SAM with m = 1 ("1-SAM", Andriushchenko & Flammarion, ICML
2022) perturbs each example's weights along that example's own gradient and averages the gradients
taken at those points:

.. math:: \theta_{k+1}=\theta_k-\eta\,D(\theta_k),\qquad
   D(\theta)=\frac1{|S|}\sum_{i\in S}\nabla\ell_i\big(\theta+\rho\,\epsilon_i(\theta)\big),\qquad
   \epsilon_i=\nabla\ell_i(\theta)\ \ (\text{or}\ \nabla\ell_i/\|\nabla\ell_i\|\ \text{with}
   ``normalized=True``).

In closed form, with residuals :math:`r_i=\langle u\odot v,x_i\rangle-y_i` and :math:`a_i=\rho r_i`
(normalized: :math:`a_i=\rho\,\mathrm{sign}(r_i)/\sqrt{\sum_kx_{ik}^2(u_k^2+v_k^2)}`), the ascent
point of example i is :math:`u^{(i)}=u+a_i\,x_i\odot v`, :math:`v^{(i)}=v+a_i\,x_i\odot u`, and
:math:`\nabla\ell_i` there is :math:`r_i'(x_i\odot v^{(i)},\,x_i\odot u^{(i)})` with
:math:`r_i'=\langle u^{(i)}\odot v^{(i)},x_i\rangle-y_i`.

**Read in the authors' code** (tml-epfl/understanding-sam, ``diagonal_linear_nets/diag_nets.py``,
function for 1-SAM; the paper's own definition section could not be read here): the ascent is
**unnormalized** and per example, written :math:`u+2\rho_{\rm code}\,r_ix_i\odot v` — i.e.
theorysim's :math:`\rho=2\rho_{\rm code}` — and the descent averages the per-example gradients at
the perturbed points over **all n examples** (full batch, :math:`S=\{1..n\}`, ``batch = 0``, the
default).  ``batch = B >= 1`` draws S as B examples uniformly with replacement at every step (the
stochastic m-SAM of deep-net training, m = 1 inside the batch).

**Why an objective and not an update rule.**  An update rule sees one vector per iteration, the
gradient of the whole objective at the current point (theorysim's engine is written once and names
no method); 1-SAM needs n gradients, each of one example at its own ascent point.  So this family
computes :math:`D(\theta)` in its gradient kernel and leaves the loss value :math:`f(\theta)`
unchanged: ``ts.run(ts.objectives.diagonal_net_1sam(...), ts.methods.gd(eta))`` **is** 1-SAM, one
engine iteration per SAM step (n-SAM, by contrast, is the update rule ``methods.sam`` on
:mod:`.diagonal_net`, two iterations per step).  The price: the recorded ``grad_norm`` is
:math:`\|D(\theta)\|`, not :math:`\|\nabla f(\theta)\|`, and a method other than GD applies its
rule to D (e.g. heavy ball on D is 1-SAM with momentum).  With :math:`\rho=0`, D is exactly the
gradient of :mod:`.diagonal_net`, to the last bit.

``hess`` is the Hessian of the loss f (that of :mod:`.diagonal_net`), for sharpness diagnostics.

``params = [n, d, batch, 0, X (row-major, n*d), y (n), rho, normalized]`` — the layout of
:mod:`.diagonal_net` (its label-noise slot fixed at 0) with :math:`\rho` and the switch appended.
"""
import dataclasses

import numpy as np

from .._jit import inner
from . import diagonal_net as _net
from .diagonal_net import hess  # noqa: F401  (the Hessian of f: the family's ``hess``)


@inner
def value_and_grad(params, X, G, F, j0, j1, t, rng, scratch):
    n = int(params[0])
    d = int(params[1])
    batch = int(params[2])
    x0 = 4
    y0 = 4 + n * d
    rho = params[y0 + n]
    normalized = params[y0 + n + 1] > 0.0
    m = batch if batch > 0 else n
    for j in range(j0, j1):
        for k in range(2 * d):
            G[k, j] = 0.0
        for s in range(m):
            i = _net.example(s, batch, n, rng, j)
            r = _net.residual(-params[y0 + i], params, X, j, i, d, x0)
            a = rho * r
            if normalized:
                q = 0.0
                for k in range(d):
                    xk = params[x0 + i * d + k]
                    q += xk * xk * (X[k, j] * X[k, j] + X[d + k, j] * X[d + k, j])
                nrm = abs(r) * np.sqrt(q)
                a = rho * r / nrm if nrm > 0.0 else 0.0
            # residual at the ascent point u + a x_i*v, v + a x_i*u
            r2 = -params[y0 + i]
            for k in range(d):
                xk = params[x0 + i * d + k]
                r2 += (X[k, j] + a * xk * X[d + k, j]) * (X[d + k, j] + a * xk * X[k, j]) * xk
            for k in range(d):
                xk = params[x0 + i * d + k]
                G[k, j] += r2 * (X[d + k, j] + a * xk * X[k, j]) * xk
                G[d + k, j] += r2 * (X[k, j] + a * xk * X[d + k, j]) * xk
        for k in range(2 * d):
            G[k, j] /= m
        F[j] = _net.loss(params, X, j, n, d, x0, y0)


def make(X=None, y=None, rho=0.05, normalized=False, batch=0, n=40, dim=100, sparsity=5, seed=0):
    r"""1-SAM on the diagonal net (module docstring): data as :func:`.diagonal_net.make` (``X``
    (n x d), ``y`` (n), or random data from ``seed``: Gaussian X, ``sparsity``-sparse
    :math:`\beta^*` with entries :math:`\pm1`, :math:`y=X\beta^*`).

    Args:
      rho: per-example ascent radius :math:`\rho\ge0` (the authors' code's :math:`\rho` is
        :math:`\rho/2`); 0 gives the plain gradient.
      normalized: ``False``: ascent :math:`\rho\nabla\ell_i` (the authors' 1-SAM); ``True``:
        :math:`\rho\nabla\ell_i/\|\nabla\ell_i\|`.
      batch: 0 (every example, the authors' setting) or B >= 1 examples drawn with replacement.
    """
    rho_f = float(rho)
    if not (np.isfinite(rho_f) and rho_f >= 0):
        raise ValueError(f"diagonal_net_1sam: rho must be finite and >= 0, got {rho!r}")
    if not isinstance(normalized, (bool, np.bool_)):
        raise TypeError(f"diagonal_net_1sam: normalized must be True or False, got "
                        f"{type(normalized).__name__} {normalized!r}")
    base = _net.make(X=X, y=y, sigma=0.0, batch=batch, n=n, dim=dim, sparsity=sparsity, seed=seed)
    info = dict(base.info, rho=rho_f, normalized=bool(normalized))
    return dataclasses.replace(
        base, name="diagonal_net_1sam",
        params=np.concatenate([base.params, [rho_f, 1.0 if normalized else 0.0]]),
        source="1-SAM direction as the gradient (Andriushchenko & Flammarion 2022, authors' code); "
               "loss value of diagonal_net; quartic: no global (L0, L1) pair",
        info=info)
