"""li2022 statements (scale invariance + weight decay): verdicts, and changed constants that fail."""
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import li2022 as T


@pytest.mark.parametrize("sid", theory.ids("li2022"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


class _Degree1(T.Euler):
    def expressions(self):
        return {"k": sp.Integer(1)}


class _HessP1(T.HessianScaling):
    def expressions(self):
        return {"p": sp.Integer(-1)}


class _FirstOrder(T.NormEquilibrium):
    def expressions(self):  # 2 lambda/eta: the clip level squared, only first order in eta lambda
        return {"ratio": 2 * S.lam / S.eta}


class _EoSNoHalf(T.EoSNorm):
    def expressions(self):
        c = sp.Symbol("c", positive=True)
        amax, amin = sp.symbols("a_max a_min", positive=True)
        return {"r2": S.eta * c * (amax - amin)}


@pytest.mark.parametrize("cls", [_Degree1, _HessP1, _FirstOrder, _EoSNoHalf])
def test_changed_constant_fails(cls):
    assert cls().symbolic_check().status == "fail"
    assert cls().simulate(quick=True).status == "fail"


def test_scale_invariant_has_no_pair():
    row = theory.check("cert.scale_invariant")
    assert row.symbolic.status == "pass" and row.simulation.status == "pass"
