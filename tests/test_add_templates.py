"""Curation templates: CSV/YAML rows become claims shaped as docs/model.md, validated and
added like any RDF; a bad cell is reported with file, row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from dermkg.curation import CurationError, read_template, template_header, templates
from dermkg.facts import FactsRefused, add_facts, check_facts
from dermkg.graph.backend import LocalStore
from dermkg.namespaces import DKG, DKGR, OA, ONTOLOGY_GRAPH, VOCABULARY_GRAPH, document_graph
from dermkg.ontology_graphs import ontology_graph, vocabulary_graph
from dermkg.resources import ontology_file
from test_shapes_support import good_graph

APPROVAL_HEADER = "agency,drug,product,indication,severity,min_age_years,max_age_years," \
                  "approval_date,approval_type,study,document,quote,start,end\n"
APPROVAL_ROW = "FDA,ruxolitinib,Opzelura,atopic dermatitis,mild; moderate,2,11.5,2025-09-18," \
               "expanded,NCT99999901,fixture-doc-1,a quoted sentence,10,90\n"


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    target = LocalStore(tmp_path / "store")
    target.replace_all(
        {ONTOLOGY_GRAPH: ontology_graph(), VOCABULARY_GRAPH: vocabulary_graph(),
         document_graph("fixture-doc-1"): good_graph()},
        {},
    )
    return target


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_approval_row_becomes_an_approval_claim(tmp_path: Path) -> None:
    g = read_template(write(tmp_path, "approvals.csv", APPROVAL_HEADER + APPROVAL_ROW)).graph
    claims = list(g.subjects(RDF.type, DKG.RegulatoryApproval))
    assert len(claims) == 1
    claim = claims[0]
    assert str(claim).startswith(str(DKGR["approval/curated/"]))
    assert (claim, RDF.type, DKG.ExpandedApproval) in g
    assert g.value(claim, DKG.agency) == DKGR["agency/fda"]
    assert g.value(claim, DKG.approvedDrug) == DKGR["drug/ruxolitinib"]
    assert g.value(claim, DKG.approvedProduct) == DKGR["product/opzelura"]
    assert g.value(claim, DKG.indication) == DKGR["disease/atopic-dermatitis"]
    assert set(g.objects(claim, DKG.severity)) == {DKG.Mild, DKG.Moderate}
    assert g.value(claim, DKG.minAgeYears) == Literal("2", datatype=XSD.decimal)
    assert g.value(claim, DKG.approvalDate) == Literal("2025-09-18", datatype=XSD.date)
    assert g.value(claim, DKG.basedOnStudy) == DKGR["study/NCT99999901"]
    assert g.value(claim, PROV.wasDerivedFrom) == URIRef("https://w3id.org/dermkg/document/fixture-doc-1")
    span = g.value(claim, DKG.hasEvidence)
    assert span == DKGR["evidence/fixture-doc-1/10-90"]
    position = URIRef(f"{span}#position")
    assert (span, OA.hasSelector, position) in g
    assert int(g.value(position, OA.start)) == 10 and int(g.value(position, OA.end)) == 90
    assert str(g.value(URIRef(f"{span}#quote"), OA.exact)) == "a quoted sentence"


def test_same_row_gives_the_same_claim(tmp_path: Path) -> None:
    a = read_template(write(tmp_path, "approvals.csv", APPROVAL_HEADER + APPROVAL_ROW)).graph
    b = read_template(write(tmp_path, "approval-copy.csv", APPROVAL_HEADER + APPROVAL_ROW)).graph
    first = set(a.subjects(RDF.type, DKG.RegulatoryApproval))
    assert first == set(b.subjects(RDF.type, DKG.RegulatoryApproval))


def test_template_rows_validate_against_the_store_and_are_added(
    store: LocalStore, tmp_path: Path
) -> None:
    item = read_template(write(tmp_path, "approvals.csv", APPROVAL_HEADER + APPROVAL_ROW))
    outcome = check_facts([item], store).outcome
    assert outcome.conforms, outcome.issues
    result = add_facts(store, [item], "curated")
    assert result.triples == len(item.graph)


def test_yaml_efficacy_without_offsets_uses_a_quote_selector(
    store: LocalStore, tmp_path: Path
) -> None:
    path = write(tmp_path, "results.yaml", """
