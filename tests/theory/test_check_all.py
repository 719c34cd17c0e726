"""check_all / format_table: the whole table in quick mode passes (this is what CI runs)."""
from theorysim import theory


def test_check_all_quick_passes():
    rows = theory.check_all(quick=True)
    assert [r.id for r in rows] == theory.ids()
    bad = [(r.id, r.symbolic.detail, r.simulation.detail) for r in rows if not r.passed]
    assert not bad, bad
    text = theory.format_table(rows)
    assert f"{len(rows)} statements: {len(rows)} passed, 0 failed" in text
    assert "FAIL" not in text and "ERROR" not in text


def test_check_all_filters_by_paper():
    rows = theory.check_all(paper="reddi2018", quick=True)
    assert {r.id.split(".")[0] for r in rows} == {"reddi2018"}


def test_simulations_say_how_they_ran():
    rows = theory.check_all(quick=True)
    assert {r.simulation.via for r in rows} <= {"engine", "numpy recurrence", "numpy eigvalsh"}
    recur = {r.id for r in rows if r.simulation.via == "numpy recurrence"}
    assert all(i.startswith(("chen2019", "reddi2018", "zhang2020.thm7")) for i in recur)
    # a random-matrix statement is about matrices, not iterations: eigenvalues by LAPACK
    eig = {r.id for r in rows if r.simulation.via == "numpy eigvalsh"}
    assert eig <= {"granziol2022.mp_edge"}
