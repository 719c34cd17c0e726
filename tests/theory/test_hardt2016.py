"""hardt2016 statements: verdicts, and changed constants that must fail."""
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import hardt2016 as Hs


@pytest.mark.parametrize("sid", theory.ids("hardt2016"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


class _Alpha4(Hs.Expansive):
    def expressions(self):
        return {"alpha_max": 4 / S.beta}


class _HalfConstant(Hs.DivergenceBound):
    def expressions(self):
        e = dict(super().expressions())
        t = sp.Symbol("t", integer=True, nonnegative=True)
        e["bound"] = S.L / (2 * self.n_sym) * sp.Sum(S.alpha, (t, 0, S.T - 1))
        e["per_step"] = S.alpha * S.L / (2 * self.n_sym)
        return e


def test_changed_constants_fail():
    assert _Alpha4().symbolic_check().status == "fail"
    assert _Alpha4().simulate(quick=True).status == "fail"
    # the halved constant is still a consistent sum (symbolic passes), but the runs exceed it
    assert _HalfConstant().simulate(quick=True).status == "fail"
