"""Every control of the Playground is in its link: each one, set to a value other than its default (the
cases are generated from the schemas, ``control_cases``), gives a link that reproduces the run, read back
with ``parse_query`` and opened as a page with AppTest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lab.config import parse_query, to_query
from lab.runs import runs_of
from tests.lab.control_cases import BASE, CASES, PAGE_CASES, Case

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "playground.py")
KEY_PREFIX = "pg_"
WIDGETS = ("selectbox", "number_input", "checkbox", "text_input")


def _points(config) -> list[np.ndarray]:
    return [run.points for run in runs_of(config)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_link_of_every_control_reproduces_its_run(case: Case):
    assert case.config != BASE
    query = to_query(case.config)
    linked, notices = parse_query(query)
    assert notices == [] and linked == case.config, query
    for followed, original in zip(_points(linked), _points(case.config), strict=True):
        np.testing.assert_array_equal(followed, original)


# ----------------------------------------------------------------------------------------------------------
# The page: move the widgets, follow the address it writes, see the same run


def _widget(at: AppTest, key: str):
    for kind in WIDGETS:
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(f"no widget {key!r} on the page")


def _release_lr(at: AppTest, key: str, value: float) -> None:
    """Racer i's live lr slider (views.widgets.lr_scrubber, no AppTest widget): what its release does,
    writing the lr."""
    assert [e for e in at.get("bidi_component") if e.proto.id.endswith(f"-{KEY_PREFIX}lrs{key[2:]}")], key
    at.session_state[f"{KEY_PREFIX}{key}"] = value


def _move(at: AppTest, key: str, value: Any) -> None:
    if key.startswith("lr") and key[2:].isdigit():
        _release_lr(at, key, value)
    elif isinstance(value, tuple) and f"{KEY_PREFIX}{key}" not in at.session_state:  # a pair: two number inputs
        for part, number in enumerate(value):
            _widget(at, f"{KEY_PREFIX}{key}.{part}").set_value(number)
    elif isinstance(value, tuple):  # whole numbers in a text box
        _widget(at, f"{KEY_PREFIX}{key}").set_value(", ".join(map(str, value)))
    else:
        _widget(at, f"{KEY_PREFIX}{key}").set_value(value)
    at.run()
    assert not at.exception and not at.warning and not at.error, (key, value)


def _charts(at: AppTest) -> dict[str, Any]:
    """The figures of the page's charts, by element id (map, stability strip, loss and lr curves)."""
    return {e.proto.id: json.loads(json.loads(e.proto.json)["figure"]) for e in at.get("bidi_component")
            if e.proto.component_name == "descent_lab.live_chart"}


def _open(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.query_params.update(query)
    return at.run()


@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.name)
def test_the_page_link_of_every_control_opens_the_same_run(case: Case):
    at = _open({})
    for key, value in case.moves:
        _move(at, key, value)
    link = {k: at.query_params[k] for k in at.query_params}
    assert parse_query(link) == (case.config, [])  # the page ran the case and its address holds all of it
    followed = _open(link)
    assert not followed.exception and not followed.warning
    assert {k: followed.query_params[k] for k in followed.query_params} == link
    assert _charts(followed) == _charts(at)
