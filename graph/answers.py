"""The saved queries' answers, stored with each store generation.

When a build completes, every saved SELECT query that needs no parameter is run once on
the new database and its answer is written beside it::

    generations/<id>/answers/NAME.json    columns, the distinct terms, rows as term numbers

A call of a saved query is then answered from those rows: unparameterised, as they are;
with parameters, by the query's ``# filter:`` lines (:class:`dermkg.catalog.RowFilter`),
which say as data what each parameter does to the unparameterised rows (a test compares
every one with the query run with the parameter bound). The query runs on the database
instead when it has no stored answer, when its text changed since the answer was stored
(the answer keeps the text's SHA-256), when a parameter it is given has no filter line, or
after ``add``, ``retract`` or ``reason`` changed the store (they delete the answers before
writing; :func:`materialise` stores them again, as ``dermkg refresh`` does).

Why: the saved queries group many optional columns per claim, which Oxigraph evaluates
over the whole graph whatever the call asks for (0.8–2.8 s at 1M triples for every row);
reading a stored answer takes milliseconds. Arbitrary SPARQL still goes to the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from dermkg.binding import Binding, bind_values
from dermkg.catalog import RowFilter, SavedQuery, saved_queries
from dermkg.results import python_value
from dermkg.row_filters import FILTER_OPS

ANSWERS = "answers"
FORMAT = 1
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
log = logging.getLogger(__name__)

Rows = list[tuple[Node | None, ...]]
Values = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Answer:
    """A call answered from a stored answer: the columns, the rows of RDF terms, and the
    same rows as typed Python values (converted once per stored answer)."""

    columns: list[str]
    rows: Rows
    values: Values


def answerable(query: SavedQuery) -> bool:
    """Whether a saved query's answer can be stored: a SELECT that needs no parameter."""
    return query.form == "SELECT" and not any(p.required for p in query.parameters)


def text_digest(sparql: str) -> str:
    """The SHA-256 of a query's text (a stored answer is for this exact text)."""
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()


# -- storing --------------------------------------------------------------------------------
def materialise(database: ox.Store, generation: Path,
                queries: Iterable[SavedQuery] | None = None,
                progress: Callable[[str], None] | None = None) -> dict[str, dict[str, Any]]:
    """Run every answerable saved query on ``database`` and store its answer in
    ``generation``'s ``answers/`` folder, replacing what was there in one rename.

    Returns, per query, the number of rows and the seconds it took. ``progress`` is called
    with each query's name before it runs.
    """
    for stale in generation.glob(".answers-*"):  # left by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    work = generation / f".answers-{uuid.uuid4().hex[:8]}"
    work.mkdir()
    summary: dict[str, dict[str, Any]] = {}
    try:
        for query in queries if queries is not None else saved_queries().values():
            if not answerable(query):
                continue
            if progress is not None:
                progress(query.name)
            start = time.perf_counter()
            solutions = database.query(bind_values(query.sparql, query.bindings({})),
                                       use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)
            payload = _encode(query, solutions)
            (work / f"{query.name}.json").write_text(
                json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            summary[query.name] = {"rows": len(payload["rows"]),
                                   "seconds": round(time.perf_counter() - start, 3)}
        invalidate(generation)
        os.replace(work, generation / ANSWERS)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return summary


def invalidate(generation: Path) -> None:
    """Delete a generation's stored answers (before its database changes)."""
    directory = generation / ANSWERS
    if directory.exists():
        trash = generation / f".answers-stale-{uuid.uuid4().hex[:8]}"
        os.replace(directory, trash)
        shutil.rmtree(trash, ignore_errors=True)


def _encode(query: SavedQuery, solutions: ox.QuerySolutions) -> dict[str, Any]:
    """An answer as JSON data: each distinct term once, rows as numbers into that list."""
    numbers: dict[object, int] = {}
    terms: list[list[str]] = []

    def number(term: object) -> int:
        if term is None:
            return -1
        n = numbers.get(term)
        if n is None:
            n = numbers[term] = len(terms)
            terms.append(_term_data(term))
        return n

    columns = [v.value for v in solutions.variables]
    rows = [[number(t) for t in solution] for solution in solutions]
    return {"format": FORMAT, "query": query.name, "sha256": text_digest(query.sparql),
            "columns": columns, "terms": terms, "rows": rows}


def _term_data(term: object) -> list[str]:
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if isinstance(term, ox.Literal):
        if term.language:
            return ["@", term.value, term.language]
        if term.datatype.value == XSD_STRING:
            return ["s", term.value]
        return ["d", term.value, term.datatype.value]
    raise TypeError(f"cannot store {term!r}")


def _term(data: Sequence[str]) -> Node:
    kind = data[0]
    if kind == "u":
        return URIRef(data[1])
    if kind == "s":
        return Literal(data[1])
    if kind == "d":
        return Literal(data[1], datatype=URIRef(data[2]))
    if kind == "@":
        return Literal(data[1], lang=data[2])
    if kind == "b":
        return BNode(data[1])
    raise ValueError(f"unknown term kind {kind!r}")


# -- answering ------------------------------------------------------------------------------
_UNCONVERTED: Any = object()


@dataclass
class StoredAnswer:
    """One saved query's stored answer, as read from its file: rows of term numbers. A
    term becomes an rdflib term (and a typed value) only when a call returns a row that
    holds it, and indexes are built on the numbers as calls need them, so that a selective
    first call does not convert the whole answer."""

    columns: list[str]
    codes: list[list[int]]
    """The rows as numbers into ``term_data`` (-1: unbound)."""
    term_data: list[list[str]]
    sha256: str
    _terms: list[Any] = field(default_factory=list, repr=False)
    _values: dict[int, Any] = field(default_factory=dict, repr=False)
    _index: dict[tuple[str, str], dict[object, list[int]]] = field(default_factory=dict,
                                                                    repr=False)
    _rows: Rows | None = field(default=None, repr=False)
    _all_values: Values | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._terms = [_UNCONVERTED] * len(self.term_data)

    @classmethod
    def read(cls, path: Path) -> StoredAnswer:
        """Read a stored answer (:class:`ValueError` if it is not one)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a stored answer of this dermkg version")
        # (rows are checked as they are read: a bad number raises then, see AnswerShelf)
        return cls(list(data["columns"]), list(data["rows"]), list(data["terms"]),
                   str(data["sha256"]))

    def term(self, code: int) -> Node | None:
        """The term numbered ``code`` (None for -1, unbound)."""
        if code < 0:
            return None
        term = self._terms[code]
        if term is _UNCONVERTED:
            term = self._terms[code] = _term(self.term_data[code])
        return cast(Node, term)

    def value(self, code: int) -> Any:
        """The typed value (:func:`dermkg.results.python_value`) of the term ``code``."""
        if code < 0:
            return None
        if code not in self._values:
            self._values[code] = python_value(self.term(code))
        return self._values[code]

    def row(self, number: int) -> tuple[Node | None, ...]:
        """Row ``number`` as terms."""
        return tuple(map(self.term, self.codes[number]))

    @property
    def rows(self) -> Rows:
        """Every row as terms (converted on first use, then kept)."""
        if self._rows is None:
            self._rows = [self.row(i) for i in range(len(self.codes))]
        return self._rows

    @property
    def values(self) -> Values:
        """Every row as typed values (converted on first use, then kept)."""
        if self._all_values is None:
            self._all_values = [tuple(map(self.value, row)) for row in self.codes]
        return self._all_values

    def answer(self, conditions: Sequence[tuple[RowFilter, Binding]]) -> Answer:
        """The rows (as terms and as values) every condition keeps, in answer order."""
        keep = self.select(conditions)
        if len(keep) == len(self.codes):  # every row: copies of the kept lists
            return Answer(list(self.columns), list(self.rows), list(self.values))
        return Answer(list(self.columns), [self.row(i) for i in keep],
                      [tuple(map(self.value, self.codes[i])) for i in keep])

    def select(self, conditions: Sequence[tuple[RowFilter, Binding]]) -> list[int]:
        """The numbers of the rows every (filter, parameter value) condition keeps, in
        answer order. A value that is a sequence of terms (a resolved parameter's IRIs)
        keeps the rows one of them keeps."""
        keep: set[int] | None = None
        scans: list[tuple[RowFilter, tuple[Node, ...]]] = []
        for row_filter, value in conditions:
            values = (value,) if isinstance(value, Node) else tuple(value)
            op = FILTER_OPS[row_filter.tests[0].op]
            if len(row_filter.tests) == 1 and op.index_key is not None:
                found = {i for c in row_filter.columns for v in values
                         for i in self._indexed(c, op.name).get(op.index_key(v), ())}
                keep = found if keep is None else keep & found
            else:
                scans.append((row_filter, values))
        candidates = range(len(self.codes)) if keep is None else sorted(keep)
        if not scans:
            return list(candidates)
        positions = {c: self.columns.index(c) for f, _ in scans for c in f.columns}
        out = []
        for i in candidates:
            row = self.row(i)
            if all(any(_keeps(f, v, row, positions) for v in values) for f, values in scans):
                out.append(i)
        return out

    def _indexed(self, column: str, op: str) -> dict[object, list[int]]:
        """Row numbers by the column's key for ``op`` (its ``index_key``); the key is
        computed once per distinct term of the column."""
        index = self._index.get((column, op))
        if index is None:
            index = {}
            at, key = self.columns.index(column), FILTER_OPS[op].index_key
            assert key is not None
            keys: dict[int, object] = {}
            for i, row in enumerate(self.codes):
                code = row[at]
                if code >= 0:
                    if code not in keys:
                        keys[code] = key(cast(Node, self.term(code)))
                    index.setdefault(keys[code], []).append(i)
            self._index[(column, op)] = index
        return index


def _keeps(row_filter: RowFilter, value: Node, row: tuple[Node | None, ...],
           positions: Mapping[str, int]) -> bool:
    return any(
        any(FILTER_OPS[test.op].holds(row[positions[c]], value, text)
            for c, text in zip(test.columns, test.texts or (None,) * len(test.columns),
                               strict=True))
        for test in row_filter.tests
    )


class AnswerShelf:
    """The stored answers of one generation: each read on first use and kept while its
    file is unchanged (a ``add`` that deletes them is seen at the next call)."""

    def __init__(self, generation: Path) -> None:
        self.directory = generation / ANSWERS
        self._cache: dict[str, tuple[tuple[int, int, int], StoredAnswer]] = {}

    def __repr__(self) -> str:
        return f"AnswerShelf({str(self.directory)!r})"

    def answer(self, query: SavedQuery, bindings: Mapping[str, Binding]) -> Answer | None:
        """A call of ``query`` with ``bindings`` (defaults filled in, as
        :meth:`SavedQuery.bindings` gives them; resolved parameters replaced by their
        variable's IRIs, as :func:`dermkg.resolution.resolved_bindings` gives them)
        answered from its stored answer, or ``None`` when that cannot give it (none stored,
        another query text, a parameter without a filter line)."""
        conditions = _conditions(query, bindings)
        if conditions is None:
            return None
        stored = self._stored(query.name)
        if stored is None or stored.sha256 != text_digest(query.sparql):
            return None
        try:
            return stored.answer(conditions)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("%s: unreadable stored answer (%s); running the query instead",
                        self.directory / f"{query.name}.json", exc)
            self._cache.pop(query.name, None)
            return None

    def _stored(self, name: str) -> StoredAnswer | None:
        path = self.directory / f"{name}.json"
        try:
            st = path.stat()
        except OSError:
            self._cache.pop(name, None)
            return None
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = self._cache.get(name)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            stored = StoredAnswer.read(path)
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("%s: unreadable stored answer (%s); running the query instead",
                        path, exc)
            return None
        self._cache[name] = (stamp, stored)
        return stored


def _conditions(query: SavedQuery, bindings: Mapping[str, Binding]
                ) -> list[tuple[RowFilter, Binding]] | None:
    """The filters to apply for ``bindings``: none for parameters at their default (the
    stored answer is the default call's); ``None`` if a parameter has no filter."""
    if not answerable(query):
        return None
    defaults = query.bindings({})
    out: list[tuple[RowFilter, Binding]] = []
    for name in set(bindings) | set(defaults):
        value = bindings.get(name)
        if value is not None and defaults.get(name) == value:
            continue
        filters = [f for f in query.filters if f.parameter == name]
        if value is None or not filters:
            return None  # a default taken away, or a parameter the rows cannot answer
        out += [(f, value) for f in filters]
    return out
