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


def test_versus_pairs_in_an_events_own_parentheses() -> None:
    """ "herpes zoster (3.1% vs 0.8%)": the trial's arms in the order it introduced them, even
    when an arm named later in the sentence says who had more; "(12.5% vs 3.0% with X)" pairs
    the bare value with the other arm, and a later bare pair follows the same order. A later
    bare restatement of a quantified event ("Acne occurred mostly …") adds nothing; an event
    not quantified before ("Headache was also reported") stays."""
    rows = {_row(f) for f in _safety("safety_pairs.txt")}
    assert rows == {
        ("herpes-zoster", "upadacitinib", 3.1, None, False),
        ("herpes-zoster", "dupilumab", 0.8, None, False),
        ("serious-infection", "upadacitinib", 1.4, None, False),
        ("serious-infection", "dupilumab", 0.4, None, False),
        ("conjunctivitis", "upadacitinib", 2.0, None, False),
        ("conjunctivitis", "dupilumab", 9.5, None, False),
        ("acne", "upadacitinib", 12.5, None, False),
        ("acne", "dupilumab", 3.0, None, False),
        ("nasopharyngitis", "upadacitinib", 8.2, None, False),
        ("nasopharyngitis", "dupilumab", 7.7, None, False),
        ("headache", None, None, None, False),
    }


def test_event_lists_share_one_arm() -> None:
    """A label's "most common adverse reactions" are the drug arm's; "in the tapinarof groups
    were X (a% in S1; b% in S2), Y and Z" gives every event that arm (not the vehicle named in
    the comparison "greater than vehicle") and each value its own study; "Compared with
    vehicle, X was reported more often" gives X no arm (certainly not the vehicle)."""
    findings = _safety("safety_lists.txt")
    rows = {_row(f) for f in findings}
    assert rows == {
        ("headache", "roflumilast", 3.1, None, False),
        ("nausea", "roflumilast", 2.2, None, False),
        ("diarrhea", "roflumilast", 1.2, None, False),
        ("vomiting", "roflumilast", 1.1, None, False),
        ("folliculitis", "tapinarof", 10.3, None, False),
        ("folliculitis", "tapinarof", 9.4, None, False),
        ("headache", "tapinarof", None, None, False),
        ("nasopharyngitis", "tapinarof", None, None, False),
        ("nasopharyngitis", None, None, None, False),
    }
    by_value = {f.percent: [s.label for s in f.studies] for f in findings if f.percent}
    assert by_value[10.3] == ["FOLLIC-1"]
    assert by_value[9.4] == ["FOLLIC-2"]


def test_discontinuation_phrasings_and_negated_events() -> None:
    """ "Withdrawal from the study because of an adverse event (a% with X vs b% with Y)" is a
    discontinuation event per arm, not a generic adverse event; "No X-related adverse events
    resulted in treatment discontinuation" is a negated discontinuation (not "no adverse
    events"); "no reports of allergic contact dermatitis" a negated event; follow-up of
    patients who stopped is no finding."""
    rows = {_row(f) for f in _safety("safety_discontinuation.txt")}
    assert rows == {
        ("discontinuation-due-to-adverse-event", "tapinarof", 2.4, None, False),
        ("discontinuation-due-to-adverse-event", "vehicle", 0.9, None, False),
        ("discontinuation-due-to-adverse-event", None, None, None, True),
        ("contact-dermatitis", None, None, None, True),
    }


def test_counts_deaths_and_descriptive_mentions() -> None:
    """ "0.75% cream: 1 patient" and "One death …", "Two cases of …" are patient counts bound to
    the arm named after them; symptoms describing the disease, a death's explained cause and
    a risk the drug stayed clear of ("levels associated with myelosuppression") are not
    findings."""
    got = {
        (
            f.event.key if f.event is not None else f.event_text,
            f.arm.drug.key if f.arm is not None and f.arm.drug is not None else None,
            f.arm.strength if f.arm is not None else None,
            f.patients,
        )
        for f in _safety("safety_counts.txt")
    }
    assert got == {
        ("application-site-reaction", "ruxolitinib", 1.5, 3),
        ("application-site-reaction", "ruxolitinib", 0.75, 1),
        ("death", "ruxolitinib", 1.5, 1),
        ("herpes-zoster", "vehicle", None, 2),
    }


def test_event_terms_and_negations() -> None:
    """COVID-19, "increased blood creatine phosphokinase", thromboembolic events and
    hand-foot-and-mouth disease are event terms (an abbreviation-like name keeps its number:
    "COVID-19", not "COVID-19s"); "X — … — did not emerge as a signal" and "no increased
    risk of X" are negations; "hands and feet" is no event."""
    findings = _safety("safety_terms.txt")
    assert {_row(f) for f in findings} == {
        ("covid-19", None, None, None, False),
        ("nasopharyngitis", None, None, None, False),
        ("cpk-elevation", None, None, None, False),
        ("conjunctivitis", None, None, None, True),
        ("malignancy", None, None, None, True),
        ("thromboembolism", None, None, None, True),
        ("hand-foot-and-mouth-disease", None, None, 2, False),
    }
    assert "COVID-19" in {f.event_text for f in findings}


def test_elliptical_study_continuation_and_arm_after_negated_list() -> None:
    """ "… in a and b patients in the X and Y groups of S1, and in c and d patients in S2,
    respectively": the second pair repeats the arms, in S2's own arms; "no A or B were
    reported in the X arm" gives both negated events that arm (a death before the comma
    does not get it), and so does "no cases of A were reported with Y." """
    findings = _safety("safety_elliptical.txt")
    got = {
        (
            _row(f),
            tuple(s.label for s in f.studies),
            f.arm is None or any(f.arm is a for s in f.studies for a in s.arms),
        )
        for f in findings
    }
    assert got == {
        (("adverse-event", "delgocitinib", 40.1, 130, False), ("PALM-1",), True),
        (("adverse-event", "vehicle", 43.5, 70, False), ("PALM-1",), True),
        (("adverse-event", "delgocitinib", 35.2, 111, False), ("PALM-2",), True),
        (("adverse-event", "vehicle", 38.4, 61, False), ("PALM-2",), True),
        (("death", None, None, None, True), ("PALM-1", "PALM-2"), True),
        (("mace", "delgocitinib", None, None, True), ("PALM-1", "PALM-2"), True),
        (("venous-thromboembolism", "delgocitinib", None, None, True), ("PALM-1", "PALM-2"), True),
        (("eczema-herpeticum", "vehicle", None, None, True), ("PALM-1", "PALM-2"), True),
    }


def test_mechanism_phrasings() -> None:
    """ "a selective inhibitor of TYK2", "an aryl hydrocarbon receptor agonist", "targets OX40
    ligand", "blocks the IL-31 receptor alpha" (a receptor blocked is antagonised), "a
    pan-JAK inhibitor"; a "binding site" is not a binding verb, and "Unlike JAK inhibitors,
    dupilumab …" states nothing."""
    assert _mechanisms("mechanism_phrasings.txt") == {
        ("deucravacitinib", "TYK2", "Inhibition"),
        ("tapinarof", "AHR", "Agonism"),
        ("amlitelimab", "OX40L", "Inhibition"),
        ("nemolizumab", "IL-31RA", "Antagonism"),
        ("tofacitinib", "JAK", "Inhibition"),
        ("lebrikizumab", "IL-13", "Inhibition"),
    }


def test_efficacy_words_are_not_safety_findings() -> None:
    """Itch as the outcome that improved ("Itching improved by at least 4 points in 45.2%",
    "relief of itching", "itching reduced by 30%", "Pruritus response … in 41%") is efficacy;
    injection site pruritus is an adverse event."""
    assert {_row(f) for f in _safety("safety_efficacy_words.txt")} == {
        ("injection-site-pruritus", "nemolizumab", 2.1, None, False),
    }


def test_pooled_results_belong_to_all_the_studies() -> None:
    """ "In pooled data from S1 and S2, …" and "Across both trials, … a% and b% … in the X and
    Y groups, respectively" are one finding per arm for both studies together ("respectively"
    pairs arms, not studies); a value with its own study after it ("3.0% … in S1 and 2.2% in
    S2") stays that study's even in a pooled set."""
    got = {
        (_row(f), tuple(sorted(s.label for s in f.studies))) for f in _safety("safety_pooled.txt")
    }
    both = ("TWIN-1", "TWIN-2")
    assert got == {
        (("conjunctivitis", "lebrikizumab", 8.5, None, False), both),
        (("injection-site-reaction", "lebrikizumab", 2.6, None, False), both),
        (("injection-site-reaction", "placebo", 1.5, None, False), both),
        (("herpes-zoster", "lebrikizumab", 0.6, None, False), both),
        (("herpes-zoster", "placebo", 0.3, None, False), both),
        (("headache", "lebrikizumab", 3.0, None, False), ("TWIN-1",)),
        (("headache", "lebrikizumab", 2.2, None, False), ("TWIN-2",)),
    }


def test_bare_pairs_with_several_active_arms() -> None:
    """A trial with two doses: "the most common AEs with the 300 mg dose were A (a% vs b%
    with placebo) and B (c% vs d%)" pairs each bare value with the one active arm the
    sentence names, then placebo."""
    got = {
        (f.event.key if f.event else None, f.arm.label if f.arm else None, f.percent)
        for f in _safety("safety_two_doses.txt")
    }
    assert got == {
        ("pyrexia", "rocatinlimab 300 mg Q4W", 11.4),
        ("pyrexia", "placebo Q4W", 2.9),
        ("chills", "rocatinlimab 300 mg Q4W", 5.5),
        ("chills", "placebo Q4W", 0.7),
    }
