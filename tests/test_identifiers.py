"""CURIE ⇄ IRI with Bioregistry's prefix map (dermkg.identifiers)."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from dermkg.errors import DermkgError
from dermkg.identifiers import (
    IdentifierError,
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
