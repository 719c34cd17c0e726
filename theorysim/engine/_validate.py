r"""Argument validation for :func:`~theorysim.run` and :func:`~theorysim.sweep`.

Every function here either returns a normalised value or raises a :class:`ValueError` (a value
out of range) or :class:`TypeError` (a value of the wrong kind) whose message names the argument
and says what is allowed.  All of it runs before any array is allocated or any kernel is called,
so a mistake never costs computed work.

The memory estimate (:func:`record_bytes`, :func:`check_memory`) counts what the engine keeps for
a batch of :math:`B` runs of :math:`T` steps recorded every :math:`k`-th iteration in dimension
:math:`d`:

.. math::
   n_{\mathrm{rec}} = \lfloor T/k\rfloor + 1 + [k \nmid T],\qquad
   \text{bytes} = 8\,B\,\big(n_{\mathrm{rec}}\,(3 + d\,[\text{iterates}] + 4\,[\text{monitor}])
   + 8d + 12\big),

three recorded scalars per record (loss, gradient norm, step size), the iterate when kept, Chen
et al.'s four accumulated quantities when monitored, and the per-run state (point, gradient, the
Adam-type moments, monitor accumulators, scalars).  Above a limit (4 GiB, or the environment
variable ``THEORYSIM_MAX_RECORD_BYTES`` in bytes) the call is refused with the number and the
way out (record less often).
"""
from __future__ import annotations

import inspect
import numbers
import os

import numpy as np

#: largest accepted ``steps``/``record_every``: iteration counters are int64 inside the kernels
MAX_INT = 2**62
#: default memory limit of one call (records plus per-run state), in bytes
DEFAULT_MAX_BYTES = 4 * 2**30
#: environment variable overriding :data:`DEFAULT_MAX_BYTES` (an integer number of bytes)
MAX_BYTES_ENV = "THEORYSIM_MAX_RECORD_BYTES"


# -- the parts -------------------------------------------------------------------------------
def check_objective(objective):
    """A :class:`theorysim.objectives.Objective`."""
    from ..objectives import Objective

    if not isinstance(objective, Objective):
        raise TypeError(
            "objective must be a theorysim Objective (ts.objectives.get(...), "
            f"ts.objectives.from_numba(...) or ts.objectives.from_sympy(...)), got "
            f"{type(objective).__name__}")


def check_method(method):
    """A configured :class:`theorysim.methods.Method`."""
    from ..methods import Method

    if not isinstance(method, Method):
        raise TypeError("method must be a theorysim Method (e.g. ts.methods.clipped_gd(eta=0.1, "
                        f"gamma=1.0)), got {type(method).__name__}")


def check_schedule_length(method, steps):
    """A schedule given as an array needs a value for every step."""
    if method.schedule_values is not None and method.schedule_values.shape[0] < steps:
        raise ValueError(f"schedule array has {method.schedule_values.shape[0]} values but "
                         f"{steps} steps were requested")


# -- scalars --------------------------------------------------------------------------------
def check_int(name, value, lo, hi=MAX_INT):
    """``value`` as a Python int in ``[lo, hi]``; integral floats (``1e3``) are accepted."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer >= {lo}, got {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real):
        if not (np.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be an integer >= {lo}, got {value!r}")
        value = int(value)
    else:
        raise TypeError(f"{name} must be an integer >= {lo}, got {type(value).__name__} {value!r}")
    if value < lo:
        raise ValueError(f"{name} must be an integer >= {lo}, got {value}")
    if value > hi:
        raise ValueError(f"{name} must be an integer <= {hi} (2**{hi.bit_length() - 1}), got {value}")
    return value


def check_optional_int(name, value, lo):
    """``None`` (use the default) or :func:`check_int`; ``0`` is refused, not read as 'default'."""
    return None if value is None else check_int(name, value, lo)


def check_bool(name, value):
    """A real boolean (``True``/``False``, or a numpy bool); anything else is a TypeError."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


