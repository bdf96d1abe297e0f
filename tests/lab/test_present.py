"""The presenter page under AppTest: projector layout, Next/Back through the scenes, a lesson jump, and a
QR code that encodes the link of the scene on screen."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
import segno
from streamlit.testing.v1 import AppTest

from lab import share_address
from lab.config import parse_query
from lab.outcome import escape_markdown
from lab.projector import PATH_WIDTH, PROJECTOR_FONT
from lab.share_address import share_url
from lessons import LESSONS
from lessons.scenes import course_scenes, find_scene, scene_url
from tests.conftest import TEST_LAN
from tests.lab.qr_read import svg_modules

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "present.py")
SCENES = course_scenes(LESSONS)


def app(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Lesson"))


@pytest.fixture(scope="module")
def lesson3():
    return app(lesson="3")


def test_projector_layout(lesson3):
    at = lesson3
    assert not at.exception
    css = at.markdown[0].value
    assert "[data-testid='stSidebar']" in css and "display: none" in css  # the sidebar is out of the way
    (chart,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name == "descent_lab.live_chart"]
    data = json.loads(chart.json)
    figure = json.loads(data["figure"])  # the map, drawn by views.widgets.live_chart
    layout = figure["layout"]
    assert layout["font"]["size"] == PROJECTOR_FONT and layout["height"] >= 600
    assert data["fill"] is True  # in the browser, as tall as the window
    paths = [t for t in figure["data"] if t["mode"] == "lines"]
    assert paths and all(t["line"]["width"] >= PATH_WIDTH >= 4 and t["opacity"] == 1 for t in paths)
    assert layout["updatemenus"][0]["font"]["size"] > PROJECTOR_FONT  # the Play button, large
    assert layout["xaxis"]["tickfont"]["size"] == PROJECTOR_FONT
    assert heading(at).startswith("**Lesson 3.")
    assert escape_markdown(LESSONS[2].scenes[0][0]) in [m.value for m in at.markdown]  # the scene's one line
    (toggle,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name == "descent_lab.hotkey_toggle"]
    assert json.loads(toggle.json) == {"label": "QR code", "target": "present-qr", "hotkey": "q"}  # the QR overlay


def test_next_and_back_walk_the_scenes_and_answer_the_arrow_keys():
    at = app(lesson="2")
    back, nxt = at.button(key="present.back"), at.button(key="present.next")
    assert (back.proto.shortcut, nxt.proto.shortcut) == ("left", "right")
    start = find_scene(SCENES, 2, 1)
    nxt.click().run()
    assert heading(at).startswith(f"**Lesson {SCENES[start + 1].lesson}.")
    assert at.query_params["lesson"] == str(SCENES[start + 1].lesson)
    at.button(key="present.back").click().run()
    at.button(key="present.back").click().run()
    assert heading(at).startswith(f"**Lesson {SCENES[start - 1].lesson}.")
    assert at.button(key="present.back").disabled == (start - 1 == 0)


def test_next_walks_a_lessons_scenes_in_order_then_the_next_lesson():
    at = app(lesson="2")
    lines = [escape_markdown(caption) for caption, _ in LESSONS[1].scenes]
    for k, line in enumerate(lines, start=1):
        assert heading(at).endswith(f"scene {k} of {len(lines)}") and line in [m.value for m in at.markdown]
        assert (at.query_params["lesson"], at.query_params["scene"]) == ("2", str(k))
        at.button(key="present.next").click().run()
    assert heading(at).startswith("**Lesson 3.") and heading(at).endswith(f"scene 1 of {len(LESSONS[2].scenes)}")
    at.button(key="present.back").click().run()
    assert heading(at).endswith(f"scene {len(lines)} of {len(lines)}") and lines[-1] in [m.value for m in at.markdown]
    assert not at.exception


def test_a_scene_link_opens_that_scene():
    at = app(lesson="4", scene="3")
    assert heading(at).startswith("**Lesson 4.") and heading(at).endswith(f"scene 3 of {len(LESSONS[3].scenes)}")
    assert escape_markdown(LESSONS[3].scenes[2][0]) in [m.value for m in at.markdown]


def test_lesson_choice_jumps_and_bad_links_fall_back_to_the_start():
    at = app(lesson="nonsense", scene="-4")
    assert not at.exception and heading(at).startswith("**Lesson 1.")
    assert at.button(key="present.back").disabled
    at.selectbox(key="present.lesson").set_value(5).run()
    assert heading(at).startswith("**Lesson 5.") and at.query_params["lesson"] == "5"


def _qr_link(at: AppTest, scheme: str = "http") -> str:
    """The link the page's QR code encodes: its modules must equal a fresh encoding of the link shown (with
    ``scheme``, which the short link leaves out)."""
    svg = next(m.value for m in at.markdown if m.value.startswith("<svg"))
    link = f"{scheme}://{at.code[0].value}"
    np.testing.assert_array_equal(svg_modules(svg, border=4),
                                  np.array(segno.make_qr(link, error="m", boost_error=False).matrix, dtype=bool))
    return link


def test_the_qr_code_opens_the_scene_on_screen(lesson3):
    scene = SCENES[find_scene(SCENES, 3, 1)]
    link = _qr_link(lesson3)
    assert link == scene_url(f"http://{TEST_LAN}:8501/present", scene)  # the LAN address, not localhost
    parts = urlsplit(link)
    assert parts.path == "/present" and dict(parse_qsl(parts.query)) == {"lesson": "3", "scene": "1"}
    later = app(lesson="4", scene="3")
    link = _qr_link(later)
    assert dict(parse_qsl(urlsplit(link).query)) == {"lesson": "4", "scene": "3"}
    opened = app(**dict(parse_qsl(urlsplit(link).query)))  # a student's device opening the scanned link
    assert heading(opened) == heading(later) and escape_markdown(LESSONS[3].scenes[2][0]) in \
        [m.value for m in opened.markdown]
    playground = next(m.value for m in later.caption if "Open in Playground" in m.value)
    config, notices = parse_query(dict(parse_qsl(urlsplit(re.search(r"\((http[^)]+)\)", playground)[1]).query)))
    assert notices == [] and config == SCENES[find_scene(SCENES, 4, 3)].config()


def test_a_link_only_this_computer_can_open_is_warned_about(monkeypatch):
    monkeypatch.setattr(share_address, "lan_address", lambda: None)
    at = app(lesson="2")
    assert _qr_link(at).startswith("http://localhost:8501/present?")
    (warning,) = at.warning
    text = warning.value.replace("\\", "")
    assert "This link only works on this computer (localhost): students' phones cannot open it" in text
    assert share_address.PUBLIC_URL_ENV in text


def test_a_configured_public_address_is_used(monkeypatch):
    monkeypatch.setenv(share_address.PUBLIC_URL_ENV, "https://lab.example.org/descent")
    at = app(lesson="2")
    assert _qr_link(at, "https") == "https://lab.example.org/descent/present?lesson=2&scene=1" and not at.warning


def test_the_share_link_keeps_the_server_and_its_path_prefix():
    from lab.config import default_config

    config = default_config()
    query = urlsplit(share_url(None, config)).query
    assert share_url("http://10.0.0.7:8501/present?lesson=3", config) == f"http://10.0.0.7:8501/playground?{query}"
    assert share_url("https://lab.example.org/descent/playground?lr=0.1", config) == \
        f"https://lab.example.org/descent/playground?{query}"
    assert share_url(None, config) == f"http://localhost:8501/playground?{query}"
