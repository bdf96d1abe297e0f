"""Projector mode for the Tools pages: the Presenter's "Tools" buttons open a tool on the scene's setup in this
mode (``open_tool``), and each tool page calls ``projector_page`` first.  In it the sidebar and Streamlit's
header are hidden, the text is sized with the window's height (as the Presenter's is), a bar leads back to the
Presenter's scene, and ``projected`` restyles the tool's figures (``lab.projector.projector_style``: large
fonts, thick lines).  The mode lives in the session (the tool's own address stays the tool's link); "Leave
projector mode" ends it.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from lab.config import RunConfig
from lab.projector import projector_style
from lab.tool_open import tool_query_of
from views.registry import TOOLS

__all__ = ["open_tool", "projected", "projector_page"]

FROM = "projector.scene"  # session key: the Presenter's query (lesson, scene) a tool was opened from
# Like the Presenter's PAGE_CSS: no sidebar or header, text sized with the window's height (1 vh = 7.2 px at 720p).
PAGE_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stSidebarNav'],
[data-testid='stHeader'] {display: none;}
[data-testid='stMainBlockContainer'] {padding: 0.75rem 2rem 0; max-width: none;}
[data-testid='stMainBlockContainer'] p, [data-testid='stMainBlockContainer'] li,
[data-testid='stMainBlockContainer'] label p, [data-testid='stMainBlockContainer'] button p,
[data-testid='stMainBlockContainer'] [data-baseweb='select'] div {font-size: clamp(16px, 2.6vh, 36px);}
[data-testid='stMainBlockContainer'] [data-testid='stCaptionContainer'] p {font-size: clamp(14px, 2.1vh, 30px);}
[data-testid='stMainBlockContainer'] h1 {font-size: clamp(28px, 4.4vh, 60px); padding: 0.2rem 0;}
</style>"""


def open_tool(path: str, config: RunConfig, racer: int, scene: Mapping[str, str]) -> None:
    """Switch to the tool at ``path`` on ``config`` (its racer ``racer``) in projector mode, remembering the
    Presenter's ``scene`` query for the way back."""
    st.session_state[FROM] = dict(scene)
    st.switch_page(TOOLS[path].page, query_params=tool_query_of(path, config, racer))


def _leave() -> None:
    st.session_state.pop(FROM, None)


def projector_page() -> bool:
    """At the top of a tool page: in projector mode, its CSS and the bar back to the Presenter; whether it is on."""
    scene = st.session_state.get(FROM)
    if scene is None:
        return False
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    with st.container(key="projector-bar", horizontal=True, vertical_alignment="center"):
        st.page_link("views/present.py", label="Back to the Presenter", icon=":material/arrow_back:",
                     query_params=scene)
        st.button("Leave projector mode", on_click=_leave, icon=":material/close:")
    return True


def projected(fig: go.Figure | dict) -> go.Figure | dict:
    """``fig`` for a projector in projector mode (large fonts, thick lines, its own height kept), else as it is."""
    if st.session_state.get(FROM) is None:
        return fig
    figure = fig if isinstance(fig, go.Figure) else go.Figure(fig, skip_invalid=True)
    return projector_style(figure, height=figure.layout.height or 560)
