"""Chen et al.'s monitor explains the counterexamples: which condition fails, on real runs."""
import numpy as np
import pytest

import theorysim as ts
from theorysim.diagnostics import chen_quantities, chen_verdict


def _adam0(alpha, beta2):  # the analysed form: beta1 = 0, no bias correction, no eps
    return ts.methods.adam(alpha, beta1=0.0, beta2=beta2, eps=0.0, bias_correction=False,
                           schedule="inverse_sqrt")


def test_reddi_online_adam_violates_bias_condition_amsgrad_holds():
    """Reddi et al. 2018, Sec. 3 with C = 3, beta2 = 1/(1 + C^2): Adam -> +1 (the worst point)
    with B/S -> 0.5938 (core-theory fact 11, from the 3-cycle of v); AMSGrad -> -1."""
    f = ts.objectives.get("linear_online", a=3.0, b=-1.0, period=3)
    adam = ts.run(f, _adam0(0.1, 0.1), steps=300_000, record_every=300, monitor=True)
    ams = ts.run(f, ts.methods.amsgrad(0.1, beta1=0.0, beta2=0.1, schedule="inverse_sqrt"),
                 steps=300_000, record_every=300, monitor=True)
    assert adam.x_final[0] > 0.999 and ams.x_final[0] < -0.999
    va, vm = chen_verdict(adam), chen_verdict(ams)
    assert va.verdict == "bias condition violated"
    assert va.ratio_B == pytest.approx(0.5938, abs=0.005)
    assert vm.verdict == "conditions hold"


def test_reddi_online_average_regret():
    f = ts.objectives.get("linear_online", a=3.0, b=-1.0, period=3)
    adam = ts.run(f, _adam0(0.1, 0.1), steps=30_000)
    ams = ts.run(f, ts.methods.amsgrad(0.1, beta1=0.0, beta2=0.1, schedule="inverse_sqrt"),
                 steps=30_000)
    ra, rm = ts.objectives.regret(adam, f), ts.objectives.regret(ams, f)
    assert ra[-1] > 0.6 and rm[-1] < 0.02  # Adam's average regret does not vanish


def test_sign_split_adam_diverges_by_bias_amsgrad_and_adafom_converge():
    f = ts.objectives.get("sign_split")
    for beta2 in (0.0, 0.1):
        tr = ts.run(f, _adam0(1.0, beta2), steps=100_000, record_every=100, monitor=True, seed=3)
        assert abs(tr.x_final[0]) > 200  # grows like sum alpha_t ~ sqrt(T)
        v = chen_verdict(tr)
        assert v.verdict == "bias condition violated" and v.ratio_B > 0.1
    for m in (ts.methods.amsgrad(1.0, beta1=0.0, beta2=0.1, schedule="inverse_sqrt"),
              ts.methods.adafom(1.0, beta1=0.0)):
        tr = ts.run(f, m, steps=100_000, record_every=100, monitor=True, seed=3)
        assert abs(tr.x_final[0]) < 1e-3
        assert chen_verdict(tr).verdict == "conditions hold"


def test_sign_split_drift_matches_the_proof():
    """beta1 = beta2 = 0: on |x| >= 1 each step adds alpha_t sign(c_I) away from 0 with mean
    alpha_t (n-2)/n; over T steps |x| grows by (9/11) sum_t alpha_t on average (many seeds)."""
    f = ts.objectives.get("sign_split")
    T = 2000
    res = ts.sweep(f, ts.methods.adam_type, {"seed": np.arange(400)}, x0=[2.0], steps=T,
                   fixed=dict(alpha=0.1, v_rule="ema", beta2=0.0, schedule="inverse_sqrt"),
                   record_every=T)
    xs = np.array([res.final_loss])  # loss = cbar * (|x| - 1/2) on |x| >= 1
    growth = res.final_loss.ravel() / f.info["cbar"] + 0.5 - 2.0
    expected = 9 / 11 * np.sum(0.1 / np.sqrt(np.arange(1, T + 1)))
    se = growth.std() / np.sqrt(growth.size)
    assert abs(growth.mean() - expected) < 4 * se + 1e-9
    assert xs.size == 400


