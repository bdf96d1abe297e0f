"""The floor for bench_pages' Share dialog: a bare Streamlit page whose one button opens an ``st.dialog`` with
one line of text (Streamlit's own round trip for a click that opens a dialog)."""

import streamlit as st


@st.dialog("Share")
def share() -> None:
    st.markdown("A link to this page.")


if st.button("Share", key="share"):
    share()
