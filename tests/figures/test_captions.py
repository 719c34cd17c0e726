"""Every figure recipe: the methods it runs carry the values its caption (and title) states.

Captions and titles are built from the constants the recipe runs with (``theorysim.figures``);
these tests read each recipe's configured methods (``Recipe.methods()``, the same functions the
recipe's runs call) and look for the values of their hyperparameters, formatted as the caption
prints them.  A constant changed under a caption written as fixed text fails here.  Where a value
is the paper's own, a second test pins it to the paper.
"""
import re

import numpy as np
import pytest

from theorysim.figures import load
from theorysim.methods import Method


def _stated(text, symbol):
    """The number a caption states as ``symbol = <number>`` (the first occurrence)."""
    m = re.search(rf"(?<![\w]){re.escape(symbol)} = (-?[0-9.]+(?:e[-+]?[0-9]+)?)", text)
    assert m, f"the caption does not state {symbol} = <number>"
    return float(m.group(1))


def _synthetic(rec, ms):
    assert set(ms) == {"adam", "amsgrad"}
    for m in ms.values():
        h = m.hyper
        yield f"with beta1 = {h['beta1']:g}, beta2 = {h['beta2']:g}"
        yield f"alpha_t = {h['alpha']:g}/sqrt(t)"
        assert h["eps"] == 0.0
    yield "no bias correction, no epsilon"


def _counterexample(rec, ms):
    assert set(ms) == {"adam", "amsgrad"}
    C = _stated(rec.caption, "C")
    assert f"C = {C:g}" in rec.title
    for m in ms.values():
        h = m.hyper
        assert h["beta2"] == pytest.approx(1.0 / (1.0 + C**2), rel=1e-15)
        yield f"beta1 = {h['beta1']:g}, beta2 = 1/(1 + C^2) = {h['beta2']:g}"
        yield f"step alpha_t = {h['alpha']:g}/sqrt(t)"
        assert h["eps"] == 0.0


def _scaling(rec, ms):
    L0, L1 = _stated(rec.caption, "L0"), _stated(rec.caption, "L1")
    c, n = ms["clipped_gd"].hyper, ms["normalized_gd"].hyper
    assert c["eta"] == 1.0 / (10.0 * L0) and c["gamma"] == min(1 / c["eta"], 1 / (10 * L1 * c["eta"]))
    yield f"eta_c = 1/(10 L0) = {c['eta']:g}, gamma = min{{1/eta_c, 1/(10 L1 eta_c)}} = {c['gamma']:g}"
    assert n["eta"] == c["gamma"] * c["eta"] and n["beta"] == c["gamma"]
    yield f"eta_n = gamma eta_c = {n['eta']:g}, beta = gamma = {n['beta']:g}"
    thm6 = {k: m for k, m in ms.items() if k.startswith("gd_theorem6")}
    assert thm6
    for k, m in thm6.items():
        M = float(re.search(r"M=([0-9.e+]+)", k).group(1))
        assert m.name == "gd" and m.hyper["eta"] == pytest.approx(1 / (2 * (M * L1 + L0)), rel=1e-5)
    yield "step h = 1/(2(M L1 + L0))"


def _smoothness(rec, ms):
    assert set(ms) == {"cosh", "power"}
    for fam, label in (("cosh", "cosh x"), ("power", "x^4/4")):
        h = ms[fam].hyper
        assert ms[fam].name == "clipped_gd"
        yield f"eta_c = {h['eta']:g}, gamma = {h['gamma']:g} on {label}"


