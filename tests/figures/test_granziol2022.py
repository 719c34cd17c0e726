"""granziol2022 figure (quick): SGD's largest stable step grows about linearly in B, Adam's about
as sqrt(B), in the small-batch regime (measured slopes 0.97 and 0.55 at B = 4, 32)."""
import numpy as np

from theorysim.figures import granziol2022 as G


def test_slopes_in_the_small_batch_regime():
    d = G.lr_batch_data(quick=True)
    assert 0.75 < d["slope"]["sgd"] < 1.25
    assert 0.35 < d["slope"]["adam"] < 0.75
    # SGD's edge sits near GD's edge on the batch Hessian (MP) at small B
    assert np.all(np.abs(np.log(d["sgd"] / d["mp"])) < np.log(2.0))
