"""ahn2022.rp_identity: RP = -1 + (eta/2) kappa_dir on quadratics; a changed constant fails; the
diagnostics refuse bad input."""
import numpy as np
import pytest

import theorysim as ts
from theorysim import theory
from theorysim.diagnostics import directional_curvature, directional_smoothness, relative_progress
from theorysim.theory import _symbols as S
from theorysim.theory import ahn2022 as ah


def test_verdicts():
    row = theory.check("ahn2022.rp_identity")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert "0 mismatches" in row.simulation.detail


@pytest.mark.parametrize("expr", [-1 + S.eta / 3 * ah.KAPPA, -1 + S.eta * ah.KAPPA])
def test_changed_constant_fails(expr):
    class Wrong(ah.RPIdentity):
        def expressions(self):
            return {"rp": expr}

    assert Wrong().symbolic_check().status == "fail"
    assert Wrong().simulate().status == "fail"


def test_diagnostics_on_a_known_point():
    f = ts.objectives.get("quadratic", lam=[1.0, 4.0])
    x = np.array([[1.0, 1.0]])
    g = np.array([1.0, 4.0])
    kappa = (g @ np.diag([1.0, 4.0]) @ g) / (g @ g)
    assert directional_curvature(f, x)[0] == pytest.approx(kappa, rel=1e-15)
    assert relative_progress(f, x, 0.3)[0] == pytest.approx(-1 + 0.15 * kappa, rel=1e-14)
    assert np.isnan(relative_progress(f, np.zeros((1, 2)), 0.3)[0])


def test_directional_curvature_without_a_hessian_kernel():
    import numba

    @numba.njit
    def fg(x, g):
        g[0] = 3.0 * x[0]
        g[1] = 0.5 * x[1]
        return 1.5 * x[0] ** 2 + 0.25 * x[1] ** 2

    f = ts.objectives.from_numba(fg, dim=2)
    k = directional_curvature(f, np.array([[1.0, 2.0]]))[0]
    g = np.array([3.0, 1.0])
    assert k == pytest.approx((9 * 3.0 + 1 * 0.5) / (g @ g), rel=1e-6)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf])
def test_bad_eta(bad):
    f = ts.objectives.get("quadratic", lam=1.0)
    with pytest.raises(ValueError, match="eta"):
        relative_progress(f, np.ones((2, 1)), bad)


def test_bad_rows():
    f = ts.objectives.get("quadratic", lam=[1.0, 2.0])
    with pytest.raises(ValueError, match="xs"):
        directional_curvature(f, np.ones(2))


def test_hugging_verdicts():
    row = theory.check("ahn2022.edge_hugging")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert row.simulation.measured < 1e-3
    assert "loss rose at" in row.simulation.detail


@pytest.mark.parametrize("level", [3 / S.eta, 1.8 / S.eta])
def test_hugging_fails_at_another_level(level):
    class Wrong(ah.EdgeHugging):
        def expressions(self):
            return {"level": level}

    assert Wrong().symbolic_check().status == "fail"
    v = Wrong().simulate()
    assert v.status == "fail" and v.measured > 0.09


def test_directional_smoothness_on_a_quadratic_and_a_flip():
    f = ts.objectives.get("quadratic", lam=[1.0, 4.0])
    x = np.array([[1.0, 1.0], [0.3, -2.0]])
    # on a quadratic the secant equals the pointwise curvature, whatever eta
    np.testing.assert_allclose(directional_smoothness(f, x, 0.7), directional_curvature(f, x), rtol=1e-13)
    # log cosh(x): from x = 3 the step eta = 6 / tanh(3) lands on -3, where the gradient is exactly -g,
    # so L = 2/eta; the curvature at the iterate, sech(3)^2 = 0.0099, is far below it
    import sympy as sp

    z = sp.Symbol("z", real=True)
    h = ts.objectives.from_sympy(sp.log(sp.cosh(z)), [z])
    eta = 6.0 / np.tanh(3.0)
    L = directional_smoothness(h, np.array([[3.0]]), eta)[0]
    assert L == pytest.approx(2.0 / eta, rel=1e-13)
    assert directional_curvature(h, np.array([[3.0]]))[0] == pytest.approx(1 / np.cosh(3.0) ** 2, rel=1e-12)
    assert np.isnan(directional_smoothness(f, np.zeros((1, 2)), 0.3)[0])
    with pytest.raises(ValueError, match="eta"):
        directional_smoothness(f, x, -1.0)


def test_product_loss_target():
    f = ts.objectives.product_loss(2.0, c=1.0)
    v, g = f.value_and_grad([0.5, 3.0])
    s = np.sqrt(2.0) * (1.5 - 1.0)
    assert v == pytest.approx(np.log(np.cosh(s)), rel=1e-14)
    np.testing.assert_allclose(g, np.sqrt(2.0) * np.tanh(s) * np.array([3.0, 0.5]), rtol=1e-14)
    # on the valley xy = c the Hessian is a (y, x)(y, x)'
    np.testing.assert_allclose(f.hessian([0.5, 2.0]), 2.0 * np.outer([2.0, 0.5], [2.0, 0.5]), atol=1e-14)
    for bad in (np.inf, "x"):
        with pytest.raises(ValueError, match="c must"):
            ts.objectives.product_loss(1.0, c=bad)
