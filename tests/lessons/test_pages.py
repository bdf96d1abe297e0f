"""Every lesson page and the Claims lab under Streamlit's AppTest (through app.py's navigation): it renders,
its task is recognised once its condition is met, and every answer to its question shows its explanation."""

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from lab.config import parse_query
from lab.runs import map_chart
from lessons import LESSONS
from lessons.base import preset_config
from lessons.claims import CLAIMS, VERDICTS
from lessons.common import setup_of
from lessons.progress import Progress
from tests.conftest import TEST_LAN
from tests.live_slider import live_slider, release
from views.widgets.lesson_page import lesson_of, share_key
from views.widgets.progress_store import LOADED, PROGRESS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PLAYGROUND = str(Path(APP).parent / "views" / "playground.py")

# What a student does to meet each lesson's task: (widget kind, key, value); "state" sets a map click, "lr"
# releases the live learning-rate slider (tests/live_slider.py).
SOLUTIONS = {
    1: [("lr", "what-is-lr.lr.0.", 0.51)],
    2: [("lr", "thresholds.lr.0.", 0.91)],
    3: [("lr", "narrow-valleys.lr.0.", 0.091)],
    4: [("lr", "momentum.lr.1.", 0.032), ("select_slider", "momentum.hyper.1.momentum", 0.67)],
    5: [("lr", "adaptive.lr.0.", 0.1)],
    6: [("radio", "schedules.schedule.0.", "linear")],
    7: [("state", "saddles-minima.start.0.", ("himmelblau", 3.5, -1.5))],
    8: [("radio", "noise.schedule.0.", "exponential")],
    9: [("lr", "find-lr.lr.0.", 0.1)],
    10: [("select_slider", "generalisation.steps.0.", 30)],
    11: [("select_slider", "batch-size.batch.0.", 4), ("lr", "batch-size.lr.0.", 0.18)],
    12: [("state", "changing-curvature.start.0.", ("rosenbrock", 1.8, 3.0)),
         ("lr", "changing-curvature.lr.0.", 0.0024), ("radio", "changing-curvature.schedule.0.", "linear")],
    13: [("radio", "inside-adam.surface_param.0.angle", 45.0), ("lr", "inside-adam.lr.0.", 0.32)],
    14: [("radio", "conditioning.surface.0.", "regression_std"), ("lr", "conditioning.lr.0.", 0.5)],
}


LR2 = "thresholds.lrs.0"  # lesson 2's live lr slider


def _slider_key(value_key: str) -> str:
    """A lesson's live lr slider for its value key ("<slug>.lr.<racer>." -> "<slug>.lrs.<racer>")."""
    slug, _, index, _ = value_key.split(".")
    return f"{slug}.lrs.{index}"


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    return at.run()


def _params():
    return [pytest.param(lesson, id=f"lesson{lesson.number}") for lesson in LESSONS]


@pytest.mark.parametrize("lesson", _params())
def test_lesson_page_renders_recognises_its_task_and_explains_every_answer(lesson):
    at = _open(lesson.page)
    assert not at.exception, at.exception
    assert at.title[0].value == f"{lesson.number}. {lesson.title}"
    assert f"Lesson {lesson.number} of {len(LESSONS)}" in at.get("progress")[0].proto.text
    assert any(lesson.goal in m.value for m in at.markdown)
    if lesson.predict:  # a prediction lesson judges the task once the student has predicted (a wrong guess)
        wrong = next(a.text for a in lesson.question(setup_of(lesson.preset_config())).answers if not a.correct)
        at.radio(key=f"{lesson.slug}.question").set_value(wrong).run()
    assert not at.success, "the preset must not already meet the task"
    url = at.get("link_button")[0].proto.url
    assert url.startswith("playground?")
    assert parse_query(dict(parse_qsl(url.split("?", 1)[1]))) == (preset_config(lesson.preset), [])

    for kind, key, value in SOLUTIONS[lesson.number]:
        if kind == "lr":
            release(at, _slider_key(key), key, value)
            continue
        if kind == "state":
            at.session_state[key] = value
        else:
            getattr(at, kind)(key=key).set_value(value)
        at.run()
    assert not at.exception, at.exception
    assert len(at.success) == 1, [m.value for m in at.markdown]
    assert at.session_state[PROGRESS].tasks == {lesson.number}

    question = at.radio(key=f"{lesson.slug}.question")
    for option in question.options:
        at.radio(key=f"{lesson.slug}.question").set_value(option).run()
        feedback = [e.value for e in (*at.success, *at.error)]
        assert any(f.startswith(("Right. ", "Not quite. ")) for f in feedback), feedback
    assert sum(1 for option in question.options
               if at.radio(key=f"{lesson.slug}.question").set_value(option).run().success
               and any(s.value.startswith("Right. ") for s in at.success)) == 1


