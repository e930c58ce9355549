"""Rule families that must carry over to unseen articles, each on several phrasings of our own:
responder thresholds are not results, value lists pair with arm lists in order, doses written
"2-mg", paired values across two trials, words hyphenated across PDF lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import extract_claims
from dermkg import loaders
from dermkg.loaders.claims import Arm
from dermkg.loaders.normalise import normalise

_TRIAL = (
    "ALPHA-7 (NCT01234567) was a randomized, double-blind, placebo-controlled phase 3 trial. "
    "Adults were randomized 1:1:1 to upadacitinib 15 mg, upadacitinib 30 mg or placebo "
    "once daily for 16 weeks.\n"
)


_claims = extract_claims


def _arm(arm: Arm | None) -> str:
    if arm is None:
        return ""
    name = arm.drug.key if arm.drug is not None else arm.drug_text
    return f"{name} {arm.dose}".strip().replace("-", " ")


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, 48.1% of patients on upadacitinib 15 mg reached at least a 75% improvement "
        "in EASI (EASI-75).",
        "A 75% or greater improvement in EASI (EASI-75) at week 16 was seen in 48.1% of "
        "patients on upadacitinib 15 mg.",
        "The proportion achieving a minimum 75% improvement in EASI-75 at week 16 was 48.1% "
        "with upadacitinib 15 mg.",
    ],
)
def test_responder_threshold_is_not_a_result(sentence: str) -> None:
    values = [r.value for r in _claims(_TRIAL + sentence).efficacy]
    assert 48.1 in values
    assert 75.0 not in values


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "EASI-75 at week 16 was achieved by 41.2% and 55.0% of patients in the 15-mg and "
            "30-mg groups compared with 9.8% in the placebo group.",
            {41.2: "upadacitinib 15 mg", 55.0: "upadacitinib 30 mg", 9.8: "placebo"},
        ),
        (
            "IGA 0/1 at week 16 was reported in 30.1%, 44.6% and 6.2% of patients receiving "
            "upadacitinib 15 mg, upadacitinib 30 mg and placebo.",
            {30.1: "upadacitinib 15 mg", 44.6: "upadacitinib 30 mg", 6.2: "placebo"},
        ),
        (
            "EASI-75 at week 16 was achieved by 41.2% and 55.0% of patients on 15mg and 30mg.",
            {41.2: "upadacitinib 15mg", 55.0: "upadacitinib 30mg"},
        ),
    ],
)
def test_value_list_pairs_with_arm_list(sentence: str, want: dict[float, str]) -> None:
    got = {r.value: _arm(r.arm).replace(" ", "") for r in _claims(_TRIAL + sentence).efficacy}
    for value, arm in want.items():
        assert got.get(value) == arm.replace(" ", "")


def test_safety_counts_pair_with_following_group_list() -> None:
    text = _TRIAL + (
        "Adverse events occurred in 80 (52.3%), 91 (59.1%) and 60 (39.5%) patients in the "
        "upadacitinib 15 mg, upadacitinib 30 mg and placebo groups."
    )
    got = {(f.patients, _arm(f.arm).replace(" ", "")) for f in _claims(text).safety}
    assert {(80, "upadacitinib15mg"), (91, "upadacitinib30mg"), (60, "placebo")} <= got


def test_paired_values_of_two_trials_without_respectively() -> None:
    text = (
        "In the BETA-1 and BETA-2 trials, two randomized, vehicle-controlled phase 3 studies, "
        "1249 patients were randomized 2:1 to ruxolitinib cream 1.5% or vehicle cream twice "
        "daily.\n"
        "EASI-75 at week 8 was reached by 62.1% and 61.8% of ruxolitinib-treated patients "
        "versus 24.6% and 14.4% on vehicle."
    )
    got = {
        (r.value, r.studies[0].label if len(r.studies) == 1 else "", _arm(r.arm))
        for r in _claims(text).efficacy
    }
    assert (62.1, "BETA-1", "ruxolitinib") in got
    assert (61.8, "BETA-2", "ruxolitinib") in got
    assert (24.6, "BETA-1", "vehicle") in got
    assert (14.4, "BETA-2", "vehicle") in got


@pytest.mark.parametrize(
    ("wrapped", "joined", "kept"),
    [
        ("patients treated with abro-\ncitinib 200 mg", "abrocitinib", None),
        ("patients given a new tralok-\ninumab regimen", "tralokinumab", None),
        ("a randomized, placebo-\ncontrolled study", None, "placebo-controlled"),
    ],
)
def test_pdf_hyphenation_joins_known_terms_only(
    wrapped: str, joined: str | None, kept: str | None
) -> None:
    line = "This is a long enough line of wrapped abstract text that goes on and on, "
    text = "\n".join([line] * 6) + "\n" + wrapped + " in the\n" + "\n".join([line] * 3)
    out = normalise(text).text
    if joined:
        assert joined in out
    if kept:
        assert kept in out


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        (
            "F-VASI75 at week 24 was reached by 30.2% of patients on ruxolitinib cream 1.5%.",
            "f-vasi75",
        ),
        (
            "A T-VASI50 response at week 24 was seen in 21.0% of patients on ruxolitinib cream "
            "1.5%.",
            "t-vasi50",
        ),
        (
            "ISGA success at day 29 was achieved by 31.0% of patients on ruxolitinib cream 1.5%.",
            "isga-success",
        ),
    ],
)
def test_short_form_endpoints(sentence: str, key: str) -> None:
    text = (
        "GAMMA-2 (NCT07654321) was a randomized, vehicle-controlled phase 3 trial in which "
        "patients were randomized 2:1 to ruxolitinib cream 1.5% or vehicle cream twice daily.\n"
    )
    results = _claims(text + sentence).efficacy
    assert results and {r.endpoint.key for r in results} == {key}


@pytest.mark.parametrize(
    ("sentence", "events"),
    [
        ("Pyrexia was reported in 7.0% of patients and chills in 4.5%.", {"pyrexia", "chills"}),
        (
            "The most common adverse events were vomiting, rhinitis and arthralgia.",
            {"vomiting", "rhinitis", "arthralgia"},
        ),
        (
            "Adverse events included urticaria, myalgia and elevated CPK.",
            {"urticaria", "myalgia", "cpk-elevation"},
        ),
    ],
)
def test_common_adverse_event_terms(sentence: str, events: set[str]) -> None:
    got = {f.event.key for f in _claims(_TRIAL + sentence).safety}
    assert events <= got


@pytest.mark.parametrize(
    "text",
    [
        "Q: Which were the pivotal trials? A: The pivotal trials were XR-201 and XR-202.\n"
        "A: Two identically designed phase 3 trials, randomized two to one and vehicle-controlled.",
        "The key studies were XR-201 and XR-202.\n"
        "Both phase 3 studies were randomized two-to-one, double-blind and vehicle-controlled.",
    ],
)
def test_trials_named_after_a_copula_take_the_next_sentence_attributes(text: str) -> None:
    studies = {s.label: s for s in _claims(text).studies}
    assert {"XR-201", "XR-202"} <= set(studies)
    for name in ("XR-201", "XR-202"):
        assert studies[name].phase == "3"
        assert studies[name].allocation_ratio == "2:1"


@pytest.mark.parametrize(
    ("sentence", "enrol", "ages"),
    [
        (
            "That was SKY CARE 2, an open-label, single-arm phase 4 study in 120 infants aged "
            "3 months to less than 24 months.",
            120,
            (0.25, 2.0),
        ),
        (
            "The data come from NOVA-PED, a multicentre open-label study of 88 children aged "
            "2 to 11 years.",
            88,
            (2.0, 11.0),
        ),
    ],
)
def test_trial_named_in_apposition(sentence: str, enrol: int, ages: tuple[float, float]) -> None:
    studies = _claims(sentence).studies
    assert len(studies) == 1
    s = studies[0]
    assert s.enrollment == enrol
    assert (s.min_age, s.max_age) == ages
    assert "OpenLabelStudy" in s.designs


def _approvals(text: str) -> set[tuple[str, str, float | None, float | None, str]]:
    return {
        (a.agency.key, a.drug.key, a.min_age, a.max_age, a.date) for a in _claims(text).approvals
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Tralokinumab: regulatory history\n\n"
            "Tralokinumab was first approved by the FDA in December 2021 for adults with "
            "moderate-to-severe atopic dermatitis. Approval for adolescents aged 12 to 17 years "
            "followed in December 2023, and for children aged 6 to 11 years in June 2025.",
            {
                ("fda", "tralokinumab", 18.0, None, "2021-12"),
                ("fda", "tralokinumab", 12.0, 17.0, "2023-12"),
                ("fda", "tralokinumab", 6.0, 11.0, "2025-06"),
            },
        ),
        (
            "Upadacitinib: regulatory history\n\n"
            "The UK MHRA was the first regulator to authorise upadacitinib for atopic dermatitis, "
            "in August 2021, for patients 12 years and older. The European Commission followed "
            "in September 2021 for adults.",
            {
                ("mhra", "upadacitinib", 12.0, None, "2021-08"),
                ("european-commission", "upadacitinib", 18.0, None, "2021-09"),
            },
        ),
        (
            "Lebrikizumab: regulatory history\n\n"
            "The FDA approved lebrikizumab for atopic dermatitis in September 2024 for patients "
            "12 years and older.(3) The European Commission approved the 6-month-to-5-year "
            "indication in May 2026.",
            {
                ("fda", "lebrikizumab", 12.0, None, "2024-09"),
                ("european-commission", "lebrikizumab", 0.5, 5.0, "2026-05"),
            },
        ),
    ],
)
def test_approval_follow_ups_inherit_the_drug(
    text: str, want: set[tuple[str, str, float | None, float | None, str]]
) -> None:
    assert want <= _approvals(text)


def test_pending_decision_is_not_an_approval() -> None:
    text = (
        "Nemolizumab: regulatory history\n\n"
        "The FDA approved nemolizumab for prurigo nodularis in August 2024. A decision on "
        "atopic dermatitis in adolescents is expected in 2026."
    )
    got = _approvals(text)
    assert all(d != "2026" for *_, d in got)


def test_label_described_as_indicated_since_a_date() -> None:
    text = (
        "Tapinarof: regulatory history\n\n"
        "The FDA approved tapinarof cream 1% for atopic dermatitis in children aged 2 to 11 "
        "years in December 2024. The cream has been indicated for plaque psoriasis in adults "
        "since May 2022."
    )
    assert ("fda", "tapinarof", 2.0, 11.0, "2024-12") in _approvals(text)


_TABLE_TRIALS = (
    "Upadacitinib evidence brief\n\n"
    "DELTA-A (NCT01111111) and DELTA-B (NCT02222222) were randomized, double-blind, "
    "placebo-controlled phase 3 trials. Patients were randomized 1:1:1 to upadacitinib 15 mg, "
    "upadacitinib 30 mg or placebo once daily.\n\n"
)


@pytest.mark.parametrize(
    "table",
    [
        "Table 1. Results at week 16, % of patients\n"
        "Trial      Endpoint     Upadacitinib 15 mg    Upadacitinib 30 mg    Placebo\n"
        "DELTA-A    EASI-75      70.1                  79.8                  16.3\n"
        "DELTA-B    EASI-75      60.5                  72.9                  13.2\n",
        "Table 3 (flattened). Week 16 responses (%)\n"
        "Trial | Endpoint | Upadacitinib 15 mg | Upadacitinib 30 mg | Placebo\n"
        "DELTA-A | EASI-75 | 70.1 | 79.8 | 16.3\n"
        "DELTA-B | EASI-75 | 60.5 | 72.9 | 13.2\n",
    ],
)
def test_flattened_table_rows_without_percent_signs(table: str) -> None:
    got = {
        (r.studies[0].label, _arm(r.arm).replace(" ", ""), r.value, r.unit, r.timepoint)
        for r in _claims(_TABLE_TRIALS + table).efficacy
        if len(r.studies) == 1
    }
    assert ("DELTA-A", "upadacitinib15mg", 70.1, "%", "week 16") in got
    assert ("DELTA-A", "placebo", 16.3, "%", "week 16") in got
    assert ("DELTA-B", "upadacitinib30mg", 72.9, "%", "week 16") in got


def test_table_numbers_need_a_percent_caption() -> None:
    table = (
        "Table 1. Baseline characteristics\n"
        "Trial      Endpoint     Upadacitinib 15 mg    Upadacitinib 30 mg    Placebo\n"
        "DELTA-A    EASI         29.1                  30.4                  28.8\n"
    )
    assert not [r for r in _claims(_TABLE_TRIALS + table).efficacy if r.value == 29.1]


def test_safety_table_rows_take_the_heading_columns() -> None:
    text = _TABLE_TRIALS + (
        "Safety (DELTA-A; 15 mg n=281, 30 mg n=285, placebo n=281)\n\n"
        "Table 2. Adverse events, n (%)\n"
        "Acne: 27 (9.6) | 49 (17.2) | 6 (2.1)\n"
        "Headache: 15 (5.3) | 14 (4.9) | 12 (4.3)\n"
    )
    got = {
        (f.event.key, _arm(f.arm).replace(" ", ""), f.patients, f.percent)
        for f in _claims(text).safety
    }
    assert ("acne", "upadacitinib15mg", 27, 9.6) in got
    assert ("acne", "upadacitinib30mg", 49, 17.2) in got
    assert ("headache", "placebo", 12, 4.3) in got


_HEAD_TO_HEAD = (
    "Topical versus oral: roflumilast against methotrexate\n\n"
    "In OMEGA-3 (NCT03333333), a randomised, open-label phase 3 trial, 400 adults were "
    "randomised 1:1 to roflumilast cream once daily or methotrexate 15 mg weekly. "
    "Methotrexate is an older systemic option; methotrexate needs blood monitoring and "
    "methotrexate interacts with many drugs.\n"
)


def test_comparator_drug_in_allocation_is_an_arm() -> None:
    studies = _claims(_HEAD_TO_HEAD).studies
    assert {a.drug.key for a in studies[0].arms if a.drug is not None} == {
        "roflumilast",
        "methotrexate",
    }


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        (
            "IGA success at week 16 was achieved by 40.2% of cream users versus 20.1% of "
            "methotrexate users.",
            "efficacy",
        ),
        ("Headache affected 12 (6.0%) versus 30 (15.0%) patients.", "safety"),
        ("IGA success at week 16 was 40.2% versus 20.1%.", "efficacy"),
    ],
)
def test_active_comparator_versus_pairs(sentence: str, kind: str) -> None:
    claims = _claims(_HEAD_TO_HEAD + sentence)
    rows = claims.efficacy if kind == "efficacy" else claims.safety
    got = {
        (getattr(r, "value", None) or getattr(r, "percent", None), _arm(r.arm).split()[0])
        for r in rows
    }
    first = 40.2 if kind == "efficacy" else 6.0
    second = 20.1 if kind == "efficacy" else 15.0
    assert (first, "roflumilast") in got
    assert (second, "methotrexate") in got


def test_stopping_the_drug_because_of_an_adverse_event_is_a_discontinuation() -> None:
    text = _HEAD_TO_HEAD + (
        "Two patients (1.0%) stopped roflumilast because of an adverse event, compared with "
        "14 (7.0%) in the methotrexate group."
    )
    found = [
        f for f in _claims(text).safety if f.event.key == "discontinuation-due-to-adverse-event"
    ]
    assert {(f.percent, _arm(f.arm).split()[0]) for f in found} >= {
        (1.0, "roflumilast"),
        (7.0, "methotrexate"),
    }


def test_the_cream_is_the_drug_named_as_a_cream() -> None:
    text = _HEAD_TO_HEAD + (
        "The cream received marketing authorisation from the European Commission in May 2025 "
        "for adults with atopic dermatitis."
    )
    got = {(a.agency.key, a.drug.key) for a in _claims(text).approvals}
    assert ("european-commission", "roflumilast") in got


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "Dupilumab blocks the shared receptor subunit (IL-4Rα) for interleukin-4 and "
            "interleukin-13.",
            {("dupilumab", "IL-4"), ("dupilumab", "IL-13")},
        ),
        (
            "Delgocitinib is a pan-JAK inhibitor acting on JAK1, JAK2, JAK3 and TYK2.",
            {("delgocitinib", "JAK1"), ("delgocitinib", "TYK2")},
        ),
    ],
)
def test_mechanism_receptor_ligands_and_acting_on(
    sentence: str, want: set[tuple[str, str]]
) -> None:
    head = sentence.split()[0] + " update\n\n"
    got = {(m.drug.key, m.target.key) for m in _claims(head + sentence).mechanisms}
    assert want <= got


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (  # the drug's last mention is inside its own brand parenthetical
            "Upadacitinib (Rinvoq; AbbVie), a once-daily inhibitor of Janus kinase 1, was "
            "compared with placebo.",
            {("upadacitinib", "JAK1")},
        ),
        (  # a family named only to introduce its members
            "Tofacitinib blocks signalling by several members of the Janus kinase family: JAK1 "
            "and JAK3.",
            {("tofacitinib", "JAK1"), ("tofacitinib", "JAK3")},
        ),
        (  # brand parenthetical between the drug and its apposition
            "Difamilast ointment 1% (Moizerto; Medimune), a topical PDE4 inhibitor, is used.",
            {("difamilast", "PDE4")},
        ),
        (
            "Baricitinib inhibits the enzymatic activity of two members of the JAK family "
            "\u2014 JAK1 and JAK2 \u2014 in skin.",
            {("baricitinib", "JAK1"), ("baricitinib", "JAK2")},
        ),
    ],
)
def test_mechanism_brand_parenthetical_and_family_listing(
    sentence: str, want: set[tuple[str, str]]
) -> None:
    head = sentence.split()[0] + " update\n\n"
    got = {(m.drug.key, m.target.key) for m in _claims(head + sentence).mechanisms}
    assert want <= got
    assert not any(m.target.key == "JAK" for m in _claims(head + sentence).mechanisms)


def test_html_list_items_are_read() -> None:
    from dermkg.loaders import html

    page = (
        "<html><head><title>OMEGA-9 results</title></head><body><article>"
        "<h1>Lebrikizumab tops placebo in OMEGA-9</h1>"
        "<p>OMEGA-9 (NCT09999999) was a randomized, double-blind, placebo-controlled phase 3 "
        "study in which 400 adults were randomized 2:1 to lebrikizumab 250 mg every 2 weeks or "
        "placebo. Lebrikizumab is an antibody that binds interleukin-13 and lebrikizumab is "
        "given by injection.</p><h2>Key results at week 16</h2><ul>"
        "<li><strong>EASI-75</strong>: 52.1% vs 18.1%</li>"
        "<li><strong>IGA 0/1</strong>: 43.1% vs 12.7%</li></ul>"
        "<p>Conjunctivitis was more frequent with lebrikizumab than with placebo in the trial, "
        "which also reported no new safety signals over the treatment period.</p>"
        "</article></body></html>"
    )
    mt = html.main_content(page)
    claims, _, _ = loaders.extract_text("page", mt)
    got = {(r.endpoint.key, r.value, _arm(r.arm).split()[0]) for r in claims.efficacy}
    assert ("easi-75", 52.1, "lebrikizumab") in got
    assert ("iga-ts", 12.7, "placebo") in got
    for r in claims.efficacy:  # every quote is the original text at its offsets
        ev = r.evidence[0]
        assert page[ev.start : ev.end] == ev.quote


def test_population_sentence_with_otherwise_indicated_keeps_its_ages() -> None:
    text = (
        "Lebrikizumab trial\n\n"
        "OMEGA-5 (NCT05555555) was a phase 3b/4, randomized, open-label study that enrolled 500 "
        "adolescents and adults aged 12 to 64 years for whom systemic therapy was otherwise "
        "indicated; patients were randomized 1:1 to lebrikizumab or dupilumab."
    )
    s = _claims(text).studies[0]
    assert (s.min_age, s.max_age) == (12.0, 64.0)
    assert s.phase == "3b/4"


def test_versus_after_a_named_comparator_goes_to_the_other_arm() -> None:
    text = _HEAD_TO_HEAD + ("Nausea was more frequent with methotrexate: 30 (15.0%) vs 4 (2.0%).")
    got = {(f.percent, _arm(f.arm).split()[0]) for f in _claims(text).safety}
    assert {(15.0, "methotrexate"), (2.0, "roflumilast")} <= got


@pytest.mark.parametrize(
    "extension",
    [
        "Patients who finished could enter a 52-week open-label extension study, SIGMA-OLE, "
        "where 45.0% were clear or almost clear at week 52.",
        "Participants then rolled over into SIGMA LTE, the long-term extension, where EASI-75 "
        "was maintained by 70.2% at week 56.",
    ],
)
def test_findings_after_an_extension_paragraph_belong_to_the_parent_trial(extension: str) -> None:
    text = (
        "Roflumilast in young children\n\n"
        "SIGMA-PED (NCT04444444) was a randomized, vehicle-controlled phase 3 trial in which 600 "
        "children aged 2 to 5 years were randomized 2:1 to roflumilast cream 0.05% or vehicle.\n\n"
        + extension
        + "\n\nSafety\n\n"
        "The most frequent adverse events were vomiting, rhinitis and pyrexia.\n"
    )
    claims = _claims(text)
    events = [f for f in claims.safety if f.event.key in ("vomiting", "rhinitis", "pyrexia")]
    assert events
    assert all([s.label for s in f.studies] == ["SIGMA-PED"] for f in events)


def test_result_without_timepoint_takes_its_endpoint_definition_and_next_trial_its_outcome() -> (
    None
):
    text = (
        "Crisaborole pivotal data\n\n"
        "The pivotal trials were KAPPA-1 and KAPPA-2, two phase 3 trials, randomized two to one "
        "and vehicle-controlled. Patients applied crisaborole or vehicle twice daily. The primary "
        "endpoint was ISGA success at day 29.\n"
        "In KAPPA-1, ISGA success was 33.1% with crisaborole versus 24.0% with vehicle. "
        "KAPPA-2 separated more: 30.2% versus 17.5%."
    )
    got = {
        (r.studies[0].label, r.endpoint.key, r.timepoint, r.value, _arm(r.arm).split()[0])
        for r in _claims(text).efficacy
        if len(r.studies) == 1 and r.arm is not None
    }
    assert ("KAPPA-1", "isga-success", "day 29", 33.1, "crisaborole") in got
    assert ("KAPPA-2", "isga-success", "day 29", 30.2, "crisaborole") in got
    assert ("KAPPA-2", "isga-success", "day 29", 17.5, "vehicle") in got


def test_placebo_treated_is_an_arm_and_respectively_pairs_with_earlier_arms() -> None:
    text = (
        "Rocatinlimab phase 3\n\n"
        "ZETA-1 (NCT06666666) was a randomized, placebo-controlled phase 3 trial in which 600 "
        "adults were randomized 2:1 to rocatinlimab 300 mg every 4 weeks or placebo. "
        "Rocatinlimab was well tolerated.\n"
        "Pyrexia was reported in 30 (7.5%) rocatinlimab-treated patients and 2 (1.0%) "
        "placebo-treated patients, and chills in 18 (4.5%) and 1 (0.5%), respectively."
    )
    got = {(f.event.key, f.patients, _arm(f.arm).split()[0]) for f in _claims(text).safety}
    assert {
        ("pyrexia", 30, "rocatinlimab"),
        ("pyrexia", 2, "placebo"),
        ("chills", 18, "rocatinlimab"),
        ("chills", 1, "placebo"),
    } <= got


def test_revised_viga_is_read_and_labelled_with_its_short_form() -> None:
    text = _TRIAL + "At week 16, rvIGA-AD 0/1 was achieved by 40.1% versus 9.9%."
    results = _claims(text).efficacy
    assert {r.endpoint.key for r in results} == {"viga-ad"}
    assert "vIGA-AD" in results[0].endpoint.label


@pytest.mark.parametrize(
    ("sentence", "want", "absent"),
    [
        (
            "The least-squares mean change in EASI at week 16 was -15.2 points with upadacitinib "
            "15 mg compared with -6.1 points with placebo.",
            {(-15.2, "upadacitinib"), (-6.1, "placebo")},
            set(),
        ),
        (
            "At week 16, mean EASI improved by 14.0 points with upadacitinib 15 mg; a 4-point or "
            "greater improvement in itch NRS was reached by 52.0% of patients on upadacitinib "
            "15 mg.",
            {(14.0, "upadacitinib"), (52.0, "upadacitinib")},
            {4.0},
        ),
    ],
)
def test_score_changes_in_points(
    sentence: str, want: set[tuple[float, str]], absent: set[float]
) -> None:
    results = _claims(_TRIAL + sentence).efficacy
    got = {(r.value, _arm(r.arm).split()[0] if r.arm else "") for r in results}
    assert want <= got
    assert not absent & {r.value for r in results}
    assert all(r.unit == "point" for r in results if r.value is not None and r.value < 0)


def test_values_followed_by_their_trial_name() -> None:
    text = (
        "Nemolizumab results\n\n"
        "In the OMICRON 1 and OMICRON 2 trials, two randomized phase 3 studies, 1700 patients "
        "were randomized 2:1 to nemolizumab 30 mg every 4 weeks or placebo.\n"
        "EASI-75 rates at week 16 were 43.5% vs 29.0% in OMICRON 1 and 42.1% vs 30.2% in "
        "OMICRON 2."
    )
    got = {
        (r.value, r.studies[0].label, _arm(r.arm).split()[0])
        for r in _claims(text).efficacy
        if len(r.studies) == 1 and r.arm is not None
    }
    assert {
        (43.5, "OMICRON 1", "nemolizumab"),
        (29.0, "OMICRON 1", "placebo"),
        (42.1, "OMICRON 2", "nemolizumab"),
        (30.2, "OMICRON 2", "placebo"),
    } <= got


@pytest.mark.parametrize(
    "sentence",
    [
        "The European Commission approved tralokinumab for adolescents aged 12 to 17 years with "
        "atopic dermatitis in December 2022; a decision for children as young as 6 is expected "
        "next year.",
        "The European Commission approved tralokinumab for adolescents aged 12 to 17 years with "
        "atopic dermatitis in December 2022; an application for younger children is under review.",
    ],
)
def test_pending_clause_does_not_cancel_the_approval_beside_it(sentence: str) -> None:
    got = _approvals("Tralokinumab in Europe\n\n" + sentence)
    assert ("european-commission", "tralokinumab", 12.0, 17.0, "2022-12") in got
    assert all(lo != 6.0 for _, _, lo, _, _ in got)


def test_negated_discontinuation_event_text_stops_at_the_clause() -> None:
    text = _TRIAL + (
        "No patient discontinued due to adverse events in the 15 mg group, and there were no "
        "serious infections."
    )
    texts = {f.event_text for f in _claims(text).safety if f.negated}
    assert "discontinued due to adverse events" in texts


def test_elliptical_value_clause_and_bare_strength_arm() -> None:
    text = (
        "Ruxolitinib cream in children with atopic dermatitis\n\n"
        "In the PI-3 trial, 330 children with atopic dermatitis were randomized 2:2:1 to "
        "ruxolitinib cream 0.75%, ruxolitinib cream 1.5% or vehicle cream twice daily.\n"
        "IGA treatment success at week 8 was 56.5% with the 1.5% strength versus 10.8% with "
        "vehicle, and 36.6% with the 0.75% strength. A clinically meaningful reduction in itch "
        "was seen in 35.0% of those on 1.5% versus 19.4% on vehicle. Lesions covered 3% to 20% "
        "of the body surface area at baseline in patients on 1.5% cream."
    )
    claims = _claims(text)
    got = {(r.value, r.arm.strength if r.arm else None) for r in claims.efficacy}
    assert (36.6, 0.75) in got
    assert (35.0, 1.5) in got
    assert all(r.value != 1.5 for r in claims.efficacy)
    assert {a.strength for s in claims.studies for a in s.arms} <= {0.75, 1.5, None}


def test_reference_list_gives_named_trials_their_nct_ids_and_later_could_keeps_ages() -> None:
    text = (
        "FDA approves ruxolitinib cream for vitiligo\n\n"
        "The approval was based on the RHO-1 and RHO-2 phase 3 trials. In each study, patients "
        "aged 12 years and older with vitiligo were randomized 2:1 to ruxolitinib cream 1.5% or "
        "vehicle cream, after which all patients could continue on ruxolitinib cream.\n\n"
        "References\n"
        "1. ClinicalTrials.gov. RHO-1: NCT01010101; RHO-2: NCT02020202. Accessed July 2022.\n"
    )
    studies = {s.label: s for s in _claims(text).studies}
    assert studies["RHO-1"].nct_id == "NCT01010101"
    assert studies["RHO-2"].nct_id == "NCT02020202"
    assert studies["RHO-1"].min_age == 12.0


def test_reference_ids_never_create_studies() -> None:
    text = _TRIAL + (
        "\nReferences\n1. Smith J. Another trial, OTHER-9 (NCT09090909). J Dermatol. 2021.\n"
    )
    assert "OTHER-9" not in {s.label for s in _claims(text).studies}


def test_dose_in_parentheses_after_the_drug_belongs_to_its_arm() -> None:
    text = (
        "Head to head\n\n"
        "PSI-4 (NCT04040404) was a randomized, open-label phase 3 study in which 600 adults were "
        "randomized 1:1 to upadacitinib 15 mg once daily or to dupilumab given per label "
        "(300 mg every other week after a 600 mg loading dose)."
    )
    arms = {(a.drug.key, a.dose, a.frequency) for a in _claims(text).studies[0].arms if a.drug}
    assert ("dupilumab", "300 mg", "every 2 weeks") in arms
    assert all(dose != "600 mg" for _, dose, _ in arms)


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        (
            "Platelet counts fell slightly, without clinically significant bleeding events.",
            "bleeding",
        ),
        ("There were no clinically relevant herpes zoster cases.", "herpes-zoster"),
    ],
)
def test_negation_across_clinical_qualifiers(sentence: str, event: str) -> None:
    found = [f for f in _claims(_TRIAL + sentence).safety if f.event.key == event]
    assert found and all(f.negated for f in found)


def test_composite_endpoint_is_named_by_its_first_component() -> None:
    text = _TRIAL + (
        "The primary endpoint (simultaneous EASI-90 and itch NRS 0/1) at week 16 was met by "
        "28.1% with upadacitinib 15 mg vs 9.5% with placebo."
    )
    assert {r.endpoint.key for r in _claims(text).efficacy} == {"easi-90"}


def test_value_then_verb_endpoint_and_clause_timepoints() -> None:
    text = _TRIAL + (
        "At week 16, 62.1% of patients on upadacitinib 15 mg achieved EASI-75 and 46.0% achieved "
        "an IGA score of 0 or 1; at week 52 the proportions were higher."
    )
    got = {(r.value, r.endpoint.key, r.timepoint) for r in _claims(text).efficacy}
    assert (62.1, "easi-75", "week 16") in got
    assert (46.0, "iga-ts", "week 16") in got


def test_injection_site_event_is_not_a_dosage_form() -> None:
    text = _TRIAL + "Conjunctivitis occurred in 5.8% and injection-site pain in 2.4% of patients."
    claims = _claims(text)
    assert all(a.strength is None for s in claims.studies for a in s.arms)
    assert {"conjunctivitis", "injection-site-pain"} <= {f.event.key for f in claims.safety}


@pytest.mark.parametrize(
    ("extra", "want"),
    [
        ("Crisaborole ointment 2% was approved by the FDA for atopic dermatitis in 2016.", 2.0),
        ("Crisaborole ointment 2% and a crisaborole 1% gel are both in development.", None),
    ],
)
def test_arm_takes_the_documents_only_strength_for_its_drug(extra: str, want: float | None) -> None:
    text = (
        "Crisaborole revisited\n\n"
        + extra
        + " In the XI-1 trial, 700 patients with atopic dermatitis were randomized 2:1 and "
        "applied crisaborole or vehicle twice daily."
    )
    arms = [
        a for s in _claims(text).studies for a in s.arms if a.drug and a.drug.key == "crisaborole"
    ]
    assert arms and all(a.strength == want for a in arms)


_THREE_ARMS = (
    "KESTREL-2 (NCT01234599) was a randomized, double-blind, placebo-controlled phase 3 trial. "
    "Adolescents were randomized 1:1:1 to tofacitinib 10 mg, tofacitinib 5 mg or placebo once "
    "daily for 12 weeks.\n"
    "At week 12, an IGA score of 0 or 1 was reached by 51.0%, 40.2% and 12.5% of patients "
    "given tofacitinib 10 mg, tofacitinib 5 mg and placebo, respectively. "
)


@pytest.mark.parametrize(
    "follow_up",
    [
        "EASI-75 response rates were 66.1%, 58.3% and 20.4%.",
        "Rates of EASI-75 at week 12 were 66.1%, 58.3% and 20.4%.",
        "For EASI-75, the proportions were 66.1%, 58.3%, and 20.4%.",
    ],
)
def test_elliptical_value_list_takes_the_previous_sentences_arms(follow_up: str) -> None:
    """A list of values naming no arm, as long as the previous sentence's arm list, pairs
    with those arms in order."""
    got = {
        r.value: _arm(r.arm)
        for r in _claims(_THREE_ARMS + follow_up).efficacy
        if r.endpoint.key == "easi-75"
    }
    assert got == {66.1: "tofacitinib 10 mg", 58.3: "tofacitinib 5 mg", 20.4: "placebo"}


def test_elliptical_value_list_of_another_length_names_no_arm() -> None:
    got = {
        r.value: r.arm
        for r in _claims(_THREE_ARMS + "EASI-75 response rates were 66.1% and 58.3%.").efficacy
        if r.endpoint.key == "easi-75"
    }
    assert got == {66.1: None, 58.3: None}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "In KESTREL-3, the end point was met by 30 (25.0%) patients on tofacitinib 10 mg, "
            "22 (18.3%) on 5 mg and 9 (7.5%) on placebo.",
            "In KESTREL-4 the corresponding figures were 28 (23.1%), 20 (16.7%) and 8 (6.6%).",
        ),
        (
            "In KESTREL-3, this endpoint was achieved by 25.0% with tofacitinib 10 mg, 18.3% "
            "with 5 mg and 7.5% with placebo.",
            "The corresponding proportions in KESTREL-4 were 23.1%, 16.7% and 6.6%.",
        ),
    ],
)
def test_corresponding_figures_take_the_previous_outcome_and_arms(first: str, second: str) -> None:
    text = (
        "KESTREL-3 (NCT01234511) and KESTREL-4 (NCT01234512) were randomized, placebo-controlled "
        "phase 3 trials in which adults were randomly assigned 1:1:1 to tofacitinib 10 mg, "
        "tofacitinib 5 mg or placebo once daily.\n"
        "The primary end point was the proportion of patients with an IGA score of 0 or 1 at "
        f"week 16. {first} {second}"
    )
    got = {
        (r.studies[0].label, r.value, _arm(r.arm), r.endpoint.key, r.timepoint)
        for r in _claims(text).efficacy
        if len(r.studies) == 1
    }
    for study, values in (("KESTREL-3", (25.0, 18.3, 7.5)), ("KESTREL-4", (23.1, 16.7, 6.6))):
        for value, arm in zip(
            values, ("tofacitinib 10 mg", "tofacitinib 5 mg", "placebo"), strict=True
        ):
            assert (study, value, arm, "iga-ts", "week 16") in got


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "The panel reviewed the twin phase 3 Bright Sky 1 and Bright Sky 2 monotherapy "
            "studies, which randomized adults to upadacitinib or placebo.",
            {"Bright Sky 1", "Bright Sky 2"},
        ),
        (
            "In the head-to-head Clear Path study, upadacitinib was compared with dupilumab.",
            {"Clear Path"},
        ),
        (
            "The 3-year Marigold study, an open-label trial, randomized 900 infants to "
            "pimecrolimus cream 1% or a topical corticosteroid.",
            {"Marigold"},
        ),
    ],
)
def test_title_case_trial_names(sentence: str, names: set[str]) -> None:
    assert {s.label for s in _claims(sentence).studies if s.named} == names


@pytest.mark.parametrize(
    "sentence",
    [
        "In the Japanese study, 120 adults were randomized to dupilumab or placebo.",
        "The Phase 3 study randomized 300 adults to dupilumab or placebo.",
        "The Dupixent study randomized 300 adults to dupilumab or placebo.",
        "Results of the Bright Sky studies were presented at the congress.",
    ],
)
def test_title_case_words_that_are_not_trial_names(sentence: str) -> None:
    assert not [s.label for s in _claims(sentence).studies if s.named]


def test_boxed_warning_events_are_not_findings() -> None:
    text = _TRIAL + (
        "Upadacitinib carries a boxed warning for serious infections, malignancy and "
        "thrombosis. Acne was reported more often with upadacitinib, and no increase in "
        "venous thromboembolism was observed."
    )
    got = {(f.event.key if f.event else f.event_text, f.negated) for f in _claims(text).safety}
    assert ("acne", False) in got
    assert ("venous-thromboembolism", True) in got
    assert not {k for k, _ in got} & {"serious-infection", "malignancy", "thrombosis"}


_TWIN = (
    "The review covers the twin phase 3 Bright Sky 1 and Bright Sky 2 monotherapy studies. "
    "Participants were randomly assigned 1:1:1 to upadacitinib 15 mg, upadacitinib 30 mg, or "
    "placebo taken once daily.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, a validated IGA of clear or almost clear was attained by 48.1% and 62.0% "
        "of patients on the two doses in Bright Sky 1 vs 8.4% on placebo, and by 38.8% and "
        "52.0% vs 4.7% in Bright Sky 2.",
        "At week 16, IGA 0/1 was reached by 48.1% and 62.0% with both doses in Bright Sky 1 "
        "versus 8.4% with placebo; in Bright Sky 2, the figures were 38.8%, 52.0% and 4.7%.",
    ],
)
def test_collective_doses_and_parallel_clauses(sentence: str) -> None:
    got = {
        (r.studies[0].label, r.value): _arm(r.arm)
        for r in _claims(_TWIN + sentence).efficacy
        if len(r.studies) == 1
    }
    assert got == {
        ("Bright Sky 1", 48.1): "upadacitinib 15 mg",
        ("Bright Sky 1", 62.0): "upadacitinib 30 mg",
        ("Bright Sky 1", 8.4): "placebo",
        ("Bright Sky 2", 38.8): "upadacitinib 15 mg",
        ("Bright Sky 2", 52.0): "upadacitinib 30 mg",
        ("Bright Sky 2", 4.7): "placebo",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Simultaneous achievement of EASI-90 and an itch NRS of 0 or 1 at week 16 occurred in "
        "19.9% of upadacitinib-treated patients vs 8.9% of those on dupilumab.",
        "Combined attainment of EASI-90 and itch NRS 0/1 at week 16 was seen in 19.9% with "
        "upadacitinib and 8.9% with dupilumab.",
    ],
)
def test_composite_achievement_is_named_by_its_first_component(sentence: str) -> None:
    text = "In the head-to-head Clear Path study, upadacitinib was compared with dupilumab. "
    assert {r.endpoint.key for r in _claims(text + sentence).efficacy} == {"easi-90"}


_TWO_TRIALS_ONE_DOSE = (
    "Approval rested on HERON 1 (NCT01234521) and HERON 2 (NCT01234522), in which adults were "
    "randomized 3:1 to tralokinumab 300 mg every 2 weeks or placebo.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, 15.8% and 22.2% of tralokinumab-treated patients reached IGA 0/1 vs 7.1% "
        "and 10.9% on placebo; EASI-75 rates were 25.0% and 33.2% vs 12.7% and 11.4%.",
        "At week 16, IGA 0/1 was reached by 15.8% and 22.2% of patients on tralokinumab versus "
        "7.1% and 10.9% with placebo; for EASI-75 the rates were 25.0% and 33.2% versus 12.7% "
        "and 11.4%.",
    ],
)
def test_second_clause_repeats_the_arms_of_the_first(sentence: str) -> None:
    got = {
        (r.studies[0].label, r.endpoint.key, r.value): _arm(r.arm).split()[0]
        for r in _claims(_TWO_TRIALS_ONE_DOSE + sentence).efficacy
        if len(r.studies) == 1
    }
    assert got == {
        ("HERON 1", "iga-ts", 15.8): "tralokinumab",
        ("HERON 2", "iga-ts", 22.2): "tralokinumab",
        ("HERON 1", "iga-ts", 7.1): "placebo",
        ("HERON 2", "iga-ts", 10.9): "placebo",
        ("HERON 1", "easi-75", 25.0): "tralokinumab",
        ("HERON 2", "easi-75", 33.2): "tralokinumab",
        ("HERON 1", "easi-75", 12.7): "placebo",
        ("HERON 2", "easi-75", 11.4): "placebo",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "EASI-75 was reached by 28.6% and 27.8% of tralokinumab-treated adolescents, "
        "respectively, vs 6.4% of placebo recipients.",
        "At week 16, EASI-75 was achieved by 28.6% and 27.8% of patients on tralokinumab, "
        "respectively, compared with 6.4% on placebo.",
    ],
)
def test_respectively_with_a_drug_named_without_dose(sentence: str) -> None:
    text = (
        "HERON 6 (NCT01234526) randomized 289 adolescents 1:1:1 to tralokinumab 150 mg, "
        "tralokinumab 300 mg or placebo every 2 weeks for 16 weeks. " + sentence
    )
    got = {r.value: _arm(r.arm) for r in _claims(text).efficacy}
    assert got == {28.6: "tralokinumab 150 mg", 27.8: "tralokinumab 300 mg", 6.4: "placebo"}


@pytest.mark.parametrize(
    ("phrase", "lo", "hi"),
    [
        ("483 patients between 2 and 17 years of age were randomized", 2, 17),
        ("participants ranging from 6 to 11 years of age were enrolled", 6, 11),
        ("children 2 to younger than 12 years were enrolled", 2, 12),
        ("infants from 3 months to 2 years old were included", 0.25, 2),
    ],
)
def test_age_ranges_without_aged(phrase: str, lo: float, hi: float) -> None:
    from dermkg.loaders import patterns as P

    ages = P.find_ages(phrase)
    assert ages and (ages[0].value, ages[0].value_max) == (lo, hi)


def test_duration_between_years_is_not_an_age() -> None:
    from dermkg.loaders import patterns as P

    assert not P.find_ages("Patients were followed for between 2 and 5 years after treatment.")


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "The twin phase 3 WREN 1 and WREN 2 studies enrolled 847 and 836 adolescents and "
            "adults, respectively.",
            {"WREN 1": 847, "WREN 2": 836},
        ),
        (
            "The program comprised WREN 1 (NCT01234531) and WREN 2 (NCT01234532). Six hundred "
            "twenty-four and 615 adults, respectively, were randomly assigned 2:1 to "
            "baricitinib 4 mg or placebo.",
            {"WREN 1": 624, "WREN 2": 615},
        ),
    ],
)
def test_enrolment_respectively_per_study(sentence: str, want: dict[str, int]) -> None:
    got = {s.label: s.enrollment for s in _claims(sentence).studies if s.named}
    assert got == want


def test_design_before_one_name_is_that_studys_only() -> None:
    text = (
        "Approval was supported by the SWIFT-1 (NCT01234541) and SWIFT-2 (NCT01234542) phase 3 "
        "trials, along with the open-label SWIFT-LTE extension.\n"
        "The 2 randomized, double-blind, vehicle-controlled trials enrolled 1200 patients aged "
        "6 years and older. They were randomly assigned 2:1 to roflumilast cream 0.15% or "
        "vehicle."
    )
    got = {s.label: s for s in _claims(text).studies}
    for name in ("SWIFT-1", "SWIFT-2"):
        assert "OpenLabelStudy" not in got[name].designs
        assert {"RandomizedControlledTrial", "DoubleBlindStudy"} <= got[name].designs
        assert got[name].min_age == 6
        assert got[name].allocation_ratio == "2:1"
    assert "OpenLabelStudy" in got["SWIFT-LTE"].designs
    assert got["SWIFT-LTE"].min_age is None


def test_a_program_still_to_come_gives_no_population() -> None:
    text = (
        "In the head-to-head Clear Path study, upadacitinib was compared with dupilumab. "
        "Looking ahead, a pediatric program in children 2 to younger than 12 years is under way."
    )
    got = {s.label: (s.min_age, s.max_age) for s in _claims(text).studies}
    assert got == {"Clear Path": (None, None)}


def _approval_rows(text: str) -> set[tuple[str, str, str, float | None, str, str]]:
    return {
        (
            a.drug.key,
            a.agency.key,
            a.indication.key,
            a.min_age,
            a.date[:7],
            a.based_on.label if a.based_on else "",
        )
        for a in _claims(text).approvals
    }


@pytest.mark.parametrize(
    "basis",
    [
        "In adults, approval rested on KITE 1 (NCT01234551), in which patients were randomized "
        "3:1 to tralokinumab or placebo.",
        "The adult approval drew on KITE 1 (NCT01234551), a randomized placebo-controlled trial.",
    ],
)
def test_basis_sentence_goes_to_the_approval_of_its_population(basis: str) -> None:
    text = (
        "FDA expands tralokinumab label to adolescents\n\n"
        "Key takeaways:\n- Approval was based on the KITE 6 trial.\n\n"
        "The FDA approved tralokinumab for moderate to severe atopic dermatitis in adolescents "
        "aged 12 to 17 years on December 18, 2023. Tralokinumab was first approved in December "
        "2021 for adults with atopic dermatitis.\n\n"
        "KITE 6 (NCT01234556) randomized 289 adolescents 1:1 to tralokinumab or placebo.\n\n"
        + basis
    )
    got = _approval_rows(text)
    assert ("tralokinumab", "fda", "atopic-dermatitis", 12.0, "2023-12", "KITE 6") in got
    assert ("tralokinumab", "fda", "atopic-dermatitis", 18.0, "2021-12", "KITE 1") in got


@pytest.mark.parametrize(
    "sentence",
    [
        "It was approved by the European Commission in November 2023 and by the FDA on "
        "September 13, 2024 for patients 12 years of age and older with atopic dermatitis.",
        "Lebrikizumab was authorised by the European Commission in November 2023, and approved "
        "by the FDA in September 2024, for atopic dermatitis in patients aged 12 years and older.",
    ],
)
def test_one_approval_per_agency_with_its_own_date(sentence: str) -> None:
    text = (
        "Lebrikizumab update\n\nLebrikizumab is an IL-13 antibody for atopic dermatitis. "
        + sentence
    )
    got = {(d, ag, date) for d, ag, _, _, date, _ in _approval_rows(text)}
    assert got == {
        ("lebrikizumab", "european-commission", "2023-11"),
        ("lebrikizumab", "fda", "2024-09"),
    }


def test_earlier_clearance_with_a_wordy_object() -> None:
    text = (
        "Nemolizumab news\n\n"
        "The FDA approved nemolizumab for moderate-to-severe atopic dermatitis in patients aged "
        "12 years and older on December 13, 2024. The agency had already cleared the "
        "subcutaneous injection for adults with prurigo nodularis in August 2024."
    )
    got = {(ind, date) for _, _, ind, _, date, _ in _approval_rows(text)}
    assert got == {("atopic-dermatitis", "2024-12"), ("prurigo-nodularis", "2024-08")}


def test_a_drug_opening_an_approval_sentence_with_agency_and_date() -> None:
    text = (
        "Roflumilast news\n\n"
        "Roflumilast cream is now approved by the FDA for atopic dermatitis in patients aged 6 "
        "years and older (July 2024). Roflumilast is a PDE4 inhibitor; roflumilast is applied "
        "once daily. Crisaborole ointment 2% (Eucrisa), also a PDE4 inhibitor, gained an expanded "
        "FDA label in March 2020 covering patients as young as 3 months with atopic dermatitis. "
        "Crisaborole has also been approved for older children."
    )
    got = {(d, a, date) for d, _, _, a, date, _ in _approval_rows(text)}
    assert ("crisaborole", 0.25, "2020-03") in got
    assert not any(d == "crisaborole" and date != "2020-03" for d, _, date in got)


@pytest.mark.parametrize(
    "text",
    [
        "[01:43] In the phase 3 OSPREY-3 trial (NCT number NCT01234561), 289 participants 12 "
        "years of age and older were randomly assigned in a 1:1 ratio to crisaborole ointment 2% "
        "or vehicle.",
        "At 10:15 the panel turned to OSPREY-3 (ClinicalTrials.gov identifier: NCT01234561), in "
        "which 289 patients aged 12 years and older were randomly allocated 1:1 to crisaborole "
        "ointment 2% or vehicle.",
    ],
)
def test_video_timestamps_labelled_ids_and_randomised_counts(text: str) -> None:
    studies = [s for s in _claims("Video summary\n\n" + text).studies if s.named]
    assert [(s.label, s.nct_id, s.enrollment, s.allocation_ratio) for s in studies] == [
        ("OSPREY-3", "NCT01234561", 289, "1:1")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In the ROOK 1 (NCT01234571) and ROOK 2 (NCT01234572) trials, adults were randomized 2:1 "
        "to lebrikizumab 250 mg every 2 weeks or placebo; EASI-75 at week 16 was reached by "
        "58.8% vs 16.2% and 52.1% vs 18.1% of patients, respectively.",
        "In ROOK 1 (NCT01234571) and ROOK 2 (NCT01234572), patients were randomized 2:1 to "
        "lebrikizumab 250 mg every 2 weeks or placebo; at week 16, EASI-75 rates were 58.8% "
        "versus 16.2% and 52.1% versus 18.1%, respectively.",
    ],
)
def test_results_clause_after_a_randomisation_clause(sentence: str) -> None:
    got = {
        (r.studies[0].label, r.value, _arm(r.arm).split()[0])
        for r in _claims("Lebrikizumab review\n\n" + sentence).efficacy
        if len(r.studies) == 1
    }
    assert got == {
        ("ROOK 1", 58.8, "lebrikizumab"),
        ("ROOK 1", 16.2, "placebo"),
        ("ROOK 2", 52.1, "lebrikizumab"),
        ("ROOK 2", 18.1, "placebo"),
    }


def test_randomisation_sentence_alone_gives_no_results() -> None:
    text = (
        "Lebrikizumab review\n\nIn ROOK 1 (NCT01234571), 424 patients with an EASI of at least "
        "16 and 10% or more body surface area were randomized 2:1 to lebrikizumab or placebo."
    )
    assert not _claims(text).efficacy


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 52, EASI-75 was observed in 81.9% of patients and IGA 0/1 in 62.6%.",
        "At week 52, EASI-75 was reached by 81.9% and IGA 0/1 by 62.6% of patients.",
    ],
)
def test_endpoint_named_before_its_value(sentence: str) -> None:
    text = (
        "ROOK-OLE (NCT01234579) was an open-label study in which 206 adolescents received "
        "lebrikizumab. " + sentence
    )
    got = {(r.endpoint.key, r.value) for r in _claims(text).efficacy}
    assert got == {("easi-75", 81.9), ("iga-ts", 62.6)}


_WEEKLY = (
    "The 52-week CORMORANT study (NCT01234581) randomized 740 adults 3:1:3 to dupilumab 300 mg "
    "once weekly, dupilumab 300 mg every 2 weeks, or placebo.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, EASI-75 responses were 64% with weekly dosing and 69% with every-2-week "
        "dosing, compared with 23% with placebo, and improvements were sustained at week 52.",
        "At week 16, EASI-75 was reached by 64% in the once-weekly group and 69% in the "
        "every-other-week group versus 23% with placebo.",
    ],
)
def test_arms_named_by_their_dosing_frequency(sentence: str) -> None:
    claims = _claims(_WEEKLY + sentence)
    arms = {(a.dose, a.frequency) for s in claims.studies for a in s.arms if a.dose}
    assert arms == {("300 mg", "once weekly"), ("300 mg", "every 2 weeks")}
    got = {(r.value, r.arm.frequency if r.arm else None, r.timepoint) for r in claims.efficacy}
    assert got == {
        (64.0, "once weekly", "week 16"),
        (69.0, "every 2 weeks", "week 16"),
        (23.0, "", "week 16"),
    }


def test_a_clause_with_another_subject_is_not_the_sentences_outcome() -> None:
    text = _WEEKLY + (
        "At week 16, EASI-75 was reached by 64% with dupilumab 300 mg once weekly vs 23% with "
        "placebo, and mean itch improved by 48% with dupilumab compared with 9% with placebo."
    )
    assert {r.value for r in _claims(text).efficacy} == {64.0, 23.0}


def test_phase_numeral_is_not_part_of_the_name() -> None:
    text = (
        "The decision was based on the phase III HERON PRESCHOOL trial (NCT01234591), in which "
        "162 children were randomized 1:1 to dupilumab or placebo."
    )
    assert [s.label for s in _claims(text).studies if s.named] == ["HERON PRESCHOOL"]


@pytest.mark.parametrize(
    "text",
    [
        "Poster P12\n"
        "Oral Abrocitinib With Topical Therapy in Adolescents With Atopic\n"
        "Dermatitis: Interim Results From a Phase 3 Study in Europe and Asia\n"
        "INTRODUCTION: Abrocitinib is an oral, once-daily Janus kinase 1\n"
        "(JAK1)-selective inhibitor. Adolescents with atopic dermatitis often\n"
        "respond poorly to topical therapy alone, and data on oral small mol-\n"
        "ecules in this age group remain limited in routine clinical practice\n"
        "and in the published literature on systemic treatment of eczema.\n",
        "News\n\nPovorcitinib, an oral Janus kinase 1 (JAK1)-specific inhibitor, was studied.",
    ],
)
def test_parenthesised_target_symbol_with_hyphenated_selectivity(text: str) -> None:
    got = {(m.target.key, m.action) for m in _claims(text).mechanisms}
    assert got == {("JAK1", "Inhibition")}


def test_bare_doses_listed_after_a_drug_dose_are_its_arms() -> None:
    text = (
        "The approval drew on two phase 3, double-blind, placebo-controlled monotherapy trials, "
        "PIPIT-1 (NCT01234601) and PIPIT-2 (NCT01234602). Six hundred and 615 adults, "
        "respectively, were randomly assigned 2:1:1:1 to placebo or baricitinib 1 mg, 2 mg or "
        "4 mg once daily for 16 weeks."
    )
    claims = _claims(text)
    for s in claims.studies:
        assert {(a.drug.key if a.drug else "", a.dose, a.frequency) for a in s.arms} == {
            ("placebo", "", "once daily"),
            ("baricitinib", "1 mg", "once daily"),
            ("baricitinib", "2 mg", "once daily"),
            ("baricitinib", "4 mg", "once daily"),
        }
        assert {"RandomizedControlledTrial", "PlaceboControlledStudy"} <= s.designs


def test_dose_ranging_list_with_frequencies_and_percent_improvement() -> None:
    text = (
        "KINGLET (NCT01234611) was a phase 2b, randomized, placebo-controlled dose-ranging study. "
        "A total of 390 adults were randomized 1:1:1:1 to amlitelimab 250 mg every 4 weeks, "
        "125 mg every 4 weeks, 62.5 mg every 4 weeks, or placebo.\n"
        "At week 16, the mean percentage improvement in EASI from baseline was 58.1% with 250 mg, "
        "51.4% with 125 mg and 47.2% with 62.5 mg, compared with 29.4% with placebo."
    )
    claims = _claims(text)
    assert {(a.dose, a.frequency) for s in claims.studies for a in s.arms} == {
        ("250 mg", "every 4 weeks"),
        ("125 mg", "every 4 weeks"),
        ("62.5 mg", "every 4 weeks"),
        ("", "every 4 weeks"),
    }
    got = {(r.value, _arm(r.arm), r.endpoint.key) for r in claims.efficacy}
    assert got == {
        (58.1, "amlitelimab 250 mg", "easi-percent-change"),
        (51.4, "amlitelimab 125 mg", "easi-percent-change"),
        (47.2, "amlitelimab 62.5 mg", "easi-percent-change"),
        (29.4, "placebo", "easi-percent-change"),
    }


def test_phase_from_the_section_heading_that_introduces_the_trials() -> None:
    text = (
        "Delgocitinib approved\n\nThe FDA has approved delgocitinib cream for chronic hand "
        "eczema in adults.\n\nPhase 3 evidence\n\nThe approval was supported by the GANNET 1 "
        "(NCT01234621) and GANNET 2 (NCT01234622) trials, which enrolled 960 adults.\n\n"
        "The 36-week GANNET 3 extension enrolled 801 patients from the parent trials."
    )
    got = {s.label: s.phase for s in _claims(text).studies}
    assert got == {"GANNET 1": "3", "GANNET 2": "3", "GANNET 3": ""}


def test_extension_enrolment_design_after_name_and_brand_strength() -> None:
    text = (
        "Tapinarof cream approved\n\n"
        "The FDA has approved VTAMA (tapinarof) cream, 1% for atopic dermatitis in patients "
        "2 years of age and older. The approval is based on results from the PLOVER 1 "
        "(NCT01234631) and PLOVER 2 (NCT01234632) Phase 3 trials and the open-label PLOVER 3 "
        "long-term extension study.\n\n"
        "PLOVER 1 and PLOVER 2 were double-blind, vehicle-controlled studies in which 813 "
        "patients were randomized 2:1 to VTAMA cream or vehicle cream applied once daily.\n\n"
        "In PLOVER 3, 728 patients continued or initiated treatment for up to 48 weeks."
    )
    got = {s.label: s for s in _claims(text).studies}
    assert got["PLOVER 3"].enrollment == 728
    assert got["PLOVER 3"].designs == {"OpenLabelStudy", "LongTermExtensionStudy"}
    for name in ("PLOVER 1", "PLOVER 2"):
        assert not {"OpenLabelStudy", "LongTermExtensionStudy"} & got[name].designs
        assert {(a.drug.key, a.strength) for a in got[name].arms if a.drug} == {
            ("tapinarof", 1.0),
            ("vehicle", None),
        }


def test_a_number_after_a_trial_name_is_not_part_of_the_count() -> None:
    from dermkg.loaders import patterns as P

    assert [m.value for m in P.find_counts("In PLOVER 3, 728 patients continued.")] == [728]
    assert [m.value for m in P.find_counts("a total of 1,337 patients")] == [1337]


def test_mean_reductions_after_the_primary_endpoint_sentence() -> None:
    text = (
        "KINGLET (NCT01234611) was a randomized, placebo-controlled phase 2b trial in which 390 "
        "adults were randomly assigned to amlitelimab 250 mg, 125 mg or placebo, each every "
        "four weeks.\n"
        "The primary end point was percent change in EASI from baseline to week 16. "
        "Least-squares mean reductions were -61.7% with 250 mg and -57.3% with 125 mg, versus "
        "-29.4% with placebo."
    )
    got = {
        (abs(r.value or 0), _arm(r.arm), r.endpoint.key, r.timepoint)
        for r in _claims(text).efficacy
    }
    assert got == {
        (61.7, "amlitelimab 250 mg", "easi-percent-change", "week 16"),
        (57.3, "amlitelimab 125 mg", "easi-percent-change", "week 16"),
        (29.4, "placebo", "easi-percent-change", "week 16"),
    }


def test_pairs_in_the_two_trials_and_similar_results() -> None:
    text = (
        "The approval rested on the phase 3 WIGEON-1 (NCT01234641) and WIGEON-2 (NCT01234642) "
        "trials, in which patients were randomized 2:1 to roflumilast cream 0.15% or vehicle.\n"
        "In WIGEON-1, IGA success at week 4 was achieved by 32.0% of patients on roflumilast "
        "versus 15.2% on vehicle. WIGEON-2 was very similar: 28.9% versus 12.0%. EASI-75 at "
        "week 4 was achieved by 43.2% versus 22.0% and 42.0% versus 19.7% of patients in the "
        "two trials."
    )
    got = {
        (r.studies[0].label, r.endpoint.key, r.value, _arm(r.arm).split()[0])
        for r in _claims(text).efficacy
        if len(r.studies) == 1
    }
    assert {
        ("WIGEON-2", "iga-ts", 28.9, "roflumilast"),
        ("WIGEON-2", "iga-ts", 12.0, "vehicle"),
        ("WIGEON-1", "easi-75", 43.2, "roflumilast"),
        ("WIGEON-1", "easi-75", 22.0, "vehicle"),
        ("WIGEON-2", "easi-75", 42.0, "roflumilast"),
        ("WIGEON-2", "easi-75", 19.7, "vehicle"),
    } <= got


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "The most frequently reported adverse events were COVID-19 and nasopharyngitis.",
            {("covid-19", "COVID-19", False), ("nasopharyngitis", "nasopharyngitis", False)},
        ),
        (
            "Conjunctivitis did not emerge as a signal, and no thrombo-embolic events were "
            "observed.",
            {
                ("conjunctivitis", "Conjunctivitis", True),
                ("thromboembolism", "thrombo-embolic events", True),
            },
        ),
        (
            "Other adverse events included headache and elevations in creatine phosphokinase.",
            {
                ("headache", "headache", False),
                ("cpk-elevation", "elevations in creatine phosphokinase", False),
            },
        ),
    ],
)
def test_safety_event_wordings(sentence: str, want: set[tuple[str, str, bool]]) -> None:
    got = {
        (f.event.key, f.event_text, f.negated) for f in _claims(_TRIAL + sentence).safety if f.event
    }
    assert got == want


def test_no_adverse_event_led_to_discontinuation_is_not_an_absence_of_events() -> None:
    text = _TRIAL + (
        "Hand-foot-and-mouth disease was also noted. No adverse events led to permanent "
        "treatment discontinuation in the active arm."
    )
    got = {(f.event.key if f.event else "", f.negated) for f in _claims(text).safety}
    assert got == {
        ("hand-foot-and-mouth-disease", False),
        ("discontinuation-due-to-adverse-event", True),
    }


def test_the_pediatric_study_is_the_study_named_for_children() -> None:
    text = (
        "Baricitinib in Europe\n\n"
        "The adult approval drew on SKYLARK-AD1 (NCT01234651) and SKYLARK-AD2 (NCT01234652). "
        "The pediatric extension was based on SKYLARK-AD-PEDS (NCT01234653), in which 483 "
        "patients between 2 and 17 years of age were randomized.\n\n"
        "Safety\n\n"
        "Nasopharyngitis and headache were the most frequent adverse events in SKYLARK-AD1. In "
        "the pediatric study, serious infections were not observed."
    )
    got = {(f.studies[0].label, f.event.key, f.negated) for f in _claims(text).safety if f.event}
    assert ("SKYLARK-AD-PEDS", "serious-infection", True) in got
    assert not any(s == "SKYLARK-AD1" and k == "serious-infection" for s, k, _ in got)


def test_events_of_the_disease_named_trials_and_a_dashed_aside() -> None:
    text = (
        "Nemolizumab\n\n"
        "The atopic dermatitis approval was based on CRANE 1 (NCT01234661) and CRANE 2 "
        "(NCT01234662), randomized placebo-controlled phase 3 trials.\n\n"
        "In HERON-PN (NCT01234663), 274 adults with prurigo nodularis were randomized 1:1 to "
        "nemolizumab or placebo.\n\n"
        "In the atopic dermatitis trials, the most common adverse reactions were headache and "
        "arthralgia. Conjunctivitis \u2014 a familiar issue with other biologics \u2014 did not "
        "emerge as a signal."
    )
    got = {
        (tuple(s.label for s in f.studies), f.event.key, f.negated)
        for f in _claims(text).safety
        if f.event
    }
    assert (("CRANE 1", "CRANE 2"), "headache", False) in got
    assert (("CRANE 1", "CRANE 2"), "arthralgia", False) in got
    assert (("CRANE 1", "CRANE 2"), "conjunctivitis", True) in got


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, the mean percent change in EASI from baseline was -50.3% with "
        "upadacitinib 15 mg and -20.1% with placebo.",
        "The least-squares mean percentage change from baseline in EASI at week 16 was "
        "\u221250.3% for upadacitinib 15 mg and \u221220.1% for placebo.",
    ],
)
def test_percent_changes_bind_to_arms_named_after_for(sentence: str) -> None:
    got = {(abs(r.value or 0), _arm(r.arm)) for r in _claims(_TRIAL + sentence).efficacy}
    assert got == {(50.3, "upadacitinib 15 mg"), (20.1, "placebo")}


def test_a_drug_outside_the_vocabulary_is_named_by_its_inn_stem(tmp_path: Path) -> None:
    from rdflib import Literal, URIRef

    from dermkg.namespaces import DKG

    text = (
        "Zelpamab news\n\n"
        "The FDA approved zelpamab on September 1, 2022, for adults with moderate to severe "
        "atopic dermatitis. The expansion was based on CURLEW-2 (NCT01234671), in which 300 "
        "adults were randomized 1:1 to zelpamab 300 mg every 4 weeks or placebo."
    )
    claims = _claims(text)
    assert [
        (a.drug.key, a.date, a.based_on.label if a.based_on else "") for a in claims.approvals
    ] == [("zelpamab", "2022-09-01", "CURLEW-2")]
    assert {(a.drug.key if a.drug else "", a.dose) for s in claims.studies for a in s.arms} == {
        ("zelpamab", "300 mg"),
        ("placebo", ""),
    }
    doc = tmp_path / "zelpamab.txt"
    doc.write_text(text, encoding="utf-8")
    g = loaders.to_rdf(loaders.extract_document(doc))
    drug = URIRef("https://w3id.org/dermkg/resource/drug/zelpamab")
    assert (drug, DKG.linkStatus, Literal("unlinked")) in g
    assert (None, DKG.approvedDrug, drug) in g


_TWO_STRENGTHS = (
    "TOUCAN-3 (NCT01234681) randomized 330 children 2:2:1 to ruxolitinib cream 0.75%, "
    "ruxolitinib cream 1.5% or vehicle cream twice daily for eight weeks.\n"
)


def test_strength_listed_after_a_parenthesised_value_is_an_arm() -> None:
    text = _TWO_STRENGTHS + (
        "At week 8, a greater proportion of patients treated with ruxolitinib cream 1.5% "
        "(56.5%) and 0.75% (36.6%) achieved IGA treatment success compared to vehicle (10.8%)."
    )
    got = {
        (
            r.value,
            r.arm.strength if r.arm else None,
            r.arm.drug.key if r.arm and r.arm.drug else None,
        )
        for r in _claims(text).efficacy
    }
    assert got == {(56.5, 1.5, "ruxolitinib"), (36.6, 0.75, "ruxolitinib"), (10.8, None, "vehicle")}


def test_events_in_the_pooled_drug_groups_have_no_arm() -> None:
    text = _TWO_STRENGTHS + (
        "The most common adverse events in the ruxolitinib groups were upper respiratory tract "
        "infection (4.8%) and pyrexia (2.7%)."
    )
    got = {(f.event.key, f.percent, f.arm) for f in _claims(text).safety if f.event}
    assert got == {("upper-respiratory-tract-infection", 4.8, None), ("pyrexia", 2.7, None)}


def test_alternative_frequencies_confidence_levels_and_maintained_responses() -> None:
    text = (
        "Lebrikizumab maintenance\n\n"
        "PETREL-LTE (NCT01234691) is an open-label extension that enrolled 1,083 patients. "
        "Participants received lebrikizumab 250 mg every 4 weeks (Q4W) or every 2 weeks (Q2W).\n"
        "At week 100, EASI-75 was maintained in 84.7% (95% CI, 79.1-90.3) of patients on the "
        "Q4W regimen and 80.3% of those on Q2W."
    )
    claims = _claims(text)
    assert {(a.dose, a.frequency) for s in claims.studies for a in s.arms} == {
        ("250 mg", "every 4 weeks"),
        ("250 mg", "every 2 weeks"),
    }
    got = {(r.value, r.arm.frequency if r.arm else None) for r in claims.efficacy}
    assert got == {(84.7, "every 4 weeks"), (80.3, "every 2 weeks")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Conjunctivitis was reported in 7.9% of patients (n=86); most cases were mild.",
        "Conjunctivitis was reported in 86 (7.9%) patients; most cases were mild.",
    ],
)
def test_percent_and_count_of_one_event_are_one_finding(sentence: str) -> None:
    got = [
        (f.event.key, f.patients, f.percent) for f in _claims(_TRIAL + sentence).safety if f.event
    ]
    assert got == [("conjunctivitis", 86, 7.9)]


def test_a_combined_phase_name_with_a_slash() -> None:
    text = (
        "Ritlecitinib news\n\nIn the phase 2b/3 MAGPIE-2b/3 trial (NCT01234701), 718 patients "
        "were randomized to ritlecitinib 50 mg or 30 mg daily or placebo."
    )
    got = [(s.label, s.nct_id, s.phase) for s in _claims(text).studies if s.named]
    assert got == [("MAGPIE-2b/3", "NCT01234701", "2b/3")]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "The approval was based on the BE BRAVE I (NCT01234711) and BE BRAVE II (NCT01234712) "
            "phase 3 trials. In BE BRAVE I, 48% of patients achieved HiSCR50 at week 16.",
            {"BE BRAVE I", "BE BRAVE II"},
        ),
        (
            "In the TUFTED-3 trial (NCT01234713) I saw the largest responses; I was impressed.",
            {"TUFTED-3"},
        ),
    ],
)
def test_roman_numeral_trial_names(text: str, names: set[str]) -> None:
    assert {s.label for s in _claims("Review\n\n" + text).studies if s.named} == names


def test_weight_tiered_doses_are_one_arm() -> None:
    text = (
        "In the GREBE trial (NCT01234721), 162 children were randomized 1:1 to weight-tiered "
        "dupilumab (200 mg or 300 mg every 4 weeks) or placebo.\n"
        "At week 16, IGA 0/1 was reached by 28% of children on dupilumab compared with 4% on "
        "placebo. EASI-75 was seen in 53% vs 11%, respectively."
    )
    claims = _claims(text)
    assert (
        len([a for s in claims.studies for a in s.arms if a.drug and a.drug.key == "dupilumab"])
        == 1
    )
    got = {(r.value, r.arm.drug.key if r.arm and r.arm.drug else None) for r in claims.efficacy}
    assert {(53.0, "dupilumab"), (11.0, "placebo")} <= got


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Clear Skies (NCT01112223) was a 24-week, phase 3b, randomized, double-blind trial "
            "comparing tralokinumab with placebo in adults.\n",
            "Clear Skies",
        ),
        (
            "DESIGN AND SETTING  Blue Harbor (NCT02223334) was a phase 3, multicenter, "
            "randomized study of abrocitinib versus placebo.\n",
            "Blue Harbor",
        ),
        (
            "Patients were enrolled in the Quiet Night (NCT03334445), a randomized "
            "vehicle-controlled trial of crisaborole ointment.\n",
            "Quiet Night",
        ),
    ],
)
def test_title_case_name_right_before_an_nct_id(text: str, name: str) -> None:
    studies = _claims(text).studies
    assert [(s.label, s.nct_id) for s in studies if s.nct_id] == [(name, text.split("(")[1][:11])]


@pytest.mark.parametrize(
    "text",
    [
        "The Clinical Trial (NCT01112223) was a randomized study of tralokinumab in adults.\n",
        "Trial Registration (NCT01112223): a randomized study of tralokinumab in adults.\n",
    ],
)
def test_generic_title_words_before_an_nct_id_are_no_name(text: str) -> None:
    studies = [s for s in _claims(text).studies if s.nct_id]
    assert [s.label for s in studies] == ["NCT01112223"]


@pytest.mark.parametrize(
    "text",
    [
        "The approval rested on the phase 3 CALM SKIN KIDS part A trial (NCT04445556), a "
        "randomized, placebo-controlled study that enrolled 212 children.\n",
        "Results came from the CALM SKIN KIDS cohort 2 study (NCT04445556), a randomized, "
        "placebo-controlled study that enrolled 212 children.\n",
        "CALM SKIN KIDS stage B trial (NCT04445556) was a randomized, placebo-controlled study "
        "that enrolled 212 children.\n",
    ],
)
def test_a_part_of_a_named_trial_before_its_nct_id_is_that_trial(text: str) -> None:
    studies = _claims(text).studies
    assert [(s.label, s.nct_id, s.enrollment) for s in studies] == [
        ("CALM SKIN KIDS", "NCT04445556", 212)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "A total of 1,012 patients were randomized (RIVER 1, n = 505; RIVER 2, n = 507).",
        "Overall, 1,012 patients were enrolled (RIVER 1: n=505; RIVER 2: n=507).",
        "In all, 1,012 patients were randomized: RIVER 1, 505 patients; RIVER 2, 507 patients.",
        "A total of 1,012 adults were randomized, RIVER 1 (n = 505) and RIVER 2 (n = 507).",
    ],
)
def test_enrolment_listed_per_trial_with_n_equals(sentence: str) -> None:
    text = (
        "RIVER 1 (NCT05550001) and RIVER 2 (NCT05550002) were randomized, vehicle-controlled "
        "phase 3 trials of tapinarof cream 1% once daily.\n" + sentence + "\n"
    )
    got = {s.label: s.enrollment for s in _claims(text).studies}
    assert got == {"RIVER 1": 505, "RIVER 2": 507}


@pytest.mark.parametrize(
    ("sentence", "drug", "strength"),
    [
        (
            "Patients were randomized 2:1 to delgocitinib cream 20 mg/g (2%) or cream vehicle, "
            "applied twice daily.",
            "delgocitinib",
            2.0,
        ),
        (
            "Participants were randomized 1:1 to roflumilast 1.5 mg/g (0.15%) cream or vehicle "
            "once daily.",
            "roflumilast",
            0.15,
        ),
        (
            "Adults were randomly assigned to ruxolitinib cream 15 mg/g ( 1.5% ) or vehicle "
            "twice daily.",
            "ruxolitinib",
            1.5,
        ),
    ],
)
def test_a_percent_restating_a_concentration_per_gram_is_the_arms_strength(
    sentence: str, drug: str, strength: float
) -> None:
    text = "NOVA 1 (NCT05550011) was a randomized, vehicle-controlled phase 3 trial.\n" + sentence
    arms = {
        (a.drug.key, a.strength)
        for s in _claims(text).studies
        for a in s.arms
        if a.drug is not None and a.drug.key != "vehicle"
    }
    assert arms == {(drug, strength)}


_RIVER_TWIN = (
    "RIVER 1 (NCT05550001) and RIVER 2 (NCT05550002) were randomized, vehicle-controlled "
    "phase 3 trials in which patients were randomized 2:1 to tapinarof cream 1% or vehicle "
    "cream once daily.\n"
)


_RIVER_PAIRS = {
    ("RIVER 1", 41.3): "tapinarof",
    ("RIVER 1", 12.2): "vehicle",
    ("RIVER 2", 44.0): "tapinarof",
    ("RIVER 2", 16.1): "vehicle",
}


def _arm_per_trial_value(sentence: str) -> dict[tuple[str, float | None], str]:
    """(trial, value) -> the drug of the arm, for the single-trial results of the RIVER
    twin document followed by ``sentence``."""
    return {
        (r.studies[0].label, r.value): r.arm.drug.key
        for r in _claims(_RIVER_TWIN + sentence).efficacy
        if len(r.studies) == 1 and r.arm is not None and r.arm.drug is not None
    }


@pytest.mark.parametrize(
    "passing",
    [
        "Long-term data are being collected in the open-label extension trial RIVER 3.",
        "The open-label extension RIVER 3 is ongoing.",
        "Durability is being evaluated in the ongoing extension study RIVER 3.",
    ],
)
def test_a_trial_named_in_passing_as_ongoing_does_not_take_the_next_sentence(
    passing: str,
) -> None:
    text = _RIVER_TWIN + passing + " Tapinarof cream 1% was well tolerated versus vehicle cream.\n"
    arms = {s.label: len(s.arms) for s in _claims(text).studies}
    assert arms == {"RIVER 1": 2, "RIVER 2": 2, "RIVER 3": 0}


@pytest.mark.parametrize(
    "sentence",
    [
        "A separate head-to-head trial of abrocitinib versus dupilumab reported similar results.",
        "Another randomized study compared abrocitinib with dupilumab and found the same.",
        "A different trial of abrocitinib versus tralokinumab is not summarised here.",
    ],
)
def test_a_separate_trial_of_other_drugs_adds_no_arms(sentence: str) -> None:
    text = (
        "Heads Down (NCT05550009) was a randomized, double-blind trial in which adults were "
        "randomized 1:1 to upadacitinib 30 mg once daily or dupilumab 300 mg every 2 weeks.\n"
        + sentence
        + "\n"
    )
    studies = _claims(text).studies
    assert [(s.label, sorted(a.drug.key for a in s.arms if a.drug)) for s in studies] == [
        ("Heads Down", ["dupilumab", "upadacitinib"])
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The session featured results from the phase 3 STORM program of rocatinlimab and "
        "updated phase 2b data for amlitelimab.",
        "Investigators also showed long-term findings on amlitelimab.",
        "Phase 3 readouts (the OCEAN trials for amlitelimab) are expected next year.",
    ],
)
def test_a_drug_a_report_is_about_is_no_arm(sentence: str) -> None:
    text = (
        "STORM-Sky (NCT05550021) was a placebo-controlled phase 3 trial in which adults were "
        "randomized 2:1 to rocatinlimab 300 mg every 4 weeks or placebo.\n" + sentence + "\n"
    )
    arms = {(s.label, a.drug.key) for s in _claims(text).studies for a in s.arms if a.drug}
    assert ("STORM-Sky", "amlitelimab") not in arms
    assert ("STORM-Sky", "rocatinlimab") in arms


_TWO_STRENGTHS = (
    "LAKE-3 (NCT05550031) was a randomized, vehicle-controlled phase 3 study in which children "
    "were randomized 2:2:1 to ruxolitinib cream 0.75%, ruxolitinib cream 1.5% or vehicle cream "
    "twice daily.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 8, EASI-75 was reached by 62.4% (1.5%) and 48.3% (0.75%) vs 14.1% (vehicle).",
        "At week 8, EASI-75 was achieved in 62.4% of the 1.5% group and 48.3% of the 0.75% "
        "group versus 14.1% of the vehicle group.",
        "At week 8, EASI-75 was achieved by 62.4% of the 1.5% arm, 48.3% of the 0.75% arm and "
        "14.1% of the vehicle arm.",
    ],
)
def test_a_strength_alone_names_a_values_arm(sentence: str) -> None:
    got = {
        r.value: (
            r.arm.strength
            if r.arm and r.arm.drug and r.arm.drug.key != "vehicle"
            else (r.arm.drug.key if r.arm and r.arm.drug else None)
        )
        for r in _claims(_TWO_STRENGTHS + sentence).efficacy
    }
    assert got == {62.4: 1.5, 48.3: 0.75, 14.1: "vehicle"}
    assert len(_claims(_TWO_STRENGTHS + sentence).studies[0].arms) == 3


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 8, more patients treated with tapinarof than with vehicle reached IGA 0/1: "
        "41.3% vs 12.2% in RIVER 1 and 44.0% vs 16.1% in RIVER 2 (both P < .001).",
        "IGA 0/1 at week 8 was achieved by patients on tapinarof and on vehicle in "
        "41.3% versus 12.2% in RIVER 1 and 44.0% versus 16.1% in RIVER 2.",
        "At week 8, IGA 0/1 rates with tapinarof and with vehicle were (41.3% vs 12.2% in "
        "RIVER 1; 44.0% vs 16.1% in RIVER 2).",
    ],
)
def test_two_arms_named_before_value_pairs_per_trial(sentence: str) -> None:
    assert _arm_per_trial_value(sentence) == _RIVER_PAIRS


def test_values_after_compared_with_keep_their_own_order() -> None:
    sentence = (
        "Compared with vehicle, patients on tapinarof had higher IGA 0/1 rates at week 8: "
        "41.3% vs 12.2% in RIVER 1."
    )
    got = {
        r.value: r.arm.drug.key
        for r in _claims(_RIVER_TWIN + sentence).efficacy
        if r.arm is not None and r.arm.drug is not None
    }
    assert got == {41.3: "tapinarof", 12.2: "vehicle"}


@pytest.mark.parametrize(
    "listing",
    [
        "In both trials, tapinarof cream met the primary endpoint of IGA 0/1 at week 8:\n\n"
        "  - RIVER 1: 41.3% of tapinarof-treated patients vs 12.2% of vehicle-treated patients\n\n"
        "  - RIVER 2: 44.0% vs 16.1%\n",
        "Both studies reached their primary endpoint, IGA 0/1 at week 8, as follows:\n\n"
        "\u2022 RIVER 1: 41.3% with tapinarof versus 12.2% with vehicle\n\n"
        "\u2022 RIVER 2: 44.0% versus 16.1%\n",
        "IGA 0/1 at week 8 was achieved in each study:\n\n"
        "1. RIVER 1: 41.3% of tapinarof-treated patients vs 12.2% of vehicle-treated patients\n\n"
        "2. RIVER 2: 44.0% vs 16.1%\n",
    ],
)
def test_a_list_under_a_lead_in_takes_its_endpoint_and_timepoint(listing: str) -> None:
    got = {
        (r.studies[0].label, r.value, r.arm.drug.key, r.endpoint.key, r.timepoint)
        for r in _claims(_RIVER_TWIN + "\n" + listing).efficacy
        if len(r.studies) == 1 and r.arm is not None and r.arm.drug is not None
    }
    assert got == {
        ("RIVER 1", 41.3, "tapinarof", "iga-ts", "week 8"),
        ("RIVER 1", 12.2, "vehicle", "iga-ts", "week 8"),
        ("RIVER 2", 44.0, "tapinarof", "iga-ts", "week 8"),
        ("RIVER 2", 16.1, "vehicle", "iga-ts", "week 8"),
    }


def test_a_list_after_a_sentence_without_a_colon_inherits_nothing() -> None:
    text = (
        _RIVER_TWIN
        + "\nIGA 0/1 at week 8 was the primary endpoint.\n\n"
        + "  - RIVER 1: 41.3% of patients were female\n"
    )
    assert [r.value for r in _claims(text).efficacy] == []


_FACE_OFF = (
    "Face Off (NCT05550041) was a randomized, double-blind phase 3b trial. Adults were "
    "randomized 1:1 to upadacitinib 30 mg once daily or dupilumab 300 mg every 2 weeks.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, 250 patients (72.3%) treated with upadacitinib and 205 patients (59.4%) "
        "treated with dupilumab achieved EASI-75.",
        "At week 16, EASI-75 was achieved by 250 of 346 patients (72.3%) receiving upadacitinib "
        "and 205 of 345 patients (59.4%) receiving dupilumab.",
        "At week 16, 250 adult patients (72.3%) on upadacitinib and 205 adult patients (59.4%) "
        "on dupilumab reached EASI-75.",
    ],
)
def test_a_count_and_its_noun_own_the_parenthesised_percent(sentence: str) -> None:
    got = {
        r.value: r.arm.drug.key
        for r in _claims(_FACE_OFF + sentence).efficacy
        if r.arm is not None and r.arm.drug is not None
    }
    assert got == {72.3: "upadacitinib", 59.4: "dupilumab"}


def test_a_drug_before_its_parenthesised_percent_still_owns_it() -> None:
    sentence = (
        "At week 16, EASI-75 was achieved with upadacitinib (72.3%) and with dupilumab (59.4%)."
    )
    got = {
        r.value: r.arm.drug.key
        for r in _claims(_FACE_OFF + sentence).efficacy
        if r.arm is not None and r.arm.drug is not None
    }
    assert got == {72.3: "upadacitinib", 59.4: "dupilumab"}


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, EASI-75 was achieved with upadacitinib (72.3%) and dupilumab (59.4%).",
        "EASI-75 at week 16 was reached by more patients on upadacitinib (72.3%) than "
        "dupilumab (59.4%).",
        "At week 16, EASI-75 response favoured upadacitinib (72.3%) over dupilumab (59.4%).",
    ],
)
def test_a_drug_owns_the_percent_right_after_it(sentence: str) -> None:
    got = {
        r.value: r.arm.drug.key
        for r in _claims(_FACE_OFF + sentence).efficacy
        if r.arm is not None and r.arm.drug is not None
    }
    assert got == {72.3: "upadacitinib", 59.4: "dupilumab"}


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 8, tapinarof outperformed vehicle on IGA 0/1 (41.3% vs 12.2% in RIVER 1; "
        "44.0% vs 16.1% in RIVER 2).",
        "For tapinarof versus vehicle, IGA 0/1 at week 8 was reached by 41.3% vs 12.2% in "
        "RIVER 1 and 44.0% vs 16.1% in RIVER 2.",
        "At week 8, tapinarof was superior to vehicle for IGA 0/1: 41.3% vs 12.2% in RIVER 1 "
        "and 44.0% vs 16.1% in RIVER 2.",
    ],
)
def test_the_first_of_two_compared_drugs_is_an_arm(sentence: str) -> None:
    assert _arm_per_trial_value(sentence) == _RIVER_PAIRS


def test_an_ongoing_trial_introduced_with_its_design_is_in_focus() -> None:
    text = (
        _RIVER_TWIN + "RIVER 4 (NCT05550004), an ongoing trial, randomized 300 adolescents 1:1 to "
        "tapinarof cream 1% or vehicle cream once daily.\n"
        "At week 8, IGA 0/1 was achieved by 40.0% of patients on tapinarof versus 10.0% on "
        "vehicle.\n"
    )
    got = {(r.studies[0].label, r.value) for r in _claims(text).efficacy if len(r.studies) == 1}
    assert got == {("RIVER 4", 40.0), ("RIVER 4", 10.0)}


def test_another_analysis_of_the_study_is_still_about_it() -> None:
    text = (
        "Heads Down (NCT05550009) was a randomized, double-blind trial in which adults were "
        "randomized 1:1 to upadacitinib 30 mg once daily or dupilumab 300 mg every 2 weeks.\n"
        "In another analysis of the study, EASI-90 at week 16 was achieved by 60.2% of patients "
        "on upadacitinib versus 38.9% on dupilumab.\n"
    )
    got = {(r.studies[0].label, r.value) for r in _claims(text).efficacy if r.studies}
    assert got == {("Heads Down", 60.2), ("Heads Down", 38.9)}


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (  # coordinated premodifiers ("potent and selective") between copula and target
            "Difamilast (Moizerto) is a potent and highly selective phosphodiesterase 4 (PDE4) "
            "inhibitor.",
            {("difamilast", "PDE4", "Inhibition")},
        ),
        (  # the phrase premodifies the drug it names
            "Lilly's oral JAK1/JAK2 inhibitor baricitinib was compared with placebo.",
            {("baricitinib", "JAK1", "Inhibition"), ("baricitinib", "JAK2", "Inhibition")},
        ),
        (  # "both …" distributes over the listed drugs; "the oral JAK inhibitors" is a class
            "Secukinumab and ixekizumab, both IL-17A-neutralizing antibodies, and the oral "
            "JAK inhibitors were discussed.",
            {("secukinumab", "IL-17A", "Antagonism"), ("ixekizumab", "IL-17A", "Antagonism")},
        ),
        (  # the drug a "form of" names is not the subject of the next verb
            "Deuruxolitinib is a deuterium-modified analogue of ruxolitinib and acts as an "
            "inhibitor of JAK1 and JAK2.",
            {("deuruxolitinib", "JAK1", "Inhibition"), ("deuruxolitinib", "JAK2", "Inhibition")},
        ),
        (  # "and the … family" continues the target list
            "Ritlecitinib irreversibly inhibits JAK3 and the TEC family of kinases.",
            {("ritlecitinib", "JAK3", "Inhibition"), ("ritlecitinib", "TEC", "Inhibition")},
        ),
        (  # blocking an enzyme is inhibiting it
            "Tofacitinib blocks JAK1 and JAK3 in lymphocytes.",
            {("tofacitinib", "JAK1", "Inhibition"), ("tofacitinib", "JAK3", "Inhibition")},
        ),
    ],
)
def test_mechanism_subjects_lists_and_enzyme_blockade(
    sentence: str, want: set[tuple[str, str, str]]
) -> None:
    head = sentence.split()[0] + " update\n\n"
    got = {(m.drug.key, m.target.key, m.action) for m in _claims(head + sentence).mechanisms}
    assert got == want


def test_arm_column_tables() -> None:
    """Tables whose value columns are arms: a row labelled by a trial takes the caption's
    endpoint and timepoint; a row labelled by an endpoint or an event is about the trial in
    focus; "NR" and "--" cells state nothing; "58.4 (n/N)" under a "%" header and a row
    label "Headache, %" are percentages."""
    ex = loaders.extract_document(Path(__file__).parent / "samples" / "table_arm_columns.txt")
    assert ex.claims is not None
    eff = {
        (r.studies[0].label, _arm(r.arm), r.endpoint.key, r.timepoint, r.value, r.unit)
        for r in ex.claims.efficacy
        if len(r.studies) == 1
    }
    assert {
        ("GLOW-1", "tildrakizumab 100 mg", "pasi-90", "week 12", 41.2, "%"),
        ("GLOW-1", "tildrakizumab 200 mg", "pasi-90", "week 12", 47.5, "%"),
        ("GLOW-1", "placebo", "pasi-90", "week 12", 4.1, "%"),
        ("GLOW-2", "tildrakizumab 100 mg", "pasi-90", "week 12", 38.9, "%"),
        ("GLOW-2", "placebo", "pasi-90", "week 12", 3.0, "%"),
        ("GLOW-3", "secukinumab 300 mg", "pasi-75", "week 16", 77.1, "%"),
        ("GLOW-3", "etanercept 50 mg", "spga-0-1", "week 16", 27.1, "%"),
    } <= eff
    assert not any(r[0] == "GLOW-2" and r[1] == "tildrakizumab 200 mg" for r in eff)  # "NR"
    assert not any(r.value is not None and r.value > 100 for r in ex.claims.efficacy)
    saf = {
        (f.studies[0].label, _arm(f.arm), f.event.key if f.event else "", f.percent)
        for f in ex.claims.safety
    }
    assert ("GLOW-3", "secukinumab 300 mg", "nasopharyngitis", 11.2) in saf
    assert ("GLOW-3", "etanercept 50 mg", "headache", 4.7) in saf
    assert not any(
        f.event is not None
        and f.event.key == "nasopharyngitis"
        and f.arm is not None
        and f.arm.drug is not None
        and f.arm.drug.key == "etanercept"
        for f in ex.claims.safety
    )


def test_definition_asides_and_goal_anaphora() -> None:
    """A number inside an aside that defines the outcome ("—meaning 90% or more …—", "(i.e.
    …)") is no result; "… reached that goal" takes the outcome of the sentence before; two
    outcomes in one sentence keep their own values."""
    text = (
        "Ritlecitinib in alopecia areata\n\n"
        "ALLEGRO-Z (NCT09200001) was a randomized, double-blind phase 3 trial in which 600 "
        "adults were randomized to ritlecitinib 50 mg or placebo.\n\n"
        "The primary endpoint was the proportion of patients with a SALT score of 10 or "
        "less\u2014meaning 90% or more scalp hair coverage\u2014at week 24. In ALLEGRO-Z, 13.4% "
        "of patients on 50 mg reached that goal, vs 1.5% of those on placebo.\n\n"
        "At week 24, itch response was achieved by 48.0% of patients in the ritlecitinib "
        "group versus 19.5% in the placebo group, and IGA success (i.e. a score of 0 or 1 with "
        "a 2-point improvement) by 30.1% versus 9.8%."
    )
    got = {(r.endpoint.key, _arm(r.arm), r.value) for r in _claims(text).efficacy}
    assert {
        ("salt-10", "ritlecitinib 50 mg", 13.4),
        ("salt-10", "placebo", 1.5),
        ("itch-nrs4", "ritlecitinib 50 mg", 48.0),
        ("itch-nrs4", "placebo", 19.5),
        ("iga-ts", "ritlecitinib 50 mg", 30.1),
        ("iga-ts", "placebo", 9.8),
    } <= got
    assert not any(v in (90.0, 0.0, 1.0, 2.0) for _, _, v in got)


@pytest.mark.parametrize(
    "phrase",
    [
        "the most common treatment-related adverse reactions in the crisaborole ointment arm were",
        "the most frequent adverse events in the crisaborole group were",
    ],
)
def test_safety_list_of_the_one_named_arm(phrase: str) -> None:
    """ "the most common adverse reactions in the X arm were A (4.4%) and B (1.2%)": each value
    is the named arm's, though an umbrella term ("adverse reactions") comes before the arm."""
    text = (
        "Crisaborole safety\n\n"
        "CALM-Q (NCT09300001) was a randomized, double-blind phase 3 trial in which 500 "
        "children were randomized 2:1 to crisaborole ointment 2% twice daily or vehicle.\n\n"
        f"In CALM-Q, {phrase} application site pain (4.4%) and application site pruritus "
        "(1.2%)."
    )
    got = {(f.event.key if f.event else "", _arm(f.arm), f.percent) for f in _claims(text).safety}
    assert ("application-site-pain", "crisaborole", 4.4) in got
    assert ("application-site-pruritus", "crisaborole", 1.2) in got
    assert not any(a.startswith("vehicle") for _, a, _ in got)


