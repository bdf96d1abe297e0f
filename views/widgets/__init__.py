"""The widget layer of the pages: URL-bound widget groups, the chart and slider components' Python side,
the lesson and Claims-lab renderers, and the cached runs.  With ``views`` the only code importing streamlit.
"""

from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def asset(name: str) -> str:
    """The text of the static file ``assets/<name>`` (a component's JavaScript or the shared CSS)."""
    return (ASSETS / name).read_text()
