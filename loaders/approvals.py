"""Regulatory approvals: agency, drug/product, indication with severity, age bounds, date.

A sentence states an approval when it has an approval trigger, a focal drug (or its
product, or an anaphor for it) and a disease. The agency comes from the sentence, else the
document's agency. Mentions of the same approval (same drug, indication, age bounds, date)
merge. An approval without a date in the text takes the date of a cited press release that
announces an approval of that drug, else the document's date.
"""

from __future__ import annotations

import copy
import itertools
import re

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Approval, Evidence, Study
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.cues import cues
from dermkg.loaders.mentions import Mention, matcher
from dermkg.loaders.studies import SEVERITY_CLASS, StudyIndex
from dermkg.vocabulary import Entity

_TRIGGER = re.compile(
    r"\b((?:has|have)\s+been\s+indicated|(?:issued|granted|received)\s+(?:a\s+)?notice\s+of\s+compliance|(?:granted|received|issued)\s+(?:a\s+)?(?:product\s+|marketing\s+)?licen[cs]e|approv(?:ed|es|al|ing)|gave\s+(?:the\s+|its\s+)?(?:nod|green[\s-]light|go-ahead)|green[\s-]?light(?:s|ed)|green[\s-]?lit|signed\s+off\s+on|authori[sz](?:ed|ation|e|es)|licen[sc]ed|granted\s+marketing|clear(?:ed|ance)\s+(?:by|from)|clear(?:s|ed)\s+(?:\w+[\w-]*\s+|\([^()]{1,40}\)\s+){0,4}?for|label\s+was\s+(?:extended|expanded|widened)|(?:extended|expanded|widened|broadened|updated|amended)\s+(?:the|its|their)\s+(?:[a-z]+\s+)?(?:label|indication|marketing)|(?:gained|received|won|secured|obtained)\s+(?:an?\s+)?(?:expanded|extended|broadened|new)\s+(?:[\w-]+\s+)?(?:label|indication))\b",
    re.I,
)
# "approved" as an adjective names no approval: "FDA-approved topical agents", "the approved
# dose", "Approved biologics such as …"
_ATTRIBUTIVE = re.compile(
    r"(?:-|\b(?:the|an?|its|their|other|currently|already)\s+|^\W*)approved\s+(?!by\b|for\b|in\b|on\b)[a-z]",
    re.I,
)
# "was not part of the approval package", "the approval process": a noun compound, no approval
_APPROVAL_COMPOUND = re.compile(
    r"\s+(?:package|dossier|process|pathway|application|submission|filing|request|review)\b",
    re.I,
)


