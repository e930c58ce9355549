"""The analysed document: sentences with their mentions, focal drugs, evidence helpers.

:class:`DocContext` is what every rule module reads: the normalised text and its map to the
original, the sentences of content blocks, the vocabulary and pattern mentions of each
sentence, which drugs the document is *about* (focal drugs: a drug mentioned in passing
yields no approval, arm or outcome) and helpers to mint evidence spans.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Evidence
from dermkg.loaders.mapped import MappedText
from dermkg.loaders.mentions import Mention, matcher, unlinked_product
from dermkg.loaders.segment import Block, Sentence, blocks
from dermkg.vocabulary import Entity

_EXTRA_ENDPOINTS: list[tuple[re.Pattern[str], str]] = [
    # "a 75% improvement in the Eczema Area and Severity Index" = EASI-75
    (
        re.compile(
            r"\b(?:at\s+least\s+(?:a\s+)?|\u2265\s?)?(?P<n>50|75|90|100)\s?%\s+(?:or\s+greater\s+)?(?:improvement|reduction)\s+(?:from\s+baseline\s+)?in\s+(?:the\s+)?(?:EASI|Eczema\s+Area\s+and\s+Severity\s+Index)(?:\s+score)?",
            re.I,
        ),
        "easi-{n}",
    ),
    (re.compile(r"\bEASI\s?[\u2010-\u2015\-]?\s?(?P<n>50|75|90|100)\b"), "easi-{n}"),
    # "HECSI-75", "F-VASI 75": the responder endpoint, else the instrument
    (
        re.compile(
            r"\b(?P<i>HECSI|SCORAD|PASI|VASI|F-VASI|T-VASI)\s?[\u2010-\u2015\-]?\s?(?P<n>50|75|90|100)\b"
        ),
        "{i}{n}|{i}",
    ),
    (
        re.compile(
            r"\b(?:at\s+least\s+(?:a\s+)?|\u2265\s?)?(?:50|75|90|100)\s?%\s+(?:or\s+greater\s+)?(?:improvement|reduction)\s+(?:from\s+baseline\s+)?in\s+(?:the\s+)?(?P<i>HECSI|SCORAD|PASI|Hand\s+Eczema\s+Severity\s+Index)",
            re.I,
        ),
        "{i}",
    ),
    # "itch relief, as measured by the numerical rating scale", "itch NRS"
    (
        re.compile(
            r"\b(?:itch|pruritus)\b(?:[^.;]{0,50}?)\b(?:numeric(?:al)?\s+rating\s+scale|NRS)\b",
            re.I,
        ),
        "itch-nrs",
    ),
    (
        re.compile(
            r"(?<![\w\-])IGA\s+(?:score\s+)?(?:of\s+)?0\s?(?:/|or)\s?1\b|\bclear\s+or\s+almost\s+clear\b",
            re.I,
        ),
        "iga-ts",
    ),
    (
        re.compile(
            r"(?<![\w\-])(?:IGA|investigator[\u2019']?s?\s+global\s+assessment)[\s\-\u2010-\u2015]+(?:treatment[\s\-\u2010-\u2015]+)?success\b",
            re.I,
        ),
        "iga-ts",
    ),
]
_DISCONTINUATION = re.compile(
    r"\b(?:(?:treatment\s+|study\s+)?discontinuations?|(?:stopped|discontinued|withdrew\s+from)"
    r"(?:\s+[\w-]+){0,2}?)\s+(?:due\s+to|because\s+of|owing\s+to|for)\s+"
    r"(?:an?\s+)?(?:AEs?|adverse\s+(?:events?|reactions?)|TEAEs?)",
    re.I,
)
_RECEPTOR = re.compile(
    r"\b(?:IL|interleukin)[\s\-\u2010-\u2015]?(?P<n>\d+)\s+receptor\s+(?:subunit\s+)?(?:alpha|\u03b1|A)(?:[\s\-]?(?P<k>1|2))?\b",
    re.I,
)
_HAS_EXTRA = re.compile(
    r"receptor|EASI|Eczema Area|HECSI|SCORAD|PASI|VASI|Hand Eczema|itch|prurit|IGA|investigator|clear|JAK|Janus",  # noqa: E501 (a pattern reads best on one line)
    re.I,
)
_JAK_PAIR = re.compile(
    r"\b(?:Janus\s+kinase|JAK)\s*(?:\(JAK\)\s*)?(?P<a>[1-3])\s*(?:/|,|and|&)\s*(?:JAK|Janus\s+kinase\s*)?\s*(?P<b>[1-3])\b"
)


@dataclass
class SentenceInfo:
    """One sentence and what was recognised in it (offsets relative to the sentence)."""

    sent: Sentence
    mentions: list[Mention]
    is_title: bool = False
    is_heading: bool = False

    @property
    def text(self) -> str:
        return self.sent.text

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]


@dataclass
class DocContext:
    """A document ready for the rules."""

    doc_id: str
    mt: MappedText
    blocks: list[Block]
    sentences: list[SentenceInfo]
    references: list[str]
    title: str = ""
    date: str = ""
    focal_drugs: list[Entity] = field(default_factory=list)
    drug_counts: Counter[str] = field(default_factory=Counter)
    product_of: dict[str, Entity] = field(default_factory=dict)  # drug key -> product named
    agencies: Counter[str] = field(default_factory=Counter)
    agency_entities: dict[str, Entity] = field(default_factory=dict)
    diseases: Counter[str] = field(default_factory=Counter)
    disease_entities: dict[str, Entity] = field(default_factory=dict)

    def evidence(
        self,
        info: SentenceInfo,
        rule: str,
        start: int = 0,
        end: int | None = None,
        supports: str = "",
    ) -> Evidence:
        """Evidence for ``info.text[start:end]`` (default: the whole sentence)."""
        end = len(info.text) if end is None else end
        gs, ge = info.sent.start + start, info.sent.start + end
        a, b, quote = self.mt.quote(gs, ge)
        return Evidence(a, b, quote, rule, supports)

    def is_focal(self, entity: Entity | None) -> bool:
        return entity is not None and any(e.key == entity.key for e in self.focal_drugs)

    @property
    def main_drug(self) -> Entity | None:
        return self.focal_drugs[0] if self.focal_drugs else None


def _endpoint_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Add endpoint phrases the vocabulary's literal forms miss; they override overlaps."""
    m = matcher()
    extra: list[Mention] = []
    extra_ae: list[Mention] = []
    for hit in _DISCONTINUATION.finditer(text):
        try:
            ent = m.vocab.get("adverse_event", "discontinuation-due-to-adverse-event")
        except KeyError:
            break
        extra_ae.append(Mention("adverse_event", hit.start(), hit.end(), hit.group(0), ent))
    if extra_ae:
        mentions = sorted(
            [
                x
                for x in mentions
                if x.kind in ("drug", "product")
                or not any(x.start < e.end and e.start < x.end for e in extra_ae)
            ]
            + extra_ae,
            key=lambda x: (x.start, x.end),
        )
    if not _HAS_EXTRA.search(text):
        return mentions
    for rx, key in _EXTRA_ENDPOINTS:
        for hit in rx.finditer(text):
            groups = {k: v for k, v in hit.groupdict().items() if v}
            entity = None
            for alt in key.split("|"):
                k = alt.format(**groups)
                try:
                    entity = m.vocab.get("endpoint", k.lower())
                except KeyError:
                    found = m.entity_for(k)
                    entity = found if found is not None and found.kind == "endpoint" else None
                if entity is not None:
                    break
            if entity is None:
                continue
            if any(e.start < hit.end() and hit.start() < e.end for e in extra):
                continue
            extra.append(Mention("endpoint", hit.start(), hit.end(), hit.group(0), entity))
    for hit in _RECEPTOR.finditer(text):
        key = f"IL-{hit.group('n')}RA{hit.group('k') or ''}"
        receptor = m.entity_for(key) or m.entity_for(f"IL-{hit.group('n')}RA")
        if receptor is not None and receptor.kind == "target":
            extra.append(Mention("target", hit.start(), hit.end(), hit.group(0), receptor))
    for hit in _JAK_PAIR.finditer(text):
        for g in ("a", "b"):
            member = m.entity_for(f"JAK{hit.group(g)}")
            if member is not None:
                extra.append(Mention("target", hit.start(), hit.end(), hit.group(0), member))
    if not extra:
        return mentions
    kept = [x for x in mentions if not any(x.start < e.end and e.start < x.end for e in extra)]
    return sorted(kept + extra, key=lambda x: (x.start, x.end))