def test_event_values_stay_in_its_own_parenthesis() -> None:
    """ "headache (6.6% vs 4.4% with placebo) and psoriasis (5.5% vs 0%)": headache keeps
    the values of its own parenthesis; the next item's (a term that is no adverse event in
    the vocabulary) are not headache's."""
    text = (
        "Nemolizumab safety\n\n"
        "PRIMA-Q (NCT09400001) was a randomized, double-blind phase 3 trial in which 280 "
        "adults were randomized to nemolizumab or placebo.\n\n"
        "In PRIMA-Q, the most common adverse events with nemolizumab were headache (6.6% vs "
        "4.4% with placebo) and psoriasis (5.5% vs 0%)."
    )
    got = {
        (_arm(f.arm), f.percent)
        for f in _claims(text).safety
        if f.event is not None and f.event.key == "headache"
    }
    assert got == {("nemolizumab", 6.6), ("placebo", 4.4)}


def test_study_names_before_nct_ids() -> None:
    """ "a third trial, SKY Rise (NCT…)" (an acronym and a title-case word) and "ORBIT PSX-2
    (NCT…; N=640)" name one study each with its NCT id, not a name and a bare id apart."""
    text = (
        "Tapinarof programme\n\n"
        "SKY Lift 1 (NCT09500001) was a randomized, double-blind phase 3 trial of tapinarof "
        "cream 1% once daily versus vehicle in 400 adults with plaque psoriasis. A third "
        "trial, SKY Rise (NCT09500002), tested the same cream in 300 adolescents. A replicate "
        "trial, ORBIT PSX-2 (NCT09500003; N=640), had a similar design."
    )
    studies = {(s.label, s.nct_id) for s in _claims(text).studies}
    assert ("SKY Rise", "NCT09500002") in studies
    assert ("ORBIT PSX-2", "NCT09500003") in studies
    assert not any(label == nct for label, nct in studies)
    enrolled = {s.label: s.enrollment for s in _claims(text).studies}
    assert enrolled["ORBIT PSX-2"] == 640


