import os
import re

import numpy as np
import pytest

import theorysim as ts

JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"


def nrt_calls(dispatcher):
    """Calls of numba's reference counting (``NRT_incref``/``NRT_decref``) in the optimized LLVM
    IR of ``dispatcher``'s compiled signatures, callees linked in (the Python-facing wrapper,
    which unboxes the arguments once per call, does not count).

    The dispatcher is compiled afresh, without its disk cache: numba cannot show the code of a
    kernel loaded from the cache (it warns and returns nothing useful)."""
    import numba

    opts = {k: v for k, v in dispatcher.targetoptions.items() if k not in ("cache", "nopython")}
    fresh = numba.njit(**opts)(dispatcher.py_func)
    n = seen = 0
    for sig in dispatcher.signatures:
        fresh.compile(sig)
        inside = False
        for line in fresh.inspect_llvm(sig).splitlines():
            if line.startswith("define"):
                inside = "@_ZN7cpython" not in line
                seen += inside
            elif inside and re.search(r"call .*@NRT_(?:incref|decref)\b", line):
                n += 1
    assert seen, "no code to inspect"
    return n

# (registry name, constructor kwargs, a start) for every built-in objective
BUILTINS = [
    ("quadratic", dict(lam=[1.0, 4.0, 0.5], dim=3), [1.0, -2.0, 3.0]),
    ("power", dict(p=4, c=4), [3.0]),
    ("power", dict(p=3, c=1, dim=2), [2.0, -1.5]),
    ("power", dict(p=5.5, c=2, dim=2), [1.2, -0.7]),
    ("cosh", dict(), [5.0]),
    ("cosh", dict(a=2.0, s=0.5, dim=2), [4.0, -3.0]),
    ("ramp_wall", dict(L0=1.0, L1=2.0, M=50.0, eps=0.1, Delta=1.0), None),
    ("separable_quartic", dict(a=[1.0, 0.5, 2.0], b=[0.0, 3.0, 1.0]), [1.5, -2.0, 0.5]),
]


@pytest.fixture(params=BUILTINS, ids=lambda b: f"{b[0]}-{'-'.join(map(str, b[1].values()))}")
def builtin(request):
    name, kw, x0 = request.param
    f = ts.objectives.get(name, **kw)
    return f, (np.asarray(x0, float) if x0 is not None else f.x0.copy())


@pytest.fixture
def small():
    """Smaller sizes when kernels run as plain Python (NUMBA_DISABLE_JIT=1)."""
    return JIT_DISABLED


@pytest.fixture(scope="session")
def nan_wall_quadratic():
    r"""A user objective (``from_numba``) shared by the tests that need one, because each user
    objective compiles the engine loop once per process.

    :math:`\nabla f(x)=(x_1,4x_2)` on :math:`x_1\ge0` (NaN below), while
    :math:`f(x)=\tfrac12(x_1^2+4x_2^2)` only on :math:`x_1\ge1` and NaN below: on
    :math:`0\le x_1<1` the loss alone signals the breakdown (finite gradient, NaN loss); on
    :math:`x_1<0` the gradient (both entries) is NaN as well.  Runs that keep :math:`x_1\ge1` see a plain
    quadratic (d = 2).
    """
    import numba

    @numba.njit
    def fg(x, g):
        ok = x[0] >= 0.0
        g[0] = x[0] if ok else np.nan
        g[1] = 4.0 * x[1] if ok else np.nan
        if x[0] >= 1.0:
            return 0.5 * (x[0] * x[0] + 4.0 * x[1] * x[1])
        return np.nan

    return ts.objectives.from_numba(fg, dim=2, name="nan-wall quadratic")
