"""reddi2018/divergence_map: Adam's final iterate over (beta2, C) from batched sweeps agrees with
the sign of the symbolic drift F of theorysim.theory.reddi2018 (quick grid, real runs)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import theorysim as ts  # noqa: E402
from theorysim.figures import load  # noqa: E402
from theorysim.figures import reddi2018 as r  # noqa: E402


@pytest.fixture(scope="module")
def dmap():
    return r.divergence_map_data(quick=True)


def test_map_follows_the_sign_of_the_drift(dmap):
    x, F = dmap["x_final"], dmap["F"]
    assert x.shape == F.shape == (len(dmap["beta1"]), len(dmap["beta2"]), len(dmap["C"]))
    clear = np.abs(F) > 0.1                     # away from the boundary the corner is reached
    assert clear.sum() > 0.8 * F.size
    # at -1 the period's small steps lift x by about alpha_T (0.01 here): -0.989 is measured
    assert np.all(x[clear & (F < 0)] > 0.95) and np.all(x[clear & (F > 0)] < -0.95)
    assert np.any(F < -0.1) and np.any(F > 0.1)  # both outcomes are on the quick grid


def test_map_entry_is_a_run(dmap):
    """One entry equals ts.run with the same parameters (the sweep is batched, not different)."""
    i, j, k = np.unravel_index(np.argmin(np.abs(dmap["x_final"])), dmap["x_final"].shape)
    assert abs(dmap["x_final"][i, j, k]) < 0.9      # an entry near the boundary, not at a corner
    b1, b2, C = dmap["beta1"][i], dmap["beta2"][j], dmap["C"][k]
    obj = ts.objectives.get("linear_online", a=C, b=-1.0, period=3)
    m = ts.methods.adam(dmap["alpha"], beta1=b1, beta2=b2, eps=0.0, bias_correction=False,
                        schedule="inverse_sqrt")
    assert dmap["x_final"][i, j, k] == pytest.approx(ts.run(obj, m, steps=dmap["steps"]).x[-1, 0],
                                                     abs=1e-12)


def test_boundary_is_the_zero_set_of_F():
    F = r.drift_function()
    segs = r.drift_boundary(0.0)
    pts = np.concatenate(segs)
    assert len(pts) > 50
    assert np.max(np.abs(F(0.0, pts[:, 0], pts[:, 1]))) < 2e-3
    # beta1 = 0, C = 3: the sign of F changes at beta2 = 0.472 (root of F, bisection: 0.4719)
    b2 = np.interp(np.log(3.0), np.log(pts[::-1, 1]) if pts[0, 1] > pts[-1, 1] else np.log(pts[:, 1]),
                   pts[::-1, 0] if pts[0, 1] > pts[-1, 1] else pts[:, 0])
    assert b2 == pytest.approx(0.4719, abs=2e-3)
    with pytest.raises(ValueError, match="multiple of 3"):
        r.divergence_map_data(steps=100, quick=True)


def test_registered_and_drawn():
    rec = load()["divergence_map"]
    assert rec.paper == "reddi2018"
    fig = rec.make(quick=True)
    assert len(fig.axes) == 3                   # two maps and the colour bar
    assert len(fig.axes[0].lines) >= 2          # boundary F = 0 and the paper's curve
    plt.close(fig)
