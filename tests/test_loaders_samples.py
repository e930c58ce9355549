"""The loaders on our own sample documents (tests/samples): every expected fact, no extra ones
for passing mentions or page furniture, and exact evidence quotes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib.namespace import RDF

from dermkg import loaders
from dermkg.loaders.claims import Arm
from dermkg.namespaces import DKG, OA

SAMPLES = Path(__file__).parent / "samples"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((SAMPLES / "expected.yaml").read_text("utf-8"))


def _extract(name: str) -> loaders.DocumentExtraction:
    ex = loaders.extract_document(SAMPLES / name)
    loaders.link_documents([ex])
    return ex


def _arm_key(arm: Arm | None) -> str | None:
    return arm.drug.key if arm is not None and arm.drug is not None else None


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def sample(request: pytest.FixtureRequest) -> tuple[dict[str, Any], loaders.DocumentExtraction]:
    return EXPECTED[request.param], _extract(request.param)


def test_metadata(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    if "title" in want:
        assert ex.title == want["title"]
    if "date" in want:
        assert ex.date == want["date"]
    if "problem" in want:
        assert any(want["problem"] in p for p in ex.problems)


def test_approvals(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    assert ex.claims is not None
    got = ex.claims.approvals
    assert len(got) == len(want.get("approvals", [])), [
        (a.indication.key, a.min_age, a.date) for a in got
    ]
    for w in want.get("approvals", []):
        match = [
            a
            for a in got
            if a.agency.key == w["agency"]
            and a.drug.key == w["drug"]
            and a.indication.key == w["indication"]
            and a.min_age == w.get("min_age")
            and a.date.startswith(w["date"])
        ]
        assert match, f"missing approval {w}"
        a = match[0]
        if "product" in w:
            assert a.product is not None and a.product.key == w["product"]
        if "kind" in w:
            assert a.kind == w["kind"]
        if "based_on" in w:
            assert a.based_on is not None and a.based_on.label == w["based_on"]


def test_studies_and_arms(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    assert ex.claims is not None
    studies = {s.label: s for s in ex.claims.studies}
    assert set(studies) == {w["label"] for w in want.get("studies", [])}
    for w in want.get("studies", []):
        s = studies[w["label"]]
        assert s.nct_id == w.get("nct", s.nct_id)
        assert s.phase == w.get("phase", s.phase)
        assert set(w.get("designs", [])) <= s.designs
        for key, attr in (
            ("enrollment", "enrollment"),
            ("min_age", "min_age"),
            ("max_age", "max_age"),
            ("ratio", "allocation_ratio"),
        ):
            if key in w:
                assert getattr(s, attr) == w[key], (s.label, key)
    arms = {
        f"{s.label}: {_arm_key(a)} {a.strength} {a.frequency}"
        for s in ex.claims.studies
        for a in s.arms
    }
    for line in want.get("arms", []):
        assert line in arms, arms


def test_efficacy(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    assert ex.claims is not None
    got = [
        (
            r.studies[0].label if r.studies else None,
            _arm_key(r.arm),
            r.endpoint.key,
            r.timepoint,
            r.value,
            r.value_max,
        )
        for r in ex.claims.efficacy
    ]
    expected = [tuple(row) for row in want.get("efficacy", [])]
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_safety(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    assert ex.claims is not None
    got = ex.claims.safety
    for study, text, patients, percent, negated in want.get("safety", []):
        assert any(
            f.studies
            and f.studies[0].label == study
            and text in f.event_text.lower()
            and f.patients == patients
            and f.percent == percent
            and f.negated is negated
            for f in got
        ), (study, text, [(f.event_text, f.patients, f.percent, f.negated) for f in got])
    for text in want.get("no_event", []):
        assert not any(text in f.event_text.lower() for f in got)
    assert len(got) <= len(want.get("safety", [])) + 1  # at most one extra (abbreviation echo)


def test_mechanisms(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    want, ex = sample
    assert ex.claims is not None
    got = {(m.drug.key, m.target.key, m.action) for m in ex.claims.mechanisms}
    assert got == {tuple(x) for x in want.get("mechanisms", [])}


def test_passing_mentions_yield_nothing(
    sample: tuple[dict[str, Any], loaders.DocumentExtraction],
) -> None:
    want, ex = sample
    assert ex.claims is not None
    for drug in want.get("absent_drugs", []):
        assert not any(a.drug.key == drug for a in ex.claims.approvals)
        assert not any(m.drug.key == drug for m in ex.claims.mechanisms)
        assert not any(
            a.drug is not None and a.drug.key == drug for s in ex.claims.studies for a in s.arms
        )


def test_evidence_quotes_are_exact(
    sample: tuple[dict[str, Any], loaders.DocumentExtraction],
) -> None:
    _, ex = sample
    for ev in ex.evidence():
        assert ex.text[ev.start : ev.end] == ev.quote
        assert ev.rule


def test_rdf_evidence_selectors(sample: tuple[dict[str, Any], loaders.DocumentExtraction]) -> None:
    _, ex = sample
    g = loaders.to_rdf(ex)
    for ev in g.subjects(RDF.type, DKG.EvidenceSpan):
        selectors = list(g.objects(ev, OA.hasSelector))
        pos = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        assert ex.text[start:end] == str(g.value(quote, OA.exact))
        assert str(ev).endswith(f"/{start}-{end}")
