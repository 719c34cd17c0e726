"""Yaida 2018 figure: the data it draws agree with the statements (quick mode, real runs)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from theorysim.figures import load  # noqa: E402
from theorysim.figures import yaida2018 as Y  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return Y.stationary_data(quick=True)


def test_fdr_sides_agree_within_their_intervals(data):
    assert len(data["fdr"]) == len(Y.FDR_ETAS) * len(Y.FDR_BATCHES)
    for r in data["fdr"]:
        assert abs(r["z"]) < 4, r
        assert r["diff_se"] < 0.02 * r["rhs"], r  # the interval is narrow enough to see a 2 % error


def test_normalised_variance_follows_one_over_two_minus_eta_h(data):
    for r in data["var"]:
        pred = 1.0 / (2.0 - r["eta_h"])
        z = (r["norm"] - pred) / r["norm_se"]
        assert np.all(np.abs(z) < 4), (r["eta"], z)
    top = data["var"][-1]
    assert top["eta_h"].max() == pytest.approx(max(Y.VAR_ETAS) * max(Y.H_DIAG))
    assert top["norm"].max() > 3.0  # near eta h = 2 the variance is far above the small-step 1/2


def test_figure_renders():
    fig = load()["stationary"].make(quick=True)
    assert len(fig.axes) == 3
    plt.close(fig)
