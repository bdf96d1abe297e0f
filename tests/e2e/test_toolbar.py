"""Chart toolbars in a real browser: every chart of the Playground and of a lesson page keeps its PNG button,
and none has a button that sends the chart off the machine (plotly.js's "Share chart..." / Chart Studio)."""

import re

import pytest

pytestmark = pytest.mark.e2e

UPLOAD = re.compile("chart studio|share|cloud", re.IGNORECASE)


def _toolbars(page, charts: int) -> list[list[str]]:
    """The button titles of each chart's mode bar, once at least ``charts`` charts are there, all drawn."""
    page.wait_for_function(f"""() => {{
        const charts = [...document.querySelectorAll('.live-chart')];
        return charts.length >= {charts} && charts.every((c) => c.querySelector('.modebar-btn'));
    }}""")
    return page.evaluate("""() => [...document.querySelectorAll('.live-chart')].map((chart) =>
        [...chart.querySelectorAll('.modebar-btn')].map((b) => b.getAttribute('data-title') || ''))""")


@pytest.mark.parametrize(("path", "charts"), [("playground?surface=bowl&lr=0.1", 3), ("lesson-1", 2)])
def test_chart_toolbars_keep_png_and_never_upload(page, server_url, shot, path, charts):
    page.goto(f"{server_url}/{path}")
    toolbars = _toolbars(page, charts)
    assert len(toolbars) >= charts
    page.hover(".live-chart >> nth=0")  # the toolbar shows on hover: this is what the student sees
    shot(f"toolbar-{path.split('?')[0]}")
    for titles in toolbars:
        assert any("png" in t.lower() for t in titles), titles
        assert not [t for t in titles if UPLOAD.search(t)], titles
