"""``show_in_address_bar``: put a query string into the browser's address bar from a fragment rerun.

Writing ``st.query_params`` makes Streamlit's frontend push a history entry and re-render the whole app
(about 30 ms of browser CPU on every slider move, measured), and each move becomes a Back-button stop.
Inside an ``st.fragment`` the page calls this instead: a hidden components-v2 element whose script replaces
the current history entry's query (``history.replaceState``), so a reload or a copied address reproduces
the run.  The page still writes ``st.query_params`` on its full reruns, which keeps Streamlit's own record
of the query in step.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

__all__ = ["KEY", "show_in_address_bar"]

KEY = "address_bar"
_JS = """
export default function ({ data }) {
  const search = data.search ? `?${data.search}` : "";
  if (window.location.search !== search) {
    window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
  }
}
"""
_COMPONENT = st.components.v2.component("descent_lab.address_bar", js=_JS, isolate_styles=False,
                                        css=f".st-key-{KEY} {{ display: none; }}")


def show_in_address_bar(query: dict[str, str]) -> None:
    """Make the address bar show the current page with ``query`` (replacing, not adding, a history entry)."""
    _COMPONENT(key=KEY, data={"search": urlencode(query)})
