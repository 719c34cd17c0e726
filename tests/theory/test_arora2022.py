"""arora2022.*: the flat-valley EoS statements (theorysim's own derivations); each fails when its
constant is changed."""
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import arora2022 as ar


@pytest.mark.parametrize("sid", theory.ids("arora2022"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert row.confirmed == "ours"


def _wrong(cls, **exprs):
    class Wrong(cls):
        def expressions(self):
            return super().expressions() | exprs

    return Wrong()


@pytest.mark.parametrize("st", [
    _wrong(ar.NGDCycle, mean_amplitude=S.eta / 3),
    _wrong(ar.SqrtCycle, mean_amplitude=S.eta / 2 * sp.sqrt(1 + ar.Y**2)),      # lost the 1/2
    _wrong(ar.Drift, sqrt_rate=-S.eta**2 / 2),                                  # NGD's rate
    _wrong(ar.Drift, ngd_rate=-S.eta**2 / 4),
], ids=["ngd_cycle", "sqrt_cycle", "drift_sqrt", "drift_ngd"])
def test_changed_constant_fails(st):
    assert st.symbolic_check().status == "fail"
    assert st.simulate().status == "fail"


def test_gd_and_clipped_gd_freeze_while_ngd_and_sqrt_gd_flatten():
    runs = ar.flat_valley_runs()
    sharp = {m: 1 + tr.x[-1, 1] ** 2 for m, tr in runs.items()}
    assert sharp["gd"] > 4.0 and sharp["clipped_gd"] > 4.0
    assert sharp["normalized_gd"] < 1.01 and sharp["sqrt_gd"] < 1.03