def test_reset_returns_to_the_preset():
    at = _open("views/lesson_02.py")
    at.radio(key="thresholds.question").set_value(at.radio(key="thresholds.question").options[0]).run()
    release(at, LR2, "thresholds.lr.0.", 1.1)
    assert any("diverged" in m.value for m in at.markdown)
    at.button[0].click().run()
    assert live_slider(at, LR2)["value"] == 0.75


def test_the_address_carries_the_lessons_settings():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lesson_02.py")
    at.query_params["lr"] = "1.1"  # a link to lesson 2 with lr 1.1
    at.run()
    assert live_slider(at, LR2)["value"] == 1.1 and not at.warning
    at.radio(key="thresholds.question").set_value(at.radio(key="thresholds.question").options[0]).run()
    assert any("lr 1.1: diverged" in m.value.replace("\\", "") for m in at.markdown)
    release(at, LR2, "thresholds.lr.0.", 0.91)
    assert dict(at.query_params) == {"lr": "0.91"}
    at.session_state[share_key(LESSONS[1])] = True  # the student opens "Share this setup"
    at.run()
    assert any(f"http://{TEST_LAN}:8501/lesson-2?lr=0.91" == c.value for c in at.code)  # "Share this setup"
    at.button[0].click().run()  # back to the preset: no query
    assert dict(at.query_params) == {} and live_slider(at, LR2)["value"] == 0.75