def _monitor(rec, ms):
    assert set(ms) == {f"{m}@{p}" for m in ("adam", "amsgrad", "adafom")
                       for p in ("reddi_c3", "sign_split")}
    C = _stated(rec.caption, "C")
    for key, m in ms.items():
        name, problem = key.split("@")
        h = m.hyper
        assert m.name == name and h["eps"] == 0.0
        if name == "adafom":
            yield f"momentum beta1 = {h['beta1']:g}"
        else:
            yield f"Adam and AMSGrad beta1 = {h['beta1']:g}"
            if problem == "reddi_c3":
                assert h["beta2"] == pytest.approx(1.0 / (1.0 + C**2), rel=1e-15)
                yield f"beta2 = 1/(1 + C^2) = {h['beta2']:g}, alpha = {h['alpha']:g}"
            else:
                yield f"beta2 = {h['beta2']:g}, alpha = {h['alpha']:g}, seed"
        # AdaFom shares the problem's alpha
        yield f"alpha = {h['alpha']:g}"


def _variance(rec, ms):
    assert {m.name for m in ms.values()} == {"sgd"}
    for m in ms.values():
        a = m.hyper["alpha"]
        assert f"Constant {a:g}:" in rec.caption or f"alpha_t = {a:g}/sqrt(t)" in rec.caption, a
    yield "SGD (the Adam-type member with v_hat = 1)"


def _thresholds(rec, ms):
    assert set(ms) == {"heavy_ball", "sam"}
    assert ms["heavy_ball"].name == "heavy_ball" and ms["sam"].name == "sam"
    lam = _stated(rec.caption, "lam")
    hb, sam = ms["heavy_ball"].hyper, ms["sam"].hyper
    np.testing.assert_array_equal(hb["eta"], sam["eta"])
    yield f"eta = {hb['eta'].min():g} ... {hb['eta'].max():g} ({hb['eta'].size} values)"
    yield f"mu = {hb['mu'].min():g} ... {hb['mu'].max():g} ({hb['mu'].size} values)"
    yield f"rho = {sam['rho'].min():g} ... {sam['rho'].max():g} ({sam['rho'].size} values)"
    assert lam > 0
    yield "eta lam = 2(1 + mu)"
    yield "eta (lam + rho lam^2) = 2"


def _flat_valley(rec, ms):
    assert set(ms) == {"gd", "normalized_gd", "sqrt_gd", "clipped_gd"}
    etas = {m.hyper["eta"] for m in ms.values()}
    assert len(etas) == 1  # "the same step"
    (eta,) = etas
    yield f"the same step eta = {eta:g} for GD"
    yield f"(beta = {ms['normalized_gd'].hyper['beta']:g})"
    yield f"clipped GD (gamma = {ms['clipped_gd'].hyper['gamma']:g})"
    yield f"lambda_1 = 2/eta = {2 / eta:g}"
    assert ms["sqrt_gd"].name == "gd" and ms["normalized_gd"].name == "normalized_gd"


def _unstable(rec, ms):
    runs = {k: m for k, m in ms.items() if k.startswith("gd[")}
    assert runs and all(m.name == "gd" for m in ms.values())
    yield "with eta = " + ", ".join(f"{m.hyper['eta']:g}" for m in runs.values())
    grid = ms["gd_grid"].hyper["eta"]
    yield f"eta = {grid.min():g} ... {grid.max():g} ({grid.size} values"


def _hugging(rec, ms):
    assert len(ms) == 1 and all(m.name == "gd" for m in ms.values())
    eta = next(iter(ms.values())).hyper["eta"]
    yield f"GD with eta = {eta:g} (2/eta = {2 / eta:g})"


def _gd_vs_flow(rec, ms):
    runs = {k: m for k, m in ms.items() if k.startswith("gd[")}
    assert runs and all(m.name == "gd" for m in ms.values())
    yield "GD with eta = " + ", ".join(f"{m.hyper['eta']:g}" for m in runs.values())
    grid = ms["gd_grid"].hyper["eta"]
    yield f"eta = {grid.min():.3g} ... {grid.max():.3g} ({grid.size} values)"


def _invariant(rec, ms):
    assert {m.name for m in ms.values()} == {"gd"}
    grid = ms["gd_grid"].hyper["eta"]
    yield f"eta = {grid.min():g} ... {grid.max():g} ({grid.size} values)"
    yield f"(c) at eta = {ms['gd_chaos'].hyper['eta']:g}:"


