"""``theorysim`` on the command line: a thin layer over the Python API.

    theorysim list [objectives|methods|oracles|figures|statements]
    theorysim run --objective cosh --method clipped_gd --param eta=0.1 --param gamma=1 --x0 20 --steps 400
    theorysim figures [NAME ...] [--paper ID] [--out DIR] [--quick]
    theorysim check [--paper ID] [--quick] [--details]
    theorysim warmup

Bad names, values or output paths print one line ``theorysim: error: ...`` and exit with code 2,
before any computing; boolean options take true/false/1/0/yes/no/on/off; outputs are written
atomically (a temporary file, then a rename).
"""
from __future__ import annotations

import argparse
import os
import sys
import time


class UsageError(Exception):
    """A user mistake: reported as one line, exit code 2."""


TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


def _boolean(text, what):
    t = text.strip().lower()
    if t in TRUE_WORDS or t in FALSE_WORDS:
        return t in TRUE_WORDS
    raise UsageError(f"{what} must be one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}, "
                     f"got {text!r}")


def _kv(pairs, what, switches=()):
    """``name=value`` pairs -> dict; numbers, ``a,b,c`` lists, ``none``, strings; names in
    ``switches`` are booleans (true/false/1/0/yes/no/on/off).  A repeated name is an error."""
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise UsageError(f"{what} {p!r} must look like name=value")
        k, v = p.split("=", 1)
        k = k.strip()
        if not k:
            raise UsageError(f"{what} {p!r} must look like name=value (the name is empty)")
        if k in out:
            raise UsageError(f"{what} {k} is given twice; give it once")
        if k in switches:
            out[k] = _boolean(v, f"{what} {k}")
            continue
        try:
            out[k] = float(v) if v.strip().lower() not in ("", "none") else None
        except ValueError:
            if "," in v:
                try:
                    out[k] = [float(s) for s in v.split(",")]
                    continue
                except ValueError:
                    pass
            out[k] = v.strip()
    return out


def _switches(builder):
    """Names of the boolean options of a method builder (default True/False); a preset that
    forwards ``**kw`` to the generic Adam-type builder also takes that builder's switches."""
    import inspect

    from . import methods

    params = inspect.signature(builder).parameters.values()
    names = {p.name for p in params if isinstance(p.default, bool)}
    if any(p.kind is p.VAR_KEYWORD for p in params) and builder is not methods.adam_type:
        names |= _switches(methods.adam_type)
    return names


def _floats(text, what):
    try:
        return [float(s) for s in text.split(",")]
    except ValueError:
        raise UsageError(f"{what} must be comma-separated numbers, got {text!r}") from None


def _noise(text):
    """``gaussian:sigma=1`` -> ts.oracles.gaussian(sigma=1.0)."""
    from . import oracles

    name, _, rest = text.partition(":")
    if name not in oracles.NAMES:
        raise UsageError(f"unknown noise {name!r}; choose from {', '.join(oracles.NAMES)}")
    kw = _kv([p for p in rest.split(",") if p], "--noise parameter")
    try:
        return oracles.NAMES[name](**kw)
    except TypeError as exc:
        raise UsageError(f"--noise {name}: {exc}") from None


def _rows(title, items):
    """Print ``title:`` and aligned ``name  text`` rows (names of any length), as plain text."""
    from ._text import plain

    items = list(items)
    width = max((len(n) for n, _ in items), default=0) + 2
    print(f"{title}:")
    for n, text in items:
        print(f"  {n:<{width}}{plain(text)}".rstrip())


def cmd_list(args):
    from . import figures, methods, objectives

    what = args.what
    if what in (None, "objectives"):
        _rows("objectives", ((n, objectives.DESCRIPTIONS.get(n, "")) for n in objectives.names()))
    if what in (None, "methods"):
        _rows("methods", ((n, methods.DESCRIPTIONS.get(n, "")) for n in methods.names()))
    if what in (None, "oracles"):
        from . import oracles

        _rows("oracles (additive noise; --noise NAME:K=V,...)",
              ((n, (fn.__doc__ or "").strip().splitlines()[0]) for n, fn in oracles.NAMES.items()))
    if what in (None, "figures"):
        _rows("figures", ((n, f"[{r.paper}] {r.title}") for n, r in figures.load().items()))
    if what in (None, "statements"):
        from . import theory

        _rows("statements (theorysim check --paper ID runs their checks)",
              ((i, f"{theory.get(i).title} [{theory.get(i).source.short}; "
                   f"{theory.get(i).source.confirmed}]") for i in theory.ids()))
    return 0


