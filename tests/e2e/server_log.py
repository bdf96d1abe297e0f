"""What in the Streamlit server's stderr is a fault: a Python traceback (an exception a page or the server did
not handle) or a RuntimeWarning (NumPy's overflow or invalid value, which the engine promises never to emit).
The browser tests' server writes its stderr to a file (``tests/e2e/conftest.py``), scanned with ``faults``."""

from __future__ import annotations

FAULTS = ("Traceback", "RuntimeWarning")


def faults(log: str) -> list[str]:
    """Each fault in ``log``, as the lines that say what it was: a traceback from its "Traceback" line down to
    the exception's own line (the first one not indented after it); a warning's line and the code line below."""
    lines = log.splitlines()
    found = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "Traceback" in line:
            end = index + 1
            while end < len(lines) and lines[end][:1].isspace():
                end += 1
            found.append("\n".join(lines[index:end + 1]))
            index = end + 1
        elif "RuntimeWarning" in line:
            found.append("\n".join(lines[index:index + 2]))
            index += 2
        else:
            index += 1
    return found