def _phase(rec, ms):
    assert {m.name for m in ms.values()} == {"gd"}
    grids = [m for k, m in ms.items() if k.startswith("gd_grid")]
    assert len(grids) == 2
    g = grids[0].hyper["eta"]
    yield f"eta = {g.min():.3g} ... {g.max():.3g})"
    yield f"({g.size} steps each"


#: recipe name -> phrases its caption must contain, computed from its methods' values
def _divergence_map(rec, ms):
    from theorysim.figures import reddi2018 as R

    out = [f"after {R.MAP_STEPS[0]} steps", f"alpha_t = {R.MAP_ALPHA:g}/sqrt(t)"]
    for m in ms.values():
        assert m.hyper["alpha"] == R.MAP_ALPHA and m.hyper["eps"] == 0.0
        assert m.options.bias_correction is False and m.schedule == "inverse_sqrt"
    b1 = sorted(m.hyper["beta1"] for m in ms.values())
    out += [f"left beta1 = {b1[0]:g}", f"right beta1 = {b1[1]:g}"]
    return out


def _stationary(rec, ms):
    assert {m.name for m in ms.values()} == {"gd"}
    etas = sorted(m.hyper["eta"] for m in ms.values())
    yield "step sizes eta = " + ", ".join(f"{e:g}" for e in etas)
    from theorysim.figures import yaida2018 as Y

    yield "eta = " + ", ".join(f"{e:g}" for e in Y.FDR_ETAS) + " and batch B = "
    assert set(Y.FDR_ETAS) | set(Y.VAR_ETAS) == set(etas)
    yield f"{Y.SEEDS[0]} seeds per setting, {Y.STEPS[0]} updates"


def _scale_robustness(rec, ms):
    assert {m.name for m in ms.values()} == {"gd", "sgd_wd", "sgd_wd_clip"}
    eta = ms["gd"].hyper["eta"]
    for m in ms.values():
        assert m.hyper["eta"] == eta
    lam = ms["sgd_wd"].hyper["decay"] / eta
    assert ms["sgd_wd_clip"].hyper["rho"] == pytest.approx(np.sqrt(2 * lam / eta), rel=1e-15)
    yield f"eta = {eta:g}, lambda = {lam:g}."
    yield "clip at sqrt(2 lambda/eta) ||w||"


def _periodic(rec, ms):
    m = ms["example"]
    assert m.name == "sgd_wd"
    eta = m.hyper["eta"]
    yield f"eta = {eta:g}, lambda = {m.hyper['decay'] / eta:g}, sigma = "


def _label_noise(rec, ms):
    assert {m.name for m in ms.values()} == {"gd"}
    yield f"step eta = {ms['toy'].hyper['eta']:g}, sigma = "
    yield f"step eta = {ms['regression'].hyper['eta']:g}, sigma = "


def _sam(rec, ms):
    assert ms["gd"].name == "gd" and ms["cycle"].name == "sam_normalized"
    assert ms["map"].name == "sam_unnormalized"
    yield f"rho = {ms['map'].hyper['rho']:g}"
    c = ms["cycle"].hyper
    yield f"step eta = {c['eta']:g}, rho = {c['rho']:g}"
    rhos = [m.hyper["rho"] for k, m in ms.items() if k.startswith("nsam")]
    assert all(ms[k].hyper["eta"] == ms["gd"].hyper["eta"] for k in ms if k.startswith("nsam"))
    yield f"step eta = {ms['gd'].hyper['eta']:g}, GD and full-batch unnormalized SAM"
    yield "rho = " + ", ".join(f"{r:g}" for r in rhos)
    from theorysim.figures import andriushchenko2022 as Af

    assert all(ms[f"1sam rho={r:g}"].hyper["eta"] == ms["gd"].hyper["eta"] for r in Af.ONE_SAM_RHOS)
    yield "1-SAM (per-example"
    yield "rho = " + ", ".join(f"{r:g}" for r in Af.ONE_SAM_RHOS)


