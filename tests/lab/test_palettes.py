"""The app's colours stay apart for readers with the common red-green colour-vision deficiencies.

Each palette is seen through Machado, Oliveira & Fernandes (2009)'s simulation of full (severity 1.0)
protanopia and deuteranopia (their 3 x 3 matrices, applied to linear sRGB), then every pair of its colours is
compared in CIELAB (D65): the CIE 1976 colour difference ΔE*ab must stay at least ``MIN_DELTA_E``.  About 2.3 is
a just noticeable difference side by side; 15 keeps two small patches (a path, a legend square, a map cell)
plainly different.
"""

from itertools import combinations

import numpy as np
import pytest

from lab.figures_base import COLORS, TEXT_CONTRAST, ink, readable
from lab.figures_stability import OUTCOMES

MIN_DELTA_E = 15.0

# Machado et al. 2009, table for severity 1.0 (linear RGB in, linear RGB out)
VISION = {
    "normal vision": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
WHITE = SRGB_TO_XYZ.sum(axis=1)  # D65


def linear_rgb(hex_colour: str) -> np.ndarray:
    """'#RRGGBB' -> linear-light RGB in [0, 1] (the sRGB transfer curve undone)."""
    c = np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def cielab(rgb: np.ndarray) -> np.ndarray:
    """Linear RGB -> CIELAB (D65 white)."""
    t = SRGB_TO_XYZ @ np.clip(rgb, 0, 1) / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, vision: str) -> np.ndarray:
    return cielab(VISION[vision] @ linear_rgb(hex_colour))


def closest_pair(palette, vision: str) -> tuple[float, str, str]:
    """The smallest ΔE*ab between two colours of ``palette`` as ``vision`` sees them, and that pair."""
    return min((float(np.linalg.norm(seen(a, vision) - seen(b, vision))), a, b) for a, b in combinations(palette, 2))


def test_the_simulation_keeps_white_and_loses_red_against_green():
    for vision in VISION:
        assert np.allclose(seen("#FFFFFF", vision), [100, 0, 0], atol=0.5)  # each row of a matrix sums to 1
    assert closest_pair(["#FF0000", "#00FF00"], "normal vision")[0] > 150
    # the classic confusion pair of a red-green deficiency: far closer for both
    assert closest_pair(["#D62728", "#2CA02C"], "deuteranopia")[0] < 10
    assert closest_pair(["#FF7F0E", "#2CA02C"], "protanopia")[0] < 10


PALETTES = {
    "optimizer paths": COLORS,
    "outcomes (converged, oscillating, diverged, stalled, still moving)": [c for c, _ in OUTCOMES.values()],
}


@pytest.mark.parametrize("vision", list(VISION))
@pytest.mark.parametrize("name", list(PALETTES))
def test_every_pair_of_colours_stays_apart(name, vision):
    delta, a, b = closest_pair(PALETTES[name], vision)
    assert delta >= MIN_DELTA_E, f"{name}: {a} and {b} are only ΔE {delta:.1f} apart with {vision}"


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two '#RRGGBB' colours."""
    lum = [float(linear_rgb(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_words_in_a_racers_colour_are_readable_on_white():
    for i in range(len(COLORS)):
        assert contrast(ink(i), "#ffffff") >= TEXT_CONTRAST
        assert contrast(ink(i), "#ffffff") < TEXT_CONTRAST + 1 or ink(i) == COLORS[i]  # darkened no more than needed
    assert readable("#111111") == "#111111" and readable("#555") == "#555"  # dark enough already: unchanged
    assert contrast(readable("#F0E442"), "#ffffff") >= TEXT_CONTRAST > contrast("#F0E442", "#ffffff")
