"""A lesson's live learning-rate slider in a real browser: dragging the thumb redraws the lesson's own map (path
and legend entry), its loss chart and the outcome words many times with nothing sent to the server; on release
the address has the new lr and the server's figures are exactly what the drag showed; the next drag still
follows the thumb (its data was not sent again)."""

import pytest

from benchmarks.harness import ARTIFACTS
from lessons import LESSONS
from tests.e2e.live_slider import PATH, drag, open_page, watch_sent
from tests.e2e.test_live_lr import DRAWN

pytestmark = pytest.mark.e2e

LESSON = next(lesson for lesson in LESSONS if lesson.slug == "what-is-lr")  # a map and a loss chart
MAP, LOSS, OUTCOME = ".st-key-what-is-lr-map", ".st-key-what-is-lr-loss", ".st-key-outcome"
SLIDER = ".st-key-what-is-lr-lrs-0 [role=slider]"
CHARTS = ["what-is-lr-map", "what-is-lr-loss"]  # the element keys' classes
LOSS_LINE = """(sel) => { const g = document.querySelector(sel + ' .live-chart');
  return Array.from(g._fullData[0].y, (v) => Number.isFinite(v) ? Math.fround(v) : String(v)); }"""


def _mark(page, chart: str) -> None:
    page.evaluate(f"() => {{ document.querySelector('{chart} .live-chart').latest.marked = true; }}")


def test_dragging_a_lessons_lr_redraws_its_figures_without_the_server_and_release_keeps_them(page, server_url):
    sent = watch_sent(page)
    open_page(page, f"{server_url}/{LESSON.url_path}", MAP, SLIDER)
    page.wait_for_selector(f"{LOSS} .main-svg")
    page.locator(SLIDER).scroll_into_view_if_needed()
    loss_before, words_before = page.evaluate(LOSS_LINE, LOSS), page.inner_text(OUTCOME)
    before = len(sent)
    states = drag(page, SLIDER, MAP, 30, 0.15, 0.99,  # up to lr 1.2, past 2/L = 1: diverging
                   shot=str(ARTIFACTS / "lesson-scrub-mid-drag.png"))
    assert len(states) > 5  # the lesson's path followed the thumb
    assert len(sent) == before  # and nothing went to the server while the thumb moved
    page.wait_for_timeout(300)  # the charts the map's frames left behind catch up once the thumb rests
    mid_drag, loss = page.evaluate(PATH, MAP), page.evaluate(LOSS_LINE, LOSS)
    drawn = page.evaluate(DRAWN, CHARTS)
    words = page.inner_text(OUTCOME)
    lr = page.locator(SLIDER).get_attribute("aria-valuenow")
    assert mid_drag["scrubbed"] == lr and f"lr {float(lr):.3g}" in mid_drag["name"]
    assert loss != loss_before and words != words_before and f"lr {float(lr):.3g}" in words
    assert "diverged" in words
    for chart in (MAP, LOSS):
        _mark(page, chart)
    page.mouse.up()
    page.wait_for_function("(lr) => new URLSearchParams(location.search).get('lr') === lr", arg=lr)
    assert len(sent) > before  # the release sent the value
    for chart in (MAP, LOSS):
        page.wait_for_function(f"() => !document.querySelector('{chart} .live-chart').latest.marked")
    page.wait_for_timeout(300)
    after = page.evaluate(PATH, MAP)
    assert (after["x"], after["y"], after["name"]) == (mid_drag["x"], mid_drag["y"], mid_drag["name"])
    assert page.evaluate(LOSS_LINE, LOSS) == loss
    for chart, shown, released in zip(CHARTS, drawn, page.evaluate(DRAWN, CHARTS), strict=True):
        for part in ("data", "axes", "texts"):  # every trace, axis range and text on the charts
            assert released[part] == shown[part], (chart, part)
    assert page.inner_text(OUTCOME) == words  # the server's words are the ones the drag showed
    # the release's run sent the scrub data's id alone (only the lr changed): the slider drags on the table it holds
    before = len(sent)
    assert len(drag(page, SLIDER, MAP, 15, 0.8, 0.3)) > 5 and len(sent) == before
    page.mouse.up()
