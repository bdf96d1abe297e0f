"""A lesson's learning-rate control is the Playground's ARIA slider (views.widgets.inputs.lr_slider) under
AppTest: the lesson's own lr grid, the 1/L and 2/L marks of its start, no drag preview (its patches are the
Playground's charts, not a lesson's map), and a release that reruns the lesson and writes its address."""

import engine
from lab.runs import curvature_at
from lessons import LESSONS
from lessons.controls import current_value, options_for
from tests.lessons.test_pages import _open
from tests.live_slider import live_slider, release


def _marks(config) -> list[dict]:
    one, two = engine.theory.thresholds(curvature_at(config.surface_key, config.start)[0])
    return [{"at": one, "text": "1/L"}, {"at": two, "text": "2/L"}]


def test_a_lessons_lr_control_is_the_slider_with_its_marks_committed_on_release():
    lesson = LESSONS[0]  # what-is-lr: an lr control and a map, no prediction first
    control = next(c for c in lesson.controls if c.kind == "lr")
    preset = lesson.preset_config()
    at = _open(lesson.page)
    assert not at.exception
    slider = live_slider(at, f"{lesson.slug}.lrs.0")
    assert slider["label"] == control.label and slider["value"] == preset.optimizers[0].lr
    assert slider["options"] == list(options_for(control, current_value(preset, control)))
    assert slider["marks"] == _marks(preset)
    assert slider["scrub"] is None and slider["charts"] == {}  # no preview: the map follows on release
    release(at, f"{lesson.slug}.lrs.0", f"{lesson.slug}.lr.0.", 0.51)
    assert not at.exception and dict(at.query_params) == {"lr": "0.51"}
    assert live_slider(at, f"{lesson.slug}.lrs.0")["value"] == 0.51
    assert any("lr 0.51:" in m.value for m in at.markdown)  # the outcome words of the committed run

