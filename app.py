"""Descent Lab: st.set_page_config, the logo and the navigation over the pages; nothing else."""

import streamlit as st

from views.registry import pages
from views.widgets import FAVICON, LOGO, LOGO_ICON

st.set_page_config(page_title="Descent Lab", page_icon=str(FAVICON), layout="wide")
st.logo(str(LOGO), icon_image=str(LOGO_ICON), size="large")
st.navigation(pages()).run()
