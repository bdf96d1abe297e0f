"""The Claims lab page (claims in lessons/claims.py)."""

from lessons.claims_page import render_claims

render_claims()
