"""theorysim: the convergence theory of gradient methods as runnable, checkable simulations.

>>> import theorysim as ts
>>> f = ts.objectives.get("cosh")
>>> tr = ts.run(f, ts.methods.clipped_gd(eta=0.1, gamma=1.0), x0=[5.0], steps=200)
>>> bool(tr.grad_norm[-1] < 1e-6)
True
"""
__version__ = "0.1.0"

from . import diagnostics, methods, objectives, oracles  # noqa: E402
from .engine import SweepResult, Trajectory, run, sweep  # noqa: E402
from .flow import flow  # noqa: E402


def __getattr__(name):  # ``ts.theory`` imports sympy only when first used (about 0.5 s)
    if name == "theory":
        import importlib

        return importlib.import_module(".theory", __name__)
    raise AttributeError(f"module 'theorysim' has no attribute {name!r}")


__all__ = ["run", "sweep", "flow", "Trajectory", "SweepResult", "objectives", "methods", "oracles",
           "diagnostics", "theory", "__version__"]
