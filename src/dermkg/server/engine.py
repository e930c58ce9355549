"""Running one SPARQL query for the endpoint, in a worker process with hard limits.

The web process never evaluates SPARQL itself: each query is a :class:`QueryJob` run by
:func:`execute` in a pool of worker processes (:class:`QueryPool`, built on ``pebble``).
A worker that passes the time limit is killed and replaced, so a runaway query cannot
hold the server; the answer is serialised in the worker with a byte limit.

An embedded store is read with pyoxigraph (read-only), which also writes every answer
format; a saved query's call is answered from the answer stored with the store's
generation when it can be (:mod:`dermkg.graph.answers`). A remote store
(``--store http://…``) gets the query forwarded as it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import multiprocessing
import resource
import time
from collections.abc import Callable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pebble
import pyoxigraph as ox
from rdflib.term import Node

from dermkg.binding import Binding, bind_values
from dermkg.catalog import SavedQuery, saved_queries
from dermkg.errors import DermkgError, QueryError, StoreError
from dermkg.graph.answers import AnswerShelf
from dermkg.graph.convert import from_ox
from dermkg.graph.store import StoreFolder, open_database
from dermkg.namespaces import PREFIXES
from dermkg.resolution import resolved_bindings
from dermkg.results import ResultSet
from dermkg.server.errors import EndpointError
from dermkg.server.negotiation import GRAPH_TYPES, RESULT_TYPES, NotAcceptable, Preference
from dermkg.server.policy import check_services, looks_like_update, refuse_update


@dataclass(frozen=True)
class QueryJob:
    """One query to run: the SPARQL text (parameters already bound) and what to answer with;
    for a saved query, also its name and parameters (to answer from its stored answer)."""

    location: str
    sparql: str
    saved: str | None = None
    bindings: tuple[tuple[str, Binding], ...] = ()
    preference: Preference = field(default_factory=Preference)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    allowed_services: tuple[str, ...] = ()
    max_result_bytes: int = 64 * 1024 * 1024
    timeout: float = 30.0


@dataclass(frozen=True)
class Answer:
    """A serialised answer and its media type."""

    body: bytes
    media_type: str


class _ResultTooLarge(Exception):
    pass


class _CappedBuffer(io.BytesIO):
    """A bytes buffer that refuses to grow past ``limit`` (aborts the serialisation)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.limit:
            raise _ResultTooLarge
        return super().write(data)


def _too_large(limit: int) -> EndpointError:
    return EndpointError(
        422, f"the answer is larger than the server's limit of {limit:,} bytes: "
        "add a LIMIT or narrow the query"
    )