def test_share_this_setup_is_built_only_when_opened():
    """A closed "Share this setup" sends no code block, so a first load never fetches Streamlit's 1.5 MB code
    highlighter (benchmarks/bench_pages.py); opened, it shows the page's own link."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lesson_02.py")
    at.query_params["lr"] = "1.1"
    at.run()
    assert [e.label for e in at.expander] == ["Share this setup"] and not at.code
    at.session_state[share_key(LESSONS[1])] = True
    at.run()
    assert [c.value for c in at.code] == [f"http://{TEST_LAN}:8501/lesson-2?lr=1.1"]  # the full link
    assert any("same settings" in c.value for c in at.caption)


def test_a_lesson_link_carries_a_picked_start():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lesson_07.py")
    at.query_params.update({"x0": "3.5", "y0": "-1.5"})  # lesson 7's map: a click there writes these
    at.run()
    assert not at.exception and not at.warning
    assert any("Start: (3.5, -1.5)" in c.value for c in at.caption)
    assert dict(at.query_params) == {"x0": "3.5", "y0": "-1.5"}


def test_a_bad_lesson_link_gives_a_notice_and_the_preset():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lesson_02.py")
    at.query_params.update({"lr": "<script>", "surface": "rosenbrock"})
    at.run()
    assert not at.exception and live_slider(at, LR2)["value"] == 0.75
    assert "could not be used" in at.warning[0].value and "no control for surface" in at.warning[0].value
    assert dict(at.query_params) == {}  # the address now shows what the page shows


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [x.value for x in at.latex] + [c.value for c in at.caption]


def test_lesson2_keeps_its_answer_hidden_until_the_prediction():
    at = _open("views/lesson_02.py")
    regime = "overshoots and flips sign every step"  # the engine's words for α = 0.75 on L = 2 (1/L < α < 2/L)
    assert not any(regime in t for t in _texts(at))
    assert not any("-0.5" in t for t in _texts(at))  # the factor 1 − αL = −0.5 gives it away
    assert not any("lr 0.75:" in t for t in _texts(at)), "the outcome box waits for the prediction"
    assert any("Make your prediction" in c.value for c in at.caption)
    question = at.radio(key="thresholds.question")
    question.set_value(next(o for o in question.options if "flips" in o)).run()
    assert any(regime in t for t in _texts(at)) and any("-0.5" in t for t in _texts(at))
    assert any("lr 0.75: converged in" in t for t in _texts(at))


@pytest.mark.parametrize("number, hidden", [(1, "the first step takes w to"), (3, "The steep one caps it"),
                                            (5, "moves each parameter by about α"), (9, "a bracket, not an answer"),
                                            (12, "a 2-cycle"),
                                            (13, "undo a stretch along the axes"), (14, "the coupling of w and b")])
def test_check_answers_stay_hidden_until_answered(number, hidden):
    lesson = lesson_of(number)
    at = _open(lesson.page)
    assert not any(hidden in m.value for m in at.markdown)
    question = at.radio(key=f"{lesson.slug}.question")
    question.set_value(question.options[0]).run()
    assert any(hidden in m.value for m in at.markdown)


def test_claims_lab_reveals_each_verdict_only_after_a_choice():
    at = _open("views/claims.py")
    assert not at.exception, at.exception
    for i, claim in enumerate(CLAIMS):
        at.radio(key="claims.pick").set_value(i).run()
        assert not at.success and not at.error
        wrong = next(v for v in VERDICTS if v != claim.verdict)
        at.radio(key=f"claims.{claim.slug}").set_value(wrong).run()
        assert at.error and f"**{claim.verdict}**" in at.error[0].value
        at.radio(key=f"claims.{claim.slug}").set_value(claim.verdict).run()
        assert at.success and not at.exception
        finding = claim.judge(tuple(setup_of(preset_config(q)) for _, q in claim.presets))
        shown = [m.value for m in at.markdown]
        assert f"**Where it holds.** {finding.where_it_holds}" in shown
        assert f"**Where it fails.** {finding.where_it_fails}" in shown
    assert any("Not tested here — claim 11" in c.value for c in at.caption)
    assert f"{len(CLAIMS)} of {len(CLAIMS)}" in at.get("progress")[0].proto.text


def test_a_kept_answer_comes_back_and_a_new_one_is_kept():
    """A reload: a new session whose progress the browser has handed back (views.widgets.progress_store)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/lesson_02.py")
    options = at.run().radio(key="thresholds.question").options
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[PROGRESS] = Progress(frozenset({2}), {2: options[1], 3: "not an answer of lesson 3"})
    at.session_state[LOADED] = True
    at.run()
    at.switch_page("views/lesson_02.py")
    at.run()
    assert at.radio(key="thresholds.question").value == options[1]
    assert not any("Make your prediction above" in c.value for c in at.caption)  # the outcome shows
    assert f"tasks done: 1 of {len(LESSONS)}" in at.get("progress")[0].proto.text
    at.radio(key="thresholds.question").set_value(options[0]).run()
    (store,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name == "descent_lab.browser_store"]
    kept = Progress.from_json(json.loads(store.json)["value"], len(LESSONS))
    assert kept.answers[2] == options[0] and kept.tasks == {2}
    at.switch_page("views/lesson_03.py")
    at.run()
    assert at.radio(key="narrow-valleys.question").value is None  # a text lesson 3 does not offer is not used


def _claim_links(at, index):
    at.radio(key="claims.pick").set_value(index).run()
    return [b.proto.url for b in at.get("link_button") if b.proto.url.startswith("playground?")]


def test_every_claims_links_carry_its_presets():
    at = _open("views/claims.py")
    for index, claim in enumerate(CLAIMS):
        urls = _claim_links(at, index)
        assert len(urls) == len(claim.presets)
        for url, (_, preset) in zip(urls, claim.presets, strict=True):
            assert parse_query(dict(parse_qsl(urlsplit(url).query))) == (preset_config(preset), [])


@pytest.mark.parametrize("slug", ["warmup", "overfitting"])
def test_claims_lab_links_open_the_claims_own_runs_in_the_playground(slug):
    index, claim = next((i, c) for i, c in enumerate(CLAIMS) if c.slug == slug)
    at = _open("views/claims.py")
    urls = _claim_links(at, index)
    assert len(urls) == len(claim.presets) >= 2
    for url, (_, preset) in zip(urls, claim.presets, strict=True):
        config = preset_config(preset)
        query = dict(parse_qsl(urlsplit(url).query))
        assert parse_query(query) == (config, [])
        page = AppTest.from_file(PLAYGROUND, default_timeout=60)
        page.query_params.update(query)
        page.run()
        assert not page.exception and not page.warning
        (chart,) = [e.proto for e in page.get("bidi_component") if e.proto.id.endswith("-pg_map")]
        shown = json.loads(json.loads(chart.json)["figure"])
        assert shown == json.loads(pio.to_json(map_chart(config), validate=False))  # the claim's run, point for point
