"""The remote store: dermkg against a real Oxigraph SPARQL server on loopback, compared with
the embedded store — build (replace_all), add, query, retract (drop_graph), and serving a
remote store with ``dermkg serve --store URL``."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from dermkg.api import KnowledgeGraph
from dermkg.catalog import saved_queries
from dermkg.errors import QueryError, StoreError
from dermkg.graph.backend import GraphStore, LocalStore, open_store
from dermkg.graph.remote import BUILD_GRAPH, STAGING_PREFIX, RemoteStore, endpoints_from_url
from dermkg.namespaces import DKG, source_graph
from test_server_support import (
    APPROVAL_A,
    QUOTE_A,
    build_fixture_store,
    dermkg_server,
    fixture_graphs,
    oxigraph_binary,
    oxigraph_server,
)

REPO = Path(__file__).resolve().parents[1]
DEV_CORPUS = REPO / "tests" / "corpus_dev"
FACTS = REPO / "tests" / "fixtures" / "shapes" / "good.ttl"
DOC_B = URIRef("https://w3id.org/dermkg/graph/document/test-b")
EXTRA = source_graph("test-extra")
needs_oxigraph = pytest.mark.skipif(oxigraph_binary() is None,
                                    reason="the oxigraph server is not installed")


# -- endpoint conventions (no server) ---------------------------------------------------
def test_oxigraph_layout_is_derived_from_the_query_url() -> None:
    assert endpoints_from_url("http://h:7878/query") == (
        "http://h:7878/query", "http://h:7878/update", "http://h:7878/store")


def test_other_servers_update_at_the_same_url_without_graph_store() -> None:
    url = "https://db.example.org/repositories/dermkg"
    assert endpoints_from_url(url) == (url, url, None)


def test_fragment_names_update_and_graph_store_endpoints() -> None:
    query, update, gsp = endpoints_from_url(
        "http://h/ds/query#update=http://h/ds/update&gsp=http://h/ds/data")
    assert (query, update, gsp) == ("http://h/ds/query", "http://h/ds/update", "http://h/ds/data")
    with pytest.raises(StoreError, match="unknown option"):
        endpoints_from_url("http://h/ds/query#password=x")


def test_open_store_gives_a_remote_store_for_urls(tmp_path: Path) -> None:
    assert isinstance(open_store("http://127.0.0.1:9/query"), RemoteStore)
    assert isinstance(open_store(tmp_path / "st"), LocalStore)


def test_unreachable_server_is_a_store_error() -> None:
    store = RemoteStore("http://127.0.0.1:9/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


# -- against a real Oxigraph server -----------------------------------------------------
@pytest.fixture
def remote(tmp_path: Path) -> Iterator[RemoteStore]:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with oxigraph_server(tmp_path / "oxigraph") as url:
        store = RemoteStore.from_url(url)
        yield store
        store.close()


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    return build_fixture_store(tmp_path / "local")


_ACTIVITY = re.compile(r"/activity/add/[^>]+")


def answers(store: GraphStore) -> dict[str, list[tuple[str, ...]]]:
    """Every parameter-free saved SELECT query's rows (as N3 text, sorted) on ``store``."""
    kg = KnowledgeGraph(store)
    out: dict[str, list[tuple[str, ...]]] = {}
    for name, q in saved_queries().items():
        if any(p.required for p in q.parameters) or q.form != "SELECT":
            continue
        result = kg.query(name)
        # (an `add` names its provenance activity by the time it ran: one per store)
        out[name] = sorted(tuple("" if t is None else _ACTIVITY.sub("/activity/add/…", t.n3())
                                 for t in row)
                           for row in result.terms)
    return out


def data_sizes(store: GraphStore) -> dict[str, int]:
    return {g: n for g, n in store.graph_sizes().items() if g and g != str(BUILD_GRAPH)}


