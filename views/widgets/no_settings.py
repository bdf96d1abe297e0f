"""A page whose address holds no settings (Home, the Claims lab): a link that puts keys in it gets a notice
naming each one, so nothing in a link is ignored silently."""

from __future__ import annotations

import streamlit as st

from lab.url_schema import shown

from .url_state import link_notice

__all__ = ["ignore_address"]


def ignore_address(page: str) -> None:
    """One notice naming every key of the address (none: nothing shown); ``page`` names the page in it."""
    keys = sorted(st.query_params.to_dict())
    link_notice([f"Ignored {shown(key)}: {page} has no settings in its address." for key in keys],
                kept="the page shows as always")
