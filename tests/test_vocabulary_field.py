"""The vocabulary beyond the seed documents: the wider dermatology therapeutics field
(psoriasis / HS / GPP / urticaria biologics, alopecia areata JAK inhibitors, their brands,
targets, endpoints and regulators) resolves the way articles spell it, and every external
id it carries is cited the way the SSSOM file requires."""

from __future__ import annotations

import csv
import io

import pytest
from rdflib.namespace import RDF

from dermkg.identifiers import expand
from dermkg.namespaces import DKG, DKGR
from dermkg.resources import ontology_dir
from dermkg.vocabulary import MAPPINGS_FILE, Vocabulary, load_vocabulary


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


# drug key -> (a brand, a development code or None)
FIELD_DRUGS = {
    "deuruxolitinib": ("Leqselvi", "CTP-543"),
    "secukinumab": ("Cosentyx", "AIN457"),
    "ixekizumab": ("Taltz", None),
    "bimekizumab": ("Bimzelx", None),
    "brodalumab": ("Siliq", "AMG 827"),
    "spesolimab": ("Spevigo", "BI 655130"),
    "ustekinumab": ("Stelara", "CNTO 1275"),
    "guselkumab": ("Tremfya", "CNTO1959"),
    "risankizumab": ("Skyrizi", "BI 655066"),
    "tildrakizumab": ("Ilumya", "MK-3222"),
    "adalimumab": ("Humira", "D2E7"),
    "etanercept": ("Enbrel", None),
    "infliximab": ("Remicade", None),
    "certolizumab-pegol": ("Cimzia", "CDP870"),
    "omalizumab": ("Xolair", None),
}

# drugs whose DrugBank id is recorded (deuruxolitinib: none confirmed yet)
WITH_DRUGBANK = sorted(set(FIELD_DRUGS) - {"deuruxolitinib"})


@pytest.mark.parametrize("key", sorted(FIELD_DRUGS))
def test_drug_resolves_by_name_brand_and_code(vocab: Vocabulary, key: str) -> None:
    drug = vocab.get("drug", key)
    assert vocab.lookup(drug.label, kind="drug") == drug
    brand, code = FIELD_DRUGS[key]
    product = vocab.lookup(brand, kind="product")
    assert product is not None, brand
    assert product.attrs["active_ingredient"] == key
    if code is not None:
        assert vocab.lookup(code, kind="drug") == drug
        assert code in drug.codes


@pytest.mark.parametrize("key", WITH_DRUGBANK)
def test_biologic_has_one_drugbank_id(vocab: Vocabulary, key: str) -> None:
    ids = [c for c in vocab.get("drug", key).xrefs if c.startswith("drugbank:DB")]
    assert len(ids) == 1, (key, ids)


def test_every_drug_target_resolves_and_is_typed(vocab: Vocabulary) -> None:
    graph = vocab.to_rdf()
    for key in FIELD_DRUGS:
        drug = vocab.get("drug", key)
        assert drug.attrs["targets"], key
        for link in drug.attrs["targets"]:
            target = vocab.get("target", link["target"])
            prop, _ = vocab.mechanism_terms(link["action"])
            assert (drug.iri, prop, target.iri) in graph, (key, link)


# target key -> (gene symbol, HGNC id or None when unconfirmed, UniProt accession)
FIELD_TARGETS = {
    "IL-17A": ("IL17A", "hgnc:5981", "uniprot:Q16552"),
    "IL-17F": ("IL17F", "hgnc:16404", "uniprot:Q96PD4"),
    "IL-17RA": ("IL17RA", "hgnc:5985", "uniprot:Q96F46"),
    "IL-23": ("IL23A", "hgnc:15488", "uniprot:Q9NPF7"),
    "IL-12B": ("IL12B", "hgnc:5970", "uniprot:P29460"),
    "TNF": ("TNF", "hgnc:11892", "uniprot:P01375"),
    "IL-36R": ("IL1RL2", None, "uniprot:Q9HB29"),
    "IgE": ("IGHE", None, "uniprot:P01854"),
}


@pytest.mark.parametrize("key", sorted(FIELD_TARGETS))
def test_target_gene_and_ids(vocab: Vocabulary, key: str) -> None:
    target = vocab.get("target", key)
    symbol, hgnc, uniprot = FIELD_TARGETS[key]
    assert target.attrs["gene_symbol"] == symbol
    assert vocab.lookup(symbol, kind="target") == target  # the symbol is a surface form
    assert uniprot in target.xrefs
    assert [c for c in target.xrefs if c.startswith("uniprot:")] == [uniprot]
    hgncs = [c for c in target.xrefs if c.startswith("hgnc:")]
    assert hgncs == ([hgnc] if hgnc else [])