kind: efficacy
facts:
  - study: NCT99999901
    arm: dkgr:arm/fixture-doc-1/2
    endpoint: EASI-75
    timepoint: week 8
    value: 14.5
    unit: "%"
    statistic: proportion
    document: fixture-doc-1
    quote: "14.5% of vehicle-treated patients reached EASI-75"
""")
    item = read_template(path)
    g = item.graph
    claim = next(g.subjects(RDF.type, DKG.EfficacyResult))
    span = g.value(claim, DKG.hasEvidence)
    assert "/quote-" in str(span)
    assert list(g.objects(span, OA.hasSelector)) == [URIRef(f"{span}#quote")]
    outcome = check_facts([item], store).outcome
    assert outcome.conforms, outcome.issues


def test_mechanism_row_also_states_the_direct_triple(tmp_path: Path) -> None:
    path = write(tmp_path, "mechanisms.csv",
                 "drug,target,action,document,quote\n"
                 "ruxolitinib,JAK2,inhibition,fixture-doc-1,inhibits JAK2\n")
    g = read_template(path).graph
    assert (DKGR["drug/ruxolitinib"], DKG.inhibits, DKGR["target/JAK2"]) in g
    claim = next(g.subjects(RDF.type, DKG.MechanismStatement))
    assert g.value(claim, DKG.mechanismAction) == DKG.Inhibition


def test_out_of_range_value_is_refused_by_the_shapes(store: LocalStore, tmp_path: Path) -> None:
    before = store.dump_nquads()
    row = APPROVAL_ROW.replace(",2,11.5,", ",150,11.5,")
    item = read_template(write(tmp_path, "approvals.csv", APPROVAL_HEADER + row))
    with pytest.raises(FactsRefused):
        add_facts(store, [item], "bad")
    store.refresh()
    assert store.dump_nquads() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (APPROVAL_ROW.replace("ruxolitinib,", "notadrugatall,", 1),
         "row 2, column 'drug': 'notadrugatall' is not a drug of the vocabulary"),
        (APPROVAL_ROW.replace("FDA,", ",", 1), "row 2, column 'agency': required"),
        (APPROVAL_ROW.replace("2025-09-18", "18/09/2025"), "column 'approval_date'"),
        (APPROVAL_ROW.replace("mild; moderate", "mild; very"), "column 'severity'"),
        (APPROVAL_ROW.replace(",expanded,", ",renewed,"), "one of initial, expanded"),
        (APPROVAL_ROW.replace(",10,90", ",10,"), "give both start and end"),
        (APPROVAL_ROW.replace(",2,11.5,", ",two,11.5,"), "column 'min_age_years'"),
    ],
)
def test_bad_cell_names_row_and_column(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, "approvals.csv", APPROVAL_HEADER + row)
    with pytest.raises(CurationError, match=message.replace("(", r"\(")) as err:
        read_template(path)
    assert str(err.value).startswith(str(path))


def test_unknown_column_and_unknown_kind(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="'colour': not a column of the approval template"):
        read_template(write(tmp_path, "approvals.csv", "colour,document\nred,doc\n"))
    with pytest.raises(CurationError, match="cannot tell which kind"):
        read_template(write(tmp_path, "facts.csv", "document,quote\nd,q\n"))
    with pytest.raises(CurationError, match="no rows"):
        read_template(write(tmp_path, "safety.csv", "study,document,quote\n"))


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match=r"bad\.yaml:\d+:\d+: YAML syntax error"):
        read_template(write(tmp_path, "bad.yaml", "kind: safety\nfacts:\n  - study: [\n"))


def test_shipped_templates_match_the_spec_and_the_ontology() -> None:
    declared = {str(s) for s in ontology_graph().subjects(RDF.type, None)}
    for kind, template in templates().items():
        header = ontology_file(f"templates/{kind}.csv").read_text(encoding="utf-8")
        assert header.strip().split(",") == template_header(kind)
        assert str(DKG[template.cls]) in declared
        for column in template.columns:
            if column.property:
                assert str(DKG[column.property]) in declared, column.property
            for _, local in column.values:
                assert str(DKG[local]) in declared, local


# -- the same claim shapes as the loaders ---------------------------------------------------


def _loader_graph(claims: Any) -> Graph:
    """The loaders' RDF for ``claims`` of a one-document extraction."""
    from dermkg.loaders import DocumentExtraction
    from dermkg.loaders.rdf import to_graph

    ex = DocumentExtraction(doc_id="fixture-doc-1", path=Path("fixture-doc-1.txt"),
                            text="x" * 100, sha256="0" * 64, claims=claims)
    return to_graph(ex)


