"""Presenter view: a lesson's scenes full-screen for a projector, stepped with Next/Back (→/← keys), with a
QR code (the "QR code" button or the Q key, as an overlay) that opens the scene on every student's device
(on an address they can reach: lab.share_address), and the Tools that take the scene's setup (each opens in
projector mode, with a way back to this scene: views.widgets.projector_mode).

Thin page: the URL (``lesson``, ``scene``, 1-based) -> a scene (lessons.scenes) -> its config -> cached runs
(lab.runs) -> the Playground's map figure, restyled for a projector.  The sidebar is hidden with CSS on
this page only (``initial_sidebar_state`` belongs to ``st.set_page_config``, which the app calls once).
"""

from __future__ import annotations

import streamlit as st

from lab import runs as runner
from lab.exports import figure_name
from lab.figures_map import map_figure
from lab.outcome import escape_markdown, outcome_lines
from lab.projector import projector_style
from lab.qr import qr_svg, short_link
from lab.share_address import share_url
from lab.tool_open import fitting_tools
from lab.url_schema import read_params
from lessons import LESSONS
from lessons.scenes import SCENE_PARAMS, course_scenes, find_scene, scene_query, scene_url
from views.registry import TOOLS
from views.widgets.hotkey_toggle import hotkey_toggle
from views.widgets.lesson_page import lesson_of
from views.widgets.live_chart import live_chart
from views.widgets.projector_mode import open_tool
from views.widgets.share_panel import address_notice, current_share_page
from views.widgets.url_state import link_notice