def test_in_either_study_is_both_studies() -> None:
    """ "No deaths occurred in either study" after two trials were introduced: a negated
    finding about both, not only the study named last."""
    text = (
        "Lebrikizumab trials\n\n"
        "BRIDGE-1 (NCT09600001) and BRIDGE-2 (NCT09600002) were randomized, double-blind "
        "phase 3 trials of lebrikizumab versus placebo in 800 adults with atopic dermatitis.\n\n"
        "In BRIDGE-2, conjunctivitis was reported in 7.5% of lebrikizumab-treated patients. "
        "No deaths occurred in either study."
    )
    deaths = [
        f
        for f in _claims(text).safety
        if f.event is not None and f.event.key == "death" and f.negated
    ]
    assert deaths
    assert {s.label for f in deaths for s in f.studies} == {"BRIDGE-1", "BRIDGE-2"}


def test_none_of_the_events_and_no_such_events() -> None:
    """ "none of the nausea events in the trial led to discontinuation" is a negated
    discontinuation; "two X events occurred with 10 mg; no such events occurred in the 5 mg
    group" is X negated for the 5 mg arm."""
    text = (
        "Abrocitinib in teenagers\n\n"
        "TEEN-Q (NCT09700001) was a randomized, double-blind phase 3 trial in which 300 "
        "adolescents were randomized to abrocitinib 100 mg, abrocitinib 200 mg or placebo.\n\n"
        "In TEEN-Q, none of the nausea events in the trial led to discontinuation. Two "
        "herpes zoster cases occurred, both in patients on 200 mg; no such events occurred in "
        "the 100 mg group."
    )
    safety = _claims(text).safety
    assert any(
        f.negated and f.event is not None and f.event.key.startswith("discontinuation")
        for f in safety
    )
    assert any(
        f.negated
        and f.event is not None
        and f.event.key == "herpes-zoster"
        and _arm(f.arm) == "abrocitinib 100 mg"
        for f in safety
    )