def _real(name, value, allowed):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {type(value).__name__} {value!r}")
    return float(value)


def check_tol(tol):
    r"""The tolerance on :math:`\|\nabla f\|`: ``None`` (returned as ``-1.0``: never) or a finite
    number ``>= 0``."""
    if tol is None:
        return -1.0
    tol = _real("tol", tol, "None or a finite number >= 0")
    if not (np.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be None or a finite number >= 0, got {tol}")
    return tol


def check_time_limit(time_limit):
    """``None`` or a finite number of seconds ``> 0``."""
    if time_limit is None:
        return None
    t = _real("time_limit", time_limit, "None or a number of seconds > 0")
    if not (np.isfinite(t) and t > 0):
        raise ValueError(f"time_limit must be None or a finite number of seconds > 0, got {t}")
    return t


def check_noise(noise):
    """``None`` or an oracle built by :mod:`theorysim.oracles`."""
    from ..oracles import NAMES, Noise

    if noise is None or isinstance(noise, Noise):
        return noise
    hint = ""
    if isinstance(noise, str) and noise in NAMES:
        params = ", ".join(inspect.signature(NAMES[noise]).parameters)
        hint = f" (build it: noise=ts.oracles.{noise}({params}))"
    raise TypeError(f"noise must be None or an oracle from ts.oracles ({', '.join(NAMES)}), got "
                    f"{type(noise).__name__} {noise!r}{hint}")


def check_seed(seed):
    """``None``, an integer ``>= 0`` or a :class:`numpy.random.SeedSequence`."""
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be None, an integer >= 0 or a numpy SeedSequence, got "
                        f"{type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed}")
    return int(seed)


# -- points ---------------------------------------------------------------------------------
def check_point(objective, x0):
    """One start as a float array of shape ``(1, d)``; accepts ``(d,)`` (or a number when
    ``d = 1``) and defaults to ``objective.x0``."""
    d = objective.dim
    if x0 is None:
        if objective.x0 is None:
            raise ValueError(f"x0 is required: objective {objective.name!r} has no default start")
        x0 = objective.x0
    a = _as_floats("x0", x0)
    if a.ndim > 1 or (a.ndim == 1 and a.shape[0] != d) or (a.ndim == 0 and d != 1):
        raise ValueError(f"x0 must be one point of shape ({d},) for objective {objective.name!r} "
                         f"(dimension {d}), got shape {a.shape}; put many starts in a sweep "
                         f"grid, grid={{'x0': ...}}")
    return check_points(objective, a)


def check_points(objective, x0, what="x0"):
    """Starts as a float array of shape ``(n, d)``, ``n >= 1``; accepts ``(d,)`` or ``(n, d)``
    (or ``(n,)`` when ``d = 1``)."""
    d = objective.dim
    a = _as_floats(what, x0)
    if a.ndim == 0 and d == 1:
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        a = a.reshape(1, d) if a.shape[0] == d else (a.reshape(-1, 1) if d == 1 else a)
    if a.ndim != 2 or a.shape[1] != d:
        raise ValueError(f"{what} must have shape ({d},) or (n, {d}) for objective "
                         f"{objective.name!r} (dimension {d}), got shape {np.shape(x0)}")
    if a.shape[0] == 0:
        raise ValueError(f"{what} is empty: give at least one point of shape ({d},)")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must be finite, got {a[~np.isfinite(a)][0]}")
    return a


def _as_floats(what, value):
    if isinstance(value, (str, bytes, dict, set)):
        raise ValueError(f"{what} must be an array of real numbers, got {type(value).__name__} "
                        f"{value!r}")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):  # ragged lists, strings inside, complex numbers
        raise ValueError(f"{what} must be a (rectangular) array of real numbers, got "
                         f"{value!r}") from None


