"""Streamlit pages: thin layers from widgets to a config, the engine and the figure builders."""
