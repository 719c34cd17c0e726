"""Reddi, Kale, Kumar 2018: Gamma_t signs and the failure condition of Adam (engine + recurrence)."""
import numpy as np
import pytest
import sympy as sp

from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import reddi2018 as rd

IDS = theory.ids("reddi2018")


@pytest.mark.parametrize("sid", IDS)
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert row.simulation.via == "engine"
    assert "second check (numpy recurrence): pass" in row.simulation.detail
    # Gamma is read in the submission; the drift condition of "thm1" is theorysim's own
    assert row.confirmed == {"reddi2018.gamma": "paper(sub)", "reddi2018.thm1": "ours"}[sid]


def test_thm1_condition_excludes_the_boundary():
    st = theory.get("reddi2018.thm1")
    assert "iff" not in st.title and "F = 0" in st.title
    assert "F = 0" in st.source.note and "theorysim" in st.source.note


def test_limit_cycle_matches_checkable_11():
    _, v = rd.limit_cycle(0, sp.Rational(1, 10), 3, 3)
    assert [round(float(x), 5) for x in v] == [8.20721, 1.72072, 1.07207]


def test_gamma_wrong_beta2_flips():
    class Wrong(rd.Gamma):
        def expressions(self):  # with beta2 = 0.99 the first Gamma is positive for every C
            b2 = sp.Rational(99, 100)
            v1 = (1 - b2) * S.C**2
            v2 = b2 * v1 + (1 - b2)
            return {"gamma2": (sp.sqrt(2) * sp.sqrt(v2) - sp.sqrt(v1)) / S.alpha,
                    "v1": v1, "v2": v2}

    assert Wrong().symbolic_check().status == "fail"


SUMMARIES = {"recurrence": rd.adam_online, "engine": rd.engine_summary}


@pytest.mark.parametrize("via", SUMMARIES)
@pytest.mark.parametrize("b1, b2, C", [(0.0, 0.1, 3.0), (0.0, 0.99, 3.0), (0.3, 0.1, 3.0)])
def test_drift_sign_predicts_and_opposite_prediction_is_wrong(b1, b2, C, via):
    F = float(rd.drift(sp.nsimplify(b1), sp.nsimplify(b2), sp.nsimplify(C)))
    xT, *_ = SUMMARIES[via](b1, b2, C, alpha=0.5, T=20000)
    assert (xT > 0) == (F < 0)
    assert (xT > 0) != (F > 0)  # the flipped criterion would mispredict


@pytest.mark.parametrize("via", SUMMARIES)
def test_amsgrad_gamma_nonnegative_and_converges_to_optimum(via):
    x, gmin, nneg, _ = SUMMARIES[via](0.0, 0.1, 3.0, alpha=0.5, T=20000, amsgrad=True)
    assert nneg == 0 and gmin >= 0 and x < -0.9


def test_engine_index_map():
    """Kernel step k is the paper's t = k + 1: the large gradient at k % P == 0 (t mod P = 1),
    alpha_t = alpha/sqrt(k + 1), and the first effective step a_1 = alpha/sqrt((1 - b2) C^2)."""
    _, tr = rd.engine_online(0.0, 0.1, 3.0, 3, alpha=0.1, T=6)
    np.testing.assert_array_equal(tr.grad_norm[:6], [3, 1, 1, 3, 1, 1])
    a = rd.engine_steps(tr)
    assert a[0] == pytest.approx(0.1 / np.sqrt(0.9 * 9), rel=1e-15)
    assert a[1] == pytest.approx(0.1 / np.sqrt(2) / np.sqrt(0.1 * 0.9 * 9 + 0.9), rel=1e-14)


@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("b1, b2, C, P, alpha, scale", [
    (0.0, 0.1, 3.0, 3, 0.1, 1.0), (0.3, 0.1, 3.0, 3, 0.5, 1.0), (0.0, 0.99, 3.0, 3, 0.5, 1.0),
    (0.9, 0.99, 3.0, 3, 0.5, 1.0), (0.9, 0.99, 101.0, 101, 1.0, 10.0),
])
def test_engine_and_recurrence_agree(b1, b2, C, P, alpha, scale, amsgrad):
    """Same configuration over 1000 steps: iterates to 1e-12 (absolute; the Figure 1 run uses the
    paper's gradients 1010, -10 on the engine, which Adam without epsilon does not see), effective
    steps and losses to rounding, Gamma to the running-sum rounding of the engine's a_t."""
    T = 1000
    e = rd.engine_path(b1, b2, C, P, alpha, T, amsgrad, scale=scale)
    r = rd.online_path(b1, b2, C, P, alpha, T, amsgrad)
    np.testing.assert_allclose(e["x"], r["x"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(e["a"], r["a"], rtol=1e-11)
    np.testing.assert_allclose(e["loss"], r["loss"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(e["gamma"], r["gamma"], rtol=1e-8)


def test_agreement_test_would_catch_an_off_by_one_schedule():
    """The engine with an array schedule alpha_k = alpha/sqrt(k + 1) reproduces the recurrence;
    the off-by-one alpha/sqrt(k + 2) (forgetting that the kernel counts from 0) misses the 1e-12
    tolerance by far."""
    import theorysim as ts

    T = 1000
    f = ts.objectives.get("linear_online", a=3.0, b=-1.0, period=3)
    r = rd.online_path(0.0, 0.1, 3.0, 3, 0.1, T)
    gaps = []
    for first in (1, 2):
        sched = 1 / np.sqrt(np.arange(first, T + first, dtype=float))
        m = ts.methods.adam(0.1, beta1=0.0, beta2=0.1, eps=0.0, bias_correction=False,
                            schedule=sched)
        gaps.append(np.max(np.abs(ts.run(f, m, steps=T).x[:, 0] - r["x"])))
    assert gaps[0] <= 1e-12 < 1e-6 < gaps[1]
