r"""The :class:`Statement` record and the verdicts a check produces.

A statement is one mathematical claim taken from a paper (or proved by theorysim) together with

* its **source**: paper, theorem / corollary / equation, and how much of it was confirmed in the
  paper's own text (:data:`CONFIRMATION` lists the tags);
* its **assumptions**, in words;
* its **expressions** in named sympy symbols (:mod:`theorysim.theory._symbols`);
* a **symbolic check**: sympy working on the expressions (a limit, a derivation, an identity, an
  inequality proved on a half-line, a comparison with frozen PEPit values);
* a **numeric evaluation** of the expressions at given parameter values;
* a **simulation cross-check**: a run of the engine (or, where the engine lacks the method, a small
  NumPy recurrence, labelled as such) on an objective that meets the assumptions, comparing a
  measured quantity with the bound (upper bound: measured <= bound; lower bound: measured >= bound
  on the hard instance).

No verdict is written by hand: every :class:`Verdict` is computed by sympy or by a run.
"""
from __future__ import annotations

import math
import time
import traceback
from dataclasses import dataclass, field

import sympy as sp

PASS, FAIL, PENDING, ERROR, SKIP = "pass", "fail", "pending", "error", "skip"
#: statuses that make a check row fail
FAILING = (FAIL, ERROR)

#: how much of a statement was read in the paper's own text (the "confirmed" column)
CONFIRMATION = {
    "paper": "the statement (expression and constants) was read in the paper's own text",
    "paper(sub)": "read in the paper's own text, OpenReview submission version (not camera-ready)",
    "order": "the paper's order of magnitude and hypotheses are confirmed; the explicit constant "
             "is theorysim's own, proved in the docstring and re-derived by sympy",
    "ours": "theorysim's own result or construction (no paper claim is being reproduced)",
    "secondary": "form known only from a secondary source; unknown constants are named symbols",
    "textbook": "standard result (proof in the docstring, re-derived by sympy)",
    "PEPit": "constant checked against PEPit worst-case values (frozen fixture)",
}


@dataclass(frozen=True)
class Source:
    """Where a statement comes from.

    Attributes:
      paper: paper id (``"zhang2020"``) or a theorysim area (``"classical"``, ``"cert"``).
      where: theorem / corollary / equation (``"Theorem 3"``).
      short: short citation used in tables (``"Zhang+20 Thm 3"``).
      confirmed: a key of :data:`CONFIRMATION`.
      note: what exactly is confirmed and what is not (said plainly).
    """

    paper: str
    where: str
    short: str
    confirmed: str
    note: str = ""

    def __post_init__(self):
        if self.confirmed not in CONFIRMATION:
            raise ValueError(f"unknown confirmation tag {self.confirmed!r}; "
                             f"choose from {', '.join(CONFIRMATION)}")


@dataclass(frozen=True)
class Verdict:
    """Outcome of one check.

    Attributes:
      status: ``"pass"``, ``"fail"``, ``"pending"`` (not yet checkable, e.g. the engine lacks the
        method), ``"error"`` (the check itself raised) or ``"skip"``.
      detail: what was computed, in one or a few lines.
      measured, bound: the headline numbers (simulation checks).
      relation: how ``measured`` must relate to ``bound`` (``"<="``, ``">="``, ``"~="``).
      via: ``"sympy"``, ``"engine"``, ``"numpy recurrence"``, ``"PEPit fixture"``...
      seconds: wall time of the check.
    """

    status: str
    detail: str = ""
    measured: float | None = None
    bound: float | None = None
    relation: str = ""
    via: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status not in FAILING

    def slack(self) -> float | None:
        """How far the headline is from its bound: ``bound/measured`` for ``<=``,
        ``measured/bound`` for ``>=`` (1 = the bound is attained); ``None`` where that ratio means
        nothing (other relations, a zero or non-finite number)."""
        m, b = self.measured, self.bound
        if m is None or b is None or self.relation not in ("<=", ">="):
            return None
        if not (math.isfinite(m) and math.isfinite(b) and m > 0 and b > 0):
            return None
        return b / m if self.relation == "<=" else m / b

    def numbers(self) -> str:
        """``measured <= bound (slack x8.4)`` in short form, or ``""``; the slack factor says
        how tight the check is (a bound 10^10 above the count checks descent, not a constant)."""
        if self.measured is None and self.bound is None:
            return ""
        m = "-" if self.measured is None else f"{self.measured:.4g}"
        b = "-" if self.bound is None else f"{self.bound:.4g}"
        k = self.slack()
        return f"{m} {self.relation or '?'} {b}" + ("" if k is None else f" (x{k:.3g})")


def verdict_from(ok: bool, detail: str, **kw) -> Verdict:
    """A pass/fail verdict from a computed boolean (never from a literal)."""
    return Verdict(PASS if bool(ok) else FAIL, detail, **kw)