class LocalEngine:
    """Queries an embedded store folder, re-opening it when a build swaps generations."""

    def __init__(self, location: str) -> None:
        self.folder = StoreFolder(Path(location))
        self._db: ox.Store | None = None
        self._generation: Path | None = None
        self._shelf: AnswerShelf | None = None

    def _database(self) -> ox.Store:
        generation = self.folder.current().path
        if self._db is None or generation != self._generation:
            try:
                self._db = open_database(self.folder)
            except StoreError:
                # A build swapped generations between resolving and opening: once more.
                generation = self.folder.current().path
                self._db = open_database(self.folder)
            self._generation = generation
            self._shelf = AnswerShelf(generation)
        return self._db

    def _stored(self, job: QueryJob) -> Answer | None:
        """A saved query's call answered from its stored answer, if it can be."""
        query = saved_queries().get(job.saved or "")
        if query is None or job.default_graphs or job.named_graphs:
            return None
        self._database()
        assert self._shelf is not None
        found = self._shelf.answer(query, dict(job.bindings))
        if found is None:
            return None
        try:
            media, results_format = job.preference.for_results()
        except NotAcceptable:
            return None  # the query path says why
        data = ResultSet(found.columns, found.rows).to_json(indent=None).encode("utf-8")
        if results_format != ox.QueryResultsFormat.JSON:
            buffer = io.BytesIO()
            ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(
                buffer, format=results_format)
            data = buffer.getvalue()
        if len(data) > job.max_result_bytes:
            raise _too_large(job.max_result_bytes)
        return Answer(data, _with_charset(media))

    def first_column(self, query: SavedQuery, bindings: Mapping[str, Binding]
                     ) -> list[Node | None]:
        """The first column of a call's rows (for resolving parameters): from the stored
        answer when it gives the call, else run."""
        database = self._database()
        assert self._shelf is not None
        found = self._shelf.answer(query, bindings)
        if found is not None:
            return [row[0] if row else None for row in found.rows]
        solutions = database.query(bind_values(query.sparql, bindings),
                                   use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("a resolving query must be a SELECT query")
        return [None if s[0] is None else from_ox(s[0]) for s in solutions]

    def run(self, job: QueryJob) -> Answer:
        if job.saved is not None:
            stored = self._stored(job)
            if stored is not None:
                return stored
        options: dict[str, Any] = {"use_default_graph_as_union": not job.default_graphs}
        if job.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        if job.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
        try:
            result = self._database().query(job.sparql, **options)
        except SyntaxError as exc:
            if looks_like_update(job.sparql):
                raise refuse_update() from None
            raise EndpointError(400, f"SPARQL syntax error: {exc}") from None
        except ValueError as exc:  # e.g. an invalid default-graph-uri
            raise EndpointError(400, str(exc)) from None
        buffer = _CappedBuffer(job.max_result_bytes)
        try:
            if isinstance(result, ox.QueryTriples):
                media, rdf_format = job.preference.for_graph()
                ox.serialize(result, buffer, format=rdf_format, prefixes=PREFIXES)
            else:
                media, results_format = job.preference.for_results()
                result.serialize(buffer, format=results_format)
        except NotAcceptable as exc:
            raise EndpointError(406, str(exc)) from None
        except _ResultTooLarge:
            raise _too_large(job.max_result_bytes) from None
        except OSError as exc:
            raise EndpointError(500, f"the query failed: {exc}") from None
        return Answer(buffer.getvalue(), _with_charset(media))


class RemoteEngine:
    """Forwards queries to the SPARQL server a remote store lives on."""

    def __init__(self, location: str) -> None:
        from dermkg.graph.remote import RemoteStore

        self.store = RemoteStore.from_url(location)

    def first_column(self, query: SavedQuery, bindings: Mapping[str, Binding]
                     ) -> list[Node | None]:
        """The first column of a call's rows (for resolving parameters)."""
        return [row[0] if row else None
                for row in self.store.select(query.sparql, bindings).rows]

    def run(self, job: QueryJob) -> Answer:
        from dermkg.graph.remote import ResultTooLarge

        offers = []
        for choose in (job.preference.for_results, job.preference.for_graph):
            try:
                offers.append(choose()[0])
            except NotAcceptable:
                continue
        if not offers:
            raise EndpointError(
                406, f"none of the accepted media types ({job.preference.accept}) is available"
            )
        accept = ", ".join(
            f"{m};q={1.0 - 0.1 * i:.1f}" for i, m in enumerate(dict.fromkeys(offers))
        )
        try:
            body, media = self.store.query_raw(
                job.sparql, accept, default_graphs=job.default_graphs,
                named_graphs=job.named_graphs, max_bytes=job.max_result_bytes,
            )
        except ResultTooLarge:
            raise _too_large(job.max_result_bytes) from None
        except QueryError as exc:
            if looks_like_update(job.sparql):
                raise refuse_update() from None
            raise EndpointError(400, str(exc)) from None
        except StoreError as exc:
            raise EndpointError(502, str(exc)) from None
        return Answer(body, media)


_engines: dict[str, LocalEngine | RemoteEngine] = {}


def _engine(location: str) -> LocalEngine | RemoteEngine:
    if location not in _engines:
        is_remote = location.startswith(("http://", "https://"))
        _engines[location] = RemoteEngine(location) if is_remote else LocalEngine(location)
    return _engines[location]


def _with_charset(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("json", "xml", "n-triples"))
    return f"{media}; charset=utf-8" if textual else media


def execute(job: QueryJob) -> Answer:
    """Run ``job`` (in a worker process): check it, evaluate it, serialise the answer."""
    check_services(job.sparql, job.allowed_services)
    try:
        engine = _engine(job.location)
        query = saved_queries().get(job.saved or "")
        if query is not None and query.resolutions:
            # look the resolved parameters up first (see dermkg.resolution); the stored
            # answer, if any, is then filtered by the IRIs found
            resolved = resolved_bindings(
                query, {k: v for k, v in job.bindings if isinstance(v, Node)},
                engine.first_column)
            job = dataclasses.replace(job, sparql=bind_values(query.sparql, resolved),
                                      bindings=tuple(resolved.items()))
        return engine.run(job)
    except EndpointError:
        raise
    except StoreError as exc:
        raise EndpointError(503, str(exc)) from None
    except DermkgError as exc:
        raise EndpointError(400, str(exc)) from None


def warm(location: str) -> None:
    """Open the store in this worker (errors surface with the first real query)."""
    engine = _engine(location)
    if isinstance(engine, LocalEngine):
        with contextlib.suppress(DermkgError):
            engine._database()
    time.sleep(0.2)  # keep this worker busy so the pool hands the next warm-up to another


def limit_memory(limit_bytes: int) -> None:
    """Cap this worker's address space (runs when a worker starts); 0 leaves it uncapped.

    A query that needs more makes the allocation fail and the worker exit; the pool
    answers 503 for that query and starts a fresh worker.
    """
    if limit_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))


class QueryPool:
    """Worker processes that run :class:`QueryJob` s with a hard time limit each, and a
    memory limit per worker."""

    def __init__(self, workers: int, timeout: float, memory_bytes: int = 0) -> None:
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self._pool = pebble.ProcessPool(
            max_workers=workers, context=multiprocessing.get_context("spawn"),
            initializer=limit_memory, initargs=(memory_bytes,),
        )

    async def run(self, job: QueryJob, runner: Callable[[QueryJob], Answer] = execute) -> Answer:
        """The answer to ``job``; :class:`EndpointError` when refused, failed or too slow."""
        future = self._pool.schedule(runner, args=(job,), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise EndpointError(
                503, f"the query ran past the server's time limit of {self.timeout:g} s"
            ) from None
        except pebble.ProcessExpired:
            limit = (f" (probably past the memory limit of {self.memory_bytes // 2**20:,} MB "
                     "per worker: narrow the query)" if self.memory_bytes else "")
            raise EndpointError(503, f"the query stopped its worker process{limit}") from None
        except asyncio.CancelledError:
            future.cancel()  # the client went away: stop the worker's evaluation
            raise

    async def warm_up(self, location: str, workers: int) -> None:
        """Start the workers and open the store in them, so the first queries are fast."""
        futures = [self._pool.schedule(warm, args=(location,), timeout=60) for _ in range(workers)]
        await asyncio.gather(*(asyncio.wrap_future(f) for f in futures), return_exceptions=True)

    def close(self) -> None:
        """Stop the workers."""
        self._pool.stop()
        self._pool.join(timeout=10)


SUPPORTED_TYPES = tuple(dict.fromkeys([*RESULT_TYPES, *GRAPH_TYPES]))
"""Every media type the endpoint can answer with."""
