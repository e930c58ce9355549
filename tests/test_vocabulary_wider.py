"""The wider dermatology vocabulary (acne, rosacea, hyperhidrosis, actinic keratosis and skin
cancer, molluscum, epidermolysis bullosa, pemphigus, urticaria, hair loss, onychomycosis,
scabies and lice, hidradenitis): the sentences a news item, press release or abstract writes
about these drugs yield the right drug / product / disease mentions, unlisted drugs of the
same families are still typed by their WHO INN stem, the new stems leave ordinary words
alone, and every external id of a new entity is cited the way the SSSOM file requires.

The sample sentences are invented for this test (no seed text is copied)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
import yaml
from rdflib import URIRef

from dermkg.loaders.mentions import Mention, matcher
from dermkg.namespaces import DKG, DKGR
from dermkg.resources import ontology_dir
from dermkg.vocabulary import MAPPINGS_FILE, Vocabulary, load_vocabulary

BLOCK_MARK = "# --- wider dermatology field (vocab-wider) ---"
BLOCK_END = "# --- end of wider dermatology field (vocab-wider) ---"
FILES = {
    "drug": "drugs.yaml",
    "product": "products.yaml",
    "target": "targets.yaml",
    "disease": "diseases.yaml",
    "organization": "organizations.yaml",
}


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def _block_keys(kind: str) -> list[str]:
    """The keys of the entities in this branch's block of a kind's file (between the block's
    opening and closing comments)."""
    text = ontology_dir().joinpath("vocabulary").joinpath(FILES[kind]).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == BLOCK_MARK)
    end = next(i for i, line in enumerate(lines) if line.strip() == BLOCK_END)
    entities = yaml.safe_load("\n".join(lines[start + 1 : end])) or []
    return [str(e["key"]) for e in entities]


def _found(text: str) -> list[Mention]:
    return matcher().find(text)


def _keys(text: str, kind: str) -> list[str]:
    """Distinct linked entity keys of one kind, in text order. For ``drug``, a product
    mention ("clascoterone cream 1%", "Winlevi") also names its active ingredient."""
    keys: list[str] = []
    for m in _found(text):
        if not m.linked or m.entity is None:
            continue
        if m.kind == kind:
            key = m.key
        elif kind == "drug" and m.kind == "product":
            key = str(m.entity.attrs["active_ingredient"])
        else:
            continue
        if key not in keys:
            keys.append(key)
    return keys


# --- recognition in running text -------------------------------------------------------

SAMPLES = [
    (
        "The FDA approved clascoterone cream 1% (Winlevi) for acne in patients 12 years and older.",
        {"drug": ["clascoterone"], "product": ["winlevi"], "agency": ["fda"]},
    ),
    (
        "Winlevi® (clascoterone) cream, 1%, is a first-in-class androgen receptor inhibitor.",
        {"product": ["winlevi"], "drug": ["clascoterone"], "target": ["AR"]},
    ),
    (
        "In the phase 3 trials, CB-03-01 was applied twice daily for "
        "moderate-to-severe acne vulgaris.",
        {"drug": ["clascoterone"], "disease": ["acne-vulgaris"]},
    ),
    (
        "Health Canada approved Aklief (trifarotene cream 0.005%) and Seysara "
        "(sarecycline hydrochloride).",
        {
            "agency": ["health-canada"],
            "product": ["aklief", "seysara"],
            "drug": ["trifarotene", "sarecycline"],
        },
    ),
    (
        "Sofdra (sofpironium) gel is indicated for primary axillary hyperhidrosis; Qbrexza "
        "contains glycopyrronium tosylate.",
        {
            "product": ["sofdra", "qbrexza"],
            "drug": ["sofpironium", "glycopyrronium"],
            "disease": ["primary-axillary-hyperhidrosis"],
        },
    ),
    (
        "Tirbanibulin ointment 1% (Klisyri®) cleared actinic keratoses of the face or scalp.",
        {"drug": ["tirbanibulin"], "product": ["klisyri"], "disease": ["actinic-keratosis"]},
    ),
    (
        "The EMA reviewed cemiplimab-rwlc (REGN2810) in advanced cutaneous squamous cell carcinoma "
        "and sonidegib (LDE225) in locally advanced basal cell carcinoma.",
        {
            "agency": ["ema"],
            "drug": ["cemiplimab", "sonidegib"],
            "disease": ["cutaneous-squamous-cell-carcinoma", "basal-cell-carcinoma"],
        },
    ),
    (
        "Zelsuvmi (berdazimer sodium) gel, 10.3% and Ycanth (VP-102) treat molluscum contagiosum "
        "infection in children.",
        {
            "product": ["zelsuvmi", "ycanth"],
            "drug": ["berdazimer", "cantharidin"],
            "disease": ["molluscum-contagiosum"],
        },
    ),
    (
        "Vyjuvek (beremagene geperpavec, B-VEC) and Filsuvez (birch bark extract) were approved "
        "for dystrophic epidermolysis bullosa.",
        {
            "product": ["vyjuvek", "filsuvez"],
            "drug": ["beremagene-geperpavec", "birch-triterpenes"],
            "disease": ["dystrophic-epidermolysis-bullosa"],
        },
    ),
    (
        "Rituximab (MabThera) is approved for pemphigus vulgaris; mycophenolate mofetil "
        "was the comparator.",
        {
            "drug": ["rituximab", "mycophenolate-mofetil"],
            "product": ["mabthera"],
            "disease": ["pemphigus-vulgaris"],
        },
    ),
    (
        "Remibrutinib (LOU064) and barzolvolimab (CDX-0159) reduced UAS7 in chronic "
        "spontaneous urticaria.",
        {"drug": ["remibrutinib", "barzolvolimab"], "disease": ["chronic-spontaneous-urticaria"]},
    ),
    (
        "Jublia (efinaconazole topical solution 10%) and Kerydin (tavaborole) treat "
        "toenail onychomycosis.",
        {
            "product": ["jublia", "kerydin"],
            "drug": ["efinaconazole", "tavaborole"],
            "disease": ["onychomycosis"],
        },
    ),
    (
        "Sonelokimab (M1095) and izokibep (ABY-035), IL-17A inhibitors, were tested in "
        "hidradenitis suppurativa.",
        {
            "drug": ["sonelokimab", "izokibep"],
            "target": ["IL-17A"],
            "disease": ["hidradenitis-suppurativa"],
        },
    ),
    (
        "Unloxcyt (cosibelimab-ipdl) treats cSCC; the TYK2 inhibitor TAK-279 and Zevaskyn "
        "(pz-cel) were also discussed.",
        {
            "product": ["unloxcyt", "zevaskyn"],
            "drug": ["cosibelimab", "zasocitinib", "prademagene-zamikeracel"],
            "disease": ["cutaneous-squamous-cell-carcinoma"],
            "target": ["TYK2"],
        },
    ),
    (
        "Oral minoxidil and finasteride are used for androgenetic alopecia; permethrin "
        "cream treats scabies.",
        {
            "drug": ["minoxidil", "finasteride", "permethrin"],
            "disease": ["androgenetic-alopecia", "scabies"],
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), SAMPLES, ids=[s[0][:40] for s in SAMPLES])
def test_sample_sentences_yield_the_right_mentions(
    text: str, expected: dict[str, list[str]]
) -> None:
    for kind, keys in expected.items():
        assert _keys(text, kind) == keys, (kind, [(m.kind, m.text, m.key) for m in _found(text)])


def test_salt_forms_codes_and_brand_marks_name_the_drug(vocab: Vocabulary) -> None:
    cases = {
        "sarecycline hydrochloride": "sarecycline",
        "glycopyrrolate": "glycopyrronium",
        "oxymetazoline hydrochloride": "oxymetazoline",
        "sofpironium bromide": "sofpironium",
        "5-fluorouracil": "fluorouracil",
        "GDC-0449": "vismodegib",
        "KB103": "beremagene-geperpavec",
        "Oleogel-S10": "birch-triterpenes",
        "ARGX-113": "efgartigimod-alfa",
        "QGE031": "ligelizumab",
        "KX2-391": "tirbanibulin",
        "SB206": "berdazimer",
    }
    for surface, key in cases.items():
        entity = vocab.lookup(surface, kind="drug")
        assert entity is not None and entity.key == key, surface
    for brand in ("Rhofade®", "Soolantra™", "Vyvgart Hytrulo", "Rituxan", "Epsolay"):
        assert vocab.lookup(brand, kind="product") is not None, brand


def test_bare_safety_words_stay_adverse_events() -> None:
    """'acne' / 'molluscum contagiosum' in a safety table remain adverse-event mentions; the
    new diseases are reached through their qualified names only."""
    text = "Acne and molluscum contagiosum were reported in 2% of patients."
    kinds = {m.text.lower(): m.kind for m in _found(text)}
    assert kinds["acne"] == "adverse_event"
    assert kinds["molluscum contagiosum"] == "adverse_event"


# --- products, targets, mechanism triples ----------------------------------------------


def test_every_new_product_names_a_known_drug(vocab: Vocabulary) -> None:
    keys = _block_keys("product")
    assert len(keys) >= 40
    drugs = {e.key for e in vocab.entities("drug")}
    for key in keys:
        product = vocab.get("product", key)
        assert product.attrs["active_ingredient"] in drugs, key


def test_new_mechanisms_are_in_the_rdf(vocab: Vocabulary) -> None:
    g = vocab.to_rdf()
    for drug, prop, target in [
        ("clascoterone", DKG.antagonizes, "AR"),
        ("vismodegib", DKG.antagonizes, "SMO"),
        ("finasteride", DKG.inhibits, "SRD5A2"),
        ("imiquimod", DKG.agonizes, "TLR7"),
        ("sonelokimab", DKG.antagonizes, "IL-17F"),
        ("cemiplimab", DKG.antagonizes, "PD-1"),
        ("cosibelimab", DKG.antagonizes, "PD-L1"),
        ("zasocitinib", DKG.inhibits, "TYK2"),
    ]:
        triple = (vocab.get("drug", drug).iri, prop, vocab.get("target", target).iri)
        assert triple in g, (drug, target)


# --- INN stems ----------------------------------------------------------------------------

UNLISTED = {
    "glasdegib": "-degib",
    "fenebrutinib": "-brutinib",
    "omadacycline": "-cycline",
    "luliconazole": "-conazole",
    "rezafungin": "-fungin",
    "secnidazole": "-nidazole",
    "dutasteride": "-steride",
    "encorafenib": "-rafenib",
    "binimetinib": "-metinib",
    "laherparepvec": "-vec",
    "erythromycin": "-mycin",
    "moxidectin": None,  # ends in -dectin: not the WHO stem -mectin
}


@pytest.mark.parametrize("name", sorted(UNLISTED))
def test_unlisted_drug_is_typed_by_its_stem(vocab: Vocabulary, name: str) -> None:
    assert vocab.lookup(name, kind="drug") is None  # not in the vocabulary
    stem = vocab.match_inn_stem(name)
    assert (stem.stem if stem else None) == UNLISTED[name]


def test_unlisted_drugs_become_unlinked_drug_mentions() -> None:
    text = "Patients received glasdegib, fenebrutinib or omadacycline; dutasteride was allowed."
    unlinked = [m.text for m in _found(text) if m.kind == "drug" and not m.linked]
    assert unlinked == ["glasdegib", "fenebrutinib", "omadacycline", "dutasteride"]


ORDINARY = [
    "bicycle",
    "motorcycle",
    "recycling",
    "encyclopedia",
    "steroid",
    "steroids",
    "mycelium",
    "fungi",
    "fungicide",
    "vector",
    "vectors",
    "conazoles",
    "immunoglobulin",
    "globulin",
    "tubulin",
    "testosterone",
    "dihydrotestosterone",
    "oncogene",
    "transgene",
    "degree",
    "degrade",
    "Brazil",
    "parcel",
    "genetic",
    "nidus",
    "mycology",
]


@pytest.mark.parametrize("word", ORDINARY)
def test_new_stems_do_not_fire_on_ordinary_words(vocab: Vocabulary, word: str) -> None:
    assert vocab.match_inn_stem(word) is None, word


def test_no_drug_mention_in_ordinary_prose() -> None:
    text = (
        "The motorcycle courier recycled a bicycle; immunoglobulin and globulin levels, "
        "tubulin, dihydrotestosterone and the transgene vector were measured in a steroid-free "
        "encyclopedia of fungi."
    )
    assert [m.text for m in _found(text) if m.kind == "drug"] == []


# --- external ids: every one cited ---------------------------------------------------------

REGISTRY_PAGES = {
    "drugbank": "https://go.drugbank.com/drugs/",
    "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:",
    "uniprot": "https://www.uniprot.org/uniprotkb/",
    "MONDO": "https://www.ebi.ac.uk/ols4/ontologies/mondo/classes/",
    "CHEBI": "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:",
}


def _mapping_rows() -> Iterator[dict[str, str]]:
    text = ontology_dir().joinpath("vocabulary").joinpath(MAPPINGS_FILE).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    yield from csv.DictReader(io.StringIO(body), delimiter="\t")


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_new_external_id_has_a_confirming_page(vocab: Vocabulary, kind: str) -> None:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in _mapping_rows():
        rows.setdefault(row["subject_id"], []).append(row)
    for key in _block_keys(kind):
        entity = vocab.get(kind, key)
        subject = str(entity.iri).replace(str(DKGR), "dkgr:")
        assert len(rows.get(subject, [])) == len(entity.xrefs), key
        for row in rows.get(subject, []):
            prefix, local = row["object_id"].split(":", 1)
            page = REGISTRY_PAGES[prefix]
            assert row["see_also"].startswith(page), row
            assert local in row["see_also"].replace("%253A", ":").replace("_", ":"), row
            assert len(row["comment"].strip()) > 20, row
            assert row["mapping_justification"] == "semapv:ManualMappingCuration", row


CONFIRMED = {
    ("drug", "clascoterone"): {"drugbank:DB12499"},
    ("drug", "trifarotene"): {"drugbank:DB12808"},
    ("drug", "sarecycline"): {"drugbank:DB12035"},
    ("drug", "cemiplimab"): {"drugbank:DB14707"},
    ("drug", "rituximab"): {"drugbank:DB00073"},
    ("drug", "vismodegib"): {"drugbank:DB08828"},
    ("target", "SMO"): {"hgnc:11119", "uniprot:Q99835"},
    ("target", "PD-1"): {"hgnc:8760", "uniprot:Q15116"},
    ("target", "CD20"): {"hgnc:7315", "uniprot:P11836"},
    ("disease", "pemphigus-vulgaris"): {"MONDO:0008219"},
    ("disease", "scabies"): {"MONDO:0004525"},
    ("drug", "permethrin"): {"CHEBI:34911"},
    ("target", "PD-L1"): {"hgnc:17635", "uniprot:Q9NZQ7"},
}


@pytest.mark.parametrize(("kind", "key"), sorted(CONFIRMED))
def test_confirmed_ids_are_recorded(vocab: Vocabulary, kind: str, key: str) -> None:
    entity = vocab.get(kind, key)
    assert set(entity.xrefs) == CONFIRMED[(kind, key)]
    for xref in entity.matches:
        assert isinstance(xref.iri, URIRef) and str(xref.iri).startswith("http")


def test_block_sizes(vocab: Vocabulary) -> None:
    """The block is what the commit says it is, and nothing in it shadows an older entity."""
    sizes = {kind: len(_block_keys(kind)) for kind in FILES}
    assert sizes["drug"] >= 45 and sizes["disease"] >= 18 and sizes["target"] >= 10
    for kind in FILES:
        assert len(set(_block_keys(kind))) == sizes[kind]


def test_a_disease_whose_bare_name_is_an_adverse_event_is_found_by_qualified_forms(
        vocab: Vocabulary) -> None:
    """A disease whose label is also an adverse-event term (acne vulgaris, molluscum
    contagiosum) keeps its plain label in the graph but does not look it up in text
    (``label_matches: false``): the bare name resolves to the adverse event, the qualified
    forms to the disease."""
    unmatched = [e for e in vocab.entities("disease") if not e.label_matches]
    assert {e.key for e in unmatched} >= {"acne-vulgaris", "molluscum-contagiosum"}
    for disease in unmatched:
        assert not disease.label.endswith(")")  # a plain label, as the graph shows it
        found = vocab.lookup(disease.label)
        assert found is not None and found.kind == "adverse_event", disease.label
        assert vocab.lookup(disease.label, kind="disease") is None
        assert disease.synonyms
        assert all(vocab.lookup(s, kind="disease") == disease for s in disease.synonyms)