def test_constant_step_sgd_violates_variance_and_diverges_on_cosh():
    """SGD on cosh with Gaussian noise: a constant step breaks the variance condition and noise
    kicks start the (L0,L1) blow-up; alpha/sqrt(t) keeps the condition and converges."""
    f = ts.objectives.get("cosh")
    noise = ts.oracles.gaussian(2.0)
    blown = [ts.run(f, ts.methods.sgd(0.5), x0=[0.0], steps=20_000, noise=noise, seed=s).diverged
             for s in range(6)]
    assert all(blown)
    calm = ts.run(f, ts.methods.sgd(0.1), x0=[0.0], steps=100_000, record_every=100,
                  monitor=True, noise=noise, seed=0)
    assert not calm.diverged and chen_verdict(calm).verdict == "variance condition violated"
    for s in range(6):
        tr = ts.run(f, ts.methods.sgd(0.5, schedule="inverse_sqrt"), x0=[0.0], steps=100_000,
                    record_every=100, monitor=True, noise=noise, seed=s)
        assert not tr.diverged and abs(tr.x_final[0]) < 0.3  # noise scale ~ sqrt(alpha_T) = 0.06
        assert chen_verdict(tr).variance_ok


def test_quantities_need_a_monitored_run():
    tr = ts.run(ts.objectives.get("cosh"), ts.methods.adam(0.1), x0=[1.0], steps=10)
    with pytest.raises(ValueError, match="monitor=True"):
        chen_quantities(tr)


# -- the monitor on the GD family (issue 12, item 2) ------------------------------------------
# nan_wall_quadratic (tests/conftest.py), d = 2: f = (x1^2 + 4 x2^2)/2 while x1 >= 1, which the
# runs below keep (x1 >= 50 prod(1 - 0.2/t) > 17); grad f = (x1, 4 x2)
X0, STEPS = [50.0, 3.0], 200


def _expected_monitor(tr, d):
    r"""Chen et al.'s sums from the recorded steps of a GD-family run, where every coordinate's
    effective step is :math:`a_{t,i}=h_t`: row k holds sums over the updates t < k,
    :math:`S=\sum h_t`, :math:`A=\sum h_t^2\|g_t\|^2`, :math:`B=d\sum_{t\ge1}|h_t-h_{t-1}|`,
    :math:`B_2=d\sum_{t\ge1}(h_t-h_{t-1})^2`."""
    h, g = tr.step_size[:-1], tr.grad_norm[:-1]
    dh = np.concatenate([[0.0], np.diff(h)])
    z = [0.0]
    return {"S": np.concatenate([z, np.cumsum(h)]),
            "A": np.concatenate([z, np.cumsum(h**2 * g**2)]),
            "B": np.concatenate([z, np.cumsum(d * np.abs(dh))]),
            "B2": np.concatenate([z, np.cumsum(d * dh**2)])}


def test_gd_monitor_equals_sgd_monitor_under_a_decaying_schedule(nan_wall_quadratic):
    """GD with eta_t = eta/(t+1) and SGD (Adam-type, v = 1) with the same alpha_t take the same
    steps, so every coordinate's effective step is eta_t for both: S, A, B, B2 agree, and
    B(T) = d (eta_0 - eta_{T-1}) >= 0 grows (it is a sum of absolute values)."""
    f = nan_wall_quadratic
    gd = ts.run(f, ts.methods.gd(0.2, schedule="inverse"), x0=X0, steps=STEPS, monitor=True)
    sgd = ts.run(f, ts.methods.sgd(0.2, schedule="inverse"), x0=X0, steps=STEPS, monitor=True)
    assert not gd.diverged and not sgd.diverged
    np.testing.assert_allclose(gd.x, sgd.x, rtol=1e-14)
    for k in ("S", "A", "B", "B2"):
        np.testing.assert_allclose(gd.monitor[k], sgd.monitor[k], rtol=1e-13, atol=0.0)
    B = gd.monitor["B"]
    assert np.all(np.diff(B) >= 0) and B[-1] > 0
    # telescoping: the steps 0.2/(t+1) decrease, so B(T) = 2 (0.2 - 0.2/T) in d = 2
    np.testing.assert_allclose(B[-1], 2 * (0.2 - 0.2 / STEPS), rtol=1e-12)


@pytest.mark.parametrize("method", [ts.methods.gd(0.2, schedule="inverse"),
                                    ts.methods.clipped_gd(0.2, 5.0, schedule="inverse"),
                                    ts.methods.normalized_gd(2.0, 5.0, schedule="inverse")],
                         ids=lambda m: m.name)
def test_gd_family_monitor_equals_the_sums_of_its_steps(nan_wall_quadratic, method):
    tr = ts.run(nan_wall_quadratic, method, x0=X0, steps=STEPS, monitor=True)
    assert not tr.diverged
    want = _expected_monitor(tr, d=2)
    for k in ("S", "A", "B", "B2"):
        np.testing.assert_allclose(tr.monitor[k], want[k], rtol=1e-12, atol=1e-300)
    assert np.all(np.diff(tr.monitor["B"]) >= 0) and tr.monitor["B"][-1] > 0
