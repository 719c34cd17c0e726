"""Yaida 2018 (SGD's stationary laws): verdicts, and wrong constants that must flip them."""
import numpy as np
import pytest
import sympy as sp

import theorysim as ts
from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import yaida2018 as Y


@pytest.mark.parametrize("sid", theory.ids("yaida2018"))
def test_verdicts(sid):
    row = theory.check(sid)
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail


def test_fdr_numbers_match_the_closed_form():
    """At eta = 0.1, B = 1: <theta . grad f> = sum_i eta c_i / (B (2 - eta h_i)) = 0.272347."""
    (eta, b, lhs, rhs), _ = Y.FDR1().measure(quick=True)
    exact = sum(eta * Y.C_DIAG / (b * (2 - eta * h)) for h in Y.H_DIAG)
    assert exact == pytest.approx(0.272347, abs=1e-6)
    m, se = Y.mean_se(lhs)
    assert abs(m - exact) < 4 * se and se < 0.01 * exact
    m, se = Y.mean_se(rhs)
    assert abs(m - exact) < 4 * se


class _WrongFDR(Y.FDR1):
    def expressions(self):  # eta <||g||^2> without the 1/2
        return {"fdr": S.eta * S.g2}


class _WrongFDRsmall(Y.FDR1):
    def expressions(self):  # a 10% error in the constant
        return {"fdr": sp.Rational(11, 20) * S.eta * S.g2}


@pytest.mark.parametrize("cls", [_WrongFDR, _WrongFDRsmall])
def test_wrong_fdr_constant_fails(cls):
    assert cls().symbolic_check().status == "fail"
    assert cls().simulate(quick=True).status == "fail"


class _WrongVariance(Y.StationaryVariance):
    def expressions(self):  # the small-step form eta c / (2 B h), without the -eta h
        return {"sigma2": S.eta * S.c_i / (2 * S.B * S.h_i)}


def test_wrong_variance_fails():
    assert _WrongVariance().symbolic_check().status == "fail"
    assert _WrongVariance().simulate(quick=True).status == "fail"


def test_variance_samples_shape_and_divergence_is_reported():
    x2 = Y.variance_samples(0.1, 1, [0, 1], 200, 50)
    assert x2.shape == (2, len(Y.H_DIAG)) and np.all(x2 > 0)
    with pytest.raises(RuntimeError, match="diverged"):
        Y.fdr_samples(1.0, 1, [0, 1], 2000, 10)  # eta * max h = 3 > 2: overflows


class _WrongMomentumFDR(Y.MomentumFDR1):
    CASES_QUICK = ((0.1, 0.5, 1),)

    def expressions(self):  # (1 - mu) where stationarity gives (1 + mu)
        return {"fdr": (1 - S.mu) / (2 * S.eta) * Y.v2}


class _PlainFDRForMomentum(Y.MomentumFDR1):
    CASES_QUICK = ((0.1, 0.5, 1),)

    def expressions(self):  # the plain-SGD constant 1/(2 eta), momentum ignored
        return {"fdr": Y.v2 / (2 * S.eta)}


@pytest.mark.parametrize("cls", [_WrongMomentumFDR, _PlainFDRForMomentum])
def test_wrong_momentum_fdr_constant_fails(cls):
    assert cls().symbolic_check().status == "fail"
    assert cls().simulate(quick=True).status == "fail"


def test_heavy_ball_is_yaidas_velocity_form():
    """v_{t+1} = mu v_t - eta g_t, theta_{t+1} = theta_t + v_{t+1} (v_0 = 0) gives heavy ball's iterates."""
    f = ts.objectives.get("quadratic", lam=[0.5, 2.0])
    tr = ts.run(f, ts.methods.heavy_ball(0.1, mu=0.7), x0=[1.0, -1.0], steps=50)
    th, v, out = np.array([1.0, -1.0]), np.zeros(2), [np.array([1.0, -1.0])]
    for _ in range(50):
        v = 0.7 * v - 0.1 * np.array([0.5, 2.0]) * th
        th = th + v
        out.append(th)
    np.testing.assert_allclose(tr.x, out, rtol=1e-13, atol=1e-15)
