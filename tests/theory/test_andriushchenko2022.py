"""SAM statements: verdicts, and changed constants that must fail."""
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import andriushchenko2022 as A


@pytest.mark.parametrize("sid", theory.ids("andriushchenko2022"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


class _GDEdge(A.USAMStability):
    def expressions(self):  # GD's edge 2/h, ignoring the rho h^2 term
        return {"edge": 2 / S.h_i}


class _NoDenominator(A.NSAMTwoCycle):
    def expressions(self):  # the amplitude without the (2 - eta h): eta h rho / 2
        return {"amplitude": S.eta * S.h_i * A.rho / 2}


class _Rho2(A.USAMStability):
    def expressions(self):
        return {"edge": 2 / (S.h_i + 2 * A.rho * S.h_i**2)}


@pytest.mark.parametrize("cls", [_GDEdge, _NoDenominator, _Rho2])
def test_changed_constant_fails(cls):
    assert cls().symbolic_check().status == "fail"
    assert cls().simulate(quick=True).status == "fail"


def test_symbols_are_positive():
    assert A.rho.is_positive and sp.Symbol("rho", positive=True) == A.rho


class _OneSAMNoHalf(A.OneSAMSparser):
    def expressions(self):  # the 1-SAM penalty without its 1/2
        return dict(super().expressions(), penalty_1sam=A.rho * A.G1)


class _GapSwapped(A.OneSAMSparser):
    def expressions(self):  # the gap the other way round (n-SAM's penalty larger)
        return dict(super().expressions(), gap=A.rho * (A.Gf - A.G1) / 2)


class _RhoZero(A.OneSAMSparser):
    RHO = 0.0  # 1-SAM and n-SAM are then GD: nothing ends sparser


@pytest.mark.parametrize("cls", [_OneSAMNoHalf, _GapSwapped])
def test_one_sam_changed_penalty_fails(cls):
    assert cls().symbolic_check().status == "fail"


def test_one_sam_without_ascent_is_not_sparser():
    v = _RhoZero().simulate(quick=True)
    assert v.status == "fail" and v.measured == v.bound, v.detail
