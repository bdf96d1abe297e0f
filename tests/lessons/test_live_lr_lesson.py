"""A lesson's learning-rate control is the Playground's live slider (views.widgets.inputs.lr_slider) under
AppTest: the lesson's own lr grid, the 1/L and 2/L marks of its start, the precomputed paths for its map (none
before a prediction, which they would give away), and a release that reruns the lesson and writes its address."""

import engine
from lab.runs import curvature_at
from lessons import LESSONS
from lessons.controls import current_value, options_for
from tests.lessons.test_pages import _open
from tests.live_slider import live_slider, release


def _marks(config) -> list[dict]:
    one, two = engine.theory.thresholds(curvature_at(config.surface_key, config.start)[0])
    return [{"at": one, "text": "1/L"}, {"at": two, "text": "2/L"}]


def test_a_lessons_lr_control_is_the_live_slider_with_its_marks_and_paths():
    lesson = LESSONS[0]  # what-is-lr: an lr control and a map, no prediction first
    control = next(c for c in lesson.controls if c.kind == "lr")
    preset = lesson.preset_config()
    at = _open(lesson.page)
    assert not at.exception
    slider = live_slider(at, f"{lesson.slug}.lrs.0")
    assert slider["label"] == control.label and slider["value"] == preset.optimizers[0].lr
    assert slider["options"] == list(options_for(control, current_value(preset, control)))
    assert slider["marks"] == _marks(preset)
    assert slider["map"] == f"{lesson.slug}-map" and (slider["trace"], slider["line"]) == (1, 0)
    assert len(slider["scrub"]["ends"]) == len(slider["options"])  # one precomputed path per position
    release(at, f"{lesson.slug}.lrs.0", f"{lesson.slug}.lr.0.", 0.51)
    assert not at.exception and dict(at.query_params) == {"lr": "0.51"}
    assert live_slider(at, f"{lesson.slug}.lrs.0")["value"] == 0.51
    assert any("lr 0.51:" in m.value for m in at.markdown)  # the outcome words of the committed run


def test_before_a_prediction_the_slider_shows_no_path():
    lesson = LESSONS[1]  # thresholds: predict first
    at = _open(lesson.page)
    assert live_slider(at, f"{lesson.slug}.lrs.0")["scrub"] is None
    question = at.radio(key=f"{lesson.slug}.question")
    question.set_value(question.options[0]).run()
    assert live_slider(at, f"{lesson.slug}.lrs.0")["scrub"] is not None