def cmd_run(args):
    import numpy as np

    from . import methods, objectives
    from ._io import check_out_file
    from .engine import run

    plot = check_out_file(args.plot, "--plot") if args.plot else None  # before any computing
    oparams = _kv(args.objective_param, "--objective-param")
    f = objectives.get(args.objective, **oparams)
    hyper = _kv(args.param, "--param", _switches(methods.builder(args.method)))
    m = methods.get(args.method, **hyper)
    x0 = _floats(args.x0, "--x0") if args.x0 is not None else None
    noise = _noise(args.noise) if args.noise else None
    tr = run(f, m, x0=x0, steps=args.steps, record_every=args.record_every, tol=args.tol,
             stop_at_tol=args.stop_at_tol, noise=noise, seed=args.seed, monitor=args.monitor,
             progress=not args.quiet)
    print(tr)
    if args.monitor:
        from .diagnostics import chen_verdict

        print(f"Chen et al. 2019 conditions: {chen_verdict(tr)}")
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .figures import _style

        _style.apply()
        fig, ax = plt.subplots(1, 2, figsize=(9, 3.5))
        ax[0].semilogy(tr.iteration, tr.loss - (f.f_star if np.isfinite(f.f_star) else 0.0))
        ax[0].set(xlabel="iteration", ylabel="f(x) - f*" if np.isfinite(f.f_star) else "f(x)")
        ax[1].semilogy(tr.iteration, tr.grad_norm)
        ax[1].set(xlabel="iteration", ylabel="||grad f(x)||")
        fig.suptitle(f"{m!r} on {f.name}", fontsize=9)
        from ._io import save_figure

        save_figure(fig, plot, bbox_inches="tight")
        plt.close(fig)
        print(f"wrote {plot}")
    return 0


def cmd_figures(args):
    from . import figures

    recipes = figures.load()
    names = list(args.names)
    for n in names:
        if n not in recipes:
            raise UsageError(f"unknown figure {n!r}; choose from {', '.join(recipes)}")
    if args.paper:
        papers = {r.paper for r in recipes.values()}
        if args.paper not in papers:
            raise UsageError(f"unknown paper {args.paper!r}; choose from {', '.join(sorted(papers))}")
        names += [n for n, r in recipes.items() if r.paper == args.paper and n not in names]
    if not names:
        names = list(recipes)
    from pathlib import Path

    from ._io import check_out_dir

    for paper in dict.fromkeys(recipes[n].paper for n in names):  # before any computing
        check_out_dir(args.out, "--out")
        check_out_dir(Path(args.out) / paper, "--out")
    jobs = min(args.jobs, len(names))
    if jobs <= 1:
        for n in names:
            print(_render_one(n, args.out, args.quick, None), flush=True)
        return 0
    # one figure per worker process; the kernels' disk cache (and its first-use lock) is shared,
    # so a kernel two figures need is compiled once
    from concurrent.futures import ProcessPoolExecutor, as_completed

    threads = max(1, (os.cpu_count() or 1) // jobs)
    longest_first = sorted(names, key=lambda n: -recipes[n].cost)  # stable: the rest in order
    with ProcessPoolExecutor(jobs) as pool:
        todo = [pool.submit(_render_one, n, args.out, args.quick, threads) for n in longest_first]
        for done in as_completed(todo):
            print(done.result(), flush=True)
    return 0


def _positive_int(text):
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {value}")
    return value


def _render_one(name, out, quick, threads):
    """Render one figure recipe; returns the line ``theorysim figures`` prints for it."""
    from . import figures

    if threads is not None:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    t = time.perf_counter()
    paths = figures.render(name, out, quick=quick)
    return f"{name}: {', '.join(str(p) for p in paths)} ({time.perf_counter() - t:.1f} s)"


def cmd_check(args):
    try:
        from . import theory
    except ImportError as exc:  # pragma: no cover
        raise UsageError(f"the theory module is not available: {exc}") from None
    rows = theory.check_all(paper=args.paper, quick=args.quick)
    print(theory.format_table(rows, details=args.details))
    failed = [r for r in rows if not r.passed]
    if failed:
        print(f"{len(failed)} of {len(rows)} checks FAILED", file=sys.stderr)
        return 1
    print(f"all {len(rows)} checks passed")
    return 0


def cmd_warmup(args):
    """Compile (or load from the disk cache) the kernels of every figure recipe, at quick sizes.

    Kernels are compiled per (objective, method, oracle, recording) combination on first use, so
    nothing needs a warm-up; this command pays that cost up front for a lecture (the figures, and
    hence ``theorysim figures``, need every combination they use)."""
    import tempfile

    from . import figures

    t = time.perf_counter()
    recipes = figures.load()
    with tempfile.TemporaryDirectory() as tmp:
        for n in recipes:
            figures.render(n, tmp, quick=True)
    print(f"kernels of {len(recipes)} figure recipes ready ({time.perf_counter() - t:.1f} s)")
    return 0


def cmd_page(args):
    """Write the interactive lecture page: one self-contained HTML file in ``--out``."""
    from . import page

    t = time.perf_counter()
    page.output_path(args.out)  # a bad path fails now, not after the runs
    path = page.write(args.out, quick=args.quick, progress=lambda s: print(f"  {s}", flush=True))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t:.1f} s)")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with the house rule for mistakes: one line on stderr, exit code 2."""

    def error(self, message):
        line = " ".join(str(message).split())
        self.exit(2, f"theorysim: error: {line} (see theorysim {self._sub_name()}--help)\n")

    def _sub_name(self):
        parts = self.prog.split()[1:]
        return " ".join(parts) + " " if parts else ""


