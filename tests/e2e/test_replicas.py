"""Three Streamlit replicas behind nginx (deploy/serve.py, as `make serve REPLICAS=3` starts them): students
spread over the replicas and each browser stays on its own (nginx's sticky cookie, hashed consistently, also
for the websocket); killing one replica mid-lesson leaves the other replicas' students working, and the killed
one's students, on reload, land on another replica and get their exact view back from the address."""

from __future__ import annotations

import asyncio
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

from deploy.serve import deployment, nginx_binary
from tests.e2e.playground_view import SETTLED, move_slider, open_playground, view

pytestmark = pytest.mark.e2e

REPLICA_HEADER, COOKIE = "x-descent-lab-replica", "descent_lab_replica"
LINK = "/playground?surface=bowl&optimizer=sgd&lr=0.1&x0=1.5&y0=-1&seed={seed}"


def served_by(headers) -> str:
    """The replica (127.0.0.1:port) that answered, the last one nginx tried."""
    return headers[REPLICA_HEADER].split(",")[-1].strip()


def get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers


@pytest.fixture(scope="module")
def app():
    nginx_binary()  # FileNotFoundError saying how to install it (`make test` does: its nginx target)
    with deployment(3) as running:
        yield running


def test_new_browsers_spread_over_the_replicas_and_each_stays_on_its_own(app):
    replicas = {f"127.0.0.1:{port}" for port in app.replica_ports}
    first_answers = [get(f"{app.url}/") for _ in range(30)]  # browsers with no cookie yet
    assert {served_by(headers) for headers in first_answers} == replicas
    headers = first_answers[0]
    cookie = headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert all(served_by(get(f"{app.url}/_stcore/health", cookie)) == served_by(headers) for _ in range(10))

    async def websocket_replica() -> str:  # the page's websocket goes where its page came from
        async with websockets.connect(app.url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      additional_headers={"Cookie": f"{COOKIE}={cookie}"}) as ws:
            return served_by(ws.response.headers)
    # on a thread of its own: Playwright's sync API keeps an event loop running on this one in a full e2e run
    with ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, websocket_replica()).result() == served_by(headers)


def test_killing_a_replica_leaves_the_others_students_and_the_killed_ones_get_their_view_back(app, browser):
    students = []  # (page, replica) until two replicas have a student each
    for seed in range(12):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        response = open_playground(page, app.url + LINK.format(seed=seed))
        students.append((page, served_by(response.headers)))
        if len({replica for _, replica in students}) == 2:
            break
    (victim, doomed), (survivor, kept) = students[0], students[-1]
    assert doomed != kept
    before = move_slider(victim)  # mid-lesson: the victim's view is no longer the link it opened
    assert "lr=0.12" in before["search"]
    app.replicas[[f"127.0.0.1:{port}" for port in app.replica_ports].index(doomed)].kill()

    moved = move_slider(survivor)  # the other replica's student still gets answers, on the same replica
    assert "lr=0.12" in moved["search"] and "lr 0.12" in moved["outcome"]

    response = victim.reload()
    assert served_by(response.headers) not in (doomed, "")
    victim.wait_for_function(SETTLED)
    assert view(victim) == before
    for page, _ in students:
        page.context.close()
