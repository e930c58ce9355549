"""Recognisers one by one: ages, dates, counts, ranges, frequencies, ratios, phases,
timepoints, vocabulary mentions, negation, offset-preserving normalisation, page furniture."""

from __future__ import annotations

import re

import pytest

from dermkg.loaders import patterns as P
from dermkg.loaders.mapped import MappedText
from dermkg.loaders.mentions import matcher
from dermkg.loaders.normalise import is_hard_wrapped, normalise
from dermkg.loaders.segment import blocks, split_sentences


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("children aged 2 to 11 years with AD", 2, 11),
        ("patients \u2265 12 years of age", 12, None),
        ("in patients 12 years and older", 12, None),
        ("patients as young as 2 years old", 2, None),
        ("infants 6 months to 5 years", 0.5, 5),
        ("between the ages of 2 and 12 years", 2, 12),
        ("children aged 2\u201311 years", 2, 11),
        ("adolescents 12-17 years", 12, 17),
        ("aged 12 and older", 12, None),
        ("patients 65 years of age and older", 65, None),
        ("children 11 years and younger", None, 11),
    ],
)
def test_ages(text: str, lo: float | None, hi: float | None) -> None:
    ages = P.find_ages(text)
    assert ages, text
    assert (ages[0].value, ages[0].value_max) == (lo, hi)


