"""OWL reasoning: defined classes, inferred property values, inconsistencies, no Java."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

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


# ---------------------------------------------------------------------------------------
# Reasoning that scales: reduced input, a group of documents at a time
# ---------------------------------------------------------------------------------------

SEED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _reasoner_views(corpus: Path) -> dict[URIRef, Graph]:
    """The named graphs the build gives the reasoner (pipeline.reasoner_view of the
    ontology, vocabulary, mappings and every document graph)."""
    from dermkg import loaders
    from dermkg.namespaces import MAPPINGS_GRAPH, ONTOLOGY_GRAPH, VOCABULARY_GRAPH, document_graph
    from dermkg.ontology_graphs import mappings_graph, ontology_graph, vocabulary_graph
    from dermkg.pipeline import annotation_properties, reasoner_view

    ontology = ontology_graph()
    annotations = annotation_properties(ontology)
    extractions = [loaders.extract_document(p) for p in loaders.discover(corpus)]
    loaders.link_documents(extractions)
    graphs = {
        ONTOLOGY_GRAPH: ontology,
        VOCABULARY_GRAPH: vocabulary_graph(),
        MAPPINGS_GRAPH: mappings_graph(),
        **{document_graph(ex.doc_id): loaders.to_rdf(ex) for ex in extractions},
    }
    return {name: reasoner_view(g, annotations) for name, g in graphs.items()}


def _assert_same_inferences_as_one_full_run(views: dict[URIRef, Graph]) -> None:
    from dermkg.reasoning import reason_graphs

    whole = Graph()
    for g in views.values():
        whole += g
    full = reason(whole, reduce=False)  # every statement, one HermiT run (the old way)
    assert full.consistent is True, full.message
    assert len(full.inferred) > 100
    # small groups, so that documents are reasoned over apart from each other
    grouped = reason_graphs(views, group_triples=400)
    assert grouped.consistent is True, grouped.message
    groups = int(grouped.message.split(" group(s)")[0].rsplit(" ", 1)[1])
    assert groups >= 2, grouped.message
    assert set(grouped.inferred) == set(full.inferred)
    reduced = reason(whole)  # the signature filter alone
    assert set(reduced.inferred) == set(full.inferred)


@pytest.mark.java
@needs_java
def test_reduced_grouped_reasoning_infers_the_same_on_the_seed_corpus() -> None:
    if not SEED_CORPUS.is_dir():
        pytest.skip("no seed corpus at ../shared/corpus")
    _assert_same_inferences_as_one_full_run(_reasoner_views(SEED_CORPUS))


@pytest.mark.java
@needs_java
def test_reduced_grouped_reasoning_infers_the_same_on_a_generated_corpus(
    tmp_path: Path,
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from synth_articles import write_corpus
    finally:
        sys.path.pop(0)
    write_corpus(12, tmp_path / "generated", seed=3)
    _assert_same_inferences_as_one_full_run(_reasoner_views(tmp_path / "generated" / "corpus"))


def test_axiom_signature_keeps_what_axioms_use_and_nothing_else() -> None:
    from rdflib.namespace import PROV

    from dermkg.ontology_graphs import ontology_graph
    from dermkg.reasoning import axiom_signature

    classes, properties = axiom_signature(ontology_graph())
    assert {DKG.JanusKinase, DKG.Drug, DKG.Study, DKG.Comparator} <= classes
    # restricted, in a chain (also inside owl:inverseOf), in domains and ranges
    assert {DKG.inhibits, DKG.maxAgeYears, DKG.approvedDrug, DKG.indication} <= properties
    assert DKG.hasArm in properties
    assert PROV.wasDerivedFrom not in properties
    assert URIRef("http://www.w3.org/2000/01/rdf-schema#label") not in properties


def test_facts_outside_the_signature_are_not_given_to_the_reasoner() -> None:
    from rdflib.namespace import PROV

    from dermkg.reasoning import _prepare

    facts = _fixture("classification.ttl")
    facts.add((EX.jakdrug, PROV.wasDerivedFrom, EX.somewhere))
    facts.add((EX.jakdrug, RDF.type, EX.ClassInNoAxiom))
    reduced = _prepare(facts, None).graph
    full = _prepare(facts, None, reduce=False).graph
    assert (EX.jakdrug, PROV.wasDerivedFrom, EX.somewhere) in full
    assert (EX.jakdrug, PROV.wasDerivedFrom, EX.somewhere) not in reduced
    assert (EX.jakdrug, RDF.type, EX.ClassInNoAxiom) not in reduced
    assert (EX.jakdrug, DKG.inhibits, EX.jak1) in reduced
    assert EX.somewhere not in reduced.all_nodes()


def test_the_ontology_inferences_are_local_and_other_axioms_are_not() -> None:
    from rdflib.namespace import OWL

    from dermkg.ontology_graphs import ontology_graph
    from dermkg.reasoning import inferences_are_local

    tbox = ontology_graph()
    assert inferences_are_local(tbox)
    functional = Graph() + tbox
    functional.add((DKG.hasArm, RDF.type, OWL.FunctionalProperty))
    assert not inferences_are_local(functional)
    universal = Graph() + tbox
    restriction = EX.r
    universal.add((restriction, OWL.onProperty, DKG.hasArm))
    universal.add((restriction, OWL.allValuesFrom, DKG.StudyArm))
    assert not inferences_are_local(universal)


def test_documents_sharing_an_individual_are_in_one_group() -> None:
    from dermkg.reasoning import group_documents

    study = URIRef("https://w3id.org/dermkg/resource/study/NCT00000001")
    drug = URIRef("https://w3id.org/dermkg/resource/drug/x")
    docs = {}
    for n in range(4):
        g = Graph()
        g.add((EX[f"arm{n}"], DKG.armIntervention, drug))  # the vocabulary's: no link
        if n in (0, 3):
            g.add((study, DKG.hasArm, EX[f"arm{n}"]))
        docs[EX[f"doc{n}"]] = g
    groups = group_documents(docs, common={drug}, max_triples=1)
    assert sorted(map(sorted, groups)) == [[EX.doc0, EX.doc3], [EX.doc1], [EX.doc2]]
    # without the vocabulary node being common, everything is one group
    assert len(group_documents(docs, common=(), max_triples=1)) == 1


@pytest.mark.java
@needs_java
def test_contradiction_across_groups_is_reported_naming_the_individual() -> None:
    """ex:thing is a shared (vocabulary) individual; one document makes it an
    intervention (range of armIntervention), another a study (domain of hasArm). Each
    group alone is consistent: the inferred classes of the shared individual are given to
    every group in the next round, where the contradiction shows."""
    from dermkg.namespaces import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, document_graph
    from dermkg.ontology_graphs import ontology_graph
    from dermkg.reasoning import reason_graphs

    vocabulary = Graph()
    vocabulary.add((EX.thing, RDFS.label, Literal("a thing in the vocabulary")))
    doc_a, doc_b = Graph(), Graph()
    doc_a.add((EX.armA, DKG.armIntervention, EX.thing))
    doc_b.add((EX.thing, DKG.hasArm, EX.armB))
    a, b = document_graph("a"), document_graph("b")
    graphs = {ONTOLOGY_GRAPH: ontology_graph(), VOCABULARY_GRAPH: vocabulary, a: doc_a, b: doc_b}
    outcome = reason_graphs(graphs, group_triples=1)
    assert outcome.consistent is False
    assert EX.thing in outcome.inconsistent_individuals
    assert str(EX.thing) in outcome.message
    assert set(outcome.excluded_graphs) == {a, b}
    one_run = reason_graphs(graphs, group_triples=None)
    assert one_run.consistent is False and EX.thing in one_run.inconsistent_individuals


@pytest.mark.java
@needs_java
def test_contradiction_fixture_in_groups_names_the_culprit_and_keeps_the_rest() -> None:
    from dermkg.namespaces import ONTOLOGY_GRAPH, document_graph
    from dermkg.ontology_graphs import ontology_graph
    from dermkg.reasoning import reason_graphs

    good, bad, other = document_graph("good"), document_graph("bad"), document_graph("other")
    extra = Graph()
    extra.add((EX.pde4x, RDF.type, DKG.Drug))
    outcome = reason_graphs(
        {
            ONTOLOGY_GRAPH: ontology_graph(),
            good: _fixture("classification.ttl"),
            bad: _fixture("contradiction.ttl"),
            other: extra,
        },
        group_triples=1,
    )
    assert outcome.consistent is False
    assert EX.culprit in outcome.inconsistent_individuals
    assert EX.innocent not in outcome.inconsistent_individuals
    assert outcome.excluded_graphs == (bad,)
    assert (EX.jakdrug, RDF.type, DKG.JAKInhibitor) in outcome.inferred
    assert (EX.pde4x, RDF.type, DKG.Intervention) in outcome.inferred
