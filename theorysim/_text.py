r"""Plain text from docstring markup, for the command line (``theorysim list``).

Docstrings carry reStructuredText with inline LaTeX (``:math:`\xi\sim\mathcal N(0,\sigma^2 I)```);
a terminal shows :func:`plain` of it instead: ``ξ ~ N(0, σ² I)``.  The conversion covers the
macros theorysim's one-line summaries use (Greek letters, relations, norms, fractions, roots,
sub- and superscripts); an unknown macro loses its backslash, so no raw markup reaches the
screen.
"""
from __future__ import annotations

import re

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω", "Pi": "Π",
    "nabla": "∇", "partial": "∂", "infty": "∞", "sim": "~", "approx": "≈", "le": "≤", "leq": "≤",
    "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "in": "∈", "to": "→", "rightarrow": "→",
    "leftrightarrow": "↔", "cdot": "·", "times": "×", "pm": "±", "sum": "Σ", "prod": "Π",
    "circ": "∘", "odot": "⊙", "ldots": "...", "dots": "...", "cdots": "...",
}
_SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


def _braced(s: str, i: int) -> tuple[str, int]:
    """The brace group starting at ``s[i] == '{'`` (nesting respected) and the index after it."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
    return s[i + 1:], len(s)


def _arg(s: str, i: int) -> tuple[str, int]:
    """One macro argument at ``s[i]``: a brace group or a single character (spaces skipped)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] == "{":
        return _braced(s, i)
    m = re.match(r"\\[A-Za-z]+|\\.", s[i:])
    if m:  # a macro as the argument: t_\nu
        return m.group(0), i + len(m.group(0))
    return s[i:i + 1], i + 1


def _atom(text: str) -> str:
    """``a`` stays ``a``; a compound ``a+b`` is parenthesised (for fractions and powers)."""
    return text if re.fullmatch(r"[\w.αβγδεηθκλμνξπρστφψωΓΔΣΩ∇|]+", text) else f"({text})"


def latex_to_text(tex: str) -> str:
    r"""Plain text of an inline LaTeX expression: ``\frac{a}{b+c}`` -> ``a/(b+c)``,
    ``\sigma^2`` -> ``σ²``, ``\|g\|`` -> ``||g||``, ``\mathcal N`` -> ``N``."""
    out, i = [], 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+)", tex[i:])
            if not m:  # \| \{ \} \, \; \! \  and friends
                nxt = tex[i + 1:i + 2]
                out.append({"|": "||", "{": "{", "}": "}", ",": " ", ";": " ", ":": " ",
                            " ": " ", "!": ""}.get(nxt, nxt))
                i += 2
                continue
            name = m.group(1)
            i += len(m.group(0))
            if name in ("frac", "tfrac", "dfrac"):
                num, i = _arg(tex, i)
                den, i = _arg(tex, i)
                out.append(f"{_atom(latex_to_text(num))}/{_atom(latex_to_text(den))}")
            elif name == "sqrt":
                arg, i = _arg(tex, i)
                out.append(f"√{_atom(latex_to_text(arg))}")
            elif name in ("mathcal", "mathbb", "mathrm", "mathbf", "operatorname", "text", "mathit",
                          "boldsymbol"):
                arg, i = _arg(tex, i)
                out.append(latex_to_text(arg))
            elif name in ("left", "right", "big", "Big", "bigg", "Bigg", "quad", "qquad",
                          "displaystyle"):
                out.append(" " if "quad" in name else "")
            else:
                out.append(_SYMBOLS.get(name, name))
                if name not in _SYMBOLS and tex[i:i + 1].isalnum():
                    out.append(" ")
        elif ch in "^_":
            arg, i = _arg(tex, i + 1)
            arg = latex_to_text(arg)
            if ch == "^" and re.fullmatch(r"[0-9+-]+", arg):
                out.append(arg.translate(_SUPERSCRIPTS))
            else:
                out.append(ch + _atom(arg))
        elif ch in "{}":
            i += 1
        else:
            out.append(ch)
            i += 1
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def plain(text: str) -> str:
    r"""Plain text of a reStructuredText fragment: ``:math:`...``` through :func:`latex_to_text`,
    other roles (``:func:`name```) and double back-quotes reduced to their content."""
    text = re.sub(r":math:`([^`]*)`", lambda m: latex_to_text(m.group(1)), text)
    text = re.sub(r":[a-z]+:`~?([^`]*)`", r"\1", text)
    text = text.replace("``", "")
    return re.sub(r"[ \t]{2,}", " ", text).strip()
