"""scale_invariant: kernels against sympy, 0-homogeneity of the value, NaN at the origin, validation."""
import numpy as np
import pytest
import sympy as sp

import theorysim as ts


def test_kernels_match_the_sympy_form():
    f = ts.objectives.get("scale_invariant", a=[1.0, 4.0, 10.0], scale=3.0)
    expr, xs = f.sympy_form()
    grad = sp.lambdify(xs, [sp.diff(expr, x) for x in xs])
    hess = sp.lambdify(xs, sp.hessian(expr, xs))
    rs = np.random.default_rng(0)
    for _ in range(5):
        w = rs.normal(size=3) * 10 ** rs.uniform(-3, 3)
        v, g = f.value_and_grad(w)
        assert v == pytest.approx(float(expr.subs(dict(zip(xs, w)))), rel=1e-13)
        assert np.allclose(g, grad(*w), rtol=1e-12, atol=0)
        H = np.array(hess(*w), float)
        assert np.allclose(f.hessian(w), H, rtol=1e-10, atol=1e-12 * np.abs(H).max())


def test_value_is_scale_invariant_and_the_minimum_is_c_amin_over_2():
    f = ts.objectives.get("scale_invariant", a=[2.0, 5.0], scale=0.5)
    w = np.array([0.3, -0.8])
    assert f.value(1e6 * w) == pytest.approx(f.value(w), rel=1e-14)
    assert f.value([7.0, 0.0]) == f.f_star == 0.5 * 0.5 * 2.0
    assert f.info["sphere_sharpness"] == 3.0


def test_origin_is_data_not_an_exception():
    f = ts.objectives.get("scale_invariant")
    tr = ts.run(f, ts.methods.gd(0.1), x0=[0.0, 0.0, 0.0], steps=5)
    assert tr.diverged and tr.diverged_at == 0


@pytest.mark.parametrize("kw, match", [
    (dict(a=[1.0]), "dim >= 2"),
    (dict(a=[1.0, -2.0]), "a must be finite and >= 0"),
    (dict(scale=0.0), "scale must be finite and > 0"),
    (dict(scale=float("inf")), "scale must be finite and > 0"),
])
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        ts.objectives.get("scale_invariant", **kw)
