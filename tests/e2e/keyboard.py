"""Walking a page with the Tab key: which of the app's controls get the focus, and whether each shows it; and
typing a number into a number input from the keyboard."""

from tests.e2e.a11y import settle

# The app's controls (main area and sidebar; Streamlit's own navigation and header aside), each tagged with
# data-kb (its index) and its unfocused look kept; a focus listener then notes, for each control the focus
# reaches, whether it shows it: it looks different (an outline, a shadow or a border on it, its four nearest
# ancestors or its first eight descendants, such as a slider's thumb; a faintly tinted background alone does
# not count) and is not faded out (a chart's modebar away from the mouse).  Returns [controls, Tab stops in
# the whole document].
TAG_CONTROLS = """() => {
  const query = 'button, a[href], input, select, textarea, summary, [role=slider], [role=radio], [role=checkbox], '
    + '[role=combobox], [role=switch], [role=button], [tabindex]:not([tabindex="-1"])';
  const skip = '[data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stSidebarHeader"], '
    + '[data-testid="stSidebarCollapseButton"], [data-testid="stToolbar"]';
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
    }
    return true;
  };
  const stops = [...document.querySelectorAll(query)].filter((el) => !el.disabled && el.tabIndex >= 0 && shown(el));
  const controls = stops.filter((el) =>
    el.closest('[data-testid="stMain"], [data-testid="stSidebar"]') && !el.closest(skip)
    && !el.matches('[data-testid="stMain"]')  // Streamlit's scrolling main area: focusable, not a control
    && el.getAttribute('aria-disabled') !== 'true'
    && !(el.type === 'radio' && !el.checked && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)));
  // a radio group is one stop for Tab (the arrow keys move inside it): its checked radio, or its first
  const kept = controls.filter((el, k) => !(el.type === 'radio' && controls.slice(0, k).some(
    (other) => other.type === 'radio' && other.name === el.name)));
  kept.forEach((el, k) => el.setAttribute('data-kb', String(k)));
  const finish = () => {  // every running transition (a focus ring fading in) jumps to its end
    for (const a of document.getAnimations()) { try { a.finish(); } catch (e) { /* an endless one */ } }
  };
  const look = (el) => [...[0, 1, 2, 3, 4].map((up) => { let e = el; for (let k = 0; k < up && e; k++)
    e = e.parentElement; return e; }).filter(Boolean), ...[...el.querySelectorAll('*')].slice(0, 8)]
    .map((e) => { const s = getComputedStyle(e);
      return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor].join(' '); })
    .join('|');
  finish();
  const looks = kept.map(look);
  window.__kbSeen = {};
  if (!window.__kbNoted) document.addEventListener('focusin', () => {
    const el = document.activeElement, tag = el && el.getAttribute('data-kb');
    if (tag === null || tag === undefined || !window.__kbLooks) return;
    getComputedStyle(el).outlineStyle;  // starts the transitions the focus causes, then ends them
    finish();
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const ring = opacity > 0.5 && look(el) !== window.__kbLooks[Number(tag)];
    window.__kbSeen[tag] = (window.__kbSeen[tag] ?? false) || ring;
  });
  window.__kbNoted = true;
  window.__kbLooks = looks;
  return [kept.length, stops.length];
}"""

SEEN = "() => window.__kbSeen"
NAMES = """() => [...document.querySelectorAll('[data-kb]')].map((el) =>
  (el.getAttribute('aria-label') || el.innerText || el.tagName).trim().slice(0, 60))"""


OPEN_EXPANDERS = """() => [...document.querySelectorAll(
  '[data-testid="stMain"] details:not([open]) > summary, [data-testid="stSidebar"] details:not([open]) > summary')]
  .map((summary, k) => { summary.setAttribute('data-kb-closed', String(k)); return k; })"""


def open_expanders(page) -> int:
    """Open every closed expander with the keyboard (focus its summary, press Enter); returns how many."""
    closed = page.evaluate(OPEN_EXPANDERS)
    for k in closed:
        summary = page.locator(f'[data-kb-closed="{k}"]')
        summary.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("(k) => document.querySelector(`[data-kb-closed=\"${k}\"]`).parentElement.open", arg=k)
    return len(closed)


def tab_through(page) -> dict:
    """Press Tab from the top of the page until every control has had the focus (at most three rounds of the
    page's Tab stops); returns the controls
    (index -> name), the ones the focus never reached and the ones that showed no focus indicator when it did."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    count, stops = page.evaluate(TAG_CONTROLS)
    for presses in range(1, 3 * stops + 20):  # one round is enough unless a rerun sends the focus back to the top
        page.keyboard.press("Tab")
        if presses % 10 == 0 and page.evaluate("() => Object.keys(window.__kbSeen).length") == count:
            break
    seen = {int(k): ring for k, ring in page.evaluate(SEEN).items()}
    for k in [k for k, ring in seen.items() if not ring]:  # once more on a settled page, arriving by Shift+Tab,
        settle(page)  # Tab: a rerun that was remounting the components (and their stylesheet) may have hidden it
        page.locator(f'[data-kb="{k}"]').focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    seen = {int(k): ring for k, ring in page.evaluate(SEEN).items()}
    names = dict(enumerate(page.evaluate(NAMES)))
    assert len(names) == count
    return {"names": names, "missed": sorted(set(names) - set(seen)),
            "ringless": sorted(k for k, ring in seen.items() if not ring)}


def type_number(page, name: str, text: str) -> None:
    """Focus the number input named ``name``, replace its value by ``text`` and confirm it with Enter (the way a
    keyboard user does; the page reruns)."""
    page.get_by_role("spinbutton", name=name).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
