"""Quality checks of the ontology (what ROBOT's report would catch), run on the real files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

import dermkg
from dermkg import ontology_checks as checks
from dermkg.alignments import read_mappings
from dermkg.namespaces import DKG
from dermkg.ontology_graphs import ontology_graph
from dermkg.reasoning import java_executable

ONTOLOGY_IRI = URIRef("https://w3id.org/dermkg/ontology")
PACKAGE = Path(dermkg.__file__).parent
ONTO_DIR = PACKAGE / "ontology"  # the data package (ontology/ in the checkout)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def declared(onto: Graph) -> set[URIRef]:
    return checks.declared_terms(onto)


def _files(root: Path, pattern: str) -> Iterator[Path]:
    yield from (p for p in root.rglob(pattern) if p.is_file())


def _used_files() -> list[Path]:
    """Queries, shapes, loaders (code and data), package code, the web page's files and
    vocabulary files (each once)."""
    candidates = [
        *_files(PACKAGE / "queries", "*.rq"),
        ONTO_DIR / "shapes.ttl",
        *_files(PACKAGE / "loaders", "*.py"),
        *_files(PACKAGE / "loaders", "*.yaml"),
        *_files(PACKAGE / "web", "*"),
        *_files(PACKAGE, "*.rq"),
        *_files(PACKAGE, "*.py"),
        *_files(ONTO_DIR / "vocabulary", "*.yaml"),
        *_files(ONTO_DIR / "vocabulary", "*.tsv"),
    ]
    unique = {p.resolve(): p for p in candidates if p.is_file()}
    return sorted(unique.values())


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    version_iri = onto.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert version_iri is not None and str(version_iri).startswith(str(ONTOLOGY_IRI) + "/")
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) is not None
    assert onto.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionInfo)) in str(version_iri)


def test_every_term_of_docs_model_is_declared(declared: set[URIRef]) -> None:
    model = (Path(dermkg.__file__).parents[2] / "docs" / "model.md").resolve()
    if not model.is_file():
        pytest.skip("docs/model.md is not next to the package (installed wheel)")
    used = checks.terms_in_text(model.read_text(encoding="utf-8"))
    names = {str(d)[len(str(DKG)) :] for d in declared}
    assert sorted(used - names) == []
    assert len(used) > 80  # the model names well over 80 terms: the scan itself works


def test_every_dkg_term_used_by_queries_shapes_loaders_code_and_vocabulary_is_declared(
    declared: set[URIRef],
) -> None:
    files = _used_files()
    assert any(f.suffix == ".rq" for f in files)
    assert any(f.name == "shapes.ttl" for f in files)
    undeclared = checks.undeclared_terms(files, declared)
    assert undeclared == {}, "\n".join(
        f"dkg:{n} used in {sorted(v)}" for n, v in undeclared.items()
    )


def test_queries_use_properties_as_predicates_and_classes_as_types(onto: Graph) -> None:
    queries = [*_files(PACKAGE / "queries", "*.rq"), *_files(PACKAGE / "web", "*.rq")]
    assert queries
    problems = {
        q.name: found
        for q in queries
        if (found := checks.query_term_misuse(q.read_text(encoding="utf-8"), onto))
    }
    assert problems == {}


def test_shapes_use_properties_as_paths_and_classes_as_targets(onto: Graph) -> None:
    shapes = ONTO_DIR / "shapes.ttl"
    if not shapes.is_file():
        pytest.skip("no shapes yet")
    assert checks.shape_term_misuse(Graph().parse(shapes, format="turtle"), onto) == []


def test_the_kind_checks_detect_misuse(onto: Graph) -> None:
    query = (
        "PREFIX dkg: <https://w3id.org/dermkg/ontology#> "
        "SELECT * { ?x a dkg:inhibits ; dkg:Drug ?y ; dkg:hasArm/dkg:Study ?z ; a dkg:Drug }"
    )
    assert checks.query_term_misuse(query, onto) == [
        f"{DKG.Drug} is used as a predicate but is not a declared property",
        f"{DKG.Study} is used as a predicate but is not a declared property",
        f"{DKG.inhibits} is used as a class (rdf:type) but is not a declared class",
    ]
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix dkg: <https://w3id.org/dermkg/ontology#> .
        [] a sh:NodeShape ; sh:targetClass dkg:minAgeYears ;
           sh:property [ sh:path ( dkg:hasArm dkg:StudyArm ) ] ,
                       [ sh:path [ sh:inversePath dkg:Disease ] ] , [ sh:path dkg:hasArm ] .
        """,
        format="turtle",
    )
    assert set(checks.shape_term_misuse(shapes, onto)) == {
        f"sh:path {DKG.Disease} is not a declared property",
        f"sh:path {DKG.StudyArm} is not a declared property",
        f"http://www.w3.org/ns/shacl#targetClass {DKG.minAgeYears} is not a declared class",
    }


