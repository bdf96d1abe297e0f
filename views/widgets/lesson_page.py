"""The one generic lesson page: progress, title and goal, text, controls, the Playground's figures, the
task, the check question, "Open in Playground" (and in the tools the lesson names, ``Lesson.tools``) and
previous/next links.  The lesson's settings live in
the page's address (``lessons.links``), so a lesson page is a link to share like the Playground.

Nothing gives the question's answer away before it is chosen: the lesson's ``[[spoiler]]`` words stay hidden
until then.  A prediction lesson (``Lesson.predict``) asks first and shows only the map with its start
until the student has answered: no path, loss chart, stability marker, outcome box, task result, extra
figure or fact that states an outcome (``lessons.outcome_words.hide_outcomes``).  Once made, a prediction
stays made: changing a control, "Back to the preset" or leaving the lesson and coming back keeps
everything shown (the answer is kept in the student's progress, ``_recall_answer``).

Runs come from the Playground's cache (``lab.runs``), keyed on the small frozen config; the lesson's
facts, question and extra figures are cached on (lesson number, config) as well.
"""

from __future__ import annotations

from functools import lru_cache, partial
from urllib.parse import urlencode

import streamlit as st

import engine
from lab import runs as runner
from lab.config import RunConfig, to_query
from lab.outcome import outcome_lines
from lab.scrub_charts import grid_charts, lesson_figures
from lab.share_address import app_link
from lessons import LESSONS
from lessons.base import Lesson, Question, Setup, fill
from lessons.common import setup_of
from lessons.outcome_words import hide_outcomes
from views.registry import TOOLS
from views.widgets.live_chart import live_chart
from views.widgets.share_panel import address_notice, current_share_page

from .lesson_controls import pick_start, read_address, render_controls, reset, write_lesson_address
from .progress_store import answer_key, keep_in_browser, progress, record

__all__ = ["answered", "chart_keys", "lesson_of", "lesson_scrub", "playground_url", "render", "share_key"]

CHART_TITLES = {"loss": "Loss", "lr": "Learning rate", "stability": "Where this lr sits"}


def lesson_of(number: int) -> Lesson:
    """The lesson numbered ``number`` (looked up by its number, not its place in ``LESSONS``)."""
    return next(lesson for lesson in LESSONS if lesson.number == number)


def playground_url(config: RunConfig) -> str:
    """The Playground link (relative to the app) that reproduces ``config``."""
    return "playground?" + urlencode(to_query(config))


@st.cache_data(max_entries=256, show_spinner=False)
def _facts(number: int, config: RunConfig) -> dict[str, str]:
    return dict(lesson_of(number).facts(setup_of(config)))


@st.cache_data(max_entries=32, show_spinner=False)
def _question(number: int) -> Question:
    lesson = lesson_of(number)
    return lesson.question(setup_of(lesson.preset_config()))


@st.cache_resource(max_entries=256, show_spinner=False)
def _extra(number: int, index: int, config: RunConfig) -> dict:
    """Extra figure ``index`` of lesson ``number`` at ``config`` as a plain figure dict, shared by every session
    and never mutated (a cached ``go.Figure`` would be unpickled and validated again at every visit)."""
    return lesson_of(number).extras[index].build(setup_of(config)).to_dict()


def _progress(lesson: Lesson) -> None:
    done, place = len(progress().tasks), LESSONS.index(lesson) + 1
    st.progress(place / len(LESSONS),
                text=f"Lesson {lesson.number} of {LESSONS[-1].number} · tasks done: {done} of {len(LESSONS)}")


def answered(lesson: Lesson) -> bool:
    """Whether the student has picked an answer to the lesson's question (known before the radio is drawn)."""
    return st.session_state.get(answer_key(lesson.slug)) is not None


def _recall_answer(lesson: Lesson) -> None:
    """The answer kept in the student's progress, put back into the question (first run on the page, or
    the rerun after the browser's progress has arrived), unless the question no longer offers it."""
    kept = progress().answers.get(lesson.number)
    if st.session_state.get(answer_key(lesson.slug)) is None and kept is not None and \
            kept in (a.text for a in _question(lesson.number).answers):
        st.session_state[answer_key(lesson.slug)] = kept


def _ask(lesson: Lesson) -> None:
    question = _question(lesson.number)
    texts = [a.text for a in question.shown(lesson.number)]
    picked = st.radio(question.prompt, texts, index=None, key=answer_key(lesson.slug))
    if picked is not None:
        record(progress().with_answer(lesson.number, picked))
        answer = next(a for a in question.answers if a.text == picked)
        (st.success if answer.correct else st.error)(("Right. " if answer.correct else "Not quite. ") + answer.why)


