"""live_chart under AppTest: the figure and config reach the component as sent, its identity stays the same
when the figure changes (so the browser updates the one graph instead of remounting it), and the Plotly
module it loads exists in the installed Streamlit.  Drawing and clicking are tested in tests/e2e."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.io as pio
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lab.exports import chart_config
from views.widgets import asset
from views.widgets.live_chart import CODE_HIGHLIGHTER, PLOTLY_BUNDLE
from views.widgets.live_chart import __file__ as live_chart_file


def chart_page() -> None:
    import streamlit as st

    from lab.figures_charts import stability_figure
    from views.widgets.live_chart import live_chart

    lr = st.slider("lr", 0.01, 1.0, 0.1, key="lr")
    live_chart(stability_figure(0.1, 0.2, [lr], ["SGD"]), "strip", "stability", mode_bar="hover",
               on_click=lambda x, y: None)


def _component(at: AppTest):
    (element,) = at.get("bidi_component")
    return element.proto


def test_the_figure_and_config_reach_the_component_and_its_identity_is_kept():
    from lab.figures_charts import stability_figure

    at = AppTest.from_function(chart_page, default_timeout=30).run()
    assert not at.exception
    proto = _component(at)
    data = json.loads(proto.json)
    assert proto.component_name == "descent_lab.live_chart"
    assert json.loads(data["figure"]) == json.loads(pio.to_json(stability_figure(0.1, 0.2, [0.1], ["SGD"]),
                                                                validate=False))
    assert data["config"] == chart_config("stability", mode_bar="hover") and data["config"]["displaylogo"] is False
    assert data["config"]["showSendToCloud"] is False  # nothing in its toolbar uploads the chart
    assert data["clickable"] is True and data["defer"] is False and data["fill"] is False and data["preload"] == []
    assert data["bundle"] == PLOTLY_BUNDLE
    first_id = proto.id
    at.slider(key="lr").set_value(0.5).run()
    moved = _component(at)
    assert json.loads(json.loads(moved.json)["figure"]) != json.loads(data["figure"])
    assert moved.id == first_id  # same element: the browser calls Plotly.react on the mounted graph


def test_plotly_module_is_streamlits_own_chart_module():
    build = Path(st.__file__).parent / "static" / "static" / "js"
    module = (build / PLOTLY_BUNDLE).read_text(encoding="utf-8")
    assert PLOTLY_BUNDLE.startswith("PlotlyChart.") and "window.Plotly=" in module
    js = asset("live_chart.js")
    assert "Plotly.react" in js and "window.Plotly" in js


def test_code_highlighter_is_the_module_streamlits_code_block_loads():
    build = Path(st.__file__).parent / "static" / "static" / "js"
    assert CODE_HIGHLIGHTER.startswith("StreamlitSyntaxHighlighter.") and (build / CODE_HIGHLIGHTER).is_file()
    lazy_import = f"import(`./{CODE_HIGHLIGHTER}`)"  # the frontend's own, which the preload gets ahead of
    assert any(lazy_import in index.read_text(encoding="utf-8") for index in build.glob("index.*.js"))


def spec_page() -> None:
    from lab.figures_map import spec
    from views.widgets.live_chart import live_chart

    live_chart(spec([{"type": "scatter", "x": [1, 2], "y": [3, 4]}], {"height": 200}), "plain")


def test_a_plain_figure_dict_is_sent_without_building_a_go_figure():
    at = AppTest.from_function(spec_page, default_timeout=30).run()
    assert not at.exception
    figure = json.loads(json.loads(_component(at).json)["figure"])
    assert figure["data"] == [{"type": "scatter", "x": [1, 2], "y": [3, 4]}]
    assert figure["layout"]["height"] == 200 and figure["layout"]["template"] == {}
    assert json.loads(_component(at).json)["config"] == chart_config("plain", mode_bar="hover")  # named by its key


def test_a_hotkey_must_be_one_letter():
    from views.widgets.hotkey_toggle import hotkey_toggle

    for bad in ("", "qq", "1", "?"):
        with pytest.raises(ValueError, match="one letter"):
            hotkey_toggle("QR code", target="qr", hotkey=bad, key="toggle")


def test_every_chart_of_the_app_goes_through_live_chart():
    """chart_config is the only road: no page draws with st.plotly_chart (whose config would be its own)."""
    root = Path(live_chart_file).resolve().parents[2]
    sources = [p for folder in ("views", "lessons", "lab") for p in (root / folder).rglob("*.py")] + [root / "app.py"]
    assert len(sources) > 20
    assert [p.name for p in sources if "plotly_chart(" in p.read_text(encoding="utf-8")] == []
