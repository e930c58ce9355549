"""``dermkg serve``: the SPARQL 1.1 Protocol, content negotiation, safety limits and the
saved queries as REST, against a real server process on loopback."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from dermkg.namespaces import DKG
from test_server_support import (
    APPROVAL_A,
    APPROVAL_B,
    QUOTE_A,
    build_fixture_store,
    dermkg_server,
)

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DRUGS = """PREFIX dkg: <https://w3id.org/dermkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?drug ?label WHERE { ?drug a dkg:Drug ; rdfs:label ?label }"""
DESCRIBE_APPROVAL = f"DESCRIBE <{APPROVAL_A}>"
CONSTRUCT_APPROVALS = """PREFIX dkg: <https://w3id.org/dermkg/ontology#>
CONSTRUCT { ?a a dkg:RegulatoryApproval ; dkg:minAgeYears ?m }
WHERE { ?a a dkg:RegulatoryApproval ; dkg:minAgeYears ?m }"""
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    build_fixture_store(path)
    return path


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    with dermkg_server(str(store), "--timeout", "15", "--max-result-mb", "0.05",
                       "--max-memory-mb", "1500",
                       "--max-request-kb", "16", "--allow-service", "sparql.example.org") as url:
        yield url


def get(server: str, path: str, **kwargs: object) -> httpx.Response:
    return httpx.get(server + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def sparql(server: str, query: str, accept: str | None = None, method: str = "GET",
           **kwargs: object) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    if method == "GET":
        return httpx.get(f"{server}/sparql", params={"query": query}, headers=headers, timeout=30)
    if method == "FORM":
        return httpx.post(f"{server}/sparql", data={"query": query}, headers=headers, timeout=30)
    return httpx.post(f"{server}/sparql", content=query.encode(),
                      headers={**headers, "Content-Type": "application/sparql-query"}, timeout=30)


# -- the SPARQL 1.1 Protocol --------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "FORM", "DIRECT"])
def test_query_by_get_form_post_and_direct_post(server: str, method: str) -> None:
    response = sparql(server, DRUGS, "application/sparql-results+json", method)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    data = response.json()
    assert data["head"]["vars"] == ["drug", "label"]
    rows = [(b["drug"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]]
    assert rows == [("https://w3id.org/dermkg/resource/drug/ruxolitinib", "ruxolitinib")]


def test_default_answer_is_sparql_json_and_union_of_graphs(server: str, store: Path) -> None:
    response = sparql(server, COUNT)
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    total = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert total == sum(len(g) for g in _fixture().values())


def _fixture() -> dict[URIRef, Graph]:
    from test_server_support import fixture_graphs

    return fixture_graphs()


def test_xml_results(server: str) -> None:
    response = sparql(server, DRUGS, "application/sparql-results+xml")
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(response.content)
    names = [v.get("name") for v in root.iter(f"{SPARQL_NS}variable")]
    assert names == ["drug", "label"]
    literals = [e.text for e in root.iter(f"{SPARQL_NS}literal")]
    assert literals == ["ruxolitinib"]


def test_csv_and_tsv_results(server: str) -> None:
    csv_text = sparql(server, DRUGS, "text/csv").text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows == [["drug", "label"],
                    ["https://w3id.org/dermkg/resource/drug/ruxolitinib", "ruxolitinib"]]
    tsv = sparql(server, DRUGS, "text/tab-separated-values")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    lines = tsv.text.strip().splitlines()
    assert lines[0].split("\t") == ["?drug", "?label"]
    assert lines[1].split("\t") == ["<https://w3id.org/dermkg/resource/drug/ruxolitinib>",
                                    '"ruxolitinib"']


def test_turtle_and_jsonld_for_construct_and_describe(server: str) -> None:
    turtle = sparql(server, CONSTRUCT_APPROVALS, "text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=turtle.text, format="turtle")
    assert set(g.subjects(RDF.type, DKG.RegulatoryApproval)) == {URIRef(APPROVAL_A),
                                                                   URIRef(APPROVAL_B)}
    jsonld = sparql(server, DESCRIBE_APPROVAL, "application/ld+json")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    g2 = Graph().parse(data=jsonld.text, format="json-ld")
    assert (URIRef(APPROVAL_A), DKG.minAgeYears, None) in g2
    assert not list(g2.subjects(DKG.minAgeYears, None)) or set(
        g2.subjects(DKG.minAgeYears, None)) == {URIRef(APPROVAL_A)}


def test_ask(server: str) -> None:
    response = sparql(server, "ASK { ?s a <https://w3id.org/dermkg/ontology#Drug> }")
    assert response.json() == {"head": {}, "boolean": True}


def test_accept_quality_values_are_honoured(server: str) -> None:
    response = sparql(server, DRUGS, "application/sparql-results+json;q=0.5, text/csv")
    assert response.headers["content-type"].startswith("text/csv")


def test_format_parameter_overrides_accept(server: str) -> None:
    response = httpx.get(f"{server}/sparql", params={"query": DRUGS, "format": "csv"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.headers["content-type"].startswith("text/csv")


def test_unacceptable_media_type_is_406(server: str) -> None:
    response = sparql(server, DRUGS, "image/png")
    assert response.status_code == 406
    assert "text/csv" in response.text  # the message lists what is available


def test_default_graph_uri_restricts_the_dataset(server: str) -> None:
    response = httpx.get(f"{server}/sparql", params={
        "query": COUNT, "default-graph-uri": "https://w3id.org/dermkg/graph/vocabulary"},
        timeout=30)
    n = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert n == len(_fixture()[URIRef("https://w3id.org/dermkg/graph/vocabulary")])


# -- safety ---------------------------------------------------------------------------------
@pytest.mark.parametrize("request_kind", ["update-body", "update-form", "update-param",
                                          "load-as-query", "insert-as-query"])
def test_updates_are_refused(server: str, store: Path, request_kind: str) -> None:
    update = "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    if request_kind == "update-body":
        response = httpx.post(f"{server}/sparql", content=update, timeout=30,
                              headers={"Content-Type": "application/sparql-update"})
    elif request_kind == "update-form":
        response = httpx.post(f"{server}/sparql", data={"update": update}, timeout=30)
    elif request_kind == "update-param":
        response = httpx.get(f"{server}/sparql", params={"update": update}, timeout=30)
    elif request_kind == "load-as-query":
        response = sparql(server, "LOAD <http://example.org/data.ttl>", method="FORM")
    else:
        response = sparql(server, update)
    assert response.status_code == 403
    assert "read-only" in response.text
    count = sparql(server, COUNT).json()["results"]["bindings"][0]["n"]["value"]
    assert int(count) == sum(len(g) for g in _fixture().values())


def test_service_is_refused_unless_the_host_is_allowed(server: str) -> None:
    refused = sparql(server, "SELECT * WHERE { SERVICE <http://evil.example.net/sparql> "
                             "{ ?s ?p ?o } }")
    assert refused.status_code == 403
    assert "evil.example.net" in refused.text and "--allow-service" in refused.text
    variable = sparql(server, "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }")
    assert variable.status_code == 403
    # an allowed host passes the check; nothing listens there, so the query itself fails
    allowed = sparql(server, "SELECT * WHERE { SERVICE <http://sparql.example.org/x> "
                             "{ ?s ?p ?o } }")
    assert allowed.status_code not in (403, 200)


def test_query_time_limit(server: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . " \
           "?m ?n2 ?o . ?p ?q ?r }"
    response = sparql(server, slow)
    assert response.status_code == 503
    assert "time limit of 15 s" in response.text
    # the server is still answering after its worker was stopped
    assert sparql(server, COUNT).status_code == 200


def test_worker_memory_limit(server: str) -> None:
    hungry = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } "
              "ORDER BY ?a ?d ?l")
    response = sparql(server, hungry)
    assert response.status_code == 503
    assert "memory limit of 1,500 MB" in response.text
    # the worker was replaced: the server still answers, several times over
    for _ in range(4):
        assert sparql(server, COUNT).status_code == 200


def test_result_size_limit(server: str) -> None:
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    response = sparql(server, big)
    assert response.status_code == 422
    assert "LIMIT" in response.text


def test_request_size_limit(server: str) -> None:
    padding = "#" + "x" * 20_000 + "\n"
    response = sparql(server, padding + DRUGS, method="DIRECT")
    assert response.status_code == 413


def test_errors_are_short_and_without_traceback(server: str) -> None:
    response = sparql(server, "SELECT WHERE {")
    assert response.status_code == 400
    assert response.text.startswith("error: SPARQL syntax error")
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert httpx.get(f"{server}/sparql", timeout=30).status_code == 400
    wrong_type = httpx.post(f"{server}/sparql", content=b"x", timeout=30,
                            headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_binds_to_loopback_by_default() -> None:
    from dermkg.server.settings import DEFAULT_HOST, is_loopback

    assert is_loopback(DEFAULT_HOST)
    assert not is_loopback("0.0.0.0")


# -- saved queries as REST ------------------------------------------------------------------
def test_saved_query_with_typed_parameters(server: str) -> None:
    everything = get(server, "/queries/approvals-by-age-and-date").json()
    approvals = {b["approval"]["value"] for b in everything["results"]["bindings"]}
    assert approvals == {APPROVAL_A, APPROVAL_B}
    young = get(server, "/queries/approvals-by-age-and-date", params={"max_age": "5"},
                headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(young.text)))
    assert [r["approval"] for r in rows] == [APPROVAL_B]
    assert rows[0]["min_age_years"] == "2"


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values"])
def test_stored_answers_are_served_as_the_query_would_answer(server: str, store: Path,
                                                             accept: str) -> None:
    from dermkg.binding import bind_values
    from dermkg.catalog import saved_queries
    from dermkg.graph.answers import ANSWERS
    from dermkg.graph.store import StoreFolder

    name = "approvals-by-age-and-date"
    assert (StoreFolder(store).current().path / ANSWERS / f"{name}.json").is_file()
    for params in ({}, {"max_age": "5"}):
        stored = get(server, f"/queries/{name}", params=params, headers={"Accept": accept})
        query = saved_queries()[name]
        live = sparql(server, bind_values(query.sparql, query.bindings(params)), accept, "FORM")
        assert stored.status_code == live.status_code == 200, stored.text
        assert stored.headers["content-type"] == live.headers["content-type"]
        if "json" in accept:
            assert stored.json() == live.json() and stored.json()["results"]["bindings"]
        else:
            assert stored.content == live.content
            assert b"test-b" in stored.content  # a row, not only the header


@pytest.mark.parametrize(("name", "params"), [
    ("evidence", {"about": APPROVAL_A}), ("evidence", {"about": "RUXOLITINIB"}),
    ("drug-profile", {"drug": "Ruxolitinib"}), ("drug-profile", {"drug": "no such drug"}),
])
def test_resolved_parameters_are_looked_up_by_the_server(server: str, store: Path, name: str,
                                                         params: dict[str, str]) -> None:
    """A parameter with a `# resolve:` line: the server answers what the Python API does
    (the resolving query runs first in the worker)."""
    from dermkg.api import KnowledgeGraph

    expected = KnowledgeGraph.open(store).query(name, **params)
    response = get(server, f"/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert len(rows) == len(expected)
    assert rows or params == {"drug": "no such drug"}
    got = {tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows}
    want = {tuple(sorted((c, str(t)) for c, t in zip(expected.columns, row, strict=True)
                         if t is not None)) for row in expected.terms}
    assert got == want


def test_saved_construct_query_answers_rdf(server: str) -> None:
    response = get(server, "/queries/claim-graph", params={"node": APPROVAL_A},
                   headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(APPROVAL_A), DKG.minAgeYears, None) in graph
    doc = get(server, "/openapi.json").json()
    content = doc["paths"]["/queries/claim-graph"]["get"]["responses"]["200"]["content"]
    assert "text/turtle" in content and "text/csv" not in content
    missing = get(server, "/queries/claim-graph")
    assert missing.status_code == 400 and "node" in missing.text


def test_saved_query_parameter_errors(server: str) -> None:
    bad_type = get(server, "/queries/approvals-by-age-and-date", params={"max_age": "old"})
    assert bad_type.status_code == 400 and "max_age" in bad_type.text
    unknown = get(server, "/queries/approvals-by-age-and-date", params={"colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.text
    assert get(server, "/queries/no-such-query").status_code == 404


def test_saved_query_injection_stays_a_literal(server: str) -> None:
    attack = 'x" ) } } SELECT * WHERE { ?s ?p ?o } #'
    response = get(server, "/queries/approvals-by-age-and-date", params={"drug_name": attack})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []


def test_saved_query_list_and_sparql_text(server: str) -> None:
    listing = get(server, "/queries").json()
    names = {q["name"] for q in listing}
    assert {"approvals-by-age-and-date", "evidence"} <= names
    approvals = next(q for q in listing if q["name"] == "approvals-by-age-and-date")
    assert {p["name"]: p["type"] for p in approvals["parameters"]}["max_age"] == "decimal"
    text = get(server, "/queries/approvals-by-age-and-date.rq")
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert "dkg:RegulatoryApproval" in text.text


def test_openapi_describes_every_saved_query(server: str) -> None:
    doc = get(server, "/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    listing = get(server, "/queries").json()
    for q in listing:
        op = doc["paths"][f"/queries/{q['name']}"]["get"]
        assert [p["name"] for p in op["parameters"]] == [p["name"] for p in q["parameters"]]
    params = {p["name"]: p["schema"] for p in
              doc["paths"]["/queries/approvals-by-age-and-date"]["get"]["parameters"]}
    assert params["max_age"]["type"] == "number"
    assert params["since"] == {"type": "string", "format": "date"}
    assert {"get", "post"} <= set(doc["paths"]["/sparql"])


def test_evidence_api_returns_the_quote(server: str) -> None:
    response = get(server, "/api/evidence", params={"iri": APPROVAL_A})
    rows = response.json()["results"]["bindings"]
    assert [r["quote"]["value"] for r in rows] == [QUOTE_A]
    assert rows[0]["document"]["value"] == "test-a"
    statements = get(server, "/api/resource", params={"iri": APPROVAL_A}).json()
    props = {b["property"]["value"] for b in statements["results"]["bindings"]}
    assert "https://w3id.org/dermkg/ontology#minAgeYears" in props


def test_web_page_and_assets(server: str) -> None:
    page = get(server, "/")
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/app.js"' in page.text
    assert get(server, "/static/app.js").headers["content-type"].startswith("text/javascript")
    assert get(server, "/static/../app.py").status_code == 404


def test_new_build_is_served_without_restart(server: str, store: Path) -> None:
    from dermkg.graph.backend import LocalStore
    from test_server_support import fixture_graphs

    graphs = fixture_graphs()
    graphs.pop(URIRef("https://w3id.org/dermkg/graph/document/test-b"))
    before = get(server, "/queries/approvals-by-age-and-date").json()["results"]["bindings"]
    try:
        LocalStore(store).replace_all(graphs, {"fixture": "without test-b"})
        after = get(server, "/queries/approvals-by-age-and-date").json()["results"]["bindings"]
        assert len(before) == 2 and [b["approval"]["value"] for b in after] == [APPROVAL_A]
    finally:
        build_fixture_store(store)


# -- standard clients -----------------------------------------------------------------------
def test_sparqlwrapper(server: str) -> None:
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    client = SPARQLWrapper.SPARQLWrapper(f"{server}/sparql")
    client.setQuery(DRUGS)
    client.setReturnFormat(SPARQLWrapper.JSON)
    result = client.query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["ruxolitinib"]
    client.setMethod(SPARQLWrapper.POST)
    client.setQuery(CONSTRUCT_APPROVALS)
    client.setReturnFormat(SPARQLWrapper.TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(set(graph.subjects(RDF.type, DKG.RegulatoryApproval))) == 2
    client.setQuery(DRUGS)
    client.setReturnFormat(SPARQLWrapper.CSV)
    assert b"ruxolitinib" in client.query().convert()


def test_rdflib_sparqlstore(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(f"{server}/sparql", returnFormat="json"))
    labels = {str(row.label) for row in graph.query(DRUGS)}  # type: ignore[union-attr]
    assert labels == {"ruxolitinib"}
    assert (URIRef(APPROVAL_A), DKG.minAgeYears, None) in graph
    assert graph.query("ASK { ?s a <https://w3id.org/dermkg/ontology#Drug> }").askAnswer


CURL_TYPES = {
    "application/sparql-results+json": (DRUGS, lambda b: json.loads(b)["head"]["vars"]
                                        == ["drug", "label"]),
    "application/sparql-results+xml": (DRUGS, lambda b: ET.fromstring(b).tag
                                       == f"{SPARQL_NS}sparql"),
    "text/csv": (DRUGS, lambda b: b.decode().splitlines()[0] == "drug,label"),
    "text/tab-separated-values": (DRUGS, lambda b: b.decode().splitlines()[0]
                                  == "?drug\t?label"),
    "text/turtle": (CONSTRUCT_APPROVALS, lambda b: len(Graph().parse(data=b.decode(),
                                                                     format="turtle")) == 4),
    "application/ld+json": (DESCRIBE_APPROVAL, lambda b: len(Graph().parse(
        data=b.decode(), format="json-ld")) > 5),
}


@pytest.mark.parametrize("accept", list(CURL_TYPES))
def test_curl_with_each_accept_type(server: str, accept: str) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    query, check = CURL_TYPES[accept]
    done = subprocess.run(
        ["curl", "--silent", "--show-error", "--fail", "--max-time", "30",
         "--header", f"Accept: {accept}", "--data-urlencode", f"query={query}",
         "--write-out", "\n%{content_type}", f"{server}/sparql"],
        capture_output=True, check=True,
    )
    body, _, content_type = done.stdout.rpartition(b"\n")
    assert content_type.decode().startswith(accept)
    assert check(body)