def _trigger(t: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
    """The first approval trigger of ``t[lo:hi]`` that is not "approved" used as an adjective."""
    end = len(t) if hi is None else hi
    for m in _TRIGGER.finditer(t, lo, end):
        start = max(lo, m.start() - 14)
        head = t[start : m.start()]
        if m.group(0).lower() == "approved" and _ATTRIBUTIVE.search(
            head + t[m.start() : m.end() + 3]
        ):
            continue
        if m.group(0).lower() == "approval" and _APPROVAL_COMPOUND.match(t, m.end()):
            continue
        return m
    return None


_NOT_APPROVAL = re.compile(
    r"\b(not\s+(?:yet\s+)?approved|off[\s-]label|seek\w*|submit\w*|submission|under\s+review|pdufa|accepted\s+(?:for\s+review|the)|pending|expected|anticipated|if\s+approved|would|could|potential|candidate)\b",
    re.I,
)
_EXPANDED = re.compile(
    r"\b(expand\w*|additional|extend\w*|supplemental|new\s+indication|to\s+include|label\s+expansion|now\s+(?:also\s+)?approved|younger)\b",
    re.I,
)
_EARLIER = re.compile(
    r"\b(had\s+(?:already\s+|previously\s+)?been\s+approved|(?:was|were|has\s+been|have\s+been)\s+(?:previously|already)\s+approved|was\s+(?:first|initially|originally)\s+approved|first\s+approved|initial(?:ly)?\s+approv\w+)\b",
    re.I,
)
_BASED_ON = re.compile(
    r"\bbased\s+on\b|\bsupported\s+by\b|\bsupport(?:ed|s)?\s+the\s+approval\b|\brest(?:s|ed)?\s+on\b|"
    r"\brest(?:s|ed)?\s+\w+ly\s+on\b|\bdr(?:ew|aws?)\s+on\b|\brel(?:ied|ies)\s+on\b|\bon\s+the\s+(?:basis|strength)\s+of\b",
    re.I,
)
# the approval a basis sentence speaks of: "the approval", "Approval was based on …", "the
# pediatric extension was based on …", "the adult approval drew on …"
_BASIS_SUBJECT = re.compile(
    r"\bapprovals?\b|\b(?:both|these|those|the\s+two)\s+(?:[\w-]+\s+)?(?:decisions|authori[sz]ations)\b|"
    r"\b(?:the|this|that)\s+(?:[\w'\u2019-]+\s+){0,3}(?:label|decision|authori[sz]ation|"
    r"(?:(?:label|indication|pediatric|paediatric|adolescent)\s+)?expansion|"
    r"(?:label|indication|pediatric|paediatric|adolescent)\s+extension)\b",
    re.I,
)
_PEDIATRIC = re.compile(r"\b(?:pa?ediatric|child\w*|adolescen\w*|infant\w*|teen\w*)", re.I)
_ANAPHOR = re.compile(
    r"\b(it|the\s+(?:same\s+)?(?:cream|drug|medication|therapy|treatment|ointment|product|agent|foam|biologic|antibody|molecule|label|indication|(?:subcutaneous\s+)?injection))\b",
    re.I,
)
_CLAUSE = re.compile(
    r";\s*|,?\s+and\s+(?:that\s+)?(?=the\s+(?:agency|regulator|ministry)\b)|,\s+(?=when\b)|,\s+and\s+(?=(?:in|on|for)\b)|\s+and\s+(?=(?:widened|expanded|extended|broadened)\b)"
)
# "(2 to <12 years)": a range the age patterns read once it says "aged"
_AGE_PAREN = re.compile(
    r"\((\d+\s*(?:months?|years?)?\s*(?:to|through|[-\u2013])\s*<?\s*\d+\s*(?:years?|months?))\)",
    re.I,
)
_AGE_UP = re.compile(r"\bages?\s+(\d+)\s*(?:years?\s+)?(?:and\s+(?:up|over|older)|\+)", re.I)
_ADULTS = re.compile(r"\badults?\b(?![-\u2010])", re.I)
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
        if (
            _BASED_ON.search(t)
            and _BASIS_SUBJECT.search(t)
            and not (_trigger(t) and info.of_kind("agency"))
        ):
            _attach_basis(ctx, index, info, found)
            continue
        dated = _DECISION_DATED.match(t)
        if dated and found and not info.of_kind("drug", "product"):
            # "The decision, announced on April 18, 2025, …": the date of the approval just
            # stated, when that sentence gave none
            when = P.find_dates(t[dated.start("date") :])
            last = found[-1]
            if when:
                for earlier in found:
                    if (
                        earlier.drug == last.drug
                        and earlier.agency == last.agency
                        and not earlier.date
                    ):
                        earlier.date = when[0].text
        negative = _NOT_APPROVAL.search(t)
        if negative and not _CLAUSE.search(t):
            continue
        if not _trigger(t) and not (
            found and info.of_kind("agency") and _FOLLOWED.search(t) and P.find_dates(t)
        ):
            continue
        drug = _subject_drug(ctx, info)
        agencies = [m.entity for m in info.of_kind("agency") if m.entity is not None]
        if (
            drug is None
            and found
            and not info.of_kind("drug", "product")
            and (agencies or P.find_dates(t))
        ):
            # "Approval for adolescents followed in March 2019", "The Commission approved the
            # 6-month-to-5-year indication": the drug of the approval stated just before
            drug = found[-1].drug
        if drug is None or (not agencies and doc_agency is None and not _place_agencies(t)):
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
            trig = _trigger(t, lo, hi) or _follow_up(t, lo, hi, trig_seen)
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
            if _opinion_only(t, lo, hi, clause_agencies or agencies):
                continue
            places = [] if clause_agencies else _place_agencies(t[lo:hi])
            agency = (
                clause_agencies[0]
                if clause_agencies
                else (places[0] if places else (agencies[0] if agencies else doc_agency))
            )
            if not clause_agencies and not places and found and _AGENCY_ANAPHOR.search(t, lo, hi):
                # "In March 2024, the agency expanded the label": the regulator just named
                agency = found[-1].agency
            diseases = clause_diseases or ([inherited] if inherited else [])
            if not diseases and not info.of_kind("disease"):
                diseases = _implied_disease(ctx, info, found, drug)
            clause_dates = P.find_dates(t[lo:hi])
            listed = _indications(t, lo, hi, trig.end(), diseases)
            if len(listed) > 1:
                # "approved X for two indications: AD in patients 12 years and older, and PN
                # in adults": one approval per indication, with the ages of its own item
                first = _approval(
                    ctx, info, t[lo : listed[1].start], lo, trig, listed[:1], drug, agency, index
                )
                if first is not None:
                    first.date = first.date or prev_date
                    found.append(first)
                    found.extend(_more_indications(t, trig.end(), hi, listed, first, info))
                prev_date = clause_dates[0].text if clause_dates else prev_date
                continue
            ap = _approval(ctx, info, t[lo:hi], lo, trig, diseases, drug, agency, index)
            if ap is not None:
                ap.date = ap.date or prev_date
                if ap.min_age is None and ap.max_age is None and _SAME_GROUP.search(t, lo, hi):
                    _same_ages(ap, found)
                found.extend(_per_agency(info, lo, hi, ap))
                for other in places[1:]:
                    # "approved in Japan and in the European Union for adults": one each
                    more = copy.copy(ap)
                    more.agency, more.evidence = other, list(ap.evidence)
                    found.append(more)
            prev_date = clause_dates[0].text if clause_dates else prev_date
    merged = _merge(found)
    _fill_dates(ctx, merged, vocab)
    for ap in merged:
        if ap.kind == "earlier":
            ap.kind = ""
    return merged


# "the agency expanded the label", "the regulator followed": the agency named before
_AGENCY_ANAPHOR = re.compile(r"\bthe\s+(?:same\s+)?(?:agency|regulator)\b", re.I)
# "for the same age and weight group", "for the same paediatric population": the ages of
# the drug's approval stated before
_SAME_GROUP = re.compile(
    r"\b(?:the\s+)?same\s+(?:[\w-]+\s+){0,3}?(?:age|population|group|patients|age\s+range)\b",
    re.I,
)


def _same_ages(ap: Approval, found: list[Approval]) -> None:
    """Copy the age bounds of the last approval of the same drug that has any."""
    prior = [
        a
        for a in found
        if a.drug.key == ap.drug.key and (a.min_age is not None or a.max_age is not None)
    ]
    if prior:
        ap.min_age, ap.max_age = prior[-1].min_age, prior[-1].max_age


# a committee's recommendation, never an approval ("the CHMP adopted a positive opinion",
# "the CHMP recommended granting a marketing authorisation")
_OPINION = re.compile(r"\bpositive\s+opinion\b|\brecommend(?:ed|s|ing)\b", re.I)
_ADVISORY = {"chmp", "ema"}


def _opinion_only(t: str, lo: int, hi: int, agencies: list[Entity]) -> bool:
    """Whether clause ``t[lo:hi]`` is an advisory body's opinion, not a decision: it speaks of
    an opinion or a recommendation and names no agency but advisory ones (CHMP, EMA)."""
    if not _OPINION.search(t, lo, hi):
        return False
    return not agencies or all(a.key in _ADVISORY for a in agencies)


# "approved in Japan", "authorised in the EU": the agency that grants approvals there
# (place -> agency key, loaders/data/cues.yaml)
_PLACES = cues().approval_places
_PLACE = re.compile(
    r"\b(?:in|across|throughout)\s+(?:the\s+)?("
    + "|".join(re.escape(k) for k in sorted(_PLACES, key=len, reverse=True))
    + r")(?![\w.-])",
    re.I,
)


def _place_agencies(t: str) -> list[Entity]:
    """The agencies of the places ``t`` says a drug is approved in, in order."""
    out: list[Entity] = []
    for m in _PLACE.finditer(t):
        key = _PLACES[m.group(1).lower()]
        if m.group(1) in ("us", "Us", "eu", "Eu", "uk", "Uk"):
            continue  # the pronoun "us", never an unabbreviated place
        agency = matcher().vocab.get("agency", key)
        if all(a.key != agency.key for a in out):
            out.append(agency)
    return out


def _per_agency(info: SentenceInfo, lo: int, hi: int, ap: Approval) -> list[Approval]:
    """ "approved by the European Commission in November 2023 and by the FDA on September 13,
    2024": one approval per agency, each with the date written after it."""
    t = info.text
    marks = [m for m in info.of_kind("agency") if m.entity is not None and lo <= m.start < hi]
    if len(marks) < 2 or len({m.entity.key for m in marks if m.entity}) < 2:
        return [ap]
    coordinated = _coordinated(t, marks)
    if coordinated:
        # "approved by the FDA and the European Commission for adults": one each, same date
        return [_for_agency(ap, a, ap.date) for a in coordinated]
    out: list[Approval] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start if i + 1 < len(marks) else hi
        dates = P.find_dates(t[m.end : end])
        assert m.entity is not None
        if not dates or any(o.agency.key == m.entity.key for o in out):
            return [ap]
        one = copy.copy(ap)
        one.agency, one.date = m.entity, dates[0].text
        one.evidence = list(ap.evidence)
        out.append(one)
    return out


_AND = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:the\s+|by\s+the\s+|by\s+)?", re.I)


