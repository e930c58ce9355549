"""OWL reasoning: defined classes, inferred property values, inconsistencies, no Java."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from dermkg.namespaces import DKG
from dermkg.reasoning import NO_JAVA_MESSAGE, ReasoningOutcome, java_executable, reason

FIXTURES = Path(__file__).parent / "fixtures" / "ontology"
EX = Namespace("https://example.org/fixture/")

needs_java = pytest.mark.skipif(java_executable() is None, reason="no Java runtime")


def _fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


@pytest.fixture(scope="module")
def classified() -> ReasoningOutcome:
    if java_executable() is None:
        pytest.skip("no Java runtime")
    return reason(_fixture("classification.ttl"))


def _types(outcome: ReasoningOutcome, node: URIRef) -> set[URIRef]:
    return {t for t in outcome.inferred.objects(node, RDF.type) if isinstance(t, URIRef)}


@pytest.mark.java
@needs_java
class TestClassification:
    def test_consistent(self, classified: ReasoningOutcome) -> None:
        assert classified.consistent is True
        assert classified.java_available
        assert classified.message.startswith("consistent")

    def test_jak_inhibitor_inferred_only_for_the_drug_inhibiting_a_janus_kinase(
        self, classified: ReasoningOutcome
    ) -> None:
        jak = {s for s in classified.inferred.subjects(RDF.type, DKG.JAKInhibitor)}
        assert jak == {EX.jakdrug}

    def test_pde4_inhibitor(self, classified: ReasoningOutcome) -> None:
        assert set(classified.inferred.subjects(RDF.type, DKG.PDE4Inhibitor)) == {EX.pde4drug}

    def test_interleukin_antagonist_covers_ligands_and_receptors_not_other_receptors(
        self, classified: ReasoningOutcome
    ) -> None:
        found = set(classified.inferred.subjects(RDF.type, DKG.InterleukinAntagonist))
        assert found == {EX["anti-il13"], EX["anti-il4ra"]}

    def test_paediatric_study_by_upper_age_bound(self, classified: ReasoningOutcome) -> None:
        found = set(classified.inferred.subjects(RDF.type, DKG.PaediatricStudy))
        # 11 (decimal) and 17 (xsd:integer) are under 18; 65, 18.0 and an open bound are not.
        assert found == {EX["child-study"], EX["integer-study"]}

    def test_topical_product_and_topical_drug(self, classified: ReasoningOutcome) -> None:
        assert set(classified.inferred.subjects(RDF.type, DKG.TopicalProduct)) == {EX.cream}
        assert set(classified.inferred.subjects(RDF.type, DKG.TopicalDrug)) == {EX.jakdrug}

    def test_paediatric_approval_by_lower_age_bound(self, classified: ReasoningOutcome) -> None:
        assert set(classified.inferred.subjects(RDF.type, DKG.PaediatricApproval)) == {EX.approval}

    def test_superclasses_are_materialised_and_asserted_types_are_not_repeated(
        self, classified: ReasoningOutcome
    ) -> None:
        types = _types(classified, EX.jakdrug)
        assert {DKG.JAKInhibitor, DKG.Intervention} <= types
        assert DKG.Drug not in types  # asserted in the fixture: not new
        assert DKG.Protein in _types(classified, EX.jak1)
        # domain/range entailments: an untyped population becomes a dkg:StudyPopulation
        assert DKG.StudyPopulation in _types(classified, EX["child-pop"])

    def test_no_owl_thing_or_named_individual_noise(self, classified: ReasoningOutcome) -> None:
        objects = set(classified.inferred.objects(None, RDF.type))
        assert URIRef("http://www.w3.org/2002/07/owl#Thing") not in objects
        assert URIRef("http://www.w3.org/2002/07/owl#NamedIndividual") not in objects

    def test_property_chain_inverse_and_super_properties(
        self, classified: ReasoningOutcome
    ) -> None:
        g = classified.inferred
        assert (EX.jakdrug, DKG.approvedFor, EX.ad) in g  # inverse(approvedDrug) o indication
        assert (EX.jakdrug, DKG.treats, EX.ad) in g
        ro_treats = URIRef("http://purl.obolibrary.org/obo/RO_0002606")
        assert (EX.jakdrug, ro_treats, EX.ad) in g
        assert (EX.cream, DKG.hasActiveIngredient, EX.jakdrug) in g
        assert (EX.pde4drug, DKG.hasProduct, EX.tablet) in g
        ro_interacts = URIRef("http://purl.obolibrary.org/obo/RO_0002436")
        assert (EX.jakdrug, ro_interacts, EX.jak1) in g
        # nothing asserted comes back as "inferred"
        assert (EX.jakdrug, DKG.inhibits, EX.jak1) not in g

    def test_dates_outside_the_owl2_datatype_map_do_not_break_reasoning(
        self, classified: ReasoningOutcome
    ) -> None:
        # the fixture has xsd:date, xsd:gYearMonth and xsd:gYear approval dates
        assert classified.dropped_literals >= 3
        assert not any(isinstance(o, Literal) for o in classified.inferred.objects())


@pytest.mark.java
@needs_java
def test_contradiction_is_reported_naming_the_individual() -> None:
    outcome = reason(_fixture("contradiction.ttl"))
    assert outcome.consistent is False
    assert outcome.java_available
    assert len(outcome.inferred) == 0
    assert EX.culprit in outcome.inconsistent_individuals
    assert EX.innocent not in outcome.inconsistent_individuals
    assert str(EX.culprit) in outcome.message
    assert "Comparator disjointWith Drug" in outcome.explanation


@pytest.mark.java
@needs_java
def test_contradiction_through_a_range_names_both_studies() -> None:
    outcome = reason(_fixture("range-contradiction.ttl"))
    assert outcome.consistent is False
    assert EX["other-trial"] in outcome.inconsistent_individuals
    assert "hasArm range StudyArm" in outcome.explanation


@pytest.mark.java
@needs_java
def test_dataset_with_named_graphs_is_reasoned_over_as_a_union() -> None:
    ds = Dataset()
    facts = _fixture("classification.ttl")
    drugs = ds.graph(URIRef("https://example.org/graph/drugs"))
    targets = ds.graph(URIRef("https://example.org/graph/targets"))
    for s, p, o in facts:
        (targets if (s, RDF.type, DKG.JanusKinase) in facts else drugs).add((s, p, o))
    outcome = reason(ds)
    assert (EX.jakdrug, RDF.type, DKG.JAKInhibitor) in outcome.inferred


def test_without_java_reasoning_is_skipped_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/bin/java-missing")
    outcome = reason(_fixture("classification.ttl"))
    assert outcome.skipped
    assert outcome.consistent is None
    assert outcome.java_available is False
    assert outcome.message == NO_JAVA_MESSAGE
    assert "no Java runtime" in outcome.message
    assert len(outcome.inferred) == 0


def test_decimal_literals_are_kept_for_the_reasoner() -> None:
    from dermkg.reasoning import OWL2_DATATYPES

    assert XSD.decimal in OWL2_DATATYPES and XSD.integer in OWL2_DATATYPES
    assert XSD.gYear not in OWL2_DATATYPES and XSD.date not in OWL2_DATATYPES


@pytest.mark.java
@needs_java
def test_the_shipped_vocabulary_is_consistent_and_classifies_the_known_drugs() -> None:
    from dermkg.namespaces import DKGR
    from dermkg.ontology_graphs import vocabulary_graph

    vocab = vocabulary_graph()
    if len(vocab) == 0:
        pytest.skip("no vocabulary yet")
    outcome = reason(vocab)
    assert outcome.consistent is True, outcome.message
    rux = DKGR["drug/ruxolitinib"]
    assert (rux, RDF.type, DKG.JAKInhibitor) in outcome.inferred
    assert (rux, RDF.type, DKG.TopicalDrug) in outcome.inferred
    assert (DKGR["product/opzelura"], RDF.type, DKG.TopicalProduct) in outcome.inferred
    # a defined class is never asserted: whatever is in it, the reasoner put there
    assert not any(vocab.triples((None, RDF.type, DKG.JAKInhibitor)))


def _cli() -> object:
    import typer

    from dermkg.cli.reason import register

    app = typer.Typer()
    app.callback()(lambda: None)  # a command group, as in dermkg.cli
    register(app)
    return app


def _store_with(tmp_path: Path, facts: Graph) -> object:
    from dermkg.graph.backend import open_store
    from dermkg.namespaces import ONTOLOGY_GRAPH, document_graph
    from dermkg.ontology_graphs import ontology_graph

    store = open_store(tmp_path / "store")
    store.replace_all({ONTOLOGY_GRAPH: ontology_graph(), document_graph("doc1"): facts}, {})
    return store


@pytest.mark.java
@needs_java
def test_reason_command_writes_the_inferred_graph(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dermkg.namespaces import INFERRED_GRAPH

    store = _store_with(tmp_path, _fixture("classification.ttl"))
    out = tmp_path / "inferred.ttl"
    args = ["reason", "--store", str(tmp_path / "store"), "--output", str(out)]
    result = CliRunner().invoke(_cli(), args)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output
    inferred = store.graph(INFERRED_GRAPH)  # type: ignore[attr-defined]
    assert (EX.jakdrug, RDF.type, DKG.JAKInhibitor) in inferred
    assert (EX["child-study"], RDF.type, DKG.PaediatricStudy) in inferred
    assert len(Graph().parse(out)) == len(inferred)
    # a second run replaces the graph instead of adding to it
    assert CliRunner().invoke(_cli(), args[:3]).exit_code == 0  # type: ignore[arg-type]
    assert len(store.graph(INFERRED_GRAPH)) == len(inferred)  # type: ignore[attr-defined]


@pytest.mark.java
@needs_java
def test_reason_command_reports_an_inconsistency_and_writes_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dermkg.namespaces import INFERRED_GRAPH

    store = _store_with(tmp_path, _fixture("contradiction.ttl"))
    result = CliRunner().invoke(_cli(), ["reason", "--store", str(tmp_path / "store")])  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert "INCONSISTENT" in result.output and "culprit" in result.output
    assert len(store.graph(INFERRED_GRAPH)) == 0  # type: ignore[attr-defined]


@pytest.mark.java
@needs_java
def test_an_ill_typed_literal_is_an_inconsistency_naming_its_individual() -> None:
    outcome = reason(_fixture("ill-typed.ttl"))
    assert outcome.consistent is False
    assert outcome.inconsistent_individuals == (EX.population,)
    assert '"eleven"' in outcome.message and str(EX.population) in outcome.message


def test_java_that_cannot_be_started_is_a_clear_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    import dermkg.reasoning as reasoning

    monkeypatch.setattr(reasoning, "java_executable", lambda: "/usr/bin/java")
    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/bin/java")
    outcome = reason(_fixture("classification.ttl"))
    assert outcome.skipped and not outcome.java_available
    assert outcome.message == NO_JAVA_MESSAGE


@pytest.mark.java
@needs_java
def test_a_contradicting_graph_is_left_out_and_the_rest_is_still_reasoned_over() -> None:
    from dermkg.namespaces import ONTOLOGY_GRAPH, document_graph
    from dermkg.ontology_graphs import ontology_graph
    from dermkg.reasoning import reason_graphs

    good, bad = document_graph("good"), document_graph("bad")
    outcome = reason_graphs(
        {
            ONTOLOGY_GRAPH: ontology_graph(),
            good: _fixture("classification.ttl"),
            bad: _fixture("contradiction.ttl"),
        }
    )
    assert outcome.consistent is False
    assert EX.culprit in outcome.inconsistent_individuals
    # ex:jak1 is in both graphs, but only the contradicting one mentions the culprit
    assert outcome.excluded_graphs == (bad,)
    assert (EX.jakdrug, RDF.type, DKG.JAKInhibitor) in outcome.inferred
    assert (EX.innocent, RDF.type, DKG.JAKInhibitor) not in outcome.inferred
    assert str(bad) in outcome.message
