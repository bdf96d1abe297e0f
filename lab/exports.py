"""Downloads for handouts and slides: the animated map as one offline HTML file, the trajectories as CSV,
and the Plotly config of every chart (PNG downloads named after the run, nothing that uploads a chart).
Pure functions, no streamlit import.

CSV convention: one row per racer per point of its path, steps 0 … steps (the engine's ``run.points``).
``lr`` is the learning rate of the step taken *from* that row's point, so it is empty on the last row and
on every row from the step the trajectory stopped at on (a diverged path's last step, the one that left,
keeps its lr).  ``status`` is the trajectory's state at that row: "running" before it stopped, then the
engine's label ("converged" or "diverged") from the step it stopped at on; a trajectory that ran all its
steps carries its final label ("oscillating", "stalled" or "running") on its last row.  Numbers are written
in Python's shortest round-trip form, so they read back as exactly the engine's floats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import plotly.graph_objects as go

import engine

from .config import RunConfig
from .runs import racer_number

__all__ = ["CSV_COLUMNS", "NO_CLOUD", "REMOVED_BUTTONS", "animation_html", "chart_config", "figure_name", "racer_names",
           "trajectories_csv"]

CSV_COLUMNS = ("step", "optimizer", "x", "y", "loss", "lr", "status")
# Nothing in a chart may send it off the machine.  plotly.js 3 and 4 (Streamlit's copy, and the one plotly.py
# embeds in the HTML export) show a "Share chart..." button that uploads the figure to Chart Studio at
# ``plotlyServerURL`` unless ``showSendToCloud`` is false: off, with no address to send to, and the button (by
# both of its names) removed.  Their older "Edit chart" link (``showLink``, ``linkText``,
# ``showEditInChartStudio``) no longer exists in either copy.
NO_CLOUD = {"showSendToCloud": False, "plotlyServerURL": ""}
REMOVED_BUTTONS = ("select2d", "lasso2d", "autoScale2d", "sendChartToCloud", "sendDataToCloud")


def animation_html(fig: go.Figure, title: str = "Descent Lab") -> str:
    """A self-contained HTML page of ``fig``: plotly.js embedded (no network), frames included, paused on
    load (its own ▶ Play button starts it), with the white template so it reads well outside the app."""
    page = go.Figure(fig)
    page.update_layout(template="plotly_white", height=None, autosize=True)  # fill the browser window
    html = page.to_html(include_plotlyjs=True, full_html=True, auto_play=False, config=chart_config(title),
                        default_height="95vh")
    return html.replace("<head>", f"<head><meta charset=\"utf-8\"><title>{_escape(title)}</title>", 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def racer_names(config: RunConfig) -> list[str]:
    """The optimizer names of a race, numbered when one appears twice ("sgd", "sgd#2")."""
    numbered = ((opt.name, racer_number(config, i)) for i, opt in enumerate(config.optimizers))
    return [name if number is None else f"{name}#{number}" for name, number in numbered]


def trajectories_csv(config: RunConfig, runs: Sequence[engine.Run]) -> str:
    """The paths of a race (trajectory 0 of each run, one run per racer) as CSV text; see the module doc."""
    if len(runs) != len(config.optimizers):
        raise ValueError(f"need one run per racer: {len(config.optimizers)} racers, {len(runs)} runs")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for name, run in zip(racer_names(config), runs, strict=True):
        status, stop = str(run.status[0]), int(run.stopped_at[0])
        end = stop if stop >= 0 else run.steps  # steps are taken from rows 0 … end - 1
        for t in range(run.steps + 1):
            lr = repr(float(run.lrs[t, 0])) if t < end else ""
            state = status if (t >= stop if stop >= 0 else t == run.steps) else "running"
            x, y = run.points[t, 0]
            writer.writerow((t, name, repr(float(x)), repr(float(y)), repr(float(run.losses[t, 0])), lr, state))
    return out.getvalue()


def figure_name(config: RunConfig, index: int = 0) -> str:
    """"<surface>-<optimizer>" of racer ``index``, for file names."""
    return f"{config.surface}-{config.optimizers[index].name}"


def chart_config(name: str, mode_bar: bool | str = True) -> dict:
    """The Plotly config of every chart of the app (``views.widgets.live_chart`` and the HTML export build
    theirs here and nowhere else): resizing with its container, the modebar (``mode_bar``: True, "hover" or
    False) without the Plotly logo, the selection tools (nothing here selects) and the upload button, PNG
    downloads at 2x named descent-lab-<name>.png, and ``NO_CLOUD``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "figure"
    return {
        "responsive": True, "displayModeBar": mode_bar, "displaylogo": False,
        "modeBarButtonsToRemove": list(REMOVED_BUTTONS),
        "toImageButtonOptions": {"format": "png", "filename": f"descent-lab-{slug}", "scale": 2}, **NO_CLOUD,
    }