def build_parser():
    p = _Parser(prog="theorysim", description="Convergence theory of gradient "
                "methods as runnable, checkable simulations.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    s = sub.add_parser("list", help="list objectives, methods, figures and statements")
    s.add_argument("what", nargs="?",
                   choices=["objectives", "methods", "oracles", "figures", "statements"])
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("run", help="run one method on one objective and print the result")
    s.add_argument("--objective", required=True, metavar="NAME")
    s.add_argument("--objective-param", action="append", metavar="K=V",
                   help="objective parameter, e.g. --objective-param p=4 (repeatable)")
    s.add_argument("--method", required=True, metavar="NAME")
    s.add_argument("--param", action="append", metavar="K=V",
                   help="method hyperparameter, e.g. --param eta=0.1 (repeatable)")
    s.add_argument("--x0", metavar="X1,X2,...", help="start (default: the objective's own)")
    s.add_argument("--steps", type=int, default=1000, metavar="N")
    s.add_argument("--record-every", type=int, default=1, metavar="K")
    s.add_argument("--tol", type=float, default=None, metavar="EPS",
                   help="report the first iteration with ||grad f|| <= EPS")
    s.add_argument("--stop-at-tol", action="store_true")
    s.add_argument("--noise", metavar="NAME:K=V,...",
                   help="additive gradient noise, e.g. gaussian:sigma=1 (needs --seed)")
    s.add_argument("--seed", type=int, default=None, metavar="N")
    s.add_argument("--monitor", action="store_true",
                   help="accumulate Chen et al.'s quantities and print their verdict")
    s.add_argument("--plot", metavar="FILE", help="save loss and gradient-norm curves")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("figures", help="regenerate the papers' figures into figures/")
    s.add_argument("names", nargs="*", metavar="NAME")
    s.add_argument("--paper", metavar="ID", help="all figures of one paper, e.g. zhang2020")
    s.add_argument("--out", default="figures", metavar="DIR")
    s.add_argument("--quick", action="store_true", help="smaller runs (for smoke tests)")
    s.add_argument("-j", "--jobs", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="figures rendered at once, one process each (default: the number of CPUs)")
    s.set_defaults(func=cmd_figures)

    s = sub.add_parser("check", help="check every theorem symbolically and by simulation")
    s.add_argument("--paper", metavar="ID")
    s.add_argument("--quick", action="store_true")
    s.add_argument("--details", action="store_true",
                   help="print what each check computed under its row")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("warmup", help="compile and cache the kernels every figure uses")
    s.set_defaults(func=cmd_warmup)

    s = sub.add_parser("page", help="write the interactive lecture page (one offline HTML file)")
    s.add_argument("--out", default=".", metavar="DIR", help="folder for theorysim-lecture.html")
    s.add_argument("--quick", action="store_true", help="smaller grids (for smoke tests)")
    s.set_defaults(func=cmd_page)
    return p


def _one_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv=None) -> int:
    """Run the command line; return the exit code (0 done, 1 failed check or write, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a parsing mistake (2, one line already printed)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.func(args)
    except (UsageError, ValueError, TypeError) as exc:
        print(f"theorysim: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:  # the paths were checked first; this is a failure while writing
        print(f"theorysim: error: {_one_line(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
