"""The lessons that use a tool link to it: an "Open in <tool>" button whose address opens the tool on the lesson's
setup (surface, start, and the optimizer and lr where the tool takes them), read back by the tool without a
notice."""

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from lab.tool_links import BASINS, STABILITY, parse_finder, parse_race, read_tool
from lab.tool_open import TOOL_PATHS, fitting_tools, tool_address
from lessons import LESSONS
from lessons.base import ToolLink
from views.registry import TOOLS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# The lessons that use a tool, and which: the stability map for the lr's limits (2, 4, 12, 13), the basins for
# local minima (7), the LR finder for finding an lr (9, 11), the fair race for comparing optimizers (14).
EXPECTED = {2: "stability-map", 4: "stability-map", 7: "basins", 9: "lr-finder", 11: "lr-finder",
            12: "stability-map", 13: "stability-map", 14: "race"}


def _read(address: str):
    """(the tool's path, its run config, its notices) for a link, read by the tool's own reader."""
    parts = urlsplit(address)
    query = dict(parse_qsl(parts.query))
    if parts.path in ("stability-map", "basins"):
        run, _, notices = read_tool(STABILITY if parts.path == "stability-map" else BASINS, query)
        return parts.path, run, notices
    config, notices = (parse_finder if parts.path == "lr-finder" else parse_race)(query)
    return parts.path, config.run, notices


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: str(lesson.number))
def test_each_lesson_that_uses_a_tool_opens_it_on_its_setup(lesson):
    assert [link.tool for link in lesson.tools] == ([EXPECTED[lesson.number]] if lesson.number in EXPECTED else [])
    preset = lesson.preset_config()
    for link in lesson.tools:
        path, run, notices = _read(link.address(preset))
        assert path == link.tool and notices == []
        racer = preset.optimizers[link.racer]
        assert (run.surface_key, run.start) == (preset.surface_key, preset.start)
        if path in ("stability-map", "basins"):  # the tools with the lesson's optimizer and lr
            assert run.optimizers == (racer,)
        if path == "lr-finder":
            assert run.optimizers[0].name == racer.name
        if path == "race":
            assert run.steps == preset.steps


def test_a_link_names_a_known_tool():
    with pytest.raises(ValueError, match="unknown tool"):
        ToolLink("stability")
    with pytest.raises(ValueError, match="unknown tool"):
        tool_address("nope", LESSONS[0].preset_config())
    assert set(TOOL_PATHS) == set(TOOLS)  # every tool page has its link writer


@pytest.mark.parametrize("number", [2, 7, 9, 14])  # one lesson per tool (each page run takes a second or two)
def test_the_lesson_page_shows_the_tool_link(number):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(f"views/lesson_{number:02d}.py")
    at.run()
    assert not at.exception
    lesson = next(lesson for lesson in LESSONS if lesson.number == number)
    buttons = {b.proto.label: b.proto.url for b in at.get("link_button")}
    tool = EXPECTED[number]
    assert buttons[f"Open in {TOOLS[tool].title}"] == lesson.tools[0].address(lesson.preset_config())


@pytest.mark.parametrize("number", [2, 7, 9, 14])
def test_the_link_opens_the_tool_with_the_lessons_setup(number):
    """The tool page opened at the link's address keeps it (the tool's widgets took the lesson's surface, start,
    optimizer and lr, and wrote them back, adding at most keys of its own), with no notice."""
    lesson = next(lesson for lesson in LESSONS if lesson.number == number)
    parts = urlsplit(lesson.tools[0].address(lesson.preset_config()))
    page = {"stability-map": "stability_map", "lr-finder": "lr_finder"}.get(parts.path, parts.path)
    at = AppTest.from_file(str(Path(APP).parent / "views" / f"{page}.py"), default_timeout=60)
    at.query_params.update(dict(parse_qsl(parts.query)))
    at.run()
    assert not at.exception and not at.warning
    assert dict(parse_qsl(parts.query)).items() <= dict(at.query_params).items()  # (the basins add lr_b)


def test_the_presenter_offers_the_tools_that_take_a_scene():
    """The stability map when a racer's β is one it sweeps (that racer), the basins on their surfaces, the LR
    finder and the race always."""
    scene = next(lesson for lesson in LESSONS if lesson.number == 4).preset_config()  # quadratic, sgd and momentum
    assert fitting_tools(scene) == [("stability-map", 0), ("lr-finder", 0), ("race", 0)]
    adam_first = next(lesson for lesson in LESSONS if lesson.number == 13).preset_config()  # adam, sgd
    assert fitting_tools(adam_first)[0] == ("stability-map", 1)
    basins = next(lesson for lesson in LESSONS if lesson.number == 7).preset_config()
    assert ("basins", 0) in fitting_tools(basins)
