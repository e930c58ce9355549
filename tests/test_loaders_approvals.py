"""Regulatory approvals on our own sample documents (tests/samples/approval_*.txt): each
family of phrasing the approval recogniser must read (non-US regulators, dates, age bounds,
the study an approval rests on, mentions that are no approval), expectations inline."""

from __future__ import annotations

from pathlib import Path

from dermkg import loaders
from dermkg.loaders.claims import Approval

SAMPLES = Path(__file__).parent / "samples"

Row = tuple[str, str, str | None, str, float | None, float | None, str]


def _approvals(name: str) -> list[Approval]:
    ex = loaders.extract_document(SAMPLES / name)
    loaders.link_documents([ex])
    assert ex.claims is not None
    return ex.claims.approvals


def _rows(name: str) -> set[Row]:
    """(agency, drug, product, indication, min age, max age, date) per approval."""
    return {
        (
            a.agency.key,
            a.drug.key,
            a.product.key if a.product is not None else None,
            a.indication.key,
            a.min_age,
            a.max_age,
            a.date,
        )
        for a in _approvals(name)
    }


def _basis(name: str) -> dict[str, str | None]:
    """The label of the study each agency's approval is based on."""
    return {
        a.agency.key: (a.based_on.label if a.based_on is not None else None)
        for a in _approvals(name)
    }


def test_non_us_regulators_and_committee_opinions() -> None:
    """The European Commission "granted marketing authorisation", Japan's MHLW "approved",
    Health Canada "issued a Notice of Compliance", the MHRA "authorised" are approvals; a
    CHMP positive opinion or recommendation is not, nor a decision still expected, while an
    approval "following a positive opinion from the CHMP" is the Commission's; "approved by
    Health Canada and the … (TGA)" is one approval per agency of the list."""
    assert _rows("approval_regulators.txt") == {
        ("european-commission", "nemolizumab", "nemluvio", "prurigo-nodularis", 18.0, None,
         "2026-03-18"),
        ("mhlw", "delgocitinib", "corectim", "atopic-dermatitis", 18.0, None, "2020-01"),
        ("health-canada", "abrocitinib", "cibinqo", "atopic-dermatitis", 12.0, None, "2026-02"),
        ("mhra", "lebrikizumab", "ebglyss", "atopic-dermatitis", 12.0, None, "2025-12"),
        ("european-commission", "ruxolitinib", "opzelura", "nonsegmental-vitiligo", 12.0, None,
         "2026-04"),
        ("health-canada", "upadacitinib", "rinvoq", "atopic-dermatitis", 12.0, None, "2026-05-02"),
        ("tga", "upadacitinib", "rinvoq", "atopic-dermatitis", 12.0, None, "2026-05-02"),
    }  # fmt: skip


def test_dates_on_in_month_year_and_year() -> None:
    """ "approved … on June 26, 2026" wins over a "Revision (June 30, 2026):" stamp before the
    verb; "extended the marketing authorisation … in 2025" is year-precise; an undated
    approval takes the document's date."""
    assert _rows("approval_dates.txt") == {
        ("european-commission", "tralokinumab", "adtralza", "atopic-dermatitis", 12.0, None,
         "2026-03-04"),
        ("fda", "tralokinumab", "adbry", "atopic-dermatitis", 18.0, None, "2026-06-26"),
        ("european-commission", "dupilumab", "dupixent", "atopic-dermatitis", 0.5, 5.0, "2025"),
    }  # fmt: skip


def test_press_release_dateline() -> None:
    """A press release without a publication line: "CITY, Month D, YYYY (WIRE) -- … today
    announced that the FDA approved …" is dated by its dateline."""
    assert _rows("approval_dateline.txt") == {
        ("fda", "ruxolitinib", "opzelura", "atopic-dermatitis", 2.0, 11.0, "2026-08-12"),
    }
    assert _basis("approval_dateline.txt") == {"fda": "TRuE-AD9"}


