"""The lecture page without a browser: its data equal the engine's values, it is self-contained,
its encodings round-trip, and the CLI rejects bad paths with exit code 2 and one line."""
import base64
import math
import re

import numpy as np
import pytest
import sympy as sp

import theorysim as ts
from theorysim import page
from theorysim.cli import main
from theorysim.theory.reddi2018 import drift


def _decode(b64):
    return np.frombuffer(base64.b64decode(b64), dtype="<i2")


def test_page_is_self_contained(quick_page):
    path, _ = quick_page
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "http://" not in html and "https://" not in html      # no CDN, no link to fetch
    assert not re.search(r"<(script|link|img|iframe)[^>]*(src|href)\s*=", html)
    assert html.count("<script>") == 1 and "/*__DATA__*/" not in html


def test_zhang_counts_are_the_engines(quick_page):
    """Every count of the quick grid equals ts.run's first hit (or its divergence)."""
    _, d = quick_page
    Z = d["zhang"]
    f = ts.objectives.get("cosh")
    for i, M in enumerate(Z["M"]):
        for j, eta in enumerate(Z["eta"]):
            for k, gamma in enumerate(Z["gamma"]):
                for name, m in page.zhang_methods(eta, gamma).items():
                    tr = ts.run(f, m, x0=[math.asinh(M)], steps=Z["steps"], tol=Z["eps"])
                    c = Z["count"][name][i][j] if name == "gd" else Z["count"][name][i][j][k]
                    dv = Z["diverged"][name][i][j] if name == "gd" else Z["diverged"][name][i][j][k]
                    assert c == tr.first_hit, (name, M, eta, gamma)
                    if c < 0:
                        assert dv == (tr.diverged_at if tr.diverged_at is not None else -1)
    # the grid shows both behaviours: GD diverges from M = 1000 at eta = 1, clipped GD does not
    assert Z["diverged"]["gd"][1][2] >= 0 and Z["count"]["clipped_gd"][1][2][1] > 0


def test_reddi_data_are_the_engines(quick_page):
    _, d = quick_page
    R = d["reddi"]
    for a, b, c in [(0, 0, 0), (1, 1, 1), (0, 2, 1)]:
        b1, b2, C = R["beta1"][a], R["beta2"][b], R["C"][c]
        obj = ts.objectives.get("linear_online", a=C, b=-1.0, period=3)
        for name, m in page.reddi_methods(b1, b2, R["alpha"]).items():
            tr = ts.run(obj, m, steps=R["steps"])
            assert R["x_final"][name][a][b][c] == pytest.approx(tr.x[-1, 0], abs=1e-12)
            curve = _decode(R["curves"][name]).reshape(len(R["beta1"]), len(R["beta2"]),
                                                       len(R["C"]), -1)[a, b, c] / 30000.0
            rows = np.asarray(R["T"]) - 1          # paper's t = kernel row + 1
            assert np.max(np.abs(curve - tr.x[rows, 0])) <= 1.7e-5  # int16 quantization
        F = float(drift(sp.nsimplify(b1), sp.nsimplify(b2), sp.nsimplify(C)))
        assert R["F"][a][b][c] == pytest.approx(F, rel=1e-10)
    # the map: Adam's final iterate at the paper's corner of the grid (beta1 = 0, smallest beta2)
    Mp = R["map"]
    obj = ts.objectives.get("linear_online", a=Mp["C"][3], b=-1.0, period=3)
    tr = ts.run(obj, page.reddi_methods(0.0, Mp["beta2"][2], R["alpha"])["adam"], steps=R["steps"])
    assert Mp["x"][0][2][3] == pytest.approx(tr.x[-1, 0], abs=5e-4)  # 4 significant digits
    assert len(Mp["boundary"]) == len(Mp["beta1"]) and len(Mp["boundary"][0]) >= 1


def test_chen_data_are_the_engines(quick_page):
    _, d = quick_page
    C = d["chen"]
    steps = C["steps"]
    obj = ts.objectives.get("sign_split")
    tr = ts.run(obj, ts.methods.adam(1.0, beta1=0.0, beta2=0.0, eps=0.0, bias_correction=False,
                                     schedule="inverse_sqrt"),
                steps=steps, record_every=max(1, steps // 2000), monitor=True, seed=0)
    v = ts.diagnostics.chen_verdict(tr)
    got = C["problems"]["sign_split"]["presets"]["adam"]
    assert got["ratio_A"] == v.ratio_A and got["ratio_B"] == v.ratio_B
    assert got["slope_A"] == v.slope_A and got["slope_B"] == v.slope_B
    assert got["AS"][-1] == pytest.approx(v.ratio_A, rel=1e-3)   # the curve ends at the ratio
    assert got["verdict"] == v.verdict == "bias condition violated"
    assert got["x_end"] == tr.x[-1, 0]
    assert set(C["problems"]["reddi_c3"]["presets"]) == {"sgd", "momentum", "adagrad", "rmsprop",
                                                         "adam", "amsgrad", "adafom"}


def test_encodings_round_trip():
    a = np.array([1e-3, 0.5, 1.0, 12345.0, np.nan, 0.0, 1e40])
    q = _decode(page.encode_log10(a))
    back = np.where(q == -32768, np.nan, 10.0 ** (q / 1000.0))
    np.testing.assert_allclose(back[:4], a[:4], rtol=1.2e-3)
    assert np.isnan(back[4]) and q[5] == -32767 and q[6] == 32767
    u = np.array([-1.0, -0.123456, 0.0, 0.99999, np.nan])
    qu = _decode(page.encode_unit(u))
    np.testing.assert_allclose(qu[:4] / 30000.0, u[:4], atol=1.7e-5)
    assert qu[4] == -32768


def test_cli_bad_paths_exit_2_with_one_line(tmp_path, capsys):
    afile = tmp_path / "a_file"
    afile.write_text("x")
    for bad in (str(afile), str(afile / "sub")):
        assert main(["page", "--out", bad]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("theorysim: error: out=")
    with pytest.raises(TypeError, match="out must be a folder path"):
        page.output_path(3)
