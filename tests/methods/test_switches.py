"""Issue 8, item 1: boolean options of the Adam-type family are real booleans, never truthy
strings or numbers ("false" used to switch bias correction ON)."""
import numpy as np
import pytest

import theorysim as ts

SWITCHES = ("bias_correction", "amsgrad", "eps_inside", "amsgrad_after_bias", "sign")


@pytest.mark.parametrize("flag", SWITCHES)
@pytest.mark.parametrize("value", ["false", "False", "no", "off", "true", 0, 1, 0.0, None, [True]])
def test_non_boolean_switch_is_refused(flag, value):
    with pytest.raises(TypeError, match=f"{flag} must be True or False"):
        ts.methods.adam_type(0.1, **{flag: value})


@pytest.mark.parametrize("builder,flag", [(ts.methods.adam, "bias_correction"),
                                          (ts.methods.adam, "eps_inside"),
                                          (ts.methods.amsgrad, "amsgrad_after_bias"),
                                          (ts.methods.sgd, "sign")])
def test_presets_refuse_strings(builder, flag):
    with pytest.raises(TypeError, match=flag):
        builder(0.1, **{flag: "false"})


def test_numpy_booleans_are_booleans():
    f = ts.objectives.get("cosh")
    a = ts.run(f, ts.methods.adam(0.1, bias_correction=np.False_), x0=[1.0], steps=5)
    b = ts.run(f, ts.methods.adam(0.1, bias_correction=False), x0=[1.0], steps=5)
    c = ts.run(f, ts.methods.adam(0.1, bias_correction=True), x0=[1.0], steps=5)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert np.all(a.loss[1:] != c.loss[1:])
