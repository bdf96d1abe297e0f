"""Descent Lab's Streamlit/Plotly side: the run config and its URL schema, cached runs, widget groups and
pure figure builders.  Figure modules (``ui.figures*``) never import streamlit; the engine never imports
anything from here.
"""