# -- sweep grids ----------------------------------------------------------------------------
def _builder_params(builder):
    """(named numeric parameters, option parameters, takes **kw) of a method builder."""
    numeric, options, var_kw = [], [], False
    for p in inspect.signature(builder).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            var_kw = True
        elif p.kind is p.VAR_POSITIONAL:
            continue
        elif p.name == "schedule" or isinstance(p.default, (bool, str)):
            options.append(p.name)  # a flag, a rule name or a schedule: not a grid axis
        else:
            numeric.append(p.name)
    return numeric, options, var_kw


def check_fixed(builder, fixed):
    """``fixed`` as a dict of single values (arrays belong in the grid; a schedule array is a
    single value)."""
    if fixed is None:
        return {}
    if not isinstance(fixed, dict):
        raise TypeError(f"fixed must be a dict {{name: value}}, got {type(fixed).__name__}")
    for k, v in fixed.items():
        if not isinstance(k, str):
            raise TypeError(f"fixed keys must be hyperparameter names (str), got {k!r}")
        if k != "schedule" and not isinstance(v, str) and np.ndim(v) != 0:
            raise ValueError(f"fixed[{k!r}] must be a single value, got shape {np.shape(v)}; "
                             f"put values to sweep over in grid={{{k!r}: ...}}")
    return dict(fixed)


def _looks_like_options(values):
    """Booleans or strings (flags, rule names) where a grid wants numbers."""
    if isinstance(values, (str, bool, np.bool_)):
        return True
    try:
        kind = np.asarray(values).dtype.kind
    except (TypeError, ValueError):
        return False
    return kind in "bUS"


def grid_axes(builder, grid, fixed, objective, x0=None):
    """Validate a sweep grid; return ``{name: 1-D axis}`` (``"x0"``: an ``(n, d)`` array).

    Refused: an empty or non-dict grid, unknown keys, option keys (flags, rule names,
    ``schedule``: sweep them with one call per value), keys also in ``fixed``, an ``x0`` argument
    together with a ``grid['x0']``, empty axes, ragged or 2-D values (``x0``: 3-D), non-integer or
    negative seeds.
    """
    name = getattr(builder, "__name__", "the method")
    if not isinstance(grid, dict) or not grid:
        raise ValueError("grid must be a non-empty dict {name: 1-D array of values}")
    numeric, options, var_kw = _builder_params(builder)
    allowed = numeric + ["x0", "seed"]
    axes = {}
    for k, v in grid.items():
        if not isinstance(k, str) or (k not in allowed and k not in options and not var_kw):
            raise ValueError(f"grid key {k!r} is not a hyperparameter of {name}; "
                             f"allowed: {', '.join(allowed)}")
        if k in options or (k not in numeric + ["x0", "seed"] and _looks_like_options(v)):
            raise ValueError(f"grid key {k!r} is an option of {name} (True/False or a name), not a "
                             f"numeric hyperparameter: give it in fixed={{{k!r}: ...}} and run one "
                             f"sweep per value")
        if k in fixed:
            raise ValueError(f"{k!r} is given both in grid and in fixed")
        if k == "x0":
            if x0 is not None:
                raise ValueError("x0 is given both as an argument and as grid['x0']; give one")
            a = _as_floats("grid['x0']", v)
            if a.ndim > 2:
                raise ValueError(f"grid['x0'] must have shape (n, {objective.dim}), got {a.shape}")
            axes[k] = check_points(objective, a, what="grid['x0']")
            continue
        if k == "seed":
            try:
                raw = np.asarray(v) if not isinstance(v, (str, bytes, dict, set)) else np.asarray(None)
            except (TypeError, ValueError):  # ragged
                raw = np.asarray(None)
            if (raw.dtype.kind not in "iu" or raw.ndim != 1 or raw.size == 0
                    or np.any(raw < 0)):
                raise ValueError(f"grid['seed'] must be a non-empty 1-D array of integers >= 0, "
                                 f"got {v!r}")
            axes[k] = raw
            continue
        a = _as_floats(f"grid[{k!r}]", v)
        if a.ndim != 1:
            why = ("a single value belongs in fixed=" if a.ndim == 0 else
                   "one key per axis: the result has one dimension per key")
            raise ValueError(f"grid[{k!r}] must be a 1-D array of values, got shape {a.shape} "
                             f"({why})")
        if a.size == 0:
            raise ValueError(f"grid[{k!r}] is empty: give at least one value")
        axes[k] = a
    return axes


