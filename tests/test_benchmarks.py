"""The benchmark generators produce what they claim (no timing assertions here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
SCORER = REPO.parent / "shared" / "acceptance" / "score.py"
CONTRACT_COLUMNS = {
    "approvals-by-age-and-date": {"drug", "product", "agency", "indication", "min_age_years",
                                  "max_age_years", "date", "based_on", "source"},
    "trials": {"trial", "nct_id", "phase", "design", "enrollment", "min_age_years",
               "max_age_years", "condition", "allocation_ratio", "source"},
    "trial-arms": {"trial", "drug", "strength_percent", "frequency", "source"},
    "efficacy-outcomes": {"trial", "arm", "endpoint", "timepoint", "value", "value_max", "unit",
                          "population", "source"},
    "safety-events": {"trial", "arm", "event", "patients", "percent", "negated", "source"},
    "mechanisms": {"drug", "target", "action", "source"},
}
DKG = "https://w3id.org/dermkg/ontology#"

sys.path.insert(0, str(BENCH))
import bench_queries  # noqa: E402
import report  # noqa: E402
import run as bench_run  # noqa: E402
import synth_articles  # noqa: E402
import synth_graph  # noqa: E402
import timing  # noqa: E402


def _scorer() -> ModuleType:
    if not SCORER.exists():
        pytest.skip("the acceptance scorer ../shared/acceptance/score.py is not available")
    spec = importlib.util.spec_from_file_location("acceptance_score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- articles -----------------------------------------------------------------------------
def test_articles_are_deterministic_and_cover_every_genre() -> None:
    first = [synth_articles.make_article(i, seed=3) for i in range(10)]
    again = [synth_articles.make_article(i, seed=3) for i in range(10)]
    other = [synth_articles.make_article(i, seed=4) for i in range(10)]
    assert [a.text for a in first] == [a.text for a in again]
    assert [a.text for a in first] != [a.text for a in other]
    assert {a.genre for a in first} == set(synth_articles.GENRES)


def test_gold_rows_use_contract_columns_and_name_their_document() -> None:
    for i in range(25):
        art = synth_articles.make_article(i, seed=1)
        assert set(art.gold) <= set(CONTRACT_COLUMNS)
        for query, rows in art.gold.items():
            for row in rows:
                assert set(row) <= CONTRACT_COLUMNS[query], (query, row)
                assert row["source"] == art.doc_id


def test_every_gold_fact_is_written_in_its_article() -> None:
    for i in range(25):
        art = synth_articles.make_article(i, seed=2)
        text = " ".join(art.text.split())  # hard-wrapped abstracts: join the lines
        for query, rows in art.gold.items():
            for row in rows:
                for column in ("value", "percent", "patients", "enrollment"):
                    if column in row:
                        number = f"{float(row[column]):g}"
                        written = f"{int(row[column]):,}" if column == "enrollment" else number
                        assert written in text, (art.doc_id, query, column, written)
                if "trial" in row:
                    name, nct = row["trial"].split("|")
                    assert name in text and nct in text
                if "timepoint" in row:
                    assert f"week {row['timepoint'].split()[-1]}" in text
                if query == "approvals-by-age-and-date":
                    assert row["product"] in text and row["drug"] in text


def test_a_trial_reports_the_same_design_in_every_article() -> None:
    by_trial: dict[str, set[tuple[object, ...]]] = {}
    for i in range(60):
        for row in synth_articles.make_article(i, seed=1).gold.get("trials", []):
            key = (row["enrollment"], row["phase"], row["allocation_ratio"], row["min_age_years"])
            by_trial.setdefault(row["nct_id"], set()).add(key)
    assert all(len(designs) == 1 for designs in by_trial.values())
    assert len(by_trial) > 5


def test_gold_file_matches_itself_under_the_acceptance_scorer(tmp_path: Path) -> None:
    scorer = _scorer()
    path = synth_articles.write_corpus(15, tmp_path, seed=5)
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert gold["documents"] == sorted(p.stem for p in (tmp_path / "corpus").glob("*.txt"))
    # the gold rows, written as a query's CSV would write them, score recall 1
    produced = {q: [{k: ("true" if v is True else str(v)) for k, v in row.items()}
                    for row in spec["rows"]] for q, spec in gold["queries"].items()}
    for rows in produced.values():
        for row in rows:
            for k, v in row.items():
                row[k] = v.split("|")[0]
    result = scorer.score(gold, produced)
    assert result["recall"] == 1.0
    assert result["precision"] == 1.0


# -- graphs -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synth_graph.GraphStats]:
    path = tmp_path_factory.mktemp("graph") / "g.nq"
    stats = synth_graph.generate(6_000, path, seed=11)
    return path, stats


def test_graph_reaches_its_size_and_parses(small_graph: tuple[Path, synth_graph.GraphStats]
                                           ) -> None:
    path, stats = small_graph
    lines = path.read_bytes().count(b"\n")
    assert lines == stats.triples >= 6_000
    assert stats.documents >= 1
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    assert 0.98 * lines <= len(store) <= lines  # a few repeated mechanism triples collapse


def test_graph_is_deterministic(tmp_path: Path) -> None:
    synth_graph.generate(2_500, tmp_path / "a.nq", seed=3)
    synth_graph.generate(2_500, tmp_path / "b.nq", seed=3)
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_graph_claims_follow_the_evidence_model(
        small_graph: tuple[Path, synth_graph.GraphStats]) -> None:
    path, stats = small_graph
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    prefix = f"PREFIX dkg: <{DKG}> PREFIX prov: <http://www.w3.org/ns/prov#> " \
             "PREFIX oa: <http://www.w3.org/ns/oa#> "
    kinds = {"efficacy": "EfficacyResult", "safety": "SafetyFinding",
             "mechanism": "MechanismStatement", "approval": "RegulatoryApproval"}
    for kind, cls in kinds.items():
        q = prefix + f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a dkg:{cls} }} }}"
        n = int(next(iter(store.query(q)))["n"].value)
        assert n == stats.counts.get(kind, 0), kind
    orphans = prefix + """SELECT ?c WHERE { GRAPH ?g { ?c dkg:extractionRule ?r .
        FILTER NOT EXISTS { ?c a dkg:EvidenceSpan }
        FILTER NOT EXISTS { ?c prov:wasDerivedFrom ?d ; dkg:hasEvidence ?e } } }"""
    assert list(store.query(orphans)) == []
    bad_spans = prefix + """SELECT ?e WHERE { GRAPH ?g { ?e a dkg:EvidenceSpan ;
        oa:hasSelector ?p . ?p oa:start ?s ; oa:end ?t FILTER(?t <= ?s) } }"""
    assert list(store.query(bad_spans)) == []


def test_saved_queries_find_the_generated_claims(
        small_graph: tuple[Path, synth_graph.GraphStats]) -> None:
    from dermkg.catalog import saved_queries

    path, stats = small_graph
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query(saved_queries()["efficacy-outcomes"].sparql,
                            use_default_graph_as_union=True))
    assert len(rows) == stats.counts["efficacy"]
    assert all(r["endpoint"] is not None and r["source"] is not None for r in rows)


def test_sizes_round_trip() -> None:
    for text, n in (("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000), ("10M", 10_000_000),
                    ("2500", 2500)):
        assert synth_graph.parse_size(text) == n
        assert synth_graph.size_label(n) == text


# -- timing and report --------------------------------------------------------------------
def test_percentiles() -> None:
    samples = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert timing.percentile(samples, 50) == 3.0
    assert timing.percentile(samples, 95) == pytest.approx(4.8)
    assert timing.percentile([7.0], 95) == 7.0


def _t(p50: float, cpu: float, **extra: object) -> dict[str, object]:
    return {"n": 3, "p50": p50, "p95": p50, "min": p50, "cpu_p50": cpu, "cpu_p95": cpu,
            "rows": 10, **extra}


def _results() -> dict[str, object]:
    first = {"wall": 0.004, "cpu": 0.003}
    return {"started": "x", "argv": [], "cpus": 2, "queries": {"1M": {
        "fast": {"triples": 1_000_000, "engines": {
            "dermkg": {"load": {"wall": 30, "cpu": 25},
                       "answers": {"wall": 12.0, "cpu": 11.0, "rows": 10,
                                   "queries": {"trials": {"rows": 10, "seconds": 12.0}}},
                       "queries": {"trials": _t(0.0025, 0.002, first=first, stored=True,
                                                terms={"cpu_p50": 0.0005}),
                                   "evidence [about]": _t(0.9, 0.8, first=first,
                                                          stored=False)}},
            "dermkg-live": {"load": {"shared": True},
                            "queries": {"trials": _t(0.030, 0.018),
                                        "evidence [about]": _t(0.9, 0.8)}},
            "oxigraph": {"load": {"wall": 20, "cpu": 10},
                         "queries": {"trials": _t(0.020, 0.015),
                                     "evidence [about]": _t(0.8, 0.8)}}}},
        "rdflib": {"triples": 1_000_000, "engines": {"rdflib": {
            "load": {"wall": 90, "cpu": 80}, "queries": {"trials": _t(3.0, 2.0)}}}}}}}


def test_report_computes_ratios(tmp_path: Path) -> None:
    text = report.write_report(_results(), tmp_path).read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| trials |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    # rows, dermkg, p95, terms, first, live, pyoxigraph, rdflib, rdflib/dermkg, live/ox,
    # dermkg/ox
    assert cells[2] == "2.0" and cells[5] == "4.0"  # CPU p50 and first call (wall), ms
    assert cells[4] == "0.50"  # the answer as RDF terms
    assert cells[9] == "1000×"  # rdflib CPU 2 s / dermkg CPU 2 ms
    assert cells[10] == "1.20×"  # the SPARQL path: 18 ms / 15 ms
    assert cells[11] == "0.13×"  # stored answer 2 ms / pyoxigraph 15 ms
    evidence = next(line for line in text.splitlines() if line.startswith("| evidence"))
    assert "800 SPARQL" in evidence  # a call the stored answers cannot give
    load = next(line for line in text.splitlines() if line.startswith("| 1M |"))
    assert "30.0 / 25.0 | 12.0 / 11.0 | 20.0 / 10.0 | 90.0 / 80.0 | 3.20×" in load
    targets = text.split("## Targets")[1].split("##")[0]
    assert "1 of 1 calls within it" in targets  # only the stored answer counts for 50 ms
    assert "evidence [about]" in targets.split("cannot give")[1].splitlines()[0]
    assert "highest 1.20× (trials at 1M)" in targets
    names = {p.name for p in tmp_path.iterdir()}
    assert {"queries.csv", "loads.csv", "answers.csv"} <= names
    header = (tmp_path / "queries.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"first_wall", "terms_cpu_p50"} <= set(header.split(","))


def test_only_sparql_times_leave_cases_out_at_the_next_size() -> None:
    previous = {"engines": {
        "dermkg": {"queries": {"conflicts": {"p50": 0.001, "stored": True},
                               "drug-profile [drug]": {"p50": 0.5, "stored": False}}},
        "dermkg-live": {"queries": {"conflicts": {"p50": 0.4},
                                    "drug-profile [drug]": {"p50": 0.5}}},
        "oxigraph": {"queries": {"conflicts": {"p50": 0.45}, "trials": {"p50": 9.0}}}}}
    skipped = bench_run.too_slow((100_000, previous), 1_000_000, limit=20.0)
    assert skipped == {"conflicts": pytest.approx(45.0), "drug-profile [drug]": 50.0}
    assert bench_run.too_slow((100_000, previous), 1_000_000, limit=60.0) == {}


def test_query_worker_engines_agree_and_stored_answers_are_timed(
        small_graph: tuple[Path, synth_graph.GraphStats], tmp_path: Path) -> None:
    path, _ = small_graph
    out = bench_queries.run(path, ["dermkg", "dermkg-live", "oxigraph"], budget=0.0,
                            max_runs=2, queries_dir=None, workdir=tmp_path,
                            only=["trials", "jak-inhibitors", "claim-graph", "drug-profile",
                                  "evidence"],
                            skip={"trials [nct_id_param]"})
    engines = out["engines"]
    dermkg, live, raw = (engines[e]["queries"] for e in ("dermkg", "dermkg-live", "oxigraph"))
    assert engines["dermkg-live"]["load"] == {"shared": True}  # one store, loaded once
    answers = engines["dermkg"]["answers"]
    assert answers["queries"]["trials"]["rows"] == dermkg["trials"]["rows"] > 0
    assert 0 < answers["wall"] <= engines["dermkg"]["load"]["wall"]
    evidence = ["evidence [about=NCT10007919]", "evidence [about=dkgr:efficacy/syn0000001/1]"]
    assert set(dermkg) == {"trials", "trials [nct_id_param]", "jak-inhibitors",
                           "jak-inhibitors [include_definition]", "claim-graph [node]",
                           "drug-profile [drug]", *evidence}
    assert "trials [nct_id_param]" not in live  # left out where it would run SPARQL
    for case in live:
        assert dermkg[case]["rows"] == live[case]["rows"] == raw[case]["rows"], case
        assert dermkg[case]["first"]["wall"] > 0
    assert dermkg["trials"]["stored"] and dermkg["trials [nct_id_param]"]["stored"]
    assert dermkg["jak-inhibitors [include_definition]"]["stored"]  # true-or-text filter
    assert dermkg["drug-profile [drug]"]["stored"]  # after its look-up (drugs-named)
    assert not dermkg["claim-graph [node]"]["stored"]  # CONSTRUCT, required parameter
    assert not any(dermkg[case]["stored"] for case in evidence)  # required parameter
    assert dermkg["drug-profile [drug]"]["rows"] > 0 and dermkg[evidence[1]]["rows"] > 0
    assert dermkg["trials"]["terms"]["n"] >= 1  # the answer without typed values, timed too
    assert "terms" not in dermkg[evidence[0]]