def _shape(g: Graph, node: Node) -> set[Node]:
    """The predicates of ``node`` (curation's row note, an rdfs:comment, aside)."""
    return {p for p, _ in g.predicate_objects(node)} - {RDFS.comment}


def test_curated_claims_have_the_same_shape_as_the_loaders(tmp_path: Path) -> None:
    from dermkg.loaders.claims import Approval, EfficacyResult, Evidence, Mechanism, SafetyFinding
    from dermkg.loaders.claims import Study as LoaderStudy
    from dermkg.loaders.extract import Claims
    from dermkg.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    ev = [Evidence(10, 90, "a quoted sentence", "curation")]
    study = LoaderStudy(key="fixture", label="FIXTURE-1", nct_id="NCT99999901", named=True)
    claims = Claims(
        studies=[study],
        approvals=[Approval(vocab.get("agency", "fda"), vocab.get("drug", "ruxolitinib"),
                            vocab.get("product", "opzelura"),
                            vocab.get("disease", "atopic-dermatitis"), "atopic dermatitis",
                            {"Mild"}, 2.0, 11.0, "2025-09-18", study, "ExpandedApproval", True,
                            ev)],
        efficacy=[EfficacyResult([study], None, vocab.get("endpoint", "easi-75"), "EASI-75",
                                 "week 8", None, None, 14.5, 20.0, "%", "proportion", "adults",
                                 ev)],
        safety=[SafetyFinding([study], None, vocab.get("adverse_event", "nasopharyngitis"),
                              "nasopharyngitis", 3, 1.5, False, False, False, ev)],
        mechanisms=[Mechanism(vocab.get("drug", "ruxolitinib"), vocab.get("target", "JAK1"),
                              "Inhibition", ev)],
    )
    loader = _loader_graph(claims)
    rows = {
        "approvals.csv": "agency,drug,product,indication,indication_text,severity,min_age_years,"
                         "max_age_years,approval_date,approval_type,study,boxed_warning,document,"
                         "quote,start,end\nFDA,ruxolitinib,Opzelura,atopic dermatitis,atopic "
                         "dermatitis,mild,2,11,2025-09-18,expanded,NCT99999901,true,fixture-doc-1,"
                         "a quoted sentence,10,90\n",
        "efficacy.csv": "study,endpoint,endpoint_text,timepoint,value,value_max,unit,statistic,"
                        "subgroup,document,quote,start,end\nNCT99999901,EASI-75,EASI-75,week 8,"
                        "14.5,20,%,proportion,adults,fixture-doc-1,a quoted sentence,10,90\n",
        "safety.csv": "study,event,event_text,patient_count,percent,negated,serious,"
                      "treatment_related,document,quote,start,end\nNCT99999901,nasopharyngitis,"
                      "nasopharyngitis,3,1.5,false,false,false,fixture-doc-1,a quoted sentence,"
                      "10,90\n",
        "mechanisms.csv": "drug,target,action,document,quote,start,end\nruxolitinib,JAK1,"
                          "inhibition,fixture-doc-1,a quoted sentence,10,90\n",
    }
    for (name, text), cls in zip(rows.items(), (DKG.RegulatoryApproval, DKG.EfficacyResult,
                                                DKG.SafetyFinding, DKG.MechanismStatement),
                                 strict=True):
        curated = read_template(write(tmp_path, name, text)).graph
        ours = next(curated.subjects(RDF.type, cls))
        theirs = next(loader.subjects(RDF.type, cls))
        assert _shape(curated, ours) == _shape(loader, theirs), name
        for p in _shape(curated, ours) - {DKG.hasEvidence}:
            assert set(curated.objects(ours, p)) == set(loader.objects(theirs, p)), (name, p)
        span = DKGR["evidence/fixture-doc-1/10-90"]
        assert set(curated.predicate_objects(span)) == set(loader.predicate_objects(span))
    direct = (DKGR["drug/ruxolitinib"], DKG.inhibits, DKGR["target/JAK1"])
    assert direct in loader
