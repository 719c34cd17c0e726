"""stability_edge: nested sweeps bracket a known edge; bad input is refused by name."""
import numpy as np
import pytest

import theorysim as ts
from theorysim.diagnostics import stability_edge, stable_runs


def test_gd_edge_on_a_quadratic_is_bracketed():
    f = ts.objectives.get("quadratic", lam=4.0)
    e = stability_edge(f, ts.methods.gd, [1.0], 20_000, 0.01, 2.0, rtol=1e-4)
    assert e.lo < 0.5 < e.hi and e.rel_width <= 1e-4
    assert e.rounds >= 2 and e.runs == 33 * e.rounds


def test_stable_runs_classifies_both_sides():
    f = ts.objectives.get("quadratic", lam=1.0)
    ok = stable_runs(f, ts.methods.gd, [1.0], 2000, "eta", [0.5, 1.99, 2.01, 3.0])
    np.testing.assert_array_equal(ok, [True, True, False, False])


@pytest.mark.parametrize("kw, word", [({"lo": 0.0, "hi": 1.0}, "lo"), ({"lo": 1.0, "hi": 0.5}, "lo"),
                                      ({"rtol": 0.0}, "rtol"), ({"points": 2}, "points"),
                                      ({"lo": 0.6, "hi": 1.0}, "not stable"),
                                      ({"lo": 0.1, "hi": 0.4}, "is stable")])
def test_bad_input(kw, word):
    f = ts.objectives.get("quadratic", lam=4.0)
    args = {"lo": 0.01, "hi": 2.0} | kw
    with pytest.raises(ValueError, match=word):
        stability_edge(f, ts.methods.gd, [1.0], 2000, **args)