def _coordinated(t: str, marks: list[Mention]) -> list[Entity]:
    """The distinct deciding agencies of a list "the FDA and the European Commission", "by
    Health Canada, the MHRA and the TGA" (an abbreviation in parentheses repeats its agency;
    an advisory committee is never one of them); empty when the agencies are not one list."""
    out: list[Entity] = []
    for i, m in enumerate(marks):
        assert m.entity is not None
        if i and not (
            _AND.fullmatch(t, marks[i - 1].end, m.start)
            or re.fullmatch(r"\s*\(", t[marks[i - 1].end : m.start])
        ):
            return []
        if m.entity.key != "chmp" and all(a.key != m.entity.key for a in out):
            out.append(m.entity)
    return out if len(out) > 1 else []


def _for_agency(ap: Approval, agency: Entity, date: str) -> Approval:
    one = copy.copy(ap)
    one.agency, one.date = agency, date
    one.evidence = list(ap.evidence)
    return one


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
        # "approval was based on TRIAL, which enrolled children aged 2 to 12 years": ages
        # after the basis phrase describe the study's population, not the approval's
        basis = _BASED_ON.search(t, tend)
        aged = t[: basis.start()] if basis else t
        lo, hi = _ages(aged, t, info.is_title)
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
            date=_approval_date(t, tstart, tend, dates, a_start, a_end),
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


