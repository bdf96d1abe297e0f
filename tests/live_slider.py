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


def report_missing(at: AppTest, key: str, scrub_id: str) -> AppTest:
    """What the slider under ``key`` does when the browser lacks the scrub data of ``scrub_id`` (a remounted
    component): its "missing" trigger with that id, sent with the page's other widget values as the browser
    sends them, then the rerun it causes.  AppTest has no widget for a bidi component, so the trigger goes in as
    the component's trigger widget state (the JSON list of {event, value} the frontend sends)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith(f"-{key}")]
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "missing", "value": scrub_id}])
    return at._run(states)
