"""The seed build conforms to the shapes: no document rejected, and the extracted claims
are checked (the shapes' targets are populated, so conformance is not vacuous)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from dermkg.graph.backend import LocalStore
from dermkg.namespaces import DKG
from dermkg.pipeline import build
from dermkg.validation import validate


@pytest.mark.slow
def test_seed_build_conforms(seed_corpus: Path, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    report = build(seed_corpus, store, reason=False)
    assert report.rejected == {}, report.rejected
    assert report.failed == {}
    data = Graph()
    for name in store.graph_sizes():
        if "/document/" in name or name.endswith("/vocabulary"):
            data += store.graph(URIRef(name))
    kinds = {DKG.RegulatoryApproval, DKG.EfficacyResult, DKG.SafetyFinding, DKG.EvidenceSpan}
    for kind in kinds:
        assert any(True for _ in data.subjects(RDF.type, kind)), f"no {kind} to validate"
    outcome = validate(data)
    assert outcome.conforms, outcome.violations[:5]
    assert len(outcome.warnings) == report.warnings
