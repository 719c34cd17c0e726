"""Built-in objectives: kernels agree with their sympy form, finite differences and constants."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import theorysim as ts


def _sympy_eval(f, x):
    expr, syms = f.sympy_form()
    sub = dict(zip(syms, x))
    val = float(expr.subs(sub).evalf(30))
    grad = [float(sp.diff(expr, s).subs(sub).evalf(30)) for s in syms]
    return val, np.array(grad)


def test_kernels_agree_with_sympy_form(builtin):
    f, x0 = builtin
    rng = np.random.default_rng(0)
    for x in [x0, 0.3 * x0, x0 + rng.normal(size=f.dim)]:
        v, g = f.value_and_grad(x)
        vs, gs = _sympy_eval(f, x)
        assert v == pytest.approx(vs, rel=1e-12, abs=1e-300)
        np.testing.assert_allclose(g, gs, rtol=1e-12, atol=1e-300)


def test_hessian_matches_finite_differences_of_gradient(builtin):
    f, x0 = builtin
    x = 0.5 * x0 + 0.1
    H = f.hessian(x)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    fd = np.array([(f.grad(x + h[i] * e) - f.grad(x - h[i] * e)) / (2 * h[i])
                   for i, e in enumerate(np.eye(f.dim))]).T
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(H, H.T)


def test_batched_kernel_equals_pointwise(builtin):
    f, x0 = builtin
    X = np.ascontiguousarray(np.stack([x0, 0.5 * x0, -x0, x0 + 1.0], axis=1))
    G = np.empty_like(X)
    F = np.empty(4)
    f.evaluate(X, G, F)
    for j in range(4):
        v, g = f.value_and_grad(X[:, j])
        assert F[j] == v
        np.testing.assert_array_equal(G[:, j], g)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-30, 30), min_size=2, max_size=2))
def test_documented_pair_holds_at_random_points(xy):
    """||Hess f(x)||_2 <= L0 + L1 ||grad f(x)|| for every built-in (Zhang et al. 2020, Def. 1)."""
    for f in [ts.objectives.get("power", p=4, c=4, dim=2), ts.objectives.get("power", p=3, dim=2),
              ts.objectives.get("power", p=5.5, c=0.5, dim=2), ts.objectives.get("cosh", dim=2),
              ts.objectives.get("cosh", a=3.0, s=0.2, dim=2),
              ts.objectives.get("quadratic", lam=[2.0, 0.5]),
              ts.objectives.get("ramp_wall", L0=2.0, L1=0.5, M=100.0, eps=0.05, Delta=1.0)]:
        x = np.array(xy) if f.name != "cosh" else np.clip(xy, -20, 20)
        assert f.smoothness_ratio(x) <= 1.0 + 1e-12


def test_pairs_are_tight_where_documented():
    """cosh: equality at 0 (L0 needed); power: the maximiser a* = (p-2)/L1 attains L0."""
    c = ts.objectives.get("cosh")
    assert c.smoothness_ratio([0.0]) == pytest.approx(1.0)
    assert c.smoothness_ratio([30.0]) == pytest.approx(1.0, abs=1e-12)
    for p, cc in [(3.0, 3.0), (4.0, 4.0), (5.5, 0.5)]:
        f = ts.objectives.get("power", p=p, c=cc)
        assert f.smoothness_ratio([(p - 2.0) / f.L1]) == pytest.approx(1.0, rel=1e-12)
    assert ts.objectives.get("power", p=4, c=4).L0 == 16.0  # x^4: 16/L1^2 (core-theory fact 4)
    assert ts.objectives.get("power", p=3, c=3).L0 == 3.0   # x^3: 3/L1


def test_ramp_wall_start_and_lower_bound():
    f = ts.objectives.get("ramp_wall", L0=1.0, L1=2.0, M=1e4, eps=0.05, Delta=3.0)
    g = f.grad(f.x0)
    assert g[1] == pytest.approx(1e4, rel=1e-12)          # wall gradient M
    assert 0.05 < g[0] <= 2 * 0.05                         # ramp slope s = 2 eps, above eps
    psi = f.value([f.x0[0], 0.0])
    assert psi == pytest.approx(3.0, rel=1e-12)            # ramp drop Delta
    i = f.info
    assert i["h_max"] == pytest.approx(2 * np.arcsinh(2e4) / (2 * 1e4))
    # fixed steps just above h_max diverge; just below they must cross the ramp slowly
    tr = ts.run(f, ts.methods.gd(1.01 * i["h_max"]), steps=200)
    assert tr.diverged or tr.grad_norm[-1] > 1e4
    n_low = i["gd_lower_bound"]
    tr = ts.run(f, ts.methods.gd(i["h_max"]), steps=int(3 * n_low), tol=0.05, stop_at_tol=True)
    assert tr.first_hit >= n_low


def test_repr_and_registry():
    assert set(ts.objectives.names()) >= {"quadratic", "power", "cosh", "ramp_wall"}
    assert "cosh" in repr(ts.objectives.cosh())
    assert ts.objectives.cosh().family == ts.objectives.get("cosh").family == "theorysim.objectives.cosh"


@pytest.mark.parametrize("p, c", [(4.0, 4.0), (3.0, 1.0), (2.0, 0.7), (5.5, 0.5), (2.5, 3.0)])
@pytest.mark.parametrize("d", [1, 2])
def test_power_block_pass_gives_the_bits_of_one_column_at_a_time(p, c, d):
    """A sweep evaluates power over a block of columns (for d = 1 value and gradient in one pass);
    a single run one column at a time: f = (1/p) sum_i x_i g_i in the same order either way."""
    import importlib

    f = ts.objectives.get("power", p=p, c=c, dim=d)
    power = importlib.import_module(f.family)  # theorysim.objectives.power, the module
    X = np.random.default_rng(1).uniform(-3.0, 3.0, size=(d, 64))
    G, F = np.zeros_like(X), np.zeros(64)
    scratch = np.zeros((1, d))
    power.value_and_grad(f.params, X, G, F, 0, 64, 0, np.ones((4, 64), np.uint64), scratch)
    for j in range(64):
        g1, f1 = np.zeros_like(X), np.zeros(64)
        power.value_and_grad(f.params, X, g1, f1, j, j + 1, 0, np.ones((4, 64), np.uint64),
                             scratch)
        assert F[j] == f1[j] and np.array_equal(G[:, j], g1[:, j]), j
