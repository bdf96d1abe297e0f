"""Descent Lab: st.set_page_config and the navigation over the pages; nothing else."""

import streamlit as st

from views.registry import pages

st.set_page_config(page_title="Descent Lab", page_icon="⛰️", layout="wide")
st.navigation(pages()).run()
