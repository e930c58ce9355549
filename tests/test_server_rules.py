"""The endpoint's rules without a server: content negotiation, the update and SERVICE
policies, the limits enforced inside a worker, and the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from dermkg.catalog import saved_queries
from dermkg.server.engine import QueryJob, execute
from dermkg.server.errors import EndpointError
from dermkg.server.negotiation import NotAcceptable, Preference, choose_media_type, parse_accept
from dermkg.server.openapi import openapi_document
from dermkg.server.policy import check_services, looks_like_update, service_targets
from test_server_support import build_fixture_store

OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


# -- negotiation ----------------------------------------------------------------------------
def test_accept_is_ordered_by_quality_then_position() -> None:
    assert parse_accept("text/csv;q=0.5, application/json, */*;q=0.1") == [
        ("application/json", 1.0), ("text/csv", 0.5), ("*/*", 0.1)]


@pytest.mark.parametrize(("header", "expected"), [
    ("*/*", "application/sparql-results+json"),
    ("", None),
    ("text/csv", "text/csv"),
    ("text/*", "text/csv"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
    ("image/png", None),
])
def test_choose_media_type(header: str, expected: str | None) -> None:
    assert choose_media_type(header, OFFERS) == expected


def test_specific_range_beats_wildcard_at_equal_quality() -> None:
    assert choose_media_type("*/*, text/csv", OFFERS) == "text/csv"


def test_preference_per_query_form_and_format_override() -> None:
    browser = Preference("text/html,*/*;q=0.8")
    assert browser.for_results()[0] == "application/sparql-results+json"
    assert browser.for_graph()[0] == "text/turtle"
    override = Preference("text/csv", "json")
    assert override.for_results()[0] == "application/sparql-results+json"
    assert override.for_graph()[0] == "application/ld+json"
    with pytest.raises(NotAcceptable, match="available"):
        Preference("text/csv").for_graph()


# -- policy ---------------------------------------------------------------------------------
@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://e/s> <http://e/p> 1 }",
    "LOAD <http://example.org/data.ttl>",
    "PREFIX e: <http://e/> DELETE WHERE { ?s e:p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT ; MOVE <http://e/a> TO <http://e/b>",
])
def test_updates_are_recognised(update: str) -> None:
    assert looks_like_update(update)


def test_queries_are_not_updates() -> None:
    assert not looks_like_update("SELECT * WHERE { ?s ?p ?o }")


def test_service_targets_resolve_prefixes_and_nesting() -> None:
    query = """PREFIX ex: <http://svc.example.org/>
    SELECT * WHERE { OPTIONAL { SERVICE SILENT ex:sparql { ?s ?p ?o } }
                     { SELECT ?x WHERE { SERVICE <http://other.example.net/q> { ?x ?y ?z } } } }"""
    assert set(service_targets(query)) == {URIRef("http://svc.example.org/sparql"),
                                           URIRef("http://other.example.net/q")}


def test_the_word_service_in_a_literal_is_not_a_service() -> None:
    query = 'SELECT * WHERE { ?s ?p "SERVICE <http://evil.example.net/>" }'
    assert service_targets(query) == []
    check_services(query, [])


def test_service_allow_list_is_per_host() -> None:
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    check_services(query, ["query.wikidata.org"])
    with pytest.raises(EndpointError) as refused:
        check_services(query, ["wikidata.org"])
    assert refused.value.status == 403


# -- limits inside a worker (run in-process here) --------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "store"
    build_fixture_store(path)
    return path


def test_result_size_limit_in_the_worker(store: Path) -> None:
    small = execute(QueryJob(str(store), "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                             max_result_bytes=10_000))
    assert small.media_type.startswith("application/sparql-results+json")
    with pytest.raises(EndpointError) as too_big:
        execute(QueryJob(str(store), "SELECT * WHERE { ?s ?p ?o }", max_result_bytes=1_000))
    assert too_big.value.status == 422


def test_missing_store_is_503(tmp_path: Path) -> None:
    with pytest.raises(EndpointError) as missing:
        execute(QueryJob(str(tmp_path / "none"), "ASK {}"))
    assert missing.value.status == 503 and "no graph built" in missing.value.message


def test_update_sent_as_a_query_is_refused_in_the_worker(store: Path) -> None:
    with pytest.raises(EndpointError) as refused:
        execute(QueryJob(str(store), "DROP ALL"))
    assert refused.value.status == 403


# -- OpenAPI --------------------------------------------------------------------------------
def test_openapi_types_and_required_parameters() -> None:
    catalog = saved_queries()
    doc = openapi_document(catalog.values(), "http://127.0.0.1:8000")
    for name, q in catalog.items():
        op = doc["paths"][f"/queries/{name}"]["get"]
        for p, spec in zip(q.parameters, op["parameters"], strict=True):
            assert spec["name"] == p.name and spec["required"] == p.required
    evidence = doc["paths"]["/queries/evidence"]["get"]["parameters"]
    assert {p["name"]: p["required"] for p in evidence}["about"] is True
