"""CURIE ⇄ IRI with Bioregistry's prefix map (dermkg.identifiers)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import URIRef

from dermkg.errors import DermkgError
from dermkg.identifiers import (
    IdentifierError,
    bioregistry_records,
    cached_records,
    compress,
    expand,
    is_valid_curie,
    normalize_curie,
    prefix_map,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HGNC:6190", "hgnc:6190"),
        ("hgnc:6190", "hgnc:6190"),
        ("chebi:66919", "CHEBI:66919"),
        ("CHEBI:CHEBI:66919", "CHEBI:66919"),  # "banana" prefix inside the id
        (" CHEBI : 66919 ", "CHEBI:66919"),
        ("mondo:0004980", "MONDO:0004980"),
        ("ncit:c3", "NCIT:C3"),
        ("clinicaltrials:nct04921969", "clinicaltrials:NCT04921969"),
        ("clinicaltrials:NCT04921969", "clinicaltrials:NCT04921969"),
        ("UniProt:P23458", "uniprot:P23458"),
        ("DrugBank:DB08877", "drugbank:DB08877"),
        ("dkgr:drug/ruxolitinib", "dkgr:drug/ruxolitinib"),
    ],
)
def test_normalize_curie(given: str, expected: str) -> None:
    assert normalize_curie(given) == expected


@pytest.mark.parametrize(
    ("curie", "iri"),
    [
        ("CHEBI:66919", "http://purl.obolibrary.org/obo/CHEBI_66919"),
        ("MONDO:0004980", "http://purl.obolibrary.org/obo/MONDO_0004980"),
        ("drugbank:DB08877", "https://go.drugbank.com/drugs/DB08877"),
        ("uniprot:P23458", "http://purl.uniprot.org/uniprot/P23458"),
        ("hgnc:6190", "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/6190"),
        ("clinicaltrials:NCT04921969", "https://www.clinicaltrials.gov/study/NCT04921969"),
        ("dkgr:drug/ruxolitinib", "https://w3id.org/dermkg/resource/drug/ruxolitinib"),
    ],
)
def test_expand_gives_bioregistry_iri(curie: str, iri: str) -> None:
    got = expand(curie)
    assert isinstance(got, URIRef)
    assert str(got) == iri


def test_expand_agrees_with_bioregistry_itself() -> None:
    import bioregistry

    for curie in ("CHEBI:66919", "hgnc:6192", "uniprot:O60674", "clinicaltrials:NCT03745638"):
        prefix, identifier = curie.split(":", 1)
        assert str(expand(curie)) == bioregistry.get_iri(prefix, identifier, priority=["default"])


def test_expand_normalises_first() -> None:
    assert expand("clinicaltrials:nct03745651") == expand("clinicaltrials:NCT03745651")
    assert expand("chebi:66919") == expand("CHEBI:66919")


@pytest.mark.parametrize(
    "bad",
    [
        "notaprefix:123",  # unknown prefix
        "hgnc:JAK1",  # HGNC ids are numeric
        "clinicaltrials:NCT123",  # NCT ids have 8 digits
        "CHEBI66919",  # no colon
        "",
    ],
)
def test_bad_curies_raise(bad: str) -> None:
    with pytest.raises(IdentifierError) as info:
        expand(bad)
    assert isinstance(info.value, DermkgError)
    assert not is_valid_curie(bad)


def test_compress_round_trip() -> None:
    for curie in ("CHEBI:66919", "MONDO:0004980", "clinicaltrials:NCT04921969"):
        assert compress(expand(curie)) == curie
    assert compress("https://example.org/not/registered") is None


def test_prefix_map_subset_and_missing() -> None:
    pm = prefix_map({"CHEBI", "hgnc", "dkgr"})
    assert pm == {
        "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
        "dkgr": "https://w3id.org/dermkg/resource/",
        "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/",
    }
    with pytest.raises(IdentifierError, match="nosuchprefix"):
        prefix_map({"nosuchprefix"})


# -- the cached Bioregistry records ------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def _cache_script() -> ModuleType:
    path = REPO / "scripts" / "update_prefix_cache.py"
    if not path.is_file():
        pytest.skip("scripts/ is not beside the tests (installed package)")
    spec = importlib.util.spec_from_file_location("update_prefix_cache", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prefix_cache_equals_what_bioregistry_gives_now() -> None:
    """The shipped records are Bioregistry's, for every prefix the project uses: a newer
    bioregistry or a new prefix in the data makes this fail until the script is re-run."""
    script = _cache_script()
    cached, cached_synonyms = cached_records()
    fresh, fresh_synonyms = bioregistry_records(script.used_prefixes())
    assert cached == fresh
    assert cached_synonyms == fresh_synonyms


def test_standardize_matches_bioregistry_for_every_cached_prefix() -> None:
    import bioregistry

    records, _ = cached_records()
    assert {"chebi", "hgnc", "clinicaltrials", "mondo", "ncit"} <= set(records)
    for record in records.values():
        forms = ["0001", f"{record.prefix}_0001", f"{record.prefix.upper()}:0001"]
        if record.banana:
            forms += [f"{record.banana}{record.banana_peel}0001", f"{record.banana.lower()}_01"]
        for form in forms:
            assert record.standardize(form) == bioregistry.standardize_identifier(
                record.prefix, form
            ), (record.prefix, form)


def test_prefix_outside_the_cache_is_looked_up_in_bioregistry() -> None:
    _, synonyms = cached_records()
    assert "fbbt" not in synonyms.values()
    assert normalize_curie("fbbt:FBbt:00007294") == "FBbt:00007294"
    assert str(expand("FBbt:00007294")) == "http://purl.obolibrary.org/obo/FBbt_00007294"


def test_the_fixed_graphs_of_a_build_do_not_load_bioregistry() -> None:
    """The CLI starts, and the vocabulary and alignment graphs (every external id
    expanded) are built, without importing bioregistry, which takes about a second."""
    code = (
        "import sys, dermkg.cli\n"
        "from dermkg.ontology_graphs import mappings_graph, vocabulary_graph\n"
        "from dermkg.vocabulary import load_vocabulary\n"
        "iris = [x.iri for e in load_vocabulary().entities() for x in e.matches]\n"
        "assert len(iris) > 20 and len(vocabulary_graph()) and len(mappings_graph())\n"
        "print(sorted(m for m in ('bioregistry', 'curies') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "[]"