def test_age_is_not_a_disease_duration() -> None:
    ages = P.find_ages("1249 patients aged \u226512 years with AD for \u22652 years")
    assert [(a.value, a.value_max) for a in ages] == [(12, None)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("approved in September 2021 for", "2021-09"),
        ("October 31, 2025", "2025-10-31"),
        ("on Sept. 13, 2024, the agency", "2024-09-13"),
        ("13 March 2023", "2023-03-13"),
        ("2025-09-18", "2025-09-18"),
        ("September 19th 2025", "2025-09-19"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    assert [d.text for d in P.find_dates(text)] == [iso]


def test_counts_and_word_numbers() -> None:
    got = P.find_counts(
        "28 (71.8%) and 24 (66.7%) patients; Cohort A (n=73); six patients; "
        "Two hundred and eighty-nine young people; over 300 participants"
    )
    assert [(c.kind, c.value) for c in got] == [
        ("count_pct", 28),
        ("count_pct", 24),
        ("n", 73),
        ("count", 6),
        ("count", 289),
        ("count", 300),
    ]
    assert P.to_int("twenty-nine") == 29
    assert P.to_int("1,249") == 1249


def test_counts_skip_phase_and_prepositions() -> None:
    assert P.find_counts("consistent with phase 3 results in patients") == []


def test_percents_and_ranges() -> None:
    got = P.find_percents(
        "ranged from 48.4%\u201382.8% and from 62.5%\u201391.3%; over 50% vs (>50%)"
    )
    assert [(m.kind, m.value, m.value_max, m.qualifier) for m in got] == [
        ("range", 48.4, 82.8, ""),
        ("range", 62.5, 91.3, ""),
        ("percent", 50.0, None, "over"),
        ("percent", 50.0, None, ">"),
    ]


def test_signed_changes_keep_their_sign_and_range_dashes_do_not() -> None:
    text = "mean change -50.3% vs (\u221220.1%); rates of 10-15%; EASI-75 in 45%"
    got = P.find_percents(text)
    assert [(m.kind, m.value, m.value_max) for m in got] == [
        ("percent", -50.3, None),
        ("percent", -20.1, None),
        ("range", 10.0, 15.0),
        ("percent", 45.0, None),
    ]
    assert text[got[1].start : got[1].end] == "\u221220.1%"  # the evidence quote keeps the sign


def test_change_is_two_values_not_a_range() -> None:
    got = P.find_percents("decreasing from 58% at baseline to 2.2% by week 52")
    assert [(m.kind, m.value) for m in got] == [("percent", 58.0), ("percent", 2.2)]
    got = P.find_percents("from 58% to 2.2%")
    assert [m.kind for m in got] == ["percent", "percent"]


def test_frequencies_ratios_phases() -> None:
    freq = P.find_frequencies("twice-daily (BID) use, QD dosing, as-needed, every two weeks, Q4W")
    assert [f.text for f in freq] == [
        "twice daily",
        "twice daily",
        "once daily",
        "as needed",
        "every 2 weeks",
        "every 4 weeks",
    ]
    assert [r.text for r in P.find_ratios("randomized (2:2:1) to")] == ["2:2:1"]
    assert P.find_ratios("at 10:30 the clinic opened") == []
    assert [p.text for p in P.find_phases("phase 3, Phase IIb and phase 2/3")] == ["3", "2b", "2/3"]


def test_timepoints() -> None:
    got = P.find_timepoints(
        "from Weeks 12 through 52; at week 8; at the end of the 8-week period; "
        "58% at baseline; day 4; change from baseline"
    )
    assert [t.text for t in got] == ["week 12-52", "week 8", "week 8", "baseline", "day 4"]


def test_vocabulary_mentions() -> None:
    m = matcher()
    found = m.find(
        "Ruxolitinib cream (Opzelura; Incyte) vs vehicle: TEAEs, upper respiratory "
        "infections, IL-4 and fooximab"
    )
    kinds = [(x.kind, x.key, x.linked) for x in found]
    assert ("drug", "ruxolitinib", True) in kinds
    assert ("product", "opzelura", True) in kinds
    assert ("comparator", "vehicle", True) in kinds
    assert ("adverse_event", "teae", True) in kinds
    assert ("adverse_event", "upper-respiratory-tract-infection", True) in kinds
    assert ("target", "IL-4", True) in kinds
    assert ("drug", "fooximab", False) in kinds  # unknown drug by its INN stem, not linked


def test_the_english_words_of_an_inn_stem_are_not_drugs() -> None:
    """inn-stems.yaml lists words that end like a stem ("concept" and -cept): no mention."""
    found = matcher().find("The concept was intercepted; abatacept was not the point.")
    assert [(x.text, x.linked) for x in found if x.kind == "drug"] == [("abatacept", False)]


def test_mapped_text_keeps_original_offsets() -> None:
    original = "A  line\r\nwith   spaces and a foot-\nnote.1 Next"
    mt = MappedText.identity(original).sub(re.compile(r"\s+"), " ")
    i = mt.text.index("with")
    a, b, quote = mt.quote(i, i + len("with spaces"))
    assert quote == original[a:b]
    assert quote.startswith("with") and quote.endswith("spaces")


def test_normalise_rejoins_hard_wrapped_lines() -> None:
    original = (
        "In two randomized, double-blind, vehicle-controlled phase 3 trials of identical de-\n\n"
        "sign, 812 patients were randomized 2:1 to tapinarof cream 1% once daily or vehicle cream \n\n"  # noqa: E501
        "once daily for 8 weeks. Folliculitis was reported in 31 patients; no serious treat-\n\n"
        "ment-emergent events were seen. Double-\n\nblinded assessors and vehicle-controlled \n\n"
        "comparisons were used in the trials that enrolled patients across many centres.\n\n"
        "Results were consistent across subgroups defined by age, sex and baseline severity.\n"
    )
    assert is_hard_wrapped(original)
    mt = normalise(original)
    assert "identical design, 812 patients" in mt.text
    assert "cream once daily" in mt.text
    assert "treatment-emergent" in mt.text
    assert "Double-blinded" in mt.text
    for start in range(0, len(mt.text) - 5, 7):
        a, b, quote = mt.quote(start, start + 5)
        assert quote == original[a:b]


def test_footnote_markers_are_dropped() -> None:
    mt = normalise("No thrombosis was reported.1 The study met its end point.2,3\nNext line.")
    assert "reported. The study" in mt.text
    assert ".2,3" not in mt.text


def test_page_furniture_is_junk() -> None:
    text = "\n".join(
        [
            "\u2022 Home",
            "\u2022 Eczema",
            "\u2022 Psoriasis",
            "News",
            "Drug X Approved for Something Important",
            "Drug X was approved today for adults. It is a cream.",
            "Newsletter",
            "Subscribe to our newsletter for weekly updates.",
            "Related Articles",
            "- Another story about drug Y",
            "References",
            "1. Smith AB, Jones CD. A paper. J Derm. 2020;1:1-2.",
        ]
    )
    kinds = [(b.kind, b.text[:12]) for b in blocks(text)]
    assert [k for k, _ in kinds] == [
        "junk",
        "junk",
        "junk",
        "junk",
        "title",
        "content",
        "junk",
        "junk",
        "junk",
        "junk",
        "junk",
        "reference",
    ]


def test_sentences_respect_abbreviations() -> None:
    s = split_sentences("Approved on Sept. 13, 2024, vs. placebo (e.g. in adults). Next one.", 0, 0)
    assert [x.text for x in s] == [
        "Approved on Sept. 13, 2024, vs. placebo (e.g. in adults).",
        "Next one.",
    ]
