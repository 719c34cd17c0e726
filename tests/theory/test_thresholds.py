"""thresholds.quadratic: exact stability edges of GD, heavy ball and unnormalized SAM on a
quadratic; a changed constant flips both verdicts."""
import pytest

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import thresholds as th


def test_verdicts():
    row = theory.check("thresholds.quadratic")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert row.simulation.measured <= th.RTOL


def test_evaluate_gives_the_table():
    st = theory.get("thresholds.quadratic")
    assert st.evaluate("gd", **{"lambda": 4.0}) == 0.5
    assert st.evaluate("heavy_ball", **{"lambda": 4.0, "mu": 0.5}) == 0.75
    assert st.evaluate("sam", **{"lambda": 2.0, "rho": 0.5}) == pytest.approx(0.5, rel=1e-15)


def _wrong(rule, expr):
    class Wrong(th.QuadraticThresholds):
        def expressions(self):
            e = super().expressions()
            e[rule] = expr
            return e

    return Wrong()


@pytest.mark.parametrize("rule, expr", [
    ("heavy_ball", 2 * (1 + S.mu / 2) / S.lam),          # momentum counted half
    ("sam", 2 / (S.lam + S.rho * S.lam**2 / 2)),         # curvature term halved
    ("gd", 2.01 / S.lam),                                # 0.5 % off: beyond RTOL = 1e-3
])
def test_changed_constant_fails(rule, expr):
    st = _wrong(rule, expr)
    assert st.symbolic_check().status == "fail"
    assert st.simulate().status == "fail"
