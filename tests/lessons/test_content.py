"""Lesson content without a browser: presets are valid Playground links, every number the texts state comes
from the engine and agrees with REFERENCE.md, and every question has one right answer with reasons."""

import numpy as np
import pytest

import engine
from lab.config import parse_query
from lessons import LESSONS
from lessons.base import Answer, Control, Question, Setup, fill, preset_config
from lessons.claims import CLAIMS, VERDICTS
from lessons.common import setup_of
from lessons.controls import apply, lr_grid
from views.widgets.lesson_page import playground_url


def _lessons():
    return [pytest.param(lesson, id=f"lesson{lesson.number}") for lesson in LESSONS]


def test_the_lessons_in_order_with_distinct_slugs_and_pages():
    count = len(LESSONS)
    assert count >= 14
    assert [lesson.number for lesson in LESSONS] == list(range(1, count + 1))
    assert len({lesson.slug for lesson in LESSONS}) == count
    assert [lesson.page for lesson in LESSONS] == [f"views/lesson_{n:02d}.py" for n in range(1, count + 1)]


@pytest.mark.parametrize("lesson", _lessons())
def test_preset_parses_text_fills_and_task_is_not_already_done(lesson):
    config = preset_config(lesson.preset)  # raises on any notice
    setup = setup_of(config)
    facts = lesson.facts(setup)
    for template in (lesson.text, lesson.task.prompt, lesson.task.success, lesson.after, *lesson.latex,
                     *(e.caption for e in lesson.extras)):
        assert "{{" not in fill(template, facts)
    assert not lesson.task.done(setup), "the preset must leave the task to the student"
    question = lesson.question(setup)
    assert sum(a.correct for a in question.answers) == 1
    assert all(len(a.why) > 20 for a in question.answers)
    for extra in lesson.extras:
        assert extra.build(setup).data
    query = dict(pair.split("=") for pair in playground_url(config).split("?", 1)[1].split("&"))
    from urllib.parse import unquote
    assert parse_query({k: unquote(v) for k, v in query.items()}) == (config, [])


def _setup(lesson, **changes):
    config = preset_config({**lesson.preset, **changes})
    return setup_of(config)


def test_lesson2_numbers_follow_reference():
    # f = x² + y² has curvature L = 2: 1/L = 0.5, 2/L = 1; α = 0.75 is between them (oscillating convergence).
    lesson = LESSONS[1]
    facts = lesson.facts(_setup(lesson))
    assert (facts["L"], facts["one"], facts["two"], facts["factor"]) == ("2", "0.5", "1", "-0.5")
    assert facts["flat_two"] == "10" and facts["flat_one_outcome"] == "converged in 1 step"  # α = 5 = 1/L there
    # "α > 1 works" is shown by an α that is neither the one-step 1/L = 5 nor the bounce 2/L = 10
    assert 5 < float(facts["flat_lr"]) < 10 and facts["flat_outcome"].startswith("converged in")
    assert facts["flat_outcome"] != "converged in 1 step"
    right = [a for a in lesson.question(_setup(lesson)).answers if a.correct]
    assert "flips" in right[0].text
    assert lesson.task.done(_setup(lesson, lr="0.95"))
    assert not lesson.task.done(_setup(lesson, lr="0.8"))   # converges, but not near the limit
    assert not lesson.task.done(_setup(lesson, lr="1.05"))  # diverges


def test_lesson4_optimum_is_gohs_worked_example():
    # REFERENCE.md: eigenvalues in [1, 100]: GD α* = 0.019802, momentum α* = 0.033058, β* = 0.669421, rate 0.818182.
    lesson = LESSONS[3]
    facts = lesson.facts(_setup(lesson))
    numbers = (facts["gd_alpha"], facts["a_star"], facts["b_star"], facts["hb_rate"])
    assert numbers == ("0.0198", "0.0331", "0.669", "0.818")
    assert lesson.task.done(_setup(lesson, lr_2="0.033058", momentum_2="0.669421"))
    assert lesson.question(_setup(lesson)).answers[0].text.endswith("0.038")  # 2(1 + 0.9)/100


def test_lesson3_and_rosenbrock_curvatures():
    lesson = LESSONS[2]
    facts = lesson.facts(_setup(lesson))
    assert facts["star"] == "0.0952" and facts["kappa"] == "20"  # 2/(20 + 1)
    assert (facts["rosen_L"], facts["rosen_mu"]) == ("1001.6", "0.3994")  # REFERENCE.md
    assert lesson.task.done(_setup(lesson, lr=str(2 / 21)))


