"""Server restart mid-lesson: a student moved the lr slider, the server stops and starts again on the same port;
the page reconnects by itself and shows exactly the same view (lr, outcome words, the path drawn), and so does
reloading its address.  (Streamlit's frontend sends the query it last heard of from the server when it
reconnects: a view whose address was written around it came back at the link first opened.)"""

import pytest

from benchmarks.harness import free_port, streamlit_server
from tests.e2e.playground_view import SETTLED, move_slider, open_playground, view

pytestmark = pytest.mark.e2e

LINK = "/playground?surface=rosenbrock&optimizer=momentum&lr=0.0005&x0=-1.5&y0=1.5"


def test_reloading_after_a_server_restart_restores_the_view(browser):
    port = free_port()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        with streamlit_server("app.py", port=port) as url:
            open_playground(page, url + LINK)
            before = move_slider(page, steps=3)
        assert "lr=0.001" in before["search"] and before["lr"] == "0.001"  # 0.0005 -> 0.0006 -> 0.0008 -> 0.001
        page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                               ".dataset.testConnectionState !== 'CONNECTED'")  # the page saw its server go
        with streamlit_server("app.py", port=port):
            page.wait_for_function("() => document.querySelector('[data-testid=stApp]')"
                                   ".dataset.testConnectionState === 'CONNECTED'")  # reconnected on its own
            page.wait_for_function(SETTLED)
            assert view(page) == before
            page.reload()
            page.wait_for_function(SETTLED)
            assert view(page) == before
    finally:
        context.close()
