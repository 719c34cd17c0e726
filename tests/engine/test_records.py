"""Records are never garbage, the divergence verdict does not depend on the recording cadence,
and Adam-type coordinates without gradient history take a zero step (regressions of the first
engine design)."""
import numba
import numpy as np
import pytest

import theorysim as ts


def test_sweep_rows_after_a_stop_are_nan():
    """eta = 10 diverges on cosh at t = 1 (grad overflow at t = 2); every row after it is NaN."""
    f = ts.objectives.get("cosh")
    res = ts.sweep(f, ts.methods.gd, {"eta": [10.0, 0.1]}, x0=[1.0], steps=8, record_every=1)
    t = res.diverged_at[0]
    assert t > 0
    assert np.all(np.isnan(res.loss[0, t + 1:])) and np.all(np.isnan(res.grad_norm[0, t + 1:]))
    assert np.all(np.isnan(res.step_size[0, t:]))
    assert np.all(np.isfinite(res.loss[1])) and np.all(np.isfinite(res.step_size[1, :-1]))


def test_converged_runs_stop_writing_rows():
    f = ts.objectives.get("quadratic", lam=1.0)
    res = ts.sweep(f, ts.methods.gd, {"eta": [1.0, 0.1]}, x0=[1.0], steps=6, tol=1e-12,
                   stop_at_tol=True, record_every=1, monitor=True)
    assert res.first_hit[0] == 1  # eta = 1 lands on the minimiser in one step
    assert np.all(np.isnan(res.loss[0, 2:])) and np.isnan(res.step_size[0, 1])
    assert np.all(np.isnan(res.monitor["curves"]["S"][0, 2:]))


@pytest.mark.parametrize("method", [ts.methods.adam(0.1), ts.methods.sgd(1e3),
                                    ts.methods.clipped_gd(1e3, 1e3)])
@pytest.mark.parametrize("extra", [dict(), dict(monitor=True), dict(noise=ts.oracles.gaussian(1.0), seed=0)])
def test_step_size_row_at_divergence_is_nan(method, extra):
    f = ts.objectives.get("cosh")
    tr = ts.run(f, method, x0=[3.0], steps=50, **extra)
    if tr.diverged_at is not None:
        assert np.isnan(tr.step_size[-1])
    assert not np.any(np.isnan(tr.step_size[:-1]))


def test_linear_online_box_run_records_are_finite_then_nan():
    f = ts.objectives.get("linear_online")
    res = ts.sweep(f, ts.methods.adam_type, {"alpha": [0.5, 1.0]},
                   fixed=dict(beta1=0.0, beta2=0.1), x0=[0.0], steps=30, record_every=1)
    assert np.all(np.isfinite(res.loss)) and np.all(np.isfinite(res.step_size[:, :-1]))
    assert np.all(np.isnan(res.step_size[:, -1]))


@pytest.mark.parametrize("every", [1, 2, 3, 7])
def test_divergence_verdict_does_not_depend_on_record_every(every):
    """signsgd(1e200) on a quadratic: x_1 = -1e200, f(x_1) = inf while f'(x_1) is finite."""
    f = ts.objectives.get("quadratic", lam=1.0)
    tr = ts.run(f, ts.methods.signsgd(1e200), x0=[1.0], steps=4, record_every=every)
    assert tr.diverged_at == 1
    assert tr.reason == "diverged: objective value is inf or NaN"
    res = ts.sweep(f, ts.methods.signsgd, {"alpha": [1e200, 1.0]}, x0=[1.0], steps=4,
                   record_every=None)
    assert list(res.diverged_at) == [1, -1]


@pytest.mark.parametrize("name", ["rmsprop", "amsgrad", "adagrad", "adafom"])
def test_eps_zero_and_a_coordinate_with_no_gradient_history_takes_a_zero_step(name):
    """f = x_0^2 / 2 in 2-D: coordinate 1 never sees a gradient; with eps = 0 its step is 0/0 in
    the formula, and must be no move at all (not a divergence)."""
    f = ts.objectives.get("quadratic", lam=[1.0, 0.0])
    tr = ts.run(f, ts.methods.get(name, alpha=0.1), x0=[1.0, 2.0], steps=20, monitor=True)
    assert tr.diverged_at is None, tr.reason
    np.testing.assert_array_equal(tr.x[:, 1], 2.0)
    assert abs(tr.x[-1, 0]) < 1.0


def test_nan_loss_with_a_finite_gradient_is_divergence():
    @numba.njit
    def fg(x, g):
        g[0] = x[0]
        return np.nan if x[0] < 0.5 else 0.5 * x[0] ** 2

    f = ts.objectives.from_numba(fg, 1)
    tr = ts.run(f, ts.methods.gd(0.3), x0=[1.0], steps=10, record_every=3)
    assert tr.diverged_at == 2 and tr.reason == "diverged: objective value is inf or NaN"
    res = ts.sweep(f, ts.methods.gd, {"eta": [0.3, 0.01]}, x0=[1.0], steps=10)
    assert list(res.diverged_at) == [2, -1]


@numba.njit
def _raises_below_zero(x, g):
    if x[0] < 0.0:
        raise ValueError("x left the domain")
    g[0] = x[0]
    return 0.5 * x[0] ** 2


def test_an_exception_in_a_user_objective_comes_through_with_its_type_and_message():
    f = ts.objectives.from_numba(_raises_below_zero, 1)
    assert ts.run(f, ts.methods.gd(0.5), x0=[1.0], steps=5).diverged_at is None
    with pytest.raises(ValueError, match="x left the domain"):
        ts.run(f, ts.methods.gd(1.5), x0=[1.0], steps=5)
    with pytest.raises(ValueError, match="x left the domain"):
        ts.sweep(f, ts.methods.gd, {"eta": np.linspace(0.1, 1.5, 16)}, x0=[1.0], steps=5,
                 block_size=2)


def test_a_nan_gradient_entry_is_never_hidden_by_a_finite_one():
    """[NaN, 0]: the overflow-safe norm must not let the finite entry overwrite the NaN."""
    @numba.njit
    def fg(x, g):
        g[0] = np.nan if x[0] < 0.5 else x[0]
        g[1] = 0.0
        return 0.0

    f = ts.objectives.from_numba(fg, 2)
    tr = ts.run(f, ts.methods.gd(0.3), x0=[1.0, 1.0], steps=10)
    assert tr.diverged_at == 2 and tr.reason == "diverged: gradient norm is inf or NaN"
    res = ts.sweep(f, ts.methods.gd, {"eta": [0.3, 0.01]}, x0=[1.0, 1.0], steps=10)
    assert list(res.diverged_at) == [2, -1]
