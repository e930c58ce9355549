"""``dermkg add`` / ``retract`` / ``sources``: validated, atomic, with provenance; a refused
add leaves the store byte-for-byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from typer.testing import CliRunner

from dermkg.cli import app
from dermkg.errors import StoreError, ValidationFailed
from dermkg.facts import FactsRefused, add_facts, check_facts, list_sources, retract
from dermkg.graph.backend import LocalStore
from dermkg.namespaces import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, document_graph, source_graph
from dermkg.ontology_graphs import ontology_graph, vocabulary_graph
from dermkg.rdf_input import read_input
from test_shapes_support import HEADER, good_graph, iri

NEW_RESULT = """
<efficacy/curated/1> a dkg:EfficacyResult ;
    prov:wasDerivedFrom dkgd:fixture-doc-1 ;
    dkg:hasEvidence <evidence/fixture-doc-1/10-90> ;
    dkg:extractionRule "curation" ;
    dkg:ofStudy <study/NCT99999901> ;
    dkg:ofArm <arm/fixture-doc-1/2> ;
    dkg:endpoint <endpoint/easi-75> ;
    dkg:timepoint "week 8" ;
    dkg:value 14.5 ; dkg:unit "%" ; dkg:statistic "proportion" .
"""


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    """A small built store: the ontology, the vocabulary and the good fixture as a document."""
    target = LocalStore(tmp_path / "store")
    target.replace_all(
        {
            ONTOLOGY_GRAPH: ontology_graph(),
            VOCABULARY_GRAPH: vocabulary_graph(),
            document_graph("fixture-doc-1"): good_graph(),
        },
        {"test": True},
    )
    return target


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_new_result_for_existing_trial_conforms_only_with_the_store(
    store: LocalStore, tmp_path: Path
) -> None:
    item = read_input(write(tmp_path, "result.ttl", NEW_RESULT))
    # alone (vocabulary only), the study, arm and document are unknown: their class is wrong
    alone = check_facts([item])
    assert not alone.outcome.conforms
    assert {i.path.rsplit("#", 1)[-1] for i in alone.outcome.violations} >= {"ofStudy", "ofArm"}
    # with the store, they are the fixture's study, arm and document
    with_store = check_facts([item], store)
    assert with_store.outcome.conforms, with_store.outcome.issues
    assert with_store.outcome.focus_checked == 1


def test_outcome_is_checked_against_the_existing_trial(store: LocalStore, tmp_path: Path) -> None:
    body = NEW_RESULT.replace("<arm/fixture-doc-1/2>", "<arm/other-doc/7>") + (
        '<arm/other-doc/7> a dkg:StudyArm ; rdfs:label "an arm of another trial" .\n'
    )
    outcome = check_facts([read_input(write(tmp_path, "r.ttl", body))], store).outcome
    assert not outcome.conforms
    assert any("is not an arm of the result's study" in i.message for i in outcome.violations)


def test_a_second_nct_id_for_a_stored_trial_violates(store: LocalStore, tmp_path: Path) -> None:
    body = '<study/NCT99999901> dkg:nctId "NCT99999902" .\n'
    outcome = check_facts([read_input(write(tmp_path, "n.ttl", body))], store).outcome
    assert [(i.focus, i.path.rsplit("#", 1)[-1]) for i in outcome.violations] == [
        (str(iri("dkgr:study/NCT99999901")), "nctId")
    ]


def test_add_commits_facts_with_provenance(store: LocalStore, tmp_path: Path) -> None:
    path = write(tmp_path, "result.ttl", NEW_RESULT)
    result = add_facts(store, [read_input(path)], "curated-2026", agent="alice")
    assert result.graph == source_graph("curated-2026")
    stored = store.graph(result.graph)
    assert (iri("dkgr:efficacy/curated/1"), RDF.type, iri("dkg:EfficacyResult")) in stored
    activity = stored.value(result.graph, PROV.wasGeneratedBy)
    assert activity is not None
    agent = stored.value(activity, PROV.wasAssociatedWith)
    assert str(stored.value(agent, RDFS.label)) == "alice"
    assert stored.value(activity, PROV.startedAtTime) is not None
    used = stored.value(activity, PROV.used)
    assert str(stored.value(used, RDFS.label)) == "result.ttl"
    assert str(stored.value(used, URIRef("http://purl.org/dc/terms/identifier"))).startswith(
        "sha256:"
    )
    sizes = {s.name: (s.kind, s.triples) for s in list_sources(store)}
    assert sizes["curated-2026"] == ("source", len(stored))
    assert sizes["fixture-doc-1"][0] == "document"


def test_refused_add_leaves_the_store_byte_for_byte_unchanged(
    store: LocalStore, tmp_path: Path
) -> None:
    before = store.dump_nquads()
    bad = NEW_RESULT.replace('dkg:value 14.5 ; dkg:unit "%"', 'dkg:value 140 ; dkg:unit "%"')
    with pytest.raises(FactsRefused) as refused:
        add_facts(store, [read_input(write(tmp_path, "bad.ttl", bad))], "bad")
    assert any("between 0 and 100" in i.message for i in refused.value.outcome.violations)
    store.refresh()
    assert store.dump_nquads() == before


def test_retract_removes_exactly_what_add_wrote(store: LocalStore, tmp_path: Path) -> None:
    before = store.dump_nquads()
    add_facts(store, [read_input(write(tmp_path, "r.ttl", NEW_RESULT))], "curated")
    assert store.dump_nquads() != before
    removed = retract(store, "curated")
    assert removed > 10
    store.refresh()
    assert store.dump_nquads() == before


def test_retract_refuses_build_graphs_unless_forced(store: LocalStore) -> None:
    with pytest.raises(StoreError, match="written by `dermkg build`"):
        retract(store, "vocabulary")
    with pytest.raises(StoreError, match="document graph"):
        retract(store, "document/fixture-doc-1")
    with pytest.raises(StoreError, match="no such graph"):
        retract(store, "never-added")
    assert retract(store, "document/fixture-doc-1", force=True) == len(good_graph())


def test_bad_source_name_is_refused(store: LocalStore, tmp_path: Path) -> None:
    item = read_input(write(tmp_path, "r.ttl", NEW_RESULT))
    with pytest.raises(ValidationFailed, match="not a valid source name"):
        add_facts(store, [item], "../../etc")


# -- the command line -----------------------------------------------------------------------

runner = CliRunner()


def test_cli_add_sources_retract(store: LocalStore, tmp_path: Path) -> None:
    path = write(tmp_path, "result.ttl", NEW_RESULT)
    added = runner.invoke(app, ["add", str(path), "--store", store.location, "--source", "s1",
                                "--agent", "bob"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["sources", "--store", store.location, "--format", "csv"])
    assert listed.exit_code == 0
    rows = [line.split(",") for line in listed.output.strip().splitlines()]
    assert rows[0] == ["name", "kind", "triples", "graph"]
    assert rows[[r[0] for r in rows].index("s1")][:2] == ["s1", "source"]
    gone = runner.invoke(app, ["retract", "s1", "--store", store.location])
    assert gone.exit_code == 0
    store.refresh()
    assert str(source_graph("s1")) not in store.graph_sizes()


def test_cli_refused_add_exits_1_and_writes_nothing(store: LocalStore, tmp_path: Path) -> None:
    before = store.dump_nquads()
    path = write(tmp_path, "bad.ttl", NEW_RESULT.replace('"week 8"', '"Week Eight"'))
    out = runner.invoke(app, ["add", str(path), "--store", store.location])
    assert out.exit_code == 1
    assert "refused" in out.output
    store.refresh()
    assert store.dump_nquads() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("", "empty file"), ("ex:a ex:b ex:c .", "ex")],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    store: LocalStore, tmp_path: Path, content: str | None, message: str
) -> None:
    before = store.dump_nquads()
    path = tmp_path / "input.ttl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = runner.invoke(app, ["add", str(path), "--store", store.location])
    assert out.exit_code != 0
    assert isinstance(out.exception, Exception | SystemExit)
    assert message in str(out.exception) or message in out.output
    store.refresh()
    assert store.dump_nquads() == before


def test_graph_of_added_facts_is_queryable(store: LocalStore, tmp_path: Path) -> None:
    add_facts(store, [read_input(write(tmp_path, "r.ttl", NEW_RESULT))], "q")
    store.refresh()
    g: Graph = store.construct(
        "CONSTRUCT { ?r ?p ?o } WHERE { GRAPH ?g { "
        "?r a <https://w3id.org/dermkg/ontology#EfficacyResult> ; ?p ?o } }"
    )
    assert iri("dkgr:efficacy/curated/1") in set(g.subjects())


def test_only_the_new_facts_and_what_they_reference_are_validated(
    store: LocalStore, tmp_path: Path
) -> None:
    # an unrelated, already-stored claim that violates the shapes (written past validation)
    broken = Graph().parse(data=HEADER + """
        <approval/other-doc/1> a dkg:RegulatoryApproval ; dkg:minAgeYears 150 .
    """, format="turtle")
    store.add_graphs({document_graph("other-doc"): broken})
    result = check_facts([read_input(write(tmp_path, "result.ttl", NEW_RESULT))], store)
    assert result.outcome.conforms, result.outcome.issues
    assert result.focus == {iri("dkgr:efficacy/curated/1")}
    # the context holds the referenced study, arm, document, span and endpoint, not the rest
    described = set(result.context.subjects())
    assert iri("dkgr:study/NCT99999901") in described
    assert iri("dkgr:arm/fixture-doc-1/2") in described
    assert iri("dkgr:approval/other-doc/1") not in described
    assert iri("dkgr:approval/fixture-doc-1/1") not in described
    assert len(result.context) < 150
