"""The command line, invoked in-process: output, files and exit codes."""
import subprocess
import sys

import pytest

from theorysim.cli import main


def test_list_names_everything(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for word in ("objectives:", "cosh", "ramp_wall", "methods:", "clipped_gd", "figures:"):
        assert word in out


def test_run_prints_the_trajectory_and_plots(tmp_path, capsys):
    png = tmp_path / "run.png"
    rc = main(["run", "--objective", "cosh", "--method", "clipped_gd", "--param", "eta=0.1",
               "--param", "gamma=1", "--x0", "20", "--steps", "400", "--tol", "1e-2", "--quiet",
               "--plot", str(png)])
    assert rc == 0
    out = capsys.readouterr().out
    assert "first_hit: 234" in out and "completed all steps" in out
    assert png.stat().st_size > 1000


def test_run_with_objective_params(capsys):
    rc = main(["run", "--objective", "power", "--objective-param", "p=4", "--objective-param",
               "c=4", "--method", "gd", "--param", "eta=0.5", "--x0", "3", "--steps", "100",
               "--quiet"])
    assert rc == 0
    assert "diverged" in capsys.readouterr().out


@pytest.mark.parametrize("argv,match", [
    (["run", "--objective", "coshh", "--method", "gd", "--param", "eta=1"], "did you mean 'cosh'"),
    (["run", "--objective", "cosh", "--method", "gd", "--param", "eta=-1", "--x0", "1"],
     "eta must be finite and > 0"),
    (["run", "--objective", "cosh", "--method", "gd", "--param", "eta", "--x0", "1"],
     "name=value"),
    (["run", "--objective", "cosh", "--method", "gd", "--param", "eta=0.1", "--x0", "a"],
     "comma-separated numbers"),
    (["run", "--objective", "cosh", "--method", "gd", "--param", "eta=0.1", "--x0", "1,2"],
     r"shape \(1,\)"),
    (["run", "--objective", "cosh", "--method", "gd", "--param", "lr=0.1", "--x0", "1"],
     "method 'gd'"),
    (["figures", "nonexistent"], "unknown figure"),
    (["figures", "--paper", "nobody1999"], "unknown paper"),
])
def test_bad_input_is_one_line_and_exit_2(argv, match, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("theorysim: error:") and len(err.splitlines()) == 1
    import re

    assert re.search(match, err)


def test_console_script_exit_code():
    r = subprocess.run([sys.executable, "-m", "theorysim", "run", "--objective", "nope",
                        "--method", "gd"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "unknown objective" in r.stderr
    r = subprocess.run([sys.executable, "-m", "theorysim", "bogus"], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 2


def test_run_with_noise_seed_and_monitor(capsys):
    argv = ["run", "--objective", "sign_split", "--method", "amsgrad", "--param", "alpha=1",
            "--param", "beta1=0", "--param", "beta2=0.1", "--param", "schedule=inverse_sqrt",
            "--steps", "20000", "--record-every", "100", "--seed", "3", "--monitor", "--quiet"]
    assert main(argv) == 0
    assert "conditions hold" in capsys.readouterr().out
    assert main(["run", "--objective", "cosh", "--method", "sgd", "--param", "alpha=0.5", "--x0",
                 "0", "--noise", "gaussian:sigma=2", "--seed", "1", "--steps", "20000",
                 "--quiet"]) == 0
    assert "diverged" in capsys.readouterr().out


def test_list_oracles_and_new_presets(capsys):
    assert main(["list", "oracles"]) == 0
    assert "gaussian" in capsys.readouterr().out
    assert main(["list", "methods"]) == 0
    out = capsys.readouterr().out
    assert "amsgrad" in out and "adafom" in out and "generalized_signsgd" in out
    assert main(["list", "objectives"]) == 0
    assert "linear_online" in capsys.readouterr().out


@pytest.mark.parametrize("argv,match", [
    (["run", "--objective", "cosh", "--method", "sgd", "--param", "alpha=0.5", "--x0", "0",
      "--noise", "gauss:sigma=1", "--seed", "1"], "unknown noise 'gauss'"),
    (["run", "--objective", "cosh", "--method", "sgd", "--param", "alpha=0.5", "--x0", "0",
      "--noise", "gaussian:sigma=1"], "seed is required"),
    (["run", "--objective", "cosh", "--method", "adam", "--param", "alpha=0.5", "--param",
      "beta1=1.5", "--x0", "0"], r"beta1 must lie in \[0, 1\)"),
])
def test_stochastic_bad_input(argv, match, capsys):
    assert main(argv) == 2
    import re

    assert re.search(match, capsys.readouterr().err)


def test_check_command_prints_the_table_and_passes(capsys):
    assert main(["check", "--quick", "--paper", "reddi2018"]) == 0
    out = capsys.readouterr().out
    assert "reddi2018.gamma" in out and "checks passed" in out


def test_list_is_plain_text(capsys):
    # no reStructuredText or LaTeX reaches the terminal; every statement has a one-line summary
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for raw in (":math:", "\\", "``", ":func:"):
        assert raw not in out, raw
    assert "gaussian   Gaussian noise ξ~N(0,σ² I), E||ξ||²=dσ²." in out
    assert "student_t  Heavy-tailed noise ξ_i=s t_ν (i.i.d. Student t, ν>0)." in out
    from theorysim import theory

    lines = out.splitlines()
    for sid in theory.ids():
        row = [ln for ln in lines if ln.split()[:1] == [sid]]
        assert len(row) == 1, sid
        assert theory.get(sid).title in row[0] and f"; {theory.get(sid).source.confirmed}]" in row[0]


def test_plain_text_of_latex():
    from theorysim._text import plain

    assert plain(r":math:`\frac{1}{16\eta L_1(\|g_k\|+\tau)}`") == "1/(16η L_1(||g_k||+τ))"
    assert plain(r":math:`x^{p-2}+\sqrt{T}\,\sigma^2` and ``code``") == "x^(p-2)+√T σ² and code"
    assert plain(r"see :func:`theorysim.run` and :math:`\mathbb E\|\xi\|^2`") == \
        "see theorysim.run and E||ξ||²"


def test_figures_in_parallel_processes_equal_the_serial_ones(tmp_path, capsys):
    names = ["smoothness", "unstable_convergence"]
    assert main(["figures", *names, "--quick", "--out", str(tmp_path / "serial"), "-j", "1"]) == 0
    assert main(["figures", *names, "--quick", "--out", str(tmp_path / "pool"), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert all(out.count(f"{n}: ") == 2 for n in names)
    serial = sorted(p.relative_to(tmp_path / "serial") for p in (tmp_path / "serial").rglob("*.npz"))
    assert len(serial) == 2
    for rel in serial:  # the data beside each figure, bit for bit
        assert (tmp_path / "pool" / rel).read_bytes() == (tmp_path / "serial" / rel).read_bytes()


@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_figures_jobs_must_be_a_positive_integer(jobs, capsys):
    assert main(["figures", "smoothness", "--jobs", jobs]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--jobs: must be an integer >= 1" in err[0]