def _mechanisms(text: str) -> set[tuple[str, str, str]]:
    return {(m.drug.key, m.target.key, m.action) for m in _claims(text).mechanisms}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "anti-X" names what an antibody is against, before or after the drug
        (
            "Before this, the anti-IgE antibody omalizumab was the one licensed biologic.",
            {("omalizumab", "IgE", "Antagonism")},
        ),
        (
            "Omalizumab, an anti-IgE monoclonal antibody, is given every four weeks.",
            {("omalizumab", "IgE", "Antagonism")},
        ),
        (
            "A humanised anti-eotaxin antibody, bertilimumab, was tried in a pilot study.",
            {("bertilimumab", "CCL11", "Antagonism")},
        ),
        # a plural class phrase lists its drugs
        (
            "Case reports describe the IL-13 inhibitors tralokinumab and lebrikizumab in "
            "this setting.",
            {("tralokinumab", "IL-13", "Inhibition"), ("lebrikizumab", "IL-13", "Inhibition")},
        ),
        # a "blocker" of a soluble cytokine inhibits it
        (
            "Patients had failed the TNF-alpha blocker adalimumab.",
            {("adalimumab", "TNF", "Inhibition")},
        ),
        # an enzyme named by its short symbol is inhibited when blocked
        (
            "Remibrutinib blocks Bruton's tyrosine kinase in mast cells.",
            {("remibrutinib", "BTK", "Inhibition")},
        ),
        (
            "Benralizumab, which targets the interleukin-5 receptor alpha, depletes eosinophils.",
            {("benralizumab", "IL-5RA", "Inhibition")},
        ),
        # a family introduced by " - " before its members
        (
            "Delgocitinib inhibits all members of the JAK family - JAK1, JAK2, JAK3 and TYK2 - "
            "in keratinocytes.",
            {
                ("delgocitinib", "JAK1", "Inhibition"),
                ("delgocitinib", "JAK2", "Inhibition"),
                ("delgocitinib", "JAK3", "Inhibition"),
                ("delgocitinib", "TYK2", "Inhibition"),
            },
        ),
    ],
)
def test_mechanism_phrasings(text: str, want: set[tuple[str, str, str]]) -> None:
    assert want <= _mechanisms(text)


