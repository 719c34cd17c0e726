"""Adam-type presets equal a plain reference of Chen et al.'s Algorithm 1, step for step."""
import dataclasses

import numpy as np
import pytest

import theorysim as ts
from tests import reference

OBJECTIVES = [("cosh", dict(dim=2), [1.5, -2.0]), ("power", dict(p=4, c=1, dim=3), [2.0, -1.0, 0.5]),
              ("quadratic", dict(lam=[1.0, 10.0]), [3.0, 1.0])]

PRESETS = [  # (preset name, kwargs, reference cfg, schedule)
    ("sgd", dict(alpha=0.05), dict(alpha=0.05, v_rule="one"), "constant"),
    ("momentum", dict(alpha=0.05, beta1=0.9), dict(alpha=0.05, beta1=0.9, v_rule="one"), "constant"),
    ("adagrad", dict(alpha=0.5), dict(alpha=0.5, v_rule="mean"), "inverse_sqrt"),
    ("rmsprop", dict(alpha=0.01, beta2=0.9, eps=1e-8),
     dict(alpha=0.01, beta2=0.9, eps=1e-8), "constant"),
    ("adam", dict(alpha=0.01), dict(alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8,
                                    bias_correction=True), "constant"),
    ("adam", dict(alpha=0.1, bias_correction=False, eps=0.0, eps_inside=True),
     dict(alpha=0.1, beta1=0.9, beta2=0.999, eps=0.0, eps_inside=True), "inverse_sqrt"),
    ("amsgrad", dict(alpha=0.05, beta1=0.9, beta2=0.99),
     dict(alpha=0.05, beta1=0.9, beta2=0.99, amsgrad=True), "constant"),
    ("amsgrad", dict(alpha=0.05, bias_correction=True, amsgrad_after_bias=True, eps=1e-8),
     dict(alpha=0.05, beta1=0.9, beta2=0.999, eps=1e-8, amsgrad=True, bias_correction=True,
          amsgrad_after_bias=True), "constant"),
    ("amsgrad", dict(alpha=0.05, bias_correction=True, eps=1e-8),
     dict(alpha=0.05, beta1=0.9, beta2=0.999, eps=1e-8, amsgrad=True, bias_correction=True),
     "constant"),
    ("adafom", dict(alpha=0.3), dict(alpha=0.3, beta1=0.9, v_rule="mean"), "inverse_sqrt"),
    ("signsgd", dict(alpha=0.01), dict(alpha=0.01, v_rule="one", sign=True), "constant"),
    ("signum", dict(alpha=0.01, beta1=0.8), dict(alpha=0.01, beta1=0.8, v_rule="one", sign=True),
     "constant"),
    ("generalized_signsgd", dict(alpha=0.01),
     dict(alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8, v_rule="ema_momentum"), "constant"),
    ("adam", dict(alpha=0.01, clip=1.0, clip_delta=1e-6),
     dict(alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True, clip=1.0,
          clip_delta=1e-6), "constant"),
    ("momentum", dict(alpha=0.05, normalize=0.5),
     dict(alpha=0.05, beta1=0.9, v_rule="one", normalize=0.5), "constant"),
    ("amsgrad", dict(alpha=0.05, beta1_decay=0.99),
     dict(alpha=0.05, beta1=0.9, beta2=0.999, amsgrad=True, beta1_decay=0.99), "constant"),
    # a second case of the max after bias correction (optax's order): beta2 = 0.9 makes the
    # correction 1/(1 - beta2^t) large early, so max(v_t / bc_t) (after), max(v_t) / bc_t (before)
    # and v_t / bc_t (no max) part ways; eps inside the root, decaying steps
    ("amsgrad", dict(alpha=0.2, beta1=0.5, beta2=0.9, eps=1e-6, bias_correction=True,
                     amsgrad_after_bias=True, eps_inside=True),
     dict(alpha=0.2, beta1=0.5, beta2=0.9, eps=1e-6, amsgrad=True, bias_correction=True,
          amsgrad_after_bias=True, eps_inside=True), "inverse_sqrt"),
]


@pytest.mark.parametrize("oname,okw,x0", OBJECTIVES, ids=[o[0] for o in OBJECTIVES])
@pytest.mark.parametrize("preset,kw,cfg,sched", PRESETS, ids=[f"{p[0]}{i}" for i, p in
                                                             enumerate(PRESETS)])
