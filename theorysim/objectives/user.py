r"""Objectives written by the user: a numba function, or a sympy expression.

* :func:`from_numba` takes ``fg(x, g) -> float``: a jitted function that writes
  :math:`\nabla f(x)` into ``g`` (both float64 vectors of length d) and returns :math:`f(x)`.
* :func:`from_sympy` takes an expression and its symbols, generates ``fg`` (and the Hessian) as
  Python source with :func:`sympy.pycode` after common-subexpression elimination, and compiles it,
  so the numeric kernels are derived from the symbolic form and cannot disagree with it.

Compile cost, said plainly: a user objective is passed to the engine loop as an argument, so the
loop is specialised for it and **recompiled once per process** (numba cannot cache a loop whose
argument is a jitted function: its type embeds a memory address).  On a 2-core machine this is
about 1-3 s per objective and per entry point (run, sweep); calls after the first are full speed.
Built-in objectives load from the on-disk cache instead.
"""
from __future__ import annotations

import numba
import numpy as np

from .._jit import jit, jit_disabled
from ._base import Objective


def _batched(fg):
    """Wrap a single-point ``fg(x, g)`` into the batched kernel convention of :mod:`._base`."""

    @jit(cache=False)
    def kernel(kind, params, X, G, F, want_value, scratch, t, rng):
        d, B = X.shape
        x = scratch[0]
        g = scratch[1]
        for j in range(B):
            for i in range(d):
                x[i] = X[i, j]
            v = fg(x, g)
            for i in range(d):
                G[i, j] = g[i]
            F[j] = v

    return kernel


def _check_fg(fg, dim, name):
    """Call ``fg`` from Python at :math:`x=0` to turn a wrong signature into a clear TypeError,
    and a gradient entry that ``fg`` never writes into a ValueError naming the entry (``g`` is
    filled with NaN before the call; an entry still NaN is probed again with another fill)."""
    if not (isinstance(fg, numba.core.registry.CPUDispatcher) or (jit_disabled() and callable(fg))):
        if callable(fg) and getattr(fg, "__module__", None) is not None:
            hint = " (decorate it with @numba.njit)"
        else:
            hint = ""
        raise TypeError(
            f"{name}: the objective must be a numba-jitted function fg(x, g) -> float{hint}; "
            f"got {type(fg).__name__}"
        )
    x = np.zeros(dim)
    g = np.full(dim, np.nan)
    try:
        v = fg(x, g)
    except Exception as exc:  # numba TypingError, wrong arity, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TypeError(
            f"{name}: calling fg(x, g) with two float64 vectors of length {dim} failed "
            f"({type(exc).__name__}: {first}); expected fg(x, g) -> float writing grad f(x) into g"
        ) from None
    if not isinstance(v, (float, int, np.floating, np.integer)) or isinstance(v, bool):
        raise TypeError(f"{name}: fg(x, g) must return the objective value as a float, "
                        f"got {type(v).__name__}")
    unwritten = np.flatnonzero(np.isnan(g))
    if unwritten.size:
        # NaN may be a gradient the function wrote; a second call with another fill tells
        # an entry that was written (as NaN) from one that was never touched
        g2 = np.full(dim, _SENTINEL)
        fg(x, g2)
        unwritten = unwritten[g2[unwritten] == _SENTINEL]
    if unwritten.size:
        which = ", ".join(f"g[{i}]" for i in unwritten[:8]) + (", ..." if unwritten.size > 8 else "")
        raise ValueError(
            f"{name}: fg(x, g) never wrote {which} ({unwritten.size} of {dim} gradient entries "
            f"left untouched at x = 0); fg must write every entry of grad f(x) into g "
            f"(e.g. g[0] = ...) and return f(x)")


#: fill value of the second probe call in :func:`_check_fg` (no gradient formula produces it)
_SENTINEL = -1.2345678901234567e-300


def from_numba(fg, dim, name="user", L0=float("nan"), L1=float("nan"), f_star=float("nan"),
               x0=None):
    r"""Wrap a user's jitted ``fg(x, g) -> f(x)`` (writes :math:`\nabla f(x)` into ``g``).

    Args:
      fg: ``numba.njit`` function of two float64 vectors of length ``dim``.
      dim: dimension d.
      name: label used in results and messages.
      L0, L1, f_star: optional known constants (documentation only; never assumed).
      x0: optional suggested start.
    """
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}: dim must be an integer >= 1, got {type(dim).__name__} {dim!r}")
    dim = int(dim)
    if dim < 1:
        raise ValueError(f"{name}: dim must be an integer >= 1, got {dim}")
    _check_fg(fg, dim, name)
    return Objective(name=name, dim=dim, params=np.zeros(1), L0=float(L0), L1=float(L1),
                     f_star=float(f_star), x0=None if x0 is None else np.asarray(x0, float),
                     source="user-supplied numba function", kind=-1, kernel=_batched(fg))


def _not_smooth(exprs):
    """The first piece of ``exprs`` that has no numeric value: a Dirac delta or a derivative that
    sympy left unevaluated (derivatives of ``Abs``, ``Max``, ``sign``, ``floor``...)."""
    import sympy as sp

    for e in exprs:
        for atom in e.atoms(sp.DiracDelta, sp.Derivative, sp.Subs):
            return atom
    return None