def compare(measured: float, bound: float, relation: str, *, rtol: float = 0.0,
            atol: float = 0.0) -> bool:
    """``measured relation bound`` with a tolerance in the direction that forgives rounding."""
    slack = atol + rtol * abs(bound)
    if relation == "<=":
        return measured <= bound + slack
    if relation == ">=":
        return measured >= bound - slack
    if relation == "~=":
        return abs(measured - bound) <= slack
    if relation == "<":
        return measured < bound
    if relation == ">":
        return measured > bound
    raise ValueError(f"unknown relation {relation!r}")


@dataclass(frozen=True)
class CheckRow:
    """One line of the check table: a statement's symbolic and simulation verdicts."""

    id: str
    source: str
    confirmed: str
    symbolic: Verdict
    simulation: Verdict
    title: str = ""

    @property
    def passed(self) -> bool:
        return self.symbolic.ok and self.simulation.ok


class Statement:
    r"""Base class of every statement (see the module docstring and ``_template.py``).

    Subclasses set the class attributes and implement :meth:`expressions`,
    :meth:`symbolic_check` and :meth:`simulate`.

    Attributes:
      id: ``"<paper>.<name>"``, e.g. ``"zhang2020.thm3"``.
      title: one line.
      source: a :class:`Source`.
      assumptions: the hypotheses, in words (theorysim's reading where the paper is unconfirmed).
      kind: ``"upper bound"``, ``"lower bound"``, ``"tight bound"``, ``"condition"``,
        ``"certificate"``, ``"identity"``.
      main: name of the principal expression in :meth:`expressions`.
    """

    id: str = ""
    title: str = ""
    source: Source
    assumptions: tuple = ()
    kind: str = ""
    main: str = "bound"

    # -- to implement ----------------------------------------------------------------------
    def expressions(self) -> dict:
        """Named sympy expressions of the statement."""
        raise NotImplementedError

    def symbolic_check(self) -> Verdict:
        """Sympy working on :meth:`expressions`; returns a :class:`Verdict`."""
        raise NotImplementedError

    def simulate(self, quick: bool = True) -> Verdict:
        """Cross-check by a run; returns a :class:`Verdict` (``pending`` if not yet possible)."""
        return Verdict(PENDING, "no simulation cross-check implemented", via="-")

    # -- provided ----------------------------------------------------------------------------
    @property
    def paper(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def expr(self) -> sp.Expr:
        """The principal expression."""
        return self.expressions()[self.main]

    def evaluate(self, name: str | None = None, **values) -> float:
        """Numeric value of expression ``name`` (default: :attr:`main`) at ``values``.

        Keyword names are symbol names (``L0=1, Delta=2``); every free symbol must be given.
        """
        e = self.expressions()[name or self.main]
        subs = {}
        for s in e.free_symbols:
            key = _symbol_key(s)
            if key not in values:
                raise ValueError(f"{self.id}: evaluate needs a value for {key!r} "
                                 f"(free symbols: {sorted(map(_symbol_key, e.free_symbols))})")
            subs[s] = values[key]
        out = sp.N(e.subs(subs), 30)
        if not out.is_number:
            raise ValueError(f"{self.id}: expression did not evaluate to a number: {out}")
        return float(out)

    def check(self, quick: bool = True, simulate: bool = True) -> CheckRow:
        """Run both checks (errors become ``error`` verdicts; they never escape)."""
        sym = _guarded(self.symbolic_check)
        sim = _guarded(lambda: self.simulate(quick=quick)) if simulate else Verdict(SKIP)
        return CheckRow(self.id, self.source.short, self.source.confirmed, sym, sim, self.title)

    def __repr__(self) -> str:
        return f"<Statement {self.id}: {self.title} [{self.source.short}; {self.source.confirmed}]>"


def _symbol_key(s) -> str:
    """Keyword name of a symbol: ``L_0 -> L0``, ``\\epsilon`` style names stay as written."""
    return str(s).replace("_", "").replace("\\", "")


def _guarded(fn) -> Verdict:
    t0 = time.perf_counter()
    try:
        v = fn()
    except Exception as exc:  # a crashing check is a failing check, reported in the table
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Verdict(ERROR, f"check raised {tb}", seconds=time.perf_counter() - t0)
    if not isinstance(v, Verdict):
        return Verdict(ERROR, f"check returned {type(v).__name__}, not a Verdict")
    if v.seconds == 0.0:
        v = Verdict(v.status, v.detail, v.measured, v.bound, v.relation, v.via,
                    time.perf_counter() - t0)
    return v


@dataclass
class Registry:
    """Statements by id, in registration order."""

    items: dict = field(default_factory=dict)

    def add(self, st: Statement) -> Statement:
        if not st.id or "." not in st.id:
            raise ValueError(f"statement id must look like 'paper.name', got {st.id!r}")
        if st.id in self.items:
            raise ValueError(f"duplicate statement id {st.id!r}")
        self.items[st.id] = st
        return st
