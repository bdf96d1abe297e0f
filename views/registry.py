"""The app's pages in navigation order.  Home is the default page at ``/``; each section is a list."""

from __future__ import annotations

import streamlit as st


def pages() -> dict[str, list[st.Page]]:
    """Sections of the navigation, each a list of ``st.Page``."""
    return {
        "": [
            st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
        ],
    }