def test_every_dkg_term_of_the_vocabulary_graph_is_declared(declared: set[URIRef]) -> None:
    from dermkg.ontology_graphs import vocabulary_graph

    vocab = vocabulary_graph()
    if len(vocab) == 0:
        pytest.skip("no vocabulary yet")
    used = {
        node
        for triple in vocab
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(DKG))
    }
    assert sorted(used - declared) == []


def test_defined_classes_are_never_asserted_by_loaders_or_the_vocabulary(onto: Graph) -> None:
    from dermkg.ontology_graphs import vocabulary_graph

    defined = checks.defined_classes(onto)
    assert {DKG.JAKInhibitor, DKG.PaediatricStudy, DKG.TopicalProduct} <= defined
    vocab = vocabulary_graph()
    assert [s for d in defined for s in vocab.subjects(RDF.type, d)] == []
    package = Path(dermkg.__file__).parent
    names = {str(d)[len(str(DKG)) :] for d in defined}
    offenders = {
        str(p): used & names
        for p in _files(package / "loaders", "*.py")
        if (used := checks.terms_in_text(p.read_text(encoding="utf-8"), python=True) & names)
    }
    assert offenders == {}


def test_every_term_has_a_label_and_a_definition(onto: Graph) -> None:
    assert checks.missing_label_or_definition(onto) == []


def test_labels_are_unique(onto: Graph) -> None:
    assert checks.duplicate_labels(onto) == {}


def test_no_term_is_both_a_class_and_a_property(onto: Graph, declared: set[URIRef]) -> None:
    kinds = {d: {t for t in checks.DECLARATION_TYPES if (d, RDF.type, t) in onto} for d in declared}
    punned = {str(d) for d, k in kinds.items() if len(k) > 1 and k != {OWL.NamedIndividual}}
    # individuals are declared with their class: owl:NamedIndividual plus nothing else here
    assert punned == set()


def test_properties_have_ranges_and_datatype_properties_are_typed(
    onto: Graph, declared: set[URIRef]
) -> None:
    for prop in declared:
        if (prop, RDF.type, OWL.ObjectProperty) in onto or (
            prop,
            RDF.type,
            OWL.DatatypeProperty,
        ) in onto:
            lineage = set(onto.transitive_objects(prop, RDFS.subPropertyOf))  # includes prop
            ranges = [r for p in lineage for r in onto.objects(p, RDFS.range)]
            assert ranges, f"{prop} has no rdfs:range (own or inherited)"


def test_design_class_labels_are_what_the_trials_query_shows(onto: Graph) -> None:
    labels = {
        str(onto.value(c, RDFS.label))
        for c in onto.subjects(RDFS.subClassOf, DKG.Study)
        if isinstance(c, URIRef)
    }
    assert {"randomized controlled trial", "open-label study", "maximum-use trial"} <= labels
    assert all(label == label.lower() or label[0].islower() for label in labels)


