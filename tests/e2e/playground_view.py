"""What a student sees on the Playground, read from the page, to compare a view before and after its server
went away (tests/e2e/test_restart.py, test_replicas.py): the address, the slider's lr, the outcome words and
the map's path of racer 1."""

from __future__ import annotations

MAP, OUTCOME, SLIDER = ".st-key-pg_map", ".st-key-outcome", ".st-key-pg_lrs0 [role=slider]"
SETTLED = """() => { const app = document.querySelector('[data-testid=stApp]');
  return app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
      && !!document.querySelector('.st-key-pg_map .live-chart .main-svg')
      && !!document.querySelector('.st-key-outcome') && !!document.querySelector('.st-key-pg_lrs0 [role=slider]'); }"""
VIEW = """() => { const g = document.querySelector('.st-key-pg_map .live-chart');
  const t = g._fullData[1];
  return {search: location.search, lr: document.querySelector('.st-key-pg_lrs0 [role=slider]')
            .getAttribute('aria-valuenow'),
          outcome: document.querySelector('.st-key-outcome').innerText,
          x: Array.from(t.x), y: Array.from(t.y)}; }"""


def open_playground(page, url: str):
    """Go to ``url`` and wait until the page has run, the map is drawn and the websocket is up; the response."""
    response = page.goto(url)
    page.wait_for_function(SETTLED)
    return response


def view(page) -> dict:
    return page.evaluate(VIEW)


def move_slider(page, steps: int = 1) -> dict:
    """Press ArrowRight ``steps`` times on the lr slider; wait until the server's run for the new lr is drawn
    (the address has it and the map's newest figure came after the press); the view then."""
    page.evaluate(f"() => {{ document.querySelector('{MAP} .live-chart').latest.marked = true; }}")
    page.focus(SLIDER)
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    page.locator(SLIDER).blur()  # keys commit after a quiet moment or when the focus leaves: now
    lr = page.locator(SLIDER).get_attribute("aria-valuenow")
    page.wait_for_function("(lr) => new URLSearchParams(location.search).get('lr') === lr", arg=lr)
    page.wait_for_function(f"() => !document.querySelector('{MAP} .live-chart').latest.marked")
    page.wait_for_function(SETTLED)
    return view(page)
