"""The live lr slider's scrub data road under AppTest (views.widgets.lr_scrubber): the table is sent once per
scrub_id, a release sends the id alone, and a browser that lost its copy (the "missing" trigger) gets it again in
the very next run, and only then; a "missing" for an id the server no longer sends changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.live_slider import live_slider, release, report_missing

PAGE = str(Path(__file__).resolve().parents[2] / "views" / "playground.py")
SLIDER, VALUE = "pg_lrs0", "pg_lr0"


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update({"surface": "quadratic", "optimizer": "sgd", "lr": "0.01"})
    return at.run()


def test_a_lost_scrub_table_is_sent_again(app):
    first = live_slider(app, SLIDER)
    assert first["scrub"] is not None and first["scrubId"]  # the first run sends the table with its id
    release(app, SLIDER, VALUE, 0.02)
    held = live_slider(app, SLIDER)
    assert held["scrub"] is None and held["scrubId"] == first["scrubId"]  # a release: the id alone
    report_missing(app, SLIDER, first["scrubId"])
    assert not app.exception
    again = live_slider(app, SLIDER)
    assert again["scrubId"] == first["scrubId"] and again["scrub"] == first["scrub"]  # the same table, again
    assert again["value"] == 0.02  # the lr the release set is kept
    app.run()
    assert live_slider(app, SLIDER)["scrub"] is None  # the browser holds it once more: the id alone


def test_a_missing_report_for_another_id_sends_nothing_new(app):
    scrub_id = live_slider(app, SLIDER)["scrubId"]
    report_missing(app, SLIDER, scrub_id + "-stale")  # a table the server no longer sends (an older config's)
    assert not app.exception
    shown = live_slider(app, SLIDER)
    assert shown["scrub"] is None and shown["scrubId"] == scrub_id
