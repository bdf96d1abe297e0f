"""The stability map and basin map pages under AppTest: they render with the engine's numbers, the address
round-trips (state -> query -> state), controls write the address, and a bad query gives a notice and the
default, never a traceback."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lab.tool_links import BASIN_LRS, BASINS, STABILITY, read_tool, tool_query

VIEWS = Path(__file__).resolve().parents[2] / "views"


def _app(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(VIEWS / page), default_timeout=120)
    at.query_params.update(query)
    return at.run()


def _text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("tool, query", [
    (STABILITY, {}), (STABILITY, {"surface": "rosenbrock", "optimizer": "nesterov", "lr": "0.002",
                                  "momentum": "0.8", "axis": "curvature", "x0": "-1", "y0": "1.5"}),
    (STABILITY, {"optimizer": "sgd", "momentum": "0"}),
    (BASINS, {}), (BASINS, {"surface": "rastrigin", "optimizer": "momentum", "schedule": "step", "step_size": "50",
                            "lr_b": "0.004"}),
])
def test_state_round_trips_through_the_address(tool, query):
    config, own, notices = read_tool(tool, query)
    assert notices == []
    assert read_tool(tool, tool_query(tool, config, own)) == (config, own, [])


def test_stability_page_renders_the_engine_numbers_and_writes_the_address():
    at = _app("stability_map.py", momentum="0.3")
    assert not at.exception and not at.warning
    text = _text(at)
    assert "10,000 runs of 300 steps" in text
    # the tilted quadratic: L = 10, so at β = 0.3 the theory's limit is 2(1 + 0.3)/10 = 0.26
    assert "theory's limit there: 0.26" in text
    assert "Polyak's optimal heavy ball for μ = 1, L = 10" in text
    assert at.query_params["momentum"] == "0.3" and at.query_params["surface"] == "quadratic"
    at.radio(key="sm_axis").set_value("curvature").run()
    assert not at.exception and at.query_params["axis"] == "curvature"
    assert "In the row λ = " in _text(at)


def test_stability_page_bad_query_gives_a_notice_and_the_default():
    at = _app("stability_map.py", optimizer="adam", lr="banana", axis="sideways", surface="nowhere")
    assert not at.exception
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    for part in ("not adam", "lr=banana", "axis=sideways", "Unknown surface"):
        assert part in notice, part
    assert at.selectbox(key="sm_opt0").value == "sgd" and at.selectbox(key="sm_surface").value == "quadratic"
    assert at.query_params["lr"] == "0.08" and "axis" not in at.query_params


def test_stability_page_curvature_on_a_non_quadratic_says_so():
    at = _app("stability_map.py", surface="rosenbrock", axis="curvature")
    assert not at.exception
    assert any("not a quadratic" in i.value for i in at.info)


def test_basin_page_renders_two_maps_and_follows_its_controls():
    at = _app("basins.py")
    assert not at.exception and not at.warning
    lr, lr_b = BASIN_LRS["himmelblau"]
    text = _text(at)
    assert f"lr {lr:g}: of 6,561 starts" in text and f"lr {lr_b:g}: of 6,561 starts" in text
    assert at.query_params["surface"] == "himmelblau" and at.query_params["lr_b"] == f"{lr_b:g}"
    at.selectbox(key="bm_surface").set_value("six_hump_camel").run()
    assert not at.exception
    assert at.query_params["lr"] == f"{BASIN_LRS['six_hump_camel'][0]:g}"
    assert "to (0.0898, -0.713)" in _text(at)


def test_basin_page_bad_query_gives_a_notice_and_the_default():
    at = _app("basins.py", surface="quadratic", lr="-3", lr_b="x")
    assert not at.exception
    notice = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "not quadratic" in notice and "lr=-3" in notice and "lr_b=x" in notice
    assert at.selectbox(key="bm_surface").value == "himmelblau"
    assert at.query_params["lr"] == f"{BASIN_LRS['himmelblau'][0]:g}"


def test_stability_page_with_nesterov_sweeps_only_positive_momentum():
    at = _app("stability_map.py", optimizer="nesterov", momentum="0.9")  # torch refuses nesterov at β = 0
    assert not at.exception
    assert "10,000 runs of 300 steps" in _text(at)


def test_link_settings_without_a_control_are_kept_and_bad_combinations_give_a_notice():
    at = _app("basins.py", optimizer="adam", betas="0.8,0.99", weight_decay="0.01")
    assert not at.exception and not at.warning
    assert at.query_params["betas"] == "0.8,0.99" and at.query_params["weight_decay"] == "0.01"
    at = _app("stability_map.py", optimizer="nesterov", momentum="0")  # the link: a notice, nesterov's defaults
    assert not at.exception and any("Settings of nesterov ignored" in w.value for w in at.warning)
    at.slider(key="sm_h0.nesterov.momentum").set_value(0.0).run()  # the slider to β = 0: a warning, no traceback
    assert not at.exception and any("cannot run together" in w.value for w in at.warning)


# The work budget (lab.tool_budget): a link asking for more than one request may run gets a notice saying what it
# asked, the budget and what runs instead; the map is drawn at that size; the address keeps what was asked.

def _budget_notice(at: AppTest) -> str:
    notices = [i.value for i in at.info if "point-steps" in i.value]
    assert len(notices) == 1, [i.value for i in at.info]
    return notices[0]


def test_stability_page_over_the_budget_draws_a_coarser_map_and_says_so():
    at = _app("stability_map.py", steps="2000")
    assert not at.exception and not at.warning
    notice = _budget_notice(at)
    for part in ("100 × 100 runs of 2000 steps", "20,000,000", "5,000,000", "Showing a map of 50 × 50 runs of 2000"):
        assert part in notice, part
    assert "2,500 runs of 2000 steps" in _text(at)
    assert at.query_params["steps"] == "2000"


def test_basin_page_over_the_budget_draws_coarser_maps_and_says_so():
    at = _app("basins.py", surface="rastrigin", steps="2000", lr="10", lr_b="10")
    assert not at.exception and not at.warning
    assert "Showing 2 maps of 35 × 35 runs of 2000 steps" in _budget_notice(at)
    assert "of 1,225 starts" in _text(at) and "35 × 35 starts" in at.caption[0].value
    assert at.query_params["steps"] == "2000"


def test_pages_within_the_budget_show_no_budget_notice():
    for page, steps in (("stability_map.py", "500"), ("basins.py", "380")):  # 10,000 × 500; 2 × 6,561 × 380
        at = _app(page, steps=steps)
        assert not at.exception and not [i.value for i in at.info if "point-steps" in i.value], page
