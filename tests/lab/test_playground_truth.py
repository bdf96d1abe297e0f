"""The Playground's picture agrees with its words (issue 13 section 1): the map's view-event labels give the
engine's steps, and no combination of SGD's switches gives a traceback."""

import pytest

from tests.lab.test_playground_app import _app, _map, _outcome


@pytest.mark.parametrize("switch", [{"momentum": 0.0}, {"momentum": 0.9, "dampening": 0.5}],
                         ids=["momentum 0", "dampening 0.5"])
def test_ticking_nesterov_where_torch_refuses_it_gives_a_message_and_a_run(switch):
    at = _app(optimizer="sgd")
    for name, value in switch.items():
        at.number_input(key=f"pg_h0.sgd.{name}").set_value(value).run()
    at.checkbox(key="pg_h0.sgd.nesterov").check().run()
    assert not at.exception
    assert any("nesterov" in w.value.lower() and "momentum" in w.value for w in at.warning)
    assert "SGD" in _outcome(at) and ("converged" in _outcome(at) or "diverged" in _outcome(at))
    assert "nesterov" not in at.query_params  # the run on screen (and its link) is one torch accepts


STEP_DECAY = dict(surface="quadratic", optimizer="sgd", lr="0.24", schedule="step", step_size="10", gamma="0.5",
                  x0="-1.5", y0="1", steps="300")


@pytest.mark.parametrize("query", [STEP_DECAY, {**STEP_DECAY, "schedule": "constant"}, {**STEP_DECAY, "lr": "0.21"},
                                   {**STEP_DECAY, "lr": "0.3", "gamma": "0.9"}, {**STEP_DECAY, "lr": "0.19"}],
                         ids=["step decay", "constant 0.24", "decay 0.21", "decay 0.3 gamma 0.9", "decay 0.19"])
def test_the_maps_event_labels_and_the_outcome_box_give_the_same_steps(query):
    at = _app(**query)
    assert not at.exception
    outcome = _outcome(at)
    labels = [t["text"][0] for t in _map(at)["data"] if t.get("text") and t.get("yaxis") != "y2"]
    if "left the view" not in outcome and "diverged" not in outcome:
        assert not labels
        return
    (label,) = labels
    if "diverged at step" in outcome:  # the box: "diverged at step k"; the map: "left ... step j, diverged at step k"
        assert label.split(", ")[-1] in outcome
    else:  # the box: "left the view at step 4, back at step 12, stalled ..."
        assert label in outcome
    if query is STEP_DECAY:
        assert label == "left the view at step 4, back at step 12" and "stalled" in outcome
