"""granziol2022.mp_edge: verdicts, and changed constants that must fail."""
import sympy as sp

from theorysim import theory
from theorysim.theory import granziol2022 as Gt


def test_verdicts():
    row = theory.check("granziol2022.mp_edge")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


class _NoSqrt(Gt.MPEdge):
    def expressions(self):
        return {"edge": Gt.s2 * (1 + Gt.q) ** 2}


class _TwoSqrt(Gt.MPEdge):
    def expressions(self):
        return {"edge": Gt.s2 * (1 + 2 * sp.sqrt(Gt.q)) ** 2}


def test_changed_constants_fail():
    for cls in (_NoSqrt, _TwoSqrt):
        assert cls().symbolic_check().status == "fail"
        assert cls().simulate(quick=True).status == "fail"