def test_preset_matches_reference(oname, okw, x0, preset, kw, cfg, sched, small):
    f = ts.objectives.get(oname, **okw)
    steps = 40 if small else 200
    m = ts.methods.get(preset, **kw, schedule=sched)
    tr = ts.run(f, m, x0=x0, steps=steps, monitor=True)
    ref = reference.adam_type_run(oname, f.params, cfg, x0, steps, sched)
    assert not tr.diverged
    np.testing.assert_allclose(tr.x, ref["x"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.loss, ref["loss"], rtol=1e-12, atol=1e-14)
    for k in ("S", "A", "B", "B2"):
        np.testing.assert_allclose(tr.monitor[k], ref[k], rtol=1e-11, atol=1e-14)


def test_projection_onto_a_box():
    f = dataclasses.replace(ts.objectives.get("quadratic", lam=[1.0, 1.0]),
                            info={"box": (0.5, 2.0)})
    tr = ts.run(f, ts.methods.amsgrad(0.3), x0=[1.9, 1.0], steps=100)
    ref = reference.adam_type_run("quadratic", f.params, dict(alpha=0.3, beta1=0.9, beta2=0.999,
                                  amsgrad=True), [1.9, 1.0], 100, box=(0.5, 2.0))
    np.testing.assert_allclose(tr.x, ref["x"], rtol=1e-12)
    np.testing.assert_allclose(tr.x_final, [0.5, 0.5], atol=1e-3)  # the constrained minimiser


def test_generalized_signsgd_endpoint_is_signum():
    """Crawshaw et al. 2022: beta2 = 0, eps = 0 gives x -= alpha sign(m) exactly."""
    f = ts.objectives.get("power", p=4, c=1, dim=2)
    a = ts.run(f, ts.methods.generalized_signsgd(0.01, beta1=0.7, beta2=0.0, eps=0.0),
               x0=[1.0, -2.0], steps=100)
    b = ts.run(f, ts.methods.signum(0.01, beta1=0.7), x0=[1.0, -2.0], steps=100)
    np.testing.assert_array_equal(a.x, b.x)


def test_adagrad_chen_form_equals_duchi_form():
    """alpha/sqrt(t) * g / sqrt(mean g^2) = alpha * g / sqrt(sum g^2)."""
    f = ts.objectives.get("cosh", dim=2)
    tr = ts.run(f, ts.methods.adagrad(0.5), x0=[1.0, 2.0], steps=50)
    x = np.array([1.0, 2.0])
    acc = np.zeros(2)
    for _ in range(50):
        g = np.sinh(x)
        acc += g * g
        x = x - 0.5 * g / np.sqrt(acc)
    np.testing.assert_allclose(tr.x_final, x, rtol=1e-12)


def test_sgd_preset_equals_gd():
    f = ts.objectives.get("cosh")
    a = ts.run(f, ts.methods.sgd(0.1), x0=[3.0], steps=100)
    b = ts.run(f, ts.methods.gd(0.1), x0=[3.0], steps=100)
    np.testing.assert_array_equal(a.x, b.x)


def test_adam_first_step_has_length_alpha():
    """With bias correction, m1/sqrt(v1) = g/|g|: the first Adam step is alpha*sign(g)."""
    f = ts.objectives.get("power", p=4, c=1, dim=3)
    tr = ts.run(f, ts.methods.adam(0.01, eps=0.0), x0=[3.0, -0.1, 2.0], steps=1)
    np.testing.assert_allclose(tr.x[1] - tr.x[0], -0.01 * np.sign(tr.x[0]), rtol=1e-12)


@pytest.mark.parametrize("call,match", [
    (lambda: ts.methods.adam(0.1, beta1=1.0), r"beta1 must lie in \[0, 1\)"),
    (lambda: ts.methods.adam(0.1, beta2=-0.1), r"beta2 must lie in \[0, 1\)"),
    (lambda: ts.methods.adam(0.1, eps=-1e-8), "eps must be finite and >= 0"),
    (lambda: ts.methods.adam(0.0), "alpha must be finite and > 0"),
    (lambda: ts.methods.adam(0.1, schedule=[1.0, 0.0]), "schedule array"),
    (lambda: ts.methods.adam_type(0.1, v_rule="max"), "v_rule must be one of"),
    (lambda: ts.methods.adam(0.1, clip=1.0, normalize=1.0), "clip or normalize"),
    (lambda: ts.methods.amsgrad(0.1, beta1_decay=1.5), r"beta1_decay must lie in \[0, 1\]"),
])
def test_invalid_hyperparameters(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_sweep_over_adam_grid_equals_runs():
    f = ts.objectives.get("power", p=4, c=1, dim=2)
    res = ts.sweep(f, ts.methods.adam, {"alpha": [0.01, 0.05], "beta2": [0.9, 0.999]},
                   x0=[2.0, -1.0], steps=150, tol=1e-3)
    for i, al in enumerate([0.01, 0.05]):
        for k, b2 in enumerate([0.9, 0.999]):
            tr = ts.run(f, ts.methods.adam(al, beta2=b2), x0=[2.0, -1.0], steps=150, tol=1e-3)
            assert res.final_loss[i, k] == tr.loss[-1]
            assert res.first_hit[i, k] == tr.first_hit


def test_second_after_bias_case_exercises_the_branch():
    """The new after-bias case differs from the same run with the max before the bias correction
    and from Adam without the max (plain reference): the branch decides the trajectory."""
    f = ts.objectives.get("quadratic", lam=[1.0, 10.0])
    cfg = PRESETS[-1][2]
    after = reference.adam_type_run("quadratic", f.params, cfg, [3.0, 1.0], 60, "inverse_sqrt")
    before = reference.adam_type_run("quadratic", f.params, {**cfg, "amsgrad_after_bias": False},
                                     [3.0, 1.0], 60, "inverse_sqrt")
    no_max = reference.adam_type_run("quadratic", f.params, {**cfg, "amsgrad": False},
                                     [3.0, 1.0], 60, "inverse_sqrt")
    gap_before = np.max(np.abs(after["x"] - before["x"]))
    gap_no_max = np.max(np.abs(after["x"] - no_max["x"]))
    assert gap_before > 1e-2 and gap_no_max > 1e-2
