"""Reddi et al. 2018 figures: the published behaviour (Adam -> +1 with non-vanishing average regret,
AMSGrad -> -1) asserted on the data the figures are drawn from (quick mode, real runs).

Thresholds come from measured values (given in each test) with a margin; each can fail.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from theorysim.figures import load  # noqa: E402
from theorysim.figures import reddi2018 as r  # noqa: E402


@pytest.fixture(scope="module")
def online():
    return r.synthetic_online(quick=True)


@pytest.fixture(scope="module")
def stochastic():
    return r.synthetic_stochastic(quick=True)


@pytest.fixture(scope="module")
def sec3():
    return r.counterexample_data(quick=True)


def _at(res, key, m, t):
    """Value of res[key][m] at the paper's index t."""
    return res[key][m][np.searchsorted(res["t"], t)]


# -- our algebra ------------------------------------------------------------------------------
def test_regret_limits():
    assert r.adam_regret_limit(3.0, -1.0, 3) == pytest.approx(2.0 / 3.0)
    assert r.adam_regret_limit(1010.0, -10.0, 101) == pytest.approx(20.0 / 101.0)


def test_limit_cycle_and_bias_ratio():
    # core-theory Checkable 11: (v1, v2, v3) = (8.20721, 1.72072, 1.07207), B/S -> 0.5938
    assert r.limit_cycle_v(0.1, 3.0) == pytest.approx([8.20721, 1.72072, 1.07207], abs=1e-5)
    assert r.adam_bias_ratio_limit(0.1, 3.0) == pytest.approx(0.5938, abs=1e-4)


def test_log_rows():
    rows = r.log_rows(1_000_001, 500)
    assert rows[0] == 0 and rows[-1] == 1_000_000
    assert np.all(np.diff(rows) > 0) and len(rows) <= 501
    assert np.array_equal(r.log_rows(10), np.arange(10))


def test_log_sample_spreads_rows_in_log_t():
    # a spliced time axis: every step up to 1e4, then every 1e4 up to 1e7
    t = np.concatenate([np.arange(1, 10_001), np.arange(20_000, 10_000_001, 10_000)]).astype(float)
    rows = r.log_sample(t, 300)
    assert rows[0] == 0 and rows[-1] == len(t) - 1 and np.all(np.diff(rows) > 0)
    late = t[rows] > 1e5  # the last two decades get their share, not a handful of rows
    assert late.sum() >= 0.3 * len(rows)


# -- Figure 1, online (measured, 1e5 steps: x_end Adam +0.995, AMSGrad -0.982) ------------------
def test_online_adam_goes_to_plus_one_amsgrad_to_minus_one(online):
    assert online["x_end"]["adam"] >= 0.98
    assert online["x_end"]["amsgrad"] <= -0.95
    assert len(online["t"]) == online["steps"] + 1


def test_online_regret(online):
    # measured R_t/t at t = 1e3, 1e4, 1e5: Adam 1.67, 0.70, 0.311; AMSGrad 1.72, 0.438, 0.122.
    # Adam's can never fall below its limit 20/101 for long (it sits at the worst corner);
    # AMSGrad's keeps falling.
    lim = online["limit"]
    adam, ams = online["regret"]["adam"], online["regret"]["amsgrad"]
    last_decade = online["t"] >= online["t"][-1] / 10
    assert np.all(adam[last_decade] > lim)
    assert adam[-1] > 1.3 * lim
    assert ams[-1] < 0.6 * adam[-1]
    assert ams[-1] < 0.5 * _at(online, "regret", "amsgrad", online["t"][-1] / 10)


# -- Figure 1, stochastic (measured, 1e6 steps, seeds 0-3: Adam 0.993-0.994 every seed) -------
def test_stochastic_adam_goes_to_plus_one(stochastic):
    assert np.all(stochastic["x_end"]["adam"] >= 0.97)
    assert stochastic["x"]["adam"].shape[0] == len(r.STOCH_SEEDS)


def test_stochastic_amsgrad_is_below_adam_early(stochastic):
    # measured at 1e6 steps: AMSGrad -0.966, -0.961, +0.347, +0.723 (still travelling; see the
    # full-horizon test)
    assert np.all(stochastic["x_end"]["amsgrad"] < stochastic["x_end"]["adam"] - 0.2)
    assert np.sum(stochastic["x_end"]["amsgrad"] < -0.9) >= 2


