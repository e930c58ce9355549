"""The HTTP application of ``dermkg serve`` (Starlette).

Routes::

    GET  /                      the web page (write and run SPARQL, saved queries, evidence)
    GET  /sparql?query=…        SPARQL 1.1 Protocol query (also POST, form or sparql-query)
    GET  /queries               the saved queries, their parameters and SPARQL (JSON)
    GET  /queries/NAME?p=…      run a saved query with typed parameters
    GET  /queries/NAME.rq       the saved query's SPARQL text
    GET  /openapi.json          OpenAPI 3.1 description of the REST endpoints
    GET  /api/evidence?iri=…    the evidence of a claim (for the page)
    GET  /api/resource?iri=…    the statements about a node (for the page)
    GET  /prefixes              the prefixes the page abbreviates IRIs with
    GET  /health                liveness, and which store is served

The endpoint is read-only; updates are refused with 403. Errors are short plain-text
messages with a 4xx/5xx status, never stack traces.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from urllib.parse import parse_qsl

from rdflib.term import Node
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from dermkg.binding import bind_values
from dermkg.catalog import SavedQuery, parse_saved_query, saved_queries
from dermkg.errors import QueryError
from dermkg.namespaces import PREFIXES
from dermkg.server.engine import Answer, QueryJob, QueryPool
from dermkg.server.errors import EndpointError
from dermkg.server.negotiation import Preference
from dermkg.server.openapi import openapi_document
from dermkg.server.policy import refuse_update
from dermkg.server.settings import ServerSettings

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
STATIC = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@cache
def web_file(name: str) -> bytes:
    """A file of the web page, from the package's ``web/`` folder."""
    return files("dermkg").joinpath("web", name).read_bytes()


PAGE_QUERIES = {"evidence": "catalog", "resource": "web"}
"""The queries behind /api/NAME: the catalog's ``evidence`` query, the page's ``resource``."""


@cache
def page_query(name: str) -> SavedQuery:
    """A query the web page uses: a saved query, or the page's own ``web/NAME.rq``."""
    if PAGE_QUERIES[name] == "catalog":
        catalog = saved_queries()
        if name not in catalog:
            raise EndpointError(404, f"the catalog has no {name!r} query")
        return catalog[name]
    return parse_saved_query(name, web_file(f"{name}.rq").decode("utf-8"), f"web/{name}.rq")


def _error(exc: EndpointError) -> Response:
    return PlainTextResponse(f"error: {exc.message}\n", status_code=exc.status,
                             headers=SECURITY_HEADERS)


