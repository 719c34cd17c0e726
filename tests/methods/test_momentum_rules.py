"""Heavy ball and Nesterov (one file each in theorysim.methods) against plain-Python loops, and
their classical behaviour on quadratics."""
import numpy as np
import pytest

import theorysim as ts
from tests import reference


def _heavy_ball(f, x0, eta, mu, steps):
    """Polyak 1964: x_{t+1} = x_t - eta g_t + mu (x_t - x_{t-1}), x_{-1} = x_0."""
    xs, prev, x = [np.array(x0, float)], np.array(x0, float), np.array(x0, float)
    for _ in range(steps):
        g = reference.value_grad(f.name, f.params, x)[1]
        x, prev = x - eta * g + mu * (x - prev), x
        xs.append(x)
    return np.array(xs)


def _nesterov(f, x0, eta, mu, steps):
    """x_{t+1} = y_t - eta g(y_t), y_{t+1} = x_{t+1} + mu (x_{t+1} - x_t); returns the y_t."""
    ys, y, x = [np.array(x0, float)], np.array(x0, float), np.array(x0, float)
    for _ in range(steps):
        g = reference.value_grad(f.name, f.params, y)[1]
        xn = y - eta * g
        y, x = xn + mu * (xn - x), xn
        ys.append(y)
    return np.array(ys)


@pytest.mark.parametrize("rule,ref", [(ts.methods.heavy_ball, _heavy_ball),
                                      (ts.methods.nesterov, _nesterov)])
def test_trajectory_matches_reference(builtin, rule, ref):
    f, x0 = builtin
    tr = ts.run(f, rule(0.01, 0.7), x0=x0, steps=80)
    want = ref(f, x0, 0.01, 0.7, 80)
    assert tr.diverged_at is None
    np.testing.assert_allclose(tr.x, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(tr.step_size[:-1], 0.01)


@pytest.mark.parametrize("rule", [ts.methods.heavy_ball, ts.methods.nesterov])
def test_sweep_equals_run_bit_for_bit(rule):
    f = ts.objectives.get("cosh", dim=2)
    res = ts.sweep(f, rule, {"eta": [0.05, 0.1], "mu": [0.0, 0.5, 0.9]}, x0=[2.0, -1.0],
                   steps=50, record_every=1)
    for i, eta in enumerate([0.05, 0.1]):
        for k, mu in enumerate([0.0, 0.5, 0.9]):
            tr = ts.run(f, rule(eta, mu), x0=[2.0, -1.0], steps=50)
            np.testing.assert_array_equal(res.loss[i, k], tr.loss)


def test_heavy_ball_with_zero_momentum_is_gd():
    f = ts.objectives.get("quadratic", lam=[1.0, 3.0])
    a = ts.run(f, ts.methods.heavy_ball(0.2, 0.0), x0=[1.0, 1.0], steps=30)
    b = ts.run(f, ts.methods.gd(0.2), x0=[1.0, 1.0], steps=30)
    np.testing.assert_array_equal(a.x, b.x)


def test_heavy_ball_stability_edge_on_a_quadratic():
    """Linear recursion x_{t+1} = (1 + mu - eta h) x_t - mu x_{t-1}: stable iff eta h < 2(1 + mu)
    (for 0 <= mu < 1).  Just inside the edge the run contracts, just outside it blows up."""
    h, mu = 4.0, 0.5
    edge = 2 * (1 + mu) / h
    f = ts.objectives.get("quadratic", lam=h)
    res = ts.sweep(f, ts.methods.heavy_ball, {"eta": [0.99 * edge, 1.01 * edge]}, fixed={"mu": mu},
                   x0=[1.0], steps=20000)
    assert res.final_grad_norm[0] < 1e-3
    assert res.diverged_at[1] > 0


def test_nesterov_beats_gd_on_an_ill_conditioned_quadratic():
    """kappa = 400: GD needs about kappa ln(1/eps) steps, Nesterov about sqrt(kappa) ln(1/eps)."""
    L, m = 1.0, 1.0 / 400
    f = ts.objectives.get("quadratic", lam=[m, L])
    q = np.sqrt(m / L)
    mu = (1 - q) / (1 + q)
    nag = ts.run(f, ts.methods.nesterov(1 / L, mu), x0=[1.0, 1.0], steps=20000, tol=1e-6)
    gd = ts.run(f, ts.methods.gd(1 / L), x0=[1.0, 1.0], steps=20000, tol=1e-6)
    assert 0 < nag.first_hit < gd.first_hit / 5
    assert nag.first_hit < 3 * np.sqrt(L / m) * np.log(1e6)
