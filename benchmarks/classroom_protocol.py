"""A student's browser tab at the protocol level: a websocket speaking Streamlit's own protocol to a real server,
as the browser does (Streamlit 1.67's frontend bundle: ``sendRerunBackMsg`` and the widget manager's
``scheduleFlush``), for benchmarks/bench_classroom.py.

* connect to ``/_stcore/stream`` with the subprotocol "streamlit" and send a ``rerun_script`` BackMsg with the
  page's name (its URL path, "playground") and the URL's query string; the answer opens with ``new_session``
  (the page's script hash) and ``navigation`` (every page: its name, URL path and section) and ends with
  ``script_finished``.  Opening another page is the same BackMsg with that page's script hash and name;
* a widget inside an ``st.fragment`` asks for a rerun of that fragment only: ``rerun_script`` with the
  ``fragment_id`` of the widget's delta, the page's script hash, the query string the last
  ``page_info_changed`` set, the hashes of the cacheable messages held (the server then sends a ``ref_hash``
  instead of a message the client already has) and the widget states.  The browser sends every widget's
  state; this client sends the slider's only, which runs the same: the server keeps the others' last values.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

PLAYGROUND, SLIDER_KEY, MAP_KEY = "playground", "pg_lrs0", "pg_map"
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
CONTEXT = ContextInfo(timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light")
STICKY_COOKIE = "descent_lab_replica"  # deploy/nginx.conf.template hashes it to pick a student's replica


def visit_query(lr: str, seed: int | None) -> str:
    """The Playground's query for a student's visit at ``lr``.  With ``seed``, a setup of the student's own: the
    seed is part of every cache key, so nothing of it was computed before (the worst case).  None: the teacher's
    link (its default seed), the class's usual case: what one student's run computed, the others' reuse."""
    return f"lr={lr}" + (f"&seed={seed}" if seed is not None else "")


def start_lrs(options: Sequence[str], n: int, low: float, high: float) -> list[str]:
    """``n`` of the slider's ``options``, spread evenly (by index) from the one equal to ``low`` to ``high``."""
    values = [float(option) for option in options]
    first, last = values.index(low), values.index(high)
    return [options[first + round(i * (last - first) / max(n - 1, 1))] for i in range(n)]


@dataclass
class Slider:
    """The live lr slider's element (views.widgets.lr_scrubber): its id, its options (as shown) and where its
    thumb is."""

    id: str
    options: list[str]
    index: int

    @classmethod
    def of(cls, element_id: str, component_json: str) -> Slider:
        data = json.loads(component_json)
        return cls(element_id, list(data["texts"]), int(data["index"]))

    def release_at(self, option: str) -> list[WidgetState]:
        """What the browser sends when the thumb is released at ``option``: the component's state (empty) and
        its "commit" trigger (a v2 component's trigger widget: ``<internal prefix>_<id>__events``, a JSON list)."""
        return [WidgetState(id=self.id, json_value="{}"),
                WidgetState(id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{self.id}__events",
                            json_trigger_value=json.dumps([{"event": "commit", "value": float(option)}]))]


def current_option(slider: Slider) -> str:
    """The option the slider's thumb stands at (the value the server set)."""
    return slider.options[slider.index]


def move_plan(slider: Slider, moves: int) -> list[str]:
    """The options of ``moves`` moves one step up from the slider's current option."""
    options = list(slider.options)
    start = options.index(current_option(slider))
    if start + moves >= len(options):
        raise ValueError(f"{moves} moves up from {options[start]} leave the slider's {len(options)} options")
    return options[start + 1:start + 1 + moves]


def trace_names(component_json: str) -> list[str]:
    """The trace names of the figure in a live_chart element's JSON data."""
    figure = json.loads(json.loads(component_json)["figure"])
    return [trace.get("name", "") for trace in figure.get("data", [])]


@dataclass
class Answer:
    """What one script run sent back, with times in ms since its BackMsg was sent."""

    map_ms: float | None = None
    finished_ms: float | None = None
    status: int | None = None
    map_names: list[str] = field(default_factory=list)
    slider: Slider | None = None
    fragment_id: str = ""
    exceptions: list[str] = field(default_factory=list)
    elements: int = 0


@dataclass(frozen=True)
class Page:
    """One page of the app's navigation: its script hash, URL path and section ("" for the top)."""

    script_hash: str
    url_path: str
    section: str


