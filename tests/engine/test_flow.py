"""ts.flow: gradient flow sampled at t = k*eta, against closed forms; validation; blow-up."""
import numpy as np
import pytest

import theorysim as ts


def test_quadratic_flow_matches_the_exponential():
    f = ts.objectives.get("quadratic", lam=[1.0, 3.0])
    tr = ts.flow(f, [1.0, -2.0], 2.0, eta=0.1)
    t = 0.1 * tr.iteration
    assert tr.iteration[-1] == 20 and tr.method == "gradient_flow" and tr.reason == "completed all steps"
    np.testing.assert_allclose(tr.x, np.c_[np.exp(-t), -2 * np.exp(-3 * t)], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(tr.loss, 0.5 * (np.exp(-2 * t) + 3 * 4 * np.exp(-6 * t)), rtol=1e-8)
    assert np.isnan(tr.step_size[-1]) and np.all(tr.step_size[:-1] == 0.1)


def test_rows_line_up_with_gd():
    f = ts.objectives.get("cosh")
    eta = 0.05
    gd = ts.run(f, ts.methods.gd(eta), x0=[2.0], steps=40)
    gf = ts.flow(f, [2.0], 40 * eta, eta=eta)
    assert gd.x.shape == gf.x.shape
    gap = np.max(np.abs(gd.x - gf.x))
    assert 0 < gap < 0.05


def test_blow_up_is_a_status():
    import sympy as sp

    from theorysim.objectives import from_sympy

    x = sp.Symbol("x", real=True)
    f = from_sympy(-x**3 / 3, [x])        # x' = x^2 blows up at t = 1/x0
    tr = ts.flow(f, [1.0], 2.0, eta=0.1)
    assert tr.diverged and tr.diverged_at == 11 == tr.x.shape[0]  # t = 1.1: the first row not reached
    assert tr.x_final is None


@pytest.mark.parametrize("kw, word", [({"eta": 0.0}, "eta"), ({"t_end": -1.0}, "t_end"),
                                      ({"x0": [1.0, 2.0]}, "x0"), ({"rtol": np.nan}, "rtol")])
def test_bad_input(kw, word):
    f = ts.objectives.get("quadratic", lam=1.0)
    args = {"x0": [1.0], "t_end": 1.0, "eta": 0.1} | kw
    with pytest.raises(ValueError, match=word):
        ts.flow(f, args.pop("x0"), args.pop("t_end"), **args)
