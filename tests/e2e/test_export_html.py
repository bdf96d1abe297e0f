"""The downloaded animation plays on its own: opened from file:// (no server), Play moves the heads."""

from __future__ import annotations

import numpy as np

import engine
from lab.exports import animation_html
from lab.figures_map import map_figure
from lab.raster import surface_picture
from lab.runs import make_config, run_of

HEAD_X = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const heads = gd._fullData.find(t => t.name === 'heads' && t.xaxis === 'x');  // the map's, not the strip's
  return Array.from(heads.x).slice(-1)[0];  // the head is the last point of its trail
}"""


def test_html_file_plays_offline(page, tmp_path, shot):
    surface = engine.surface("rosenbrock")
    run = run_of(make_config("rosenbrock", "adam", tuple(surface.start), 80, lr=0.05))
    path = tmp_path / "descent-lab-rosenbrock-adam.html"
    path.write_text(animation_html(map_figure(surface, [run], ["Adam"], surface_picture(surface, size=80))),
                    encoding="utf-8")
    offline = []
    page.on("request", lambda r: offline.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .updatemenu-button")
    start = page.evaluate(HEAD_X)
    assert abs(start - surface.start[0]) < 1e-6  # paused on load at step 0
    page.locator(".updatemenu-button", has_text="Play").click()
    page.wait_for_function(f"() => Math.abs(({HEAD_X})() - {start}) > 1e-3", timeout=10_000)
    last = float(run.points[run.last_step(0), 0, 0])
    page.wait_for_function(f"() => Math.abs(({HEAD_X})() - {last}) < 1e-4", timeout=20_000)  # reached the end
    shot("export-html-played")
    assert offline == []  # nothing fetched from a network
    assert not np.isclose(last, start)