def test_every_label_is_english_tagged(onto: Graph, declared: set[URIRef]) -> None:
    for term in declared:
        for label in onto.objects(term, RDFS.label):
            assert isinstance(label, Literal) and label.language == "en", term
        for definition in onto.objects(term, SKOS.definition):
            assert isinstance(definition, Literal) and definition.language == "en", term


# ---- mappings ---------------------------------------------------------------------------


def test_no_dangling_mappings(declared: set[URIRef]) -> None:
    problems = checks.dangling_mappings(read_mappings(), declared)
    assert [f"line {m.line}: {why}" for m, why in problems] == []


def test_curie_map_agrees_with_bioregistry_and_the_project_prefixes() -> None:
    ms = read_mappings()
    assert {"CHEBI", "NCIT", "OBI", "RO", "dkg"} <= set(ms.curie_map)
    assert checks.curie_map_disagreements(ms) == {}


def test_mapping_objects_expand_as_the_identifiers_module_expands_them() -> None:
    """Outside the project's own namespaces, CURIEs expand exactly as Bioregistry's
    converter (dermkg.identifiers) expands them."""
    from dermkg.alignments import expand_curie
    from dermkg.identifiers import expand
    from dermkg.namespaces import PREFIXES

    objects = {m.object_id for m in read_mappings().mappings}
    external = sorted(o for o in objects if o.split(":", 1)[0] not in PREFIXES)
    assert len(external) > 30
    assert {o: expand_curie(o) for o in external} == {o: str(expand(o)) for o in external}


def test_mapping_predicates_are_skos_mapping_relations() -> None:
    allowed = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch"}
    allowed.add("skos:relatedMatch")
    assert {m.predicate_id for m in read_mappings().mappings} <= allowed


def test_sssom_file_validates_with_sssom_py() -> None:
    pytest.importorskip("sssom")
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = ONTO_DIR / "mappings.sssom.tsv"
    msdf = parse_sssom_table(path)
    reports = validate(msdf, fail_on_error=False)
    errors = {vt: r.results for vt, r in reports.items() if getattr(r, "results", None)}
    assert errors == {}
    assert len(msdf.df) == len(read_mappings().mappings)


def test_the_checks_detect_what_they_should(tmp_path: Path, declared: set[URIRef]) -> None:
    """The checks are not vacuous: an undeclared term, a dangling mapping, a missing label."""
    query = tmp_path / "q.rq"
    query.write_text("SELECT * { ?d a dkg:Drug ; dkg:inhibitsSomething ?t }", encoding="utf-8")
    code = tmp_path / "m.py"
    code.write_text('g.add((s, DKG.madeUpTerm, o)); DKG["otherTerm"]; DKG.title', encoding="utf-8")
    found = checks.undeclared_terms([query, code], declared)
    assert set(found) == {"inhibitsSomething", "madeUpTerm", "otherTerm"}

    text = (ONTO_DIR / "mappings.sssom.tsv").read_text(encoding="utf-8")
    broken = read_mappings(text.replace("dkg:Drug\tdrug", "dkg:Drugg\tdrug", 1))
    assert any("dkg:Drugg" in why for _, why in checks.dangling_mappings(broken, declared))

    g = Graph()
    g.add((DKG.Orphan, RDF.type, OWL.Class))
    assert len(checks.missing_label_or_definition(g)) == 2


# ---- OWL: owlready2 and HermiT ---------------------------------------------------------


@pytest.mark.java
@pytest.mark.skipif(java_executable() is None, reason="no Java runtime")
def test_ontology_opens_in_owlready2_is_consistent_and_has_no_unsatisfiable_class(
    tmp_path: Path, onto: Graph
) -> None:
    import owlready2

    path = tmp_path / "dermkg.nt"
    onto.serialize(destination=str(path), format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    assert len(list(ontology.classes())) > 60
    with ontology:
        owlready2.sync_reasoner_hermit(world, debug=0)
    assert list(world.inconsistent_classes()) == []
    jak = world[str(DKG.JAKInhibitor)]
    assert world[str(DKG.Drug)] in jak.ancestors()
