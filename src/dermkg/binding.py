"""Binding query parameters as typed RDF terms, never as pasted user text.

A parameter value is first converted into an RDF term of the parameter's declared type
(a typed literal or an IRI), then serialised by rdflib (which escapes it) into a
``VALUES`` block placed at the start of the query's ``WHERE`` group. Whatever a user
types ends up inside one escaped literal: it cannot change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Node

from dermkg.errors import QueryError

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WHERE = re.compile(r"(?<![\w?$:])WHERE\b", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _code_positions(sparql: str) -> list[int]:
    """Indexes of the characters of ``sparql`` that are outside strings, IRIs and comments."""
    keep: list[int] = []
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "<":
            m = _IRI.match(sparql, i)
            if m:
                i = m.end()
                continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        keep.append(i)
        i += 1
    return keep


def code_text(sparql: str) -> str:
    """``sparql`` without its comments, strings and IRIs (what is left is query syntax)."""
    return "".join(sparql[i] for i in _code_positions(sparql))


def where_group_start(sparql: str) -> int:
    """The index just after the opening brace of the query's WHERE group."""
    positions = _code_positions(sparql)
    code = "".join(sparql[i] for i in positions)
    m = _WHERE.search(code)
    start = m.end() if m else 0
    brace = code.find("{", start)
    if brace < 0:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return positions[brace] + 1


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with ``bindings`` as a one-row VALUES block opening its WHERE group."""
    if not bindings:
        return sparql
    for name in bindings:
        if not _NAME.match(name):
            raise QueryError(f"invalid parameter name {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    at = where_group_start(sparql)
    return f"{sparql[:at]}\n  VALUES ({names}) {{ ({terms}) }}\n{sparql[at:]}"
