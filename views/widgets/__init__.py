"""The widget layer of the pages: URL-bound widget groups, the chart and slider components' Python side,
the lesson and Claims-lab renderers, and the cached runs.  With ``views`` the only code importing streamlit.
"""

from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"
FAVICON = ASSETS / "favicon.png"  # the browser tab's icon (64 × 64), drawn from icon.svg
LOGO = ASSETS / "logo.svg"  # the sidebar's wordmark: the icon and "Descent Lab"
LOGO_ICON = ASSETS / "icon.svg"  # the logo in the corner while the sidebar is closed


def asset(name: str) -> str:
    """The text of the static file ``assets/<name>`` (a component's JavaScript or the shared CSS)."""
    return (ASSETS / name).read_text()
