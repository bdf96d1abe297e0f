"""A lesson's settings in its address (lessons.links): every choice of every lesson survives the round trip
through the query, the preset has no query, and a bad link gives notices, never an exception."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.config import make_surface
from lessons import LESSONS
from lessons.controls import apply, current_value, options_for
from lessons.links import control_keys, link_query, read_link


def _view(slug: str):
    return make_surface(slug).bounds


def _choices(lesson):
    """(control, value) for every value every control of ``lesson`` offers (a clicked start for "start")."""
    preset = lesson.preset_config()
    for control in lesson.controls:
        if control.kind == "start":
            (x0, x1), (y0, y1) = _view(preset.surface)
            yield control, (round(0.3 * x0 + 0.7 * x1, 3), round(0.6 * y0 + 0.4 * y1, 3))
            continue
        for value in options_for(control, current_value(preset, control)):
            yield control, value


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_choice_round_trips_through_the_address(lesson):
    preset = lesson.preset_config()
    keys = [k for c in lesson.controls for k in control_keys(c)]
    assert len(keys) == len(set(keys))  # one key per control
    assert link_query(lesson.controls, preset, preset) == {}  # the preset has no query
    for control, value in _choices(lesson):
        config = apply(preset, control, value)
        query = link_query(lesson.controls, preset, config)
        values, notices = read_link(lesson.controls, preset, query, _view)
        assert notices == [], (control, value, query)
        back = preset
        for i, v in values.items():
            back = apply(back, lesson.controls[i], v[1:] if lesson.controls[i].kind == "start" else v)
        assert back == config, (control, value, query)


def test_lesson_links_read_as_a_student_would_write_them():
    lesson2, lesson4 = LESSONS[1], LESSONS[3]
    values, notices = read_link(lesson2.controls, lesson2.preset_config(), {"lr": "1.1"}, _view)
    assert values == {0: 1.1} and notices == []
    values, _ = read_link(lesson2.controls, lesson2.preset_config(), {"lr": "0.33"}, _view)
    assert values == {0: 0.33}  # an lr off the slider's grid is kept exactly, as in the Playground
    preset4 = lesson4.preset_config()
    query = link_query(lesson4.controls, preset4, apply(preset4, lesson4.controls[1], 0.032))
    assert query == {"lr_2": "0.032"}  # racer 2's key, as in the Playground's links


def test_bad_links_give_notices():
    lesson2, lesson7 = LESSONS[1], LESSONS[6]
    values, notices = read_link(lesson2.controls, lesson2.preset_config(),
                                {"lr": "abc", "scale": "3", "steps": "7", "<b>x</b>": "1"}, _view)
    assert values == {}
    assert any("abc" in n and "not one of this lesson's choices" in n for n in notices)
    assert any("y²) = 3 is not one" in n for n in notices)  # the bowl's steepness offers 0.1, 1 and 10 only
    assert any("no control for steps" in n for n in notices) and any("<b>x</b>" in n for n in notices)
    _, notices = read_link(lesson2.controls, lesson2.preset_config(), {"lr": "1e9"}, _view)
    assert notices  # past the schema's largest lr
    values, notices = read_link(lesson7.controls, lesson7.preset_config(), {"x0": "99", "y0": "0"}, _view)
    assert values == {} and "not a point of this map" in notices[0]
    values, notices = read_link(lesson7.controls, lesson7.preset_config(), {"x0": "1"}, _view)
    assert values == {} and notices  # half a start


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["lr", "lr_2", "momentum_2", "optimizer", "surface", "schedule", "noise",
                                        "steps", "x0", "y0", "scale", "l1", "seed", "junk"]),
                       st.text(max_size=12), max_size=5),
       st.sampled_from(LESSONS))
def test_any_query_reads_without_raising(query, lesson):
    values, notices = read_link(lesson.controls, lesson.preset_config(), query, _view)
    assert len(values) + len(notices) >= 1 if query else values == {} and notices == []