def _ages(aged: str, t: str, is_title: bool) -> tuple[float | None, float | None]:
    """The age bounds an approval clause states: "aged 2 to 11 years", "ages 12 and up",
    else 12 for adolescents and 18 for adults (``aged``: the clause before any basis phrase)."""
    ages = P.find_ages(aged) or P.find_ages(_AGE_PAREN.sub(r"aged \1", aged))
    lo = min((a.value for a in ages if a.value is not None), default=None)
    hi = max((a.value_max for a in ages if a.value_max is not None), default=None)
    up = _AGE_UP.search(t)
    if lo is None and up is not None:
        lo = float(up.group(1))  # "patients ages 12 and up"
    if lo is None and not is_title:
        if re.search(r"\badolescen", t, re.I):
            lo = 12.0
        elif _ADULTS.search(t):
            lo = 18.0
    return lo, hi


# the glue between two indications of one decision: "…atopic dermatitis in patients 12
# years and older, and moderate-to-severe prurigo nodularis in adults"
_INDICATION_GLUE = re.compile(r",\s*and\b|;|\bas\s+well\s+as\b|,\s*and\s+(?:for|of)\b", re.I)


def _indications(t: str, lo: int, hi: int, tend: int, diseases: list[Mention]) -> list[Mention]:
    """The distinct indications one approval clause lists after its trigger, each closing a
    comma-and list item of its own; one disease (or none split off) when they are not a list."""
    after = [d for d in diseases if d.start >= tend and d.entity is not None]
    out: list[Mention] = []
    for d in after:
        assert d.entity is not None
        if any(o.entity is not None and o.entity.key == d.entity.key for o in out):
            continue
        if out:
            prev = out[-1]
            assert prev.entity is not None
            gap = t[prev.end : d.start]
            nested = d.entity.label.lower() in prev.entity.label.lower() or (
                prev.entity.label.lower() in d.entity.label.lower()
            )
            if nested or len(gap) > 160 or "(" in gap or not _INDICATION_GLUE.search(gap):
                break
        out.append(d)
    return out