def build_context(doc_id: str, mt: MappedText) -> DocContext:
    """Segment ``mt``, recognise mentions in every content sentence, find the focal drugs."""
    bs = blocks(mt.text)
    m = matcher()
    infos: list[SentenceInfo] = []
    refs = [
        b.text for b in bs if b.kind == "reference" or (b.kind == "junk" and P.find_dates(b.text))
    ]
    title = ""
    for b in bs:
        if b.kind == "title" and not title:
            title = b.text.strip()
        for s in b.sentences:
            s.index = len(infos)
            mentions = _endpoint_mentions(s.text, m.find(s.text))
            infos.append(
                SentenceInfo(
                    s, mentions, is_title=b.kind == "title", is_heading=b.kind == "heading"
                )
            )
    _defined_abbreviations(infos)
    ctx = DocContext(doc_id, mt, bs, infos, refs, title=title)
    ctx.date = _document_date(bs)
    _count_entities(ctx)
    _document_brands(ctx)
    return ctx


# "Seborrheic dermatitis (SD)", "bullous pemphigoid (BP)": a short form the document defines
# right after a disease or endpoint it names
_DEFINED = re.compile(r"\s*[(\[](?P<abbr>[A-Z][A-Za-z0-9]{0,2}[A-Z0-9][A-Za-z0-9]{0,3})[)\],;]")
_DEFINABLE = ("disease", "endpoint")


