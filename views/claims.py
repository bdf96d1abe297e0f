"""The Claims lab page (claims in lessons/claims.py)."""

from views.widgets.claims_page import render_claims

render_claims()
