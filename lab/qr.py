""""Share with the class": a link as a QR code (segno, pure Python) and as short text to read out.

The QR code uses error-correction level M (15 % of the symbol may be covered or blurred on a projector and
still scan).  The SVG draws every dark module; it is what the page shows, so a test can read the modules
back from it and compare them with a fresh encoding of the link.
"""

from __future__ import annotations

import segno

__all__ = ["ERROR", "qr_code", "qr_svg", "short_link"]

ERROR = "m"


def qr_code(url: str) -> segno.QRCode:
    """The QR code (not Micro QR) of ``url``; ValueError for an empty link."""
    if not isinstance(url, str) or not url:
        raise ValueError(f"a link to encode is needed, got {url!r}")
    return segno.make_qr(url, error=ERROR, boost_error=False)


def qr_svg(url: str, border: int = 4, width: str = "100%") -> str:
    """An inline ``<svg>`` of the link's QR code: black on white, one unit a module in its viewBox, a quiet
    zone of ``border`` modules (4 is the standard's minimum), drawn ``width`` wide (it scales crisply)."""
    svg = qr_code(url).svg_inline(border=border, omitsize=True, dark="#000", light="#fff")
    return svg.replace("<svg ", f'<svg style="width: {width}; height: auto; display: block" ', 1)


def short_link(url: str) -> str:
    """The link as text to type: without the scheme and a leading "www." (browsers add them back)."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
    return url.removeprefix("www.")
