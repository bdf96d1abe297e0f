"""A chart's text alternative (lab.figure_text.describe) says what the figure draws: the page's facts first,
the axes, each legend entry with where its line ends, the words written on the plot."""

import numpy as np

from lab.config import parse_query
from lab.figure_text import MAX_CHARS, describe
from lab.figures_charts import stability_figure
from lab.runs import label, map_chart, runs_of


def _config(lr: str):
    parsed = parse_query({"surface": "bowl", "optimizer": "sgd", "lr": lr, "x0": "1.5", "y0": "-1"})
    return parsed[0] if isinstance(parsed, tuple) else parsed


def test_a_map_says_where_its_path_ends_after_the_pages_facts():
    config = _config("0.1")
    run = runs_of(config)[0]
    end = run.points[run.last_step(0), 0]
    text = describe(map_chart(config), "SGD: converged")
    assert text.startswith("SGD: converged. ")
    assert f"{label(config, 0)} ends at ({end[0]:.3g}, {end[1]:.3g})" in text
    assert "start at (1.5, -1)" in text


def test_words_on_the_plot_and_axes_are_read_and_long_text_is_cut():
    strip = describe(stability_figure(0.5, 1.0, [0.1], ["SGD"]))
    assert "SGD at (0.1, 0.5)" in strip and "blows up" in strip and "2/L = 1" in strip
    fig = {"data": [{"type": "scatter", "name": f"racer {k}", "x": [0, 1], "y": [1, np.nan]} for k in range(99)],
           "layout": {"title": {"text": "<b>Loss</b>"}, "xaxis": {"title": {"text": "step"}}}}
    text = describe(fig)
    assert text.startswith("Loss (x: step). racer 0 at (0, 1); racer 1")  # NaN: the last finite point
    assert len(text) <= MAX_CHARS and text.endswith("…")
