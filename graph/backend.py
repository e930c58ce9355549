"""The store interface the rest of dermkg uses, and its embedded (Oxigraph) implementation.

Everything above this module (build, add, retract, query, serve) talks to a
:class:`GraphStore`; :class:`LocalStore` keeps the graph in an on-disk Oxigraph database
inside a :class:`~dermkg.graph.store.StoreFolder`, with the saved queries' answers stored
beside each generation (:mod:`dermkg.graph.answers`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from dermkg.binding import Binding, bind_values
from dermkg.catalog import SavedQuery
from dermkg.errors import QueryError
from dermkg.graph import answers as stored_answers
from dermkg.graph.convert import from_ox, graph_quads, solution_rows
from dermkg.graph.store import Generation, GenerationWriter, StoreFolder, open_database

Progress = Callable[[str], None]
"""Told the name of each saved query whose answer is being stored."""


@dataclass
class SelectResult:
    """The answer of a SELECT query: column names and rows of rdflib terms (None = unbound);
    ``values``: the same rows as typed Python values when already known (stored answers)."""

    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    values: list[tuple[Any, ...]] | None = None


class GraphStore(Protocol):
    """What dermkg needs from a store: queries, named graphs, atomic writes."""

    location: str

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None
               ) -> SelectResult:
        """Run a SELECT query over the union of all graphs."""
        ...

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE query; the triples as an rdflib graph."""
        ...

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK query."""
        ...

    def stored_answer(self, query: SavedQuery, bindings: Mapping[str, Binding]
                      ) -> SelectResult | None:
        """A saved query's call answered from its stored answer (``None``: run it)."""
        ...

    def refresh_answers(self, progress: Progress | None = None) -> dict[str, Any]:
        """Store the saved queries' answers again (after ``add``/``retract``); per query,
        its rows and seconds (empty where nothing is stored)."""
        ...

    def graph_sizes(self) -> dict[str, int]:
        """Every named graph with its number of triples."""
        ...

    def graph(self, name: URIRef) -> Graph:
        """The triples of one named graph."""
        ...

    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Add triples to named graphs in one transaction: all or nothing."""
        ...

    def add_checked(self, prepare: Callable[[], Mapping[URIRef, Graph]]) -> None:
        """Check, then add, with no other writer in between: ``prepare`` runs while the
        store's writer lock is held, may read the store, and raises to refuse; what it
        returns is added in one transaction."""
        ...

    def drop_graph(self, name: URIRef) -> int:
        """Remove one named graph in one transaction; returns the triples removed."""
        ...

    def replace_all(self, graphs: Mapping[URIRef, Graph], manifest: Mapping[str, Any]) -> None:
        """Replace the whole content: build new, then swap (never half-written)."""
        ...

    def dump_nquads(self) -> bytes:
        """The whole content as sorted N-Quads (for comparisons and backups)."""
        ...


class LocalStore:
    """A :class:`GraphStore` in an embedded on-disk Oxigraph database."""

    def __init__(self, path: Path | str) -> None:
        self.folder = StoreFolder(path)
        self.location = str(self.folder.path)
        self._db: ox.Store | None = None
        self._shelf: stored_answers.AnswerShelf | None = None

    def __repr__(self) -> str:
        return f"LocalStore({self.location!r})"

    # -- reading -----------------------------------------------------------------------
    def _read(self) -> ox.Store:
        if self._db is None:
            generation = self.folder.current()
            self._db = open_database(self.folder, generation=generation)
            self._shelf = stored_answers.AnswerShelf(generation.path)
        return self._db

    def refresh(self) -> None:
        """Re-open the database so that changes by other processes become visible."""
        self._db = None
        self._shelf = None

    def _query(self, sparql: str, bindings: Mapping[str, Binding] | None) -> Any:
        try:
            return self._read().query(
                bind_values(sparql, bindings or {}), use_default_graph_as_union=True
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None
               ) -> SelectResult:
        solutions = self._query(sparql, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = [v.value for v in solutions.variables]
        return SelectResult(columns, solution_rows(solutions))

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        triples = self._query(sparql, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        g = Graph(bind_namespaces="core")  # the default binds ~30 prefixes: 1 ms per call
        for t in triples:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        answer = self._query(sparql, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(answer)

    def stored_answer(self, query: SavedQuery, bindings: Mapping[str, Binding]
                      ) -> SelectResult | None:
        self._read()
        assert self._shelf is not None
        found = self._shelf.answer(query, bindings)
        return None if found is None else SelectResult(found.columns, found.rows, found.values)

    def refresh_answers(self, progress: Progress | None = None) -> dict[str, Any]:
        with self.folder.writer_lock():
            self.refresh()
            generation = self.folder.current()
            db = open_database(self.folder, generation=generation)
            try:
                summary = stored_answers.materialise(db, generation.path, progress=progress)
            finally:
                del db
            self.folder.update_manifest({"answers": summary})
        return summary

    def graph_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for quad in self._read().quads_for_pattern(None, None, None, None):
            g = quad.graph_name
            key = g.value if isinstance(g, ox.NamedNode | ox.BlankNode) else ""
            sizes[key] = sizes.get(key, 0) + 1
        return dict(sorted(sizes.items()))

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        for q in self._read().quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return g

    def dump_nquads(self) -> bytes:
        data = self._read().dump(format=ox.RdfFormat.N_QUADS) or b""
        return b"\n".join(sorted(line for line in data.splitlines() if line)) + b"\n"

    # -- writing -----------------------------------------------------------------------
    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        self.add_checked(lambda: graphs)

    def add_checked(self, prepare: Callable[[], Mapping[URIRef, Graph]]) -> None:
        with self.folder.writer_lock():
            self.refresh()  # read what the last writer committed
            graphs = prepare()
            self.refresh()
            stored_answers.invalidate(self.folder.current().path)
            db = open_database(self.folder, writable=True)
            try:
                db.extend([q for name, g in graphs.items() for q in graph_quads(g, name)])
                db.flush()
            finally:
                del db

    def drop_graph(self, name: URIRef) -> int:
        with self.folder.writer_lock():
            self.refresh()
            db = open_database(self.folder, writable=True)
            try:
                node = ox.NamedNode(str(name))
                count = sum(1 for _ in db.quads_for_pattern(None, None, None, node))
                if count:
                    stored_answers.invalidate(self.folder.current().path)
                    db.update(f"DROP SILENT GRAPH <{node.value}>")
                    db.flush()
                return count
            finally:
                del db

    def replace_all(self, graphs: Mapping[URIRef, Graph], manifest: Mapping[str, Any]) -> None:
        with self.writing(manifest) as out:
            out.add_graphs(graphs)

    @contextlib.contextmanager
    def writing(self, manifest: Mapping[str, Any] | None = None,
                progress: Progress | None = None,
                answers: bool = True) -> Iterator[GraphWriter]:
        """Replace the whole content piece by piece: graphs added to the writer go into a
        new store generation, swapped in when the block completes (deleted if it fails),
        with the saved queries' answers stored (unless ``answers`` is false)."""
        def complete(generation: Generation, db: ox.Store) -> dict[str, Any]:
            return {"answers": stored_answers.materialise(db, generation.path,
                                                        progress=progress)}

        self.refresh()
        with self.folder.writing(manifest, complete if answers else None) as gen:
            yield LocalGraphWriter(gen)
        self.refresh()


