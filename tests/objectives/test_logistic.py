"""logistic: full-batch kernels against NumPy, the coupling of the sample sequence, validation."""
import numpy as np
import pytest

import theorysim as ts


def test_full_batch_value_gradient_hessian():
    rs = np.random.default_rng(0)
    X = rs.normal(size=(20, 3))
    y = np.sign(rs.normal(size=20))
    f = ts.objectives.get("logistic", X=X, y=y, batch=0)
    w = rs.normal(size=3) * 3
    m = y * (X @ w)
    v, g = f.value_and_grad(w)
    assert v == pytest.approx(np.mean(np.log1p(np.exp(-m))), rel=1e-13)
    assert np.allclose(g, -(X * (y / (1 + np.exp(m)))[:, None]).mean(axis=0), rtol=1e-12)
    s = 1 / (1 + np.exp(-m))
    assert np.allclose(f.hessian(w), (X.T * (s * (1 - s))) @ X / 20, rtol=1e-12)
    assert f.info["beta"] == pytest.approx((X**2).sum(axis=1).max() / 4) == f.L0
    assert np.isfinite(f.value(np.full(3, 1e4)))  # no overflow for large margins


def test_same_seed_same_sample_sequence():
    """Two data sets that differ only in example 0: runs with the same seed agree until the first
    time example 0 is drawn (then they differ)."""
    from theorysim.theory.hardt2016 import coupled_data

    f, g = coupled_data()
    a = ts.run(f, ts.methods.gd(0.1), x0=np.zeros(10), steps=300, seed=7)
    b = ts.run(g, ts.methods.gd(0.1), x0=np.zeros(10), steps=300, seed=7)
    same = np.all(a.x == b.x, axis=1)
    first = int(np.argmin(same))
    assert first > 0 and np.all(same[:first]) and not np.any(same[first:])


@pytest.mark.parametrize("kw, match", [
    (dict(X=[[1.0]], y=[0.5]), "labels y must be -1 or"),
    (dict(X=[[1.0, 2.0]], y=[1.0, 1.0]), "need X of shape"),
    (dict(batch=-2), "batch must be an integer >= 0"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        ts.objectives.get("logistic", **kw)
