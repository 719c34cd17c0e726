"""The lecture page in a real browser (headless Chromium from the system, driven by playwright):
move the sliders, read the numbers shown, compare them with the engine's values for the same
parameters, time the redraws, take a screenshot.  Skips, saying why, only without a browser."""
import math
import tempfile

import pytest
import sympy as sp

import theorysim as ts
from theorysim import page
from theorysim.theory.reddi2018 import drift

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                                                              "(pip install theorysim[browser])")
if page.find_chromium() is None:
    pytest.skip(f"no Chromium found (looked for {', '.join(page.CHROMIUM_PATHS)})",
                allow_module_level=True)

#: a slider move (input event -> redraw -> two animation frames) must take less than this
BUDGET_MS = 100.0

MOVE = """async ([id, value]) => {
  const el = document.getElementById(id), t0 = performance.now();
  el.value = String(value); el.dispatchEvent(new Event("input"));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""


@pytest.fixture(scope="module")
def browser_page(quick_page):
    path, data = quick_page
    errors, requests = [], []
    with tempfile.TemporaryDirectory() as prof, sync_api.sync_playwright() as pw:
        ctx = page.launch_browser(pw, prof)
        p = ctx.new_page()
        p.on("pageerror", lambda e: errors.append(str(e)))
        p.on("request", lambda r: requests.append(r.url))
        p.goto(path.resolve().as_uri())
        p.wait_for_function("window.__ready === true", timeout=20_000)
        yield p, data, errors, requests
        ctx.close()


def _value(p, out_id):
    return float(p.get_attribute(f"#{out_id}", "data-value"))


def _text(p, el_id):
    return p.inner_text(f"#{el_id}").strip()


def _num(text):
    return float(text.replace("\u2212", "-"))


def test_loads_offline_without_errors(browser_page):
    p, _, errors, requests = browser_page
    assert errors == []
    assert requests and all(u.startswith(("file:", "data:")) for u in requests), requests


def test_zhang_sliders_show_the_engines_counts(browser_page):
    p, d, _, _ = browser_page
    Z = d["zhang"]
    f = ts.objectives.get("cosh")
    times = []
    # move by keyboard (what a student does) and by value; read what the page shows
    p.focus("#zhang-eta")
    p.keyboard.press("ArrowLeft")
    for iM, iE, iG in [(None, None, None), (0, 2, 0), (1, 2, 1), (1, 0, 0)]:
        for sid, v in (("zhang-M", iM), ("zhang-eta", iE), ("zhang-gamma", iG)):
            if v is not None:
                times.append(p.evaluate(MOVE, [sid, v]))
        M, eta, gamma = (_value(p, f"zhang-{k}-val") for k in ("M", "eta", "gamma"))
        for name, m in page.zhang_methods(eta, gamma).items():
            tr = ts.run(f, m, x0=[math.asinh(M)], steps=Z["steps"], tol=Z["eps"])
            shown = _text(p, f"zhang-count-{name}")
            if tr.first_hit >= 0:
                assert shown == str(tr.first_hit), (name, M, eta, gamma)
            elif tr.diverged_at is not None:
                assert shown == f"diverged at k = {tr.diverged_at}", (name, M, eta, gamma)
            else:
                assert shown == f"not within {Z['steps']} steps"
    assert max(times) < BUDGET_MS, times


def test_reddi_sliders_show_the_engines_iterates(browser_page):
    p, d, _, _ = browser_page
    R = d["reddi"]
    times = []
    for a, b, c in [(1, 1, 1), (0, 0, 0), (0, 2, 1)]:
        for sid, v in (("reddi-beta1", a), ("reddi-beta2", b), ("reddi-C", c)):
            times.append(p.evaluate(MOVE, [sid, v]))
        b1, b2, C = (_value(p, f"reddi-{k}-val") for k in ("beta1", "beta2", "C"))
        assert (b1, b2, C) == (R["beta1"][a], R["beta2"][b], R["C"][c])
        obj = ts.objectives.get("linear_online", a=C, b=-1.0, period=3)
        for name, m in page.reddi_methods(b1, b2, R["alpha"]).items():
            x_end = ts.run(obj, m, steps=R["steps"]).x[-1, 0]
            assert _num(_text(p, f"reddi-x-{name}")) == pytest.approx(x_end, abs=5.1e-7)
        F = float(drift(sp.nsimplify(b1), sp.nsimplify(b2), sp.nsimplify(C)))
        assert _num(_text(p, "reddi-F")) == pytest.approx(F, abs=5.1e-5)
        assert ("+1" in _text(p, "reddi-pred")) == (F < 0)
    assert max(times) < BUDGET_MS, times


def test_chen_menu_shows_the_monitors_values(browser_page):
    p, d, _, _ = browser_page
    steps = d["chen"]["steps"]
    obj = ts.objectives.get("linear_online", a=3.0, b=-1.0, period=3)
    cases = [("reddi_c3", "amsgrad", obj, {},
              ts.methods.amsgrad(0.1, beta1=0.0, beta2=0.1, schedule="inverse_sqrt")),
             ("sign_split", "adam", ts.objectives.get("sign_split"), {"seed": 0},
              ts.methods.adam(1.0, beta1=0.0, beta2=0.0, eps=0.0, bias_correction=False,
                              schedule="inverse_sqrt"))]
    for problem, preset, f, kw, m in cases:
        p.select_option("#chen-problem", problem)
        p.select_option("#chen-preset", preset)
        tr = ts.run(f, m, steps=steps, record_every=max(1, steps // 2000), monitor=True, **kw)
        v = ts.diagnostics.chen_verdict(tr)
        assert _text(p, "chen-verdict") == v.verdict
        assert float(_text(p, "chen-AS")) == pytest.approx(v.ratio_A, rel=1e-5)
        assert float(_text(p, "chen-BS")) == pytest.approx(v.ratio_B, rel=1e-5)
        assert _num(_text(p, "chen-x")) == pytest.approx(tr.x[-1, 0], abs=5.1e-7)
    assert _text(p, "chen-verdict") == "bias condition violated"


def test_every_redraw_is_under_budget_and_a_screenshot(browser_page, tmp_path):
    p, _, errors, _ = browser_page
    for sid in ("zhang-M", "zhang-gamma", "reddi-beta1", "reddi-beta2", "reddi-C"):
        for v in (1, 0, 1):
            p.evaluate(MOVE, [sid, v])
    redraws = p.evaluate("window.__redraws")
    first, moves = redraws[:3], redraws[3:]     # the page's first draw of each panel, then moves
    assert [r["panel"] for r in first] == ["zhang", "reddi", "chen"]
    assert max(r["ms"] for r in first) < 10 * BUDGET_MS, first
    assert len(moves) >= 15 and max(r["ms"] for r in moves) < BUDGET_MS, moves
    assert "redraw:" in _text(p, "timing")
    shot = tmp_path / "page.png"
    p.screenshot(path=str(shot), full_page=True)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1280 and height > 1500          # the three panels, not an error page
    # the map is drawn: the canvas holds both red (Adam -> +1) and blue (-> -1) cells
    red, blue = p.evaluate("""() => { const c = document.getElementById('reddi-map');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let r = 0, b = 0;
        for (let i = 0; i < d.length; i += 4) { if (d[i] > 150 && d[i + 2] < 80) r++;
                                                if (d[i + 2] > 150 && d[i] < 80) b++; }
        return [r, b]; }""")
    assert red > 1000 and blue > 1000, (red, blue)
    assert errors == []
