"""Every page on a phone (390 x 844, touch), and the pages a class watches on projectors (1280 x 720,
1920 x 1080), screenshots in test-artifacts/screens/ (a phone's of the whole page): no page is wider than the
screen, no chart's toolbar
covers its legend; on the phone, wherever there is a learning-rate control and an outcome (the Playground,
the lessons), both are on screen together once the user has scrolled the control to the top of the screen,
and every slider takes a finger's touch (44 x 44 px).  On a projector, a tool's map and its legend are on screen
whole without scrolling, below the page's title and controls."""

import pytest

from benchmarks.harness import ARTIFACTS
from tests.e2e.a11y import PAGES, settle, watch_runs

pytestmark = pytest.mark.e2e

SCREENS = {"phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
           "projector-720": dict(viewport={"width": 1280, "height": 720}),
           "projector-1080": dict(viewport={"width": 1920, "height": 1080})}
# on a projector: the Presenter, the Playground, the busiest lesson and two tools (the wide pages' layout is
# the same for every lesson and tool; the phone visits them all)
PROJECTED = ["present", "playground", "lesson-4", "stability-map", "basins", "race"]
MAPS = {"stability-map": ".st-key-sm_chart .js-plotly-plot", "basins": ".st-key-bm_chart .js-plotly-plot"}
FINGER = 44  # px: the smallest touch target WCAG 2.5.5 and Apple's and Google's guidelines ask for
LR = '.lr-scrub-track, [data-testid="stSlider"] [role=slider][aria-label^="Learning rate"]'
OUTCOME = ".st-key-outcome"

# [chart, toolbar box, legend item box] for each chart whose toolbar overlaps an entry of its legend
TOOLBAR_ON_LEGEND = """() => {
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const found = [];
  for (const chart of document.querySelectorAll('.live-chart')) {
    const bar = chart.querySelector('.modebar');
    if (!bar || Number(getComputedStyle(bar.firstElementChild || bar).opacity) === 0) continue;
    const box = bar.getBoundingClientRect();
    for (const item of chart.querySelectorAll('.legend .traces')) {
      if (meet(box, item.getBoundingClientRect())) found.push(chart.closest('[class*="st-key-"]').className);
    }
  }
  return found;
}"""

# The sliders whose touch target is smaller than FINGER px: the page's own slider (its track takes the touch)
# by its box, Streamlit's by what a touch FINGER/2 px from the thumb's centre lands on.
SMALL_TARGETS = """(finger) => {
  const small = [];
  for (const track of document.querySelectorAll('.lr-scrub-track')) {
    const box = track.getBoundingClientRect();
    if (box.height < finger) small.push(`${track.getAttribute('aria-label')}: ${Math.round(box.height)} px`);
  }
  for (const thumb of document.querySelectorAll('[data-testid="stSlider"] [role=slider]')) {
    thumb.scrollIntoView({block: 'center'});
    const box = thumb.getBoundingClientRect(), x = box.x + box.width / 2, y = box.y + box.height / 2;
    const r = finger / 2 - 1;
    const hits = [[x - r, y], [x + r, y], [x, y - r], [x, y + r]]
      .map(([px, py]) => thumb.contains(document.elementFromPoint(px, py)));
    if (!hits.every(Boolean)) small.push(`${thumb.getAttribute('aria-label')}: thumb ${Math.round(box.width)} px`);
  }
  return small;
}"""


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    context = browser.new_context(**SCREENS[request.param])
    page = context.new_page()
    page.set_default_timeout(30_000)
    watch_runs(page)
    yield request.param, page
    context.close()


def _inside(box: dict, height: float) -> bool:
    return box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height + 1  # 1 px: rounding


def _lr_and_outcome_together(page) -> str:
    """"" when scrolling the page's lr control to the top of the screen shows its outcome too, else why not."""
    control, outcome = page.locator(LR).first, page.locator(OUTCOME).first
    control.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    height = page.viewport_size["height"]
    boxes = control.bounding_box(), outcome.bounding_box()
    if _inside(boxes[0], height) and _inside(boxes[1], height):
        return ""
    return f"lr control at {boxes[0]}, outcome at {boxes[1]}: not both within {height} px"


def _whole_page(page, path: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, so the window is made as tall
    as that area for the shot."""
    size = dict(page.viewport_size)
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": tall})
    settle(page)
    page.screenshot(path=path)
    page.set_viewport_size(size)


def test_every_page_fits_the_screen(screen, server_url):
    name, page = screen
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for path in PAGES if name == "phone" else PROJECTED:
        page.goto(f"{server_url}/{path}")
        settle(page)
        where = f"/{path} ({name})"
        width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, "
                              "document.querySelector('[data-testid=stMain]').scrollWidth)")
        if width > page.viewport_size["width"] + 1:
            problems.append(f"{where}: {width} px wide")
        problems += [f"{where}: the toolbar covers the legend of {chart}" for chart in page.evaluate(TOOLBAR_ON_LEGEND)]
        if name == "phone":
            problems += [f"{where}: {target} < {FINGER} px" for target in page.evaluate(SMALL_TARGETS, FINGER)]
            if page.locator(LR).count() and page.locator(OUTCOME).count():
                if why := _lr_and_outcome_together(page):
                    problems.append(f"{where}: {why}")
            _whole_page(page, str(folder / f"{name}-{path or 'home'}.png"))
        else:
            if path in MAPS and (why := _map_on_screen(page, MAPS[path])):
                problems.append(f"{where}: {why}")
            page.screenshot(path=str(folder / f"{name}-{path or 'home'}.png"))
    assert not problems, "\n".join(problems)


def _map_on_screen(page, chart: str) -> str:
    """"" when the map ``chart`` (its plot and its legend) is inside the window as the page opens, else why not."""
    height = page.viewport_size["height"]
    parts = {"map": page.locator(chart).first, "legend": page.locator(f"{chart} .legend").first}
    boxes = {part: locator.bounding_box() for part, locator in parts.items()}
    outside = [f"{part} at {box}" for part, box in boxes.items() if not _inside(box, height)]
    return f"{', '.join(outside)}: not within {height} px" if outside else ""