def _figures(lesson: Lesson, setup: Setup, labels: list[str], waiting: bool) -> dict[str, dict]:
    """The lesson's figures (``lab.scrub_charts.lesson_figures``): the map with the lesson's marks and its charts;
    ``waiting`` for a prediction: the start only on the map, no loss chart and no marker on the stability strip
    (the lr chart shows the schedule, an input)."""
    config, key = setup.config, setup.config.surface_key
    runs, labels = ((), []) if waiting else (setup.runs, labels)
    return lesson_figures(setup.surface, config, runs, labels, runner.picture(key), _chart_names(lesson, waiting),
                          lesson.marks(setup), runner.curvature_at(key, config.start)[0])


def _chart_names(lesson: Lesson, waiting: bool) -> tuple[str, ...]:
    return tuple(name for name in lesson.charts if not (waiting and name == "loss"))


def chart_keys(lesson: Lesson, waiting: bool) -> dict[str, str]:
    """The element key of each figure the lesson draws, by its name ("map", "loss", "lr", "stability")."""
    return {"map": _map_key(lesson), **{name: f"{lesson.slug}.{name}" for name in _chart_names(lesson, waiting)}}


def lesson_scrub(number: int, config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """The live lr slider's data for racer i of lesson ``number`` over ``lrs`` (``lab.scrub.scrub_data``): each
    lesson figure at each lr, from one batched engine call (``lab.runs.sweep``), the way ``_figures`` draws it
    (the map without its frames); None over the size budget."""
    return _scrub(number, config.with_lr(i, lrs[0]), i, lrs)


@lru_cache(maxsize=32)
def _scrub(number: int, config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """``lesson_scrub``, cached on the config with racer i's lr set to the grid's first (the grid is the lrs)."""
    lesson, key = lesson_of(number), config.surface_key
    surface = runner.get_surface(key)
    marks = lesson.marks(Setup(config, surface, ()))  # the marks depend on the surface and the start, not the lr
    picture, big_l, names = runner.picture(key), runner.curvature_at(key, config.start)[0], _chart_names(lesson, False)

    def figures(at: RunConfig, runs: list[engine.Run], labels: list[str]) -> dict[str, dict]:
        return lesson_figures(surface, at, runs, labels, picture, names, marks, big_l, animate=False)

    return runner.scrub_table(config, i, lrs, lambda grid: grid_charts(config, i, lrs, grid, runner.runs_of(config),
                                                                       runner.labels_of, figures))


def _map(lesson: Lesson, setup: Setup, figure: dict, labels: list[str], waiting: bool) -> None:
    """The Playground's map of the setup; ``waiting`` for a prediction: the start only, no path."""
    config = setup.config
    runs = () if waiting else setup.runs
    start = next((c for c in lesson.controls if c.kind == "start"), None)
    alt = f"Map of {setup.surface.name}. " + ("; ".join(outcome_lines(labels, runs)) if runs else "The start only")
    if start is None:
        live_chart(figure, _map_key(lesson), alt=alt)
        return
    live_chart(figure, _map_key(lesson), on_click=partial(pick_start, lesson.slug, start, config.surface), alt=alt)
    st.caption(f"Click the map, or type start x and y, to start from there. "
               f"Start: ({config.x0:.3g}, {config.y0:.3g}).")


def _map_key(lesson: Lesson) -> str:
    return f"{lesson.slug}.map"


def _charts(lesson: Lesson, figures: dict[str, dict], waiting: bool) -> None:
    """The lesson's charts, side by side, each updated in place after the map."""
    names = _chart_names(lesson, waiting)
    if not names:
        return
    for column, name in zip(st.columns(len(names)), names, strict=True):
        with column:
            if name == "stability":
                st.markdown(f"**{CHART_TITLES[name]}** (1/L and 2/L at the start point)")
            live_chart(figures[name], f"{lesson.slug}.{name}", defer=True)  # updated in place, after the map


def share_key(lesson: Lesson) -> str:
    """session_state: whether the lesson's "Share this setup" is open (outside the lesson's own keys, so
    "Back to the preset" leaves it as it is)."""
    return f"share-{lesson.slug}"


def _links(lesson: Lesson, config: RunConfig, query: dict[str, str]) -> None:
    st.link_button("Open in Playground", playground_url(config), icon=":material/open_in_new:", type="primary")
    for link in lesson.tools:  # the tools that take the lesson further, on its setup as it stands
        page = TOOLS[link.tool]
        st.link_button(f"Open in {page.title}", link.address(config), icon=page.icon)
    # Built only when opened: its code block makes the browser fetch and run Streamlit's 1.5 MB code
    # highlighter, the largest cost of a lesson's first load.
    share = st.expander("Share this setup", key=share_key(lesson), on_change="rerun")
    if share.open:
        with share:
            students = current_share_page()
            st.code(app_link(students.url, lesson.url_path, query), language=None, wrap_lines=True)
            st.caption("Every student who opens this link sees this lesson with the same settings (the address "
                       "bar shows it too).")
            address_notice(students)
    st.divider()
    prev_col, next_col = st.columns(2)
    place = LESSONS.index(lesson)
    with prev_col:
        if place > 0:
            prev = LESSONS[place - 1]
            st.page_link(prev.page, label=f"Previous: {prev.number}. {prev.title}", icon=":material/arrow_back:")
        else:
            st.page_link("views/home.py", label="Home", icon=":material/arrow_back:")
    with next_col:
        if place + 1 < len(LESSONS):
            nxt = LESSONS[place + 1]
            st.page_link(nxt.page, label=f"Next: {nxt.number}. {nxt.title}", icon=":material/arrow_forward:")
        else:
            st.page_link("views/claims.py", label="Next: the Claims lab", icon=":material/arrow_forward:")


def render(number: int) -> None:
    """Draw lesson ``number`` (1-based)."""
    lesson = lesson_of(number)
    preset = lesson.preset_config()
    read_address(lesson, preset)  # first: it may put a notice at the top of the page
    _recall_answer(lesson)
    reveal = answered(lesson)
    waiting = lesson.predict and not reveal  # a prediction lesson before the prediction: no outcome yet
    _progress(lesson)
    st.title(f"{lesson.number}. {lesson.title}")
    st.markdown(f"**Goal:** {lesson.goal}")
    intro = st.container()
    if lesson.predict:
        with st.container(border=True, key="predict"):
            st.markdown("**Predict first:** answer this before you look. The path, the loss and the outcome "
                        "appear once you have; then press ▶ Play." if waiting else "**Your prediction**")
            _ask(lesson)

    controls_col, map_col = st.columns([1, 2], gap="medium")
    with controls_col:
        live = None if waiting else (partial(lesson_scrub, lesson.number), chart_keys(lesson, waiting))
        config = render_controls(lesson.slug, lesson.controls, preset, live)
        st.button("Back to the preset", on_click=reset, args=(lesson.slug,), icon=":material/restart_alt:")
    query = write_lesson_address(lesson, preset, config)
    setup = setup_of(config)
    facts = _facts(lesson.number, config)
    facts = hide_outcomes(facts) if waiting else facts
    labels = runner.labels_of(config)
    with intro:
        st.markdown(fill(lesson.text, facts, reveal))
        for formula in filter(None, (fill(f, facts, reveal) for f in lesson.latex)):
            st.latex(formula)
    with controls_col:
        with st.container(key="outcome", border=True):
            if waiting:
                st.caption("Make your prediction above; the outcome of the run appears here once you have.")
            else:  # bold, as in the Playground: the live lr slider rewrites these words while dragged
                for line in outcome_lines(labels, setup.runs):
                    st.markdown(f"**{line}**")
        with st.container(border=True):
            st.markdown("**Try this.** " + fill(lesson.task.prompt, facts))
            if not waiting and lesson.task.done(setup):
                record(progress().with_task(lesson.number))
                st.success(fill(lesson.task.success, facts), icon=":material/check_circle:")
    figures = _figures(lesson, setup, labels, waiting)
    with map_col:
        _map(lesson, setup, figures["map"], labels, waiting)
    _charts(lesson, figures, waiting)
    for i, extra in enumerate(() if waiting else lesson.extras):
        st.markdown(f"**{extra.title}**")
        live_chart(_extra(lesson.number, i, config), f"{lesson.slug}.extra{i}", defer=True)
        if extra.caption:
            st.caption(fill(extra.caption, facts, reveal))
    if lesson.after:
        st.markdown(fill(lesson.after, facts, reveal))
    if not lesson.predict:
        with st.container(border=True):
            st.markdown("**Check yourself**")
            _ask(lesson)
    _links(lesson, config, query)
    keep_in_browser()  # last: after the task and the answer of this run are recorded