@pytest.mark.slow
def test_same_answers_as_the_embedded_store(remote: RemoteStore, local: LocalStore) -> None:
    remote.replace_all(fixture_graphs(), {"fixture": "test"})
    assert data_sizes(remote) == data_sizes(local)
    expected = answers(local)
    assert expected["approvals-by-age-and-date"], "the fixture answers the approvals query"
    assert answers(remote) == expected
    evidence = KnowledgeGraph(remote).query("evidence", about=APPROVAL_A)
    assert [row.quote for row in evidence] == [QUOTE_A]
    assert remote.ask("ASK { ?s a <https://w3id.org/dermkg/ontology#Drug> }")
    described = remote.construct(f"DESCRIBE <{APPROVAL_A}>")
    assert (URIRef(APPROVAL_A), DKG.minAgeYears, None) in described


@pytest.mark.slow
def test_add_query_retract(remote: RemoteStore, local: LocalStore) -> None:
    remote.replace_all(fixture_graphs(), {})
    extra = Graph()
    drug = URIRef("https://w3id.org/dermkg/resource/drug/test-extra-drug")
    extra.add((drug, RDFS.label, Literal('a "quoted" drug\nname')))
    extra.add((drug, DKG.linkStatus, Literal("unlinked")))
    for store in (remote, local):
        store.add_graphs({EXTRA: extra})
    assert remote.graph_sizes()[str(EXTRA)] == 2
    assert answers(remote) == answers(local)
    got = remote.graph(EXTRA)
    assert set(got) == set(extra), "literals with quotes and newlines survive the round trip"
    assert remote.drop_graph(EXTRA) == local.drop_graph(EXTRA) == 2
    assert str(EXTRA) not in remote.graph_sizes()
    assert remote.drop_graph(EXTRA) == 0
    assert answers(remote) == answers(local)


@pytest.mark.slow
def test_replace_all_through_staging_graphs(remote: RemoteStore, local: LocalStore) -> None:
    remote.add_graphs({EXTRA: Graph().add((URIRef("http://example.org/old"), RDFS.label,
                                           Literal("left from before")))})
    remote.single_request_triples = 0  # force the staged path: upload, count, then MOVE
    remote.replace_all(fixture_graphs(), {"staged": True})
    sizes = remote.graph_sizes()
    assert str(EXTRA) not in sizes, "graphs that are not in the new build are dropped"
    assert not [g for g in sizes if g.startswith(STAGING_PREFIX)], "no staging graph is left"
    assert data_sizes(remote) == data_sizes(local)
    assert answers(remote) == answers(local)