class GraphWriter(Protocol):
    """Receives the content of a new store, chunk by chunk (see :func:`writing`)."""

    manifest: dict[str, Any]
    """What was built; written with the content when it is committed."""

    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> int:
        """Add triples to named graphs; returns how many triples were given."""
        ...

    def remove(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Take back triples added earlier to graph ``name`` (a later check refused them)."""
        ...

    def graph(self, name: URIRef) -> Graph:
        """The triples added so far to graph ``name``."""
        ...


class LocalGraphWriter:
    """A :class:`GraphWriter` into a new generation of a :class:`LocalStore`."""

    def __init__(self, generation: GenerationWriter) -> None:
        self._gen = generation

    @property
    def manifest(self) -> dict[str, Any]:
        return self._gen.manifest

    @manifest.setter
    def manifest(self, value: dict[str, Any]) -> None:
        self._gen.manifest = value

    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> int:
        return self._gen.add_quads(q for name, g in graphs.items() for q in graph_quads(g, name))

    def remove(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        g = Graph()
        for t in triples:
            g.add(t)
        self._gen.remove_quads(graph_quads(g, name))

    def bulk_load(self, path: Path) -> None:
        """Load an N-Quads file as it is, graph names kept (unchecked: for graphs dermkg
        wrote, e.g. a backup or the benchmarks' generated graphs)."""
        self._gen.database.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def graph(self, name: URIRef) -> Graph:
        g = Graph()
        db = self._gen.database
        for q in db.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return g


class BufferedGraphWriter:
    """A :class:`GraphWriter` that keeps everything in memory and hands it to
    ``replace_all`` at the end (for stores without a streaming writer, e.g. a remote
    SPARQL server, whose ``replace_all`` is one atomic update)."""

    def __init__(self, manifest: Mapping[str, Any] | None = None) -> None:
        self.manifest: dict[str, Any] = dict(manifest or {})
        self.graphs: dict[URIRef, Graph] = {}

    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> int:
        n = 0
        for name, g in graphs.items():
            self.graphs.setdefault(name, Graph()).__iadd__(g)
            n += len(g)
        return n

    def remove(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        g = self.graphs.get(name)
        if g is not None:
            for t in triples:
                g.remove(t)

    def graph(self, name: URIRef) -> Graph:
        out = Graph()
        out += self.graphs.get(name, Graph())
        return out


@contextlib.contextmanager
def writing(store: GraphStore, manifest: Mapping[str, Any] | None = None,
            progress: Progress | None = None, answers: bool = True) -> Iterator[GraphWriter]:
    """Replace the whole content of ``store`` chunk by chunk: what is added to the writer
    becomes visible all at once when the block completes, and nothing changes if it fails.
    A :class:`LocalStore` streams into a new generation (and stores the saved queries'
    answers, telling ``progress``, unless ``answers`` is false); other stores are buffered
    and written with one ``replace_all``."""
    streaming = getattr(store, "writing", None)
    if streaming is not None:
        with streaming(manifest, progress, answers) as out:
            yield out
        return
    buffer = BufferedGraphWriter(manifest)
    yield buffer
    store.replace_all(buffer.graphs, buffer.manifest)


def open_store(location: Path | str) -> GraphStore:
    """The store at ``location``: a store folder (embedded Oxigraph), or the query endpoint
    URL of a SPARQL 1.1 server (``http(s)://…``; see :mod:`dermkg.graph.remote`)."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        from dermkg.graph.remote import RemoteStore  # imported here: remote imports backend

        return RemoteStore.from_url(text)
    return LocalStore(Path(text))


def count_quads(graphs: Iterable[Graph]) -> int:
    """Total number of triples in several graphs."""
    return sum(len(g) for g in graphs)


def graph_names(store: GraphStore) -> Sequence[str]:
    """Names of the named graphs in a store."""
    return [name for name in store.graph_sizes() if name]
