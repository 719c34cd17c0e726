"""damian2021 figure: GD keeps its trace, label noise lowers it (quick mode, real runs)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from theorysim.figures import damian2021 as D  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return D.label_noise_data(quick=True)


def test_gd_keeps_its_trace_label_noise_lowers_it(data):
    for (_, _, gd), (_, _, ln) in zip(data["toy"][0.0], data["toy"][max(D.TOY_SIGMAS)]):
        assert gd[-1] > 4.0 and ln[-1] < 0.6 * gd[-1]  # measured: about 2 against 4.25 / 6.4 / 4.6
    starts = [np.array(s) for s in D.TOY_STARTS]
    ends = [x[-1] for _, x, _ in data["toy"][0.0]]
    assert np.all([np.linalg.norm(e - s) < 0.3 for e, s in zip(ends, starts)])  # GD barely moves


def test_regression_trace_drops_and_the_fit_stays(data):
    _, gd_tr, gd_loss = data["reg"]["GD"]
    _, ln_tr, ln_loss = data["reg"]["label noise"]
    assert gd_loss[-1] < 1e-10 and ln_loss[-1] < 0.05
    assert ln_tr[-100:].mean() < 0.5 * gd_tr[-1]  # measured 5.8 against 21.4