def _more_indications(
    t: str, tend: int, hi: int, listed: list[Mention], first: Approval, info: SentenceInfo
) -> list[Approval]:
    """The approvals of the second and further indications of a listed decision, each with
    the ages and severity of its own list item (ending at any basis phrase)."""
    basis = _BASED_ON.search(t, tend, hi)
    end = basis.start() if basis else hi
    out: list[Approval] = []
    for i, d in enumerate(listed[1:], start=1):
        assert d.entity is not None
        glue = list(_INDICATION_GLUE.finditer(t, listed[i - 1].end, d.start))
        seg_lo = glue[-1].start() if glue else d.start
        seg_hi = listed[i + 1].start if i + 1 < len(listed) else end
        seg = t[seg_lo:seg_hi]
        one = copy.copy(first)
        one.indication, one.indication_text = d.entity, d.text
        one.min_age, one.max_age = _ages(seg, seg, info.is_title)
        own_dates = P.find_dates(seg)
        if own_dates:
            # "for plaque psoriasis in May 2022, and then for atopic dermatitis … in December
            # 2024": each item's own date
            one.date = own_dates[0].text
        sev = t[seg_lo : d.start]
        one.severities = {SEVERITY_CLASS[x.lower()] for x in _SEVERITY.findall(sev)}
        one.evidence, one.based_on = list(first.evidence), None
        out.append(one)
    return out


_DECISION_DATED = re.compile(
    r"\s*(?:The|This|That|Its)\s+(?:(?:regulatory|agency[\u2019']s|FDA[\u2019']s)\s+)?"
    r"(?:decision|approval|new\s+indication|label\s+(?:update|expansion|extension)|"
    r"authori[sz]ation|clearance)\b,?\s+(?:(?:was\s+)?(?:announced|granted|issued|made|"
    r"given|dated|effective|came)\s+)?(?:on|in)\s+(?P<date>\S)",
    re.I,
)
_DATE_LEAD = re.compile(r"\b(?:on|in|dated|since)\s+(?:the\s+)?$", re.I)
# "in 2023", "during 2021": a year-precise date (never a range "2021-2023" or "in 2023 and …")
_YEAR = re.compile(
    r"\b(?:in|during|since)\s+(?:early\s+|mid-?|late\s+)?((?:19|20)\d{2})\b(?![-\u2013/]\d)", re.I
)


def _approval_date(
    t: str, tstart: int, tend: int, dates: list[P.Match], a_start: int, a_end: int
) -> str:
    """The date of the approval clause ``t`` whose trigger spans ``tstart``-``tend``: of the
    dates near the trigger, one introduced by "on"/"in" ("approved … on September 13, 2024")
    before any other (an "Update (September 16, 2024):" stamp), the nearest first; else a
    year ("extended the authorisation … in 2023")."""
    near = [d for d in dates if a_start <= d.start <= a_end]
    if near:

        def rank(d: P.Match) -> tuple[int, int]:
            led = bool(_DATE_LEAD.search(t[max(0, d.start - 12) : d.start]))
            gap = d.start - tend if d.start >= tend else tstart - d.end
            return (0 if led else 1, gap)

        return min(near, key=rank).text
    if not dates:
        years = [y for y in _YEAR.finditer(t) if a_start <= y.start() <= a_end]
        if years:
            return years[0].group(1)
    return ""


_DATELINE = re.compile(r"\s*(?:\([^)]{1,40}\)|/[^/]{1,40}/)?\s*(?:--|[\u2013\u2014-])\s")


def _dateline(ctx: DocContext) -> str:
    """The date of a press release's dateline ("CITY, Calif., July 9, 2024 (WIRE) -- …")."""
    for info in ctx.sentences[:12]:
        for d in P.find_dates(info.text):
            if d.start < 80 and _DATELINE.match(info.text, d.end):
                return d.text
    return ""


