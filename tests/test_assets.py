"""assets/: the favicon and the logo exist, are what app.py gives Streamlit, and are well-formed images of the
sizes they are made for; logo.svg is what assets/make_images.py makes from icon.svg today."""

import ast
import struct
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from assets.make_images import wordmark
from views.widgets import ASSETS, FAVICON, LOGO, LOGO_ICON

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (the first, right after the signature)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def calls_in_app() -> dict[str, ast.Call]:
    """app.py's top-level ``st.<name>(...)`` calls, by name."""
    tree = ast.parse((ROOT / "app.py").read_text())
    calls = [node.value for node in tree.body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)]
    return {call.func.attr: call for call in calls if isinstance(call.func, ast.Attribute)}


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def test_app_uses_the_favicon_and_the_logo():
    calls = calls_in_app()
    page_icon = next(k.value for k in calls["set_page_config"].keywords if k.arg == "page_icon")
    assert names_in(page_icon) == {"str", "FAVICON"}
    logo = calls["logo"]
    assert names_in(logo.args[0]) == {"str", "LOGO"}
    assert names_in(next(k.value for k in logo.keywords if k.arg == "icon_image")) == {"str", "LOGO_ICON"}
    imports = [n for n in ast.parse((ROOT / "app.py").read_text()).body if isinstance(n, ast.ImportFrom)]
    assert any(n.module == "views.widgets" and {a.name for a in n.names} >= {"FAVICON", "LOGO", "LOGO_ICON"}
               for n in imports)
    assert {FAVICON.parent, LOGO.parent, LOGO_ICON.parent} == {ASSETS}


def test_the_images_are_well_formed_and_of_their_sizes():
    assert png_size(FAVICON) == (64, 64)
    assert png_size(ASSETS / "social_preview.png") == (1200, 630)  # the Open Graph size
    view_boxes = {LOGO_ICON: "0 0 64 64", LOGO: "0 0 282 64", ASSETS / "social_preview.svg": "0 0 1200 630"}
    for svg, view_box in view_boxes.items():
        text = svg.read_text()
        assert text.startswith("<svg ")  # what Streamlit's st.image takes for an SVG file
        root = ElementTree.fromstring(text)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == view_box


def test_the_logo_is_made_from_the_icon():
    assert LOGO.read_text() == wordmark(LOGO_ICON.read_text()), "rerun: python -m assets.make_images"
