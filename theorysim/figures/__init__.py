"""Figure recipes, one module per paper; the CLI enumerates :data:`REGISTRY`.

A recipe is a function returning a matplotlib Figure; ``@register`` records its name, paper,
title, caption and ``methods``, a function returning the configured methods the recipe runs.  The
title and caption are built from the same constants as those methods, so the text cannot claim a
value the runs do not use (``tests/figures/test_captions.py`` checks every recipe).
``render(name, out)`` runs a recipe and writes ``out/<paper>/<name>.png`` (and ``.pdf``).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: paper modules that define recipes (imported lazily by :func:`load`)
PAPERS = ("zhang2020", "reddi2018", "chen2019")


@dataclass(frozen=True)
class Recipe:
    name: str
    paper: str
    title: str
    caption: str
    make: Callable  # (quick: bool) -> matplotlib.figure.Figure
    #: () -> {label: theorysim.methods.Method}: the configured methods the recipe runs
    methods: Callable | None = None


REGISTRY: dict[str, Recipe] = {}


def register(name, paper, title, caption, methods=None):
    """Decorator: register ``make(quick=False) -> Figure`` as figure ``name`` of ``paper``;
    ``methods()`` returns ``{label: Method}``, the configured methods ``make`` runs."""

    def deco(func):
        REGISTRY[name] = Recipe(name, paper, title, caption, func, methods)
        return func

    return deco


def load() -> dict[str, Recipe]:
    """Import every paper module and return the registry."""
    for p in PAPERS:
        importlib.import_module(f"{__name__}.{p}")
    return REGISTRY


def render(name: str, out: str | Path = "figures", quick: bool = False) -> list[Path]:
    """Run recipe ``name``; save PNG and PDF under ``out/<paper>/``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    recipes = load()
    if name not in recipes:
        raise ValueError(f"unknown figure {name!r}; choose from {', '.join(recipes)}")
    r = recipes[name]
    fig = r.make(quick=quick)
    folder = Path(out) / r.paper
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.pdf"]
    fig.savefig(paths[0], dpi=150, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight", metadata={"CreationDate": None})
    plt.close(fig)
    return paths
