"""Kernels are compiled per combination on first use, load from the disk cache in a new process,
are never stale after an edit, and do not recompile for new hyperparameters or parameters."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import theorysim as ts
from tests.conftest import JIT_DISABLED, nrt_calls
from theorysim.engine import _codegen

pytestmark = pytest.mark.skipif(JIT_DISABLED, reason="needs the JIT")

SCRIPT = r"""
import json, sys, numpy as np, sympy as sp, theorysim as ts
from theorysim.engine import _codegen
f = ts.objectives.get("cosh")
m = ts.methods.clipped_gd(0.1, 1.0)
ts.run(f, m, x0=[3.0], steps=10)
ts.sweep(ts.objectives.get("power", p=4), ts.methods.gd, {"eta": [0.1, 0.2]}, x0=[1.0], steps=5)
x = sp.Symbol("x", real=True)
u = ts.objectives.from_sympy(x**4 / 4 + sp.cos(x), [x])
ts.run(u, ts.methods.gd(0.01), x0=[1.0], steps=5)
kerns = [(_codegen.kernel_module(f, m), "run_one"),
         (_codegen.kernel_module(ts.objectives.get("power", p=4), ts.methods.gd(0.1), one_dim=True),
          "run_many"),
         (_codegen.kernel_module(u, ts.methods.gd(0.01)), "run_one")]
st = [getattr(k, e).stats for k, e in kerns]
print(json.dumps({"hits": sum(sum(s.cache_hits.values()) for s in st),
                  "misses": sum(sum(s.cache_misses.values()) for s in st)}))
"""


def _fresh_process(tmp_path, script=SCRIPT):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"),
               THEORYSIM_CACHE_DIR=str(tmp_path / "ts"))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                         check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


def test_second_process_hits_the_disk_cache(tmp_path):
    first, err1 = _fresh_process(tmp_path)
    second, err2 = _fresh_process(tmp_path)
    assert first["misses"] == 3 and first["hits"] == 0
    assert second["hits"] == 3 and second["misses"] == 0
    # a first use says so, once per kernel; a warm process says nothing
    assert err1.count("theorysim: compiling") == 3
    assert "compiling" not in err2


PARTS_SCRIPT = r"""
import json, numpy as np, theorysim as ts
import importlib
f = ts.objectives.get("power", p=4, c=4)
ts.run(f, ts.methods.adam(0.1), x0=[1.0], steps=3)
ts.sweep(f, ts.methods.adam, {"alpha": [0.1, 0.2]}, x0=[1.0], steps=3)
f.value_and_grad(np.array([1.0]))
parts = {"update": importlib.import_module("theorysim.methods.adam_type").update,
         "value_and_grad": importlib.import_module("theorysim.objectives.power").value_and_grad}
print(json.dumps({k: len(v.signatures) for k, v in parts.items()}))
"""


def test_runs_and_sweeps_share_compiled_parts(tmp_path):
    """A run, a sweep and Objective.value_and_grad pass the parts the same argument types
    (unsigned column bounds, writable hyperparameter arrays): each part is compiled once."""
    if JIT_DISABLED:
        pytest.skip("nothing is compiled under NUMBA_DISABLE_JIT")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"),
               THEORYSIM_CACHE_DIR=str(tmp_path / "ts"), THEORYSIM_QUIET="1")
    out = subprocess.run([sys.executable, "-c", PARTS_SCRIPT], env=env, capture_output=True,
                         text=True, check=True, timeout=600)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"update": 1, "value_and_grad": 1}


def test_an_edited_part_never_loads_a_stale_kernel(tmp_path):
    """A user objective whose file changes gets a new kernel (the key hashes the file)."""
    mod = tmp_path / "myobj.py"
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(tmp_path)!r})
        import numba, theorysim as ts
        from myobj import fg
        f = ts.objectives.from_numba(fg, 1)
        tr = ts.run(f, ts.methods.gd(0.1), x0=[1.0], steps=1)
        print(json.dumps({{"hits": 0, "misses": 0, "x1": float(tr.x[1, 0])}}))
        """)
    src = "import numba\n@numba.njit\ndef fg(x, g):\n    g[0] = {c} * x[0]\n    return 0.5 * {c} * x[0] ** 2\n"
    mod.write_text(src.format(c=2.0))
    a, _ = _fresh_process(tmp_path, script)
    mod.write_text(src.format(c=4.0))
    b, _ = _fresh_process(tmp_path, script)
    assert a["x1"] == pytest.approx(1.0 - 0.1 * 2.0)
    assert b["x1"] == pytest.approx(1.0 - 0.1 * 4.0)


