"""The fair race opened with a link over the work budget (lab.tool_budget) under AppTest: a notice says what
the link asked, the budget and what runs instead (fewer lrs per factor of ten, the same steps); the sweep's
caption and the table follow what ran; the address keeps what was asked."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.lab.test_tool_budget import LONG

VIEWS = Path(__file__).resolve().parents[2] / "views"


def test_race_over_the_budget_sweeps_fewer_lrs_and_says_so():
    at = AppTest.from_file(str(VIEWS / "race.py"), default_timeout=120)
    at.query_params.update({"surface": "custom", "f": LONG, "steps": "2000", "lr_min": "1e-05", "lr_max": "10",
                            "per_decade": "20", "x0": "1", "y0": "1"})
    at.run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    notices = [i.value for i in at.info if "point-steps" in i.value]
    assert len(notices) == 1
    for part in ("121 lrs (20 per factor of ten) × 2000 steps", "5,000,000", "typed f(x, y)",
                 "Showing 7 optimizers × 61 lrs (10 per factor of ten) × 2000 steps instead"):
        assert part in notices[0], part
    assert "at 61 lrs from 1e-05 to 10 (10 per factor of ten), 2000 steps each" in at.caption[0].value
    assert at.query_params["per_decade"] == "20" and at.query_params["steps"] == "2000"
