"""The scan of the browser tests' server log (tests/e2e/server_log.py) catches what it must: an unhandled
exception's traceback and NumPy's RuntimeWarning, each with the lines that say what it was; a clean log of
Streamlit's own start-up lines has none.  No browser or server needed."""

from tests.e2e.server_log import faults

TRACEBACK = """\
2026-12-05 05:40:01.123 Uncaught app execution
Traceback (most recent call last):
  File "/work/app/views/stability_map.py", line 40, in <module>
    smap = stability_grid(config, axis)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
ValueError: lr must be at most 10, got 1000000.0
2026-12-05 05:40:02.000 the next line of the log"""

WARNING = """\
/work/app/engine/simulate.py:88: RuntimeWarning: overflow encountered in multiply
  np.multiply(grad, lr, out=step)"""

CLEAN = """\

  You can now view your Streamlit app in your browser.

  URL: http://127.0.0.1:8501
"""


def test_a_traceback_is_caught_down_to_its_exception():
    found = faults(CLEAN + TRACEBACK)
    assert len(found) == 1
    assert found[0].startswith("Traceback") and found[0].endswith("ValueError: lr must be at most 10, got 1000000.0")


def test_a_runtime_warning_is_caught_with_its_code_line():
    assert faults(WARNING) == [WARNING]


def test_every_fault_is_caught_and_a_clean_log_has_none():
    assert faults(CLEAN) == []
    assert len(faults("\n".join((TRACEBACK, CLEAN, WARNING, TRACEBACK)))) == 3


def test_a_page_that_raises_puts_its_traceback_in_the_server_log(browser, tmp_path):
    """End to end: a server started as the session's is (``streamlit_server`` with a log file), a page whose
    script raises and one that emits NumPy's RuntimeWarning, opened in the browser: both are found in the log."""
    import pytest

    from benchmarks.harness import streamlit_server

    pytest.importorskip("playwright")
    script = tmp_path / "broken.py"
    script.write_text("import numpy as np\nimport streamlit as st\n"
                      "if st.query_params.get('warn'):\n    np.exp(np.array([1000.0]))\n"
                      "else:\n    raise ValueError('lr must be at most 10, got 1000000.0')\n")
    log = tmp_path / "stderr.log"
    with streamlit_server(str(script), cwd=tmp_path, log=log) as url:
        page = browser.new_page()
        try:
            for address in (url, f"{url}/?warn=1"):
                page.goto(address)
                page.wait_for_selector('[data-testid="stMain"]')
                page.wait_for_timeout(1500)
        finally:
            page.close()
    found = faults(log.read_text(errors="replace"))
    assert any(f.startswith("Traceback") and f.endswith("ValueError: lr must be at most 10, got 1000000.0")
               for f in found), found
    assert any("RuntimeWarning: overflow encountered in exp" in f for f in found), found
