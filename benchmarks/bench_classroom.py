"""Classroom load: 30 students on one server, each moving the Playground's "Learning rate" slider.

Thirty browsers are too heavy for this machine, and each student's browser draws on its own computer anyway,
so every student here is a protocol-level client: a websocket speaking Streamlit's own protocol to one real
server (``streamlit run app.py``), as the browser does (Streamlit 1.67's frontend bundle, ``sendRerunBackMsg``
and the widget manager's ``scheduleFlush``):

* connect to ``/_stcore/stream`` with the subprotocol "streamlit" and send a ``rerun_script`` BackMsg with
  the page name ("playground") and the URL's query string; the answer opens with ``new_session`` (the page's
  script hash) and ends with ``script_finished``;
* a widget inside an ``st.fragment`` asks for a rerun of that fragment only: ``rerun_script`` with the
  ``fragment_id`` of the widget's delta, the page's script hash, the query string the last
  ``page_info_changed`` set, the hashes of the cacheable messages held (the server then sends a ``ref_hash``
  instead of a message the client already has) and the widget states.  The browser sends every widget's
  state; this client sends the slider's only, which runs the same: the server keeps the others' last values.

Each student opens the Playground at its own learning rate (grid values spread over 1e-4 ... 1e-2) and its
own noise seed (unused with zero noise, but part of every cache key, so no student's run is in the server's
caches, which all sessions share), waits for the page, then makes MOVES moves of the slider, one option up
each time (so every move asks for a run not computed before), with a think time of 0.5-1.5 s between moves.
A move is timed from sending its BackMsg to (a) the map's delta (the ``pg_map`` live chart, which holds the
figure) and (b) ``script_finished``.  A move is checked: its map's legend names the new learning rate, and
no exception element came.  A move unanswered within ANSWER_TIMEOUT_S is a failure (that student stops).
One student alone first, then the class of STUDENTS at once, on the same warm server.

The budget (DESIGN.md) is p95 redraw <= 1 s in the students' browsers: the server's answer measured here plus
the browser's own drawing, which bench_playground measures on one tab (its redraw minus this answer alone).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

from benchmarks.harness import streamlit_server

STUDENTS, MOVES = 30, 10
THINK_S = (0.5, 1.5)
ANSWER_TIMEOUT_S, LOAD_TIMEOUT_S = 30.0, 90.0
START_RANGE = (1e-4, 1e-2)
PAGE, SLIDER_KEY, MAP_KEY = "playground", "pg_lrs0", "pg_map"
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
CONTEXT = ContextInfo(timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light")


# ----------------------------------------------------------------------------------------------------------
# Pure parts


def start_lrs(options: Sequence[str], n: int, low: float = START_RANGE[0], high: float = START_RANGE[1]) -> list[str]:
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


def nearest_rank(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile by nearest rank (a failure counted as ``math.inf`` stays infinite)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]


def spread(values: Sequence[float]) -> str:
    """'p50 X ms, p95 Y ms' of millisecond figures (a failure shows as '> ANSWER_TIMEOUT_S')."""
    def ms(v: float) -> str:
        return f"> {ANSWER_TIMEOUT_S * 1000:.0f} ms" if math.isinf(v) else f"{v:.0f} ms"
    return f"p50 {ms(nearest_rank(values, 50))}, p95 {ms(nearest_rank(values, 95))}"


# ----------------------------------------------------------------------------------------------------------
# One student's tab


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


@dataclass
class Move:
    """One slider move: ms to the map delta and to script_finished (inf if never), and what went wrong."""

    map_ms: float
    finished_ms: float
    problem: str | None = None


class Tab:
    """One student's browser tab at the protocol level: asks for runs as the browser does and reads the answers."""

    def __init__(self, ws: websockets.ClientConnection, query: str):
        self.ws = ws
        self.query = query
        self.page_hash = ""
        self.cache: dict[str, ForwardMsg] = {}

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
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            _read_element(msg.delta, answer, ms)
        elif kind == "script_finished":
            answer.status, answer.finished_ms = msg.script_finished, ms


def _read_element(delta: Delta, answer: Answer, ms: float) -> None:
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        answer.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "bidi_component" and element.bidi_component.id.endswith(f"-{SLIDER_KEY}"):
        component = element.bidi_component
        answer.slider, answer.fragment_id = Slider.of(component.id, component.json), delta.fragment_id
    elif kind == "bidi_component" and element.bidi_component.id.endswith(f"-{MAP_KEY}"):
        answer.map_ms, answer.map_names = ms, trace_names(element.bidi_component.json)


def _check_page(answer: Answer) -> tuple[Slider, str]:
    """The slider and its fragment id from the first run; RuntimeError if the page is not what we expect."""
    if answer.exceptions or answer.status not in FINISHED_OK:
        raise RuntimeError(f"the Playground did not run cleanly: status {answer.status}, {answer.exceptions}")
    if answer.slider is None or not answer.fragment_id or answer.map_ms is None:
        raise RuntimeError(f"no {SLIDER_KEY} slider inside a fragment, or no {MAP_KEY} chart, in the Playground's "
                           "deltas: has the page or Streamlit's protocol changed?")
    return answer.slider, answer.fragment_id


