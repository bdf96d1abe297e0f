"""``browser_store``: a piece of text kept in the browser's ``localStorage``, so it outlives the server
session (a reload, a restart of the server) without an account.  Nothing leaves the browser but what the
page sends to its own server.

A hidden components-v2 element (the mechanism of ``views.widgets.live_chart``; no iframe, no extra
package).  Each run hands it ``value``:

- None: the page has not read the browser yet.  The element reads ``localStorage[name]`` and sends it back
  as its ``stored`` state ("" when nothing is stored or storage is disabled); that causes one rerun, before
  which ``on_load(text)`` runs.
- text: the page's current value.  The element writes it when the browser holds something else.

So a page passes None until ``on_load`` has run once in the session, and its value from then on.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

__all__ = ["PREFIX", "browser_store"]

_JS = """
export default function ({ data, setStateValue }) {
  let stored = null;
  try {
    stored = window.localStorage.getItem(data.name);
  } catch (error) { /* storage disabled (e.g. blocked cookies): nothing is kept */ }
  if (data.value === null) {
    setStateValue("stored", stored ?? "");
  } else if (stored !== data.value) {
    try { window.localStorage.setItem(data.name, data.value); } catch (error) { /* full or disabled */ }
  }
}
"""
PREFIX = "browser_store_"  # the element's key: this and the name
# The CSS holds a newline: without one, Streamlit reads a CSS string with "*" or "[" in it as a file path.
_COMPONENT = st.components.v2.component("descent_lab.browser_store", js=_JS, isolate_styles=False,
                                        css=f'[class*="st-key-{PREFIX}"] {{\n  display: none;\n}}')


def browser_store(name: str, value: str | None, on_load: Callable[[str], None]) -> None:
    """Keep ``value`` in the browser under ``name`` (see the module docstring), from a hidden element keyed
    ``browser_store_<name>``."""
    key = PREFIX + name

    def loaded() -> None:
        text = st.session_state[key].stored
        on_load(text if isinstance(text, str) else "")

    _COMPONENT(key=key, data={"name": name, "value": value}, on_stored_change=loaded)
