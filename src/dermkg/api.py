"""The Python API: open a built graph and ask it questions.

>>> from dermkg import KnowledgeGraph
>>> kg = KnowledgeGraph.open(".dermkg/store")              # doctest: +SKIP
>>> for row in kg.query("approvals-by-age-and-date", max_age=11):   # doctest: +SKIP
...     print(row.drug, row.min_age_years, row.date)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from dermkg.catalog import SavedQuery, resolve_query, saved_queries
from dermkg.graph.backend import GraphStore, open_store
from dermkg.graph.store import DEFAULT_STORE
from dermkg.results import ResultSet


class KnowledgeGraph:
    """A built dermkg graph in a store (a store folder, later also a SPARQL endpoint)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.store.location!r})"

    @classmethod
    def open(cls, location: Path | str = DEFAULT_STORE) -> KnowledgeGraph:
        """Open the graph at ``location`` (a store folder written by ``dermkg build``)."""
        return cls(open_store(location))

    def saved_queries(self) -> list[SavedQuery]:
        """The saved queries with their titles, descriptions and parameters."""
        return list(saved_queries().values())

    def query(self, name_or_sparql: str, **params: Any) -> ResultSet:
        """Run a saved query (by name), a ``.rq`` file or SPARQL text; ``params`` are bound
        as typed RDF terms. Rows have named, typed columns (int, Decimal, date, IRI, str)."""
        saved = resolve_query(name_or_sparql)
        result = self.store.select(saved.sparql, saved.bindings(params))
        return ResultSet(result.columns, result.rows)

    def construct(self, name_or_sparql: str, **params: Any) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; the answer as an rdflib Graph."""
        saved = resolve_query(name_or_sparql)
        return self.store.construct(saved.sparql, saved.bindings(params))

    def ask(self, name_or_sparql: str, **params: Any) -> bool:
        """Run an ASK query."""
        saved = resolve_query(name_or_sparql)
        return self.store.ask(saved.sparql, saved.bindings(params))

    def sources(self) -> dict[str, int]:
        """Every named graph (documents, vocabulary, ontology, added sources) with its size."""
        return {k: v for k, v in self.store.graph_sizes().items() if k}