# The sidebar and Streamlit's header are hidden and the page starts at the top of the window, so the map can
# take the window's height (live_chart's ``fill``).  Text is sized with the window's height (vh): 1 vh is 10.8
# px on a 1080p projector; clamp() keeps it readable on a laptop.
PAGE_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stSidebarNav'],
[data-testid='stHeader'] {display: none;}
[data-testid='stMainBlockContainer'] {padding: 0.75rem 2rem 0;}
.st-key-present-bar p, .st-key-present-bar button {font-size: clamp(16px, 2.3vh, 34px);}
.st-key-present-line p {font-size: clamp(20px, 2.8vh, 44px); line-height: 1.25; margin: 0;}
.st-key-present-outcome p {font-size: clamp(18px, 2.4vh, 38px);}
.st-key-present-hint p {font-size: clamp(14px, 1.9vh, 30px);}
.st-key-present-tools p {font-size: clamp(14px, 2vh, 32px);}
body:not(.open-present-qr) .st-key-present-qr {display: none;}
.st-key-present-qr {position: fixed; z-index: 1000; top: 50%; left: 50%; transform: translate(-50%, -50%);
  width: min(92vw, 64vh); max-height: 98vh; overflow: auto; padding: 1.5vh 2vh; border-radius: 1rem;
  background: #fff; box-shadow: 0 0 0 100vmax rgba(0, 0, 0, 0.55);}
.st-key-present-qr p {font-size: clamp(14px, 2vh, 32px);}
</style>"""
SCENES = course_scenes(LESSONS)
POSITION = "present.position"
NOTICES = "present.link-notices"  # (the position the link opened, its notices)


def _go(step: int) -> None:
    st.session_state[POSITION] = min(max(st.session_state[POSITION] + step, 0), len(SCENES) - 1)


def _jump() -> None:
    number = st.session_state["present.lesson"]
    st.session_state[POSITION] = find_scene(SCENES, number, 1)


def _position() -> int:
    """The scene on screen: from the URL on the first run (a notice for what of it could not be used), then
    from the buttons."""
    if POSITION not in st.session_state:
        wanted, notices = read_params(st.query_params.to_dict(), SCENE_PARAMS)
        st.session_state[POSITION] = find_scene(SCENES, wanted["lesson"], wanted["scene"])
        found = SCENES[st.session_state[POSITION]]
        if st.query_params and (found.lesson, found.index + 1) != (wanted["lesson"], wanted["scene"]):
            notices.append(f"No scene {wanted['scene']} of lesson {wanted['lesson']}; showing lesson {found.lesson}, "
                           f"scene {found.index + 1}.")
        st.session_state[NOTICES] = (st.session_state[POSITION], notices)
    position = st.session_state[POSITION]
    shown_at, notices = st.session_state.get(NOTICES, (None, []))
    if shown_at == position:  # the link's notice stays until the presenter moves on
        link_notice(notices, kept="the Presenter opens the nearest scene it has")
    scene = SCENES[position]
    st.session_state["present.lesson"] = scene.lesson
    st.query_params.from_dict(scene_query(scene))
    return position


st.markdown(PAGE_CSS, unsafe_allow_html=True)
position = _position()
scene = SCENES[position]
with st.container(key="present-bar"):
    bar = st.columns([1.3, 1.3, 4, 2, 1.4, 0.8], vertical_alignment="center")
bar[0].button("◀ Back", key="present.back", on_click=_go, args=(-1,), shortcut="Left", disabled=position == 0,
              width="stretch")
bar[1].button("Next ▶", key="present.next", on_click=_go, args=(1,), shortcut="Right", type="primary",
              disabled=position == len(SCENES) - 1, width="stretch")
bar[2].markdown(f"**Lesson {scene.lesson}. {escape_markdown(scene.title)}** · scene {scene.index + 1} of "
                f"{sum(s.lesson == scene.lesson for s in SCENES)}")
bar[3].selectbox("Lesson", [lesson.number for lesson in LESSONS], key="present.lesson", on_change=_jump,
                 format_func=lambda n: f"{n}. {lesson_of(n).title}", label_visibility="collapsed")
with bar[4]:
    hotkey_toggle("QR code", target="present-qr", hotkey="q", key="present.qr-toggle")
bar[5].markdown("[Exit ✕](/)")  # the sidebar (and its navigation) is hidden here

with st.container(key="present-line"):
    st.markdown(escape_markdown(scene.line))
try:
    config = scene.config()
except ValueError as err:
    st.error(f"This scene cannot be shown: {escape_markdown(err)}")
    st.stop()
surface = runner.get_surface(config.surface_key)
runs = runner.runs_of(config)
labels = runner.labels_of(config)
figure_col, side_col = st.columns([4, 1])
with figure_col:  # as tall as the window; drawn over the previous scene's map
    fig = projector_style(map_figure(surface, runs, labels, runner.picture(config.surface_key), config.start))
    live_chart(fig, "present.map", figure_name(config), mode_bar=True, fill=True,
               alt=f"Map of {surface.name}. " + "; ".join(outcome_lines(labels, runs)))
with side_col:
    with st.container(key="present-outcome"):
        for line in outcome_lines(labels, runs):
            st.markdown(f"**{escape_markdown(line)}**")
    with st.container(key="present-hint"):
        st.markdown("← / → step through the scenes · **Q** shows the QR code · Tab to ▶ Play, then Enter or Space")
    with st.container(key="present-tools"):  # the tools on this scene's setup, in projector mode
        st.markdown("**Tools** on this setup")
        for path, racer in fitting_tools(config):
            if st.button(TOOLS[path].title, key=f"present.tool.{path}", icon=TOOLS[path].icon, width="stretch"):
                open_tool(path, config, racer, st.query_params.to_dict())
with st.container(key="present-qr"):  # an overlay, shown by the QR code button or the Q key (Escape hides it)
    students = current_share_page()
    url = scene_url(students.url, scene)
    st.markdown("**Share with the class**")
    st.markdown(qr_svg(url), unsafe_allow_html=True)  # our own SVG: no user text in it
    st.code(short_link(url), language=None, wrap_lines=True)
    address_notice(students)
    st.caption("Scan or type the link: it opens this scene on the student's device, and "
               f"[Open in Playground]({share_url(students.url, config)}) takes the setup further. "
               "Q or Esc closes this.")
