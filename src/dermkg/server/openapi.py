"""The OpenAPI 3.1 description of the endpoint, generated from the saved-query catalog."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dermkg import __version__
from dermkg.catalog import Parameter, SavedQuery
from dermkg.server.negotiation import GRAPH_TYPES, RESULT_TYPES

SCHEMAS: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
    "iri": {"type": "string", "format": "iri"},
}
RESULT_MEDIA = ["application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"]
GRAPH_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples",
               "application/rdf+xml"]
ERRORS = {
    "400": {"description": "Bad query or parameter (the message says which)"},
    "403": {"description": "Refused: an update, or a SERVICE to a host that is not allowed"},
    "406": {"description": "None of the accepted media types can carry the answer"},
    "413": {"description": "The request body is too large"},
    "422": {"description": "The answer is larger than the server's limit"},
    "503": {"description": "The query ran past the time limit, or no graph is built"},
}
assert set(RESULT_MEDIA) <= set(RESULT_TYPES) and set(GRAPH_MEDIA) <= set(GRAPH_TYPES)


def _parameter(p: Parameter) -> dict[str, Any]:
    schema: dict[str, Any] = dict(SCHEMAS[p.type])
    if p.default is not None:
        schema["default"] = p.default
    return {"name": p.name, "in": "query", "required": p.required,
            "description": p.description or p.name, "schema": schema}


def _content(media: list[str]) -> dict[str, Any]:
    return {m: {"schema": {"type": "string"}} for m in media}


def _saved_query_path(q: SavedQuery) -> dict[str, Any]:
    return {
        "get": {
            "operationId": q.name.replace("-", "_"),
            "summary": q.title or q.name,
            "description": q.description,
            "tags": ["saved queries"],
            "parameters": [_parameter(p) for p in q.parameters],
            "responses": {
                "200": {"description": "The triples (RDF)", "content": _content(GRAPH_MEDIA)}
                if q.form in ("CONSTRUCT", "DESCRIBE") else
                {"description": "The rows (SPARQL 1.1 Query Results)",
                 "content": _content(RESULT_MEDIA)},
                **ERRORS,
            },
        }
    }


def openapi_document(queries: Iterable[SavedQuery], server_url: str) -> dict[str, Any]:
    """The OpenAPI document: the SPARQL endpoint and one path per saved query."""
    query_param = {"name": "query", "in": "query", "required": True,
                   "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)",
                   "schema": {"type": "string"}}
    graph_params = [
        {"name": n, "in": "query", "required": False, "description": d,
         "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
         "style": "form", "explode": True}
        for n, d in (("default-graph-uri", "Graphs merged into the default graph "
                      "(default: the union of all graphs)"),
                     ("named-graph-uri", "Graphs that GRAPH may match (default: all)"))
    ]
    answers = {"200": {"description": "The answer: results for SELECT/ASK, RDF for "
                       "CONSTRUCT/DESCRIBE, in the negotiated media type",
                       "content": _content(RESULT_MEDIA + GRAPH_MEDIA)}, **ERRORS}
    paths: dict[str, Any] = {
        "/sparql": {
            "get": {"operationId": "sparql_get", "summary": "SPARQL 1.1 Protocol query",
                    "tags": ["SPARQL"], "parameters": [query_param, *graph_params],
                    "responses": answers},
            "post": {
                "operationId": "sparql_post", "summary": "SPARQL 1.1 Protocol query (POST)",
                "tags": ["SPARQL"], "parameters": graph_params,
                "requestBody": {"required": True, "content": {
                    "application/sparql-query": {"schema": {"type": "string"}},
                    "application/x-www-form-urlencoded": {"schema": {
                        "type": "object", "required": ["query"],
                        "properties": {"query": {"type": "string"}}}},
                }},
                "responses": answers,
            },
        },
        "/queries": {"get": {
            "operationId": "list_saved_queries", "summary": "The saved queries",
            "tags": ["saved queries"],
            "responses": {"200": {"description": "Names, parameters and SPARQL",
                                  "content": {"application/json": {"schema": {
                                      "type": "array", "items": {"type": "object"}}}}}},
        }},
    }
    for q in queries:
        paths[f"/queries/{q.name}"] = _saved_query_path(q)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dermkg SPARQL endpoint",
            "version": __version__,
            "description": "Read-only SPARQL 1.1 endpoint over the dermkg knowledge graph of "
                           "dermatology therapeutics evidence, and its saved queries as REST "
                           "endpoints with typed parameters.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }
