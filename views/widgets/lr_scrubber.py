"""``lr_scrubber``: the live learning-rate slider (``st.components.v2``, drawn by ``lr_scrubber.js``).

An ARIA slider (``role="slider"``; arrows, PageUp/PageDown for a decade, Home/End) over the log lr grid,
with the 1/L and 2/L marks.  While its thumb moves, the browser shows what the server draws for the lr under
it (``lab.scrub.scrub_data``: the path, its marks and distance strip, the loss and lr curves, the stability
marker) and its outcome words; nothing reaches the server until the thumb is released (keys: once they have
been still for 400 ms, or the focus leaves), when ``on_commit(lr)`` runs (before the rerun it causes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from views.widgets import asset

__all__ = ["lr_scrubber"]

_COMPONENT = st.components.v2.component(
    "descent_lab.lr_scrubber", js=asset("lr_scrubber.js"), isolate_styles=False,
    css=asset("components.css"))


def lr_scrubber(key: str, label: str, options: Sequence[float], value: float, texts: Sequence[str],
                marks: Sequence[tuple[float, str]], on_commit: Callable[[float], None], scrub: dict | None = None,
                charts: Mapping[str, str] | None = None, line: int = 0) -> None:
    """The slider under ``key``, at ``value`` (one of ``options``, shown as ``texts``); ``marks``: (lr,
    text) pairs drawn on the track.  ``scrub``: ``lab.scrub.scrub_data`` for ``options`` (None: no live path,
    the slider only commits).  ``charts``: the element key of each chart the scrub data patches ("map",
    "progress", "stability"); ``line``: the racer's legend entry and outcome line (its index)."""
    data = {"label": label, "options": [float(v) for v in options], "texts": list(texts),
            "index": list(options).index(value), "marks": [{"at": float(at), "text": t} for at, t in marks],
            "scrub": scrub, "charts": dict(charts or {}), "line": line}

    def committed() -> None:
        lr = st.session_state[key].commit
        if lr is not None:
            on_commit(float(lr))

    _COMPONENT(key=key, data=data, on_commit_change=committed)
