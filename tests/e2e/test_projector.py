"""The presenter on a projector, in a real browser at 1280 x 720 and 1920 x 1080: the map (with its Play
button) fits the window and takes most of its width, paths are thick and opaque, text is large, Q shows and
hides the QR code as an overlay, and the arrow keys still step through the scenes."""

import pytest

from benchmarks.harness import ARTIFACTS
from lab.projector import PATH_WIDTH

pytestmark = pytest.mark.e2e

MAP = ".st-key-present-map"
QR = ".st-key-present-qr svg.segno"
SCENE = "/present?lesson=4&scene=2"  # three racers: SGD, momentum, Nesterov

# What the page shows, measured in the browser: boxes, the Plotly figure's own data, computed font sizes.
MEASURE = """(sel) => {
  const box = (el) => el.getBoundingClientRect().toJSON();
  const graph = document.querySelector(sel + ' .js-plotly-plot');
  const px = (query) => {
    const el = document.querySelector(query);
    return el ? parseFloat(getComputedStyle(el).fontSize) : 0;
  };
  return {map: box(document.querySelector(sel)), plot: box(document.querySelector(sel + ' .nsewdrag')),
          paths: graph.data.filter((t) => t.mode === 'lines').map((t) => [t.line.width, t.opacity ?? 1]),
          figureFont: graph._fullLayout.font.size, legendFont: graph._fullLayout.legend.font.size,
          line: px('.st-key-present-line p'), heading: px('.st-key-present-bar p'),
          outcome: px('.st-key-present-outcome p'), width: innerWidth, height: innerHeight};
}"""


def _inside(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def _open(page, url: str, width: int, height: int) -> dict:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    page.wait_for_selector(f"{MAP} .main-svg")
    page.wait_for_function("(sel) => document.querySelector(sel).getBoundingClientRect().height > 0",
                           arg=f"{MAP} .nsewdrag")
    return page.evaluate(MEASURE, MAP)


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_map_fills_a_projector_screen(page, server_url, shot, width, height):
    seen = _open(page, server_url + SCENE, width, height)
    assert _inside(seen["map"], width, height) and _inside(seen["plot"], width, height), seen
    assert seen["map"]["width"] >= 0.6 * width
    assert seen["plot"]["height"] >= 0.55 * height  # the square map takes most of the window's height
    play = page.locator(MAP).get_by_role("button", name="Play", exact=True)
    assert _inside(play.bounding_box(), width, height)
    assert len(seen["paths"]) == 3 and all(w >= PATH_WIDTH >= 4 and o == 1 for w, o in seen["paths"])
    assert min(seen["figureFont"], seen["legendFont"]) >= 24
    if height >= 1080:
        assert min(seen["line"], seen["heading"], seen["outcome"]) >= 24, seen
    shot(f"present-{height}")


def test_q_shows_the_qr_code_over_the_page_and_q_or_escape_hides_it(page, server_url, shot):
    _open(page, server_url + SCENE, 1280, 720)
    qr = page.locator(QR)
    assert not qr.is_visible()  # no room taken until asked for
    page.keyboard.press("q")
    qr.wait_for(state="visible")
    assert _inside(qr.bounding_box(), 1280, 720)
    shot("present-qr")
    page.keyboard.press("q")
    qr.wait_for(state="hidden")
    toggle = page.get_by_role("button", name="QR code")
    toggle.click()
    qr.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    qr.wait_for(state="hidden")
    assert toggle.get_attribute("aria-expanded") == "false"


def test_the_arrow_keys_still_step_through_the_scenes(page, server_url):
    _open(page, server_url + SCENE, 1920, 1080)
    page.locator(".st-key-present-line").click()  # the page has the focus, not a field
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('scene=3')")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('scene=2')")


def test_the_presenter_opens_a_tool_in_projector_mode_and_back(page, server_url):
    """From a scene, the Presenter's "Stability map" button opens the map on the scene's setup, readable on a
    projector (no sidebar, large text and figure fonts), with a way back to the same scene."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server_url}/present?lesson=2&scene=1")
    page.wait_for_selector(f"{MAP} .main-svg")
    page.get_by_role("button", name="Stability map").click()
    page.wait_for_selector(".st-key-sm_chart .main-svg")
    page.wait_for_url("**/stability-map?*surface=bowl*")
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tool-projector.png"))  # the window: what the projector shows
    shown = page.evaluate("""() => ({
      sidebar: !!document.querySelector("[data-testid='stSidebar']")?.offsetParent,
      text: parseFloat(getComputedStyle(document.querySelector("[data-testid='stMainBlockContainer'] p")).fontSize),
      figure: document.querySelector('.st-key-sm_chart .js-plotly-plot')._fullLayout.font.size})""")
    assert not shown["sidebar"] and shown["text"] >= 18 and shown["figure"] >= 20
    page.get_by_role("link", name="Back to the Presenter").click()
    page.wait_for_selector(f"{MAP} .main-svg")
    assert "lesson=2" in page.url and "scene=1" in page.url
