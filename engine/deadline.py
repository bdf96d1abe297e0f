"""A wall-clock bound on pure-Python work in the current thread: ``with time_bound(seconds, message): ...``.

Streamlit runs each page script in a thread of its own, where ``signal.alarm`` cannot be used, and a
helper process could not hand back the NumPy functions sympy generates; a trace hook would slow sympy
down two- to threefold.  So a timer thread, once ``seconds`` have passed, asks CPython to raise ``TimeUp``
in the working thread (``PyThreadState_SetAsyncExc``), which happens at its next Python bytecode: work
that stays inside one C call is interrupted when it returns to Python (sympy, which this bounds, is pure
Python).  ``TimeUp`` is a BaseException, so the ``except Exception`` clauses inside sympy do not swallow
it; at the boundary it becomes ``TimeBoundExceeded(message)``, a ValueError.  A lock makes "finished" and "time is up"
exclusive, and a request the thread has not yet received when the work finishes is withdrawn.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["TimeBoundExceeded", "time_bound"]

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class TimeBoundExceeded(ValueError):
    """The bounded work did not finish in time; the message says what the caller could not do."""


class TimeUp(BaseException):
    """Raised inside bounded work when its time is up; never leaves ``time_bound``."""


@contextmanager
def time_bound(seconds: float, message: str) -> Iterator[None]:
    """Run the body; raise ``TimeBoundExceeded(message)`` if it is still running after ``seconds`` of wall time."""
    worker = threading.get_ident()
    lock = threading.Lock()
    state = {"finished": False, "fired": False}

    def stop() -> None:
        with lock:
            if not state["finished"]:
                state["fired"] = True
                _set_async_exc(worker, TimeUp)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    try:
        timer.start()
        try:
            yield
        finally:
            with lock:
                state["finished"] = True
            timer.cancel()
            if state["fired"]:
                _set_async_exc(worker, ctypes.py_object())  # withdraw it if it has not arrived yet
    except TimeUp:
        raise TimeBoundExceeded(message) from None
    if state["fired"]:
        raise TimeBoundExceeded(message)
