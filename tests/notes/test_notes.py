"""The lecture notes in papers/: notebooks that run, and figures that are there.

Each note is MyST markdown with a jupytext header, so ``jupytext --to notebook papers/<id>.md``
gives a notebook whose code cells are real cells.  Here every code cell of every note runs, in
order, in one namespace per note, in-process and with the Agg backend; right after the cell tagged
``parameters`` the test sets ``QUICK = True``, which cells that say so use for smaller runs.
"""
import re
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")  # in the test extra

from theorysim import figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTES = sorted((ROOT / "papers").glob("*.md"))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _code_cells(path):
    nb = jupytext.read(path)
    return nb, [c for c in nb.cells if c.cell_type == "code"]


def test_there_is_a_note_per_paper():
    assert {p.stem for p in NOTES} == {r.paper for r in figures.load().values()}


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.stem)
def test_note_is_a_myst_notebook(path):
    text = path.read_text()
    nb, cells = _code_cells(path)
    assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    assert nb.metadata["kernelspec"]["language"] == "python"
    assert len(cells) >= 3
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "QUICK = False" in tagged[0].source
    # python shown as a plain fence would not be a cell of the notebook
    assert "```python" not in text and "```ipython" not in text


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.stem)
def test_note_refers_only_to_what_a_user_has(path):
    text = path.read_text()
    assert "shared/" not in text, "a note must not point outside the repository"
    for target in LINK.findall(text):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(ROOT), target
        assert resolved.exists(), f"{path.name} links {target}, which does not exist"


def test_every_registered_figure_is_linked_by_a_note():
    linked = set()
    for path in NOTES:
        for target in LINK.findall(path.read_text()):
            linked.add((path.parent / target).resolve())
    for name, r in figures.load().items():
        png = (ROOT / "figures" / r.paper / f"{name}.png").resolve()
        assert png in linked, f"no note shows figure {name} ({r.paper})"


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.stem)
def test_every_code_cell_runs(path, monkeypatch):
    import matplotlib

    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(path.parent)  # a notebook runs where it lives
    _, cells = _code_cells(path)
    ns = {"__name__": f"note_{path.stem}"}
    try:
        for i, cell in enumerate(cells):
            code = compile(cell.source, f"{path.name}, code cell {i + 1}", "exec")
            exec(code, ns)
            if "parameters" in cell.metadata.get("tags", []):
                ns["QUICK"] = True
    finally:
        plt.close("all")
    assert ns["QUICK"] is True
