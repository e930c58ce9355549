"""Binding query parameters as typed RDF terms, never as pasted user text.

A parameter value is first converted into an RDF term of the parameter's declared type
(a typed literal or an IRI), then serialised by rdflib (which escapes it) into a
one-row ``VALUES`` block. Whatever a user types ends up inside one escaped literal: it
cannot change the query's structure.

Where the block goes: by default at the start of the query's outer ``WHERE`` group. A
query can instead say where each parameter is bound with **bind markers**, comment lines
of the form::

    # @bind: trial_name nct_id_param

The block for the listed parameters (those given a value) is inserted on the line after
each marker naming them, so a parameter can restrict a sub-select *before* its
aggregation (a selective call then reads only what it needs) and also be bound in the
outer group. A parameter that some marker names is bound only at its markers; the others
at the start of the outer group. Markers are comments, so the query text runs as it is
(every parameter unbound) on any SPARQL engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rdflib.term import Node

from dermkg.errors import QueryError

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WHERE = re.compile(r"(?<![\w?$:])WHERE\b", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MARKER = re.compile(r"#[ \t]*@bind:[ \t]*([^\n]*)")


@lru_cache(maxsize=256)
def _scan(sparql: str) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    """Indexes of the characters of ``sparql`` outside strings, IRIs and comments, and the
    (start, end) spans of its comments (end: the newline or the end of the text).

    Cached: the same saved query is scanned once per process, not on every call."""
    keep: list[int] = []
    comments: list[tuple[int, int]] = []
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
            comments.append((i, end))
            i = end
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
    return tuple(keep), tuple(comments)


def _code_positions(sparql: str) -> tuple[int, ...]:
    """Indexes of the characters of ``sparql`` that are outside strings, IRIs and comments."""
    return _scan(sparql)[0]


@lru_cache(maxsize=256)
def bind_markers(sparql: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The ``# @bind: NAME …`` markers of ``sparql``: (index just after the marker's line,
    parameter names), in text order. Only real comments count (not text in strings)."""
    out: list[tuple[int, tuple[str, ...]]] = []
    for start, end in _scan(sparql)[1]:
        m = _MARKER.fullmatch(sparql, start, end)
        if m:
            names = tuple(m.group(1).replace(",", " ").split())
            for name in names:
                if not _NAME.match(name):
                    raise QueryError(f"bad parameter name {name!r} in bind marker {m.group(0)!r}")
            out.append((min(end + 1, len(sparql)), names))
    return tuple(out)


@lru_cache(maxsize=256)
def code_text(sparql: str) -> str:
    """``sparql`` without its comments, strings and IRIs (what is left is query syntax)."""
    return "".join(sparql[i] for i in _code_positions(sparql))


@lru_cache(maxsize=256)
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


Binding = Node | Sequence[Node]
"""A parameter's value: one term, or a sequence of terms (one ``VALUES`` row each; an
empty sequence keeps no row)."""


def _values_block(bindings: Mapping[str, Binding], indent: str = "  ") -> str:
    single = {name: term for name, term in bindings.items() if isinstance(term, Node)}
    lines = []
    if single:
        names = " ".join(f"?{name}" for name in single)
        terms = " ".join(term.n3() for term in single.values())
        lines.append(f"{indent}VALUES ({names}) {{ ({terms}) }}\n")
    for name, value in bindings.items():
        if isinstance(value, Node):
            continue
        if value:
            terms = " ".join(term.n3() for term in value)
            lines.append(f"{indent}VALUES ?{name} {{ {terms} }}\n")
        else:  # no value: the group keeps no row ("VALUES ?x {}" breaks rdflib 7)
            lines.append(f"{indent}FILTER(false)  # ?{name}: none\n")
    return "".join(lines)


def bind_values(sparql: str, bindings: Mapping[str, Binding]) -> str:
    """``sparql`` with ``bindings`` as VALUES blocks: after each bind marker naming them
    (see the module docstring), the others opening the outer WHERE group. A name bound to
    a sequence of terms gets a block of its own with one row per term."""
    if not bindings:
        return sparql
    for name in bindings:
        if not _NAME.match(name):
            raise QueryError(f"invalid parameter name {name!r}")
    inserts: list[tuple[int, str]] = []
    marked: set[str] = set()
    for at, names in bind_markers(sparql):
        marked.update(names)
        here = {name: bindings[name] for name in names if name in bindings}
        if here:
            line = sparql.rfind("\n", 0, at - 1) + 1
            indent = re.match(r"[ \t]*", sparql[line:]).group(0)  # type: ignore[union-attr]
            inserts.append((at, _values_block(here, indent)))
    rest = {name: term for name, term in bindings.items() if name not in marked}
    if rest:
        at = where_group_start(sparql)
        inserts.append((at, "\n" + _values_block(rest)))
    out = sparql
    for at, block in sorted(inserts, key=lambda item: item[0], reverse=True):
        out = out[:at] + block + out[at:]
    return out
