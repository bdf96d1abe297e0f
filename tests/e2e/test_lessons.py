"""The lessons and the Claims lab in a real browser: every page of the navigation opens without an
exception and with the logo in its sidebar (screenshots in test-artifacts/), and lesson 2's "Open in Playground"
link reproduces its run."""

import base64

import pytest

from lessons import LESSONS
from views.widgets import LOGO

pytestmark = pytest.mark.e2e

OUTCOME = ".st-key-outcome"
PAGES = ["", "playground", *(lesson.url_path for lesson in LESSONS), "claims"]


def _settle(page) -> None:
    """Wait until the page has a title and the script has stopped running."""
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_every_page_opens_without_an_exception(page, server_url, shot, path):
    page.set_viewport_size({"width": 1400, "height": 3200})  # the whole page in the screenshot
    page.goto(f"{server_url}/{path}")
    _settle(page)
    if path.startswith("lesson-"):
        # the lesson's last element: once it is there the whole run has arrived (_settle can look before
        # the status widget appears)
        page.locator("a", has_text="Open in Playground").wait_for()
        assert page.locator(f"{OUTCOME}").count() == 1
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")
        assert page.locator("a", has_text="Open in Playground").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    logo = page.locator('[data-testid="stSidebar"] [data-testid="stSidebarLogo"]')
    assert logo.get_attribute("src") == f"data:image/svg+xml;base64,{base64.b64encode(LOGO.read_bytes()).decode()}"
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0") and logo.is_visible()  # drawn, not broken
    if not path:
        assert page.evaluate("() => document.querySelector('link[rel~=icon]').href").endswith(".png")  # the favicon
    shot(f"nav-{path or 'home'}")


def test_lesson2_link_reproduces_its_run_in_the_playground(page, server_url, shot):
    page.goto(f"{server_url}/lesson-2")
    _settle(page)
    assert "converged" not in page.inner_text(OUTCOME), "the outcome waits for the prediction"
    page.get_by_text("It overshoots, flips to the other side").click()  # predict first
    page.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('converged in')",
                           arg=OUTCOME)
    lesson_outcome = page.inner_text(OUTCOME).strip()
    assert "lr 0.75" in lesson_outcome and "converged in" in lesson_outcome
    href = page.locator("a", has_text="Open in Playground").get_attribute("href")
    assert href.startswith("playground?")
    page.goto(f"{server_url}/{href}")
    page.wait_for_selector(OUTCOME)
    page.wait_for_function("([sel, text]) => (document.querySelector(sel)?.innerText || '').includes(text)",
                           arg=[OUTCOME, lesson_outcome.split(": ", 1)[1]])
    assert lesson_outcome.split(": ", 1)[1] in page.inner_text(OUTCOME)
    assert "lr=0.75" in page.url and "surface=bowl" in page.url
    shot("lesson-2-in-playground")


def test_a_click_on_a_lessons_map_moves_its_start(page, server_url, shot):
    page.goto(f"{server_url}/lesson-1")
    _settle(page)
    caption = page.get_by_text("Click the map, or type start x and y, to start from there.")
    assert "Start: (1.8, 0)" in caption.inner_text()
    page.wait_for_selector(".js-plotly-plot .nsewdrag")
    box = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()  # the lesson's map comes first
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)  # upper left: x < 0 < y
    page.wait_for_function("() => !document.body.innerText.includes('Start: (1.8, 0)')")
    start = caption.inner_text().split("Start: (", 1)[1].rstrip(").").split(", ")
    assert float(start[0]) < 0 < float(start[1])
    shot("lesson-1-click")


def test_a_lessons_address_keeps_its_settings(page, server_url, shot):
    page.goto(f"{server_url}/lesson-2?lr=1.1")
    _settle(page)
    slider = page.get_by_role("slider", name="Learning rate α")  # the live lr slider (views.widgets.lr_scrubber)
    assert slider.get_attribute("aria-valuenow") == "1.1"
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') !== '1.1'")
    moved = page.evaluate("() => new URLSearchParams(location.search).get('lr')")
    assert float(moved) > 1.1
    page.reload()  # the address alone brings the same settings back
    _settle(page)
    assert page.get_by_role("slider", name="Learning rate α").get_attribute("aria-valuenow") == moved
    page.get_by_role("link", name="Next: 3. Narrow valleys").click()  # the next lesson: its own preset
    page.wait_for_url("**/lesson-3")
    shot("lesson-2-address")


def test_lesson2_shows_the_path_only_after_the_prediction(page, server_url, shot):
    """Predict first, then see: before the answer the map has its start and no path, no loss chart and no
    outcome; after it, all of them (screenshots lesson-2-before/after-prediction)."""
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{server_url}/lesson-2")
    _settle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")
    assert page.locator(".st-key-thresholds-map .js-plotly-plot .scatterlayer .trace .js-line").count() == 0
    assert page.locator(".st-key-thresholds-loss").count() == 0
    assert "converged" not in page.inner_text(OUTCOME)
    assert "Predict first:" in page.inner_text('[data-testid="stMain"]')
    shot("lesson-2-before-prediction")
    page.get_by_text("It overshoots, flips to the other side").click()
    page.wait_for_function("(sel) => (document.querySelector(sel)?.innerText || '').includes('converged in')",
                           arg=OUTCOME)
    page.locator(".st-key-thresholds-loss .js-plotly-plot").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-thresholds-map .js-plotly-plot .scatterlayer .js-line').length > 0")
    assert "Predict first:" not in page.inner_text('[data-testid="stMain"]')
    shot("lesson-2-after-prediction")
