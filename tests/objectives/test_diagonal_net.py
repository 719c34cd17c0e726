"""diagonal_net: kernels against a NumPy reference, the label-noise oracle, the toy, validation."""
import numpy as np
import pytest

import theorysim as ts
from theorysim.objectives.diagonal_net import trace_hessian


def _reference(X, y, th):
    n, d = X.shape
    u, v = th[:d], th[d:]
    r = X @ (u * v) - y
    g = np.concatenate([(X * v).T @ r, (X * u).T @ r]) / n
    return 0.5 * np.mean(r**2), g


def test_full_batch_value_gradient_and_hessian():
    rs = np.random.default_rng(0)
    X, y = rs.normal(size=(6, 4)), rs.normal(size=6)
    f = ts.objectives.get("diagonal_net", X=X, y=y)
    th = rs.normal(size=8)
    v, g = f.value_and_grad(th)
    v0, g0 = _reference(X, y, th)
    assert v == pytest.approx(v0, rel=1e-13) and np.allclose(g, g0, rtol=1e-12, atol=1e-14)
    eps = 1e-6  # Hessian against central differences of the exact gradient
    Hfd = np.array([(_reference(X, y, th + eps * e)[1] - _reference(X, y, th - eps * e)[1]) / (2 * eps)
                    for e in np.eye(8)])
    assert np.allclose(f.hessian(th), Hfd, atol=1e-7)
    assert trace_hessian(f, th)[0] == pytest.approx(np.trace(f.hessian(th)), rel=1e-12)


def test_toy_is_ab_minus_one_squared():
    f = ts.objectives.get("diagonal_net", X=[[1.0]], y=[1.0])
    a, b = 1.7, -0.4
    v, g = f.value_and_grad([a, b])
    assert v == pytest.approx(0.5 * (a * b - 1) ** 2) and np.allclose(g, (a * b - 1) * np.array([b, a]))
    assert trace_hessian(f, [2.0, 0.5])[0] == 4.25


def test_label_noise_is_plus_minus_sigma():
    """At an interpolator the one-sample gradient is -eps (b, a) with eps = +-sigma, each half the time."""
    f = ts.objectives.get("diagonal_net", X=[[1.0]], y=[1.0], sigma=0.3, batch=1)
    from theorysim.engine._codegen import family_module
    from theorysim.oracles import _rng

    n = 20000
    X = np.tile(np.array([[2.0], [0.5]]), (1, n))
    G, F = np.empty_like(X), np.empty(n)
    family_module(f).value_and_grad(f.params, X, G, F, 0, n, 0, _rng.seed_states(1, n), np.empty((2, 2)))
    eps = -G[0] / 0.5
    assert np.allclose(np.abs(eps), 0.3, rtol=1e-14)
    assert abs(np.mean(eps > 0) - 0.5) < 4 * 0.5 / np.sqrt(n)
    assert np.all(F == 0.0)  # the recorded loss uses the clean label


@pytest.mark.parametrize("kw, match", [
    (dict(X=[[1.0, 2.0]], y=[1.0, 2.0]), "need X of shape"),
    (dict(sigma=-1.0), "sigma must be finite and >= 0"),
    (dict(batch=-1), "batch must be an integer >= 0"),
    (dict(X=[[np.nan]], y=[1.0]), "must be finite"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        ts.objectives.get("diagonal_net", **kw)
