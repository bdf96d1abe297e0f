"""Nothing in the app calls out to another host: Chromium opens every page (the list the server's navigation
sends) and every request it makes, page loads, scripts, styles, fonts, images, component files, websockets,
goes to the app's own server, so the app works on a school network with no internet."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from benchmarks.classroom_protocol import PLAYGROUND, Tab, connect

pytestmark = pytest.mark.e2e

LOCAL_SCHEMES = {"data", "blob", "about"}  # made inside the page: no network
SETTLED = """() => { const app = document.querySelector('[data-testid=stApp]');
  return app && app.dataset.testScriptState === 'notRunning'
      && document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length > 0; }"""


def page_paths(url: str) -> list[str]:
    """Every page's URL path, from the navigation the server sends a new session."""
    async def read() -> list[str]:
        async with await connect(url, "offline-test") as ws:
            tab = Tab(ws, "")
            await tab.open(60, PLAYGROUND)
            return [page.url_path for page in tab.pages]
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's event loop
        return thread.submit(lambda: asyncio.run(read())).result()


def test_every_page_loads_only_from_the_apps_own_server(page, server_url):
    paths = page_paths(server_url)
    assert len(paths) >= 20 and "" in paths and "playground" in paths  # Home, the Playground, lessons, tools
    own = urlsplit(server_url).netloc
    elsewhere: list[tuple[str, str]] = []
    requests = {"seen": 0, "page": ""}

    def note(url: str) -> None:
        requests["seen"] += 1
        parts = urlsplit(url)
        if parts.scheme not in LOCAL_SCHEMES and parts.netloc != own:
            elsewhere.append((requests["page"], url))

    page.on("request", lambda request: note(request.url))
    page.on("websocket", lambda ws: note(ws.url))
    for path in paths:
        requests["page"] = f"/{path}"
        page.goto(f"{server_url}/{path}")
        page.wait_for_function(SETTLED)
        page.wait_for_load_state("networkidle")  # what loads late (components' modules, fonts) has loaded
    assert requests["seen"] > len(paths) * 3  # the listener saw the pages' requests
    assert elsewhere == [], f"requests to other hosts: {elsewhere[:10]}"
