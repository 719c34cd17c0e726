import os

import numpy as np
import pytest

import theorysim as ts

JIT_DISABLED = os.environ.get("NUMBA_DISABLE_JIT", "0") == "1"

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
