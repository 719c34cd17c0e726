"""Divergence is data: overflow and NaN end a run cleanly, with the iteration and the reason."""
import numpy as np
import pytest

import theorysim as ts
from tests import reference
from theorysim import _status


def test_gd_diverges_on_quartic_and_reports_where():
    f = ts.objectives.get("power", p=4, c=1)
    tr = ts.run(f, ts.methods.gd(eta=0.5), x0=[3.0], steps=1000)
    ref = reference.run("power", f.params, "gd", dict(eta=0.5), [3.0], 1000)
    assert tr.diverged and tr.diverged_at == ref["diverged_at"]
    assert tr.status in (_status.NONFINITE_GRAD, _status.NONFINITE_LOSS)
    assert tr.reason.startswith("diverged")
    assert tr.x_final is None
    assert len(tr.loss) == tr.diverged_at + 1  # rows up to and including the divergence
    assert np.all(np.isfinite(tr.loss[:-2]))


def test_loss_overflow_is_caught_before_gradient_overflow():
    """x^4/4 overflows at |x| ~ 1.3e77 while x^3 is still finite: the loss reason is reported."""
    f = ts.objectives.get("power", p=4, c=1)
    tr = ts.run(f, ts.methods.gd(eta=1.0), x0=[1e80], steps=5)
    assert tr.status == _status.NONFINITE_LOSS and tr.diverged_at == 0


def test_gradient_norm_overflow_without_nonfinite_entries_is_not_divergence():
    """At x = (3e51, 3e51) on x^4/4, g_i = 2.7e154 is finite and f = 4e205 too, but g_i^2
    overflows: the overflow-safe norm is used and the run goes on."""
    f = ts.objectives.get("power", p=4, c=1, dim=2)
    tr = ts.run(f, ts.methods.clipped_gd(eta=0.5, gamma=1.0), x0=[3e51, 3e51], steps=3)
    assert not tr.diverged
    np.testing.assert_allclose(tr.grad_norm[0], np.sqrt(2) * 3e51**3, rtol=1e-14)
    np.testing.assert_allclose(tr.step_size[0] * tr.grad_norm[0], 0.5, rtol=1e-14)


def test_nan_from_user_objective_is_reported(nan_wall_quadratic):
    """nan_wall_quadratic (tests/conftest.py; shared, since each user objective compiles the
    loop): its gradient is NaN on x1 < 0, and GD with eta = 3 jumps from x1 = 2 to -4."""
    tr = ts.run(nan_wall_quadratic, ts.methods.gd(eta=3.0), x0=[2.0, 0.0], steps=10)
    assert tr.diverged and tr.status == _status.NONFINITE_GRAD and tr.diverged_at == 1


def test_sweep_mixes_diverging_and_converging_runs():
    f = ts.objectives.get("power", p=4, c=1)
    etas = np.array([1e-3, 1e-2, 0.5, 2.0])
    res = ts.sweep(f, ts.methods.gd, grid={"eta": etas}, x0=[3.0], steps=2000, tol=1e-2)
    for k, eta in enumerate(etas):
        ref = reference.run("power", f.params, "gd", dict(eta=eta), [3.0], 2000, tol=1e-2)
        if ref["diverged_at"] is None:
            assert res.diverged_at[k] == -1 and not res.diverged[k]
            assert res.first_hit[k] == ref["first_hit"]
            np.testing.assert_allclose(res.final_loss[k], ref["loss"][-1], rtol=1e-12)
        else:
            assert res.diverged_at[k] == ref["diverged_at"]
            assert np.isnan(res.final_loss[k]) and res.first_hit[k] == -1
    assert res.diverged.tolist() == [False, False, True, True]


def test_clip_never_diverges_where_gd_does():
    f = ts.objectives.get("cosh")
    assert ts.run(f, ts.methods.gd(eta=1.0), x0=[20.0], steps=50).diverged
    tr = ts.run(f, ts.methods.clipped_gd(eta=1.0, gamma=1.0), x0=[20.0], steps=50)
    assert not tr.diverged
    assert np.all(tr.step_size[:-1] * tr.grad_norm[:-1] <= 1.0 * (1 + 1e-15))


# -- a NaN loss with a finite gradient (issue 12, item 1) -------------------------------------
# nan_wall_quadratic (tests/conftest.py): grad f = (x1, 4 x2) is always finite, f is NaN on x1 < 1
def _first_nan_loss(eta, x1, steps):
    """Plain loop on the first coordinate, x1 <- (1 - eta) x1 (x2 = 0 stays 0): the first t with
    x1 < 1, where f is NaN, or None within ``steps``."""
    x = x1
    for t in range(steps + 1):
        if x < 1.0:
            return t
        x -= eta * x
    return None


@pytest.mark.parametrize("monitor", [False, True], ids=["fast-path", "general-path"])
def test_nan_loss_with_finite_gradient_ends_a_run(nan_wall_quadratic, monitor):
    f = nan_wall_quadratic
    expected = _first_nan_loss(0.5, 8.0, 20)
    assert expected == 4  # x1 = 8, 4, 2, 1, 0.5
    tr = ts.run(f, ts.methods.gd(eta=0.5), x0=[8.0, 0.0], steps=20, monitor=monitor)
    assert tr.status == _status.NONFINITE_LOSS and tr.diverged
    assert tr.diverged_at == expected
    assert tr.reason == _status.message(_status.NONFINITE_LOSS)
    assert len(tr.loss) == expected + 1 and np.isnan(tr.loss[-1])
    assert np.all(np.isfinite(tr.loss[:-1])) and np.all(np.isfinite(tr.grad_norm))
    assert tr.x_final is None


def test_nan_loss_with_finite_gradient_in_a_sweep_beside_a_healthy_run(nan_wall_quadratic):
    f = nan_wall_quadratic
    etas = np.array([0.5, 0.01])  # 0.01: x1 = 8 * 0.99^20 = 6.5 at the end, f stays finite
    assert _first_nan_loss(0.01, 8.0, 20) is None
    res = ts.sweep(f, ts.methods.gd, grid={"eta": etas}, x0=[8.0, 0.0], steps=20, record_every=1)
    assert res.status.tolist() == [_status.NONFINITE_LOSS, _status.COMPLETED]
    assert res.diverged.tolist() == [True, False]
    assert res.diverged_at.tolist() == [_first_nan_loss(0.5, 8.0, 20), -1]
    assert np.isnan(res.final_loss[0])
    np.testing.assert_allclose(res.final_loss[1], 0.5 * (8.0 * 0.99**20) ** 2, rtol=1e-12)
    assert np.all(np.isfinite(res.loss[1]))
