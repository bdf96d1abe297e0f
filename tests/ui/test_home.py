"""The app's entry: Home is the default page and links to every section."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_home_is_the_default_page_and_links_to_the_sections():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Descent Lab"
    page_links = [el.proto.label for el in at.get("page_link")]
    assert page_links == ["Playground", "Lessons 1–10", "Claims lab", "Presenter"]
