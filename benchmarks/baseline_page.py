"""The latency floor for bench_playground: a bare Streamlit page with one slider and one small Plotly chart."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

amplitude = st.slider("a", 0.0, 1.0, 0.5, 0.01, key="a")
grid = np.linspace(0.0, 1.0, 50)
st.plotly_chart(go.Figure(go.Scatter(x=grid, y=np.sin(6 * grid) * amplitude)), key="chart")
