"""The pages: one thin file per page (widgets -> a RunConfig -> ``lab.runs`` -> figure builders), and the
widget layer in ``views.widgets``.  The only package that imports streamlit; imported by ``app.py`` alone."""