def _stability(rec, ms):
    from theorysim.figures import hardt2016 as Hf

    beta, _ = Hf._constants()
    fr = []
    for m in ms.values():
        f = m.hyper["eta"] * beta / 2
        fr.append(round(f, 12))
        if m.name == "clipped_gd":
            yield f"clipped SGD at gamma = {m.hyper['gamma']:g}"
    yield "Constant steps alpha = " + ", ".join(f"{f:g}" for f in dict.fromkeys(fr)) + " x 2/beta"


def _lr_batch(rec, ms):
    assert ms["sgd"].name == "gd" and ms["adam"].name == "adam"
    h = ms["adam"].hyper
    yield f"Adam (beta1 = {h['beta1']:g}, beta2 = {h['beta2']:g})"


#: recipe name -> phrases its caption must contain, computed from its methods' values
SPECS = {"divergence_map": _divergence_map, "thresholds": _thresholds, "flat_valley": _flat_valley,
         "unstable_convergence": _unstable, "edge_hugging": _hugging, "gd_vs_flow": _gd_vs_flow,
         "invariant_measure": _invariant, "phase_diagram": _phase,
         "synthetic": _synthetic, "counterexample": _counterexample, "scaling": _scaling,
         "smoothness": _smoothness, "monitor": _monitor, "variance": _variance,
         "stationary": _stationary, "scale_robustness": _scale_robustness, "periodic": _periodic,
         "label_noise": _label_noise, "sam": _sam,
         "stability": _stability, "lr_batch": _lr_batch}


def test_every_recipe_has_a_caption_spec_and_exposes_its_methods():
    recipes = load()
    assert set(recipes) == set(SPECS)  # a new recipe needs its entry here
    for rec in recipes.values():
        assert rec.methods is not None, rec.name
        ms = rec.methods()
        assert ms and all(isinstance(m, Method) for m in ms.values()), rec.name


@pytest.mark.parametrize("name", sorted(SPECS))
def test_caption_states_the_values_the_methods_carry(name):
    rec = load()[name]
    ms = rec.methods()
    for phrase in SPECS[name](rec, ms):
        assert phrase in rec.caption, f"{name}: caption lacks {phrase!r}"


def test_paper_values_of_the_recipes():
    """The values that are the papers' (theory/*-confirmed.md): Reddi et al. 2018, Sec. 5
    ("we set beta1 = 0.9 and beta2 = 0.99"), Sec. 3 (beta1 = 0, beta2 = 1/(1 + C^2), C = 3);
    Zhang et al. 2020, Thm 3 (eta_c = 1/(10 L0), gamma = min{1/eta_c, 1/(10 L1 eta_c)}) at the
    objectives' (L0, L1) = (1, 1) for cosh and (4, 1) for x^4/4."""
    r = load()
    for m in r["synthetic"].methods().values():
        assert (m.hyper["beta1"], m.hyper["beta2"]) == (0.9, 0.99)
    for m in r["counterexample"].methods().values():
        assert (m.hyper["beta1"], m.hyper["beta2"]) == (0.0, 1.0 / (1.0 + 3.0**2))
    for key, m in r["monitor"].methods().items():
        if key in ("adam@reddi_c3", "amsgrad@reddi_c3"):
            assert (m.hyper["beta1"], m.hyper["beta2"]) == (0.0, pytest.approx(0.1, rel=1e-15))
    sm = r["smoothness"].methods()
    assert (sm["cosh"].hyper["eta"], sm["cosh"].hyper["gamma"]) == (0.1, 1.0)
    assert (sm["power"].hyper["eta"], sm["power"].hyper["gamma"]) == (0.025, 4.0)
    sc = r["scaling"].methods()
    assert (sc["clipped_gd"].hyper["eta"], sc["clipped_gd"].hyper["gamma"]) == (0.1, 1.0)
    assert np.isclose(sc["normalized_gd"].hyper["eta"], 0.1)
