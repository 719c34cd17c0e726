"""SAM (theorysim.methods.sam, one rule with the ascent normalization as a switch) against a
plain-Python loop, its exact stability edge on a quadratic, and the sam_normalized preset."""
import numpy as np
import pytest

import theorysim as ts
from tests import reference


def _sam(f, x0, eta, rho, steps):
    """x_{k+1} = x_k - eta grad f(x_k + rho grad f(x_k)); returns x_0..x_K."""
    xs, x = [np.array(x0, float)], np.array(x0, float)
    for _ in range(steps):
        g = reference.value_grad(f.name, f.params, x)[1]
        x = x - eta * reference.value_grad(f.name, f.params, x + rho * g)[1]
        xs.append(x)
    return np.array(xs)


def test_trajectory_matches_reference():
    f = ts.objectives.get("cosh", dim=2)
    x0 = [2.0, -1.0]
    tr = ts.run(f, ts.methods.sam(0.1, 0.3), x0=x0, steps=2 * 40)
    want = _sam(f, x0, 0.1, 0.3, 40)
    assert tr.diverged_at is None
    np.testing.assert_allclose(tr.x[::2], want, rtol=1e-12, atol=1e-14)  # even rows: x_k
    np.testing.assert_array_equal(tr.step_size[0:-1:2], 0.0)              # ascent iterations
    np.testing.assert_array_equal(tr.step_size[1:-1:2], 0.1)              # descent iterations


def test_rho_zero_is_gd_every_other_iteration():
    f = ts.objectives.get("quadratic", lam=[1.0, 3.0])
    a = ts.run(f, ts.methods.sam(0.2, 0.0), x0=[1.0, 1.0], steps=60)
    b = ts.run(f, ts.methods.gd(0.2), x0=[1.0, 1.0], steps=30)
    np.testing.assert_array_equal(a.x[::2], b.x)


def test_stability_edge_on_a_quadratic():
    """eta (h + rho h^2) < 2: just below the edge the loss decays, just above it grows."""
    h, rho = 2.0, 0.5
    edge = 2.0 / (h + rho * h * h)
    f = ts.objectives.get("quadratic", lam=h)
    res = ts.sweep(f, ts.methods.sam, {"eta": [0.99 * edge, 1.01 * edge]}, fixed={"rho": rho},
                   x0=[1.0], steps=2 * 3000)
    assert res.final_loss[0] < 1e-10 and res.final_loss[1] > 1e10


@pytest.mark.parametrize("kw, name", [({"eta": 0.0}, "eta"), ({"eta": np.inf}, "eta"),
                                      ({"eta": 0.1, "rho": -1.0}, "rho")])
def test_bad_hyperparameters_name_the_argument(kw, name):
    with pytest.raises(ValueError, match=name):
        ts.methods.sam(**kw)


def test_one_rule_two_presets_same_bits():
    """sam(normalized=True) is sam_normalized; sam_normalized(normalized=False) is sam: same iterates
    to the last bit, the switch lives in Options (not in Hyper), the names are kept."""
    f = ts.objectives.get("quadratic", lam=[1.0, 3.0])
    a = ts.methods.sam(0.1, 0.2, normalized=True)
    b = ts.methods.sam_normalized(0.1, 0.2)
    assert a.options == b.options == ts.methods.sam(0.1, 0.2).module.Options(normalized=True)
    assert set(a.hyper) == {"eta", "rho"} and a.rule == b.rule == "theorysim.methods.sam"
    np.testing.assert_array_equal(ts.run(f, a, x0=[1.0, -0.5], steps=60).x,
                                  ts.run(f, b, x0=[1.0, -0.5], steps=60).x)
    c = ts.methods.sam(0.1, 0.2)
    e = ts.methods.sam_normalized(0.1, 0.2, normalized=False)
    assert c.options.normalized is False and (c.name, e.name) == ("sam", "sam_unnormalized")
    xc = ts.run(f, c, x0=[1.0, -0.5], steps=60).x
    np.testing.assert_array_equal(xc, ts.run(f, e, x0=[1.0, -0.5], steps=60).x)
    # the two ascents differ (||g|| != 1 at x0), so the switch is read
    assert not np.array_equal(xc, ts.run(f, a, x0=[1.0, -0.5], steps=60).x)


def test_normalized_switch_is_an_option_of_the_sweep():
    f = ts.objectives.get("quadratic", lam=2.0)
    res = ts.sweep(f, ts.methods.sam, {"eta": [0.1, 0.2]}, fixed={"rho": 0.5, "normalized": True},
                   x0=[1.0], steps=40)
    one = ts.run(f, ts.methods.sam(0.2, 0.5, normalized=True), x0=[1.0], steps=40)
    assert res.final_loss[1] == one.loss[-1]
    with pytest.raises(ValueError, match="normalized"):
        ts.sweep(f, ts.methods.sam, {"normalized": [True, False]}, fixed={"eta": 0.1}, x0=[1.0], steps=4)
    with pytest.raises(TypeError, match="normalized must be True or False"):
        ts.methods.sam(0.1, 0.2, normalized=1.0)
