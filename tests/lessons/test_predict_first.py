"""Predict first, then see: a prediction lesson (``Lesson.predict``) shows the map with its start and the
question, and nothing that gives the outcome away, until the student has answered; then everything, and a
prediction once made stays made (a changed control, "Back to the preset")."""

import json

import pytest

from lessons import LESSONS
from lessons.base import fill
from lessons.common import setup_of
from lessons.outcome_words import PHRASE, hide_outcomes
from tests.lessons.test_pages import _open, _texts
from tests.lessons.truth_cases import settings
from tests.live_slider import live_slider, release

PREDICT = [lesson for lesson in LESSONS if lesson.predict]


def _figures(at) -> dict[str, dict]:
    """The page's charts by key ("thresholds.map", "thresholds.loss", ...)."""
    return {e.proto.id.split("-", 2)[-1]: json.loads(json.loads(e.proto.json)["figure"])
            for e in at.get("bidi_component") if e.proto.component_name == "descent_lab.live_chart"}


def _shows_the_outcome(at, lesson) -> dict[str, bool]:
    figures = _figures(at)
    stability = figures.get(f"{lesson.slug}.stability", {"data": []})
    return {
        "path": any(t.get("mode") == "lines" for t in figures[f"{lesson.slug}.map"]["data"]),
        "loss chart": f"{lesson.slug}.loss" in figures,
        "stability marker": bool(stability["data"]),
        "outcome words": any(PHRASE.search(t) for t in _texts(at) if not t.startswith("**Goal:**")),
        "task result": bool(at.success),
    }


def test_there_are_prediction_lessons():
    assert {2, 3, 6} <= {lesson.number for lesson in PREDICT}


@pytest.mark.parametrize("lesson", PREDICT, ids=[f"lesson{lesson.number}" for lesson in PREDICT])
def test_a_prediction_lesson_shows_the_outcome_only_after_the_prediction(lesson):
    at = _open(lesson.page)
    assert not at.exception, at.exception
    assert any(m.value.startswith("**Predict first:**") for m in at.markdown)
    assert not any(_shows_the_outcome(at, lesson).values()), _shows_the_outcome(at, lesson)
    assert any(t.get("name") == "start" for t in _figures(at)[f"{lesson.slug}.map"]["data"])

    question = at.radio(key=f"{lesson.slug}.question")
    question.set_value(question.options[0]).run()
    shown = _shows_the_outcome(at, lesson)
    assert shown["path"] and shown["outcome words"], shown
    assert shown["loss chart"] == ("loss" in lesson.charts)
    assert shown["stability marker"] == ("stability" in lesson.charts)
    assert not any(m.value.startswith("**Predict first:**") for m in at.markdown)


def test_a_prediction_stays_made_after_a_change_and_back_to_the_preset():
    at = _open("views/lesson_02.py")
    release(at, "thresholds.lrs.0", "thresholds.lr.0.", 1.1)  # before predicting: still hidden
    assert not any(_shows_the_outcome(at, LESSONS[1]).values())
    at.radio(key="thresholds.question").set_value(at.radio(key="thresholds.question").options[0]).run()
    assert any("lr 1.1: diverged at step" in t for t in _texts(at))
    release(at, "thresholds.lrs.0", "thresholds.lr.0.", 0.91)
    assert _shows_the_outcome(at, LESSONS[1])["path"]
    at.button[0].click().run()  # Back to the preset: the settings return, the prediction stays
    assert live_slider(at, "thresholds.lrs.0")["value"] == 0.75
    assert _shows_the_outcome(at, LESSONS[1])["path"]
    assert any("lr 0.75: converged in" in t for t in _texts(at))


@pytest.mark.parametrize("lesson", PREDICT, ids=[f"lesson{lesson.number}" for lesson in PREDICT])
def test_before_the_prediction_no_text_states_an_outcome_at_any_setting(lesson):
    """The page's words before the prediction (spoilers dropped, outcome facts hidden) at every setting the
    truth test tries: no outcome phrase of the engine's."""
    for name, config in settings(lesson):
        facts = hide_outcomes(lesson.facts(setup_of(config)))
        for template in (lesson.text, lesson.after, lesson.task.prompt, *lesson.latex):
            shown = fill(template, facts, reveal=False)
            assert not PHRASE.search(shown), (name, shown)
