"""sam_normalized (a preset of methods.sam): two engine iterations per SAM step, against a plain NumPy
SAM loop."""
import numpy as np
import pytest

import theorysim as ts

F = ts.objectives.get("quadratic", lam=[1.0, 3.0])
H = np.array([1.0, 3.0])


def _numpy_sam(x, eta, rho, normalized, n):
    out = [x.copy()]
    for _ in range(n):
        g = H * x
        e = rho * g / np.linalg.norm(g) if normalized else rho * g
        x = x - eta * H * (x + e)
        out.append(x.copy())
    return np.array(out)


@pytest.mark.parametrize("normalized", [True, False])
def test_matches_a_numpy_sam_loop(normalized):
    x0 = np.array([1.0, -0.5])
    tr = ts.run(F, ts.methods.sam_normalized(0.1, 0.2, normalized=normalized), x0=x0, steps=40)
    ref = _numpy_sam(x0, 0.1, 0.2, normalized, 20)
    assert np.allclose(tr.x[::2], ref, rtol=1e-13, atol=1e-15)
    assert np.all(tr.step_size[0:-1:2] == 0.0) and np.all(tr.step_size[1::2] == 0.1)


def test_zero_gradient_no_ascent_and_validation():
    tr = ts.run(F, ts.methods.sam_normalized(0.1, 0.2), x0=[0.0, 0.0], steps=4)
    assert np.all(tr.x == 0.0)
    with pytest.raises(TypeError, match="normalized must be True or False"):
        ts.methods.sam_normalized(0.1, 0.2, normalized=1)
    with pytest.raises(ValueError, match="rho must be finite and >= 0"):
        ts.methods.sam_normalized(0.1, -0.2)
    assert ts.methods.sam_normalized(0.1, 0.2, normalized=False).name == "sam_unnormalized"
