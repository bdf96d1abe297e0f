"""``hotkey_toggle``: a button, and a key, that show and hide a part of the page without a rerun.

The part is a keyed Streamlit container (``st.container(key=target)``, CSS class ``st-key-<target>``).  The
component (``st.components.v2``, no iframe) toggles the class ``open-<target>`` on the page's ``<body>``; the
page's own CSS decides what open and closed look like (the presenter's QR code: an overlay or nothing).
Escape closes it.  The key works anywhere on the page except while typing in a field.
"""

from __future__ import annotations

import streamlit as st

from views.widgets import asset

__all__ = ["hotkey_toggle"]

_COMPONENT = st.components.v2.component(
    "descent_lab.hotkey_toggle", js=asset("hotkey_toggle.js"), isolate_styles=False,
    css=asset("components.css"))


def hotkey_toggle(label: str, target: str, hotkey: str, key: str) -> None:
    """A button reading ``label`` (with ``hotkey`` shown beside it) that shows or hides the container keyed
    ``target``; pressing ``hotkey`` (one letter, either case) does the same, Escape hides it."""
    if len(hotkey) != 1 or not hotkey.isalpha():
        raise ValueError(f"the hotkey must be one letter, got {hotkey!r}")
    _COMPONENT(key=key, data={"label": label, "target": target, "hotkey": hotkey.lower()})
