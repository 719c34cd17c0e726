"""flat_valley: kernels against its sympy form (L and sqrt L), Hessian, validation; sharpness."""
import numpy as np
import pytest
import sympy as sp

import theorysim as ts
from theorysim.diagnostics import hvp, sharpness, sharpness_along


@pytest.mark.parametrize("root", [False, True])
@pytest.mark.parametrize("nx, ny", [(1, 1), (2, 3)])
def test_kernels_match_the_sympy_form(nx, ny, root):
    f = ts.objectives.get("flat_valley", nx=nx, ny=ny, root=root)
    expr, xs = f.sympy_form()
    p = np.random.default_rng(nx + 10 * ny).normal(size=nx + ny)
    sub = dict(zip(xs, p))
    v, g = f.value_and_grad(p)
    assert v == pytest.approx(float(expr.subs(sub)), rel=1e-13)
    np.testing.assert_allclose(g, [float(sp.diff(expr, s).subs(sub)) for s in xs], rtol=1e-12)
    np.testing.assert_allclose(f.hessian(p), np.array(sp.hessian(expr, xs).subs(sub), float),
                               rtol=1e-11, atol=1e-13)


def test_manifold_and_sharpness():
    f = ts.objectives.get("flat_valley", nx=1, ny=2)
    p = np.array([0.0, 1.0, 2.0])
    v, g = f.value_and_grad(p)
    assert v == 0.0 and not g.any()
    assert sharpness(f, p) == pytest.approx(6.0, rel=1e-14)  # 1 + |y|^2


def test_root_variant_has_zero_gradient_on_the_kink():
    f = ts.objectives.get("flat_valley", root=True)
    v, g = f.value_and_grad([0.0, 3.0])
    assert v == 0.0 and not g.any()


def test_lanczos_agrees_with_the_exact_top_eigenvalue():
    f = ts.objectives.get("flat_valley", nx=30, ny=40)
    x = np.random.default_rng(0).normal(size=70) * 0.5
    exact = sharpness(f, x, "exact")
    assert sharpness(f, x, "lanczos") == pytest.approx(exact, rel=1e-8)
    v = np.random.default_rng(1).normal(size=70)
    np.testing.assert_allclose(hvp(f, x, v), f.hessian(x) @ v, rtol=1e-6, atol=1e-6)


def test_sharpness_along_a_trajectory():
    f = ts.objectives.get("flat_valley")
    tr = ts.run(f, ts.methods.gd(0.05), x0=[1.0, 2.0], steps=50)
    s = sharpness_along(f, tr.x)
    np.testing.assert_allclose(s, [np.linalg.eigvalsh(f.hessian(x))[-1] for x in tr.x], rtol=1e-14)


@pytest.mark.parametrize("kw, word", [({"nx": 0}, "nx"), ({"ny": 1.5}, "ny"), ({"root": 1}, "root")])
def test_bad_parameters(kw, word):
    with pytest.raises(ValueError, match=word):
        ts.objectives.get("flat_valley", **kw)


def test_bad_sharpness_input():
    f = ts.objectives.get("flat_valley")
    with pytest.raises(ValueError, match="method"):
        sharpness(f, [1.0, 1.0], method="power")
    with pytest.raises(ValueError, match="xs"):
        sharpness_along(f, np.zeros((3, 3)))
