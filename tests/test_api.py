"""The Python API and the CLI give the same answers: typed rows, DataFrames, SPARQL JSON,
CSV/TSV, Turtle/JSON-LD for CONSTRUCT, and evidence from any row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.query import Result
from typer.testing import CliRunner

from conftest import trig_graphs
from dermkg.api import KnowledgeGraph
from dermkg.catalog import saved_queries
from dermkg.cli import app
from dermkg.errors import QueryError
from dermkg.graph.backend import LocalStore
from dermkg.results import python_value

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "graph.trig"
R = "https://w3id.org/dermkg/resource/"
runner = CliRunner()

# Parameters that make each saved query answer on the fixture.
PARAMS: dict[str, dict[str, str]] = {
    "evidence": {"about": "NCT04921969"},
    "drug-profile": {"drug": "ruxolitinib"},
    "drugs-named": {"drug": "Opzelura"},
    "things-named": {"about": "NCT04921969"},
    "node-by-iri": {"about": "dkgr:drug/ruxolitinib"},
    "claim-graph": {"node": "dkgr:approval/fx001/1"},
}
# Rows that are documents' claims (or built from them): each must lead to a quote.
CLAIM_QUERIES = ["approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
                 "safety-events", "mechanisms", "conflicts", "paediatric-studies", "evidence"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    graphs = trig_graphs(FIXTURE)
    path = tmp_path_factory.mktemp("api") / "store"
    LocalStore(path).replace_all(graphs, {})
    return path


@pytest.fixture(scope="module")
def kg(store_path: Path) -> KnowledgeGraph:
    return KnowledgeGraph.open(str(store_path))


def test_rows_have_typed_values_and_names(kg: KnowledgeGraph) -> None:
    rows = kg.query("approvals-by-age-and-date", max_age=11)
    row = next(r for r in rows if r.date is not None)
    assert row.drug == "ruxolitinib" and isinstance(row.drug, str)
    assert row.min_age_years == 2 and isinstance(row.min_age_years, Decimal)
    assert row.date == dt.date(2025, 9, 18)
    assert row.approval == URIRef(R + "approval/fx001/1")
    assert row[row.columns.index("agency")] == "FDA"
    assert row.asdict()["product"] == "Opzelura"
    assert row.get("max_age_years", "open") == "open"
    trials = kg.query("trials")
    assert {type(r.enrollment) for r in trials} == {int}
    assert [r.source for r in trials[1:]] == ["fx002", "fx003"] and trials[-1].enrollment == 80
    assert trials.column("enrollment") == [300, 330, 80]
    assert kg.query("safety-events", negated_param=True)[0].negated is True


def test_to_dataframe(kg: KnowledgeGraph) -> None:
    pytest.importorskip("pandas")
    frame = kg.query("trials").to_dataframe()
    assert list(frame.columns) == kg.query("trials").columns
    assert sorted(frame["enrollment"].tolist()) == [80, 300, 330]
    assert set(frame["source"]) == {"fx001", "fx002", "fx003"}


def test_json_is_sparql_results_json(kg: KnowledgeGraph) -> None:
    result = kg.query("approvals-by-age-and-date")
    parsed = Result.parse(io.StringIO(result.to_json()), format="json")
    assert [str(v) for v in parsed.vars or []] == result.columns
    back = [tuple(python_value(row.get(v)) for v in parsed.vars or []) for row in parsed.bindings]
    assert back == [tuple(r) for r in result]
    data = json.loads(result.to_json())
    date = data["results"]["bindings"][1]["date"]
    assert date == {"type": "literal", "value": "2025-09-18",
                    "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_query_refuses_other_forms(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="CONSTRUCT query; use construct"):
        kg.query("claim-graph", node="dkgr:approval/fx001/1")
    with pytest.raises(QueryError, match="SELECT query; use query"):
        kg.construct("trials")


def test_inline_sparql_with_typed_parameters(kg: KnowledgeGraph) -> None:
    text = ("PREFIX dkg: <https://w3id.org/dermkg/ontology#>\n"
            "SELECT ?s WHERE { ?s dkg:enrollment ?n FILTER(?n > 100) } ORDER BY ?s")
    assert [r.s for r in kg.query(text)] == [URIRef(R + "study/NCT04921969")] * 2


@pytest.mark.parametrize("name", CLAIM_QUERIES)
def test_every_row_leads_to_its_evidence(kg: KnowledgeGraph, name: str) -> None:
    rows = kg.query(name, **PARAMS.get(name, {}))
    assert len(rows) > 0
    for row in rows:
        evidence = kg.evidence(row)
        assert len(evidence) > 0, row
        for ev in evidence:
            assert ev.quote and ev.document and ev.end > ev.start
        source = row.get("source")
        if source:  # the row's own document states it
            assert source in {ev.document for ev in evidence}, row


def test_evidence_of_a_conflict_row_covers_both_sides(kg: KnowledgeGraph) -> None:
    row = next(r for r in kg.query("conflicts") if r.aspect == "max_age_years")
    own = {(ev.claim, ev.document) for ev in kg.evidence(row) if ev.relation == "self"}
    assert own == {(URIRef(R + "population/fx002/1"), "fx002"),
                   (URIRef(R + "population/fx001/1"), "fx001")}


def test_evidence_by_iri_label_or_nct_id(kg: KnowledgeGraph) -> None:
    by_nct = kg.evidence("NCT04921969")
    by_iri = kg.evidence(URIRef(R + "study/NCT04921969"))
    assert by_nct.terms == by_iri.terms and len(by_nct) == 8
    assert {ev.document for ev in kg.evidence("TRuE-AD3", document="fx002")} == {"fx002"}
    assert kg.evidence({"finding": URIRef(R + "safety/fx003/1")})[0].quote == (
        "No serious adverse events were recorded.")


def test_construct_returns_an_rdflib_graph(kg: KnowledgeGraph) -> None:
    g = kg.construct("claim-graph", node="dkgr:approval/fx001/3")
    assert isinstance(g, Graph) and len(g) > 10
    assert (URIRef(R + "approval/fx001/3"), None, None) in g


# ---------------------------------------------------------------- the CLI, same answers

def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_cli_csv_equals_the_api(kg: KnowledgeGraph, store_path: Path, name: str) -> None:
    params = [a for k, v in PARAMS.get(name, {}).items() for a in ("--param", f"{k}={v}")]
    if saved_queries()[name].form == "CONSTRUCT":
        turtle = _cli("query", name, "--store", str(store_path), "--format", "turtle", *params)
        jsonld = _cli("query", name, "--store", str(store_path), "--format", "json-ld", *params)
        expected = kg.construct(name, **PARAMS.get(name, {}))
        for text, fmt in ((turtle, "turtle"), (jsonld, "json-ld")):
            parsed = Graph().parse(data=text, format=fmt)
            assert {(s, p, python_value(o)) for s, p, o in parsed} == {
                (s, p, python_value(o)) for s, p, o in expected}
        return
    out = _cli("query", name, "--store", str(store_path), "--format", "csv", *params)
    assert out == kg.query(name, **PARAMS.get(name, {})).to_csv()
    header = next(csv.reader(io.StringIO(out)))
    assert header == kg.query(name, **PARAMS.get(name, {})).columns


def test_cli_tsv_and_json(kg: KnowledgeGraph, store_path: Path) -> None:
    tsv = _cli("query", "mechanisms", "--store", str(store_path), "--format", "tsv")
    assert tsv.splitlines()[1].split("\t")[:5] == ["ruxolitinib", "JAK1", "inhibitor", "inhibition",
                                                   "fx002"]
    data = json.loads(_cli("query", "trials", "--store", str(store_path), "-f", "json",
                           "-p", "trial_name=TRuE-AD3"))
    assert data["head"]["vars"][:2] == ["trial", "nct_id"]
    assert [b["enrollment"]["value"] for b in data["results"]["bindings"]] == ["300", "330"]


def test_cli_evidence_from_a_row_or_a_name(store_path: Path) -> None:
    out = _cli("evidence", "--query", "safety-events", "--row", "2", "--store", str(store_path),
               "--format", "csv")
    assert "No serious adverse events were recorded." in out
    out = _cli("evidence", "dkgr:drug/ruxolitinib", "--in-document", "fx002",
               "--store", str(store_path), "--format", "csv")
    assert "Ruxolitinib is a JAK1 inhibitor." in out


def test_cli_lists_and_describes_queries() -> None:
    listing = json.loads(_cli("queries", "--format", "json"))
    assert {q["name"] for q in listing} == set(saved_queries())
    detail = _cli("queries", "conflicts")
    assert "value_1" in detail and "claim_1, claim_2" in detail


def test_cli_bad_parameter_is_a_clear_error_with_exit_2(store_path: Path) -> None:
    cmd = [sys.executable, "-c", "from dermkg.cli import main; main()", "query", "trials",
           "--store", str(store_path), "--param", "colour=red"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no parameter 'colour'" in done.stderr and "trial_name" in done.stderr
    cmd[-1] = "trial_name"  # not NAME=VALUE
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "NAME=VALUE" in done.stderr
