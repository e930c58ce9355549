"""The Python API: open a built graph and ask it questions.

>>> from dermkg import KnowledgeGraph
>>> kg = KnowledgeGraph.open(".dermkg/store")              # doctest: +SKIP
>>> rows = kg.query("approvals-by-age-and-date", max_age=11)  # doctest: +SKIP
>>> for row in rows:                                           # doctest: +SKIP
...     print(row.drug, row.min_age_years, row.date)
>>> kg.evidence(rows[0]).to_dataframe()                        # doctest: +SKIP

Rows have typed values (int, Decimal, float, date, bool, IRI as ``rdflib.URIRef``, str);
``to_dataframe()`` turns a result into a pandas DataFrame; ``evidence`` goes from any row
of any saved query (or any IRI, label or NCT id) to the passages that state it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from dermkg.binding import Binding
from dermkg.catalog import SavedQuery, resolve_query, saved_queries
from dermkg.errors import QueryError
from dermkg.graph.backend import GraphStore, SelectResult, open_store
from dermkg.graph.store import DEFAULT_STORE
from dermkg.namespaces import PREFIXES
from dermkg.resolution import resolved_bindings
from dermkg.results import ResultSet, Row

EVIDENCE_QUERY = "evidence"
_INDEXED_KEY = re.compile(r"^(?P<stem>.*?)_(?P<n>\d+)$")


class KnowledgeGraph:
    """A built dermkg graph in a store (a store folder, later also a SPARQL endpoint)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.store.location!r})"

    @classmethod
    def open(cls, store: Path | str | GraphStore = DEFAULT_STORE) -> KnowledgeGraph:
        """Open the graph in ``store``: a store folder written by ``dermkg build`` (or an
        already opened :class:`~dermkg.graph.backend.GraphStore`)."""
        if isinstance(store, str | Path):
            return cls(open_store(store))
        return cls(store)

    def saved_queries(self) -> list[SavedQuery]:
        """The saved queries with their titles, descriptions, parameters and columns."""
        return list(saved_queries().values())

    def query(self, name_or_sparql: str, **params: Any) -> ResultSet:
        """Run a SELECT query: a saved query (by name), a ``.rq`` file or SPARQL text.

        ``params`` are bound as typed RDF terms (never pasted into the query text). Rows
        have named, typed columns (int, Decimal, date, IRI, str); a bad parameter (unknown
        name, wrong type, missing required one) raises :class:`~dermkg.errors.QueryError`.
        A saved query is answered from the answer the build stored when it can be
        (:mod:`dermkg.graph.answers`), else run on the store.
        """
        saved = resolve_query(name_or_sparql)
        if saved.form != "SELECT":
            hint = "ask()" if saved.form == "ASK" else "construct()"
            raise QueryError(f"{saved.name!r} is a {saved.form} query; use {hint}")
        result = self._call(saved, saved.bindings(params))
        return ResultSet(result.columns, result.rows, saved.name, saved.keys, result.values)

    def is_stored(self, name_or_sparql: str, **params: Any) -> bool:
        """Whether :meth:`query` answers this call from the answer stored at build time
        (its look-ups of resolved parameters run first, as they would)."""
        saved = resolve_query(name_or_sparql)
        if saved.form != "SELECT":
            return False
        return self.store.stored_answer(saved, self._resolved(saved, saved.bindings(params))
                                        ) is not None

    def _call(self, saved: SavedQuery, bindings: Mapping[str, Node]) -> SelectResult:
        """A call: resolved parameters (``# resolve:``) looked up first, then answered."""
        return self._answer(saved, self._resolved(saved, bindings))

    def _resolved(self, saved: SavedQuery, bindings: Mapping[str, Node]
                  ) -> Mapping[str, Binding]:
        """``bindings`` with the resolved parameters looked up (:mod:`dermkg.resolution`)."""
        if not saved.resolutions:
            return bindings
        return resolved_bindings(saved, bindings, self._first_column)

    def _answer(self, saved: SavedQuery, bindings: Mapping[str, Binding]) -> SelectResult:
        """From the stored answer when it can be, else run on the store."""
        result = self.store.stored_answer(saved, bindings)
        if result is None:
            result = self.store.select(saved.sparql, bindings)
        return result

    def _first_column(self, saved: SavedQuery, bindings: Mapping[str, Binding]
                      ) -> list[Node | None]:
        return [row[0] if row else None for row in self._answer(saved, bindings).rows]

    def refresh_answers(self) -> dict[str, Any]:
        """Store the saved queries' answers again after ``add_facts``/``retract`` (which
        delete them: until then saved queries run on the store, correct but slower)."""
        return self.store.refresh_answers()

    def construct(self, name_or_sparql: str, **params: Any) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; the answer as an rdflib Graph."""
        saved = resolve_query(name_or_sparql)
        if saved.form not in {"CONSTRUCT", "DESCRIBE"}:
            raise QueryError(f"{saved.name!r} is a {saved.form} query; use query()")
        graph = self.store.construct(saved.sparql, saved.bindings(params))
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        return graph

    def ask(self, name_or_sparql: str, **params: Any) -> bool:
        """Run an ASK query."""
        saved = resolve_query(name_or_sparql)
        return self.store.ask(saved.sparql, saved.bindings(params))

    def evidence(self, about: Row | Mapping[str, Any] | URIRef | str,
                 document: str | None = None) -> ResultSet:
        """The passages (document, offsets, exact quote, extraction rule) that state a thing.

        ``about`` is a row of any saved query (its key column(s) name what it describes,
        and its ``source`` narrows the search to that document when the document states
        it), an IRI, a ``dkgr:`` CURIE, a label or synonym, or an NCT id.
        """
        targets = _evidence_targets(about, document)
        if not targets:
            raise QueryError("nothing to look up evidence for: the row has no IRI column")
        out: ResultSet | None = None
        for subject, doc in targets:
            found = self.query(EVIDENCE_QUERY, about=subject, in_document=doc)
            if doc is not None and len(found) == 0:
                found = self.query(EVIDENCE_QUERY, about=subject)
            if out is None:
                out = found
            else:
                out = ResultSet(out.columns,
                                out.terms + [t for t in found.terms if t not in out.terms],
                                out.query, out.keys)
        assert out is not None
        return out

    def sources(self) -> dict[str, int]:
        """Every named graph (documents, vocabulary, ontology, added sources) with its size."""
        return {k: v for k, v in self.store.graph_sizes().items() if k}


def _evidence_targets(about: Row | Mapping[str, Any] | URIRef | str,
                      document: str | None) -> list[tuple[str, str | None]]:
    """(thing, document) pairs to look up: one per key column of a row, else ``about``."""
    if isinstance(about, str):  # str, URIRef
        return [(str(about), document)]
    if isinstance(about, Row):
        values = about.asdict()
        keys = list(about.keys)
    else:
        values = dict(about)
        keys = []
    if not keys:
        keys = [c for c, v in values.items() if isinstance(v, URIRef)][:1]
    targets: list[tuple[str, str | None]] = []
    for key in keys:
        value = values.get(key)
        if value is None:
            continue
        doc = document
        if doc is None:
            m = _INDEXED_KEY.match(key)
            source = values.get(f"source_{m.group('n')}") if m else None
            source = source if source is not None else values.get("source")
            doc = str(source) if source not in (None, "") else None
        targets.append((str(value), doc))
    return targets
