"""Every saved query on the seed build (../shared/corpus): it runs and answers, `conflicts`
finds the disagreements the seed documents contain, every external id gets a CURIE, and
every row leads to passages whose offsets point at the quoted text in the original file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dermkg.api import KnowledgeGraph
from dermkg.catalog import saved_queries

pytestmark = pytest.mark.slow

_EXAMPLE_PARAM = re.compile(r"--param\s+(\w+)=(\S+)")
APPROVAL_DOC = "002_1c4236a1f71fa2fe"


@pytest.fixture(scope="module")
def seed_kg(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("the seed corpus ../shared/corpus is not available")
    store = tmp_path_factory.mktemp("seed") / "store"
    done = subprocess.run(
        [sys.executable, "-c", "from dermkg.cli import main; main()", "build",
         "--corpus", str(corpus), "--store", str(store)],
        capture_output=True, text=True, timeout=900,
    )
    assert done.returncode in (0, 1), done.stderr
    return KnowledgeGraph.open(store), corpus


def _example_params(name: str) -> list[dict[str, str]]:
    q = saved_queries()[name]
    out = [dict(_EXAMPLE_PARAM.findall(e)) for e in q.examples
           if e.startswith(f"dermkg query {name} ")]
    if not any(p.required for p in q.parameters):
        out.append({})
    return out


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_answers_on_the_seed_build(
        seed_kg: tuple[KnowledgeGraph, Path], name: str) -> None:
    kg, _ = seed_kg
    q = saved_queries()[name]
    for params in _example_params(name):
        if q.form == "CONSTRUCT":
            assert len(kg.construct(name, **params)) > 0, params
        else:
            assert len(kg.query(name, **params)) > 0, params


def test_conflicts_finds_the_severity_disagreement_of_the_approval_article(
        seed_kg: tuple[KnowledgeGraph, Path]) -> None:
    kg, _ = seed_kg
    rows = [r for r in kg.query("conflicts") if r.aspect == "severity"
            and APPROVAL_DOC in (r.source_1, r.source_2)]
    values = {r.value_1 for r in rows} | {r.value_2 for r in rows}
    assert {"mild to severe", "moderate", "mild to moderate"} <= values
    for r in rows:
        assert r.value_1 in r.quote_1.lower() and r.value_2 in r.quote_2.lower()


def test_every_external_id_has_a_curie(seed_kg: tuple[KnowledgeGraph, Path]) -> None:
    kg, _ = seed_kg
    rows = kg.query("external-links")
    assert len(rows) > 20
    missing = [str(r.iri) for r in rows if not r.curie]
    assert not missing, "add these namespaces to queries/external-links.rq: " + ", ".join(missing)


@pytest.mark.parametrize("name", ["approvals-by-age-and-date", "trials", "trial-arms",
                                  "efficacy-outcomes", "safety-events", "mechanisms"])
def test_rows_lead_to_the_exact_text_of_the_original_file(
        seed_kg: tuple[KnowledgeGraph, Path], name: str) -> None:
    kg, corpus = seed_kg
    texts: dict[str, str] = {}
    for row in kg.query(name):
        evidence = kg.evidence(row)
        assert len(evidence) > 0, row
        assert row.source in {ev.document for ev in evidence}, row
        for ev in evidence:
            if ev.document not in texts:
                path = next(corpus.glob(f"{ev.document}.*"))
                texts[ev.document] = path.read_text(encoding="utf-8")
            assert texts[ev.document][ev.start:ev.end] == ev.quote, ev


def test_reasoning_queries(seed_kg: tuple[KnowledgeGraph, Path]) -> None:
    kg, _ = seed_kg
    assert "ruxolitinib" in {r.drug for r in kg.query("jak-inhibitors")}
    paediatric = {r.trial for r in kg.query("paediatric-studies")}
    assert "TRuE-AD3" in paediatric and any("maximum-use" in t for t in paediatric)
