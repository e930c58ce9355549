"""Release files generated from the ontology source, and the alignments as triples."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from dermkg.alignments import SSSOM, mappings_graph, read_mappings
from dermkg.errors import DermkgError, RdfInputError
from dermkg.namespaces import DKG, OBO
from dermkg.ontology_graphs import ontology_graph
from dermkg.ontology_html import manchester
from dermkg.release import json_ld_context, write_release

HAS_PYLODE = importlib.util.find_spec("pylode") is not None


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("release")
    result = write_release(out, html="builtin")
    assert result.html_generator == "dermkg"
    assert result.version
    return result.files


def test_all_release_files_are_written(release: dict[str, Path]) -> None:
    expected = {"dermkg.ttl", "dermkg.owl", "dermkg.jsonld", "context.jsonld"}
    expected |= {"mappings.sssom.tsv", "mappings.ttl", "index.html"}
    assert set(release) == expected
    assert all(p.stat().st_size > 1000 for p in release.values())


@pytest.mark.parametrize(("name", "fmt"), [("dermkg.owl", "xml"), ("dermkg.jsonld", "json-ld")])
def test_serialisations_carry_exactly_the_source_triples(
    release: dict[str, Path], name: str, fmt: str
) -> None:
    source = Graph().parse(release["dermkg.ttl"], format="turtle")
    assert isomorphic(source, ontology_graph())
    assert isomorphic(source, Graph().parse(release[name], format=fmt))


def test_rdf_xml_release_opens_in_owlready2(release: dict[str, Path]) -> None:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(release["dermkg.owl"].as_uri()).load()
    jak = world[str(DKG.JAKInhibitor)]
    assert jak is not None and jak.equivalent_to
    assert world[str(DKG.inhibits)] in list(onto.object_properties())


def test_json_ld_context_expands_dermkg_records(release: dict[str, Path]) -> None:
    context = json.loads(release["context.jsonld"].read_text(encoding="utf-8"))
    record = {
        **context,
        "@id": "https://w3id.org/dermkg/resource/product/opzelura",
        "@type": "DrugProduct",
        "label": "Opzelura",
        "route": "TopicalRoute",
        "dosageForm": "Cream",
        "strengthPercent": "1.5",
        "hasActiveIngredient": "https://w3id.org/dermkg/resource/drug/ruxolitinib",
        "exactMatch": ["http://purl.obolibrary.org/obo/CHEBI_66919"],
    }
    g = Graph().parse(data=json.dumps(record), format="json-ld")
    product = URIRef("https://w3id.org/dermkg/resource/product/opzelura")
    assert (product, RDF.type, DKG.DrugProduct) in g
    assert (product, DKG.route, DKG.TopicalRoute) in g
    assert (product, DKG.dosageForm, DKG.Cream) in g
    assert (product, DKG.strengthPercent, Literal("1.5", datatype=XSD.decimal)) in g
    assert (product, SKOS.exactMatch, OBO.CHEBI_66919) in g
    ruxolitinib = URIRef("https://w3id.org/dermkg/resource/drug/ruxolitinib")
    assert (product, DKG.hasActiveIngredient, ruxolitinib) in g


def test_json_ld_context_has_a_term_for_every_dkg_entity() -> None:
    ctx = json_ld_context()["@context"]
    onto = ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual):
        for s in onto.subjects(RDF.type, kind):
            if str(s).startswith(str(DKG)):
                assert str(s)[len(str(DKG)) :] in ctx, s
    assert ctx["minAgeYears"] == {"@id": "dkg:minAgeYears", "@type": "xsd:decimal"}
    assert ctx["armIntervention"]["@type"] == "@id"
    assert ctx["severity"]["@type"] == "@vocab"


def test_html_documents_every_term_with_its_definition(release: dict[str, Path]) -> None:
    page = release["index.html"].read_text(encoding="utf-8")
    onto = ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual):
        for s in onto.subjects(RDF.type, kind):
            if str(s).startswith(str(DKG)):
                assert f'id="{str(s)[len(str(DKG)) :]}"' in page, s
    assert "(dkg:Drug and (dkg:inhibits some dkg:JanusKinase))" in page
    assert "xsd:decimal[&lt; 18]" in page
    assert "CHEBI:23888" in page  # alignments are shown with each term


def test_manchester_rendering_of_the_defined_classes() -> None:
    onto = ontology_graph()
    topical = next(onto.objects(DKG.TopicalProduct, OWL.equivalentClass))
    assert manchester(onto, topical) == "(dkg:DrugProduct and (dkg:route value dkg:TopicalRoute))"
    il = next(onto.objects(DKG.InterleukinAntagonist, OWL.equivalentClass))
    assert "(dkg:Interleukin or dkg:InterleukinReceptor)" in manchester(onto, il)


@pytest.mark.skipif(not HAS_PYLODE, reason="pyLODE not installed (the docs extra)")
def test_pylode_page(tmp_path: Path) -> None:
    result = write_release(tmp_path, html="pylode")
    assert result.html_generator == "pyLODE"
    page = result.files["index.html"].read_text(encoding="utf-8")
    assert "JAK inhibitor" in page and "paediatric study" in page


@pytest.mark.skipif(HAS_PYLODE, reason="pyLODE is installed")
def test_asking_for_pylode_without_it_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DermkgError, match="pyLODE is not installed"):
        write_release(tmp_path, html="pylode")


def test_unknown_html_generator_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DermkgError, match="unknown documentation generator"):
        write_release(tmp_path, html="sphinx")


# ---- alignments as triples ----------------------------------------------------------------


def test_mappings_graph_has_one_triple_and_one_annotated_axiom_per_row() -> None:
    ms = read_mappings()
    g = mappings_graph(ms)
    assert len(ms.mappings) >= 40
    axioms = list(g.subjects(RDF.type, OWL.Axiom))
    assert len(axioms) == len(ms.mappings)
    assert (DKG.Drug, SKOS.closeMatch, OBO.CHEBI_23888) in g
    assert (DKG.OpenLabelStudy, SKOS.exactMatch, OBO.NCIT_C49659) in g
    assert (DKG.inhibits, SKOS.broadMatch, OBO.RO_0002436) in g
    assert (OBO.NCIT_C49659, RDFS.label, Literal("Open Label Study")) in g
    # schema.org terms use the project's namespace (docs/model.md), not https://
    assert (DKG.Drug, SKOS.closeMatch, URIRef("http://schema.org/Drug")) in g
    for axiom in axioms:
        source = g.value(axiom, OWL.annotatedSource)
        prop = g.value(axiom, OWL.annotatedProperty)
        target = g.value(axiom, OWL.annotatedTarget)
        assert (source, prop, target) in g
        assert g.value(axiom, SSSOM.mapping_justification) == URIRef(
            "https://w3id.org/semapv/vocab/ManualMappingCuration"
        )
        confidence = g.value(axiom, SSSOM.confidence)
        assert isinstance(confidence, Literal) and 0 < float(confidence) <= 1


def test_a_bad_confidence_is_reported_with_its_line() -> None:
    text = (
        "# curie_map:\n#   dkg: https://w3id.org/dermkg/ontology#\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
        "dkg:Drug\tskos:closeMatch\tCHEBI:23888\tsemapv:ManualMappingCuration\thigh\n"
    )
    with pytest.raises(RdfInputError, match=r":4: confidence 'high'"):
        read_mappings(text)


def test_an_unknown_prefix_is_reported_with_its_line() -> None:
    text = (
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
        "dkg:Drug\tskos:closeMatch\tNOSUCHPREFIX:1\tsemapv:ManualMappingCuration\n"
    )
    with pytest.raises(RdfInputError, match=r":2: cannot expand 'NOSUCHPREFIX:1'"):
        mappings_graph(read_mappings(text))


def test_release_command_writes_the_files(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from dermkg.cli.release import register

    app = typer.Typer()
    app.callback()(lambda: None)  # a command group, as in dermkg.cli
    register(app)
    out = tmp_path / "rel"
    result = CliRunner().invoke(app, ["release", "--out", str(out), "--html", "builtin"])
    assert result.exit_code == 0, result.output
    assert (out / "dermkg.owl").is_file() and (out / "index.html").is_file()
    assert "7 files" in result.output and "HTML by dermkg" in result.output
