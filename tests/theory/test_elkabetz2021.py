"""elkabetz2021.*: GD vs gradient flow (1-D gap, balancedness of a deep linear chain); a changed
constant flips both verdicts."""
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import elkabetz2021 as ek


@pytest.mark.parametrize("sid", theory.ids("elkabetz2021"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


def test_wrong_leading_term_fails():
    class Wrong(ek.Gap1D):
        def expressions(self):
            e = super().expressions()
            e["leading"] = -S.eta * ek.A**2 * ek.TT / 3 * sp.exp(-ek.A * ek.TT)   # 1/3 for 1/2
            return e

    assert Wrong().symbolic_check().status == "fail"
    assert Wrong().simulate().status == "fail"


def test_wrong_gap_fails_both_ways():
    class Wrong(ek.Gap1D):
        def expressions(self):
            e = super().expressions()
            e["gap"] = (1 - S.eta * ek.A) ** ek.K - sp.exp(-ek.A * S.eta * (ek.K + 1))
            return e

    assert Wrong().symbolic_check().status == "fail"
    assert Wrong().simulate().status == "fail"


def test_wrong_gd_factor_fails_both_ways():
    class Wrong(ek.Balancedness):
        def expressions(self):
            return super().expressions() | {"gd_factor": S.eta**2 / 2}

    assert Wrong().symbolic_check().status == "fail"
    assert Wrong().simulate().status == "fail"
