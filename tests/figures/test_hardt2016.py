"""hardt2016 figure: every coupled divergence stays under its bound (quick mode, real runs)."""
import numpy as np

from theorysim.figures import hardt2016 as Hf


def test_bounds_hold_and_divergence_grows():
    d = Hf.stability_data(quick=True)
    for name, r in d["runs"].items():
        assert np.all(r["D"][1:] <= r["bound"][1:]), name
        assert r["D"][-1] > r["D"][1], name  # the runs do drift apart
    assert d["runs"]["sgd 0.5"]["bound"][-1] > 5 * d["runs"]["clipped 0.5"]["bound"][-1]