@pytest.mark.parametrize(
    "text",
    [
        "Anti-drug antibodies were not detected in any patient.",
        "Unlike a JAK inhibitor, dupilumab and tralokinumab are injected.",
    ],
)
def test_mechanism_phrasings_that_state_nothing(text: str) -> None:
    assert not {m for m in _mechanisms(text) if m[1] in {"JAK", "IgE"}}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a programme's trials told apart by a capital letter
        (
            "Trial B (NCT05550001) randomized 210 adults 1:1 to ligelizumab or placebo. "
            "Trial D, a second confirmatory study of 190 patients, used the same protocol.",
            {"Trial B", "Trial D"},
        ),
        (
            "The programme had two parts. Study A (NCT05550002) enrolled 120 children; "
            "a further study, Study E, enrolled adults.",
            {"Study A", "Study E"},
        ),
        # a numbered pair that randomises patients, with no trial noun
        (
            "In HORIZON-AD 1 and HORIZON-AD 2, adolescents were randomized 2:1 to "
            "tapinarof cream or vehicle.",
            {"HORIZON-AD 1", "HORIZON-AD 2"},
        ),
        (
            "Across NOVA 1 and NOVA 2, 640 adults were enrolled and assigned to crisaborole "
            "or vehicle ointment.",
            {"NOVA 1", "NOVA 2"},
        ),
    ],
)
def test_trial_names_without_acronym_cue(text: str, want: set[str]) -> None:
    assert want <= {s.label for s in _claims(text).studies}


@pytest.mark.parametrize(
    "text",
    [
        # a study letter in passing, a numbered pair that randomises nobody, gene pairs
        "See study A in the appendix for details.",
        "Scores in ZONE 1 and ZONE 2 of the scalp were recorded at baseline.",
        "Patients were randomized by JAK 1 and JAK 2 genotype.",
    ],
)
def test_trial_names_not_invented(text: str) -> None:
    labels = {s.label for s in _claims(text).studies}
    assert not labels & {"study A", "ZONE 1", "ZONE 2", "JAK 1", "JAK 2"}


def test_values_follow_numbered_pair_trials() -> None:
    text = (
        "In HORIZON-AD 1 and HORIZON-AD 2, adults were randomized 2:1 to tapinarof 1% once "
        "daily or vehicle. In HORIZON-AD 1, 41.0% of patients on tapinarof reached EASI-75 at "
        "week 8 versus 12.5% on vehicle; HORIZON-AD 2 showed 44.2% vs 15.1%."
    )
    got = {
        (r.studies[0].label, r.value)
        for r in _claims(text).efficacy
        if len(r.studies) == 1 and r.endpoint.key == "easi-75"
    }
    assert got == {
        ("HORIZON-AD 1", 41.0),
        ("HORIZON-AD 1", 12.5),
        ("HORIZON-AD 2", 44.2),
        ("HORIZON-AD 2", 15.1),
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Seborrhoeic dermatitis (SEBD) is common in adults with psoriasis. Psoriasis "
            "trials came first. Roflumilast foam (Zoryve) was approved by the FDA for SEBD in "
            "patients 9 years of age and older in December 2023.",
            ("seborrheic-dermatitis", 9.0),
        ),
        (
            "Hidradenitis suppurativa [HSX] is painful; psoriasis is not. Psoriasis data "
            "came first. In June 2024, the FDA approved bimekizumab (Bimzelx) for adults with "
            "moderate to severe HSX.",
            ("hidradenitis-suppurativa", 18.0),
        ),
    ],
)
def test_short_form_defined_in_the_document(text: str, want: tuple[str, float]) -> None:
    got = {(a.indication.key, a.min_age) for a in _claims(text).approvals}
    assert want in got


def _short_form_mentions(text: str, form: str) -> list[str]:
    from dermkg.loaders.context import build_context

    ctx = build_context("doc", normalise(text))
    return [x.entity.key for i in ctx.sentences for x in i.mentions if x.text == form and x.entity]


def test_short_form_mentions_follow_the_definition() -> None:
    text = "Later SEBD flares. Seborrheic dermatitis (SEBD) is common. SEBD recurs; SEBD itches."
    assert _short_form_mentions(text, "SEBD") == ["seborrheic-dermatitis"] * 2


def test_short_form_with_two_meanings_is_ignored() -> None:
    text = (
        "Seborrheic dermatitis (SEBD) and bullous pemphigoid (SEBD) are confused here. "
        "The FDA approved roflumilast foam for SEBD in December 2023."
    )
    assert _short_form_mentions(text, "SEBD") == []


@pytest.mark.parametrize(
    ("text", "drug", "brand"),
    [
        (
            "Orelabrutinib is a BTK inhibitor. The FDA approved Hibrutix\u00ae "
            "(orelabrutinib) for adults with chronic spontaneous urticaria in May 2025.",
            "orelabrutinib",
            "Hibrutix",
        ),
        (
            "The NMPA approved comekibart (Lumorra; Keymed Biosciences) for adults with "
            "atopic dermatitis in June 2025. Comekibart is injected monthly.",
            "comekibart",
            "Lumorra",
        ),
        (
            "The FDA approved vunakizumab (VUNARA\u2122) for adults with psoriasis in "
            "March 2025. Vunakizumab blocks IL-17A.",
            "vunakizumab",
            "Vunara",
        ),
    ],
)
def test_brand_named_next_to_its_drug(text: str, drug: str, brand: str) -> None:
    aps = [a for a in _claims(text).approvals if a.drug.key == drug]
    assert aps
    assert aps[0].product is not None
    assert aps[0].product.label == brand
    assert aps[0].product.attrs["active_ingredient"] == drug


