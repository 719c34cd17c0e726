"""SAM figure: the stable region follows eta (h + rho h^2) < 2; the cycle; the diagonal net runs."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from theorysim.figures import andriushchenko2022 as A  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return A.sam_data(quick=True)


def test_stable_region_is_below_the_sam_edge(data):
    H, E = np.meshgrid(A.MAP_H, A.MAP_ETAS, indexing="ij")
    edge = 2 / (H + A.MAP_RHO * H**2)
    step = A.MAP_ETAS[1] - A.MAP_ETAS[0]
    far = np.abs(E - edge) > step  # grid points not within one step of the edge
    assert np.array_equal(data["shrink"][far], (E < edge)[far])
    assert np.any(~data["shrink"] & (E * H < 2))  # points GD would keep but SAM does not


def test_cycle_and_net(data):
    last = data["cycle"][-4:]
    assert np.allclose(np.abs(last[:, 1]), data["amp"], rtol=1e-9)
    for name, r in data["net"].items():
        assert r["test"][-1] < 0.05 * r["test"][0], name  # every method fits and generalizes here
    net = data["net"]
    one = net[r"1-SAM $\rho=0.05$"]
    for other in ("GD", r"n-SAM $\rho=0.05$"):  # 1-SAM ends sparser and closer to beta*
        assert one["test"][-1] < 0.5 * net[other]["test"][-1] and one["l1"][-1] < net[other]["l1"][-1]
