"""Running Descent Lab for a school: N Streamlit replicas behind nginx (deploy/serve.py)."""