class Endpoint:
    """The application's state: settings and the worker pool."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.pool: QueryPool | None = None

    # -- helpers -------------------------------------------------------------------------
    async def _body(self, request: Request) -> bytes:
        limit = self.settings.max_request_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise EndpointError(413, f"the request body is larger than {limit:,} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise EndpointError(413, f"the request body is larger than {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _run(
        self, request: Request, sparql: str, params: Mapping[str, list[str]],
        saved: tuple[str, tuple[tuple[str, Node], ...]] | None = None,
    ) -> Response:
        if self.pool is None:  # pragma: no cover - the lifespan creates it
            raise EndpointError(503, "the server is starting")
        fmts = params.get("format") or params.get("output") or []
        fmt = fmts[-1] if fmts else None
        job = QueryJob(
            location=self.settings.store,
            sparql=sparql,
            saved=saved[0] if saved else None,
            bindings=saved[1] if saved else (),
            preference=Preference(request.headers.get("accept", "*/*"), fmt),
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            allowed_services=self.settings.allowed_service_hosts,
            max_result_bytes=self.settings.max_result_bytes,
            timeout=self.settings.query_timeout,
        )
        answer: Answer = await self.pool.run(job)
        return Response(answer.body, media_type=answer.media_type,
                        headers={**SECURITY_HEADERS, "Vary": "Accept"})

    @staticmethod
    def _multi(items: list[tuple[str, str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in items:
            out.setdefault(key, []).append(value)
        return out

    # -- SPARQL 1.1 Protocol -------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        try:
            params = self._multi(list(request.query_params.multi_items()))
            if request.method == "POST":
                ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
                body = await self._body(request)
                if ctype == SPARQL_UPDATE:
                    raise refuse_update()
                if ctype == FORM:
                    form = self._multi(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                    for key, values in form.items():
                        params.setdefault(key, []).extend(values)
                elif ctype == SPARQL_QUERY:
                    if "query" in params:
                        raise EndpointError(400, "give the query in the body or the URL, not both")
                    params["query"] = [body.decode("utf-8")]
                else:
                    raise EndpointError(
                        415, f"POST a query as {SPARQL_QUERY} or {FORM}, not {ctype or 'no type'}"
                    )
            if "update" in params:
                raise refuse_update()
            queries = params.get("query", [])
            if len(queries) != 1 or not queries[0].strip():
                raise EndpointError(
                    400, "give exactly one SPARQL query in the `query` parameter"
                    if queries else "no query: give one in the `query` parameter"
                )
            return await self._run(request, queries[0], params)
        except EndpointError as exc:
            return _error(exc)
        except UnicodeDecodeError:
            return _error(EndpointError(400, "the request is not UTF-8"))

    # -- saved queries -------------------------------------------------------------------
    async def list_queries(self, request: Request) -> Response:
        data = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default,
                     "required": p.required, "description": p.description}
                    for p in q.parameters
                ],
                "columns": [{"name": c.name, "description": c.description} for c in q.columns],
                "key": q.key,
                "examples": list(q.examples),
                "sparql": q.sparql,
                "url": str(request.url_for("saved_query", name=q.name)),
            }
            for q in saved_queries().values()
        ]
        return JSONResponse(data, headers=SECURITY_HEADERS)

    async def saved_query(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            if name.endswith(".rq"):
                saved = self._saved(name[: -len(".rq")])
                return PlainTextResponse(saved.sparql, media_type="application/sparql-query",
                                         headers=SECURITY_HEADERS)
            return await self._run_saved(request, self._saved(name))
        except EndpointError as exc:
            return _error(exc)

    @staticmethod
    def _saved(name: str) -> SavedQuery:
        catalog = saved_queries()
        if name not in catalog:
            raise EndpointError(404, f"no saved query {name!r}; see /queries")
        return catalog[name]

    async def _run_saved(self, request: Request, saved: SavedQuery,
                         values: Mapping[str, str] | None = None) -> Response:
        params = self._multi(list(request.query_params.multi_items()))
        reserved = {"format", "output"} - {p.name for p in saved.parameters}
        if values is None:
            values = {k: v[-1] for k, v in params.items() if k not in reserved}
        try:
            bindings = saved.bindings(dict(values))
            sparql = bind_values(saved.sparql, bindings)
        except QueryError as exc:
            raise EndpointError(400, str(exc)) from None
        return await self._run(request, sparql, {k: v for k, v in params.items() if k in reserved},
                               saved=(saved.name, tuple(bindings.items())))

    async def page_api(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            if name not in PAGE_QUERIES:
                raise EndpointError(404, f"no page query {name!r}")
            saved = page_query(name)
            iri = request.query_params.get("iri")
            if not iri:
                raise EndpointError(400, "give the node's IRI in the `iri` parameter")
            # the node goes to the query's IRI parameter, else to its first parameter
            # (the catalog's `evidence` query takes an IRI, CURIE or label as `about`)
            targets = [p.name for p in saved.parameters if p.type == "iri"] or [
                p.name for p in saved.parameters[:1]
            ]
            if not targets:
                raise EndpointError(500, f"the {name} query has no parameter for the node")
            return await self._run_saved(request, saved, {targets[0]: iri})
        except EndpointError as exc:
            return _error(exc)

    # -- the rest ------------------------------------------------------------------------
    async def openapi(self, request: Request) -> Response:
        server = str(request.base_url).rstrip("/")
        return JSONResponse(openapi_document(saved_queries().values(), server),
                            headers=SECURITY_HEADERS)

    async def static(self, request: Request) -> Response:
        name = request.path_params.get("name", "index.html")
        if name not in STATIC:
            return _error(EndpointError(404, "not found"))
        headers = dict(SECURITY_HEADERS)
        if name == "index.html":
            headers["Content-Security-Policy"] = PAGE_POLICY
        return Response(web_file(name), media_type=STATIC[name], headers=headers)

    async def prefixes(self, request: Request) -> Response:
        return JSONResponse(PREFIXES, headers=SECURITY_HEADERS)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "store": self.settings.store,
                             "read_only": True}, headers=SECURITY_HEADERS)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(EndpointError(exc.status_code, str(exc.detail)))


async def _server_error(request: Request, exc: Exception) -> Response:
    return _error(EndpointError(500, "internal server error (see the server log)"))


def create_app(settings: ServerSettings) -> Starlette:
    """The ``dermkg serve`` application for ``settings``."""
    endpoint = Endpoint(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        endpoint.pool = QueryPool(settings.workers, settings.query_timeout,
                                  settings.worker_memory_bytes)
        await endpoint.pool.warm_up(settings.store, settings.workers)
        try:
            yield
        finally:
            endpoint.pool.close()

    routes = [
        Route("/", endpoint.static, methods=["GET"]),
        Route("/static/{name}", endpoint.static, methods=["GET"]),
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"]),
        Route("/queries", endpoint.list_queries, methods=["GET"]),
        Route("/queries/{name}", endpoint.saved_query, methods=["GET"], name="saved_query"),
        Route("/api/{name}", endpoint.page_api, methods=["GET"]),
        Route("/openapi.json", endpoint.openapi, methods=["GET"]),
        Route("/prefixes", endpoint.prefixes, methods=["GET"]),
        Route("/health", endpoint.health, methods=["GET"]),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )


__all__ = ["Endpoint", "create_app"]
