"""Regulatory approvals: agency, drug/product, indication with severity, age bounds, date.

A sentence states an approval when it has an approval trigger, a focal drug (or its
product, or an anaphor for it) and a disease. The agency comes from the sentence, else the
document's agency. Mentions of the same approval (same drug, indication, age bounds, date)
merge. An approval without a date in the text takes the date of a cited press release that
announces an approval of that drug, else the document's date.
"""

from __future__ import annotations

import itertools
import re

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Approval
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.mentions import Mention, matcher
from dermkg.loaders.studies import SEVERITY_CLASS, StudyIndex
from dermkg.vocabulary import Entity

_TRIGGER = re.compile(
    r"\b((?:has|have)\s+been\s+indicated|approv(?:ed|es|al|ing)|authori[sz](?:ed|ation|e|es)|licen[sc]ed|granted\s+marketing|clear(?:ed|ance)\s+(?:by|from)|clear(?:s|ed)\s+(?:\w+[\w-]*\s+)?for|label\s+was\s+(?:extended|expanded|widened)|(?:extended|expanded|widened|broadened)\s+the\s+(?:label|indication|marketing))\b",
    re.I,
)
_NOT_APPROVAL = re.compile(
    r"\b(not\s+(?:yet\s+)?approved|off[\s-]label|seek\w*|submit\w*|submission|under\s+review|pdufa|accepted\s+(?:for\s+review|the)|pending|expected|anticipated|if\s+approved|would|could|potential|candidate)\b",
    re.I,
)
_EXPANDED = re.compile(
    r"\b(expand\w*|additional|extend\w*|new\s+indication|label\s+expansion|now\s+(?:also\s+)?approved|younger)\b",
    re.I,
)
_EARLIER = re.compile(
    r"\b(had\s+(?:already\s+|previously\s+)?been\s+approved|was\s+(?:first|initially|originally)\s+approved|first\s+approved|initial(?:ly)?\s+approv\w+)\b",
    re.I,
)
_BASED_ON = re.compile(
    r"\bbased\s+on\b|\bsupported\s+by\b|\bsupport(?:ed|s)?\s+the\s+approval\b|\brests?\s+on\b|\bon\s+the\s+(?:basis|strength)\s+of\b",
    re.I,
)
_ANAPHOR = re.compile(
    r"\b(it|the\s+(?:same\s+)?(?:cream|drug|medication|therapy|treatment|ointment|product|agent|foam|biologic|antibody|molecule|label|indication))\b",
    re.I,
)
_CLAUSE = re.compile(
    r";\s*|,\s+(?=when\b)|,\s+and\s+(?=(?:in|on|for)\b)|\s+and\s+(?=(?:widened|expanded|extended|broadened)\b)"
)
_ADULTS = re.compile(r"\badults\b", re.I)
_SEVERITY = re.compile(r"\b(mild|moderate|severe)\b", re.I)
_PRESS = re.compile(r"\b(announce\w*|news\s+release|press\s+release)\b", re.I)


def approvals(ctx: DocContext, index: StudyIndex) -> list[Approval]:
    """The approvals a document states, merged per drug, indication, ages and date."""
    vocab = matcher().vocab
    found: list[Approval] = []
    doc_agency = _doc_agency(ctx)
    for info in ctx.sentences:
        if info.is_heading:
            continue
        t = info.text
        if _BASED_ON.search(t) and re.search(
            r"\b(?:the|this)\s+(?:[\w'\u2019-]+\s+){0,3}(?:approval|label|decision|authori[sz]ation)\b",
            t,
            re.I,
        ):
            _attach_basis(ctx, index, info, found)
            continue
        negative = _NOT_APPROVAL.search(t)
        if negative and not _CLAUSE.search(t):
            continue
        if not _TRIGGER.search(t) and not (
            found and info.of_kind("agency") and _FOLLOWED.search(t) and P.find_dates(t)
        ):
            continue
        drug = _subject_drug(ctx, info)
        agencies = [m.entity for m in info.of_kind("agency") if m.entity is not None]
        if drug is None and found and not info.of_kind("drug", "product"):
            # "Approval for adolescents followed in March 2019", "The Commission approved the
            # 6-month-to-5-year indication": the drug of the approval stated just before
            drug = found[-1].drug
        if drug is None or (not agencies and doc_agency is None):
            continue
        cuts = [
            0,
            *[
                m.end()
                for m in _CLAUSE.finditer(t)
                if t.count("(", 0, m.start()) <= t.count(")", 0, m.start())
            ],
            len(t),
        ]
        inherited: Mention | None = None
        trig_seen: re.Match[str] | None = None
        prev_date = ""
        for lo, hi in itertools.pairwise(cuts):
            clause_diseases = [
                m for m in info.of_kind("disease") if m.entity is not None and lo <= m.start < hi
            ]
            if negative and _NOT_APPROVAL.search(t, lo, hi):
                continue  # "…; a decision for children is expected next year"
            trig = _TRIGGER.search(t, lo, hi) or _follow_up(t, lo, hi, trig_seen)
            if clause_diseases:
                inherited = clause_diseases[0]
            if trig is not None:
                trig_seen = trig
            if trig is None:
                dates_here = P.find_dates(t[lo:hi])
                prev_date = dates_here[0].text if dates_here else prev_date
                continue
            clause_agencies = [
                m.entity
                for m in info.of_kind("agency")
                if m.entity is not None and lo <= m.start < hi
            ]
            agency = (
                clause_agencies[0] if clause_agencies else (agencies[0] if agencies else doc_agency)
            )
            diseases = clause_diseases or ([inherited] if inherited else [])
            if not diseases and not info.of_kind("disease"):
                diseases = _implied_disease(ctx, info, found, drug)
            clause_dates = P.find_dates(t[lo:hi])
            ap = _approval(ctx, info, t[lo:hi], lo, trig, diseases, drug, agency, index)
            if ap is not None:
                ap.date = ap.date or prev_date
                found.append(ap)
            prev_date = clause_dates[0].text if clause_dates else prev_date
    merged = _merge(found)
    _fill_dates(ctx, merged, vocab)
    for ap in merged:
        if ap.kind == "earlier":
            ap.kind = ""
    return merged


_FOLLOWED = re.compile(r"\bfollowed(?:\s+suit)?\b", re.I)
_ELLIPTICAL = re.compile(
    r"\s*for\s+(?:\w+\s+){0,2}?(?:adults|adolescents|children|infants|patients)\b", re.I
)


def _follow_up(t: str, lo: int, hi: int, previous: re.Match[str] | None) -> re.Match[str] | None:
    """A clause that states an approval without its verb: "…, and for children aged 6 to 11
    years in May 2020" after an approval clause, or "The Commission followed in December 2021"."""
    if previous is not None and _ELLIPTICAL.match(t, lo) and P.find_dates(t[lo:hi]):
        return _ELLIPTICAL.match(t, lo)
    followed = _FOLLOWED.search(t, lo, hi)
    if followed is not None and P.find_dates(t[lo:hi]):
        return followed
    return None


def _product_named(info: SentenceInfo, drug: Entity) -> Entity | None:
    """The brand of ``drug`` the sentence names ("where the drug is sold as Adbry")."""
    for m in info.of_kind("product"):
        if m.entity is not None and m.entity.attrs.get("active_ingredient") == drug.key:
            return m.entity
    return None


def _implied_disease(
    ctx: DocContext, info: SentenceInfo, found: list[Approval], drug: Entity
) -> list[Mention]:
    """ "the Commission authorized the same product for adults …": the indication of the
    drug's approval stated before, else the document's main disease."""
    prior = [a for a in found if a.drug.key == drug.key]
    entity = prior[-1].indication if prior else None
    if entity is None and ctx.diseases:
        entity = ctx.disease_entities[ctx.diseases.most_common(1)[0][0]]
    if entity is None:
        return []
    return [Mention("disease", 0, 0, entity.label, entity)]


def _approval(
    ctx: DocContext,
    info: SentenceInfo,
    t: str,
    offset: int,
    trig: re.Match[str],
    diseases: list[Mention],
    drug: Entity,
    agency: Entity | None,
    index: StudyIndex,
) -> Approval | None:
    """One approval stated by clause ``t`` (``offset`` into the sentence)."""
    if agency is None or not diseases:
        return None
    if True:
        tstart, tend = trig.start() - offset, trig.end() - offset
        disease_m = diseases[0]
        after = [d for d in diseases if d.start - offset > tend]
        if after:
            disease_m = after[0]
        ages = P.find_ages(t)
        lo = min((a.value for a in ages if a.value is not None), default=None)
        hi = max((a.value_max for a in ages if a.value_max is not None), default=None)
        if lo is None and not info.is_title:
            if re.search(r"\badolescen", t, re.I):
                lo = 12.0
            elif _ADULTS.search(t):
                lo = 18.0
        dates = [d for d in P.find_dates(t)]
        a_start, a_end = max(0, tstart - 120), min(len(t), tend + 200)
        ds = max(0, disease_m.start - offset)
        sev_window = t[max(0, ds - 60) : ds]
        severities = {SEVERITY_CLASS[s.lower()] for s in _SEVERITY.findall(sev_window)}
        product = _product_named(info, drug) or ctx.product_of.get(drug.key)
        kind = (
            "ExpandedApproval"
            if _EXPANDED.search(t)
            else ("InitialApproval" if _EARLIER.search(t) and "first" in t.lower() else "")
        )
        assert disease_m.entity is not None
        ap = Approval(
            agency=agency,
            drug=drug,
            product=product,
            indication=disease_m.entity,
            indication_text=disease_m.text,
            severities=severities,
            min_age=lo,
            max_age=hi,
            date=dates[0].text if dates and a_start <= dates[0].start <= a_end else "",
            kind=kind,
        )
        ap.evidence.append(ctx.evidence(info, "approval.sentence", supports="indication"))
        if _EARLIER.search(t):
            ap.kind = ap.kind or "earlier"
        if _BASED_ON.search(t):
            ref = index.ref(info)
            if ref is not None and ref.explicit:
                ap.based_on = ref.studies[0]
        return ap


