"""Where a shared link points, said on the page: the address students can reach (``lab.share_address``),
with a note when it is not the browser's own and a warning when students cannot open it."""

from __future__ import annotations

import streamlit as st

from lab.outcome import escape_markdown
from lab.share_address import SharePage, share_page

__all__ = ["address_notice", "current_share_page"]


def current_share_page() -> SharePage:
    """The page on screen as students reach it (from the browser's address, ``st.context.url``)."""
    return share_page(st.context.url)


def address_notice(page: SharePage) -> None:
    """A warning when the link works on this computer only; else a caption saying where its address came
    from (nothing when it is the browser's own)."""
    if page.warning:
        st.warning(escape_markdown(page.warning), icon=":material/wifi_off:")
    elif page.note:
        st.caption(escape_markdown(page.note))