@pytest.mark.slow
def test_stochastic_amsgrad_reaches_minus_one_at_the_figure_horizon():
    # the full figure's runs (1e7 steps, seeds 0-3); measured x_end -0.98 .. -0.99 for all 8
    # seeds 0-7 at 1e7 (medians at 1e6 / 3e6 / 5e6 over 20 seeds: 0.01, -0.58, -0.95)
    st = r.synthetic_stochastic(methods=("amsgrad",))
    assert st["steps"] == 10_000_000
    assert np.all(st["x_end"]["amsgrad"] <= -0.9)


def test_stochastic_prefix_splices_onto_the_long_run():
    # the finely recorded start and the coarse run are one run: rows agree where both exist
    a = r.synthetic_stochastic(steps=30_000, seeds=[1], methods=("amsgrad",))
    assert np.all(np.diff(a["t"]) > 0)
    x, t = a["x"]["amsgrad"][0], a["t"]
    assert t[r.PREFIX_STEPS] == r.PREFIX_STEPS + 1  # every step up to the prefix
    assert np.all(np.abs(x) <= 1.0)


# -- Sec. 3 counterexample (measured, 1e5 steps) --------------------------------------------------
def test_sec3_iterates(sec3):
    # measured: Adam +0.99966 (last period), AMSGrad -0.99997
    assert sec3["x_end"]["adam"] >= 0.999
    assert sec3["x_end"]["amsgrad"] <= -0.999


def test_sec3_regret(sec3):
    # measured Adam R_t/t: 0.44 at t = 100, 0.60 at 1e3, 0.6663 at 1e5 (limit 2/3); AMSGrad 0.30,
    # 0.16, 0.0022
    adam, ams, t = sec3["regret"]["adam"], sec3["regret"]["amsgrad"], sec3["t"]
    assert np.all(adam[t >= 100] > 0.3)
    assert adam[-1] == pytest.approx(2.0 / 3.0, abs=0.01)
    assert ams[-1] < 0.01
    assert ams[-1] < 0.1 * _at(sec3, "regret", "amsgrad", 1000)


def test_sec3_mechanism_matches_the_limit_cycle(sec3):
    # the per-period drift in units of alpha_t: Adam -3u0 + u1 + u2 = +0.681, AMSGrad -u0 = -0.349
    u = 1.0 / np.sqrt(r.limit_cycle_v(sec3["beta2"], sec3["C"]))
    assert sec3["cycle"]["adam"]["drift"] == pytest.approx(-3 * u[0] + u[1] + u[2], abs=1e-3)
    assert sec3["cycle"]["amsgrad"]["drift"] == pytest.approx(-u[0], abs=1e-3)
    assert sec3["cycle"]["adam"]["drift"] > 0 > sec3["cycle"]["amsgrad"]["drift"]
    assert (sec3["window"][0] - 1) % 3 == 0  # the window starts at the large gradient


# -- recipes ---------------------------------------------------------------------------------
def test_reddi2018_recipes_are_registered():
    recipes = load()
    names = {n for n, rec in recipes.items() if rec.paper == "reddi2018"}
    assert names == {"synthetic", "counterexample", "divergence_map"}
    cap = recipes["synthetic"].caption
    assert "NOT stated" in cap and "unconfirmed" in cap and "0.5/sqrt(t)" in cap
    assert "beta1 = 0.9, beta2 = 0.99" in cap
    assert "our choice" in recipes["counterexample"].caption


@pytest.mark.parametrize("name", ["synthetic", "counterexample"])
def test_recipe_renders_a_labelled_figure(name):
    fig = load()[name].make(quick=True)
    try:
        assert isinstance(fig, matplotlib.figure.Figure)
        axes = [ax for ax in fig.axes if ax.get_lines() or ax.patches]
        assert len(axes) == 3
        for ax in axes:
            assert ax.get_xlabel() and ax.get_ylabel()
            _, labels = ax.get_legend_handles_labels()
            assert len(labels) >= 2 and all(lab and not lab.startswith("_") for lab in labels)
            assert ax.get_legend() is not None
            for m in ("Adam", "AMSGrad"):
                assert any(lab.startswith(m) for lab in labels), (name, labels)
    finally:
        plt.close(fig)
