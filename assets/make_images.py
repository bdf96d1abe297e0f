"""Make the logo and the PNG images of assets/ from the hand-written SVGs: rerun after editing one.

    .venv/bin/python -m assets.make_images

logo.svg, the sidebar's wordmark: icon.svg beside the words "Descent Lab" (held to Arial's length, so that
no other font the browser picks can overflow the box).  favicon.png (64 × 64, transparent corners) from icon.svg,
the page icon Streamlit gives the browser tab, and social_preview.png (1200 × 630, the Open Graph size) from
social_preview.svg: both drawn by headless Chromium (Playwright), so they are what a browser draws from the SVG.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.harness import launch_chromium

ASSETS = Path(__file__).resolve().parent
RENDERS = {"favicon.png": ("icon.svg", 64, 64), "social_preview.png": ("social_preview.svg", 1200, 630)}
# the words in Arial's metrics (Liberation Sans has the same): 202 px wide at 34 px, caps centred on the icon
WORDMARK = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 282 64" width="282" height="64">
  <title>Descent Lab</title>
  <!-- made by assets/make_images.py from icon.svg: edit that, then rerun the script -->
  {icon}
  <text x="78" y="44" textLength="202" lengthAdjust="spacingAndGlyphs" font-size="34" font-weight="700"
        font-family="Arial, 'Liberation Sans', Helvetica, sans-serif" fill="#0f172a">Descent Lab</text>
</svg>
"""


def wordmark(icon: str) -> str:
    """The logo's SVG: ``icon`` (an SVG document, its title dropped) nested at the left, then the words."""
    nested = re.sub(r"\s*<title>.*?</title>", "", icon.strip(), flags=re.S)
    return WORDMARK.format(icon="\n  ".join(nested.splitlines()))


def render(page, svg: Path, png: Path, width: int, height: int) -> None:
    """Draw ``svg`` at width × height CSS pixels (device scale 1) and save it as ``png``."""
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(f'<body style="margin:0"><img src="data:image/svg+xml;base64,'
                     f'{base64.b64encode(svg.read_bytes()).decode()}" width="{width}" height="{height}" '
                     'style="display:block"></body>')
    page.wait_for_function("() => document.images[0].complete")
    page.screenshot(path=png, omit_background=True)


def main() -> None:
    (ASSETS / "logo.svg").write_text(wordmark((ASSETS / "icon.svg").read_text()))
    print("wrote assets/logo.svg")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(device_scale_factor=1)
        for png, (svg, width, height) in RENDERS.items():
            render(page, ASSETS / svg, ASSETS / png, width, height)
            print(f"wrote assets/{png} ({width} × {height}, {(ASSETS / png).stat().st_size / 1024:.1f} KiB)")
        browser.close()


if __name__ == "__main__":
    main()
