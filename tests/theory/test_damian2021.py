"""damian2021: the flat-minimizer statement, and changed constants that must fail."""
import sympy as sp

from theorysim import theory
from theorysim.theory import damian2021 as D


def test_verdicts():
    row = theory.check("damian2021.flat_minimizer")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


class _WrongMin(D.FlatMinimizer):
    def expressions(self):
        e = dict(super().expressions())
        e["tr_min"] = sp.Rational(5, 2)  # a wrong minimal trace
        return e


class _WrongPoint(D.FlatMinimizer):
    def expressions(self):
        e = dict(super().expressions())
        e["a_star"] = sp.Integer(2)  # the sharp end of the manifold, where GD stays
        return e


def test_changed_constants_fail():
    for cls in (_WrongMin, _WrongPoint):
        assert cls().symbolic_check().status == "fail"
        assert cls().simulate(quick=True).status == "fail"
