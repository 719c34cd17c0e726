"""Figure recipes, one module per paper; the CLI enumerates :data:`REGISTRY`.

A recipe is a function returning a matplotlib Figure; ``@register`` records its name, paper and
caption.  ``render(name, out)`` runs it and writes ``out/<paper>/<name>.png`` (and ``.pdf``), each
atomically, after checking that the folder can be written.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .._io import check_out_dir, save_figure

#: paper modules that define recipes (imported lazily by :func:`load`)
PAPERS = ("zhang2020", "reddi2018", "chen2019")


@dataclass(frozen=True)
class Recipe:
    name: str
    paper: str
    title: str
    caption: str
    make: Callable  # (quick: bool) -> matplotlib.figure.Figure


REGISTRY: dict[str, Recipe] = {}


def register(name, paper, title, caption):
    """Decorator: register ``make(quick=False) -> Figure`` as figure ``name`` of ``paper``."""

    def deco(func):
        REGISTRY[name] = Recipe(name, paper, title, caption, func)
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
    folder = check_out_dir(Path(out) / r.paper, "out")  # before any computing
    fig = r.make(quick=quick)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.pdf"]
    try:  # each file appears whole or not at all
        save_figure(fig, paths[0], dpi=150, bbox_inches="tight")
        save_figure(fig, paths[1], bbox_inches="tight", metadata={"CreationDate": None})
    finally:
        plt.close(fig)
    return paths