def _doc_agency(ctx: DocContext) -> Entity | None:
    if not ctx.agencies:
        return None
    key, _ = ctx.agencies.most_common(1)[0]
    return ctx.agency_entities[key]


def _subject_drug(ctx: DocContext, info: SentenceInfo) -> Entity | None:
    vocab = matcher().vocab
    for m in info.mentions:
        if m.kind == "drug" and m.entity is not None and ctx.is_focal(m.entity):
            return m.entity
        if m.kind == "product" and m.entity is not None:
            ing = m.entity.attrs.get("active_ingredient")
            try:
                drug = vocab.get("drug", ing) if ing else None
            except KeyError:
                drug = None
            if drug is not None and ctx.is_focal(drug):
                return drug
    anaphor = _ANAPHOR.search(info.text)
    if anaphor is None or info.of_kind("drug", "product") or ctx.main_drug is None:
        return None
    form = re.search(r"(cream|ointment|foam|gel|lotion)$", anaphor.group(0), re.I)
    if form is not None and len(ctx.focal_drugs) > 1:
        # "the cream": the focal drug the document names as a cream
        for d in ctx.focal_drugs:
            rx = rf"\b{re.escape(d.label)}\s+(?:\w+\s+)?{form.group(1)}\b"
            if any(re.search(rx, i.text, re.I) for i in ctx.sentences):
                return d
    return ctx.main_drug if _dominant(ctx) else None


def _dominant(ctx: DocContext) -> bool:
    """Whether the document's main drug is the one "the cream", "it" stand for: the only
    focal drug, or named at least twice as often as any other (a comparator)."""
    if len(ctx.focal_drugs) <= 1:
        return True
    counts = sorted((ctx.drug_counts.get(d.key, 0) for d in ctx.focal_drugs), reverse=True)
    return counts[0] >= 2 * counts[1]


def _attach_basis(
    ctx: DocContext, index: StudyIndex, info: SentenceInfo, found: list[Approval]
) -> None:
    """ "The approval was based on data from TRuE-AD3": the basis of the current approval."""
    ref = index.ref(info)
    if ref is None or not ref.explicit:
        return
    named = {m.entity.key for m in info.of_kind("disease") if m.entity is not None}
    ordered = [a for a in found if a.indication.key in named] + [
        a for a in found if a.indication.key not in named
    ]
    for ap in ordered:
        if ap.kind != "earlier":
            ap.based_on = ap.based_on or ref.studies[0]
            ap.evidence.append(ctx.evidence(info, "approval.based-on", supports="basedOnStudy"))
            return
    # the approval may be stated later (or only in the title): remember it on the document
    ctx.__dict__.setdefault("pending_basis", []).append(
        (ref.studies[0], ctx.evidence(info, "approval.based-on", supports="basedOnStudy"))
    )


def _merge(found: list[Approval]) -> list[Approval]:
    out: list[Approval] = []
    for ap in found:
        target = None
        for ex in out:
            if ex.drug.key != ap.drug.key or ex.indication.key != ap.indication.key:
                continue
            if ex.agency.key != ap.agency.key:
                continue
            if (ex.min_age is not None and ap.min_age is not None and ex.min_age != ap.min_age) or (
                ex.date and ap.date and ex.date != ap.date
            ):
                continue
            if (ex.kind == "earlier") != (ap.kind == "earlier") and not (
                ex.date and ex.date == ap.date
            ):
                continue
            target = ex
            break
        if target is None:
            out.append(ap)
            continue
        target.severities |= ap.severities
        target.min_age = target.min_age if target.min_age is not None else ap.min_age
        target.max_age = target.max_age if target.max_age is not None else ap.max_age
        target.date = target.date or ap.date
        target.based_on = target.based_on or ap.based_on
        target.product = target.product or ap.product
        if ap.kind and target.kind in ("", "earlier"):
            target.kind = ap.kind if target.kind == "" else target.kind
        target.evidence.extend(ap.evidence)
    return out


def _fill_dates(ctx: DocContext, approvals_: list[Approval], vocab: object) -> None:
    pending = ctx.__dict__.get("pending_basis", [])
    current = [a for a in approvals_ if a.kind != "earlier" and not a.date]
    for study, ev in pending:
        for ap in current[:1]:
            ap.based_on = ap.based_on or study
            ap.evidence.append(ev)
    for ap in current:
        names = {ap.drug.label.lower()} | ({ap.product.label.lower()} if ap.product else set())
        for ref in ctx.references:
            low = ref.lower()
            if "approv" in low and _PRESS.search(ref) and any(n in low for n in names):
                dates = [
                    d
                    for d in P.find_dates(ref)
                    if not re.search(r"accessed\s*$", ref[: d.start].lower()[-12:])
                ]
                if dates:
                    ap.date = dates[0].text
                    break
        if not ap.date and ctx.date:
            ap.date = ctx.date
