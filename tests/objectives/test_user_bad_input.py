"""Issue 8, items 2, 7, 9: user objectives that cannot work are refused when built, with the reason."""
import numba
import numpy as np
import pytest
import sympy as sp

import theorysim as ts

X = sp.Symbol("x", real=True)


def test_gradient_never_written_is_named():
    fg = numba.njit(lambda x, g: 0.5 * x[0] ** 2)
    with pytest.raises(ValueError, match=r"never wrote g\[0\] \(1 of 1"):
        ts.objectives.from_numba(fg, 1)


def test_partly_written_gradient_names_the_missing_entries():
    @numba.njit
    def fg(x, g):
        g[0] = x[0]
        g[2] = x[2]
        return 0.5 * (x[0] ** 2 + x[2] ** 2)

    with pytest.raises(ValueError, match=r"never wrote g\[1\], g\[3\] \(2 of 4"):
        ts.objectives.from_numba(fg, 4)


def test_a_gradient_written_as_nan_is_not_unwritten():
    @numba.njit
    def fg(x, g):
        g[0] = np.nan if x[0] == 0.0 else 1.0
        return x[0]

    f = ts.objectives.from_numba(fg, 1)
    assert f.grad([2.0])[0] == 1.0


@pytest.mark.parametrize("dim,exc", [("2", TypeError), (1.5, TypeError), (True, TypeError),
                                     (0, ValueError)])
def test_dim_must_be_a_positive_integer(dim, exc):
    fg = numba.njit(lambda x, g: 0.0)
    with pytest.raises(exc, match="dim must be an integer >= 1"):
        ts.objectives.from_numba(fg, dim)


@pytest.mark.parametrize("expr,why", [
    (sp.sign(X) * X**2, r"DiracDelta\(x\)"),
    (sp.floor(X), r"Derivative\(floor\(x\), x\)"),
])
def test_expression_without_a_gradient_is_refused(expr, why):
    with pytest.raises(ValueError, match=f"not differentiable.*gradient contains {why}"):
        ts.objectives.from_sympy(expr, [X])


@pytest.mark.parametrize("expr,x,value,grad", [
    (sp.Abs(X), -2.0, 2.0, -1.0),
    (sp.Max(X, 0) ** 2, 1.5, 2.25, 3.0),
    (sp.Max(X, 0) ** 2, -1.0, 0.0, 0.0),
])
def test_once_differentiable_expression_builds_without_a_hessian(expr, x, value, grad):
    f = ts.objectives.from_sympy(expr, [X])
    assert f.value([x]) == value and f.grad([x])[0] == grad
    with pytest.raises(ValueError, match=r"not twice differentiable \(its Hessian contains DiracDelta"):
        f.hessian([x])


def test_string_expression_uses_the_given_symbols():
    f = ts.objectives.from_sympy("x**2 + 3*x", [X])
    assert f.value([2.0]) == 10.0 and f.grad([2.0])[0] == 7.0


def test_same_name_different_symbol_is_explained():
    with pytest.raises(ValueError, match="different sympy Symbols"):
        ts.objectives.from_sympy(sp.Symbol("x") ** 2, [X])


@pytest.mark.parametrize("expr,symbols,exc,match", [
    ("x**", [X], ValueError, "expr must be a sympy expression or a string"),
    (sp.Matrix([X]), [X], TypeError, "scalar sympy expression"),
    (X**2, [X, X], ValueError, "symbols must be distinct"),
    (X**2, ["x"], TypeError, "symbols must be a non-empty list of sympy Symbols"),
])
def test_bad_sympy_input(expr, symbols, exc, match):
    with pytest.raises(exc, match=match):
        ts.objectives.from_sympy(expr, symbols)


@pytest.mark.parametrize("name,params,exc,match", [
    ("cosh", {"a": "abc"}, TypeError, "parameter a must be a number"),
    ("cosh", {"dim": 1.5}, ValueError, "parameter dim must be an integer"),
    ("power", {"dim": 0}, ValueError, "parameter dim must be an integer >= 1"),
    ("quadratic", {"lam": [[1.0], [1.0, 2.0]]}, TypeError, "parameter lam must be a number"),
    ("power", {"p": True}, TypeError, "parameter p must be a number"),
])
def test_builtin_parameters_are_named(name, params, exc, match):
    with pytest.raises(exc, match=match):
        ts.objectives.get(name, **params)
