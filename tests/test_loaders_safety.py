"""Safety findings and drug–target statements on our own sample documents
(tests/samples/safety_*.txt, tests/samples/mechanism_*.txt): each family of phrasing the
loaders must read, with the expected facts written inline."""

from __future__ import annotations

from pathlib import Path

from dermkg import loaders
from dermkg.loaders.claims import Mechanism, SafetyFinding

SAMPLES = Path(__file__).parent / "samples"


def _extract(name: str) -> loaders.DocumentExtraction:
    ex = loaders.extract_document(SAMPLES / name)
    loaders.link_documents([ex])
    assert ex.claims is not None
    return ex


def _mechanisms(name: str) -> set[tuple[str, str, str]]:
    claims = _extract(name).claims
    assert claims is not None
    got: list[Mechanism] = claims.mechanisms
    return {(m.drug.key, m.target.key, m.action) for m in got}


def _safety(name: str) -> list[SafetyFinding]:
    claims = _extract(name).claims
    assert claims is not None
    return claims.safety


def _row(f: SafetyFinding) -> tuple[str, str | None, float | None, int | None, bool]:
    """(event key or text, arm drug key, percent, patients, negated)"""
    event = f.event.key if f.event is not None else f.event_text
    arm = f.arm.drug.key if f.arm is not None and f.arm.drug is not None else None
    return (event, arm, f.percent, f.patients, f.negated)


def test_binding_verbs_and_target_lists() -> None:
    """A bound or neutralised cytokine is inhibited, a bound receptor antagonised, and a
    binding verb gives way to the sentence's stronger verb for the same target; "(JAK1) and
    JAK2" is one list, "(JAK1)-selective inhibitor" one noun phrase; "inhibitor selective
    for JAK1" and "antibody against …" name targets; a class after ", and several" is not an
    apposition to the drug before it."""
    assert _mechanisms("mechanism_binding.txt") == {
        ("lebrikizumab", "IL-13", "Inhibition"),
        ("tralokinumab", "IL-13", "Inhibition"),
        ("rocatinlimab", "OX40", "Inhibition"),
        ("amlitelimab", "OX40L", "Inhibition"),
        ("dupilumab", "IL-4RA", "Antagonism"),
        ("upadacitinib", "JAK1", "Inhibition"),
        ("ruxolitinib", "JAK1", "Inhibition"),
        ("ruxolitinib", "JAK2", "Inhibition"),
        ("abrocitinib", "JAK1", "Inhibition"),
    }
