"""``lr_scrubber``: the live learning-rate slider (``st.components.v2``, drawn by ``lr_scrubber.js``).

An ARIA slider (``role="slider"``; arrows, PageUp/PageDown for a decade, Home/End) over the log lr grid,
with the 1/L and 2/L marks.  While its thumb moves, the browser shows what the server draws for the lr under
it (``lab.scrub.scrub_data``: the path, its marks and distance strip, the loss and lr curves, the stability
marker) and its outcome words; nothing reaches the server until the thumb is released (keys: once they have
been still for 400 ms, or the focus leaves), when ``on_commit(lr)`` runs (before the rerun it causes).

The scrub data (about half of what a Playground rerun sends) is sent once per ``scrub_id``: a rerun whose
scrub data is the one this session's browser already holds (only the committed lr changed) sends the id alone,
and ``lr_scrubber.js`` uses the table it kept.  A browser that does not hold it (a reloaded component) says so
(the "missing" trigger) and the next run sends it again.
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
                charts: Mapping[str, str] | None = None, line: int = 0, scrub_id: str = "") -> None:
    """The slider under ``key``, at ``value`` (one of ``options``, shown as ``texts``); ``marks``: (lr,
    text) pairs drawn on the track.  ``scrub``: ``lab.scrub.scrub_data`` for ``options`` (None: no live path,
    the slider only commits).  ``charts``: the element key of each chart the scrub data patches ("map",
    "progress", "stability"); ``line``: the racer's legend entry and outcome line (its index).  ``scrub_id``:
    what ``scrub`` is the data of (the config but the lr, and the grid); the same id, the same data."""
    held = f"{key}.held"  # session_state: the scrub_id of the data this session's browser holds
    if scrub is None or not scrub_id:
        sent = scrub
    elif st.session_state.get(held) == scrub_id:
        sent = None  # the browser has it: the id says which
    else:
        sent, st.session_state[held] = scrub, scrub_id
    data = {"label": label, "options": [float(v) for v in options], "texts": list(texts),
            "index": list(options).index(value), "marks": [{"at": float(at), "text": t} for at, t in marks],
            "scrub": sent, "scrubId": scrub_id if scrub is not None else "", "charts": dict(charts or {}),
            "line": line}

    def committed() -> None:
        lr = st.session_state[key].commit
        if lr is not None:
            on_commit(float(lr))

    def missing() -> None:  # the browser lacks the data of this id: the next run sends it
        if st.session_state[key].missing == st.session_state.get(held):
            st.session_state.pop(held, None)

    _COMPONENT(key=key, data=data, on_commit_change=committed, on_missing_change=missing)
