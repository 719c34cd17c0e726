import pytest

from theorysim.cli import main


@pytest.fixture(scope="session")
def quick_page(tmp_path_factory):
    """``theorysim page --quick`` written once through the CLI; returns (html path, page data)."""
    import json
    import re

    out = tmp_path_factory.mktemp("page")
    assert main(["page", "--out", str(out), "--quick"]) == 0
    path = out / "theorysim-lecture.html"
    html = path.read_text(encoding="utf-8")
    m = re.search(r"const DATA = (\{.*?\});\n", html, re.S)
    assert m, "the data block is missing"
    return path, json.loads(m.group(1).replace("<\\/", "</"))
