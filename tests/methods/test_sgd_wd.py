"""sgd_wd / sgd_wd_decoupled / sgd_wd_clip: one step against the formula, the two decay forms,
the clip level, validation."""
import numpy as np
import pytest

import theorysim as ts

F = ts.objectives.get("quadratic", lam=[1.0, 3.0])
X0 = np.array([2.0, -1.0])
G0 = np.array([1.0, 3.0]) * X0


def _one_step(method):
    return ts.run(F, method, x0=X0, steps=1).x[1]


def test_l2_form_is_sgd_on_the_regularised_loss():
    eta, lam = 0.1, 0.3
    assert np.allclose(_one_step(ts.methods.sgd_wd(eta, lam)), X0 - eta * (G0 + lam * X0), rtol=1e-15)


def test_decoupled_form_does_not_scale_the_decay_by_eta():
    eta, lam = 0.1, 0.03
    assert np.allclose(_one_step(ts.methods.sgd_wd_decoupled(eta, lam)), (1 - lam) * X0 - eta * G0,
                       rtol=1e-15)
    # a constant step: decoupled lam equals L2 lam * eta
    a = ts.run(F, ts.methods.sgd_wd_decoupled(eta, lam), x0=X0, steps=20).x[-1]
    b = ts.run(F, ts.methods.sgd_wd(eta, lam / eta), x0=X0, steps=20).x[-1]
    assert np.allclose(a, b, rtol=1e-13)


def test_clip_at_sqrt_2_lambda_over_eta_times_norm():
    eta, lam = 0.1, 0.002
    rho = np.sqrt(2 * lam / eta)
    gn, wn = np.linalg.norm(G0), np.linalg.norm(X0)
    assert gn > rho * wn  # the clip is active here
    want = (1 - eta * lam) * X0 - eta * (rho * wn / gn) * G0
    tr = ts.run(F, ts.methods.sgd_wd_clip(eta, lam), x0=X0, steps=1)
    assert np.allclose(tr.x[1], want, rtol=1e-14)
    assert tr.step_size[0] == pytest.approx(eta * rho * wn / gn, rel=1e-14)
    # inactive clip: a large lambda gives the plain L2 step
    assert np.allclose(_one_step(ts.methods.sgd_wd_clip(0.1, 40.0)), X0 - 0.1 * (G0 + 40.0 * X0))


@pytest.mark.parametrize("call, match", [
    (lambda: ts.methods.sgd_wd(0.0, 0.1), "eta must be finite and > 0"),
    (lambda: ts.methods.sgd_wd(0.1, -1.0), "lam must be finite and >= 0"),
    (lambda: ts.methods.sgd_wd_decoupled(0.1, 1.0), "lam must be < 1"),
    (lambda: ts.methods.sgd_wd_clip(0.1, 0.0), "lam must be finite and > 0"),
])
def test_validation(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_registered_and_sweepable():
    assert {"sgd_wd", "sgd_wd_decoupled", "sgd_wd_clip"} <= set(ts.methods.names())
    res = ts.sweep(F, ts.methods.sgd_wd, grid={"lam": [0.0, 0.5]}, fixed={"eta": 0.1}, x0=X0,
                   steps=30)
    assert res.final_loss[1] < res.final_loss[0]
