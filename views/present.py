"""Presenter view: a lesson's scenes full-screen for a projector, stepped with Next/Back (→/← keys), with a
QR code that opens the scene on every student's device.

Thin page: the URL (``lesson``, ``scene``, 1-based) -> a scene (ui.presenter) -> its config -> cached runs
(ui.runner) -> the Playground's map figure, restyled for a projector.  The sidebar is hidden with CSS on
this page only (``initial_sidebar_state`` belongs to ``st.set_page_config``, which the app calls once).
"""

from __future__ import annotations

import streamlit as st

from lessons import LESSONS
from ui import runner
from ui.exports import figure_name
from ui.figures_map import map_figure
from ui.live_chart import live_chart
from ui.outcome import escape_markdown, outcome_lines
from ui.presenter import PROJECTOR_FONT, course_scenes, find_scene, projector_style, share_url
from ui.qr import qr_svg, short_link

HIDE_SIDEBAR = ("<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
                "[data-testid='stSidebarNav'] {display: none;}</style>")
LARGE_TEXT = (f"<style>.st-key-present-line p {{font-size: {PROJECTOR_FONT + 8}px; line-height: 1.3;}} "
              f".st-key-present-outcome p {{font-size: {PROJECTOR_FONT}px;}}</style>")
SCENES = course_scenes(LESSONS)
POSITION = "present.position"


def _go(step: int) -> None:
    st.session_state[POSITION] = min(max(st.session_state[POSITION] + step, 0), len(SCENES) - 1)


def _jump() -> None:
    number = st.session_state["present.lesson"]
    st.session_state[POSITION] = find_scene(SCENES, number, 1)


def _position() -> int:
    """The scene on screen: from the URL on the first run, then from the buttons."""
    if POSITION not in st.session_state:
        query = st.query_params
        st.session_state[POSITION] = find_scene(SCENES, query.get("lesson", ""), query.get("scene", 1))
    position = st.session_state[POSITION]
    scene = SCENES[position]
    st.session_state["present.lesson"] = scene.lesson
    st.query_params.from_dict({"lesson": str(scene.lesson), "scene": str(scene.index + 1)})
    return position


st.markdown(HIDE_SIDEBAR + LARGE_TEXT, unsafe_allow_html=True)
position = _position()
scene = SCENES[position]
bar = st.columns([1.3, 1.3, 4, 2, 0.8], vertical_alignment="center")
bar[0].button("◀ Back", key="present.back", on_click=_go, args=(-1,), shortcut="Left", disabled=position == 0,
              width="stretch")
bar[1].button("Next ▶", key="present.next", on_click=_go, args=(1,), shortcut="Right", type="primary",
              disabled=position == len(SCENES) - 1, width="stretch")
bar[2].markdown(f"**Lesson {scene.lesson}. {escape_markdown(scene.title)}** · scene {scene.index + 1} of "
                f"{sum(s.lesson == scene.lesson for s in SCENES)}")
bar[3].selectbox("Lesson", [lesson.number for lesson in LESSONS], key="present.lesson", on_change=_jump,
                 format_func=lambda n: f"{n}. {LESSONS[n - 1].title}", label_visibility="collapsed")
bar[4].markdown("[Exit ✕](/)")  # the sidebar (and its navigation) is hidden here

with st.container(key="present-line"):
    st.markdown(escape_markdown(scene.line))
try:
    config = scene.config()
except ValueError as err:
    st.error(f"This scene cannot be shown: {escape_markdown(err)}")
    st.stop()
surface = runner.get_surface(config.surface_key)
runs = runner.run_config(config)
labels = [runner.label(config, i) for i in range(len(runs))]
figure_col, share_col = st.columns([3, 1])
with figure_col:
    fig = projector_style(map_figure(surface, runs, labels, runner.picture(config.surface_key), config.start))
    live_chart(fig, "present.map", figure_name(config), mode_bar=True)  # the next scene is drawn over this one
with share_col:
    with st.container(key="present-outcome"):
        for line in outcome_lines(labels, runs):
            st.markdown(f"**{escape_markdown(line)}**")
    url = share_url(st.context.url, config)
    st.markdown("**Share with the class**")
    with st.container(key="present-qr"):
        st.markdown(qr_svg(url), unsafe_allow_html=True)  # our own SVG: no user text in it
    st.code(short_link(url), language=None, wrap_lines=True)
    st.caption("Scan or type the link: it opens this exact setup in the Playground. ← / → step through the "
               "scenes; ▶ Play in the figure runs the animation.")
