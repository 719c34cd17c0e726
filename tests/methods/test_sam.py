"""Unnormalized SAM (theorysim.methods.sam) against a plain-Python loop, and its exact stability
edge on a quadratic."""
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
