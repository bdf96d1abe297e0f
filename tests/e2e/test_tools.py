"""The Tools in a real browser at a projector's size: the stability map and the basin map draw (screenshots
at 1920 × 1080 in test-artifacts/), and a click on a stability map cell
opens the Playground with that cell's lr and β.  Hostile links to every tool (over the work budget, lrs beyond
the range, overflowing typed surfaces, refused values) each draw a page, and the server's log stays free of
tracebacks and RuntimeWarnings."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from benchmarks.harness import ARTIFACTS
from tests.e2e.server_log import faults
from tests.hostile_queries import EXPRESSIONS, LOOK_ALIKES, NUMBER_TEXTS

pytestmark = pytest.mark.e2e

CHART = ".st-key-sm_chart .js-plotly-plot"


def _projector(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def _save(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_stability_map_click_opens_the_playground_with_that_lr_and_beta(browser, server_url):
    context, page = _projector(browser)
    try:
        page.goto(f"{server_url}/stability-map")
        page.wait_for_selector(f"{CHART} .heatmaplayer image, {CHART} .hm")
        page.wait_for_timeout(500)
        _save(page, "tool-stability")
        box = page.locator(f"{CHART} .nsewdrag").first.bounding_box()
        # a cell a third of the way across and two thirds of the way up: lr and β the map's own grid values
        page.mouse.click(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
        page.wait_for_url("**/playground?**")
        query = parse_qs(urlsplit(page.url).query)
        lr, beta = query["lr"][0], query["momentum"][0]
        assert 0 < float(lr) < 10 and 0.5 < float(beta) < 0.8
        slider = page.locator(".st-key-pg_lrs0 [role=slider]")  # the Playground's live lr slider
        slider.wait_for()
        assert float(slider.get_attribute("aria-valuenow")) == pytest.approx(float(lr))
        page.get_by_text("SGD settings").click()
        momentum = page.locator("[class*=st-key-pg_h0][class*=momentum] input")
        assert float(momentum.input_value()) == pytest.approx(float(beta))
    finally:
        context.close()


def test_basin_map_draws_two_maps(browser, server_url):
    context, page = _projector(browser)
    try:
        page.goto(f"{server_url}/basins")
        chart = ".st-key-bm_chart .js-plotly-plot"
        page.wait_for_selector(f"{chart} .hm, {chart} .heatmaplayer image")
        page.wait_for_timeout(500)
        assert page.locator("text=lr 0.015").count() >= 1
        _save(page, "tool-basins")
    finally:
        context.close()


LONG = "sin(x)*cos(y)+exp(-x**2)*log(1+y**2)+tanh(x*y)+atan(x-y)+sqrt(1+x**2+y**2)+cosh(x/5)"
HOSTILE = [  # (path, query, text the page must show)
    ("stability-map", {"steps": "2000", "lr": "1e6", "momentum": "nan", "axis": "sideways"}, "point-steps"),
    ("stability-map", {"surface": "rosenbrock", "steps": "2000", "lr": "1e-12", "x0": "1e6", "optimizer": "ｓｇｄ"},
     "point-steps"),
    ("basins", {"surface": "rastrigin", "steps": "2000", "lr": "1e6", "lr_b": "1e400"}, "point-steps"),
    ("lr-finder", {"surface": "custom", "f": "exp(exp(exp(x)))", "num_it": "1000", "start_lr": "1e-10",
                   "end_lr": "1000"}, "LR finder"),
    ("race", {"surface": "custom", "f": LONG, "steps": "2000", "per_decade": "20", "lr_min": "1e-05", "x0": "1",
              "y0": "1"}, "point-steps"),
    ("playground", {"optimizer": "sgd,momentum,adam,rmsprop", "lr": "1e6", "lr_2": "1e-12", "lr_3": NUMBER_TEXTS[0],
                    "steps": "2000", "surface": "custom", "f": EXPRESSIONS[2]}, "above the largest lr"),
    ("race", {"surface": "custom", "f": "x**10 * y**10 * 1000000", "x0": "15", "y0": "15", "steps": "2000",
              "lr_max": LOOK_ALIKES[5]}, "Fair race"),
]


def test_hostile_tool_links_draw_a_page_and_leave_the_server_log_clean(page, server_url, server_log):
    for path, query, shown in HOSTILE:
        page.goto(f"{server_url}/{path}?{urlencode(query)}")
        page.wait_for_selector('[data-testid="stMain"] h1')
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')",
                               timeout=60_000)
        page.get_by_text(shown).first.wait_for()
        assert page.locator('[data-testid="stException"]').count() == 0, path
    assert faults(server_log.read_text(errors="replace")) == []
