"""Step rules: the papers' parameter choices and the invariants of clipping / normalization."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import theorysim as ts
from tests import reference


def test_theorem3_parameters():
    """Zhang et al. 2020, Thm 3: eta_c = 1/(10 L0), gamma = min(1/eta_c, 1/(10 L1 eta_c))."""
    for L0, L1 in [(1, 1), (2.0, 0.05), (0.5, 4.0)]:
        m = ts.methods.clipped_gd_theorem3(L0, L1)
        eta = 1 / (10 * L0)
        assert m.hyper["eta"] == eta
        assert m.hyper["gamma"] == min(1 / eta, 1 / (10 * L1 * eta))
        # a clipped step never moves farther than gamma*eta_c = min(1, 1/(10 L1))
        assert m.hyper["gamma"] * m.hyper["eta"] == pytest.approx(min(1, 1 / (10 * L1)))
    m6 = ts.methods.gd_theorem6(1.0, 2.0, 100.0)
    assert m6.hyper["eta"] == 1 / (2 * (100.0 * 2.0 + 1.0))


@settings(max_examples=200, deadline=None)
@given(st.floats(1e-3, 10), st.floats(1e-3, 10), st.floats(0, 1e6))
def test_normalized_equivalent_to_clipped_within_factor_two(eta_n, beta, gn):
    """Zhang et al. 2020, Sec. 3.1: with gamma*eta_c = eta_n, eta_c = eta_n/beta the steps agree
    up to a constant: h_c/2 <= h_n <= h_c (the paper prints a factor 2 on both sides)."""
    eta_c, gamma = eta_n / beta, beta
    hc = reference.step_size("clipped_gd", {"gamma": gamma}, eta_c, gn)
    hn = reference.step_size("normalized_gd", {"beta": beta}, eta_n, gn)
    assert 0.5 * hc * (1 - 1e-12) <= hn <= hc * (1 + 1e-12)


@pytest.mark.parametrize("gamma", [0.05, 1.0])
def test_clipped_step_length_never_exceeds_gamma_eta(gamma):
    f = ts.objectives.get("power", p=4, c=1, dim=3)
    tr = ts.run(f, ts.methods.clipped_gd(0.3, gamma), x0=[5.0, -4.0, 2.0], steps=400)
    lengths = np.linalg.norm(np.diff(tr.x, axis=0), axis=1)
    assert np.all(lengths <= gamma * 0.3 * (1 + 1e-12))
    assert np.any(lengths >= gamma * 0.3 * (1 - 1e-12))  # and clipping was active


def test_clipping_an_unclipped_run_changes_nothing():
    """With gamma above every gradient norm along the way, clipped GD is GD, bit for bit."""
    f = ts.objectives.get("cosh")
    a = ts.run(f, ts.methods.gd(0.1), x0=[1.0], steps=200)
    b = ts.run(f, ts.methods.clipped_gd(0.1, 1e6), x0=[1.0], steps=200)
    np.testing.assert_array_equal(a.x, b.x)


def test_normalized_with_beta_zero_takes_fixed_length_steps():
    f = ts.objectives.get("quadratic", lam=[1.0, 10.0])
    tr = ts.run(f, ts.methods.normalized_gd(0.01, 0.0), x0=[3.0, 1.0], steps=50)
    lengths = np.linalg.norm(np.diff(tr.x, axis=0), axis=1)
    np.testing.assert_allclose(lengths, 0.01, rtol=1e-12)


def test_decaying_schedules():
    f = ts.objectives.get("quadratic", lam=1.0)
    tr = ts.run(f, ts.methods.gd(0.5, schedule="inverse_sqrt"), x0=[1.0], steps=4)
    np.testing.assert_allclose(tr.step_size[:4], 0.5 / np.sqrt([1, 2, 3, 4]), rtol=1e-15)
    tr = ts.run(f, ts.methods.gd(0.5, schedule="inverse"), x0=[1.0], steps=4)
    np.testing.assert_allclose(tr.step_size[:4], 0.5 / np.array([1, 2, 3, 4]), rtol=1e-15)


def test_method_repr_and_registry():
    assert repr(ts.methods.clipped_gd(0.1, 1.0)) == \
        "Method(clipped_gd: eta=0.1, gamma=1, schedule=constant)"
    assert ts.methods.names()[:3] == ["gd", "clipped_gd", "normalized_gd"]
    assert {"adam", "amsgrad", "adafom", "signum"} <= set(ts.methods.names())



def _clipped_1d(x0, eta, gamma, steps, c=4.0, divide=False):
    """Losses f(x_0..x_steps) of clipped GD on (c/4) x^4 in plain Python, with the objective's
    arithmetic; the move is the case written out (``move_1d``), or with ``divide`` the product
    h g of eq. (5)."""
    x, out = x0, []
    for t in range(steps + 1):
        g = c * (x * x * x)
        out.append((x * g) * 0.25)
        if t == steps:
            break
        if divide:
            x -= min(eta, gamma * eta / abs(g)) * g
        else:
            cap = gamma * eta
            x -= math.copysign(cap, g) if eta * abs(g) > cap else eta * g
    return np.array(out)


def test_one_dimensional_clipped_steps_are_the_written_out_case_in_every_loop():
    """d = 1: x_{t+1} = x_t - gamma eta sign(g) when clipped, else x_t - eta g, bit for bit, in a
    single run, a sweep's one-pass loop and a recorded sweep; on this grid the product h g gives
    other losses (so the check can fail)."""
    f = ts.objectives.get("power", p=4, c=4)
    eta = np.logspace(-1, np.log10(0.3), 12)
    gamma = np.logspace(0, 1, 12)
    x0, steps = 3.0, 30
    want = np.array([[_clipped_1d(x0, e, g, steps) for g in gamma] for e in eta])
    product = np.array([[_clipped_1d(x0, e, g, steps, divide=True) for g in gamma] for e in eta])
    assert np.all(np.isfinite(want)) and np.sum(want[..., -1] != product[..., -1]) >= 3
    grid = {"eta": eta, "gamma": gamma}
    fast = ts.sweep(f, ts.methods.clipped_gd, grid=grid, x0=[x0], steps=steps)
    recorded = ts.sweep(f, ts.methods.clipped_gd, grid=grid, x0=[x0], steps=steps, record_every=1)
    np.testing.assert_array_equal(fast.final_loss, want[..., -1])
    np.testing.assert_array_equal(recorded.loss, want)
    for i, j in [(0, 0), (3, 7), (11, 11), (6, 2)]:
        tr = ts.run(f, ts.methods.clipped_gd(eta[i], gamma[j]), x0=[x0], steps=steps)
        np.testing.assert_array_equal(tr.loss, want[i, j])
    # with a stochastic oracle (the sweep's noisy scalar pass): a sweep over seeds equals runs
    noise = ts.oracles.gaussian(1.0)
    res = ts.sweep(f, ts.methods.clipped_gd, grid={"seed": np.arange(4)},
                   fixed={"eta": 0.2, "gamma": 2.0}, x0=[x0], steps=steps, noise=noise,
                   record_every=3)
    for k in range(4):
        tr = ts.run(f, ts.methods.clipped_gd(0.2, 2.0), x0=[x0], steps=steps, noise=noise, seed=k,
                    record_every=3)
        np.testing.assert_array_equal(res.loss[k], tr.loss)
