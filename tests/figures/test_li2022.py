"""li2022 figures: what they show, asserted on their data (quick mode, real runs)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from theorysim.figures import li2022 as L  # noqa: E402


@pytest.fixture(scope="module")
def heat():
    return L.heat_data(quick=True)


def test_weight_decay_reaches_the_target_everywhere_and_gd_does_not(heat):
    assert np.all(heat["sgd_wd"] >= 0)
    assert (heat["gd"] < 0).sum() >= 40  # measured 78 of 169 unreached at the quick horizon
    # WD: where the effective step eta c/||w0||^2 starts small, the steps grow like its |log|
    # (a straight line in decades: measured slope 229.3 steps per decade, residuals 0.3 %; our
    # prediction: ||w||^2 must shrink 10x per decade, at (1 - eta lambda)^2 per step)
    eff = L.ETA * np.asarray(L.LOSS_SCALES)[:, None] / np.asarray(L.INIT_SCALES)[None, :] ** 2
    small = eff <= 1e-3
    dec, steps = np.abs(np.log10(eff[small])), heat["sgd_wd"][small]
    slope, icpt = np.polyfit(dec, steps, 1)
    assert slope == pytest.approx(np.log(10) / (-2 * np.log(1 - L.ETA * L.LAM)), rel=0.03)
    assert np.max(np.abs(steps - (slope * dec + icpt))) < 0.1 * steps.max()
    corner = heat["sgd_wd"][0, -1]  # c = 1e-3, ||w0|| = 1e3: effective step 1e-10
    assert 0 < corner < 4000


def test_clip_fails_where_the_effective_step_starts_large(heat):
    """Clip active: a fixed angular step sqrt(2 eta lambda) and norm growth (1 + (eta lambda)^2)."""
    M = heat["sgd_wd_clip"]
    assert M[-1, 0] < 0  # c = 1e3, ||w0|| = 1e-3
    assert M[0, -1] == heat["sgd_wd"][0, -1]  # the clip never acts where the step starts small


def test_periodic_example_has_regular_spikes():
    d = L.periodic_data(quick=True)
    assert d["rate"] > 5  # measured 19.9 per 1000 steps (full run)
    assert 0.7 < d["period_meas"] / d["period_pred"] < 1.3
    low_noise, _ = d["maps"]
    assert np.all(low_noise[0, :-1] == 0)  # the smallest step spikes only at the largest lambda
    assert low_noise[-1, -1] > 50  # the largest step and decay spike most
