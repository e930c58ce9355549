"""Endpoints and adverse-event terms of the wider dermatology field (acne, rosacea, molluscum,
warts, actinic keratosis, hyperhidrosis, epidermolysis bullosa, pemphigus, urticaria,
onychomycosis, skin cancer): the vocabulary names them the way trial reports do, responder
forms are modelled on their instrument, ordinary words stay out, and the loaders read the
efficacy results and safety findings they carry. All sentences are invented for the tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import extract_claims
from dermkg.cli import app
from dermkg.loaders.mentions import matcher
from dermkg.vocabulary import Vocabulary, load_vocabulary


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


_claims = extract_claims


def _mentioned(text: str, kind: str) -> set[str]:
    return {m.entity.key for m in matcher().find(text) if m.entity.kind == kind}


# (surface form as written in articles, endpoint key)
ENDPOINT_FORMS = [
    ("EGSS success", "egss-success"),
    ("IGA success", "iga-ts"),
    (
        "absolute change from baseline in inflammatory lesion count",
        "inflammatory-lesion-count-absolute-change",
    ),
    (
        "percentage change in non-inflammatory lesions",
        "non-inflammatory-lesion-count-percent-change",
    ),
    ("Clinician's Erythema Assessment", "cea"),
    ("complete clearance of all lesions", "complete-clearance"),
    ("partial clearance", "partial-clearance"),
    ("≥2-point improvement in HDSM-Ax", "hdsm-ax-responder"),
    ("Hyperhidrosis Disease Severity Scale", "hdss"),
    ("change in gravimetric sweat production", "gravimetric-sweat-production-change"),
    ("complete closure of the target wound", "complete-wound-healing"),
    ("complete remission off therapy", "complete-remission-off-therapy"),
    ("Pemphigus Disease Area Index", "pdai"),
    ("Urticaria Control Test", "uct"),
    ("mycologic cure", "mycological-cure"),
    ("complete cure", "complete-cure"),
    ("objective response rate", "objective-response-rate"),
    ("SALT50", "salt-50"),
]

# derived endpoint -> the instrument it is read on
RESPONDERS = {
    "egss-success": "egss",
    "cea-success": "cea",
    "hdsm-ax-responder": "hdsm-ax",
    "hdss-responder": "hdss",
    "asdd-item-2-responder": "asdd-item-2",
    "uct-12": "uct",
    "salt-50": "salt",
    "complete-clearance": "lesion-count",
    "partial-clearance": "lesion-count",
    "inflammatory-lesion-count-percent-change": "inflammatory-lesion-count",
    "non-inflammatory-lesion-count-absolute-change": "non-inflammatory-lesion-count",
}


@pytest.mark.parametrize(("surface", "key"), ENDPOINT_FORMS)
def test_endpoint_surface_forms(vocab: Vocabulary, surface: str, key: str) -> None:
    entity = vocab.lookup(surface, kind="endpoint")
    assert entity is not None and entity.key == key, surface


@pytest.mark.parametrize(("key", "instrument"), sorted(RESPONDERS.items()))
def test_responder_forms_are_separate_and_read_on_their_instrument(
    vocab: Vocabulary, key: str, instrument: str
) -> None:
    derived = vocab.get("endpoint", key)
    assert derived.attrs["instrument"] == instrument
    assert vocab.get("endpoint", instrument).key != derived.key


# (sentence, adverse-event keys the matcher must find)
AE_SENTENCES = [
    ("Application-site pain (4%) was the most common adverse event.", {"application-site-pain"}),
    (
        "Local skin reactions, mostly erythema and flaking, resolved without treatment.",
        {"local-skin-reaction", "erythema", "skin-flaking"},
    ),
    (
        "LSRs included crusting, swelling, vesiculation/pustulation and erosion/ulceration.",
        {
            "local-skin-reaction",
            "crusting",
            "swelling",
            "vesiculation-pustulation",
            "erosion-ulceration",
        },
    ),
    ("Stinging/burning and skin dryness were mild.", {"skin-burning-sensation", "dry-skin"}),
    (
        "Anticholinergic effects such as dry mouth, blurred vision, mydriasis and urinary "
        "retention were reported.",
        {"anticholinergic-effect", "dry-mouth", "blurred-vision", "mydriasis", "urinary-retention"},
    ),
    (
        "Infusion-related reactions and hyperkalemia were uncommon.",
        {"infusion-related-reaction", "hyperkalaemia"},
    ),
    (
        "Hyperpigmentation, photosensitivity and application site irritation occurred in few "
        "patients.",
        {"hyperpigmentation", "photosensitivity", "application-site-irritation"},
    ),
]


@pytest.mark.parametrize(("sentence", "keys"), AE_SENTENCES)
def test_adverse_event_mentions(sentence: str, keys: set[str]) -> None:
    assert keys <= _mentioned(sentence, "adverse_event"), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The company is scaling up manufacturing after a burning question on erosion of margins.",
        "Pain, pustulation and irritation scores are collected in the diary.",
        "The EASI grades oedema/papulation, excoriation and lichenification.",
        "Patients with hepatitis B or ulcerative colitis were excluded.",
    ],
)
def test_ordinary_words_are_no_adverse_event(sentence: str) -> None:
    assert not _mentioned(sentence, "adverse_event"), sentence


_TRIAL = (
    "BETA-3 (NCT07777777) was a randomized, double-blind, vehicle-controlled phase 3 trial. "
    "Patients were randomized 2:1 to berdazimer gel 10.3% or vehicle gel once daily for "
    "12 weeks.\n"
)


@pytest.mark.parametrize(
    ("sentence", "key", "values"),
    [
        (
            "Complete clearance of all lesions at week 12 was achieved by 32.4% vs 19.7% with "
            "vehicle.",
            "complete-clearance",
            {32.4, 19.7},
        ),
        (
            "At week 12, 49.8% of patients on berdazimer gel achieved a ≥2-point improvement in "
            "HDSM-Ax versus 29.1% with vehicle.",
            "hdsm-ax-responder",
            {49.8, 29.1},
        ),
        (
            "The percent change in inflammatory lesion count at week 12 was -63.9% versus -45.6% "
            "with vehicle.",
            "inflammatory-lesion-count-percent-change",
            {-63.9, -45.6},
        ),
        (
            "Mycological cure at week 52 was 55.2% versus 16.8% with vehicle.",
            "mycological-cure",
            {55.2, 16.8},
        ),
        (
            "EGSS success at week 12 was reached by 40.1% of patients versus 18.6% with vehicle.",
            "egss-success",
            {40.1, 18.6},
        ),
        (
            "A ≥2-grade improvement in CEA was seen in 35.4% versus 20.1% with vehicle.",
            "cea-success",
            {35.4, 20.1},
        ),
        (
            "The mean absolute change in inflammatory lesion count was -21.4 versus -14.2 "
            "lesions with vehicle.",
            "inflammatory-lesion-count-absolute-change",
            {-21.4, -14.2},
        ),
        (
            "Partial clearance (≥75%) was reached by 59.1% versus 23.6% with vehicle.",
            "partial-clearance",
            {59.1, 23.6},
        ),
        (
            "Complete clearance of AK lesions at week 8 was 49.3% versus 2.5% with vehicle.",
            "complete-clearance",
            {49.3, 2.5},
        ),
        (
            "A ≥2-point improvement in HDSS was seen in 60.1% versus 40.3% with vehicle.",
            "hdss-responder",
            {60.1, 40.3},
        ),
        (
            "Complete closure of the target wound by week 24 was seen in 35.7% versus 20.0% "
            "with vehicle.",
            "complete-wound-healing",
            {35.7, 20.0},
        ),
        (
            "Complete remission off therapy at week 52 was achieved by 40% versus 10% with "
            "vehicle.",
            "complete-remission-off-therapy",
            {40.0, 10.0},
        ),
        (
            "A UCT score ≥12 was reached by 52.1% versus 31.9% with vehicle.",
            "uct-12",
            {52.1, 31.9},
        ),
        (
            "SALT50 at week 24 was reached by 44.0% versus 5.0% with vehicle.",
            "salt-50",
            {44.0, 5.0},
        ),
        (
            "Complete cure at week 52 was 17.8% versus 3.3% with vehicle.",
            "complete-cure",
            {17.8, 3.3},
        ),
        (
            "The objective response rate was 47.2% with berdazimer gel.",
            "objective-response-rate",
            {47.2},
        ),
    ],
)
def test_efficacy_results_are_read(sentence: str, key: str, values: set[float]) -> None:
    results = [r for r in _claims(_TRIAL + sentence).efficacy if r.endpoint.key == key]
    assert {r.value for r in results} == values


@pytest.mark.parametrize(
    ("sentence", "events"),
    [
        (
            "Application-site pain (4%) and application-site erythema (3%) were the most common "
            "adverse events.",
            {"application-site-pain": 4.0, "application-site-erythema": 3.0},
        ),
        (
            "The most common adverse events were dry mouth (24.0%), mydriasis (6.8%) and blurred "
            "vision (3.1%).",
            {"dry-mouth": 24.0, "mydriasis": 6.8, "blurred-vision": 3.1},
        ),
    ],
)
def test_safety_findings_are_read(sentence: str, events: dict[str, float]) -> None:
    got = {f.event.key: f.percent for f in _claims(_TRIAL + sentence).safety}
    for key, percent in events.items():
        assert got.get(key) == percent, (key, got)


_ARTICLE = (
    "Topical sofpironium-like gel in axillary hyperhidrosis: phase 3 results\n\n"
    "DELTA-1 (NCT07777778) was a randomized, double-blind, vehicle-controlled phase 3 trial in "
    "which 350 patients were randomized 1:1 to glycopyrronium gel 15% or vehicle gel once "
    "daily for 6 weeks.\n"
    "At week 6, 53.2% of patients on glycopyrronium gel achieved a ≥2-point improvement in "
    "HDSM-Ax versus 36.1% with vehicle.\n"
    "The most common adverse events were dry mouth (19.4%), mydriasis (5.7%) and "
    "application-site pain (4.6%).\n"
)


def test_article_rows_come_out_of_build_and_query(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "delta1.txt").write_text(_ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    runner = CliRunner()
    built = runner.invoke(
        app, ["build", "--corpus", str(corpus), "--store", str(store), "--no-reason"]
    )
    assert built.exit_code == 0, built.output

    def rows(name: str) -> list[dict[str, str]]:
        out = runner.invoke(app, ["query", name, "--store", str(store), "--format", "csv"])
        assert out.exit_code == 0, out.output
        return list(csv.DictReader(io.StringIO(out.stdout)))

    efficacy = {(r["endpoint"], float(r["value"])) for r in rows("efficacy-outcomes")}
    assert {e for e, v in efficacy if v in (53.2, 36.1)} == {"HDSM-Ax ≥2-point improvement"}
    safety = {
        r["event"].lower().replace("-", " "): float(r["percent"])
        for r in rows("safety-events")
        if r["percent"]
    }
    assert safety.get("dry mouth") == 19.4
    assert safety.get("mydriasis") == 5.7
    assert safety.get("application site pain") == 4.6


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        (
            "At week 16, 40.2% of patients achieved PASI 100 (complete clearance) versus 1.2% "
            "with placebo.",
            "pasi-100",
        ),
        (
            "At week 16, 40.2% reached EASI-100, i.e. complete clearance, versus 1.2% with "
            "placebo.",
            "easi-100",
        ),
    ],
)
def test_bare_complete_clearance_stays_with_the_instrument(sentence: str, key: str) -> None:
    trial = (
        "ALPHA-7 (NCT01234567) was a randomized, double-blind, placebo-controlled phase 3 "
        "trial. Adults were randomized 1:1 to bimekizumab 320 mg or placebo for 16 weeks.\n"
    )
    got = {(r.endpoint.key, r.value) for r in _claims(trial + sentence).efficacy}
    assert got == {(key, 40.2), (key, 1.2)}
