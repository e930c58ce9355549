"""A :class:`~dermkg.graph.backend.GraphStore` on a SPARQL 1.1 server (Oxigraph, Fuseki,
GraphDB, Virtuoso, QLever, Neptune…), spoken to with the standard protocols only:

* reads: the SPARQL 1.1 Protocol query operation (POST, form-encoded);
* writes: SPARQL 1.1 Update requests, and the SPARQL 1.1 Graph Store HTTP Protocol (when
  the server offers it) to upload whole graphs.

The store is named by its query endpoint URL. The update and Graph Store endpoints are
derived from it (``…/query`` → ``…/update`` and ``…/store``, Oxigraph's layout; any other
URL → the same URL for updates and no Graph Store endpoint) unless given in the URL's
fragment, ``http://host/ds/query#update=http://host/ds/update&gsp=http://host/ds/data``,
or in the environment (``DERMKG_SPARQL_UPDATE``, ``DERMKG_SPARQL_GSP``). Credentials come
from the environment, never the command line: ``DERMKG_SPARQL_USER`` and
``DERMKG_SPARQL_PASSWORD`` (HTTP basic, or digest with ``DERMKG_SPARQL_AUTH=digest``), or
a bearer token in ``DERMKG_SPARQL_TOKEN``.

Queries see the union of the named graphs only if the server is configured that way
(``oxigraph serve --union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``; the
default on GraphDB, Virtuoso and Neptune), as docs/server.md explains.

Write guarantees (docs/server.md, "Writing to a remote store"):

* :meth:`RemoteStore.add_graphs` is one SPARQL Update request (``INSERT DATA``);
* :meth:`RemoteStore.replace_all` is one update request (``DROP ALL`` + ``INSERT DATA``)
  when the graph is small enough to send at once; otherwise every graph is first uploaded
  under a fresh staging name, the uploads are counted, and one update request moves them
  all into place (``MOVE``) and drops the graphs that are no longer wanted. Either way
  the switch is a single update request, which SPARQL 1.1 servers apply atomically (the
  Update spec: "each request should be treated atomically"); a failed upload drops its
  staging graphs and leaves the live graphs as they were.

Update requests hold RDF terms serialised by rdflib (IRIs checked, literals escaped),
never pasted user text; read queries are the ``.rq`` files in ``graph/sparql/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from dermkg.binding import Binding, bind_values
from dermkg.catalog import SavedQuery
from dermkg.errors import QueryError, StoreError
from dermkg.graph.backend import Progress, SelectResult
from dermkg.graph.convert import from_ox
from dermkg.namespaces import DKGG

BUILD_GRAPH = URIRef(DKGG["build"])
"""The graph where :meth:`RemoteStore.replace_all` keeps the build manifest (JSON)."""
STAGING_PREFIX = "urn:dermkg:staging:"
"""Graph names used while a build is being uploaded; never left behind on success."""
RDF_JSON = URIRef(str(RDF) + "JSON")

SINGLE_REQUEST_TRIPLES = 250_000
"""Up to this many triples, :meth:`RemoteStore.replace_all` sends one update request."""

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class ResultTooLarge(StoreError):
    """The server's answer is larger than the caller's limit."""


@cache
def sparql_file(name: str) -> str:
    """A read query of the remote store, from ``graph/sparql/NAME.rq``."""
    return files("dermkg.graph").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")


def _iri(term: URIRef) -> str:
    """``<term>`` for an update request; :class:`StoreError` if it is not a valid IRI."""
    try:
        return URIRef(str(term)).n3()
    except Exception as exc:
        raise StoreError(f"{term!r} is not a valid graph IRI") from exc


def _ntriples(graph: Graph) -> str:
    """The triples of ``graph`` as N-Triples (also valid SPARQL ``QuadData``)."""
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


def manifest_graph(manifest: Mapping[str, Any]) -> Graph:
    """The build manifest as one JSON literal on :data:`BUILD_GRAPH`."""
    g = Graph()
    g.add((BUILD_GRAPH, DCTERMS.description,
           Literal(json.dumps(dict(manifest), sort_keys=True, default=str), datatype=RDF_JSON)))
    g.add((BUILD_GRAPH, DCTERMS.modified, Literal(datetime.now(UTC), datatype=XSD.dateTime)))
    return g


def endpoints_from_url(url: str) -> tuple[str, str, str | None]:
    """The query, update and Graph Store endpoints named by a store URL."""
    parts = urlsplit(url)
    query_url = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    options = {k: v[-1] for k, v in parse_qs(parts.fragment).items()}
    if parts.fragment and not options:
        raise StoreError(f"{url}: the fragment must be like #update=URL&gsp=URL")
    unknown = set(options) - {"update", "gsp"}
    if unknown:
        raise StoreError(f"{url}: unknown option(s) {', '.join(sorted(unknown))} (update, gsp)")
    if parts.path.endswith("/query"):
        base = query_url[: -len("/query")] if not parts.query else None
        update_default = f"{base}/update" if base else query_url
        gsp_default: str | None = f"{base}/store" if base else None
    else:
        update_default, gsp_default = query_url, None
    update_url = options.get("update") or os.environ.get("DERMKG_SPARQL_UPDATE") or update_default
    gsp_url = options.get("gsp") or os.environ.get("DERMKG_SPARQL_GSP") or gsp_default
    if gsp_url == "none":
        gsp_url = None
    return query_url, update_url, gsp_url


class RemoteStore:
    """A :class:`~dermkg.graph.backend.GraphStore` on a SPARQL 1.1 server."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        timeout: float = 300.0,
        auth: httpx.Auth | tuple[str, str] | None = None,
        token: str | None = None,
        single_request_triples: int = SINGLE_REQUEST_TRIPLES,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.location = query_url
        self.single_request_triples = single_request_triples
        headers = {"User-Agent": "dermkg"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=10.0), auth=auth, follow_redirects=True,
            headers=headers,
        )

    @classmethod
    def from_url(cls, url: str) -> RemoteStore:
        """The store named by ``url`` (see the module docs for the endpoint conventions)."""
        query_url, update_url, gsp_url = endpoints_from_url(url)
        user = os.environ.get("DERMKG_SPARQL_USER")
        password = os.environ.get("DERMKG_SPARQL_PASSWORD", "")
        scheme = os.environ.get("DERMKG_SPARQL_AUTH", "basic").lower()
        if scheme not in ("basic", "digest"):
            raise StoreError(f"DERMKG_SPARQL_AUTH={scheme!r}: use basic or digest")
        auth: httpx.Auth | None = None
        if user:
            auth = (httpx.DigestAuth(user, password) if scheme == "digest"
                    else httpx.BasicAuth(user, password))
        timeout = float(os.environ.get("DERMKG_SPARQL_TIMEOUT", "300"))
        return cls(query_url, update_url, gsp_url, timeout=timeout, auth=auth,
                   token=os.environ.get("DERMKG_SPARQL_TOKEN"))

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, update={self.update_url!r}, gsp={self.gsp_url!r})"

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    # -- HTTP ----------------------------------------------------------------------------
    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise StoreError(f"{url}: the SPARQL server did not answer in time ({exc})") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server: {exc}") from exc
        return response

    @staticmethod
    def _fail(response: httpx.Response, what: str) -> None:
        if response.is_success:
            return
        detail = " ".join(response.text[:600].split())
        message = f"{response.request.url}: {what} failed: HTTP {response.status_code}: {detail}"
        if response.status_code in (400, 406, 415):
            raise QueryError(message)
        raise StoreError(message)

    def _query(self, sparql: str, accept: str, bindings: Mapping[str, Binding] | None) -> bytes:
        response = self._send(
            "POST", self.query_url, data={"query": bind_values(sparql, bindings or {})},
            headers={"Accept": accept},
        )
        self._fail(response, "query")
        return response.content

    def query_raw(
        self,
        sparql: str,
        accept: str,
        *,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        max_bytes: int | None = None,
    ) -> tuple[bytes, str]:
        """Send ``sparql`` as it is and return the server's answer and its media type
        (:class:`ResultTooLarge` past ``max_bytes``)."""
        data: list[tuple[str, str]] = [("query", sparql)]
        data += [("default-graph-uri", g) for g in default_graphs]
        data += [("named-graph-uri", g) for g in named_graphs]
        try:
            with self._client.stream(
                "POST", self.query_url, content=urlencode(data).encode("ascii"),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            ) as response:
                if not response.is_success:
                    response.read()
                    self._fail(response, "query")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ResultTooLarge(f"the answer is larger than {max_bytes} bytes")
                    chunks.append(chunk)
                media = response.headers.get("content-type", "application/octet-stream")
        except httpx.TimeoutException as exc:
            raise StoreError(f"{self.query_url}: the SPARQL server did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.query_url}: cannot reach the SPARQL server: {exc}") from exc
        return b"".join(chunks), media

    def _update(self, operations: list[str]) -> None:
        """Send ``operations`` as ONE SPARQL Update request."""
        if not operations:
            return
        response = self._send(
            "POST", self.update_url, content=" ;\n".join(operations).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._fail(response, "update")

    # -- reading -------------------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None
               ) -> SelectResult:
        answer = ox.parse_query_results(
            self._query(sparql, RESULTS_JSON, bindings), format=ox.QueryResultsFormat.JSON
        )
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        columns = [v.value for v in answer.variables]
        rows = [
            tuple(None if (t := sol[i]) is None else from_ox(t) for i in range(len(columns)))
            for sol in answer
        ]
        return SelectResult(columns, rows)

    def construct(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        data = self._query(sparql, N_TRIPLES, bindings)
        g = Graph()
        try:
            for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        except SyntaxError as exc:
            raise QueryError(f"not a CONSTRUCT or DESCRIBE query, or a bad answer: {exc}") from exc
        return g

    def ask(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> bool:
        answer = ox.parse_query_results(
            self._query(sparql, RESULTS_JSON, bindings), format=ox.QueryResultsFormat.JSON
        )
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(answer)

    def stored_answer(self, query: SavedQuery, bindings: Mapping[str, Binding]
                      ) -> SelectResult | None:
        """Always ``None``: a SPARQL server keeps no stored answers; every call is a query."""
        return None

    def refresh_answers(self, progress: Progress | None = None) -> dict[str, Any]:
        """Nothing to refresh on a SPARQL server (no stored answers)."""
        return {}

    def graph_sizes(self) -> dict[str, int]:
        result = self.select(sparql_file("graph-sizes"))
        return {str(g): int(str(n)) for g, n in result.rows if g is not None and n is not None}

    def graph_size(self, name: URIRef) -> int:
        """The number of triples in one named graph (0 when it does not exist)."""
        rows = self.select(sparql_file("graph-count"), {"graph": URIRef(name)}).rows
        value = rows[0][0] if rows else None
        return int(str(value)) if value is not None else 0

    def graph(self, name: URIRef) -> Graph:
        return self.construct(sparql_file("graph-triples"), {"graph": URIRef(name)})

    def dump_nquads(self) -> bytes:
        data = self._query(sparql_file("all-quads"), RESULTS_JSON, None)
        answer = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        lines = []
        for sol in answer:  # type: ignore[union-attr]
            g, s, p, o = (sol[i] for i in range(4))
            lines.append(f"{s} {p} {o} {g} .".encode())
        return b"\n".join(sorted(lines)) + b"\n"

    # -- writing -------------------------------------------------------------------------
    @staticmethod
    def _insert_data(graphs: Mapping[URIRef, Graph]) -> str:
        blocks = [
            f"GRAPH {_iri(name)} {{\n{_ntriples(g)}}}" for name, g in graphs.items() if len(g)
        ]
        return "INSERT DATA {\n" + "\n".join(blocks) + "\n}" if blocks else ""

    def add_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Add triples to named graphs in ONE update request (all or nothing)."""
        operation = self._insert_data(graphs)
        self._update([operation] if operation else [])

    def add_checked(self, prepare: Callable[[], Mapping[URIRef, Graph]]) -> None:
        """Check, then add in one update request. A SPARQL server offers no lock across
        clients, so another client may write between the check and the update."""
        self.add_graphs(prepare())

    def drop_graph(self, name: URIRef) -> int:
        """Remove one named graph (one update request); returns the triples it held."""
        count = self.graph_size(name)
        if count:
            self._update([f"DROP SILENT GRAPH {_iri(name)}"])
        return count

    def replace_all(self, graphs: Mapping[URIRef, Graph], manifest: Mapping[str, Any]) -> None:
        """Replace the whole content; the switch is one update request (see module docs)."""
        payload: dict[URIRef, Graph] = {**graphs, BUILD_GRAPH: manifest_graph(manifest)}
        total = sum(len(g) for g in payload.values())
        if total <= self.single_request_triples:
            self._update(["DROP SILENT ALL", self._insert_data(payload)])
            return
        staged = self._stage(payload)
        try:
            # the server's default graph is left alone: dermkg never writes it, and on
            # servers whose default graph is the union, DROP DEFAULT may mean everything
            keep = {str(name) for name in payload}
            operations = [
                f"DROP SILENT GRAPH {_iri(URIRef(g))}" for g in self.graph_sizes()
                if g not in keep and g not in {str(t) for t in staged.values()}
            ]
            for name, g in payload.items():
                if len(g):
                    operations.append(
                        f"MOVE SILENT GRAPH {_iri(staged[name])} TO GRAPH {_iri(name)}"
                    )
                else:
                    operations.append(f"DROP SILENT GRAPH {_iri(name)}")
            self._update(operations)
        except BaseException:
            self._drop_staged(staged.values())
            raise

    def _stage(self, payload: Mapping[URIRef, Graph]) -> dict[URIRef, URIRef]:
        """Upload every non-empty graph under a fresh staging name and check its size."""
        run = uuid.uuid4().hex
        staged = {
            name: URIRef(f"{STAGING_PREFIX}{run}:{i}")
            for i, (name, g) in enumerate(payload.items()) if len(g)
        }
        try:
            for name, tmp in staged.items():
                self._upload(tmp, payload[name])
            sizes = self.graph_sizes()
            for name, tmp in staged.items():
                arrived = sizes.get(str(tmp), 0)
                if arrived != len(payload[name]):
                    raise StoreError(
                        f"{self.location}: the staging upload of {name} is incomplete "
                        f"({arrived} of {len(payload[name])} triples); nothing was changed"
                    )
        except BaseException:
            self._drop_staged(staged.values())
            raise
        return staged

    def _upload(self, name: URIRef, graph: Graph) -> None:
        """Put one whole graph: Graph Store Protocol PUT, else one INSERT DATA request."""
        if self.gsp_url:
            response = self._send(
                "PUT", self.gsp_url, params={"graph": str(name)},
                content=_ntriples(graph).encode("utf-8"),
                headers={"Content-Type": N_TRIPLES},
            )
            self._fail(response, f"upload of graph {name}")
        else:
            self._update([f"DROP SILENT GRAPH {_iri(name)}", self._insert_data({name: graph})])

    def _drop_staged(self, names: Iterable[URIRef]) -> None:
        # best effort: the staging names are unique and never read by dermkg
        with contextlib.suppress(StoreError):
            self._update([f"DROP SILENT GRAPH {_iri(n)}" for n in names])
