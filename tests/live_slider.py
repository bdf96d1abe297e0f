"""The live learning-rate slider (views.widgets.lr_scrubber) under AppTest, which has no widget for it: its data
as the page sent it, and what releasing its thumb does (its on_commit writes the lr to the slider's value key)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def live_slider(at: AppTest, key: str) -> dict:
    """The data of the slider under ``key`` (label, options, marks, scrub, ...), with ``value``: the lr its
    thumb stands at."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith(f"-{key}")]
    data = json.loads(element.proto.json)
    return {**data, "value": data["options"][data["index"]]}


def release(at: AppTest, key: str, value_key: str, lr: float) -> AppTest:
    """Release the slider under ``key`` at ``lr`` (one of its options): the lr in ``value_key``, then the rerun."""
    assert lr in live_slider(at, key)["options"], (key, lr)
    at.session_state[value_key] = lr
    return at.run()
