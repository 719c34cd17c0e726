r"""Balancedness of a deep linear chain :math:`W_N\cdots W_1`:
:math:`B_j=W_{j+1}^\top W_{j+1}-W_jW_j^\top`, :math:`j=1,\dots,N-1`.

Gradient flow conserves every :math:`B_j` (since :math:`W_{j+1}^\top\nabla_{W_{j+1}}f=
\nabla_{W_j}f\,W_j^\top`); one GD step with step :math:`\eta` changes it by exactly
:math:`\eta^2(G_{j+1}^\top G_{j+1}-G_jG_j^\top)`, :math:`G_j=\nabla_{W_j}f` (statement
``elkabetz2021.balancedness``).
"""
from __future__ import annotations

import numpy as np


def balancedness(xs, d, depth):
    """``(n, depth - 1, d, d)`` array of :math:`B_j` at every row of ``xs`` (shape ``(n, depth d^2)``)."""
    from ..objectives.deep_linear import unpack

    xs = np.atleast_2d(np.asarray(xs, dtype=float))
    if xs.shape[-1] != depth * d * d:
        raise ValueError(f"balancedness: rows must have length depth*d*d = {depth * d * d}, got {xs.shape[-1]}")
    Ws = unpack(xs, d, depth)
    return np.stack([np.swapaxes(Ws[j + 1], -1, -2) @ Ws[j + 1] - Ws[j] @ np.swapaxes(Ws[j], -1, -2)
                     for j in range(depth - 1)], axis=1)


def balancedness_drift(xs, d, depth):
    r""":math:`\max_j\|B_j(x_k)-B_j(x_0)\|_F` for every row k."""
    B = balancedness(xs, d, depth)
    return np.sqrt(np.max(np.sum((B - B[:1]) ** 2, axis=(-1, -2)), axis=1))
