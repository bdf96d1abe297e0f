"""What is wrong with a typed expression that Python's parser refuses, in words that fit the mistake.

Python's own messages are terse ("invalid syntax") and point nowhere useful for a formula, so
``syntax_error`` looks at the text's tokens for the usual slips and names the one it finds, with the
position of the character to look at (0-based, in the text as typed):

- brackets: a ``)`` with no ``(`` before it, or a ``(`` never closed;
- an operator missing an operand: at the end (``x**``), at the start (``*x``), before ``)`` or after ``(``,
  or followed by another one (``x*/2``; a sign after an operator is fine: ``x*-2``);
- two operands side by side (``2x``, ``x y``): a product needs ``*``, a function its argument in
  parentheses (``sin x``);
- ``=``: only the formula is typed.

Anything else keeps Python's message and position.  ``^`` counts as the power operator, as in
``engine.expressions``.
"""

from __future__ import annotations

import io
import tokenize

__all__ = ["ExpressionError", "syntax_error"]

_OPERATORS = {"+", "-", "*", "/", "**", "^"}
_SIGNS = {"+", "-"}
_SKIPPED = {tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT}


class ExpressionError(ValueError):
    """A typed expression that cannot be used; ``position`` is the 0-based index of the character the
    message is about, in the text as typed (None when the message is about the whole expression)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


def syntax_error(text: str, err: SyntaxError, functions) -> ExpressionError:
    """The error to show for ``text`` (one line, as typed) that Python's parser refused with ``err``
    (the stripped text parsed after ``^`` became ``**``); ``functions``: the names callable in an expression."""
    lead, body = len(text) - len(text.lstrip()), text.strip()
    problem = _brackets(body) or _tokens(body, functions)
    if problem is None:
        offset = err.offset - 1 if err.offset and "^" not in body else None  # ** for ^ shifts columns
        problem = err.msg + (f" at character {lead + offset + 1}" if offset is not None else ""), offset
    words, position = problem
    return ExpressionError(f"not a valid expression: {words}", None if position is None else lead + position)


def _brackets(text: str) -> tuple[str, int] | None:
    opened: list[int] = []
    for i, c in enumerate(text):
        if c == "(":
            opened.append(i)
        elif c == ")":
            if not opened:
                return "')' has no matching '('", i
            opened.pop()
    return ("'(' is never closed", opened[-1]) if opened else None


def _tokens(text: str, functions) -> tuple[str, int] | None:
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in _SKIPPED]
    except (tokenize.TokenError, SyntaxError):
        return None
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    if last.string in _OPERATORS:
        return f"{last.string!r} at the end has nothing on its right, e.g. x{last.string}2", last.start[1]
    if first.string in _OPERATORS - _SIGNS:
        return f"{first.string!r} at the start has nothing on its left", first.start[1]
    for a, b in zip(tokens, tokens[1:], strict=False):
        problem = _pair(a, b, functions)
        if problem:
            return problem
    return None


def _pair(a: tokenize.TokenInfo, b: tokenize.TokenInfo, functions) -> tuple[str, int] | None:
    """The slip between two neighbouring tokens, if any."""
    if a.string in _OPERATORS and b.string == ")":
        return f"{a.string!r} has nothing on its right", a.start[1]
    if a.string == "(" and b.string in _OPERATORS - _SIGNS:
        return f"{b.string!r} has nothing on its left", b.start[1]
    if a.string in _OPERATORS and b.string in _OPERATORS - _SIGNS:
        return f"{a.string!r} is followed by {b.string!r}: one of them is missing an operand", b.start[1]
    if "=" in (a.string, b.string):
        at = a if a.string == "=" else b
        return "'=' is not allowed: type only the formula, e.g. x**2 + y**2", at.start[1]
    if _ends_operand(a) and _starts_operand(b) and not (a.type == tokenize.NAME and b.string == "("):
        if a.string in functions:
            return f"{a.string!r} takes its argument in parentheses, e.g. {a.string}(x)", b.start[1]
        return f"nothing between {a.string!r} and {b.string!r}: write products with *, e.g. 2*x", b.start[1]
    return None


def _ends_operand(t: tokenize.TokenInfo) -> bool:
    return t.type in (tokenize.NAME, tokenize.NUMBER) or t.string == ")"


def _starts_operand(t: tokenize.TokenInfo) -> bool:
    return t.type in (tokenize.NAME, tokenize.NUMBER) or t.string == "("
