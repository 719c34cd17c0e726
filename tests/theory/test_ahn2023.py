"""ahn2023.edge: theorysim's l(xy) toy; a changed edge constant flips both verdicts."""
import numpy as np
import pytest

import theorysim as ts
from theorysim import theory
from theorysim.theory import _symbols as S
from theorysim.theory import ahn2023 as ab


def test_verdicts():
    row = theory.check("ahn2023.edge")
    assert row.symbolic.status == "pass", row.symbolic.detail
    assert row.simulation.status == "pass", row.simulation.detail
    assert row.confirmed == "ours"


def test_changed_constant_fails():
    class Wrong(ab.Edge):
        def expressions(self):
            return {"edge_y2": 1 / (S.eta * ab.AC)}   # the GD edge without its factor 2

    assert Wrong().symbolic_check().status == "fail"
    assert Wrong().simulate().status == "fail"


def test_product_loss():
    f = ts.objectives.product_loss(2.0)
    v, g = f.value_and_grad([0.5, 3.0])
    s = np.sqrt(2.0) * 1.5
    assert v == pytest.approx(np.log(np.cosh(s)), rel=1e-14)
    np.testing.assert_allclose(g, np.sqrt(2.0) * np.tanh(s) * np.array([3.0, 0.5]), rtol=1e-14)
    np.testing.assert_allclose(f.hessian([0.0, 3.0]), [[18.0, 0.0], [0.0, 0.0]], atol=1e-14)
    for bad in (0.0, -1.0, "x"):
        with pytest.raises(ValueError, match="a must"):
            ts.objectives.product_loss(bad)
