"""least_squares: the block loss (columns side by side) equals the one-column loss bit for bit."""
import numpy as np

import theorysim as ts


def test_block_loss_equals_column_loss_and_numpy():
    f = ts.objectives.get("least_squares", n=37, dim=5, batch=3, seed=2)
    A = f.params[2:2 + 37 * 5].reshape(37, 5)
    b = f.params[2 + 37 * 5:]
    X = np.ascontiguousarray(np.random.default_rng(0).normal(size=(5, 9)))
    G = np.empty_like(X)
    F = np.empty(9)
    f.evaluate(X, G, F)  # 9 columns: the block path
    for j in range(9):
        v, g = f.value_and_grad(X[:, j])  # one column
        assert F[j] == v
        np.testing.assert_array_equal(G[:, j], g)
        assert abs(v - 0.5 * np.sum((A @ X[:, j] - b) ** 2) / 37) < 1e-12 * v


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
