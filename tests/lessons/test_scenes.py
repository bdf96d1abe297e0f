"""The presenter's scenes: every lesson tells its story in 3–5 one-line scenes whose presets are valid
Playground links, and each scene's run (through the Playground's runner, as the presenter draws it) does
what its caption says; the numbers in the captions agree with REFERENCE.md."""

import math

import numpy as np
import pytest

from engine.regression import make_dataset
from lab.config import parse_query
from lessons import LESSONS
from lessons.base import preset_config
from lessons.common import setup_of

LONGEST = 100  # characters: one line at the presenter's font on a 1400-px-wide projector page

# What each scene's racers do, in order: the start of the engine's status words (the view events aside) for
# racer 1, 2, ...
EXPECTED = {
    1: [("converged",), ("converged",), ("converged",), ("converged",)],
    2: [("converged",), ("converged in 1 step",), ("converged",), ("oscillating",), ("diverged",)],
    3: [("converged",), ("converged",), ("diverged",), ("converged",), ("still moving",)],
    4: [("converging",), ("converging", "converged", "converged"), ("converging", "still moving", "diverged"),
        ("converging", "converged")],
    5: [("still moving",), ("converged",), ("converged", "still moving", "converged", "converged"),
        ("diverged", "converged", "converged", "converged"), ("converged", "still moving", "converged", "converged")],
    6: [("diverged",), ("stalled",), ("converged",), ("converged",)],
    7: [("converged",), ("converged",), ("converged",), ("diverged",)],
    8: [("converged",), ("",), ("",), ("",)],  # with noise: never converges (checked by radius below)
    9: [("still moving",), ("converged",), ("still moving",), ("converged",)],
    10: [("still moving",), ("still moving",), ("still moving",), ("converged",), ("still moving",)],
    11: [("still moving",), ("",), ("",), ("diverged",)],  # mini-batch noise: checked by radius below
    12: [("still moving",), ("oscillating",), ("diverged",), ("diverged",), ("converging",)],
    13: [("converged", "converged"), ("converged", "converged"), ("converged", "converged"),
         ("oscillating", "converged")],
    14: [("converged",), ("converged",), ("converged in 1 step",), ("diverged",)],
}


def _lessons():
    return [pytest.param(lesson, id=f"lesson{lesson.number}") for lesson in LESSONS]


def _setups(lesson):
    return [setup_of(preset_config(query)) for _, query in lesson.scenes]


@pytest.mark.parametrize("lesson", _lessons())
def test_scenes_are_one_line_valid_links_and_do_what_they_say(lesson):
    scenes = lesson.scenes
    assert 3 <= len(scenes) <= 5
    assert len({tuple(sorted(q.items())) for _, q in scenes}) == len(scenes), "two scenes show the same setup"
    for caption, query in scenes:
        assert "\n" not in caption and len(caption) <= LONGEST, caption
        assert not any(bad in caption for bad in ("{", "[[", "nan", "inf", "e+", "e-0")), caption
        config, notices = parse_query(dict(query))
        assert notices == [], (caption, notices)
    for (caption, _), setup, expected in zip(scenes, _setups(lesson), EXPECTED[lesson.number], strict=True):
        outcomes = [run.facts(0).status_words() for run in setup.runs]
        assert len(outcomes) == len(expected), caption
        for words, start in zip(outcomes, expected, strict=True):
            assert words.startswith(start), (caption, outcomes)


def _scene(number, index):
    caption, query = LESSONS[number - 1].scenes[index]
    return caption, setup_of(preset_config(query))


def test_lesson2_walks_past_one_over_L_and_two_over_L():
    # f = x² + y²: L = 2, so 1/L = 0.5 and 2/L = 1 (REFERENCE.md).
    lrs = [_scene(2, i)[1].lr for i in range(5)]
    assert lrs[0] < 0.5 and lrs[1] == 0.5 and 0.5 < lrs[2] < 1 and lrs[3] == 1 and lrs[4] > 1
    assert "1/L = 0.5" in _scene(2, 1)[0] and "2/L = 1" in _scene(2, 3)[0]
    bounce = _scene(2, 3)[1].run
    np.testing.assert_allclose(bounce.points[-1, 0], bounce.points[-3, 0])  # two mirror points, forever
    np.testing.assert_allclose(bounce.points[-1, 0], -bounce.points[-2, 0])


def test_lesson1_first_step_numbers():
    caption, setup = _scene(1, 0)
    assert "1.8 to 1.62" in caption and "slope 3.6" in caption  # ∂/∂x (x² + y²) = 2·1.8; 1.8 − 0.05·3.6
    steps = [int(_scene(1, i)[1].run.stopped_at[0]) for i in range(3)]
    assert steps == sorted(steps, reverse=True) and f"{steps[0]} steps" in caption


def test_lesson3_best_fixed_step_beats_one_over_L():
    caption, best = _scene(3, 1)
    assert "0.0952" in caption and "0.905" in caption  # 2/(20 + 1) and 19/21
    assert best.run.stopped_at[0] < _scene(3, 0)[1].run.stopped_at[0]
    assert "2508" in _scene(3, 4)[0]  # Rosenbrock: 1001.6 / 0.3994 at (1, 1)


def test_lesson4_optimal_pair_from_goh():
    caption, _ = _scene(4, 3)
    assert "α = 0.0331, β = 0.669" in caption and "0.818" in caption  # REFERENCE.md, κ = 100
    assert "0.0198" in _scene(4, 0)[0]  # 2/(100 + 1)


def test_lesson7_two_starts_two_minima_and_the_saddle_point():
    ends = [_scene(7, i)[1].run for i in range(3)]
    first, second, saddle = (r.points[r.last_step(0), 0] for r in ends)
    assert np.linalg.norm(first - second) > 1
    np.testing.assert_allclose(saddle, [0, 0], atol=1e-3)


def test_lesson8_half_the_lr_shrinks_the_ball_by_about_root_two():
    def radius(setup):
        tail = setup.run.points[-100:, 0]
        return float(np.sqrt(np.mean(np.sum(tail**2, axis=1))))

    ball, half, decayed = (radius(_scene(8, i)[1]) for i in (1, 2, 3))
    assert half / ball == pytest.approx(1 / math.sqrt(2), rel=0.1)
    assert decayed < half


def test_lesson10_stop_scene_ends_at_the_lowest_validation_loss():
    def scene_values(setup):
        run = setup.run
        return make_dataset(**run.surface.params).loss("val", run.points[: run.last_step(0) + 1, 0])

    full, stop, other = (scene_values(_scene(10, i)[1]) for i in (0, 1, 4))
    assert stop[-1] == pytest.approx(full.min()) and full[-1] > full.min()
    assert int(np.argmin(other)) == len(other) - 1