def test_age_bounds_and_expansions() -> None:
    """ "adult patients" is 18 and older; a label expansion to "children aged 2 to 5 years" is
    bounded on both sides and kept apart from the earlier approval from 6 years stated in the
    same sentence; "now approved … for children aged 6 months and older" is expanded; "patients
    ages 12 and up" starts at 12; "pediatric patients (2 to 11 years)" is bounded."""
    got = _approvals("approval_ages.txt")
    assert _rows("approval_ages.txt") == {
        ("european-commission", "baricitinib", "olumiant", "atopic-dermatitis", 18.0, None,
         "2025-10"),
        ("fda", "roflumilast", "zoryve", "atopic-dermatitis", 2.0, 5.0, "2026-03-02"),
        ("fda", "roflumilast", "zoryve", "atopic-dermatitis", 6.0, None, "2024"),
        ("fda", "dupilumab", "dupixent", "atopic-dermatitis", 0.5, None, "2026-02-14"),
        ("health-canada", "tralokinumab", "adtralza", "atopic-dermatitis", 12.0, None, "2025-06"),
        ("tga", "ruxolitinib", "opzelura", "atopic-dermatitis", 2.0, 11.0, "2026-05"),
    }  # fmt: skip
    kinds = {(a.drug.key, a.min_age): a.kind for a in got}
    assert kinds[("roflumilast", 2.0)] == "ExpandedApproval"
    assert kinds[("dupilumab", 0.5)] == "ExpandedApproval"
    assert kinds[("baricitinib", 18.0)] == ""


def test_basis_named_before_the_study_and_by_jurisdiction() -> None:
    """ "The US approval … was based on the ORCHID-A, ORCHID-B and ORCHID-LT programme" names
    studies introduced only further on and belongs to the FDA approval, not the first one
    stated; "The European authorisation rests largely on …" to the Commission's."""
    assert _basis("approval_basis.txt") == {"european-commission": "ORCHID-A", "fda": "ORCHID-A"}
    dates = {a.agency.key: a.date for a in _approvals("approval_basis.txt")}
    assert dates == {"european-commission": "2026-09", "fda": "2026-10-28"}


def test_passing_mentions_are_no_approval() -> None:
    """Drugs used or discussed in a case, "is not approved for", "has submitted", "pending",
    "could be approved … if", and "approved" as an adjective ("FDA-approved topical agents",
    "the approved dose", "Approved biologics such as …"): no approval at all."""
    assert _approvals("approval_passing.txt") == []


def test_approvals_by_place_and_licence() -> None:
    """ "previously approved in Canada and in the European Union" is one earlier (undated)
    approval per place's agency, never the document's FDA; "approved in Japan since 2021"
    is the MHLW's, year-precise, even for a drug the document is not about; "received a
    licence from the MHRA" is an approval; the dateline dates the FDA decision."""
    assert _rows("approval_places.txt") == {
        ("fda", "tralokinumab", "adbry", "atopic-dermatitis", 2.0, 11.0, "2027-01-21"),
        ("health-canada", "tralokinumab", "adbry", "atopic-dermatitis", 18.0, None, ""),
        ("european-commission", "tralokinumab", "adbry", "atopic-dermatitis", 18.0, None, ""),
        ("mhlw", "delgocitinib", None, "atopic-dermatitis", 18.0, None, "2021"),
        ("mhra", "delgocitinib", None, "chronic-hand-eczema", 18.0, None, "2026"),
    }


def test_supplemental_and_amended_labels_are_expansions() -> None:
    """The approval of a supplemental application and "amended the label of … to include
    adolescents" are expanded approvals (the second one, without "approved", is an approval
    at all); "first approved" is the initial one."""
    got = {(a.agency.key, a.drug.key, a.min_age, a.max_age, a.date, a.kind) for a in
           _approvals("approval_expansion.txt")}  # fmt: skip
    assert got == {
        ("fda", "lebrikizumab", 6.0, 11.0, "2026-06-19", "ExpandedApproval"),
        ("european-commission", "abrocitinib", 12.0, 17.0, "2026-02", "ExpandedApproval"),
        ("fda", "nemolizumab", 18.0, None, "2024-08", "InitialApproval"),
    }


def test_place_and_jurisdiction_tables_point_at_vocabulary_agencies() -> None:
    """cues.yaml's place -> agency and adjective -> jurisdiction tables name only agencies
    and jurisdictions the vocabulary has."""
    from dermkg.loaders.cues import cues
    from dermkg.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    table = cues()
    for place, key in table.approval_places.items():
        assert vocab.get("agency", key).key == key, place
    jurisdictions = {str(e.attrs.get("jurisdiction")) for e in vocab.entities("agency")}
    assert set(table.jurisdiction_words.values()) <= jurisdictions