def _defined_abbreviations(infos: list[SentenceInfo]) -> None:
    """Mentions of short forms the document defines ("Seborrheic dermatitis (SD) … SD in
    patients 9 years and older"), from the definition on, for diseases and endpoints the
    vocabulary knows by their long form only. A short form the vocabulary already knows, or
    one defined for two different entities, is left alone."""
    m = matcher()
    defined: dict[str, Entity | None] = {}
    first: dict[str, int] = {}
    definitions: set[tuple[int, int]] = set()
    for info in infos:
        for x in info.mentions:
            if x.kind not in _DEFINABLE or x.entity is None:
                continue
            hit = _DEFINED.match(info.text, x.end)
            if hit is None:
                continue
            abbr = hit.group("abbr")
            if m.entity_for(abbr) is not None or sum(c.isupper() for c in abbr) < 2:
                continue
            if abbr in defined and defined[abbr] != x.entity:
                defined[abbr] = None  # two meanings: neither
                continue
            defined[abbr] = x.entity
            first.setdefault(abbr, info.sent.index)
            definitions.add((info.sent.index, hit.start("abbr")))
    for abbr, entity in defined.items():
        if entity is None:
            continue
        rx = re.compile(rf"(?<![\w\-]){re.escape(abbr)}(?![\w\-])")
        for info in infos[first[abbr] :]:
            if abbr not in info.text:
                continue
            hits = [
                Mention(entity.kind, h.start(), h.end(), h.group(0), entity)
                for h in rx.finditer(info.text)
                if (info.sent.index, h.start()) not in definitions
                and not any(o.start < h.end() and h.start() < o.end for o in info.mentions)
            ]
            if hits:
                info.mentions = sorted([*info.mentions, *hits], key=lambda o: (o.start, o.end))


# "Rhapsido® (remibrutinib)", "stapokibart (Kangyueda; Keymed Biosciences)", "drug (Brand™)":
# a brand the vocabulary does not list, written next to its active ingredient
_BRAND = r"(?P<brand>[A-Z](?:[a-z]{3,15}|[A-Z]{3,15}))"
_BRAND_BEFORE = re.compile(rf"(?<![\w\-]){_BRAND}\s?[\u00ae\u2122]\s*\(\s*$")
_BRAND_AFTER = re.compile(rf"\s*\(\s*{_BRAND}(?:\s?[\u00ae\u2122]\s*[;,)]|\s*;)")


def _document_brands(ctx: DocContext) -> None:
    """Brands a document names for a drug that the vocabulary does not list: a
    capitalised word with a registered-trade-mark sign next to the drug, or first in a
    parenthesis that goes on with the maker ("(Kangyueda; Keymed Biosciences)"). Each is an
    unlinked product (``attrs["unlinked"]``) whose active ingredient is the drug."""
    m = matcher()
    for info in ctx.sentences:
        t = info.text
        for x in info.of_kind("drug"):
            d = x.entity
            if d is None or d.key in ctx.product_of:
                continue
            hit = _BRAND_BEFORE.search(t, 0, x.start)
            if hit is None or not t[x.end :].lstrip().startswith(")"):
                hit = _BRAND_AFTER.match(t, x.end)
            if hit is None:
                continue
            brand = hit.group("brand")
            if m.entity_for(brand) is not None or brand.lower() == d.label.lower():
                continue
            ctx.product_of[d.key] = unlinked_product(brand, d)


def _document_date(bs: list[Block]) -> str:
    """A byline date: a date in one of the first short blocks (before the body starts)."""
    for b in bs[:40]:
        if b.kind == "content" and len(b.text) > 200:
            break
        if len(b.text) <= 80:
            dates = P.find_dates(b.text)
            if dates and len(dates[0].text) == 10:
                return dates[0].text
    return ""


def _count_entities(ctx: DocContext) -> None:
    drugs: Counter[str] = Counter()
    entities: dict[str, Entity] = {}
    in_title: set[str] = set()
    vocab = matcher().vocab
    for info in ctx.sentences:
        for mention in info.mentions:
            e = mention.entity
            if mention.kind == "product" and e is not None:
                ingredient = e.attrs.get("active_ingredient")
                try:
                    drug = vocab.get("drug", ingredient) if ingredient else None
                except KeyError:
                    drug = None
                if drug is not None:
                    drugs[drug.key] += 1
                    entities[drug.key] = drug
                    ctx.product_of.setdefault(drug.key, e)
                    if info.is_title:
                        in_title.add(drug.key)
            elif mention.kind == "drug" and e is not None:
                drugs[e.key] += 1
                entities[e.key] = e
                if info.is_title:
                    in_title.add(e.key)
            elif mention.kind == "agency" and e is not None:
                ctx.agencies[e.key] += 1
                ctx.agency_entities[e.key] = e
            elif mention.kind == "disease" and e is not None:
                ctx.diseases[e.key] += 1
                ctx.disease_entities[e.key] = e
    ctx.drug_counts = drugs
    if not drugs:
        return
    top = max(drugs.values())
    focal = [k for k, n in drugs.most_common() if k in in_title or (n >= 2 and n >= 0.34 * top)]
    ctx.focal_drugs = [entities[k] for k in focal]