def test_heterodimer_and_antibody_class_are_close_matches(vocab: Vocabulary) -> None:
    """IL-23 (p19/p40) and IgE are linked to one chain's record: skos:closeMatch, not exact."""
    for key in ("IL-23", "IgE"):
        predicates = {m.predicate for m in vocab.get("target", key).matches}
        assert predicates == {"skos:closeMatch"}, key
    assert {m.predicate for m in vocab.get("target", "IL-17A").matches} == {"skos:exactMatch"}


def test_target_classes(vocab: Vocabulary) -> None:
    graph = vocab.to_rdf()
    assert (vocab.get("target", "IL-17A").iri, RDF.type, DKG.Interleukin) in graph
    assert (vocab.get("target", "IL-36R").iri, RDF.type, DKG.InterleukinReceptor) in graph
    assert (vocab.get("target", "TNF").iri, RDF.type, DKG.Cytokine) in graph


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("interleukin-17A", "target", "IL-17A"),
        ("IL-17", "target", "IL-17A"),
        ("IL‑17F", "target", "IL-17F"),
        ("IL-17 receptor A", "target", "IL-17RA"),
        ("IL-23p19", "target", "IL-23"),
        ("p19 subunit of IL-23", "target", "IL-23"),
        ("IL-12/23 p40", "target", "IL-12B"),
        ("interleukin-36 receptor", "target", "IL-36R"),
        ("TNF-α", "target", "TNF"),
        ("TNF-alpha", "target", "TNF"),
        ("tumour necrosis factor", "target", "TNF"),
        ("immunoglobulin E", "target", "IgE"),
        ("TEC family of kinases", "target", "TEC"),
        ("generalised pustular psoriasis", "disease", "generalized-pustular-psoriasis"),
        ("pustulosis palmaris et plantaris", "disease", "palmoplantar-pustulosis"),
        ("chronic idiopathic urticaria", "disease", "chronic-spontaneous-urticaria"),
        ("Bullous Pemphigoid", "disease", "bullous-pemphigoid"),
        ("PASI 75", "endpoint", "pasi-75"),
        ("PASI-90", "endpoint", "pasi-90"),
        ("≥75% improvement in PASI", "endpoint", "pasi-75"),
        ("PASI 100", "endpoint", "pasi-100"),
        ("sPGA 0/1", "endpoint", "spga-0-1"),
        ("GPPGA pustulation subscore of 0", "endpoint", "gppga-pustulation-0"),
        ("GPPPGA total score of 0 or 1", "endpoint", "gppga-0-1"),
        ("GPP flares", "endpoint", "gpp-flare"),
        ("SALT score of 20 or less", "endpoint", "salt-20"),
        ("SALT ≤ 20", "endpoint", "salt-20"),
        ("HiSCR50", "endpoint", "hiscr"),
        ("HiSCR 75", "endpoint", "hiscr75"),
        ("≥75% improvement in HECSI", "endpoint", "hecsi-75"),
        ("weekly Urticaria Activity Score", "endpoint", "uas7"),
        ("UAS7=0", "endpoint", "uas7-0"),
        ("DLQI 0 or 1", "endpoint", "dlqi-0-1"),
        ("Agência Nacional de Vigilância Sanitária", "agency", "anvisa"),
        ("Ministry of Food and Drug Safety", "agency", "mfds"),
        ("Sun Pharma", "organization", "sun-pharma"),
        ("UCB", "organization", "ucb"),
    ],
)
def test_article_spellings(vocab: Vocabulary, text: str, kind: str, key: str) -> None:
    entity = vocab.lookup(text, kind=kind)
    assert entity is not None and entity.key == key, (text, entity)


# disease key -> (external id, predicate)
FIELD_DISEASES = {
    "generalized-pustular-psoriasis": ("MONDO:0100491", "skos:exactMatch"),
    "palmoplantar-pustulosis": ("MONDO:0015597", "skos:exactMatch"),
    "bullous-pemphigoid": ("MONDO:0019082", "skos:exactMatch"),
    "rosacea": ("MONDO:0006604", "skos:exactMatch"),
    "lichen-planus": ("mesh:D008010", "skos:exactMatch"),
    "chronic-spontaneous-urticaria": ("HP:0410133", "skos:closeMatch"),
}


@pytest.mark.parametrize("key", sorted(FIELD_DISEASES))
def test_disease_ids(vocab: Vocabulary, key: str) -> None:
    curie, predicate = FIELD_DISEASES[key]
    disease = vocab.get("disease", key)
    assert [(m.curie, m.predicate) for m in disease.matches] == [(curie, predicate)]


