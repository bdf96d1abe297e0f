"""The lessons' own figures: their log axes read like the Playground's (decades only, legible)."""


import engine
from engine import sweeps
from lab.figures_lessons import effective_lr_figure, range_test_figure
from lab.runs import make_config, run_of
from tests.lab.test_figures import assert_readable_log_axes


def test_lesson_log_axes_label_decades_in_a_legible_font():
    bowl = engine.surface("bowl")
    run = run_of(make_config("bowl", "adam", (1.5, -1.0), 40, lr=0.5))
    rt = sweeps.lr_range_test(bowl, "sgd", start=[1.5, -1.0], start_lr=1e-4, end_lr=10.0, num_it=100)
    for fig in (effective_lr_figure(run, "Adam"), range_test_figure(rt, 0.5)):
        assert_readable_log_axes(fig)
