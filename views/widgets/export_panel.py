"""The Playground's exports: the animation as an offline HTML file, the paths as CSV, and the setup as
PyTorch / Keras / Optax code with the notes on where their conventions differ.

The page shows them in its "Share and export" dialog, which runs only when opened: a slider move never
builds them, and the browser fetches Streamlit's 1.5 MB code highlighter only then.  The downloads are
built only when clicked (``st.download_button`` with a callable), so even the open dialog never pays for
embedding plotly.js (about 4.6 MB) or writing the CSV.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

import engine
from lab.codegen import snippets
from lab.config import RunConfig
from lab.exports import animation_html, figure_name, trajectories_csv
from lab.figures_map import map_figure
from lab.outcome import escape_markdown

from .inputs import racer_choice

__all__ = ["export_panel"]


def export_panel(config: RunConfig, surface: engine.Surface, runs: Sequence[engine.Run], labels: Sequence[str],
                 picture: str, prefix: str = "pg_") -> None:
    """Draw the exports of the race on screen (``runs``/``labels``: one per racer, as the map gets them)."""
    name = figure_name(config)
    left, right = st.columns(2)
    left.download_button(
        "Animation (HTML, plays offline)", key=f"{prefix}export_html", on_click="ignore", mime="text/html",
        file_name=f"descent-lab-{name}.html", icon=":material/animation:",
        data=lambda: animation_html(map_figure(surface, runs, labels, picture, config.start),
                                    title=f"Descent Lab: {surface.name}"))
    right.download_button(
        "Trajectories (CSV)", key=f"{prefix}export_csv", on_click="ignore", mime="text/csv",
        file_name=f"descent-lab-{name}.csv", icon=":material/table:",
        data=lambda: trajectories_csv(config, runs))
    st.caption("CSV columns: step, optimizer, x, y, loss, lr (of the step taken from that point), status. "
               "PNG of any figure: the camera icon in the figure's toolbar.")
    which = racer_choice("Code for", config, f"{prefix}export_racer")
    for tab, snippet in zip(st.tabs(["PyTorch", "Keras", "Optax"]), snippets(config, which), strict=True):
        with tab:
            st.code(snippet.code, language="python")
            st.markdown("\n".join(f"- {escape_markdown(note)}" for note in snippet.notes))