@pytest.mark.parametrize(
    "text",
    [
        # a maker, a development code or a count in the parenthesis is no brand
        "The FDA approved orelabrutinib (Novartis) for adults with chronic spontaneous "
        "urticaria in May 2025. Orelabrutinib is oral.",
        "The FDA approved orelabrutinib (LOU064; Novartis) for adults with chronic "
        "spontaneous urticaria in May 2025. Orelabrutinib is oral.",
        "The FDA approved orelabrutinib (Oral) for adults with chronic spontaneous "
        "urticaria in May 2025. Orelabrutinib is oral.",
    ],
)
def test_no_brand_invented(text: str) -> None:
    aps = [a for a in _claims(text).approvals if a.drug.key == "orelabrutinib"]
    assert aps
    assert aps[0].product is None


_ABOUT_ANOTHER_DRUG = (
    "Nemolizumab is the subject of this review. Nemolizumab blocks IL-31RA. "
    "Nemolizumab was well tolerated. "
)


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # a drug mentioned once, as the object of a dated approval
        (
            "In Korea, the MFDS approved crisaborole for children aged 2 years and older with "
            "atopic dermatitis in May 2024.",
            ("crisaborole", "mfds", 2.0, None, "2024-05"),
        ),
        # "extended the <drug> label": the label verb with the drug inside
        (
            "The FDA extended the lebrikizumab label to adolescents aged 12 to 17 years with "
            "atopic dermatitis in August 2024.",
            ("lebrikizumab", "fda", 12.0, 17.0, "2024-08"),
        ),
    ],
)
def test_dated_approval_of_a_drug_in_passing(
    sentence: str, want: tuple[str, str, float, float | None, str]
) -> None:
    got = {
        (a.drug.key, a.agency.key, a.min_age, a.max_age, a.date)
        for a in _claims(_ABOUT_ANOTHER_DRUG + sentence).approvals
    }
    assert want in got


def test_undated_mention_in_passing_is_no_approval() -> None:
    text = _ABOUT_ANOTHER_DRUG + "Unlike the FDA-approved crisaborole, it is injected."
    assert not [a for a in _claims(text).approvals if a.drug.key == "crisaborole"]


_TWO_DOSES = (
    "KITE-3 (NCT05550003) was a randomized, placebo-controlled phase 3 trial. Children were "
    "randomized 2:1 to dupilumab 200 mg or 300 mg by body weight, or placebo, every 4 weeks.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "At week 16, IGA 0/1 was reached by 31% vs 6%, and EASI-75 by 50% of children on "
        "dupilumab versus 12% on placebo.",
        "At week 16, IGA 0 or 1 was seen in 31% versus 6%, and 50% of dupilumab-treated "
        "children reached EASI-75, compared with 12% on placebo.",
    ],
)
def test_bare_versus_pair_takes_the_sentence_arms(sentence: str) -> None:
    got = {
        (r.endpoint.key, r.value, r.arm.drug.key if r.arm and r.arm.drug else "")
        for r in _claims(_TWO_DOSES + sentence).efficacy
    }
    assert {("iga-ts", 31.0, "dupilumab"), ("iga-ts", 6.0, "placebo")} <= got
    assert {("easi-75", 50.0, "dupilumab"), ("easi-75", 12.0, "placebo")} <= got


def test_bare_versus_pair_without_a_sentence_pair_stays_unbound() -> None:
    # two active doses and no pairing in the sentence: no arm can be chosen
    got = {
        (r.value, r.arm.drug.key if r.arm and r.arm.drug else "")
        for r in _claims(_TWO_DOSES + "At week 16, IGA 0/1 was reached by 31% vs 6%.").efficacy
    }
    assert (31.0, "dupilumab") not in got


@pytest.mark.parametrize(
    ("sentence", "endpoint"),
    [
        (
            "A Physician Global Assessment (PGA) response at week 12 was seen in 36.1% vs 5.2%.",
            "pga",
        ),
        (
            "At week 12, 36.1% of patients on tapinarof vs 5.2% on vehicle had a PGA response.",
            "pga",
        ),
        ("A GPP Physician Global Assessment score of 0 or 1 was seen in 36.1% vs 5.2%.", "gppga"),
    ],
)
def test_physician_global_assessments(sentence: str, endpoint: str) -> None:
    trial = (
        "SUNRISE-2 (NCT05550004) randomized adults 2:1 to tapinarof cream 1% or vehicle cream "
        "once daily.\n"
    )
    keys = {r.endpoint.key for r in _claims(trial + sentence).efficacy if r.value == 36.1}
    assert endpoint in keys or (endpoint == "gppga" and any(k.startswith("gppga") for k in keys))


_CSU_TRIAL = (
    "HIVE-4 (NCT05550006) randomized adults 2:1 to remibrutinib 25 mg twice daily or placebo.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "Complete absence of itch and hives (UAS7 = 0) at week 12 was achieved by 30.2% of "
        "remibrutinib patients compared with 5.9% on placebo.",
        "Freedom from hives and angioedema (UAS7 = 0) at week 12 was reached by 30.2% vs 5.9%.",
    ],
)
def test_event_words_naming_an_endpoint_are_no_adverse_events(sentence: str) -> None:
    claims = _claims(_CSU_TRIAL + sentence)
    assert not [f for f in claims.safety if f.percent in (30.2, 5.9)]
    assert 30.2 in {r.value for r in claims.efficacy}


def test_event_in_its_own_words_is_still_an_adverse_event() -> None:
    text = (
        _CSU_TRIAL
        + "Hives (urticaria) occurred in 3.0% of remibrutinib patients and 1.0% on placebo."
    )
    assert {3.0, 1.0} <= {f.percent for f in _claims(text).safety}


def test_safety_sentence_does_not_restate_the_previous_outcome() -> None:
    text = (
        _CSU_TRIAL
        + "At week 12, UAS7 = 0 was reached by 30.2% vs 5.9%. Adverse events were similar: "
        "120 (41%) of 292 patients on remibrutinib and 60 (42%) of 143 on placebo had at least "
        "one adverse event; the corresponding numbers in the extension were 98 (35%) and 50 (37%)."
    )
    assert not {41.0, 42.0, 35.0, 37.0} & {r.value for r in _claims(text).efficacy}


def test_programme_prefixed_trial_named_by_its_last_word() -> None:
    text = (
        "The evidence came from LIBERTY-PN SUMMIT (NCT05550008), a randomized, double-blind, "
        "placebo-controlled trial in which 120 adults were randomized 1:1 to dupilumab 300 mg "
        "or placebo.\nIn SUMMIT, adverse events were reported in 61% of dupilumab patients "
        "and 58% of placebo patients.\nOn the basis of SUMMIT, the FDA approved dupilumab "
        "(Dupixent) for adults with bullous pemphigoid on May 2, 2025."
    )
    claims = _claims(text)
    assert [s.label for s in claims.studies] == ["LIBERTY-PN SUMMIT"]
    got = {
        (f.studies[0].label, f.arm.drug.key if f.arm and f.arm.drug else "", f.percent)
        for f in claims.safety
        if len(f.studies) == 1
    }
    assert {("LIBERTY-PN SUMMIT", "dupilumab", 61.0), ("LIBERTY-PN SUMMIT", "placebo", 58.0)} <= got
    assert [a.based_on.label for a in claims.approvals if a.based_on] == ["LIBERTY-PN SUMMIT"]


def test_last_word_shared_by_two_trials_names_neither() -> None:
    text = (
        "ALPHA SUMMIT (NCT05550009) and BETA SUMMIT (NCT05550010) randomized adults 1:1 to "
        "dupilumab or placebo.\nIn SUMMIT, 61% of dupilumab patients had a response."
    )
    labels = {s.label for s in _claims(text).studies}
    assert "SUMMIT" not in labels


@pytest.mark.parametrize(
    "follow_up",
    [
        "The decision, announced on March 4, 2025, makes it the first biologic for the disease.",
        "The approval was granted on March 4, 2025.",
        "This label expansion came in March 2025.",
    ],
)
def test_decision_dated_in_the_next_sentence(follow_up: str) -> None:
    text = (
        "Crisaborole is an ointment. The US Food and Drug Administration has cleared "
        "crisaborole (Eucrisa; Pfizer) for the treatment of atopic dermatitis in adults and "
        "children aged 3 months and older. " + follow_up
    )
    aps = [a for a in _claims(text).approvals if a.drug.key == "crisaborole"]
    assert [(a.agency.key, a.min_age, a.date[:7]) for a in aps] == [("fda", 0.25, "2025-03")]


def test_approval_package_is_no_approval() -> None:
    text = (
        "Omalizumab was compared in one trial. A third trial enrolled patients who had failed "
        "omalizumab for chronic spontaneous urticaria and was not part of the approval "
        "package reviewed by the FDA."
    )
    assert not [a for a in _claims(text).approvals if a.drug.key == "omalizumab"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The FDA approved roflumilast cream (Zoryve) for plaque psoriasis in adults in July "
        "2022, and then for atopic dermatitis in children 6 years of age and older in July 2024.",
        "The FDA approved roflumilast cream (Zoryve) for plaque psoriasis in adults in July "
        "2022, and later for atopic dermatitis in patients aged 6 years and older in July 2024.",
    ],
)
def test_listed_indications_keep_their_own_dates(sentence: str) -> None:
    got = {
        (a.indication.key, a.min_age, a.date)
        for a in _claims("Roflumilast is a PDE4 inhibitor. " + sentence).approvals
    }
    assert ("plaque-psoriasis", 18.0, "2022-07") in got
    assert ("atopic-dermatitis", 6.0, "2024-07") in got


_FOAM_TRIAL = (
    "CREST-2 (NCT05550011) randomized adolescents and adults 2:1 to roflumilast foam 0.3% or "
    "vehicle foam once daily for 8 weeks.\n"
)


@pytest.mark.parametrize(
    "sentence",
    [
        "Among patients with a worst itch NRS of 4 or more at baseline, 58.1% vs 33.0% "
        "achieved a 4-point reduction in itch at week 8.",
        "In those with itch NRS >=4 at baseline, a 4-point itch NRS reduction at week 8 was "
        "seen in 58.1% of roflumilast patients versus 33.0% on vehicle.",
    ],
)
def test_subgroup_baseline_is_not_the_timepoint(sentence: str) -> None:
    got = {(r.value, r.timepoint) for r in _claims(_FOAM_TRIAL + sentence).efficacy}
    assert {(58.1, "week 8"), (33.0, "week 8")} <= got


def test_baseline_values_keep_their_timepoint() -> None:
    text = _FOAM_TRIAL + "At baseline, 41.0% of patients had an itch NRS of 4 or more."
    assert all(r.timepoint != "week 8" for r in _claims(text).efficacy)


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        (
            "S-IGA success at week 8 was achieved by 61.2% of patients on "
            "roflumilast foam versus 25.5% on vehicle; B-IGA success was 41.3% vs 18.7%.",
            {(61.2, "s-iga-success"), (25.5, "s-iga-success"), (41.3, "b-iga-success")},
        ),
        (
            "At week 8, IGA success was reached by 61.2% vs 25.5% of patients.",
            {(61.2, "iga-ts"), (25.5, "iga-ts")},
        ),
    ],
)
def test_scalp_and_body_iga_are_not_the_overall_iga(
    sentence: str, want: set[tuple[float, str]]
) -> None:
    got = {(r.value, r.endpoint.key) for r in _claims(_FOAM_TRIAL + sentence).efficacy}
    assert want <= got


_CSU_TWO_TRIALS = (
    "HIVE-5 (NCT05550012) and HIVE-6 (NCT05550013) randomized adults 2:1 to remibrutinib "
    "25 mg twice daily or placebo.\n"
)


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # a mean change written without a unit, per trial
        (
            "At week 12, the mean change from baseline in UAS7 was -19.1 with remibrutinib vs "
            "-12.6 with placebo in HIVE-5, and -18.2 vs -10.9 in HIVE-6.",
            {
                ("HIVE-5", "remibrutinib", -19.1),
                ("HIVE-5", "placebo", -12.6),
                ("HIVE-6", "remibrutinib", -18.2),
                ("HIVE-6", "placebo", -10.9),
            },
        ),
        # a number sharing the unit of the one it is compared with
        (
            "In HIVE-5, the weekly itch severity score (ISS7) fell by 9.8 points with "
            "remibrutinib versus 5.1 points with placebo, and UAS7 fell by 19.9 vs 11.0 points.",
            {
                ("HIVE-5", "remibrutinib", 9.8),
                ("HIVE-5", "placebo", 5.1),
                ("HIVE-5", "remibrutinib", 19.9),
                ("HIVE-5", "placebo", 11.0),
            },
        ),
    ],
)
def test_score_changes_without_their_own_unit(
    sentence: str, want: set[tuple[str, str, float]]
) -> None:
    got = {
        (r.studies[0].label, r.arm.drug.key if r.arm and r.arm.drug else "", r.value)
        for r in _claims(_CSU_TWO_TRIALS + sentence).efficacy
        if len(r.studies) == 1
    }
    assert want <= got


def test_signed_numbers_of_a_difference_are_no_arm_values() -> None:
    text = (
        _CSU_TWO_TRIALS + "In HIVE-5, the mean change from baseline in UAS7 was -19.1 with "
        "remibrutinib (difference -6.5; 95% CI -8.9 to -4.1)."
    )
    values = {r.value for r in _claims(text).efficacy}
    assert -19.1 in values
    assert not values & {-6.5, -8.9, -4.1}
