"""Issue 8 on the command line: boolean options, repeated options, output paths checked before
any computing, atomic writes, the file name that was written."""
import re

import matplotlib
import pytest

from theorysim import _io, figures
from theorysim.cli import main

matplotlib.use("Agg")

RUN = ["run", "--objective", "cosh", "--method", "adam", "--param", "alpha=0.1", "--x0", "1",
       "--steps", "10", "--quiet"]


def _final_grad(capsys, argv):
    assert main(argv) == 0
    return re.search(r"final \|grad\|: (\S+)", capsys.readouterr().out).group(1)


def _one_line_error(capsys, argv, match):
    assert main(argv) == 2
    cap = capsys.readouterr()
    err = cap.err.strip()
    assert err.startswith("theorysim: error:") and len(err.splitlines()) == 1, err
    assert re.search(match, err), err
    return cap.out


def test_boolean_words_are_read_as_booleans(capsys):
    off = {_final_grad(capsys, RUN + ["--param", f"bias_correction={w}"])
           for w in ("false", "False", "no", "off", "0")}
    on = {_final_grad(capsys, RUN + ["--param", f"bias_correction={w}"])
          for w in ("true", "TRUE", "yes", "on", "1")}
    assert len(off) == 1 and len(on) == 1 and off != on


def test_switch_forwarded_by_a_preset_is_a_boolean(capsys):
    base = ["run", "--objective", "cosh", "--method", "sgd", "--param", "alpha=0.1", "--x0", "1",
            "--steps", "3", "--quiet"]
    assert _final_grad(capsys, base + ["--param", "sign=off"]) == _final_grad(capsys, base)
    assert _final_grad(capsys, base + ["--param", "sign=on"]) != _final_grad(capsys, base)


@pytest.mark.parametrize("extra,match", [
    (["--param", "bias_correction=maybe"], r"--param bias_correction must be one of true/1/yes/on"),
    (["--param", "alpha=0.2"], r"--param alpha is given twice"),
    (["--objective-param", "a=1", "--objective-param", "a=2"], "--objective-param a is given twice"),
    (["--steps", "1000000000000"], r"29\.1 TiB.*--record-every \d+"),
    (["--steps", "abc"], r"argument --steps: invalid int value"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--noise", "gaussian:sigma=1,sigma=2", "--seed", "0"], "sigma is given twice"),
    (["--param", "=3"], "the name is empty"),
])
def test_run_mistakes_are_one_line_exit_2(extra, match, capsys):
    _one_line_error(capsys, RUN + extra, match)


def test_no_command_is_one_line_exit_2(capsys):
    _one_line_error(capsys, [], "required: COMMAND")


@pytest.mark.parametrize("plot,match", [
    ("{tmp}/missing/run.png", "folder .* does not exist"),
    ("{tmp}/afile/run.png", "folder .* is a file, not a folder"),
    ("{tmp}", "is a folder"),
    ("{tmp}/run.xyz", r"unknown file type '\.xyz'"),
])
def test_bad_plot_path_is_refused_before_running(plot, match, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    out = _one_line_error(capsys, RUN + ["--plot", plot.format(tmp=tmp_path)], match)
    assert out == ""  # nothing was computed or printed


def test_plot_without_extension_says_the_real_name(tmp_path, capsys):
    assert main(RUN + ["--plot", str(tmp_path / "curves")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'curves.png'}\n" in out
    assert (tmp_path / "curves.png").stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curves.png"]


def _boom(quick=False):
    raise AssertionError("the recipe ran although the output folder is unusable")


@pytest.mark.parametrize("out", ["{tmp}/file", "{tmp}/file/sub"])
def test_figures_out_checked_before_computing(out, tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("x")
    r = figures.load()["scaling"]
    monkeypatch.setitem(figures.REGISTRY, "scaling", figures.Recipe(r.name, r.paper, r.title,
                                                                    r.caption, _boom))
    _one_line_error(capsys, ["figures", "scaling", "--out", out.format(tmp=tmp_path)],
                    "is an existing file|cannot be created")


def test_figures_out_paper_folder_that_is_a_file(tmp_path, capsys, monkeypatch):
    r = figures.load()["scaling"]
    (tmp_path / r.paper).write_text("x")
    monkeypatch.setitem(figures.REGISTRY, "scaling", figures.Recipe(r.name, r.paper, r.title,
                                                                    r.caption, _boom))
    _one_line_error(capsys, ["figures", "scaling", "--out", str(tmp_path)], "existing file")


def _small_figure(quick=False):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    return fig


def test_interrupted_figure_leaves_no_file(tmp_path, monkeypatch):
    """A write that dies half-way leaves neither a partial figure nor a temporary file."""
    from matplotlib.figure import Figure

    monkeypatch.setitem(figures.REGISTRY, "tiny", figures.Recipe("tiny", "zhang2020", "t", "c",
                                                                 _small_figure))
    real = Figure.savefig

    def half_then_interrupt(self, fname, **kw):
        with open(fname, "wb") as fh:
            fh.write(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", half_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        figures.render("tiny", tmp_path)
    assert list((tmp_path / "zhang2020").iterdir()) == []
    monkeypatch.setattr(Figure, "savefig", real)
    paths = figures.render("tiny", tmp_path)
    assert [p.name for p in paths] == ["tiny.png", "tiny.pdf", "tiny.npz"]
    assert sorted(p.name for p in (tmp_path / "zhang2020").iterdir()) == [
        "tiny.npz", "tiny.pdf", "tiny.png"]


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "data.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with _io.atomic_write(target) as tmp:
            tmp.write_bytes(b"new but")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.npz"]
    with _io.atomic_write(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["data.npz"]
