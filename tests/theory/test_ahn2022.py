"""ahn2022.rp_identity: RP = -1 + (eta/2) kappa_dir on quadratics; a changed constant fails; the
diagnostics refuse bad input."""
import numpy as np
import pytest

import theorysim as ts
from theorysim import theory
from theorysim.diagnostics import directional_curvature, relative_progress
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