def test_new_hyperparameters_and_objectives_do_not_recompile():
    """One kernel per (family, rule) combination (sweeps: one for d = 1, one for d > 1): new
    values of hyperparameters, objective parameters or dimension reuse it (no new
    specialisation)."""
    f = ts.objectives.get("power", p=3.5, c=2.0, dim=3)
    for m in (ts.methods.gd(0.001, schedule="inverse"), ts.methods.gd(0.2)):
        kern = _codegen.kernel_module(f, m)
        ts.run(f, m, x0=np.ones(3), steps=5)
        n_one = len(kern.run_one.signatures)
        for obj, x0 in [(ts.objectives.get("power", p=4, dim=1), [1.0]),
                        (ts.objectives.get("power", p=2.5, c=3.0, dim=2), [1.0, -1.0]),
                        (ts.objectives.get("power", p=3.0, c=1.0, dim=4), np.ones(4))]:
            ts.run(obj, m, x0=x0, steps=5)
            ts.sweep(obj, ts.methods.gd, {"eta": [0.1, 0.01]}, x0=x0, steps=5)
            assert _codegen.kernel_module(obj, m) is kern
        assert len(kern.run_one.signatures) == n_one == 1
        # sweeps: one kernel for d = 1 and one for d > 1, whatever d and the values
        many = [_codegen.kernel_module(f, m, one_dim=one) for one in (True, False)]
        assert many[0] is not many[1] and kern not in many
        assert [len(k.run_many.signatures) for k in many] == [1, 1]
        assert len(kern.run_many.signatures) == 0


def test_combinations_are_separate_kernels():
    f = ts.objectives.get("cosh")
    a = _codegen.kernel_module(f, ts.methods.gd(0.1))
    b = _codegen.kernel_module(f, ts.methods.clipped_gd(0.1, 1.0))
    c = _codegen.kernel_module(f, ts.methods.gd(0.1), noise=ts.oracles.gaussian(1.0))
    d = _codegen.kernel_module(f, ts.methods.gd(0.1), monitor=True)
    assert len({a.__name__, b.__name__, c.__name__, d.__name__}) == 4
    assert _codegen.kernel_module(f, ts.methods.gd(0.5)) is a


LOCK_SCRIPT = r"""
import json, theorysim as ts
from theorysim.engine import _codegen
f = ts.objectives.get("cosh")
m = ts.methods.gd(0.1)
ts.run(f, m, x0=[3.0], steps=10)
s = _codegen.kernel_module(f, m).run_one.stats
print(json.dumps({"hits": sum(s.cache_hits.values()), "misses": sum(s.cache_misses.values())}))
"""


def test_two_processes_needing_a_new_kernel_compile_it_once(tmp_path):
    """The first-use lock: of two processes started together on an empty cache, one compiles and
    the other waits and loads the result from the disk cache."""
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"), THEORYSIM_CACHE_DIR=str(tmp_path / "ts"))
    procs = [subprocess.Popen([sys.executable, "-c", LOCK_SCRIPT], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [json.loads(p.communicate(timeout=600)[0].strip().splitlines()[-1]) for p in procs]
    assert sorted(o["misses"] for o in outs) == [0, 1]
    assert sorted(o["hits"] for o in outs) == [0, 1]


@pytest.mark.parametrize("entry,noise", [("run_one", None), ("run_many", None),
                                         ("run_many", "gaussian"), ("run_many", "student_t")])
def test_loops_do_no_reference_counting(entry, noise):
    """The generated loops are compiled without numba's reference counting (``_nrt=False``), and
    nothing they call brings it back: an Adam-type step on cosh (its kernels call pow and cosh)
    once paid for a dozen atomic increments and decrements per iteration; a noisy sweep draws
    from the samplers of ``theorysim.oracles._rng`` at every coordinate."""
    if noise is None:
        f = ts.objectives.get("cosh")
        m = ts.methods.adam(0.1, beta1_decay=0.99)
        if entry == "run_one":
            ts.run(f, m, x0=[1.0], steps=3)
        else:
            ts.sweep(f, ts.methods.adam, {"alpha": [0.1, 0.2]}, fixed={"beta1_decay": 0.99},
                     x0=[1.0], steps=3)
        kern = _codegen.kernel_module(f, m, one_dim=None if entry == "run_one" else True)
    else:
        f = ts.objectives.get("quadratic", lam=1.0, dim=2)
        oracle = ts.oracles.gaussian(1.0) if noise == "gaussian" else ts.oracles.student_t(3.0)
        ts.sweep(f, ts.methods.gd, {"seed": [0, 1]}, fixed={"eta": 0.1}, x0=[1.0, 1.0], steps=3,
                 noise=oracle)
        kern = _codegen.kernel_module(f, ts.methods.gd(0.1), noise=oracle, one_dim=False)
    assert nrt_calls(getattr(kern, entry)) == 0
