"""axe-core (npm, injected by Playwright) on every page of the app: no serious or critical violation in what the
app draws and no heading that skips a level (tests/e2e/a11y.py says what of Streamlit's own navigation is
waived and why).  Beside axe, which does not look into SVG: every chart's text outside its plot meets WCAG's
contrast (4.5:1, 3:1 for large text), and every chart's drawing is an image named by a text alternative that
carries the run's outcome where the page shows one.  One page visits every address in turn (the browser's
cache keeps Plotly between them)."""

import pytest

from tests.e2e.a11y import CHART_TEXT_CONTRAST, PAGES, RUN_AXE, axe_script, settle, watch_runs

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}
# axe calls a skipped heading level (h1 then h3) "moderate"; it is checked on every page all the same, since a
# screen reader's list of headings is how its user sees the page's outline
ALWAYS = {"heading-order"}
OUTCOME = ".st-key-outcome, .st-key-present-outcome"
DRAWING = ".live-chart svg.main-svg[role=img]"


def _problems(page) -> list[str]:
    """What is wrong with the page on screen, in words (empty: nothing)."""
    found = [f"exception: {text[:300]}" for text in page.locator('[data-testid="stException"]').all_inner_texts()]
    found += [f"{v['id']} ({v['impact']}): {v['help']}: {n['target']}: {n['summary']}"
              for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS or v["id"] in ALWAYS for n in v["nodes"]]
    found += [f"chart text {ratio}:1 < {needed}:1: {text!r}"
              for ratio, needed, text in page.evaluate(CHART_TEXT_CONTRAST)["short"]]
    charts, labels = page.evaluate(  # one look at the page: it cannot change between the two counts
        "(sel) => [document.querySelectorAll('.live-chart').length, "
        "[...document.querySelectorAll(sel)].map((svg) => svg.getAttribute('aria-label') || '')]", DRAWING)
    if len(labels) != charts:
        found.append(f"{charts} charts but {len(labels)} named drawings")
    found += [f"chart named only {label!r}" for label in labels if len(label) < 20]
    outcome = page.locator(OUTCOME)
    if labels and outcome.count() and "prediction" not in outcome.inner_text():  # a lesson's waits for a guess
        first_line = outcome.inner_text().strip().splitlines()[0]
        if not any(first_line in label for label in labels):
            found.append(f"no chart's text alternative has the outcome {first_line!r}: {labels}")
    return found


def test_every_page_has_no_serious_violation_and_charts_have_words(page, server_url):
    axe = axe_script()
    problems = {}
    watch_runs(page)
    for path in PAGES:
        page.goto(f"{server_url}/{path}")
        settle(page)
        page.add_script_tag(content=axe)
        if found := _problems(page):
            problems[path or "home"] = found
    assert not problems, "\n".join(f"/{path}: {line}" for path, lines in problems.items() for line in lines)
