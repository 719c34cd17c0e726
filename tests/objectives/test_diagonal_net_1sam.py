"""diagonal_net_1sam: GD on it is 1-SAM — against a plain NumPy per-example loop, rho = 0 is GD on
diagonal_net to the last bit, the minibatch oracle is seeded, validation."""
import numpy as np
import pytest

import theorysim as ts


def _grad_l(x, yi, u, v):
    """Gradient of l_i = (<u*v, x_i> - y_i)^2/2 in (u, v)."""
    r = x @ (u * v) - yi
    return np.concatenate([r * x * v, r * x * u])


def _one_sam(X, y, th, eta, rho, steps, normalized=False):
    """theta <- theta - eta mean_i grad l_i(theta + rho e_i), e_i = grad l_i (or its direction)."""
    n, d = X.shape
    out = [th.copy()]
    for _ in range(steps):
        D = np.zeros_like(th)
        for i in range(n):
            g = _grad_l(X[i], y[i], th[:d], th[d:])
            if normalized:
                g = g / np.linalg.norm(g) if np.linalg.norm(g) > 0 else 0 * g
            p = th + rho * g
            D += _grad_l(X[i], y[i], p[:d], p[d:]) / n
        th = th - eta * D
        out.append(th.copy())
    return np.array(out)


@pytest.mark.parametrize("normalized", [False, True])
def test_gd_on_it_is_one_sam(normalized):
    rs = np.random.default_rng(3)
    X, y = rs.normal(size=(7, 5)), rs.normal(size=7)
    th0 = rs.normal(size=10) * 0.5
    f = ts.objectives.diagonal_net_1sam(X=X, y=y, rho=0.3, normalized=normalized)
    tr = ts.run(f, ts.methods.gd(0.05), x0=th0, steps=30)
    want = _one_sam(X, y, th0, 0.05, 0.3, 30, normalized)
    assert tr.diverged_at is None
    np.testing.assert_allclose(tr.x, want, rtol=1e-12, atol=1e-13)
    n, d = X.shape  # the recorded loss is f itself, not a perturbed loss
    np.testing.assert_allclose(tr.loss, [0.5 * np.mean((X @ (t[:d] * t[d:]) - y) ** 2) for t in want],
                               rtol=1e-12)


def test_rho_zero_is_gd_on_the_diagonal_net():
    kw = dict(n=10, dim=12, sparsity=2, seed=4)  # n not a power of 2: /n and *(1/n) differ in bits
    x0 = np.concatenate([np.full(12, 0.1), np.zeros(12)])
    a = ts.run(ts.objectives.diagonal_net_1sam(rho=0.0, **kw), ts.methods.gd(0.1), x0=x0, steps=200)
    b = ts.run(ts.objectives.diagonal_net(**kw), ts.methods.gd(0.1), x0=x0, steps=200)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.grad_norm, b.grad_norm)
    c = ts.run(ts.objectives.diagonal_net_1sam(rho=0.2, **kw), ts.methods.gd(0.1), x0=x0, steps=200)
    assert np.abs(c.x[-1] - b.x[-1]).max() > 1e-3  # rho is read


def test_minibatch_oracle_is_seeded():
    f = ts.objectives.diagonal_net_1sam(rho=0.2, batch=2, n=6, dim=5, sparsity=1, seed=0)
    x0 = np.concatenate([np.full(5, 0.3), np.full(5, 0.1)])
    a, b, c = (ts.run(f, ts.methods.gd(0.05), x0=x0, steps=50, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    with pytest.raises(ValueError, match="seed"):
        ts.run(f, ts.methods.gd(0.05), x0=x0, steps=5)


@pytest.mark.parametrize("kw, exc, match", [
    (dict(rho=-0.1), ValueError, "rho must be finite and >= 0"),
    (dict(rho=np.inf), ValueError, "rho must be finite and >= 0"),
    (dict(normalized=1), ValueError, "normalized must be True or False"),
    (dict(batch=-1), ValueError, "batch must be an integer >= 0"),
])
def test_bad_parameters(kw, exc, match):
    with pytest.raises(exc, match=match):
        ts.objectives.get("diagonal_net_1sam", n=4, dim=3, sparsity=1, **kw)
