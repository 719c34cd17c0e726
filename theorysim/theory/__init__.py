r"""Symbolic statements of the convergence theory, each with a symbolic and a simulation check.

>>> from theorysim import theory
>>> st = theory.get("zhang2020.thm3")
>>> st.source.confirmed
'order'
>>> round(st.evaluate(L0=1, L1=1, Delta=10, epsilon=0.1))
20200

A :class:`Statement` names its source (paper, theorem, equation) and how much of it was confirmed
in the paper's own text, its assumptions, its expressions in named sympy symbols, a symbolic check
(sympy), a numeric evaluation, and a simulation cross-check (the engine, or a labelled NumPy
recurrence where the engine lacks the method).  :func:`check_all` runs every check and returns
:class:`CheckRow` records; :func:`format_table` prints them.  No verdict is hard-coded.

Statement ids: ``zhang2020.*`` (Zhang, He, Sra, Jadbabaie 2020), ``cert.*`` ((L0, L1)
certificates of the built-in objectives), ``chen2019.*`` (Chen, Liu, Sun, Hong 2019),
``reddi2018.*`` (Reddi, Kale, Kumar 2018), ``classical.*`` (L-smooth GD vs PEPit, quadratic
stability), ``thresholds.*`` (exact step-size thresholds on quadratics: GD, heavy ball, SAM), ``arora2022.*`` (edge of
stability on theorysim's flat valley, after Arora, Li, Panigrahi 2022), ``ahn2022.*`` (unstable
convergence, after Ahn, Zhang, Sra 2022), ``elkabetz2021.*`` (GD against gradient flow, after
Elkabetz & Cohen 2021), ``zhang2022.*`` (non-convergent GD and its invariant measure, after
Zhang, Li, Sra, Jadbabaie 2022), ``ahn2023.*`` (theorysim's l(xy) edge-of-stability toy),
``yaida2018.*`` (Yaida 2018: SGD's stationary laws on noisy quadratics), ``li2022.*``
(scale invariance and weight decay: Li et al. 2022, Lobacheva et al. 2021, Lyu et al. 2022),
``damian2021.*`` (label-noise SGD selects the flat minimizer of a toy), ``andriushchenko2022.*``
(SAM on quadratics), ``hardt2016.*`` (stability of SGD: expansivity, coupled divergence),
``granziol2022.*`` (the batch Hessian's Marchenko-Pastur edge).
"""
from __future__ import annotations

import difflib

from . import (
    ahn2022,
    ahn2023,
    andriushchenko2022,
    arora2022,
    certificates,
    chen2019,
    classical,
    damian2021,
    elkabetz2021,
    granziol2022,
    hardt2016,
    li2022,
    reddi2018,
    thresholds,
    yaida2018,
    zhang2020,
    zhang2022,
)
from ._statement import (
    CONFIRMATION,
    ERROR,
    FAIL,
    PASS,
    PENDING,
    SKIP,
    CheckRow,
    Registry,
    Source,
    Statement,
    Verdict,
)

_REGISTRY = Registry()
for _mod in (zhang2020, certificates, chen2019, reddi2018, classical, thresholds, arora2022,
             ahn2022, elkabetz2021, zhang2022, ahn2023, yaida2018, li2022, damian2021,
             andriushchenko2022, hardt2016, granziol2022):
    for _st in _mod.STATEMENTS:
        _REGISTRY.add(_st)

_CACHE: dict = {}


def ids(paper: str | None = None) -> list[str]:
    """Ids of the registered statements (optionally of one paper / area prefix)."""
    return [k for k in _REGISTRY.items if paper is None or k.split(".", 1)[0] == paper]


def papers() -> list[str]:
    """Paper / area prefixes in registration order."""
    out = []
    for k in _REGISTRY.items:
        p = k.split(".", 1)[0]
        if p not in out:
            out.append(p)
    return out