def _doc_agency(ctx: DocContext) -> Entity | None:
    if not ctx.agencies:
        return None
    key, _ = ctx.agencies.most_common(1)[0]
    return ctx.agency_entities[key]


def _subject_drug(ctx: DocContext, info: SentenceInfo) -> Entity | None:
    vocab = matcher().vocab
    first = _opening_drug(info)
    if (
        first is not None
        and (info.of_kind("agency") or _place_agencies(info.text))
        and (P.find_dates(info.text) or _YEAR.search(info.text))
    ):
        # "Crisaborole ointment 2% (Eucrisa; Pfizer) … gained an expanded FDA label in March
        # 2020 …": a drug that opens a sentence naming an agency and a date is its subject,
        # even when the document is about another drug
        return first
    obj = _object_drug(info)
    if obj is not None:
        return obj
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


def _object_drug(info: SentenceInfo) -> Entity | None:
    """The drug an agency's approval verb takes as its object, in a sentence that dates it
    ("China's NMPA approved stapokibart (…) for adults … in September 2024", "the FDA extended
    the tralokinumab label … in December 2023"): the approval's subject even when the
    document is mostly about another drug."""
    t = info.text
    if not (P.find_dates(t) or _YEAR.search(t)):
        return None
    agencies = info.of_kind("agency")
    for trig in _TRIGGER.finditer(t):
        if not any(a.end <= trig.start() for a in agencies):
            continue
        for m in info.mentions:
            if m.kind not in ("drug", "product") or m.entity is None or m.start < trig.start():
                continue
            gap = t[trig.end() : m.start] if m.start >= trig.end() else ""
            inside = m.start < trig.end()  # "extended the tralokinumab label"
            if not inside and not re.fullmatch(r"\s+(?:the\s+)?", gap):
                break
            return _drug_of(m.entity)
        return None
    return None


def _drug_of(entity: Entity) -> Entity | None:
    """A drug, or the active ingredient of a product (None if the vocabulary has none)."""
    if entity.kind == "drug":
        return entity
    ing = entity.attrs.get("active_ingredient")
    try:
        return matcher().vocab.get("drug", ing) if ing else None
    except KeyError:
        return None


def _opening_drug(info: SentenceInfo) -> Entity | None:
    """The drug a sentence opens with ("Crisaborole ointment 2% …", "Tralokinumab (Adbry)")."""
    m = info.mentions[0] if info.mentions else None
    if m is None or m.kind not in ("drug", "product") or m.entity is None:
        return None
    if not re.fullmatch(r"\W*", info.text[: m.start]):
        return None
    return _drug_of(m.entity)


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
    study = ref.studies[0] if ref is not None and ref.explicit else _named_study(index, info.text)
    if study is None:
        return
    named = {m.entity.key for m in info.of_kind("disease") if m.entity is not None}
    population = _population(info.text)
    ev = ctx.evidence(info, "approval.based-on", supports="basedOnStudy")
    if _per_disease_basis(index, info, found, ev):
        return
    if found and _PLURAL_BASIS.search(info.text):
        # "Both decisions rested on ADvocate 1 and 2": every approval of the drug just stated
        for one in found:
            if one.drug.key == found[-1].drug.key and one.based_on is None:
                one.based_on = study
                one.evidence.append(ev)
        return
    ap = (
        _of_jurisdiction(found, info.text)
        or _expansion_target(found, info.text)
        or _basis_target(_latest_drug(found), named, population)
    )
    if ap is not None:
        ap.based_on = ap.based_on or study
        ap.evidence.append(ev)
        return
    # the approval may be stated later (or only in the title): remember it on the document
    ctx.__dict__.setdefault("pending_basis", []).append((study, ev, population))


