"""A chart's text alternative, read from the figure itself: what a screen reader says for the chart (the page
puts it in the chart's ``aria-label``; ``views.widgets.live_chart``).  No streamlit import.

The words come from what the figure draws, so they cannot drift from it: its title, its axes' titles, each
legend entry with where its line ends (the key numbers: a path's last point, a loss curve's last step and
value), the words it writes on the plot (a path's "left the view at step 4", a band's "blows up") and its
annotations.  A page that knows more (the runs' outcomes in the engine's words) puts that first.
"""

from __future__ import annotations

import base64
import math
import re

import numpy as np
import plotly.graph_objects as go

__all__ = ["MAX_CHARS", "describe"]

MAX_CHARS = 800  # a screen reader reads the whole label at once: past this, the rest is left out
_TAG = re.compile(r"<[^>]+>")


def describe(fig: go.Figure | dict, facts: str = "") -> str:
    """The text alternative of ``fig`` (a ``go.Figure`` or Plotly's plain dict), after ``facts`` when given:
    "Map. x: ..., y: .... SGD · lr 0.1 ends at (0.001, 0.0002); start at (1.5, -1). On the plot: ...".  """
    layout, traces = _parts(fig)
    title = _words(_title(layout.get("title"))) or "Chart"
    axes = [f"{name[0]}: {text}" for name, axis in sorted(layout.items())
            if re.fullmatch(r"[xy]axis\d*", name) and isinstance(axis, dict)
            and (text := _words(_title(axis.get("title"))))]
    entries, written = [], []
    for trace in traces:
        name = _words(trace.get("name"))
        if name and trace.get("showlegend") is not False and trace.get("visible") in (None, True):
            entries.append(name + _where(trace))
        if "text" in str(trace.get("mode") or ""):
            written += [_words(t) for t in np.atleast_1d(_or_empty(trace.get("text"))).tolist() if _words(t)]
    written += [_words(a.get("text")) for a in layout.get("annotations") or () if _words(a.get("text"))]
    parts = [facts, f"{title}{' (' + '; '.join(axes) + ')' if axes else ''}", "; ".join(dict.fromkeys(entries))]
    if written:
        parts.append("On the plot: " + "; ".join(dict.fromkeys(written)))
    text = ". ".join(p.rstrip(". ") for p in parts if p) + "."
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _parts(fig: go.Figure | dict) -> tuple[dict, list[dict]]:
    """The layout as a dict and, per trace, the few properties read here (a go.Figure's arrays are not
    copied)."""
    if isinstance(fig, dict):
        return fig.get("layout") or {}, list(fig.get("data") or [])
    keys = ("name", "showlegend", "visible", "mode", "text", "x", "y", "type")
    return fig.layout.to_plotly_json(), [{k: getattr(t, k, None) for k in keys} for t in fig.data]


def _or_empty(value):
    return [] if value is None else value


def _title(title) -> str | None:
    return title.get("text") if isinstance(title, dict) else title


def _words(text) -> str:
    """Plotly's rich text as plain words: tags dropped, <br> a space."""
    return " ".join(_TAG.sub(" ", str(text)).split()) if text not in (None, "") else ""


def _values(array) -> np.ndarray:
    """A trace's x or y as floats: a list, a NumPy array or Plotly's typed-array dict ({dtype, bdata})."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).astype(float)
    try:
        return np.asarray(array if array is not None else [], dtype=float).ravel()
    except (TypeError, ValueError):  # categories or dates: no number to read
        return np.array([])


def _where(trace: dict) -> str:
    """" ends at (x, y)" for a line (its last finite point), " at (x, y)" for a single point, else ""."""
    if trace.get("type") not in (None, "scatter", "scattergl"):
        return ""
    xs, ys = _values(trace.get("x")), _values(trace.get("y"))
    n = min(len(xs), len(ys))
    finite = np.flatnonzero(np.isfinite(xs[:n]) & np.isfinite(ys[:n]))
    if not finite.size:
        return ""
    x, y = xs[finite[-1]], ys[finite[-1]]
    point = f"({_number(x)}, {_number(y)})"
    return f" at {point}" if finite.size == 1 else f" ends at {point}"


def _number(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else str(value)
