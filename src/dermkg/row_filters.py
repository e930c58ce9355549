"""The operators of ``# filter:`` lines, named, described and implemented in one table.

A ``# filter: PARAM OP COLUMN…`` line of a saved query (:mod:`dermkg.catalog`) says what
a parameter does to the rows of the query's unparameterised answer, so that a call can be
answered from the answer stored at build time (:mod:`dermkg.graph.answers`). Each
operator decides, for one cell of a row and the parameter's value, what the query's own
``FILTER`` would decide; an error there (comparing a number with a text) keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import Literal
from rdflib.term import Node

Test = Callable[[Node | None, Node, str | None], bool]
"""(cell, parameter value, the operand's ``=TEXT`` constant) → keep the row?"""


@dataclass(frozen=True)
class FilterOp:
    """One operator: what it means, how it decides, and (for equality-like operators) the
    key a cell and a value share exactly when it holds, so that a column can be indexed."""

    name: str
    description: str
    holds: Test
    index_key: Callable[[Node], object] | None = None
    takes_text: bool = False
    """Its operands are ``COLUMN=TEXT`` (the test gets TEXT)."""


def equality_key(term: Node) -> object:
    """What SPARQL ``=`` compares: a literal's value within its kind of value (``2`` equals
    ``2.0``; ``true`` does not equal ``1``; ``"a"`` equals ``"a"^^xsd:string``), else the
    term itself (IRIs, language-tagged and unknown literals)."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return ("boolean", value)
        if isinstance(value, int | float | Decimal):
            return ("number", value)
        if not isinstance(value, Literal):
            return (type(value).__name__, value)
    return ("term", term)


def _number(term: Node) -> int | float | Decimal | None:
    if not isinstance(term, Literal):
        return None
    value = term.toPython()
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return value


def _compare(cell: Node, value: Node, test: Callable[[Any, Any], bool]) -> bool:
    a, b = _number(cell), _number(value)
    return a is not None and b is not None and bool(test(a, b))


def _lower(term: Node) -> str:
    return str(term).lower()


def _date_since(cell: Node, value: Node) -> bool:
    text = str(cell)  # a date, a month (2025-09) or a year: compared on what it gives
    return text[:10] >= str(value)[: len(text)]


_OPS = [
    FilterOp("equals", "a column's value equals the parameter (SPARQL =)",
             lambda cell, value, _: cell is not None and equality_key(cell) == equality_key(value),
             index_key=equality_key),
    FilterOp("equals-ci", "a column's text equals the parameter's, ignoring case",
             lambda cell, value, _: cell is not None and _lower(cell) == _lower(value),
             index_key=_lower),
    FilterOp("same-text", "a column's text (an IRI's, a literal's lexical form) is the "
             "parameter's",
             lambda cell, value, _: cell is not None and str(cell) == str(value)),
    FilterOp("contains-ci", "a column's text contains the parameter's, ignoring case",
             lambda cell, value, _: cell is not None and _lower(value) in _lower(cell)),
    FilterOp("at-most-or-unbound", "a column is unbound or ≤ the parameter",
             lambda cell, value, _: cell is None or _compare(cell, value, lambda a, b: a <= b)),
    FilterOp("at-least-or-unbound", "a column is unbound or ≥ the parameter",
             lambda cell, value, _: cell is None or _compare(cell, value, lambda a, b: a >= b)),
    FilterOp("date-since", "the column's date (or month, or year) reaches the parameter's day",
             lambda cell, value, _: cell is not None and _date_since(cell, value)),
    FilterOp("true-or-text", "the (boolean) parameter is true, or a column's text is the "
             "one given as COLUMN=TEXT",
             lambda cell, value, text: (isinstance(value, Literal) and value.toPython() is True)
             or (cell is not None and str(cell) == text),
             takes_text=True),
]

FILTER_OPS: dict[str, FilterOp] = {op.name: op for op in _OPS}
"""Operators of ``# filter:`` lines, by name."""
