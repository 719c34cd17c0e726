"""Figure recipes, one module per paper; the CLI enumerates :data:`REGISTRY`.

A recipe is a function returning a matplotlib Figure; ``@register`` records its name, paper,
title, caption and ``methods``, a function returning the configured methods the recipe runs.  The
title and caption are built from the same constants as those methods, so the text cannot claim a
value the runs do not use (``tests/figures/test_captions.py`` checks every recipe).
``render(name, out)`` checks that the folder can be written, runs a recipe and writes
``out/<paper>/<name>.png`` (and ``.pdf``) and, beside them, ``<name>.npz``: every number the
figure draws (:func:`figure_data`) with its provenance (:func:`provenance`: theorysim, numpy and
numba versions, the recipe, ``quick``, the recipe module's parameters and seeds), each file
atomically.  ``np.load(path)["__provenance__"]`` holds the provenance as JSON; the file is written
with fixed zip timestamps, so the same data gives the same bytes.
"""
from __future__ import annotations

import importlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._io import atomic_write, check_out_dir, save_figure

#: paper modules that define recipes (imported lazily by :func:`load`)
PAPERS = ("zhang2020", "reddi2018", "chen2019", "thresholds", "arora2022", "ahn2022", "elkabetz2021",
          "zhang2022", "ahn2023", "yaida2018", "li2022", "damian2021", "andriushchenko2022",
          "hardt2016", "granziol2022")


@dataclass(frozen=True)
class Recipe:
    name: str
    paper: str
    title: str
    caption: str
    make: Callable  # (quick: bool) -> matplotlib.figure.Figure
    #: () -> {label: theorysim.methods.Method}: the configured methods the recipe runs
    methods: Callable | None = None
    #: rough seconds to render with warm caches on 2 cores (``theorysim figures -j`` starts the
    #: longest first, so that one long recipe does not run alone at the end)
    cost: float = 0.0


REGISTRY: dict[str, Recipe] = {}


def register(name, paper, title, caption, methods=None, cost=0.0):
    """Decorator: register ``make(quick=False) -> Figure`` as figure ``name`` of ``paper``;
    ``methods()`` returns ``{label: Method}``, the configured methods ``make`` runs; ``cost``:
    rough seconds it takes (a scheduling hint, see :class:`Recipe`)."""

    def deco(func):
        REGISTRY[name] = Recipe(name, paper, title, caption, func, methods, cost)
        return func

    return deco


def load() -> dict[str, Recipe]:
    """Import every paper module and return the registry."""
    for p in PAPERS:
        importlib.import_module(f"{__name__}.{p}")
    return REGISTRY


def render(name: str, out: str | Path = "figures", quick: bool = False) -> list[Path]:
    """Run recipe ``name``; save PNG, PDF and the figure's data (``.npz``, see the module
    docstring) under ``out/<paper>/``; return the three paths."""
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
        paths.append(folder / f"{name}.npz")
        with atomic_write(paths[2]) as tmp:
            save_data(tmp, figure_data(fig), provenance(name, quick))
    finally:
        plt.close(fig)
    return paths


# --------------------------------------------------------------------------------------------
# the data beside each figure
# --------------------------------------------------------------------------------------------
def _jsonable(v):
    """Plain JSON value of a recipe constant (numpy arrays and scalars become lists / floats)."""
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    raise TypeError(f"not a plain constant: {type(v).__name__}")


def recipe_parameters(name: str) -> dict:
    """The public UPPER_CASE constants of the module that defines recipe ``name`` (its step
    counts, grids, seeds, problem constants), as JSON values; styling tables (labels, colours,
    line styles) are left out."""
    mod = importlib.import_module(load()[name].make.__module__)
    out = {}
    for key, val in vars(mod).items():
        if not key.isupper() or key.startswith("_") or any(
                w in key for w in ("LABEL", "COLOR", "STYLE", "_LS", "NAMES")):
            continue
        try:
            out[key] = _jsonable(val)
        except TypeError:
            continue
    return out


def provenance(name: str, quick: bool = False) -> dict:
    """What produced figure ``name``'s data: versions, recipe, ``quick``, parameters, seeds."""
    import numba

    from .. import __version__

    r = load()[name]
    params = recipe_parameters(name)
    return {"theorysim": __version__, "numpy": np.__version__, "numba": numba.__version__,
            "figure": name, "paper": r.paper, "recipe": f"{r.make.__module__}.{r.make.__name__}",
            "quick": bool(quick), "caption": r.caption, "parameters": params,
            "seeds": {k: v for k, v in params.items() if "SEED" in k},
            "regenerate": f"theorysim figures {name}" + (" --quick" if quick else "")}


def figure_data(fig) -> dict:
    """Every number a matplotlib Figure draws, as named arrays.

    Per axes ``i`` (in ``fig.axes`` order): ``ax{i}_line{j}`` (``(n, 2)`` x, y of each line),
    ``ax{i}_scatter{j}`` (``(n, 2)`` offsets) and ``ax{i}_scatter{j}_values`` (the colour values,
    if any), ``ax{i}_poly{j}`` (vertices of filled areas), ``ax{i}_image{j}`` (image arrays); and
    ``ax{i}_labels``: a JSON string with the title, axis labels, scales and the artists' labels.
    """
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection

    out = {}
    for i, ax in enumerate(fig.axes):
        meta = {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                "xscale": ax.get_xscale(), "yscale": ax.get_yscale(), "artists": {}}
        for j, line in enumerate(ax.get_lines()):
            key = f"ax{i}_line{j}"
            out[key] = np.asarray(line.get_xydata(), dtype=float)
            meta["artists"][key] = line.get_label()
        n_sc = n_poly = 0
        for col in ax.collections:
            if isinstance(col, PathCollection):
                key = f"ax{i}_scatter{n_sc}"
                n_sc += 1
                out[key] = np.asarray(col.get_offsets(), dtype=float)
                vals = col.get_array()
                if vals is not None:
                    out[key + "_values"] = np.asarray(vals, dtype=float)
            elif isinstance(col, (PolyCollection, LineCollection)):
                key = f"ax{i}_poly{n_poly}"
                n_poly += 1
                paths = col.get_paths()
                out[key] = (np.concatenate([p.vertices for p in paths]).astype(float) if paths
                            else np.zeros((0, 2)))
            else:
                continue
            meta["artists"][key] = col.get_label()
        for j, im in enumerate(ax.images):
            key = f"ax{i}_image{j}"
            out[key] = np.asarray(im.get_array(), dtype=float)
            meta["artists"][key] = im.get_label()
        out[f"ax{i}_labels"] = np.array(json.dumps(meta, sort_keys=True))
    return out


def save_data(path, arrays: dict, prov: dict) -> Path:
    """Write ``arrays`` and ``prov`` (as JSON under ``__provenance__``) to an ``.npz`` that
    :func:`numpy.load` reads, with fixed zip timestamps so equal data give equal bytes."""
    path = Path(path)
    items = dict(arrays)
    items["__provenance__"] = np.array(json.dumps(prov, sort_keys=True))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(items):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(items[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
    return path


def load_data(path) -> tuple[dict, dict]:
    """``(arrays, provenance)`` of a figure's ``.npz`` written by :func:`save_data`."""
    with np.load(Path(path), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if k != "__provenance__"}
        prov = json.loads(str(z["__provenance__"]))
    return arrays, prov