def check_numeric_axes(template, axes, builder):
    """Every grid key that reached the builder through ``**kw`` (not one of its own numeric
    parameters, which may be stored under another name) must be a numeric hyperparameter of the
    built method."""
    numeric = _builder_params(builder)[0]
    for k in axes:
        if k not in ("x0", "seed") and k not in numeric and k not in template.hyper:
            raise ValueError(f"grid key {k!r} is not a numeric hyperparameter of "
                             f"{getattr(builder, '__name__', template.name)} (numeric: "
                             f"{', '.join(template.hyper)}); give options in fixed=")


def check_executor(executor):
    """``None`` or an object with ``submit`` (any start method of a process pool works: the engine
    runs its blocks on plain threads, with no OpenMP layer to break at ``fork``)."""
    if executor is None:
        return None
    if not callable(getattr(executor, "submit", None)):
        raise TypeError(f"executor must have a submit method (a concurrent.futures executor or a "
                        f"dask.distributed Client), got {type(executor).__name__}")
    return executor


# -- memory ---------------------------------------------------------------------------------
def _n_records(steps, record_every):
    return steps // record_every + 1 + (1 if steps % record_every else 0)


def record_bytes(steps, record_every, d, batch, *, iterates=False, monitor=False):
    """Bytes kept for ``batch`` runs (formula in the module docstring); ``record_every=None``:
    no curves, only the per-run state."""
    per_record = 3 + (d if iterates else 0) + (4 if monitor else 0)
    nrec = 0 if record_every is None else _n_records(steps, record_every)
    return 8 * batch * (nrec * per_record + 8 * d + 12)


def max_bytes():
    """The memory limit: ``$THEORYSIM_MAX_RECORD_BYTES`` if set, else 4 GiB."""
    env = os.environ.get(MAX_BYTES_ENV)
    if env is None or not env.strip():
        return DEFAULT_MAX_BYTES
    try:
        value = int(float(env))
    except ValueError:
        raise ValueError(f"environment variable {MAX_BYTES_ENV} must be a number of bytes, "
                         f"got {env!r}") from None
    if value <= 0:
        raise ValueError(f"environment variable {MAX_BYTES_ENV} must be > 0, got {env!r}")
    return value


def _fmt_bytes(n):
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_memory(steps, record_every, d, batch, *, iterates=False, monitor=False):
    """Refuse a call whose records and state would exceed :func:`max_bytes`; say how much it
    would need and which ``record_every`` fits."""
    need = record_bytes(steps, record_every, d, batch, iterates=iterates, monitor=monitor)
    limit = max_bytes()
    if need <= limit:
        return need
    runs = f"{batch} run{'s' if batch != 1 else ''}"
    msg = (f"steps={steps}, record_every={record_every}: the records of {runs} in dimension {d} "
           f"would need {_fmt_bytes(need)}, above the limit of {_fmt_bytes(limit)}")
    per = 3 + (d if iterates else 0) + (4 if monitor else 0)
    fit = limit // (8 * batch) - (8 * d + 12)  # numbers available for records per run
    if record_every is not None and fit // per >= 3:
        k = max(1, -(-steps // (fit // per - 2)))
        while k < steps and record_bytes(steps, k, d, batch, iterates=iterates, monitor=monitor) > limit:
            k *= 2
        way = f"record less often: record_every={k} or more (CLI: --record-every {k})"
        if iterates:
            way += ", or record_iterates=False"
    else:
        way = "use fewer runs or fewer steps"
    raise ValueError(f"{msg}; {way}, or raise the limit (environment variable {MAX_BYTES_ENV}, "
                     f"bytes)")