def test_ages_after_the_basis_phrase_are_the_studys_not_the_approvals() -> None:
    """'approved … for patients 2 years and older. The approval was based on X, which
    enrolled patients aged 2 to 17 years': the approval has no upper age bound."""
    rows = _rows("approval_basis_ages.txt")
    assert ("fda", "tapinarof", "vtama", "atopic-dermatitis", 2.0, None, "2024-12-13") in rows
    assert all(r[5] is None for r in rows)


def test_informal_approval_verbs() -> None:
    """ "gave the green light … to X", "signed off on X", "green-lit X" state approvals; an
    attributive "Approved biologics such as …" and an expected ruling do not."""
    assert _rows("approval_informal.txt") == {
        ("fda", "ritlecitinib", "litfulo", "alopecia-areata", 12.0, None, "2027-02-11"),
        ("health-canada", "tapinarof", "vtama", "plaque-psoriasis", 18.0, None, "2027-01"),
        ("european-commission", "bimekizumab", "bimzelx", "hidradenitis-suppurativa", 18.0, None,
         "2026-12"),
    }  # fmt: skip


def test_agency_and_population_anaphora() -> None:
    """ "first approved by the FDA … for adults …, and that the agency widened the label to
    cover adolescents … in October 2026" is two FDA approvals, each with its own ages and
    date; "licensed … for the same paediatric population" takes the ages of the drug's
    approval stated before."""
    assert _rows("approval_anaphora.txt") == {
        ("fda", "upadacitinib", "rinvoq", "atopic-dermatitis", 18.0, None, "2026-03"),
        ("fda", "upadacitinib", "rinvoq", "atopic-dermatitis", 12.0, None, "2026-10"),
        ("european-commission", "tralokinumab", "adtralza", "atopic-dermatitis", 6.0, 11.0,
         "2026-06"),
        ("mhra", "tralokinumab", "adtralza", "atopic-dermatitis", 6.0, 11.0, "2027-05-05"),
        ("fda", "lebrikizumab", "ebglyss", "atopic-dermatitis", 12.0, None, "2027-04-02"),
    }  # fmt: skip


def test_listed_indications_and_their_bases() -> None:
    """One decision "for two indications: A in adolescents …, and B in adults" is one approval
    per indication with the ages of its own item, each based on the trial named with its
    disease; "Both decisions rested on …" bases every approval of the drug just stated;
    "That decision was based on X" and "The expansion drew on Y" split between the initial
    and the expanded approval."""
    rows = _rows("approval_indications.txt")
    assert rows == {
        ("european-commission", "dupilumab", "dupixent", "chronic-spontaneous-urticaria", 12.0,
         None, "2027-07"),
        ("european-commission", "dupilumab", "dupixent", "bullous-pemphigoid", 18.0, None,
         "2027-07"),
        ("mhlw", "baricitinib", "olumiant", "alopecia-areata", 18.0, None, "2027-06"),
        ("european-commission", "baricitinib", "olumiant", "alopecia-areata", 18.0, None,
         "2027-04"),
        ("fda", "secukinumab", "cosentyx", "hidradenitis-suppurativa", 18.0, None, "2026-05-03"),
        ("fda", "secukinumab", "cosentyx", "hidradenitis-suppurativa", 12.0, None, "2027-01"),
    }  # fmt: skip
    basis = {
        (a.drug.key, a.indication.key, a.date): a.based_on.label if a.based_on else None
        for a in _approvals("approval_indications.txt")
    }
    assert basis == {
        ("dupilumab", "chronic-spontaneous-urticaria", "2027-07"): "CUPID-X",
        ("dupilumab", "bullous-pemphigoid", "2027-07"): "PEMPHIX-9",
        ("baricitinib", "alopecia-areata", "2027-06"): "BRAVE-Z1",
        ("baricitinib", "alopecia-areata", "2027-04"): "BRAVE-Z1",
        ("secukinumab", "hidradenitis-suppurativa", "2026-05-03"): "SUNSHINE-Q",
        ("secukinumab", "hidradenitis-suppurativa", "2027-01"): "SUNRISE-Q",
    }