def get(id: str) -> Statement:
    """The statement registered as ``id`` (e.g. ``"zhang2020.thm3"``)."""
    if id not in _REGISTRY.items:
        close = difflib.get_close_matches(str(id), _REGISTRY.items, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown statement {id!r}{hint}; see theorysim.theory.ids()")
    return _REGISTRY.items[id]


def check(id: str, quick: bool = True, refresh: bool = False) -> CheckRow:
    """Check one statement (results are memoised per process; ``refresh`` recomputes)."""
    key = (id, bool(quick))
    if refresh or key not in _CACHE:
        _CACHE[key] = get(id).check(quick=quick)
    return _CACHE[key]


def check_all(paper: str | None = None, quick: bool = False, refresh: bool = False,
              progress=None) -> list[CheckRow]:
    """Run the symbolic and simulation check of every statement (of one paper if given).

    Args:
      paper: a prefix from :func:`papers` (``"zhang2020"``, ``"cert"``, ...) or ``None``.
      quick: small simulation sizes (the test-suite setting).
      refresh: ignore memoised results.
      progress: optional callable ``progress(id)`` called before each statement.

    Returns:
      one :class:`CheckRow` per statement; ``row.passed`` is false if either verdict failed.
    """
    if paper is not None and paper not in papers():
        close = difflib.get_close_matches(str(paper), papers(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown paper {paper!r}{hint}; choose from {', '.join(papers())}")
    rows = []
    for sid in ids(paper):
        if progress is not None:
            progress(sid)
        rows.append(check(sid, quick=quick, refresh=refresh))
    return rows


def _cell(v: Verdict) -> str:
    return v.status.upper() if v.status in (FAIL, ERROR) else v.status


def format_table(rows, details: bool = False, legend: bool = True) -> str:
    """Plain-text table: statement, source, confirmed, symbolic, simulation, measured vs bound.

    Args:
      rows: :class:`CheckRow` records (from :func:`check_all`).
      details: print each verdict's detail line under its row.
      legend: append the meaning of the ``confirmed`` tags used.
    """
    head = ("statement", "source", "confirmed", "symbolic", "simulation", "via",
            "measured vs bound (slack)")
    body = [(r.id, r.source, r.confirmed, _cell(r.symbolic), _cell(r.simulation),
             r.simulation.via, r.simulation.numbers()) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)] if body else \
        [len(h) for h in head]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head).rstrip(), fmt.format(*("-" * w for w in widths))]
    for r, b in zip(rows, body):
        lines.append(fmt.format(*b).rstrip())
        if details:
            lines.append(f"    symbolic:   {r.symbolic.detail}")
            lines.append(f"    simulation: {r.simulation.detail}")
    n_fail = sum(not r.passed for r in rows)
    n_pend = sum(r.simulation.status == PENDING for r in rows)
    lines.append("")
    lines.append(f"{len(rows)} statements: {len(rows) - n_fail} passed, {n_fail} failed"
                 + (f", {n_pend} simulation(s) pending" if n_pend else ""))
    if legend:
        used = sorted({r.confirmed for r in rows})
        lines.append("confirmed:")
        lines += [f"  {k:<10} {CONFIRMATION[k]}" for k in used]
        lines.append("slack: bound/measured for an upper bound, measured/bound for a lower bound "
                     "(x1 = attained). Each upper bound's headline is an instance where it is "
                     "within x100 of the measured count; the looser cases of a check (bounds up "
                     "to 1e16 on benign starts) test the per-step descent only: see the detail "
                     "lines (theorysim check --details).")
    return "\n".join(lines)


__all__ = ["Statement", "Source", "Verdict", "CheckRow", "CONFIRMATION", "PASS", "FAIL",
           "PENDING", "ERROR", "SKIP", "get", "ids", "papers", "check", "check_all",
           "format_table", "zhang2020", "certificates", "chen2019", "reddi2018", "classical",
           "thresholds", "arora2022", "ahn2022", "elkabetz2021", "zhang2022", "ahn2023", "yaida2018",
           "li2022", "damian2021", "andriushchenko2022", "hardt2016", "granziol2022"]
