"""The loaders on the seed corpus (read in place from ../shared/corpus): every claim's quote is
the original file text at its offsets, in the claims and in the RDF; nothing comes from the
reference lists or page furniture; throughput."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

from dermkg import loaders
from dermkg.namespaces import DKG, OA, document_iri


@pytest.fixture(scope="module")
def seed_extractions() -> list[loaders.DocumentExtraction]:
    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("the seed corpus ../shared/corpus is not available")
    exs = [loaders.extract_document(p) for p in loaders.discover(corpus)]
    loaders.link_documents(exs)
    return exs


def test_every_quote_is_the_original_text(
    seed_extractions: list[loaders.DocumentExtraction],
) -> None:
    total = 0
    for ex in seed_extractions:
        original = ex.path.read_text(encoding="utf-8")
        assert ex.text == original
        for ev in ex.evidence():
            assert original[ev.start : ev.end] == ev.quote, (ex.doc_id, ev)
            total += 1
        g = loaders.to_rdf(ex)
        for node in g.subjects(RDF.type, OA.TextPositionSelector):
            start, end = int(g.value(node, OA.start)), int(g.value(node, OA.end))
            quote_node = next(iter(g.subjects(OA.hasSelector, node)))
            exact = next(
                str(g.value(s, OA.exact))
                for s in g.objects(quote_node, OA.hasSelector)
                if (s, RDF.type, OA.TextQuoteSelector) in g
            )
            assert original[start:end] == exact
    assert total > 50


def test_every_claim_has_provenance(seed_extractions: list[loaders.DocumentExtraction]) -> None:
    claim_classes = (
        DKG.RegulatoryApproval,
        DKG.EfficacyResult,
        DKG.SafetyFinding,
        DKG.MechanismStatement,
    )
    for ex in seed_extractions:
        g = loaders.to_rdf(ex)
        for cls in claim_classes:
            for claim in g.subjects(RDF.type, cls):
                assert g.value(claim, DKG.extractionRule) is not None
                assert list(g.objects(claim, DKG.hasEvidence)), claim
                assert g.value(claim, PROV.wasDerivedFrom) == document_iri(ex.doc_id)


def test_no_claim_quotes_references_or_furniture(
    seed_extractions: list[loaders.DocumentExtraction],
) -> None:
    for ex in seed_extractions:
        cut = re.search(r"^\s*References\s*$", ex.text, re.M)
        for ev in ex.evidence():
            if cut is not None:
                assert ev.start < cut.start(), (ex.doc_id, ev.quote[:60])
            assert "featured in this series" not in ev.quote
            assert "Subscribe" not in ev.quote


def test_counts_per_document(seed_extractions: list[loaders.DocumentExtraction]) -> None:
    counts = {ex.doc_id[:3]: ex.counts() for ex in seed_extractions}
    assert counts["002"]["approvals"] == 3
    assert all(c["approvals"] == 0 for k, c in counts.items() if k != "002")
    assert counts["004"]["studies"] == 2  # TRuE-AD1 and TRuE-AD2
    assert all(c["mechanisms"] >= 1 for k, c in counts.items() if k != "002")


def test_study_identity_across_documents(
    seed_extractions: list[loaders.DocumentExtraction],
) -> None:
    keys = {s.iri_key for ex in seed_extractions if ex.claims for s in ex.claims.studies if s.named}
    assert {"NCT04921969", "NCT03745638", "NCT03745651"} <= keys
