"""A lesson's learning-rate control is the Playground's live ARIA slider (views.widgets.inputs.lr_slider): the
lesson's own lr grid, the 1/L and 2/L marks of its start, scrub data for the lesson's own figures (its map with its
marks, its loss / lr / stability charts, the outcome words), and a release that reruns the lesson and writes its
address (the scrub data is not sent again when only the lr changed).  Patched in the browser to lr k, each
figure is what the lesson draws once lr k is committed."""

import pytest

import engine
from lab.figures_map import path_trace
from lab.outcome import outcome_lines
from lab.runs import curvature_at, label, labels_of, runs_of
from lab.scrub_charts import leaves
from lessons import LESSONS
from lessons.common import setup_of
from lessons.controls import current_value, options_for
from tests.lab.test_scrub import ANIMATION, _patched, _same_leaves
from tests.lessons.test_pages import _open
from tests.live_slider import live_slider, release
from views.widgets.lesson_page import _figures, chart_keys, lesson_scrub


def _marks(config) -> list[dict]:
    one, two = engine.theory.thresholds(curvature_at(config.surface_key, config.start)[0])
    return [{"at": one, "text": "1/L"}, {"at": two, "text": "2/L"}]


def _lr_lesson(slug: str):
    lesson = next(lesson for lesson in LESSONS if lesson.slug == slug)
    return lesson, next(c for c in lesson.controls if c.kind == "lr")


def test_a_lessons_lr_control_is_the_live_slider_with_its_marks_committed_on_release():
    lesson, control = _lr_lesson("what-is-lr")  # an lr control, a map and a loss chart, no prediction first
    preset = lesson.preset_config()
    at = _open(lesson.page)
    assert not at.exception
    slider = live_slider(at, f"{lesson.slug}.lrs.0")
    assert slider["label"] == control.label and slider["value"] == preset.optimizers[0].lr
    options = list(options_for(control, current_value(preset, control)))
    assert slider["options"] == options
    assert slider["marks"] == _marks(preset)
    # live: the lesson's own figures follow the thumb (its map and loss chart, by their element keys)
    assert slider["charts"] == {"map": f"{lesson.slug}.map", "loss": f"{lesson.slug}.loss"}
    assert slider["scrub"] is not None and set(slider["scrub"]["charts"]) == {"map", "loss"}
    assert len(slider["scrub"]["words"]) == len(options)
    release(at, f"{lesson.slug}.lrs.0", f"{lesson.slug}.lr.0.", 0.51)
    assert not at.exception and dict(at.query_params) == {"lr": "0.51"}
    after = live_slider(at, f"{lesson.slug}.lrs.0")
    assert after["value"] == 0.51
    # only the lr changed: the browser keeps the scrub data it holds for this id, nothing is sent again
    assert after["scrubId"] == slider["scrubId"] != "" and after["scrub"] is None
    assert any("lr 0.51:" in m.value for m in at.markdown)  # the outcome words of the committed run


@pytest.mark.parametrize("slug", ["what-is-lr", "thresholds", "schedules", "noise", "generalisation",
                                  "conditioning"])
def test_each_scrub_position_draws_what_the_lesson_draws_for_that_lr(slug):
    """Map (paths, heads, exit marks, the lesson's marks, legend room), loss, lr and stability charts, patched
    from the preset's figures to lr k, are the lesson's figures once lr k is committed; names and words too."""
    lesson, control = _lr_lesson(slug)
    preset, i = lesson.preset_config(), control.index
    options = tuple(options_for(control, current_value(preset, control)))
    data = lesson_scrub(lesson.number, preset, i, options)
    assert data is not None and set(data["charts"]) == set(chart_keys(lesson, False))
    committed = _figures(lesson, setup_of(preset), labels_of(preset), False)
    for k in range(0, len(options), 4):
        at = preset.with_lr(i, options[k])
        server = _figures(lesson, setup_of(at), labels_of(at), False)
        for chart, figure in committed.items():
            shown, layout = _patched(figure, data["charts"][chart], k)
            expected = [leaves(trace) for trace in server[chart]["data"]]
            assert all(_same_leaves(a, b) for a, b in zip(shown, expected, strict=True)), (slug, chart, k)
            wanted = leaves({key: v for key, v in server[chart]["layout"].items() if key not in ANIMATION},
                            lists=True)
            assert _same_leaves(layout, wanted), (slug, chart, k)
        labels = [label(at, j) for j in range(len(at.optimizers))]
        assert data["words"][k] == outcome_lines(labels, runs_of(at))[i]
        assert data["names"][k] == server["map"]["data"][path_trace(i)]["name"]


def test_a_prediction_lesson_has_no_live_path_before_the_prediction():
    lesson = next(lesson for lesson in LESSONS if lesson.predict and any(c.kind == "lr" for c in lesson.controls))
    control = next(c for c in lesson.controls if c.kind == "lr")
    at = _open(lesson.page)
    slider = live_slider(at, f"{lesson.slug}.lrs.{control.index}")
    assert slider["scrub"] is None  # the path under the thumb would give the answer away