def _move(answer: Answer, option: str) -> Move:
    """A move's times and, if the answer is wrong, why."""
    wanted = f"lr {float(option):.3g}"
    problem = None
    if answer.exceptions:
        problem = f"exception: {answer.exceptions[0]}"
    elif answer.status not in FINISHED_OK:
        problem = f"script_finished with status {answer.status}"
    elif answer.map_ms is None:
        problem = "no map delta"
    elif not any(wanted in name for name in answer.map_names):
        problem = f"map legend {answer.map_names} lacks {wanted!r}"
    return Move(math.inf if answer.map_ms is None else answer.map_ms, answer.finished_ms, problem)


@dataclass
class StudentRun:
    """One student's session: ms to load the page, the slider's options, the moves."""

    load_ms: float
    options: list[str]
    moves: list[Move]


async def student(url: str, lr: str, seed: int) -> StudentRun:
    """Open the Playground at learning rate ``lr`` with noise seed ``seed`` and make MOVES slider moves."""
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    try:
        ws = await websockets.connect(stream, subprotocols=["streamlit"], max_size=2**24, open_timeout=30)
    except (OSError, TimeoutError, websockets.InvalidHandshake) as err:
        raise RuntimeError(f"websocket handshake with {stream} failed: {err!r}") from err
    async with ws:
        tab = Tab(ws, f"lr={lr}&seed={seed}")
        try:
            first = await tab.run(LOAD_TIMEOUT_S, page_name=PAGE)
        except TimeoutError as err:
            raise RuntimeError(f"no script_finished for the first run of {PAGE} within {LOAD_TIMEOUT_S} s") from err
        slider, fragment_id = _check_page(first)
        think = random.Random(seed)
        run = StudentRun(first.finished_ms, list(slider.options), [])
        for option in move_plan(slider, MOVES):
            await asyncio.sleep(think.uniform(*THINK_S))
            released = slider.release_at(option)
            try:
                answer = await tab.run(ANSWER_TIMEOUT_S, fragment_id=fragment_id, widgets=released)
            except TimeoutError:
                run.moves.append(Move(math.inf, math.inf, f"no answer within {ANSWER_TIMEOUT_S:.0f} s"))
                break
            run.moves.append(_move(answer, option))
            slider, fragment_id = answer.slider or slider, answer.fragment_id or fragment_id
    return run


# ----------------------------------------------------------------------------------------------------------
# The run


def _server_cpu_s() -> float:
    """CPU seconds used so far by this process's children (the one Streamlit server), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


async def _class(url: str, options: list[str]) -> list[StudentRun]:
    """STUDENTS students at once, each from its own start option with its own seed."""
    return await asyncio.gather(*(student(url, lr, seed=2 + i) for i, lr in enumerate(start_lrs(options, STUDENTS))))


def _times(moves: list[Move], what: str, planned: int) -> list[float]:
    """The ``what`` ms of the moves, a move never made (its student stopped) counted as a failure."""
    return [getattr(m, what) for m in moves] + [math.inf] * (planned - len(moves))


def _problems(moves: list[Move], planned: int) -> str:
    bad = [m.problem for m in moves if m.problem]
    if not bad and len(moves) == planned:
        return "every move answered and checked (map legend shows the new lr, no exception)"
    return (f"{len(bad)} of {planned} moves failed, {planned - len(moves)} not made (student stopped); "
            f"first: {bad[:3]}")


def main() -> None:
    with streamlit_server("app.py") as url:
        alone = asyncio.run(student(url, f"{START_RANGE[0]:g}", seed=1))
        cpu0, wall0, client0 = _server_cpu_s(), time.perf_counter(), time.process_time()
        runs = asyncio.run(_class(url, alone.options))
        wall, server_cpu = time.perf_counter() - wall0, _server_cpu_s() - cpu0
        client_cpu = time.process_time() - client0
    moves, loads = [m for run in runs for m in run.moves], [run.load_ms for run in runs]
    planned = STUDENTS * MOVES
    answer, alone_answer = spread(_times(moves, "map_ms", planned)), spread(_times(alone.moves, "map_ms", MOVES))
    finished = spread(_times(moves, "finished_ms", planned))
    alone_finished = spread(_times(alone.moves, "finished_ms", MOVES))
    print(f"classroom: {STUDENTS} students x {MOVES} fresh slider moves: server answer (map delta) {answer} "
          f"(1 student alone: {alone_answer}); budget p95 redraw <= 1 s incl. the browser's own drawing "
          "(see bench_playground)")
    print(f"  until script_finished (every figure of the fragment sent): {finished} (alone: {alone_finished})")
    print(f"  {STUDENTS} page loads at once: {spread(loads)}")
    print(f"  checks: class: {_problems(moves, planned)}; alone: {_problems(alone.moves, MOVES)}")
    print(f"  class run {wall:.0f} s, {len(moves) / wall:.0f} moves/s: server CPU {server_cpu:.1f} s "
          f"({server_cpu / wall:.0%} of one core), these clients {client_cpu:.1f} s")

if __name__ == "__main__":
    main()
