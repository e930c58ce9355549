"""The vocabulary: loading, lookup, external ids (SSSOM) and RDF (dermkg.vocabulary)."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from dermkg.errors import DermkgError
from dermkg.identifiers import expand, normalize_curie
from dermkg.namespaces import DKG, DKGR
from dermkg.resources import ontology_dir
from dermkg.vocabulary import (
    KINDS,
    MAPPINGS_FILE,
    Entity,
    UnknownEntityError,
    Vocabulary,
    VocabularyError,
    build_vocabulary,
    load_vocabulary,
    normalize_surface,
    read_mappings,
)

VOCAB_DIR = ontology_dir().joinpath("vocabulary")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def _yaml(name: str) -> Any:
    return yaml.safe_load(VOCAB_DIR.joinpath(name).read_text(encoding="utf-8"))


# -- loading -------------------------------------------------------------------------------


def test_load_is_cached(vocab: Vocabulary) -> None:
    assert load_vocabulary() is vocab


def test_every_entity_has_label_kind_and_iri(vocab: Vocabulary) -> None:
    codelists = _yaml("codelists.yaml")
    entities = vocab.entities()
    assert len(entities) > 150
    for entity in entities:
        assert entity.kind in KINDS
        assert entity.label.strip() == entity.label and entity.label
        segment = codelists["kinds"][entity.kind]["segment"]
        assert entity.iri == URIRef(DKGR[f"{segment}/{entity.key}"])
        assert vocab.by_iri(entity.iri) is entity


def test_every_kind_is_populated(vocab: Vocabulary) -> None:
    for kind in KINDS:
        assert vocab.entities(kind), kind


def test_core_entities_present(vocab: Vocabulary) -> None:
    for kind, key in [
        ("drug", "ruxolitinib"),
        ("product", "opzelura"),
        ("product", "jakafi"),
        ("target", "JAK1"),
        ("target", "IL-13"),
        ("disease", "atopic-dermatitis"),
        ("disease", "vitiligo"),
        ("agency", "fda"),
        ("comparator", "vehicle"),
        ("comparator", "placebo"),
        ("endpoint", "easi-75"),
        ("adverse_event", "nasopharyngitis"),
    ]:
        assert vocab.get(kind, key).key == key


def test_get_unknown_raises(vocab: Vocabulary) -> None:
    with pytest.raises(UnknownEntityError) as info:
        vocab.get("drug", "no-such-drug")
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, DermkgError)
    assert "no-such-drug" in str(info.value)
    with pytest.raises(VocabularyError, match="unknown entity kind"):
        vocab.entities("vegetable")


# -- lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["IL-4", "IL4", "il4", "interleukin-4", "interleukin 4", "Interleukin‑4", "IL–4", "IL 4"],
)
def test_lookup_interleukin_variants(vocab: Vocabulary, text: str) -> None:
    found = vocab.lookup(text)
    assert found is not None and (found.kind, found.key) == ("target", "IL-4")


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("Opzelura", "product", "opzelura"),
        ("OPZELURA®", "product", "opzelura"),
        ("opzelura", "product", "opzelura"),
        ("Ruxolitinib", "drug", "ruxolitinib"),
        ("INCB018424", "drug", "ruxolitinib"),
        ("INCB-018424", "drug", "ruxolitinib"),
        ("IL-4Rα", "target", "IL-4RA"),
        ("IL-4Ralpha", "target", "IL-4RA"),
        ("IL‑13Rα1", "target", "IL-13RA1"),
        ("Janus kinase 1", "target", "JAK1"),
        ("atopic eczema", "disease", "atopic-dermatitis"),
        ("non-segmental vitiligo", "disease", "nonsegmental-vitiligo"),
        ("EASI 75", "endpoint", "easi-75"),
        ("EASI-75", "endpoint", "easi-75"),
        ("IGA-TS", "endpoint", "iga-ts"),
        ("TEAEs", "adverse_event", "teae"),
        ("U.S. Food and Drug Administration", "agency", "fda"),
        ("FDA", "agency", "fda"),
        ("European Medicines Agency", "agency", "ema"),
        ("Adtralza", "product", "adtralza"),
        ("vehicle cream", "comparator", "vehicle"),
    ],
)
def test_lookup(vocab: Vocabulary, text: str, kind: str, key: str) -> None:
    found = vocab.lookup(text)
    assert found is not None, text
    assert (found.kind, found.key) == (kind, key)
    assert vocab.lookup(text, kind=kind) == found


def test_lookup_misses_and_kind_filter(vocab: Vocabulary) -> None:
    assert vocab.lookup("paracetamolumab") is None
    assert vocab.lookup("Opzelura", kind="drug") is None
    assert vocab.lookup("") is None


def test_normalize_surface() -> None:
    assert normalize_surface("IL‑4Rα") == normalize_surface("il-4ralpha") == "il4ralpha"
    assert normalize_surface("Opzelura™") == "opzelura"
    assert normalize_surface("EASI−75") == "easi75"  # U+2212 minus sign


def test_no_surface_form_names_two_entities_of_one_kind(vocab: Vocabulary) -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for form, entity in vocab.surface_forms():
        seen[(entity.kind, normalize_surface(form))].add(entity.key)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert clashes == {}


def test_surface_forms_cover_labels_synonyms_codes(vocab: Vocabulary) -> None:
    forms = {(f, e.key) for f, e in vocab.surface_forms(kind="drug")}
    assert ("ruxolitinib", "ruxolitinib") in forms
    assert ("INCB018424", "ruxolitinib") in forms
    assert ("ciclosporin", "cyclosporine") in forms
    rux = vocab.get("drug", "ruxolitinib")
    assert "INCB018424" in rux.codes and "INCB018424" in rux.synonyms
    assert "AD" in vocab.get("disease", "atopic-dermatitis").abbreviations


def test_product_and_target_attrs(vocab: Vocabulary) -> None:
    opz = vocab.get("product", "opzelura").attrs
    assert opz["active_ingredient"] == "ruxolitinib"
    assert (opz["route"], opz["dosage_form"]) == ("topical", "cream")
    assert "incyte" in opz["manufacturers"]
    assert vocab.get("target", "JAK2").attrs["family"] == "JanusKinase"
    targets = {
        (t["target"], t["action"]) for t in vocab.get("drug", "ruxolitinib").attrs["targets"]
    }
    assert targets == {("JAK1", "inhibition"), ("JAK2", "inhibition")}


def test_inn_stems(vocab: Vocabulary) -> None:
    stems = vocab.inn_stems()
    assert all(stem.startswith("-") for stem, _ in stems)
    lengths = [len(s.stem) for s in stems]
    assert lengths == sorted(lengths, reverse=True)
    cit = vocab.match_inn_stem("Abrocitinib")
    assert cit is not None and cit.stem == "-citinib" and "Janus kinase" in cit.meaning
    tinib = vocab.match_inn_stem("erlotinib")
    assert tinib is not None and tinib.stem == "-tinib"
    mab = vocab.match_inn_stem("rocatinlimab")
    assert mab is not None and mab.stem.endswith("mab")
    milast = vocab.match_inn_stem("difamilast")
    assert milast is not None and milast.stem == "-milast"
    assert vocab.match_inn_stem("water") is None
    kin = vocab.match_inn_stem("tralokinumab")
    assert kin is not None and kin.stem == "-kinumab" and "interleukin" in kin.meaning
    cept = vocab.match_inn_stem("abatacept")
    assert cept is not None and cept.stem == "-cept"
    assert vocab.match_inn_stem("concept") is None  # an English word, not a drug
    assert vocab.match_inn_stem("mab") is None  # the bare stem is no name


# -- external ids ----------------------------------------------------------------------------


ACCEPTANCE = [
    ("drug", "ruxolitinib", "CHEBI:66919"),
    ("drug", "ruxolitinib", "drugbank:DB08877"),
    ("disease", "atopic-dermatitis", "MONDO:0004980"),
    ("target", "JAK1", "hgnc:6190"),
    ("target", "JAK1", "uniprot:P23458"),
    ("target", "JAK2", "hgnc:6192"),
    ("target", "JAK2", "uniprot:O60674"),
    ("target", "IL-4", "hgnc:6014"),
    ("target", "IL-4", "uniprot:P05112"),
    ("target", "IL-13", "hgnc:5973"),
    ("target", "IL-13", "uniprot:P35225"),
    ("target", "IL-31", "hgnc:19372"),
    ("target", "IL-31", "uniprot:Q6EBC2"),
]


@pytest.mark.parametrize(("kind", "key", "curie"), ACCEPTANCE)
def test_acceptance_ids(vocab: Vocabulary, kind: str, key: str, curie: str) -> None:
    entity = vocab.get(kind, key)
    assert curie in entity.xrefs
    match = next(m for m in entity.matches if m.curie == curie)
    assert match.predicate == "skos:exactMatch"
    assert (entity.iri, SKOS.exactMatch, expand(curie)) in vocab.to_rdf()


def test_every_xref_expands_through_bioregistry(vocab: Vocabulary) -> None:
    n = 0
    for entity in vocab.entities():
        for xref in entity.matches:
            assert normalize_curie(xref.curie) == xref.curie
            iri = expand(xref.curie)
            assert str(iri).startswith(("http://", "https://"))
            assert xref.iri == iri
            n += 1
    assert n >= 50


def test_yaml_does_not_repeat_external_ids() -> None:
    curie = re.compile(r"\b(CHEBI|MONDO|NCIT|HP|hgnc|uniprot|drugbank|mesh|wikidata):\S+", re.I)
    for kind, spec in _yaml("codelists.yaml")["kinds"].items():
        text = VOCAB_DIR.joinpath(spec["file"]).read_text(encoding="utf-8")
        assert not curie.search(text), f"{spec['file']} ({kind}) holds an external id"


def _sssom_rows() -> list[dict[str, str]]:
    import csv
    import io

    text = VOCAB_DIR.joinpath(MAPPINGS_FILE).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def test_sssom_file_validates_with_sssom_py(tmp_path: Path) -> None:
    pytest.importorskip("sssom")
    from sssom.constants import SchemaValidationType as V
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = tmp_path / MAPPINGS_FILE
    path.write_text(VOCAB_DIR.joinpath(MAPPINGS_FILE).read_text(encoding="utf-8"))
    msdf = parse_sssom_table(path)
    assert len(msdf.df) == len(_sssom_rows())  # the parser dropped no row
    reports = validate(msdf, [V.JsonSchema, V.PrefixMapCompleteness, V.StrictCurieFormat])
    assert all(not report.results for report in reports.values())


def test_sssom_rows_are_curated_and_cited(vocab: Vocabulary) -> None:
    rows = _sssom_rows()
    assert rows
    known = {f"dkgr:{str(e.iri)[len(str(DKGR)) :]}" for e in vocab.entities()}
    pairs = set()
    for row in rows:
        assert row["subject_id"] in known, row["subject_id"]
        assert row["predicate_id"] in {"skos:exactMatch", "skos:closeMatch"}
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert row["see_also"].startswith("https://"), row
        assert row["comment"].strip(), row
        assert normalize_curie(row["object_id"]) == row["object_id"]
        pair = (row["subject_id"], row["object_id"])
        assert pair not in pairs, pair
        pairs.add(pair)


def test_sssom_curie_map_is_bioregistrys() -> None:
    from dermkg.identifiers import prefix_map

    text = VOCAB_DIR.joinpath(MAPPINGS_FILE).read_text(encoding="utf-8")
    header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    curie_map = yaml.safe_load(header)["curie_map"]
    used = {row["object_id"].split(":", 1)[0] for row in _sssom_rows()} | {"dkgr"}
    assert set(curie_map) == used
    assert curie_map == prefix_map(used)


def test_no_external_id_on_two_entities_of_one_kind(vocab: Vocabulary) -> None:
    owner: dict[tuple[str, str], str] = {}
    for entity in vocab.entities():
        for curie in entity.xrefs:
            assert owner.setdefault((entity.kind, curie), entity.key) == entity.key, curie


# -- RDF --------------------------------------------------------------------------------------


def test_to_rdf_entities(vocab: Vocabulary) -> None:
    g = vocab.to_rdf()
    rux = vocab.get("drug", "ruxolitinib").iri
    opz = vocab.get("product", "opzelura").iri
    jak1 = vocab.get("target", "JAK1").iri
    assert (rux, RDF.type, DKG.Drug) in g
    assert (rux, RDFS.label, Literal("ruxolitinib")) in g
    assert (rux, SKOS.prefLabel, Literal("ruxolitinib", lang="en")) in g
    assert (rux, SKOS.altLabel, Literal("INCB018424", lang="en")) in g
    assert (rux, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/CHEBI_66919")) in g
    assert (rux, SKOS.exactMatch, URIRef("https://go.drugbank.com/drugs/DB08877")) in g
    assert (rux, DKG.inhibits, jak1) in g
    assert (rux, DKG.hasProduct, opz) in g
    assert (opz, RDF.type, DKG.DrugProduct) in g
    assert (opz, DKG.hasActiveIngredient, rux) in g
    assert (opz, DKG.route, DKG.TopicalRoute) in g
    assert (opz, DKG.dosageForm, DKG.Cream) in g
    assert (opz, DKG.manufacturer, vocab.get("organization", "incyte").iri) in g
    assert (jak1, RDF.type, DKG.JanusKinase) in g
    assert (vocab.get("target", "IL-13").iri, RDF.type, DKG.Interleukin) in g
    assert (vocab.get("comparator", "vehicle").iri, RDF.type, DKG.Vehicle) in g
    assert (vocab.get("comparator", "placebo").iri, RDF.type, DKG.Placebo) in g
    assert (vocab.get("agency", "fda").iri, RDF.type, DKG.RegulatoryAgency) in g
    assert (vocab.get("disease", "atopic-dermatitis").iri, RDF.type, DKG.Disease) in g
    calcineurin = vocab.get("target", "calcineurin").iri
    assert (calcineurin, SKOS.closeMatch, expand("hgnc:9314")) in g
    assert (calcineurin, SKOS.exactMatch, expand("hgnc:9314")) not in g
    # JAK-inhibitor status is left to the reasoner
    assert not any(o == DKG.JAKInhibitor for o in g.objects(rux, RDF.type))


def test_to_rdf_every_entity_labelled_and_typed(vocab: Vocabulary) -> None:
    g = vocab.to_rdf()
    for entity in vocab.entities():
        assert g.value(entity.iri, RDFS.label) == Literal(entity.label)
        assert g.value(entity.iri, SKOS.prefLabel) is not None
        assert any(str(t).startswith(str(DKG)) for t in g.objects(entity.iri, RDF.type))


def test_to_rdf_uses_only_declared_dkg_terms(vocab: Vocabulary) -> None:
    ttl = ontology_dir().joinpath("dermkg.ttl")
    if not ttl.is_file():
        pytest.skip("ontology/dermkg.ttl not present")
    from rdflib import Graph

    onto = Graph().parse(data=ttl.read_text(encoding="utf-8"), format="turtle")
    declared = {s for s in onto.subjects() if isinstance(s, URIRef)}
    used = {
        term
        for triple in vocab.to_rdf()
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(DKG))
    }
    assert used - declared == set()


# -- failure modes (small fixtures) --------------------------------------------------------------


def _mini() -> tuple[dict[str, Any], dict[str, Any]]:
    codelists = _yaml("codelists.yaml")
    docs: dict[str, Any] = {kind: {"kind": kind, "entities": []} for kind in KINDS}
    docs["drug"]["entities"] = [
        {
            "key": "alphazumab",
            "label": "alphazumab",
            "synonyms": ["AZ-1"],
            "targets": [{"target": "T1", "action": "antagonism"}],
        },
    ]
    docs["target"]["entities"] = [{"key": "T1", "label": "T1", "family": "Interleukin"}]
    docs["product"]["entities"] = [
        {
            "key": "brandx",
            "label": "BrandX",
            "active_ingredient": "alphazumab",
            "route": "subcutaneous",
            "dosage_form": "injection",
        },
    ]
    return codelists, docs


SSSOM_HEAD = (
    "# curie_map:\n#   dkgr: https://w3id.org/dermkg/resource/\n"
    "subject_id\tpredicate_id\tobject_id\tmapping_justification\tsee_also\tcomment\n"
)


def test_mini_vocabulary_builds() -> None:
    codelists, docs = _mini()
    sssom = SSSOM_HEAD + (
        "dkgr:drug/alphazumab\tskos:exactMatch\tCHEBI:66919\tsemapv:ManualMappingCuration\tx\ty\n"
    )
    vocab = build_vocabulary(docs, codelists, sssom)
    drug = vocab.get("drug", "alphazumab")
    assert isinstance(drug, Entity) and drug.xrefs == ("CHEBI:66919",)
    assert vocab.lookup("az 1") == drug
    g = vocab.to_rdf()
    assert (drug.iri, DKG.antagonizes, vocab.get("target", "T1").iri) in g


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["drug"]["entities"].append({"key": "betazumab", "label": "AZ 1"}),
            "names several drug entities",
        ),
        (
            lambda d: d["drug"]["entities"].append({"key": "alphazumab", "label": "other"}),
            "duplicate drug key",
        ),
        (lambda d: d["drug"]["entities"][0].update(colour="blue"), "unknown field"),
        (lambda d: d["drug"]["entities"][0].pop("label"), "missing label"),
        (lambda d: d["drug"]["entities"][0].update(key="Bad Key!"), "malformed key"),
        (lambda d: d["product"]["entities"][0].update(active_ingredient="nodrug"), "nodrug"),
        (lambda d: d["product"]["entities"][0].update(route="intranasal"), "unknown route"),
        (
            lambda d: d["drug"]["entities"][0]["targets"].append({"target": "T1", "action": "zap"}),
            "unknown action",
        ),
        (lambda d: d["target"]["entities"][0].update(family="Kinesin"), "unknown family"),
        (lambda d: d["drug"]["entities"][0].update(synonyms=[1, 2]), "list of non-empty strings"),
        (lambda d: d["drug"]["entities"][0].update(label_matches="no"), "label_matches must be"),
    ],
)
def test_malformed_vocabulary_is_rejected(mutate: Any, message: str) -> None:
    codelists, docs = _mini()
    docs = copy.deepcopy(docs)
    mutate(docs)
    with pytest.raises(VocabularyError, match=message):
        build_vocabulary(docs, codelists, "")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "dkgr:drug/nosuch\tskos:exactMatch\tCHEBI:66919\tsemapv:ManualMappingCuration\tx\ty\n",
            "not in the vocabulary",
        ),
        (
            "dkgr:drug/alphazumab\tskos:exactMatch\tchebi:66919\tsemapv:ManualMappingCuration\tx\ty\n",
            "write 'chebi:66919' as 'CHEBI:66919'",
        ),
        (
            "dkgr:drug/alphazumab\tskos:exactMatch\tfoo:1\tsemapv:ManualMappingCuration\tx\ty\n",
            "not in Bioregistry",
        ),
    ],
)
def test_bad_mappings_are_rejected(row: str, message: str) -> None:
    codelists, docs = _mini()
    with pytest.raises(VocabularyError, match=re.escape(message)):
        build_vocabulary(docs, codelists, SSSOM_HEAD + row)


def test_read_mappings_skips_other_predicates() -> None:
    text = SSSOM_HEAD + (
        "dkgr:drug/a\tskos:broadMatch\tCHEBI:66919\tsemapv:ManualMappingCuration\tx\ty\n"
        "dkgr:drug/a\tskos:closeMatch\tCHEBI:95341\tsemapv:ManualMappingCuration\tsrc\ty\n"
    )
    got = read_mappings(text)
    assert [(x.curie, x.predicate, x.source) for x in got["dkgr:drug/a"]] == [
        ("CHEBI:95341", "skos:closeMatch", "src")
    ]
    with pytest.raises(VocabularyError, match="missing columns"):
        read_mappings("a\tb\n1\t2\n")
