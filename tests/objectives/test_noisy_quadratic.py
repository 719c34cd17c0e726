"""noisy_quadratic: the oracle's mean, its noise variance c_i/B, validation, reproducibility."""
import numpy as np
import pytest

import theorysim as ts


def _gradients(f, x, n, seed=0):
    """n independent oracle calls at x (one column per call, each its own stream)."""
    from theorysim.oracles import _rng

    X = np.repeat(np.asarray(x, float).reshape(-1, 1), n, axis=1)
    G = np.empty_like(X)
    F = np.empty(n)
    from theorysim.engine._codegen import family_module

    rng = _rng.seed_states(seed, n)
    family_module(f).value_and_grad(f.params, X, G, F, 0, n, 0, rng, np.empty((2, f.dim)))
    return F, G


def test_oracle_mean_and_variance_per_coordinate():
    h, c, B = np.array([0.5, 2.0, 3.0]), np.array([1.0, 4.0, 0.25]), 4
    f = ts.objectives.get("noisy_quadratic", h=h, c=c, batch=B)
    x = np.array([1.0, -2.0, 0.5])
    n = 40000
    F, G = _gradients(f, x, n)
    assert np.allclose(F, 0.5 * np.sum(h * x**2), rtol=0, atol=1e-15)  # the mean loss, no noise
    se_mean = np.sqrt(c / B / n)
    assert np.all(np.abs(G.mean(axis=1) - h * x) < 5 * se_mean)
    var = G.var(axis=1, ddof=1)
    assert np.all(np.abs(var / (c / B) - 1) < 5 * np.sqrt(2 / n))  # SE of a sample variance
    # the coordinates' noises are independent
    assert abs(np.corrcoef(G[0], G[1])[0, 1]) < 5 / np.sqrt(n)


def test_batch_divides_the_variance():
    f1 = ts.objectives.get("noisy_quadratic", h=[1.0], c=2.0, batch=1)
    f8 = ts.objectives.get("noisy_quadratic", h=[1.0], c=2.0, batch=8)
    _, G1 = _gradients(f1, [0.0], 20000)
    _, G8 = _gradients(f8, [0.0], 20000)
    assert G1.var() / G8.var() == pytest.approx(8.0, rel=0.05)


def test_records_hold_the_sampled_gradient_and_the_mean_loss():
    f = ts.objectives.get("noisy_quadratic", h=[1.0, 2.0], c=1.0, batch=1)
    tr = ts.run(f, ts.methods.gd(0.1), x0=[1.0, 1.0], steps=50, seed=3)
    g = (tr.x[:-1] - tr.x[1:]) / 0.1  # the sampled gradients SGD used
    assert np.allclose(np.linalg.norm(g, axis=1), tr.grad_norm[:-1], rtol=1e-12)
    assert np.allclose(tr.loss, 0.5 * (tr.x[:, 0] ** 2 + 2 * tr.x[:, 1] ** 2), rtol=1e-13)
    again = ts.run(f, ts.methods.gd(0.1), x0=[1.0, 1.0], steps=50, seed=3)
    assert np.array_equal(tr.x, again.x)
    assert f.L0 == 2.0 and f.L1 == 0.0 and f.info["stochastic"]


@pytest.mark.parametrize("kw, match", [
    (dict(batch=0), "batch must be an integer >= 1"),
    (dict(batch=2.5), "batch must be an integer >= 1"),
    (dict(h=[1.0, -1.0]), "h must be finite and > 0"),
    (dict(h=[1.0, 2.0], c=[1.0, 1.0, 1.0]), "c must be a number or a vector of length 2"),
    (dict(c=0.0), "c must be finite and > 0"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        ts.objectives.get("noisy_quadratic", **kw)