@pytest.mark.slow
def test_failed_staged_replace_leaves_the_store_as_it_was(
    remote: RemoteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote.replace_all(fixture_graphs(), {"first": True})
    before = remote.dump_nquads()
    remote.single_request_triples = 0
    real_upload = remote._upload
    calls = []

    def failing_upload(name: URIRef, graph: Graph) -> None:
        calls.append(name)
        if len(calls) == 2:
            raise StoreError("simulated network failure during the upload")
        real_upload(name, graph)

    monkeypatch.setattr(remote, "_upload", failing_upload)
    smaller = fixture_graphs()
    smaller.pop(DOC_B)
    with pytest.raises(StoreError, match="simulated"):
        remote.replace_all(smaller, {"second": True})
    assert remote.dump_nquads() == before, "the live graphs are untouched, staging dropped"


@pytest.mark.slow
def test_bad_query_is_a_query_error(remote: RemoteStore) -> None:
    with pytest.raises(QueryError):
        remote.select("SELECT WHERE {")


def _dermkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dermkg", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
@needs_oxigraph
def test_cli_build_add_query_retract_same_answers_embedded_and_remote(tmp_path: Path) -> None:
    """`dermkg build`, `query`, `add` and `retract` with --store URL do what they do on a
    folder: the same build gives the same answers on both stores, before and after."""
    local = tmp_path / "local"
    built = _dermkg("build", "--corpus", str(DEV_CORPUS), "--store", str(local),
                    "--no-reason", "--quiet")
    assert built.returncode in (0, 1), built.stderr
    with oxigraph_server(tmp_path / "oxigraph") as url:
        remote_built = _dermkg("build", "--corpus", str(DEV_CORPUS), "--store", url,
                               "--no-reason", "--quiet")
        assert remote_built.returncode == built.returncode, remote_built.stderr
        remote_answers = answers(open_store(url))
        local_answers = answers(open_store(local))
        assert remote_answers == local_answers
        assert len(local_answers) >= 5
        assert sum(len(rows) for rows in local_answers.values()) > 0, "the build found facts"
        # and the CLI's query command reads the remote store as it reads the folder
        a = _dermkg("query", "approvals-by-age-and-date", "--store", str(local), "-f", "csv")
        b = _dermkg("query", "approvals-by-age-and-date", "--store", url, "-f", "csv")
        assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
        assert sorted(a.stdout.splitlines()) == sorted(b.stdout.splitlines())

        # dermkg add (validated facts) and dermkg retract, on both stores
        if not FACTS.exists():
            pytest.skip(f"{FACTS} (the shapes tests' fixture) is not there")
        for target in (str(local), url):
            added = _dermkg("add", str(FACTS), "--store", target, "--source", "remote-test")
            assert added.returncode == 0, added.stderr
        graph = str(source_graph("remote-test"))
        local_sizes, remote_sizes = data_sizes(open_store(local)), data_sizes(open_store(url))
        assert remote_sizes[graph] == local_sizes[graph] > 0
        assert answers(open_store(url)) == answers(open_store(local)) != local_answers
        for target in (str(local), url):
            gone = _dermkg("retract", "remote-test", "--store", target)
            assert gone.returncode == 0, gone.stderr
            assert f"removed {local_sizes[graph]} triple(s)" in gone.stderr
        assert graph not in data_sizes(open_store(url))
        assert answers(open_store(url)) == local_answers


@pytest.mark.slow
@needs_oxigraph
def test_federation_to_an_allowed_host_only(tmp_path: Path) -> None:
    """`--allow-service` lets SERVICE reach the listed host (here an Oxigraph server on
    loopback) and nothing else."""
    other = tmp_path / "served"
    build_fixture_store(other)
    with oxigraph_server(tmp_path / "oxigraph") as url:
        RemoteStore.from_url(url).add_graphs({EXTRA: Graph().add(
            (URIRef("http://example.org/remote-thing"), RDFS.label, Literal("from afar")))})
        query = ("SELECT ?label WHERE { SERVICE <" + url + "> "
                 "{ <http://example.org/remote-thing> ?p ?label } }")
        with dermkg_server(str(other), "--allow-service", "127.0.0.1") as server:
            allowed = httpx.post(f"{server}/sparql", data={"query": query}, timeout=30)
            assert allowed.status_code == 200, allowed.text
            labels = [b["label"]["value"] for b in allowed.json()["results"]["bindings"]]
            assert labels == ["from afar"]
        with dermkg_server(str(other)) as server:
            refused = httpx.post(f"{server}/sparql", data={"query": query}, timeout=30)
            assert refused.status_code == 403


@pytest.mark.slow
@needs_oxigraph
def test_serve_a_remote_store(tmp_path: Path) -> None:
    """`dermkg serve --store URL` forwards queries to the SPARQL server, still read-only."""
    with oxigraph_server(tmp_path / "oxigraph") as url:
        store = RemoteStore.from_url(url)
        store.replace_all(fixture_graphs(), {})
        with dermkg_server(url) as server:
            rows = httpx.get(f"{server}/queries/approvals-by-age-and-date",
                             params={"max_age": "5"}, timeout=30).json()["results"]["bindings"]
            assert [r["source"]["value"] for r in rows] == ["test-b"]
            csv_answer = httpx.get(f"{server}/sparql", timeout=30,
                                   params={"query": "SELECT ?d WHERE { ?d a "
                                           "<https://w3id.org/dermkg/ontology#Drug> }"},
                                   headers={"Accept": "text/csv"})
            assert csv_answer.headers["content-type"].startswith("text/csv")
            assert csv_answer.text.split() == ["d",
                                               "https://w3id.org/dermkg/resource/drug/ruxolitinib"]
            refused = httpx.post(f"{server}/sparql", timeout=30,
                                 data={"query": "DROP ALL"})
            assert refused.status_code == 403
        assert store.graph_sizes(), "the remote graph is still there"
