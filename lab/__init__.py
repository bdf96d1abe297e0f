"""Descent Lab's app logic, pure Python: the run configuration and its one URL codec (``lab.config``,
``lab.url_schema``), the one cached road from a configuration to runs (``lab.runs``, and the tools' cached
sweeps in ``lab.tool_runs`` and ``lab.tool_grids``), Plotly figure builders (``lab.figures_*``), exports, code
generation and share links.

Arrows point down: ``views`` -> ``lessons`` -> ``lab`` -> ``engine``.  Nothing here imports streamlit,
``lessons`` or ``views`` (``tests/test_layers.py``).
"""
