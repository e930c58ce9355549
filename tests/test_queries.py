"""Each saved query on a small fixture graph (tests/fixtures/queries/graph.trig) with the
rows it must return. The fixture's three documents are described at its top."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from conftest import trig_graphs
from dermkg.api import KnowledgeGraph
from dermkg.catalog import saved_queries
from dermkg.errors import QueryError
from dermkg.graph.backend import LocalStore
from dermkg.results import ResultSet

FIXTURE = Path(__file__).parent / "fixtures" / "queries" / "graph.trig"
R = "https://w3id.org/dermkg/resource/"
STUDY = URIRef(R + "study/NCT04921969")
CHART = URIRef(R + "study/fx003/chart-review")


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    graphs = trig_graphs(FIXTURE)
    store = LocalStore(tmp_path_factory.mktemp("queries") / "store")
    store.replace_all(graphs, {})
    return KnowledgeGraph.open(store)


def cells(result: ResultSet, *columns: str) -> list[tuple[Any, ...]]:
    """The rows projected on ``columns``; "; "-lists as frozensets (their order is free)."""
    def cell(v: Any) -> Any:
        return frozenset(v.split("; ")) if isinstance(v, str) and "; " in v else v
    return [tuple(cell(row.get(c)) for c in columns) for row in result]


# ---------------------------------------------------------------- the six contract queries

def test_approvals_rows_order_and_typed_values(kg: KnowledgeGraph) -> None:
    result = kg.query("approvals-by-age-and-date")
    assert cells(result, "approval", "indication", "min_age_years", "date", "based_on", "kind",
                 "severity", "product", "source") == [
        (URIRef(R + "approval/fx001/2"), "atopic dermatitis", 2, None, None, None,
         "moderate", None, "fx001"),
        (URIRef(R + "approval/fx001/1"), "atopic dermatitis", 2, dt.date(2025, 9, 18),
         "TRuE-AD3", "expanded", "mild to severe", "Opzelura", "fx001"),
        (URIRef(R + "approval/fx001/3"), "atopic dermatitis", 12, "2021-09", None, "initial",
         "mild to moderate", None, "fx001"),
        (URIRef(R + "approval/fx001/4"), "vitiligo", 12, "2022-07", None, None, None, None,
         "fx001"),
    ]
    assert {row.drug for row in result} == {"ruxolitinib"}
    assert {row.agency for row in result} == {"FDA"}
    first = result[1]
    assert isinstance(first.min_age_years, Decimal) and isinstance(first.date, dt.date)
    assert first.based_on_nct_id == "NCT04921969"


@pytest.mark.parametrize(("params", "expected"), [
    ({"max_age": 11}, {"1", "2"}),
    ({"max_age": "12"}, {"1", "2", "3", "4"}),
    ({"since": "2022-01-01"}, {"1", "4"}),
    ({"since": dt.date(2022, 8, 1)}, {"1"}),
    ({"max_age": 11, "since": "2022-01-01"}, {"1"}),
    ({"drug_name": "RUXOLITINIB", "max_age": Decimal("1.5")}, set()),
    ({"drug_name": "tofacitinib"}, set()),
])
def test_approvals_parameters(kg: KnowledgeGraph, params: dict[str, Any],
                              expected: set[str]) -> None:
    rows = kg.query("approvals-by-age-and-date", **params)
    assert {str(r.approval).rsplit("/", 1)[1] for r in rows} == expected


def test_trials_one_row_per_study_and_document(kg: KnowledgeGraph) -> None:
    result = kg.query("trials")
    assert cells(result, "trial", "nct_id", "phase", "design", "enrollment", "min_age_years",
                 "max_age_years", "condition", "allocation_ratio", "source") == [
        ("TRuE-AD3", "NCT04921969", "3", "randomized controlled trial", 300, 2, 12,
         "atopic dermatitis", "2:2:1", "fx001"),
        ("TRuE-AD3", "NCT04921969", "3",
         frozenset({"randomized controlled trial", "double-blind study"}), 330, 2, 11, None,
         None, "fx002"),
        ("retrospective chart review", None, None,
         frozenset({"retrospective study", "chart review"}), 80, 6, 17, "atopic dermatitis",
         None, "fx003"),
    ]
    assert [r.source for r in kg.query("trials", nct_id_param="nct04921969")] == ["fx001", "fx002"]
    assert [r.study for r in kg.query("trials", trial_name="Retrospective Chart Review")] == [CHART]


def test_a_study_stated_as_two_phases_keeps_both(tmp_path: Path) -> None:
    from rdflib import Literal

    graphs = trig_graphs(FIXTURE)
    fx002 = next(g for name, g in graphs.items() if str(name).endswith("fx002"))
    fx002.add((STUDY, URIRef("https://w3id.org/dermkg/ontology#phase"), Literal("2")))
    store = LocalStore(tmp_path / "store")
    store.replace_all(graphs, {})
    phases = {r.source: r.phase for r in KnowledgeGraph.open(store).query("trials")
              if r.study == STUDY}
    assert phases == {"fx001": "3", "fx002": "2/3"}


def test_trial_arms(kg: KnowledgeGraph) -> None:
    result = kg.query("trial-arms")
    assert sorted(cells(result, "trial", "drug", "strength_percent", "frequency", "source"),
                  key=str) == sorted([
        ("TRuE-AD3", "ruxolitinib", Decimal("0.75"), "twice daily", "fx001"),
        ("TRuE-AD3", "ruxolitinib", Decimal("1.5"), "twice daily", "fx001"),
        ("TRuE-AD3", "vehicle", None, "twice daily", "fx001"),
        ("TRuE-AD3", "ruxolitinib", Decimal("1.5"), "twice daily", "fx002"),
        ("TRuE-AD3", "vehicle", None, "twice daily", "fx002"),
        ("retrospective chart review", "ruxolitinib", Decimal("1.5"), None, "fx003"),
    ], key=str)
    assert len(kg.query("trial-arms", trial_name="retrospective chart review")) == 1


def test_efficacy_outcomes(kg: KnowledgeGraph) -> None:
    result = kg.query("efficacy-outcomes")
    assert cells(result, "trial", "arm", "endpoint", "timepoint", "value", "value_max", "unit",
                 "population", "source") == [
        ("TRuE-AD3", "ruxolitinib cream 1.5% BID", "IGA-TS", "week 8", Decimal("56.5"), None,
         "%", None, "fx002"),
        ("TRuE-AD3", "vehicle cream BID", "IGA-TS", "week 8", Decimal("10.0"), None, "%", None,
         "fx002"),
    ]
    # the endpoint's name or the text's words
    assert len(kg.query("efficacy-outcomes", endpoint_name="iga-ts")) == 2
    assert len(kg.query("efficacy-outcomes", endpoint_name="IGA treatment success")) == 1
    assert len(kg.query("efficacy-outcomes", endpoint_name="EASI-75")) == 0


def test_safety_events(kg: KnowledgeGraph) -> None:
    result = kg.query("safety-events")
    assert cells(result, "trial", "arm", "event", "patients", "percent", "negated", "serious",
                 "source") == [
        ("TRuE-AD3", "ruxolitinib cream 1.5% BID", "nasopharyngitis", 5, Decimal("4.0"), False,
         None, "fx002"),
        ("retrospective chart review", None, "serious adverse events", None, None, True, True,
         "fx003"),
    ]
    assert [r.source for r in kg.query("safety-events", negated_param=True)] == ["fx003"]
    assert [r.source for r in kg.query("safety-events", negated_param="no")] == ["fx002"]


def test_mechanisms(kg: KnowledgeGraph) -> None:
    assert cells(kg.query("mechanisms"), "drug", "target", "action", "action_kind", "source") == [
        ("ruxolitinib", "JAK1", "inhibitor", "inhibition", "fx002")]
    assert len(kg.query("mechanisms", drug_name="tapinarof")) == 0


# ---------------------------------------------------------------- the other saved queries

def test_evidence_of_a_study_by_nct_id(kg: KnowledgeGraph) -> None:
    result = kg.query("evidence", about="NCT04921969")
    assert {r.subject for r in result} == {STUDY}
    assert cells(result, "relation", "claim", "document", "start", "end") == [
        ("basedOnStudy", URIRef(R + "approval/fx001/1"), "fx001", 0, 96),
        ("hasPopulation", URIRef(R + "population/fx001/1"), "fx001", 331, 420),
        ("self", STUDY, "fx001", 331, 420),
        ("basedOnStudy", URIRef(R + "approval/fx001/1"), "fx001", 500, 560),
        ("hasPopulation", URIRef(R + "population/fx002/1"), "fx002", 0, 70),
        ("ofStudy", URIRef(R + "efficacy/fx002/1"), "fx002", 71, 150),
        ("ofStudy", URIRef(R + "efficacy/fx002/2"), "fx002", 71, 150),
        ("ofStudy", URIRef(R + "safety/fx002/1"), "fx002", 151, 220),
    ]
    self_row = next(r for r in result if r.relation == "self")
    assert self_row.quote.startswith("TRuE-AD3 (NCT04921969) randomized 300 children")
    assert self_row.rule == "study.enrolment" and self_row.supports == "enrollment"
    assert self_row.title == "Regulator widens topical JAK inhibitor label to young children"


@pytest.mark.parametrize("about", [
    "ruxolitinib", "RUXOLITINIB", "INCB018424", "dkgr:drug/ruxolitinib", R + "drug/ruxolitinib",
])
def test_evidence_by_label_synonym_curie_or_iri(kg: KnowledgeGraph, about: str) -> None:
    result = kg.query("evidence", about=about, in_document="fx002")
    assert cells(result, "relation", "claim", "quote") == [
        ("subjectDrug", URIRef(R + "mechanism/fx002/1"), "Ruxolitinib is a JAK1 inhibitor.")]


def test_evidence_of_an_unknown_thing_is_empty(kg: KnowledgeGraph) -> None:
    assert len(kg.query("evidence", about="no such drug")) == 0


def test_conflicts_find_values_that_disagree(kg: KnowledgeGraph) -> None:
    result = kg.query("conflicts")
    approval = "ruxolitinib for atopic dermatitis (FDA)"
    assert cells(result, "subject_label", "aspect", "value_1", "source_1", "value_2",
                 "source_2", "scope") == [
        ("TRuE-AD3", "enrollment", "300", "fx001", "330", "fx002", "across documents"),
        ("TRuE-AD3", "max_age_years", "11", "fx002", "12", "fx001", "across documents"),
        (approval, "severity", "mild to moderate", "fx001", "mild to severe", "fx001",
         "within document"),
        (approval, "severity", "mild to moderate", "fx001", "moderate", "fx001",
         "within document"),
        (approval, "severity", "mild to severe", "fx001", "moderate", "fx001",
         "within document"),
    ]
    ages = result[1]
    assert ages.subject == STUDY
    assert ages.quote_1 == "In all, 330 children aged 2-11 years were enrolled in TRuE-AD3."
    assert ages.quote_2.startswith("TRuE-AD3 (NCT04921969) randomized 300 children aged 2 to 12")
    assert (ages.claim_1, ages.claim_2) == (URIRef(R + "population/fx002/1"),
                                            URIRef(R + "population/fx001/1"))
    assert (ages.sources_1, ages.sources_2) == ("fx002", "fx001")
    wording = result[2]  # two passages of one claim word the severity differently
    assert wording.claim_1 == wording.claim_2 == URIRef(R + "approval/fx001/1")
    assert wording.quote_1 == "The widened label is for Mild-to-Moderate disease only."
    assert wording.quote_2.startswith("The label now covers children from 2 years of age")
    two_claims = result[4]  # two claims of one approval (agency, drug, indication, age 2)
    assert (two_claims.claim_1, two_claims.claim_2) == (URIRef(R + "approval/fx001/1"),
                                                        URIRef(R + "approval/fx001/2"))
    assert two_claims.quote_2.startswith("It is cleared for moderate atopic dermatitis")
    # the initial approval (from 12 years, "mild to moderate") is another approval
    assert URIRef(R + "approval/fx001/3") not in {r.claim_1 for r in result} | {
        r.claim_2 for r in result}
    assert [r.aspect for r in kg.query("conflicts", about="trUE-ad3")] == [
        "enrollment", "max_age_years"]
    assert len(kg.query("conflicts", about=R + "population/fx002/1")) == 1


def test_external_links_as_curie_and_iri(kg: KnowledgeGraph) -> None:
    result = kg.query("external-links")
    assert set(cells(result, "label", "entity_type", "curie", "prefix")) == {
        ("atopic dermatitis", "disease", "MONDO:0004980", "MONDO"),
        ("ruxolitinib", "drug", "CHEBI:66919", "CHEBI"),
        ("tofacitinib", "drug", "CHEBI:71200", "CHEBI"),
        ("JAK1", "target", "hgnc:6190", "hgnc"),
        ("JAK1", "target", "uniprot:P23458", "uniprot"),
        ("JAK2", "target", "hgnc:6192", "hgnc"),
        ("JAK2", "target", "uniprot:O60674", "uniprot"),
    }
    rux = next(r for r in result if r.curie == "CHEBI:66919")
    assert rux.iri == URIRef("http://purl.obolibrary.org/obo/CHEBI_66919")
    assert rux.relation == "exactMatch"
    assert {r.curie for r in kg.query("external-links", of_type="drug")} == {
        "CHEBI:66919", "CHEBI:71200"}
    assert {r.curie for r in kg.query("external-links", registry="HGNC")} == {
        "hgnc:6190", "hgnc:6192"}


def test_external_links_prefix_table_matches_bioregistry() -> None:
    """The query's namespace -> prefix table is Bioregistry's (preferred prefix, else the
    canonical one), checked with the bioregistry package rather than by hand."""
    bioregistry = pytest.importorskip("bioregistry")
    import re

    converter = bioregistry.get_converter()
    table = re.findall(r'\("([^"]+)" "([^"]+)"\)', saved_queries()["external-links"].sparql)
    assert len(table) > 20
    for namespace, prefix in table:
        curie = converter.compress(namespace + "X1")
        assert curie is not None, namespace
        canonical = curie.split(":", 1)[0]
        assert prefix == (bioregistry.get_preferred_prefix(canonical) or canonical), namespace
        assert converter.expand(f"{canonical}:X1") == namespace + "X1"


def test_drug_profile_by_brand_name(kg: KnowledgeGraph) -> None:
    result = kg.query("drug-profile", drug="Opzelura")
    assert {r.drug_name for r in result} == {"ruxolitinib"}
    assert sorted(cells(result, "kind", "item", "source"), key=str) == sorted([
        ("approval", "atopic dermatitis", "fx001"),
        ("approval", "atopic dermatitis", "fx001"),
        ("approval", "atopic dermatitis", "fx001"),
        ("approval", "vitiligo", "fx001"),
        ("class", "JAK inhibitor", "inferred"),
        ("outcome", "IGA treatment success", "fx002"),  # not the vehicle arm's result
        ("product", "Opzelura", "vocabulary"),
        ("safety", "nasopharyngitis", "fx002"),
        ("safety", "serious adverse events", "fx003"),  # no arm; the study's arms are all the drug
        ("target", "JAK1", "fx002"),
        ("target", "JAK1", "vocabulary"),
        ("target", "JAK2", "vocabulary"),
        ("trial", "TRuE-AD3", "fx001"),
        ("trial", "TRuE-AD3", "fx002"),
        ("trial", "retrospective chart review", "fx003"),
    ], key=str)
    negated = next(r for r in result if r.item == "serious adverse events")
    assert negated.detail == "absent"
    product = next(r for r in result if r.kind == "product")
    assert product.detail == "Incyte"
    by_synonym = kg.query("drug-profile", drug="incb018424")
    assert len(by_synonym) == len(result)
    assert len(kg.query("drug-profile", drug="tapinarof")) == 0


def test_jak_inhibitors_from_the_inferred_graph(kg: KnowledgeGraph) -> None:
    result = kg.query("jak-inhibitors")
    assert cells(result, "drug", "targets", "products", "basis", "sources") == [
        ("tofacitinib", "JAK1", None, "definition", None),
        ("ruxolitinib", frozenset({"JAK1", "JAK2"}), "Opzelura", "reasoner", "fx002"),
    ]
    only_inferred = kg.query("jak-inhibitors", include_definition=False)
    assert [r.drug for r in only_inferred] == ["ruxolitinib"]


def test_paediatric_studies_from_the_inferred_graph(kg: KnowledgeGraph) -> None:
    result = kg.query("paediatric-studies")
    assert cells(result, "trial", "min_age_years", "max_age_years", "basis", "source") == [
        ("TRuE-AD3", 2, 12, "reasoner", "fx001"),
        ("TRuE-AD3", 2, 11, "reasoner", "fx002"),
        ("retrospective chart review", 6, 17, "definition", "fx003"),
    ]
    assert {r.study for r in kg.query("paediatric-studies", include_definition="false")} == {STUDY}


def test_claim_graph_construct(kg: KnowledgeGraph) -> None:
    g = kg.construct("claim-graph", node="dkgr:approval/fx001/2")
    approval = URIRef(R + "approval/fx001/2")
    oa = "http://www.w3.org/ns/oa#"
    evidence = URIRef(R + "evidence/fx001/97-170")
    assert (approval, URIRef("https://w3id.org/dermkg/ontology#hasEvidence"), evidence) in g
    quotes = [str(o) for o in g.objects(None, URIRef(oa + "exact"))]
    assert quotes == ["It is cleared for moderate atopic dermatitis in patients 2 years and up."]
    assert not list(g.triples((URIRef(R + "approval/fx001/1"), None, None)))


# ---------------------------------------------------------------- parameters are values

HOSTILE = [
    'TRuE-AD3") } UNION { ?s ?p ?o } #',
    'x" || true || "',
    "TRuE-AD3' . } } SELECT * WHERE { ?s ?p ?o",
    "TRuE-AD3\\\" } #",
    "}} DROP ALL {{",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_sparql_syntax_in_a_value_is_a_plain_value(kg: KnowledgeGraph, value: str) -> None:
    assert len(kg.query("trials", trial_name=value)) == 0
    assert len(kg.query("evidence", about=value)) == 0
    assert len(kg.query("drug-profile", drug=value)) == 0
    assert len(kg.query("trials")) == 3  # nothing was changed either


def test_a_hostile_value_is_matched_literally(kg: KnowledgeGraph) -> None:
    """The value reaches the query as one literal: it matches only itself."""
    assert [r.trial for r in kg.query("trials", trial_name="TRuE-AD3")] == ["TRuE-AD3"] * 2
    assert len(kg.query("trials", trial_name="TRuE-AD3 ")) == 0


@pytest.mark.parametrize(("name", "params", "message"), [
    ("approvals-by-age-and-date", {"max_age": "eleven"}, "'max_age' expects decimal"),
    ("approvals-by-age-and-date", {"since": "2022-13-45"}, "'since' expects date"),
    ("approvals-by-age-and-date", {"since": "yesterday"}, "'since' expects date"),
    ("safety-events", {"negated_param": "maybe"}, "'negated_param' expects boolean"),
    ("jak-inhibitors", {"include_definition": 2}, "'include_definition' expects boolean"),
    ("claim-graph", {"node": "not an iri"}, "'node' expects iri"),
    ("claim-graph", {"node": "http://x> } DROP ALL {<"}, "'node' expects iri"),
    ("trials", {"colour": "red"},
     r"no parameter 'colour' \(parameters: nct_id_param, trial_name\)"),
    ("evidence", {}, "needs parameter\\(s\\) about"),
    ("drug-profile", {"in_document": "x"}, "no parameter 'in_document'"),
    ("no-such-query", {}, "no saved query 'no-such-query'"),
    ("trails", {}, "did you mean 'trials'"),
])
def test_bad_parameters_are_clear_errors(kg: KnowledgeGraph, name: str, params: dict[str, Any],
                                         message: str) -> None:
    with pytest.raises(QueryError, match=message):
        if name == "claim-graph":
            kg.construct(name, **params)
        else:
            kg.query(name, **params)


def test_every_saved_query_is_tested_here() -> None:
    tested = {
        "approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
        "safety-events", "mechanisms", "evidence", "conflicts", "external-links",
        "drug-profile", "jak-inhibitors", "paediatric-studies", "claim-graph",
        "things-named", "drugs-named", "node-by-iri",
    }
    assert set(saved_queries()) == tested
