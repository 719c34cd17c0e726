"""CLI fuzz test (issue 8): generated argument lists; every invalid one exits 2 with exactly one
line on stderr and nothing computed, every valid one exits 0.

An argument list is assembled from option groups, each drawn from a pool of valid or invalid
spellings and tagged accordingly (plus the rules that tie groups together: ``--stop-at-tol``
needs ``--tol``, ``--noise`` needs ``--seed``, ``cosh`` needs ``--x0``).  The groups are
shuffled, since option order must not matter.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from theorysim.cli import main

FUZZ = settings(max_examples=50, deadline=None, derandomize=True,  # the same cases every run
                suppress_health_check=list(HealthCheck))


def group(valid, invalid):
    """A tagged option group: valid about 5 times in 6."""
    return st.integers(0, 5).flatmap(
        lambda r: st.sampled_from(invalid).map(lambda g: (g, True)) if r == 5
        else st.sampled_from(valid).map(lambda g: (g, False)))


METHOD_PARAMS = {
    "gd": [["--param", "eta=0.1"], ["--param", "eta=1e-2", "--param", "schedule=inverse_sqrt"]],
    "clipped_gd": [["--param", "eta=0.1", "--param", "gamma=1"]],
    "adam": [["--param", "alpha=0.05"], ["--param", "alpha=0.05", "--param", "bias_correction=no"],
             ["--param", "alpha=0.05", "--param", "eps_inside=ON", "--param", "beta1=0"]],
    "sgd": [["--param", "alpha=0.1", "--param", "sign=true"], ["--param", "alpha=0.1"]],
}
BAD_PARAMS = [["--param", "eta=-1"], ["--param", "eta=abc"], ["--param", "lr=0.1"], [],
              ["--param", "eta=0.1", "--param", "eta=0.2"], ["--param", "eta"],
              ["--param", "bias_correction=maybe"], ["--param", "schedule=cosine"]]


@st.composite
def run_argv(draw, tmp):
    method = draw(st.sampled_from(sorted(METHOD_PARAMS)))
    groups, bad = [], False

    def add(tagged):
        nonlocal bad
        g, b = tagged if isinstance(tagged, tuple) else draw(tagged)
        groups.append(list(g))
        bad |= b
        return g

    add(group([["--objective", "cosh"]], [["--objective", "coshh"], [], ["--objective"]]))
    add(group([["--method", method]], [["--method", "adamw"], []]))
    params = draw(st.integers(0, 5))
    if params == 5:  # wrong for every method: gd's names, a bad switch, nothing required
        add((draw(st.sampled_from(BAD_PARAMS)), True))
    else:
        add((draw(st.sampled_from(METHOD_PARAMS[method])), False))
    add(group([["--objective-param", "a=2"], [], ["--objective-param", "s=0.5"]],
              [["--objective-param", "a=abc"], ["--objective-param", "a=1", "--objective-param", "a=2"],
               ["--objective-param", "dim=1.5"], ["--objective-param", "wrong=1"]]))
    add(group([["--x0", "1.5"], ["--x0", "-0.5"]],
              [["--x0", "a"], ["--x0", "1,2"], ["--x0", "nan"], ["--x0", ""], []]))
    add(group([["--steps", "0"], ["--steps", "7"], ["--steps", "20"], []],
              [["--steps", "-1"], ["--steps", "abc"], ["--steps", "1e3"],
               ["--steps", "99999999999999999999"], ["--steps", "1000000000000"]]))
    add(group([["--record-every", "1"], ["--record-every", "3"], []],
              [["--record-every", "0"], ["--record-every", "x"]]))
    tol = add(group([["--tol", "0.1"], []], [["--tol", "nan"], ["--tol", "-1"], ["--tol", "x"]]))
    stop = add(group([["--stop-at-tol"], []], [["--stop-at-tol", "yes"]]))
    noise = add(group([["--noise", "gaussian:sigma=0.5"], [], ["--noise", "bounded:tau=1"]],
                      [["--noise", "gaussian:sigma=-1"], ["--noise", "pink"], ["--noise", "gaussian"],
                       ["--noise", "gaussian:sigma=1,sigma=2"]]))
    seed = add(group([["--seed", "3"], []], [["--seed", "-1"], ["--seed", "x"]]))
    add(group([["--monitor"], []], [["--monitor", "1"]]))
    add(group([[]] * 6 + [["--plot", f"{tmp}/curves.png"]],
              [["--plot", f"{tmp}/missing/p.png"], ["--plot", f"{tmp}/p.xyz"], ["--plot", tmp],
               ["--frobnicate"]]))
    if stop == ["--stop-at-tol"] and not tol:
        bad = True
    if noise and not seed:
        bad = True
    order = draw(st.permutations(range(len(groups))))
    argv = ["run", "--quiet"] + [a for i in order for a in groups[i]]
    return argv, bad


OTHER = [
    (["list"], False), (["list", "methods"], False), (["list", "nothing"], True),
    (["figures", "no_such_figure"], True), (["figures", "--paper", "nobody1999"], True),
    (["figures", "--bogus"], True), (["check", "--paper"], True), (["bogus"], True),
    ([], True), (["run"], True), (["warmup", "now"], True),
]


def _check(argv, bad, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    if bad:
        lines = err.strip().splitlines()
        assert rc == 2, (argv, rc, err)
        assert len(lines) == 1 and lines[0].startswith("theorysim: error: "), (argv, err)
        if argv and argv[0] == "run":
            assert out == "", (argv, out)  # refused before anything ran
    else:
        assert rc == 0, (argv, rc, err)


def test_cli_fuzz_run(tmp_path_factory, capsys):
    tmp = str(tmp_path_factory.mktemp("fuzz"))

    @FUZZ
    @given(run_argv(tmp))
    def check(case):
        _check(*case, capsys)

    check()


@pytest.mark.parametrize("argv,bad", OTHER)
def test_cli_other_commands(argv, bad, capsys):
    _check(argv, bad, capsys)