def test_lesson8_noise_ball_matches_its_closed_form():
    lesson = LESSONS[7]
    facts = lesson.facts(_setup(lesson))
    assert float(facts["radius"]) == pytest.approx(float(facts["theory"]), rel=0.1)
    assert lesson.task.done(_setup(lesson, schedule="exponential", gamma="0.99"))
    assert not lesson.task.done(_setup(lesson, lr="0.05", noise="0"))  # quieter, but by removing the noise


def test_lesson6_question_outcomes_come_from_the_engine():
    lesson = LESSONS[5]
    question = lesson.question(_setup(lesson))
    right = [a for a in question.answers if a.correct]
    assert len(right) == 1 and right[0].text.startswith("Linear decay") and "converged in" in right[0].why
    wrong = {a.text.split(" ")[0]: a.why for a in question.answers if not a.correct}
    assert "diverged at step" in wrong["A"]  # a warm-up, then the constant lr 1.2 × 2/L
    assert "has stalled 0.0085 from the minimum" in wrong["Step"]  # halving every 10 steps: back, then no lr left
    assert "back at step" in wrong["Cosine"] and "converged in" in wrong["Cosine"]  # converges after an excursion


def test_lr_grid_reads_well_and_keeps_extras():
    grid = lr_grid(0.01, 20.0, extra=(5.0, 0.75))
    assert grid[0] == 0.01 and grid[-1] == 10.0 and 5.0 in grid and 0.75 in grid  # capped at the schema's 10
    assert all(float(f"{v:.2g}") == v for v in grid if v not in (0.75,))
    assert list(grid) == sorted(set(grid))
    assert 0.91 in grid and 1.0 in grid


def test_apply_edits_one_thing():
    base = preset_config({"surface": "bowl", "optimizer": "sgd,momentum", "lr": "0.1", "x0": "1", "y0": "0"})
    assert apply(base, Control("lr", "lr", index=1), 0.3).optimizers[1].lr == 0.3
    hyper = apply(base, Control("hyper", "β", name="momentum", index=1), 0.5).optimizers[1].hyper
    assert dict(hyper)["momentum"] == 0.5
    moved = apply(base, Control("surface", "s"), "himmelblau")
    assert moved.surface == "himmelblau" and moved.start == tuple(engine.surface("himmelblau").start)
    sched = apply(base, Control("schedule", "s", schedules={"step": {"step_size": 7}}), "step")
    assert dict(sched.schedule_params)["step_size"] == 7 and dict(sched.schedule_params)["gamma"] == 0.1
    assert apply(base, Control("noise", "σ"), 2.0).noise == 2.0
    with pytest.raises(ValueError, match="unknown control kind"):
        Control("colour", "c")


def test_question_needs_exactly_one_right_answer():
    from lessons.base import Answer
    with pytest.raises(ValueError, match="exactly one"):
        Question("q", (Answer("a", True, "x"), Answer("b", True, "y")))


@pytest.mark.parametrize("claim", [pytest.param(c, id=c.slug) for c in CLAIMS])
def test_claims_have_valid_presets_and_reasons_from_their_runs(claim):
    assert claim.verdict in VERDICTS
    setups = tuple(setup_of(preset_config(q)) for _, q in claim.presets)
    finding = claim.judge(setups)
    for reason in (finding.where_it_holds, finding.where_it_fails):
        assert len(reason) > 60 and "{" not in reason


def test_claim_experiments_show_what_the_verdicts_say():
    by_slug = {c.slug: c for c in CLAIMS}
    faster = setup_of(preset_config(by_slug["faster"].presets[0][1]))
    assert [str(s) for s in np.concatenate([r.status for r in faster.runs])] == [
        "converged", "converged", "converged", "diverged"]
    flat, _, steep = (setup_of(preset_config(q)) for _, q in by_slug["above-one"].presets)
    assert flat.lr > 1 and flat.run.status[0] == "converged"
    assert steep.lr < 1 and steep.run.status[0] == "diverged"
    camel = setup_of(preset_config(by_slug["smaller-generalises"].presets[1][1]))
    small, large = (float(camel.surface.value(r.points[r.last_step(0), 0])) for r in camel.runs)
    assert large < small
    const, decayed = (setup_of(preset_config(q)) for _, q in by_slug["decay"].presets[:2])
    assert np.linalg.norm(decayed.run.points[-1, 0]) < np.linalg.norm(const.run.points[-100:, 0], axis=1).mean()
    assert isinstance(const, Setup)


@pytest.mark.parametrize("number", [1, 2, 3, 14])
def test_a_question_offers_its_answers_rotated_with_the_right_one_at_a_lesson_dependent_place(number):
    answers = tuple(Answer(text, text == "c", "") for text in "abcd")
    shown = Question("?", answers).shown(number)
    place = [a.text for a in shown].index("c")
    assert place == (7 * number) % 4 and "".join(a.text for a in shown) in "abcdabcd"