class Tab:
    """One student's browser tab at the protocol level: asks for runs as the browser does and reads the answers."""

    def __init__(self, ws: websockets.ClientConnection, query: str):
        self.ws = ws
        self.query = query
        self.page_hash = ""
        self.pages: list[Page] = []
        self.cache: dict[str, ForwardMsg] = {}

    async def open(self, timeout: float, page_name: str, query: str = "", page_hash: str = "") -> Answer:
        """Open the page ``page_name`` (its URL path) at ``query``, as following a link inside the app does."""
        self.query, self.page_hash = query, page_hash
        return await self.run(timeout, page_name=page_name)

    async def run(self, timeout: float, page_name: str = "", fragment_id: str = "",
                  widgets: Sequence[WidgetState] = ()) -> Answer:
        """Ask for a (fragment) run as the browser does; the answer once script_finished came (TimeoutError
        after ``timeout`` s)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string, state.page_script_hash, state.page_name = self.query, self.page_hash, page_name
        state.fragment_id = fragment_id
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self.cache)
        state.context_info.CopyFrom(CONTEXT)
        answer = Answer()
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            while answer.status is None:
                self._read(await self._receive(), answer, (time.perf_counter() - t0) * 1000)
        return answer

    async def _receive(self) -> ForwardMsg:
        """The next ForwardMsg, a ref_hash resolved from (and a cacheable message kept in) the tab's cache."""
        msg = ForwardMsg()
        msg.ParseFromString(await self.ws.recv())
        if msg.WhichOneof("type") == "ref_hash":
            cached = ForwardMsg()
            cached.CopyFrom(self.cache[msg.ref_hash])
            cached.metadata.CopyFrom(msg.metadata)
            return cached
        if msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        return msg

    def _read(self, msg: ForwardMsg, answer: Answer, ms: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self.pages = [Page(page.page_script_hash, page.url_pathname, page.section_header)
                          for page in msg.navigation.app_pages]
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            read_element(msg.delta, answer, ms)
        elif kind == "script_finished":
            answer.status, answer.finished_ms = msg.script_finished, ms


def read_element(delta: Delta, answer: Answer, ms: float) -> None:
    """Note an element of the answer: an exception, the lr slider (and its fragment) or the map (and when)."""
    element = delta.new_element
    kind = element.WhichOneof("type")
    answer.elements += 1
    if kind == "exception":
        answer.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "bidi_component" and element.bidi_component.id.endswith(f"-{SLIDER_KEY}"):
        component = element.bidi_component
        answer.slider, answer.fragment_id = Slider.of(component.id, component.json), delta.fragment_id
    elif kind == "bidi_component" and element.bidi_component.id.endswith(f"-{MAP_KEY}"):
        answer.map_ms, answer.map_names = ms, trace_names(element.bidi_component.json)


def page_problem(answer: Answer) -> str | None:
    """Why an opened page's answer is wrong (an exception, a failed run, nothing drawn), or None."""
    if answer.exceptions:
        return f"exception: {answer.exceptions[0]}"
    if answer.status not in FINISHED_OK:
        return f"script_finished with status {answer.status}"
    return None if answer.elements else "no element drawn"


def playground_parts(answer: Answer) -> tuple[Slider, str]:
    """The slider and its fragment id from the Playground's run; RuntimeError if the page is not what we expect."""
    problem = page_problem(answer)
    if problem:
        raise RuntimeError(f"the Playground did not run cleanly: {problem}")
    if answer.slider is None or not answer.fragment_id or answer.map_ms is None:
        raise RuntimeError(f"no {SLIDER_KEY} slider inside a fragment, or no {MAP_KEY} chart, in the Playground's "
                           "deltas: has the page or Streamlit's protocol changed?")
    return answer.slider, answer.fragment_id


def move_problem(answer: Answer, option: str) -> str | None:
    """Why a slider move's answer is wrong (as ``page_problem``, or the map missing or not naming the new lr)."""
    wanted = f"lr {float(option):.3g}"
    problem = page_problem(answer)
    if problem is None and answer.map_ms is None:
        problem = "no map delta"
    elif problem is None and not any(wanted in name for name in answer.map_names):
        problem = f"map legend {answer.map_names} lacks {wanted!r}"
    return problem


async def connect(url: str, sticky_key: str) -> websockets.ClientConnection:
    """The websocket of a tab on the app at ``url``, carrying nginx's sticky cookie ``sticky_key`` (one browser's
    cookie: behind deploy/serve.py it picks the replica; a single server ignores it)."""
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    try:
        return await websockets.connect(stream, subprotocols=["streamlit"], max_size=2**24, open_timeout=30,
                                        additional_headers={"Cookie": f"{STICKY_COOKIE}={sticky_key}"})
    except (OSError, TimeoutError, websockets.InvalidHandshake) as err:
        raise RuntimeError(f"websocket handshake with {stream} failed: {err!r}") from err


def ms_or_inf(value: float | None) -> float:
    return math.inf if value is None else value