def test_abbreviations_are_kept_apart(vocab: Vocabulary) -> None:
    assert "GPP" in vocab.get("disease", "generalized-pustular-psoriasis").abbreviations
    assert "PPP" in vocab.get("disease", "palmoplantar-pustulosis").abbreviations
    assert "CSU" in vocab.get("disease", "chronic-spontaneous-urticaria").abbreviations
    assert "PASI" in vocab.get("endpoint", "pasi").abbreviations


def test_new_terms_do_not_shadow_safety_terms(vocab: Vocabulary) -> None:
    """A bare adverse-event word stays an adverse event: the new diseases use qualified names."""
    for word in ("urticaria", "acne", "acne vulgaris", "injection site reaction"):
        entity = vocab.lookup(word)
        assert entity is not None and entity.kind == "adverse_event", (word, entity)


@pytest.mark.parametrize(
    ("derived", "instrument"),
    [
        ("pasi-50", "pasi"),
        ("pasi-75", "pasi"),
        ("pasi-90", "pasi"),
        ("pasi-100", "pasi"),
        ("spga-0-1", "spga"),
        ("gppga-pustulation-0", "gppga"),
        ("salt-20", "salt"),
        ("hecsi-75", "hecsi"),
        ("uas7-0", "uas7"),
        ("dlqi-0-1", "dlqi"),
    ],
)
def test_derived_endpoints_name_their_instrument(
    vocab: Vocabulary, derived: str, instrument: str
) -> None:
    entity = vocab.get("endpoint", derived)
    assert entity.attrs["instrument"] == instrument
    vocab.get("endpoint", instrument)  # the instrument exists


def test_products_routes_and_holders(vocab: Vocabulary) -> None:
    graph = vocab.to_rdf()
    for key in ("spevigo", "remicade"):
        product = vocab.get("product", key)
        assert product.attrs["route"] == "intravenous"
        assert (product.iri, DKG.route, DKG.IntravenousRoute) in graph
    cosentyx = vocab.get("product", "cosentyx")
    assert (cosentyx.iri, DKG.route, DKG.SubcutaneousRoute) in graph
    assert (cosentyx.iri, DKG.dosageForm, DKG.Injection) in graph
    assert list(vocab.get("product", "leqselvi").attrs["strengths"]) == ["8 mg"]
    for key, org in [
        ("bimzelx", "ucb"),
        ("spevigo", "boehringer-ingelheim"),
        ("tremfya", "janssen"),
        ("kyntheum", "leo-pharma"),
    ]:
        assert org in vocab.get("product", key).attrs["manufacturers"], key
        vocab.get("organization", org)


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("sonelokimab", "-kimab"),
        ("rademikibart", "-kibart"),
        ("verekitug", "-tug"),
        ("imiquimod", "-imod"),
        ("tazarotene", "-arotene"),
        ("budesonide", "-sonide"),
        ("dexamethasone", "-methasone"),
        ("guselkumab", "-umab"),
    ],
)
def test_inn_stems_of_the_field(vocab: Vocabulary, name: str, stem: str) -> None:
    match = vocab.match_inn_stem(name)
    assert match is not None and match.stem == stem, (name, match)


def test_inn_stem_exceptions(vocab: Vocabulary) -> None:
    assert vocab.match_inn_stem("Hobart") is None
    assert vocab.match_inn_stem("tug") is None  # no longer than the stem


def _rows() -> list[dict[str, str]]:
    text = ontology_dir().joinpath("vocabulary").joinpath(MAPPINGS_FILE).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body), delimiter="\t"))


def _field_subjects(vocab: Vocabulary) -> set[str]:
    keys = [("drug", k) for k in FIELD_DRUGS] + [("target", k) for k in FIELD_TARGETS]
    keys += [("disease", k) for k in FIELD_DISEASES]
    return {"dkgr:" + str(vocab.get(kind, key).iri)[len(str(DKGR)) :] for kind, key in keys}


def test_field_rows_cite_the_registry_record(vocab: Vocabulary) -> None:
    """Each new row's see_also is the registry's own page for that very id."""
    subjects = _field_subjects(vocab)
    rows = [r for r in _rows() if r["subject_id"] in subjects]
    assert len(rows) >= 31
    for row in rows:
        prefix, local = row["object_id"].split(":", 1)
        assert local in row["see_also"], row
        assert row["see_also"].startswith("https://"), row
        assert str(expand(row["object_id"])).startswith(("http://", "https://"))
        assert len(row["comment"]) > 20, row
        assert prefix in {"drugbank", "hgnc", "uniprot", "MONDO", "mesh", "HP"}, row
