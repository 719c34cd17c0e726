"""The data saved beside every figure: present, with provenance, and regenerated bit for bit."""
from pathlib import Path

import numpy as np
import pytest

from theorysim import figures

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "figures"
#: provenance fields that name the machine's library versions (they may differ on another machine)
VERSIONS = ("theorysim", "numpy", "numba")


def _same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("name", list(figures.load()))
def test_every_figure_has_its_data_beside_it(name):
    r = figures.load()[name]
    path = FIGURES / r.paper / f"{name}.npz"
    assert path.exists(), f"{path.relative_to(ROOT)} missing: run `theorysim figures {name}`"
    arrays, prov = figures.load_data(path)
    assert prov["figure"] == name and prov["paper"] == r.paper and prov["quick"] is False
    assert prov["parameters"] == figures.recipe_parameters(name)
    assert prov["caption"] == r.caption and prov["regenerate"] == f"theorysim figures {name}"
    assert set(prov) >= set(VERSIONS) | {"seeds", "recipe"}
    lines = [k for k in arrays if "_line" in k or "_scatter" in k]
    assert lines and all(arrays[k].size > 0 for k in lines)


def test_one_figure_regenerates_bit_for_bit(tmp_path):
    # the smoothness figure (a few seconds): same arrays, same bits, same provenance
    committed, prov0 = figures.load_data(FIGURES / "zhang2020" / "smoothness.npz")
    path = figures.render("smoothness", tmp_path)[2]
    fresh, prov1 = figures.load_data(path)
    assert sorted(fresh) == sorted(committed)
    diff = [k for k in fresh if not _same_bits(fresh[k], committed[k])]
    assert not diff, f"arrays differ: {diff}"
    strip = lambda p: {k: v for k, v in p.items() if k not in VERSIONS}  # noqa: E731
    assert strip(prov1) == strip(prov0)


def test_saved_bytes_do_not_depend_on_the_clock(tmp_path, monkeypatch):
    import time

    arrays = {"ax0_line0": np.arange(6.0).reshape(3, 2), "ax0_labels": np.array('{"title": "t"}')}
    prov = {"figure": "x", "seeds": {"SEED": 3}}
    real = time.localtime
    out = []
    for i, when in enumerate((1.0e9, 2.0e9)):  # two writes, 32 years apart
        monkeypatch.setattr(time, "time", lambda w=when: w)
        monkeypatch.setattr(time, "localtime", lambda *a, w=when: real(w))
        out.append(figures.save_data(tmp_path / f"{i}.npz", arrays, prov).read_bytes())
    monkeypatch.undo()
    a, b = out
    assert a == b
    back, p = figures.load_data(tmp_path / "0.npz")
    assert p == prov and _same_bits(back["ax0_line0"], arrays["ax0_line0"])


def test_figure_data_reads_what_is_drawn():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 2)
    ax[0].plot([1, 2, 3], [4, 5, 6], label="a")
    ax[1].scatter([0.5, 1.5], [2.5, 3.5], c=[7.0, 8.0])
    ax[1].fill_between([0, 1], [0, 0], [1, 1])
    ax[1].set_xscale("log")
    d = figures.figure_data(fig)
    plt.close(fig)
    assert d["ax0_line0"].tolist() == [[1, 4], [2, 5], [3, 6]]
    assert d["ax1_scatter0"].tolist() == [[0.5, 2.5], [1.5, 3.5]]
    assert d["ax1_scatter0_values"].tolist() == [7.0, 8.0]
    assert d["ax1_poly0"].shape[1] == 2 and d["ax1_poly0"].size > 0
    assert '"xscale": "log"' in str(d["ax1_labels"]) and '"ax0_line0": "a"' in str(d["ax0_labels"])
