"""The Playground in a real browser: links reproduce runs, the keyboard moves the lr slider, a click picks
the start, Play animates, and a malformed link shows the notice.  Screenshots land in test-artifacts/."""

import pytest

from lab.share_address import lan_address  # the real look-up (tests/conftest.py pins the module's for AppTest)
from tests.e2e.playground_view import SETTLED, move_slider, open_playground

pytestmark = pytest.mark.e2e

OUTCOME = ".st-key-outcome"
MAP = ".st-key-pg_map"


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"{MAP} .main-svg")
    page.wait_for_selector(OUTCOME)


def _wait_outcome(page, word: str) -> str:
    page.wait_for_function(
        "([sel, word]) => (document.querySelector(sel)?.innerText || '').includes(word)", arg=[OUTCOME, word])
    return page.inner_text(OUTCOME)


def _paths(page) -> str:
    return page.inner_html(f"{MAP} .scatterlayer")


def test_link_diverges_then_converges(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=3&x0=1.5&y0=-1")
    assert "diverged" in _wait_outcome(page, "diverged")
    assert page.locator("text=left the view at step").count() >= 1
    shot("playground-diverged")
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
    assert "converged" in _wait_outcome(page, "converged")
    shot("playground-converged")


def test_keyboard_moves_the_slider_and_the_chart_changes(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
    _wait_outcome(page, "converged")
    before = page.inner_html(f"{MAP} .main-svg")
    # the map is updated in place (Plotly.react), not drawn anew: a mark set on its graph survives the moves
    page.evaluate(f"() => {{ document.querySelector('{MAP} .js-plotly-plot').keptAcrossMoves = true; }}")
    history = page.evaluate("() => history.length")
    thumb = page.locator(".st-key-pg_lrs0 [role=slider]")
    thumb.focus()
    for _ in range(7):  # 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5: on the bowl (L = 2) 0.5 = 1/L, one step
        page.keyboard.press("ArrowRight")
    # the keys commit once, when they have been still for a moment: wait for that run (the address bar is
    # written first in its rerun), then read it
    page.wait_for_function("() => location.search.includes('lr=0.5')")  # the address bar follows the run
    assert "converged in 1 step" in _wait_outcome(page, "lr 0.5")
    page.wait_for_function("([sel, old]) => document.querySelector(sel).innerHTML !== old",
                           arg=[f"{MAP} .main-svg", before])  # (both paths are one straight line on the bowl)
    assert page.evaluate(f"() => document.querySelector('{MAP} .js-plotly-plot').keptAcrossMoves") is True
    assert page.evaluate("() => history.length") == history + 1  # one commit, one Back stop (not 7 lr steps)
    shot("playground-keyboard")
    page.go_back()  # Back returns to the lr before the commit, the view with it
    assert "lr 0.1:" in _wait_outcome(page, "lr 0.1:") and "lr=0.1&" in page.evaluate("() => location.search")


def test_a_moved_lr_survives_a_change_in_the_sidebar(page, server_url):
    """The fragment's commit writes the address through Streamlit, so the full rerun a sidebar control causes
    starts from the moved lr (it once came back at the link's: the frontend sent the query it had opened)."""
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
    page.locator(".st-key-pg_lrs0 [role=slider]").focus()
    page.keyboard.press("ArrowRight")
    page.locator(".st-key-pg_lrs0 [role=slider]").blur()
    _wait_outcome(page, "lr 0.12")
    steps = page.get_by_role("spinbutton", name="Steps")
    steps.fill("150")
    steps.press("Enter")
    page.wait_for_function("() => location.search.includes('steps=150')")
    assert "lr 0.12: converged" in _wait_outcome(page, "lr 0.12")
    assert "lr=0.12&" in page.evaluate("() => location.search")


def test_the_chosen_racer_stays_chosen_when_an_lr_is_committed(page, server_url):
    """The Racer radio names each racer without its lr: a name with the lr changed at each commit, and the radio
    was left with no racer checked."""
    checked = "() => Array.from(document.querySelectorAll('.st-key-pg_racer input[type=radio]')).map(r => r.checked)"
    open_playground(page, f"{server_url}/playground?surface=rosenbrock&optimizer=sgd,momentum&lr=0.0005&lr_2=0.0005")
    page.wait_for_function(f"() => ({checked})().length === 2")  # drawn after the map (a loaded machine: later)
    assert page.evaluate(checked) == [True, False]
    move_slider(page)
    assert page.evaluate(checked) == [True, False]
    page.get_by_role("radio", name="Momentum").check(force=True)  # the input hides behind its label
    page.wait_for_function(f"() => ({checked})()[1]")
    page.wait_for_function(SETTLED)
    move_slider(page)
    assert page.evaluate(checked) == [False, True]


def test_click_on_the_map_moves_the_start(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1")
    x0 = page.locator(".st-key-pg_x0 input")
    assert x0.input_value() == "1.5"
    box = page.locator(f"{MAP} .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)  # upper left: x < 0 < y
    page.wait_for_function("() => document.querySelector('.st-key-pg_x0 input').value !== '1.5'")
    x, y = float(x0.input_value()), float(page.locator(".st-key-pg_y0 input").input_value())
    assert x < 0 < y
    page.wait_for_function("(x) => location.search.includes('x0=' + x)", arg=x0.input_value())
    shot("playground-click")


def test_share_dialog_gives_this_runs_link(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=bowl&optimizer=adam&lr=0.05&x0=1.5&y0=-1")
    assert page.locator('[role="dialog"]').count() == 0
    page.get_by_role("button", name="Share and export").click()
    dialog = page.locator('[role="dialog"]')
    dialog.locator("code").first.wait_for()
    lan = lan_address()  # the server runs on this machine: students reach it on its LAN address, when it has one
    on_screen = page.url.replace("//127.0.0.1:", f"//{lan}:", 1) if lan else page.url
    assert dialog.locator("code").first.inner_text().strip() == on_screen  # the address of the run on screen
    assert dialog.locator("svg path").count() >= 1  # its QR code
    assert dialog.get_by_text("Trajectories (CSV)").count() == 1
    shot("playground-share")


def test_the_map_loads_the_code_highlighter_before_the_share_dialog_is_opened(page, server_url):
    """The dialog's link (an st.code) would wait for Streamlit's 1.5 MB code highlighter on its first open."""
    from views.widgets.live_chart import CODE_HIGHLIGHTER

    _open(page, f"{server_url}/playground")
    page.wait_for_function("(name) => performance.getEntriesByType('resource').some((r) => r.name.endsWith(name))",
                           arg=CODE_HIGHLIGHTER)
    assert page.locator('[role="dialog"]').count() == 0 and page.locator("code").count() == 0


def test_play_grows_the_path(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.15&steps=200")
    before = _paths(page)
    page.locator(MAP).get_by_role("button", name="Play").click()
    page.wait_for_function("([sel, old]) => document.querySelector(sel).innerHTML !== old",
                           arg=[f"{MAP} .scatterlayer", before], timeout=5000)
    shot("playground-playing")


def test_malformed_link_shows_the_notice(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=%3Cscript%3Ealert(1)%3C/script%3E&lr=abc&steps=-1&bogus=%3Cb%3Ex")
    notice = page.locator('[data-testid="stAlertContentWarning"]')
    notice.wait_for()
    text = notice.inner_text()
    assert "could not be used" in text and "<script>" in text  # shown as text, not run or rendered
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(f"{OUTCOME} b, [data-testid=stAlertContentWarning] b").count() == 0
    shot("playground-bad-link")


def test_typed_log_link_shows_the_outcome_and_a_readable_map(page, server_url, shot):
    # log(x) is not defined at the typed default start (-2.1, 2.1), nor anywhere left of x = 0
    _open(page, f"{server_url}/playground?surface=custom&f=log(x)")
    assert "f is not defined at the start (-2.1, 2.1)" in _wait_outcome(page, "diverged at step 0")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(f"{MAP} .legendtext", has_text="f not defined (hatched)").count() == 1
    assert page.locator(".st-key-pg_x0 input").input_value() == "-2.1"
    shot("playground-typed-log")


PLAY_STATE = """(sel) => {
  const focused = document.activeElement;
  const slider = document.querySelector(sel + ' [role=slider], ' + sel + ' input[type=range]');
  return {inMap: !!focused.closest(sel), name: focused.getAttribute('aria-label') || focused.innerText.trim(),
          outline: getComputedStyle(focused).outlineStyle, width: parseFloat(getComputedStyle(focused).outlineWidth),
          step: slider ? Number(slider.getAttribute('aria-valuenow')) : null};
}"""


def test_the_keyboard_plays_pauses_and_steps_the_animation(page, server_url, shot):
    _open(page, f"{server_url}/playground?surface=quadratic&optimizer=sgd&lr=0.15&steps=200")
    page.locator(".st-key-pg_lrs0 [role=slider]").focus()
    for _ in range(40):  # Tab from the lr slider to the map's Play button
        page.keyboard.press("Tab")
        state = page.evaluate(PLAY_STATE, MAP)
        if state["inMap"] and state["name"].endswith("Play"):
            break
    else:
        raise AssertionError("Tab never reaches the map's Play button")
    assert state["outline"] != "none" and state["width"] >= 2  # a visible focus ring
    assert page.locator(MAP).get_by_role("button", name="Play", exact=True).count() == 1
    step = page.locator(MAP).get_by_role("slider", name="Step")
    assert step.get_attribute("aria-valuenow") == "0"
    shot("playground-play-focus")
    before = _paths(page)
    page.keyboard.press("Enter")  # plays: the frames advance and the heads move
    page.wait_for_function("(sel) => Number(document.querySelector(sel + ' input[type=range]')"
                           ".getAttribute('aria-valuenow')) > 2", arg=MAP, timeout=5000)
    assert _paths(page) != before
    assert page.locator(MAP).get_by_role("button", name="Pause", exact=True).count() == 1  # the same button
    page.keyboard.press("Space")  # pauses
    page.locator(MAP).get_by_role("button", name="Play", exact=True).wait_for()
    paused = int(step.get_attribute("aria-valuenow"))
    page.wait_for_timeout(400)
    assert int(step.get_attribute("aria-valuenow")) == paused  # stays where it was paused
    page.keyboard.press("Tab")  # on to the step slider: the arrow keys move one frame
    assert page.evaluate(PLAY_STATE, MAP)["width"] >= 2
    before = _paths(page)
    page.keyboard.press("ArrowRight")
    assert int(step.get_attribute("aria-valuenow")) == paused + 1
    page.wait_for_function("([sel, old]) => document.querySelector(sel).innerHTML !== old",
                           arg=[f"{MAP} .scatterlayer", before], timeout=5000)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert int(step.get_attribute("aria-valuenow")) == paused - 1
    assert "step" in (step.get_attribute("aria-valuetext") or "")
