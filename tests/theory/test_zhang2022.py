"""zhang2022.*: period doubling and the exact invariant measure of GD on the double well; a
changed constant flips both verdicts."""
import pytest
import sympy as sp

import theorysim as ts
from theorysim import theory
from theorysim.theory import zhang2022 as zl


@pytest.mark.parametrize("sid", theory.ids("zhang2022"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


def _wrong(cls, **exprs):
    class Wrong(cls):
        def expressions(self):
            return super().expressions() | exprs

    return Wrong()


@pytest.mark.parametrize("st", [
    _wrong(zl.PeriodDoubling, eta2=sp.Rational(5, 4)),                   # 1.25: off by 1.1 %
    _wrong(zl.PeriodDoubling, eta1=sp.Rational(101, 100)),
    _wrong(zl.Chebyshev, mean_loss=sp.Rational(-1, 4)),                  # the minimum's value
    _wrong(zl.Chebyshev, mean_sq_grad=sp.Rational(1, 4)),
], ids=["eta2", "eta1", "mean_loss", "mean_sq_grad"])
def test_changed_constant_fails(st):
    assert st.symbolic_check().status == "fail"
    assert st.simulate().status == "fail"


def test_gd_map_is_the_engine_step():
    f = ts.objectives.get("double_well")
    tr = ts.run(f, ts.methods.gd(1.7), x0=[0.4], steps=5)
    x = 0.4
    for k in range(1, 6):
        x = float(zl.gd_map(sp.Float(x), 1.7))
        assert tr.x[k, 0] == pytest.approx(x, rel=1e-13)


def test_double_well_objective():
    f = ts.objectives.get("double_well", dim=2)
    v, g = f.value_and_grad([2.0, -0.5])
    assert v == pytest.approx(4 - 2 + 0.015625 - 0.125) and list(g) == [6.0, 0.375]
    assert f.hessian([2.0, -0.5])[0, 0] == 11.0 and f.f_star == -0.5
    with pytest.raises(ValueError, match="dim"):
        ts.objectives.get("double_well", dim=0)


def test_locate_refuses_a_bracket_without_a_transition():
    with pytest.raises(ValueError, match="no transition"):
        zl.locate(lambda etas: etas < 10.0, 0.5, 1.0)