def _generated_source(expr, symbols, name="sympy"):
    r"""Python source of ``fg(x, g)`` and ``hess(x, H)`` for ``expr`` (internal names only).

    Returns ``(source, why)``: ``hess`` is left out, and ``why`` names the obstruction, when the
    expression is differentiable once but not twice, e.g. :math:`|x|` or :math:`\max(x, 0)^2`; a gradient that
    itself has no value (:math:`\mathrm{sign}(x)x^2` as sympy differentiates it, ``floor``) is
    refused with a ValueError.
    """
    import sympy as sp

    d = len(symbols)
    v = sp.symbols(f"_v0:{d}", real=True)
    expr = expr.subs(dict(zip(symbols, v)), simultaneous=True)
    grads = [sp.diff(expr, s) for s in v]
    bad = _not_smooth(grads)
    if bad is not None:
        raise ValueError(
            f"{name}: the expression is not differentiable as sympy differentiates it: its gradient "
            f"contains {bad.subs(dict(zip(v, symbols)))}, which has no numeric value; write a "
            f"differentiable objective, or use ts.objectives.from_numba with a (sub)gradient you "
            f"choose")
    hess = [sp.diff(gi, s) for gi in grads for s in v]
    bad = _not_smooth(hess)
    twice = bad is None

    def code(e):
        return sp.pycode(e, fully_qualified_modules=True)

    def body(exprs):
        reps, red = sp.cse(exprs, symbols=sp.numbered_symbols("_c"))
        return [f"    {a} = {code(e)}" for a, e in reps], red

    head = [f"    {s} = _x[{i}]" for i, s in enumerate(v)]
    lines = ["def fg(_x, _g):"] + head
    tmp, red = body([expr] + grads)
    lines += tmp + [f"    _g[{i}] = {code(red[1 + i])}" for i in range(d)]
    lines += [f"    return {code(red[0])}"]
    if twice:
        lines += ["", "def hess(_x, _H):"] + head
        tmp, red = body(hess)
        lines += tmp + [f"    _H[{k // d}, {k % d}] = {code(e)}" for k, e in enumerate(red)]
    return "\n".join(lines) + "\n", (None if twice else bad.subs(dict(zip(v, symbols))))


def from_sympy(expr, symbols, name="sympy", L0=float("nan"), L1=float("nan"),
               f_star=float("nan"), x0=None):
    r"""Compile a sympy expression in ``symbols`` into an objective (value, gradient, Hessian).

    The gradient :math:`\nabla f` and Hessian :math:`\nabla^2 f` are sympy's derivatives of
    ``expr``.  A string ``expr`` is parsed with its names bound to ``symbols`` (so
    ``"x**2"`` means the ``x`` you pass, whatever its assumptions).  Smoothness is checked on the
    derivatives: where sympy's gradient has no numeric value (a Dirac delta, an unevaluated
    derivative: ``sign(x)*x**2``, ``floor(x)``) the call is refused with a ValueError; where
    only the Hessian has none (``Abs(x)``, ``Max(x, 0)**2``: differentiable once, not twice) the
    objective is built without a Hessian, so every method runs on it and
    :meth:`~theorysim.objectives.Objective.hessian` says why there is none.

    Example::

        import sympy as sp, theorysim as ts
        x = sp.Symbol("x", real=True)
        f = ts.objectives.from_sympy(x**4 / 4 + sp.cos(x), [x])
    """
    import math

    import sympy as sp

    symbols = list(symbols) if isinstance(symbols, (list, tuple)) else [symbols]
    if not symbols or not all(isinstance(s, sp.Symbol) for s in symbols):
        raise TypeError(f"{name}: symbols must be a non-empty list of sympy Symbols")
    if len(set(symbols)) != len(symbols):
        raise ValueError(f"{name}: symbols must be distinct, got {symbols}")
    if isinstance(expr, str):  # parse names as the given Symbols (with their assumptions)
        local = {s.name: s for s in symbols}
    else:
        local = None
    try:
        expr = sp.sympify(expr, locals=local)
    except (sp.SympifyError, SyntaxError, TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expr must be a sympy expression or a string sympy can "
                         f"parse, got {expr!r} ({type(exc).__name__})") from None
    if not isinstance(expr, sp.Expr) or getattr(expr, "is_Matrix", False):
        raise TypeError(f"{name}: expr must be a scalar sympy expression, got "
                        f"{type(expr).__name__} {expr}")
    extra = expr.free_symbols - set(symbols)
    if extra:
        names = {s.name for s in symbols}
        twins = sorted(s.name for s in extra if s.name in names)
        if twins:
            raise ValueError(
                f"{name}: the expression's {', '.join(twins)} and the variable(s) of the same name "
                f"are different sympy Symbols (created with different assumptions, e.g. "
                f"Symbol('x') vs Symbol('x', real=True)); build the expression from the "
                f"Symbols you pass in symbols")
        raise ValueError(f"{name}: expression has symbols {sorted(map(str, extra))} that are not "
                         f"variables; substitute numbers for parameters first")
    try:
        src, no_hessian = _generated_source(expr, symbols, name)
    except sp.printing.codeprinter.PrintMethodNotImplementedError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValueError(f"{name}: cannot generate numeric code for {expr} ({first})") from None
    namespace = {"math": math}
    exec(compile(src, f"<theorysim.from_sympy:{name}>", "exec"), namespace)
    fg = jit(namespace["fg"], cache=False)
    if no_hessian is None:
        hess = jit(namespace["hess"], cache=False)
    else:
        def hess(x, H, _why=str(no_hessian)):
            raise ValueError(f"{name}: the expression is not twice differentiable (its Hessian "
                             f"contains {_why}); this objective has no Hessian")
    obj = from_numba(fg, len(symbols), name=name, L0=L0, L1=L1, f_star=f_star, x0=x0)
    obj.info.update(hess=hess, source_code=src)
    return Objective(**{**obj.__dict__, "sympy_form": lambda: (expr, tuple(symbols)),
                        "source": "user sympy expression (kernels generated by sympy.pycode)"})
