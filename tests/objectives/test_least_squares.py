"""least_squares: the block loss (columns side by side, from A^T) equals the one-column loss bit
for bit."""
import importlib

import numpy as np
import pytest

import theorysim as ts

ls = importlib.import_module("theorysim.objectives.least_squares")  # the family module


def _parts(f, n, d):
    p = f.params
    A = p[2:2 + n * d].reshape(n, d)
    b = p[2 + n * d:2 + n * d + n]
    AT = p[2 + n * d + n:].reshape(d, n)
    return A, b, AT


@pytest.mark.parametrize("n, d, B", [(37, 5, 9), (40, 6, 4), (13, 20, 16), (8, 1, 5)])
def test_block_loss_equals_column_loss_and_numpy(n, d, B):
    # chunks of d rows with a partial last one (37 = 7*5 + 2), odd and even d, n < d, d = 1
    f = ts.objectives.get("least_squares", n=n, dim=d, batch=3, seed=2)
    A, b, AT = _parts(f, n, d)
    np.testing.assert_array_equal(AT, A.T)
    X = np.ascontiguousarray(np.random.default_rng(0).normal(size=(d, B)))
    G = np.empty_like(X)
    F = np.empty(B)
    f.evaluate(X, G, F)  # B >= 4 columns: the block path
    for j in range(B):
        v, g = f.value_and_grad(X[:, j])  # one column
        assert F[j] == v
        np.testing.assert_array_equal(G[:, j], g)
        assert abs(v - 0.5 * np.sum((A @ X[:, j] - b) ** 2) / n) < 1e-12 * v


def test_a_scratch_too_small_for_the_block_falls_back_to_columns():
    f = ts.objectives.get("least_squares", n=30, dim=4, batch=2, seed=1)
    X = np.ascontiguousarray(np.random.default_rng(1).normal(size=(4, 10)))
    assert f.scratch_rows(10) == 10
    out = []
    for rows in (10, 2):  # 2 rows: fewer than the block's 10 columns
        G, F = np.empty_like(X), np.empty(10)
        ls.value_and_grad(f.params, X, G, F, np.uint64(0), np.uint64(10), 0,
                          np.ones((4, 10), np.uint64), np.zeros((rows, 4)))
        out.append(F)
    np.testing.assert_array_equal(out[0], out[1])


def test_sweep_equals_runs_bit_for_bit():
    """Blocks of 8 runs (block loss) and single runs (column loss) give the same records."""
    f = ts.objectives.get("least_squares", n=40, dim=6, batch=4, seed=3)
    etas = np.array([0.01, 0.05, 0.1, 0.2, 0.4, 3.0])
    res = ts.sweep(f, ts.methods.gd, {"eta": etas}, x0=np.zeros(6), steps=30, seed=5,
                   record_every=1, block_size=8)
    for k, eta in enumerate(etas):
        tr = ts.run(f, ts.methods.gd(eta), x0=np.zeros(6), steps=30, seed=5, record_every=1)
        n = len(tr.loss)
        assert n >= 2
        np.testing.assert_array_equal(res.loss[k][:n], tr.loss)