def _per_disease_basis(
    index: StudyIndex, info: SentenceInfo, found: list[Approval], ev: Evidence
) -> bool:
    """ "The approvals were based on the A 1 and A 2 trials in atopic dermatitis and the B 1
    and B 2 trials in prurigo nodularis": each approval of the drug just stated takes the
    first study named in the stretch that ends with its indication."""
    marks = [m for m in info.of_kind("disease") if m.entity is not None]
    if len({m.entity.key for m in marks if m.entity is not None}) < 2 or not found:
        return False
    drug = found[-1].drug.key
    done = False
    lo = 0
    for m in marks:
        assert m.entity is not None
        study = _named_study(index, info.text[lo : m.start])
        lo = m.end
        if study is None:
            continue
        for ap in found:
            if ap.drug.key == drug and ap.indication.key == m.entity.key and ap.based_on is None:
                ap.based_on = study
                ap.evidence.append(ev)
                done = True
    return done


_PLURAL_BASIS = re.compile(
    r"\b(?:both|these|those|the\s+two|all\s+(?:three|four|these))\s+(?:[\w-]+\s+)?"
    r"(?:decisions|approvals|authori[sz]ations)\b",
    re.I,
)
_EXPANSION_BASIS = re.compile(
    r"\b(?:the|this|that)\s+(?:[\w-]+\s+)?(?:expansion|extension)\b", re.I
)


def _expansion_target(found: list[Approval], t: str) -> Approval | None:
    """ "The expansion drew on X": the latest expanded approval without a basis yet."""
    if not _EXPANSION_BASIS.search(t):
        return None
    return next(
        (a for a in reversed(found) if a.kind == "ExpandedApproval" and a.based_on is None), None
    )


def _named_study(index: StudyIndex, t: str) -> Study | None:
    """The first study of the document a basis sentence names before the study is introduced
    ("was based on the ADvocate 1, ADvocate 2 and ADhere programme", described further on)."""
    hits = []
    for s in index.studies:
        for name in {s.label, s.acronym, s.nct_id} - {""}:
            m = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", t)
            if m is not None and len(name) > 3:
                hits.append((m.start(), s))
    return min(hits, key=lambda h: h[0])[1] if hits else None


# "the US approval", "the European authorisation": the jurisdiction (agencies.yaml) whose
# approval a basis sentence speaks of (loaders/data/cues.yaml)
_JURISDICTION_WORDS = cues().jurisdiction_words
_OF_JURISDICTION = re.compile(
    r"\b(?:the|this|its)\s+(U\.S\.|[A-Za-z]+)\s+(?:approval|authori[sz]ation|label|decision)\b",
    re.I,
)


def _of_jurisdiction(found: list[Approval], t: str) -> Approval | None:
    """The approval of the jurisdiction a basis sentence names ("The US approval … was based
    on …"), the latest one first."""
    m = _OF_JURISDICTION.search(t)
    code = _JURISDICTION_WORDS.get(m.group(1).lower()) if m is not None else None
    if code is None:
        return None
    return next((a for a in reversed(found) if a.agency.attrs.get("jurisdiction") == code), None)


def _latest_drug(found: list[Approval]) -> list[Approval]:
    """The approvals of the drug stated last, those without a basis yet first: a basis
    sentence speaks of the approval just stated."""
    if not found:
        return []
    mine = [a for a in found if a.drug.key == found[-1].drug.key]
    return [a for a in mine if a.based_on is None] + [a for a in mine if a.based_on is not None]


def _population(t: str) -> str:
    """ "adult" or "pediatric" when a basis sentence names whose approval it is."""
    if _PEDIATRIC.search(t):
        return "pediatric"
    if re.search(r"\badults?\b", t, re.I):
        return "adult"
    return ""


def _basis_target(found: list[Approval], named: set[str], population: str) -> Approval | None:
    """The approval a basis sentence is about: of the disease it names, of the population it
    names (an adult approval starts at 18, a pediatric one below), else the current one."""
    ordered = [a for a in found if a.indication.key in named] + [
        a for a in found if a.indication.key not in named
    ]
    if population:
        for ap in ordered:
            adult = ap.min_age is not None and ap.min_age >= 18
            child = ap.min_age is not None and ap.min_age < 18
            if (population == "adult" and adult) or (population == "pediatric" and child):
                return ap
    return next((ap for ap in ordered if ap.kind != "earlier"), None)


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
    for study, ev, population in pending:
        target = _basis_target(current, set(), population) or _basis_target(
            approvals_, set(), population
        )
        if target is not None:
            target.based_on = target.based_on or study
            target.evidence.append(ev)
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
        if not ap.date:
            ap.date = ctx.date or _dateline(ctx)
