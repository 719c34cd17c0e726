"""The separable quartic sum_i a_i x_i^4/4 + b_i x_i^2/2 (one new file in theorysim.objectives)."""
import numpy as np
import pytest

import theorysim as ts


def test_value_gradient_hessian():
    f = ts.objectives.get("separable_quartic", a=[1.0, 2.0], b=[3.0, 0.5])
    x = np.array([1.5, -0.5])
    v, g = f.value_and_grad(x)
    assert v == pytest.approx(1.0 * 1.5**4 / 4 + 3.0 * 1.5**2 / 2 + 2.0 * 0.5**4 / 4 + 0.5 * 0.25 / 2,
                              rel=1e-15)
    np.testing.assert_allclose(g, [1.5**3 + 3 * 1.5, 2 * (-0.125) + 0.5 * (-0.5)], rtol=1e-15)
    np.testing.assert_allclose(f.hessian(x), np.diag([3 * 1.5**2 + 3, 3 * 2 * 0.25 + 0.5]))


def test_documented_pair_holds_and_is_tight_at_two():
    """(L0, L1) = (max(4a + b), 1); for one coordinate with b = 0 the ratio is 1 at |x| = 2."""
    f = ts.objectives.get("separable_quartic", a=[1.0, 0.5, 2.0], b=[0.0, 3.0, 1.0])
    assert (f.L0, f.L1) == (9.0, 1.0)
    rs = np.random.default_rng(0)
    assert max(f.smoothness_ratio(x) for x in rs.normal(scale=3, size=(300, 3))) <= 1 + 1e-12
    g = ts.objectives.get("separable_quartic", a=1.0, b=0.0)
    assert g.smoothness_ratio([2.0]) == pytest.approx(1.0)


def test_bad_coefficients_are_refused():
    with pytest.raises(ValueError, match="a and b must be finite and >= 0"):
        ts.objectives.get("separable_quartic", a=[1.0, -1.0])
    with pytest.raises(ValueError, match="dim"):
        ts.objectives.get("separable_quartic", a=[1.0, 2.0], b=[1.0, 2.0, 3.0])
