"""What every figure builder shares: the plain-dict figure form, typed arrays, the racers' colours, the log
axis style and the animation's evenly sampled frame steps.  No streamlit import.
"""

from __future__ import annotations

import base64
import functools

import numpy as np
import plotly.graph_objects as go

__all__ = ["COLORS", "F4", "LOG_AXIS", "MAX_FRAMES", "TEXT_CONTRAST", "Figure", "Trace", "color", "figure",
           "frame_steps", "ink", "readable", "spec", "typed"]

Figure = go.Figure  # what a figure builder returns (lessons name it without importing plotly)
Trace = go.Scatter  # a mark a lesson adds over its map

# The racers' path colours (7: the race's optimizers), in order: Okabe & Ito's palette for colour-vision
# deficiencies (vermillion, bluish green, reddish purple, orange, black, yellow, sky blue), blues last because the
# map's background is a blue ramp (lab.raster).  tests/lab/test_palettes.py checks that every pair stays apart
# under simulated deuteranopia and protanopia.
COLORS = ("#D55E00", "#009E73", "#CC79A7", "#E69F00", "#000000", "#F0E442", "#56B4E9")
MAX_FRAMES = 60   # animation frames at most; longer runs are sampled evenly
F4 = np.float32   # plotting precision: halves the payload, far below a pixel


# Every 2D axis draws its tick labels level and lets them overflow: with Plotly's defaults ("auto" angle,
# "hide past div") each redraw measures every label to decide whether to turn or hide it, which is half the
# time of redrawing the map after a slider move.
_AXIS_DEFAULTS = {"tickangle": 0, "ticklabeloverflow": "allow"}
# Every log axis (learning rates, losses): labels on the decades only, as powers of ten, 12 px.  plotly.js
# labels the 2s and 5s between decades with the bare digit at 3/4 of the font (8-9 px), so 0.5 read as "5";
# an axis spanning less than a decade gets plotly.js's fully written linear ticks (0.1, 0.2, …) anyway.
LOG_AXIS = {"type": "log", "exponentformat": "power", "minorloglabels": "none", "tickfont": {"size": 12}}


def spec(data: list[dict], layout: dict, frames: list[dict] | None = None) -> dict:
    """The figure as Plotly's plain dict (what plotly.js takes): no template (Streamlit's theme styles it)
    and the axis defaults above.  ``views.widgets.live_chart`` sends it as it is: building a ``go.Figure`` of an
    animated map costs more than everything else the server does for it."""
    layout = {"template": {}, **layout}
    for name, axis in layout.items():
        if name[1:5] == "axis" and name[0] in "xy" and isinstance(axis, dict):
            layout[name] = _AXIS_DEFAULTS | axis
    return dict(data=data, layout=layout, frames=frames or [])


def figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A ``go.Figure`` of ``spec(...)``, without Plotly's per-property validation (7x faster for animated
    maps; the tests validate every builder's output once)."""
    return go.Figure(spec(data, layout, frames), _validate=False)


def typed(values) -> dict:
    """``values`` as float32 in Plotly's typed-array form (``{"dtype": "f4", "bdata": base64}``), the form
    plotly.py itself sends arrays in: the JSON is the same, but a figure built from it skips plotly.py's
    array conversion (3x faster to build and copy an animated map).  A value beyond float32's range becomes inf,
    without a RuntimeWarning."""
    with np.errstate(over="ignore"):  # a loss beyond float32's range (an overflowing f) is drawn as inf: a gap
        array = np.ascontiguousarray(values, dtype=F4)
    return {"dtype": "f4", "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def color(i: int) -> str:
    return COLORS[i % len(COLORS)]


TEXT_CONTRAST = 4.5  # WCAG 2 AA: text against its background


def _luminance(rgb: np.ndarray) -> float:
    """WCAG's relative luminance of an sRGB colour (0-255 channels)."""
    c = rgb / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def _rgb(colour: str) -> np.ndarray:
    """'#RRGGBB' or '#RGB' -> its channels 0-255."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * d for d in digits)
    if len(digits) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    return np.array([int(digits[k : k + 2], 16) for k in (0, 2, 4)], dtype=float)


@functools.lru_cache(maxsize=256)
def readable(colour: str, background: str = "#ffffff") -> str:
    """``colour`` ('#RRGGBB' or '#RGB') as text on ``background``: itself when it already has ``TEXT_CONTRAST``
    against it, else mixed with black in 5% steps until it has (the hue kept, so a label still matches its
    path).  Cached: a drag table writes the same few racers' words 61 times."""
    rgb = _rgb(colour)
    lit = _luminance(_rgb(background)) + 0.05
    for share in np.arange(0, 1.0001, 0.05):
        mixed = rgb * (1 - share)
        if lit / (_luminance(mixed) + 0.05) >= TEXT_CONTRAST:
            return colour if share == 0 else "#" + "".join(f"{round(v):02x}" for v in mixed)
    return "#000000"


def ink(i: int) -> str:
    """Racer i's colour for words written on a chart (``readable`` on white)."""
    return readable(color(i))


def frame_steps(steps: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """The steps shown as animation frames: 0 .. steps, evenly sampled down to at most ``max_frames + 1``."""
    return np.unique(np.linspace(0, steps, min(steps, max_frames) + 1).round().astype(int))
