"""No raw HTML with text a user or a URL can influence: every ``unsafe_allow_html=True`` (and ``st.html``) in
the app is listed here with why its input is safe, a new one fails until it is reviewed and listed, and each
listed input is checked: a module constant, or an SVG that carries no text of its link."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ElementTree

import pytest

from lab.qr import qr_svg
from tests.source_tree import ROOT, python_files

PACKAGES = ("engine", "lab", "lessons", "views")
# (file, the HTML argument as written) -> why a user or a URL cannot put markup into it
ALLOWED = {
    ("views/present.py", "PAGE_CSS"): "a module-level string constant (the Presenter's CSS)",
    ("views/widgets/projector_mode.py", "PAGE_CSS"): "a module-level string constant (projector mode's CSS)",
    ("views/present.py", "qr_svg(url)"): "lab.qr's SVG: the link's modules as paths, none of its text",
    ("views/playground.py", "qr_svg(url)"): "lab.qr's SVG: the link's modules as paths, none of its text",
}
HOSTILE_LINKS = [
    'http://lab.example/playground?f=<script>alert(1)</script>&x="onload="alert(2)',
    "javascript:alert(document.cookie)//</svg><img src=x onerror=alert(3)>",
    "http://lab.example/?q=" + "&lt;&#x3C;" * 50 + "\u202e\u0000",
]


def raw_html_calls() -> dict[tuple[str, str], int]:
    """Each call that renders raw HTML: ``unsafe_allow_html`` not literally False, or ``st.html``: (file, its
    first argument's source) -> line."""
    found = {}
    files = python_files("app.py", *PACKAGES)
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            unsafe = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value
                                                                is False) for k in node.keywords)
            html = isinstance(node.func, ast.Attribute) and node.func.attr == "html"
            if unsafe or html:
                argument = ast.unparse(node.args[0]) if node.args else "<no argument>"
                found[(str(path.relative_to(ROOT)), argument)] = node.lineno
    return found


def test_every_raw_html_call_is_reviewed_and_listed():
    found = raw_html_calls()
    assert set(found) - set(ALLOWED) == set(), "new raw HTML: check its input, then list it in ALLOWED"
    assert set(ALLOWED) - set(found) == set(), "listed but gone: drop it from ALLOWED"


def test_a_constant_listed_is_one_string_assigned_once_at_module_level():
    for file, argument in ALLOWED:
        if not argument.isidentifier():
            continue
        tree = ast.parse((ROOT / file).read_text())
        bound = [node for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
                 and any(isinstance(t, ast.Name) and t.id == argument
                         for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))]
        assert len(bound) == 1 and bound[0] in tree.body, f"{file}: {argument} must be bound once, at module level"
        assert isinstance(bound[0].value, ast.Constant) and isinstance(bound[0].value.value, str)


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_the_qr_svg_carries_no_text_of_its_link(link):
    svg = qr_svg(link)
    root = ElementTree.fromstring(svg)  # well-formed: nothing in the link closed a tag
    assert {element.tag.split("}")[-1] for element in root.iter()} == {"svg", "path"}
    assert "".join(root.itertext()).strip() == ""
    values = " ".join(value for element in root.iter() for value in element.attrib.values())
    for piece in ("script", "alert", "javascript", "onerror", "lab.example", "&lt;"):
        assert piece not in values and piece not in svg
