"""Studies of a document: names, NCT ids, descriptive studies, which sentence refers to which,
and their attributes (phase, design, enrolment, population, allocation ratio, arms).

Named studies are recognised by shape next to a trial cue ("the TRU83 trial",
"TRuE-AD3 (NCT04921969)", "phase 3 ECZTRA 1"); unnamed ones by a design phrase that
introduces them ("a maximum-use trial (MUsT)", "a retrospective chart review"). A sentence
without an explicit reference refers to the study in focus ("the study", "researchers").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Arm, Period, Study
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.cues import cues
from dermkg.loaders.mentions import matcher
from dermkg.vocabulary import Entity, normalize_surface

D = P.DASH
_NAME = rf"(?:[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[A-Z]{{2,}}[a-z]+)(?:[{D}][A-Za-z0-9]+)*(?:/\d[ab]?\b)?(?:\s(?:[A-Z]{{2,}}[A-Za-z]*(?:[{D}][A-Za-z0-9]+)*|\d{{1,2}}[a-z]?\b|I\b(?=\s*(?:[,.;:()\[\]]|and\b|or\b|vs\b|versus\b|trials?\b|stud(?:y|ies)\b|$))))*"  # noqa: E501 (a pattern reads best on one line)
# "(NCT04872101)", "(NCT number NCT04872101)", "(ClinicalTrials.gov identifier: NCT…)"
_NCT_LABEL = (
    r"(?:(?:NCT\s+number|ClinicalTrials\.gov(?:\s+(?:identifier|ID|number|registration))?|"
    r"identifier|registration(?:\s+number)?|trial\s+ID)[:,]?\s+)?"
)
# "Heads Up (NCT…)", "Open Skies (NCT…)": two or three title-case words right before an NCT id
_TITLE_WORDS = rf"(?<![\w{D}])[A-Z][a-z]+(?:[ {D}][A-Z][a-z]+){{1,2}}"
_ALL_TITLE = re.compile(rf"[A-Z][a-z]+(?:[ {D}][A-Z][a-z]+)*")
# "Study A", "Trial C": a programme's trials told apart by a capital letter
_LETTER_NAME = rf"\b(?:Study|Trial)\s[A-Z](?![\w{D}])"
_NAME_BEFORE_NCT = re.compile(
    rf"(?P<name>{_LETTER_NAME}|(?:[A-Z][a-z]+\s){{1,3}}(?:\d{{1,2}}[a-z]?|[A-Z]{{2,}}[\w{D}]*)|[A-Z]{{2,}}\s[A-Z][a-z]+(?:\s\d{{1,2}}[a-z]?)?(?=\s*[(\[])|{_NAME}|{_TITLE_WORDS})(?:\s+(?:phase\s+\d[ab]?\s+)?(?:(?:part|cohort|stage)\s+(?:[A-Z]|\d{{1,2}})\s+)?(?:trial|study))?\s*[(\[]\s*{_NCT_LABEL}(?P<nct>NCT\d{{8}})\s*(?:[)\]]|[;,]\s*[nN]\s*=)"
)
_NAME_BEFORE_CUE = re.compile(
    rf"(?P<name>{_NAME})\s+(?:(?:[a-z]+[{D}]?[a-z]+|phase\s+\d[ab]?|\(NCT\d{{8}}\))\s+){{0,2}}?(?P<cue>trials?|stud(?:y|ies)|program(?:me)?|extension|analysis|analyses)\b"
)
_NAME_THEN_NCT = re.compile(rf"(?P<name>{_NAME})\s*(?::|[(\[]|,)\s*(?P<nct>NCT\d{{8}})")
_CUE_BEFORE_NAME = re.compile(
    rf"\b(?:trials?|stud(?:y|ies)|phase\s+\d[ab]?)[,:]?\s+(?:(?:were|was|are|is|included?)\s+)?(?:called\s+|named\s+|known\s+as\s+|dubbed\s+)?(?P<name>{_LETTER_NAME}|{_NAME})"
)
# "CrisADe CARE 1, an open-label, single-arm phase 4 study": a name in apposition
_NAME_APPOSITION = re.compile(
    rf"(?P<name>{_LETTER_NAME}|{_NAME}),\s+(?:an?|the)\s+(?:[\w{D}]+,?\s+){{0,7}}?(?P<cue>trial|study)\b"
)
# "the 5-year Petite study", "the head-to-head Level Up study", "the twin phase 3 Measure Up 1
# and Measure Up 2 monotherapy studies": a title-case name between "the" (and lower-case
# modifiers) and a trial noun
_TITLE = r"[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}(?:\s\d{1,2}[a-z]?)?"
_TITLE_BEFORE_CUE = re.compile(
    rf"\b[Tt]he\s+(?:[a-z0-9][\w{D}]*\s+){{0,4}}?(?P<name>{_TITLE})"
    rf"(?:\s+and\s+(?P<name2>{_TITLE}))?\s+(?:[a-z][\w{D}]*\s+)?(?P<cue>trials?|stud(?:y|ies))\b"
)
_STOP_NAMES = frozenset(
    [
        "FDA",
        "EMA",
        "AD",
        "US",
        "USA",
        "UK",
        "EU",
        "NRS",
        "EASI",
        "IGA",
        "BSA",
        "DLQI",
        "JAK",
        "PDE",
        "AE",
        "AES",
        "TEAE",
        "TEAES",
        "SAE",
        "SAES",
        "LTS",
        "VC",
        "QOL",
        "PK",
        "RCT",
        "II",
        "III",
        "IV",
        "BID",
        "QD",
        "CEO",
        "MD",
        "PHD",
        "DNA",
        "RNA",
        "COVID",
        "HIV",
        "RAD",
        "NP",
        "PA",
        "CME",
        "AJMC",
    ]
)

_DESIGN_WORDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\brandomi[sz](?:ed|ation)\b|\brandomly\s+(?:assigned|allocated)\b", re.I),
        "RandomizedControlledTrial",
    ),
    (re.compile(rf"\bopen[{D} ]label\b", re.I), "OpenLabelStudy"),
    (re.compile(rf"\bdouble[{D} ]blind(?:ed)?\b", re.I), "DoubleBlindStudy"),
    (re.compile(rf"\bvehicle[{D} ]controlled\b", re.I), "VehicleControlledStudy"),
    (re.compile(rf"\bplacebo[{D} ]controlled\b", re.I), "PlaceboControlledStudy"),
    (re.compile(rf"\bmax(?:imum)?[{D} ]use\b|\bMUsT\b", re.I), "MaximumUseTrial"),
    (re.compile(r"\bretrospective\b", re.I), "RetrospectiveStudy"),
    (re.compile(r"\bchart\s+review\b", re.I), "ChartReview"),
    (
        re.compile(
            rf"\bobservational\b|\breal[{D} ]world\s+(?:study|analysis|data|evidence)\b", re.I
        ),
        "ObservationalStudy",
    ),
    (
        re.compile(
            rf"\blong[{D} ]term\s+extension\b|\bLTE\b|\bopen[{D} ]label\s+extension\b", re.I
        ),
        "LongTermExtensionStudy",
    ),
]
_APPROVAL_WORDS = re.compile(
    r"\b(?:approved|cleared|authori[sz]ed|licen[sc]ed)\b|\bindicated\s+(?:for|in)\b", re.I
)
_NUMBERED_PAIR = re.compile(
    rf"(?<![\w{D}])(?P<a>(?P<head>[A-Z]{{3,}}(?:[{D}][A-Z0-9]+)*)\s(?P<n1>\d))\s+(?:and|&)\s+"
    rf"(?P<b>(?P=head)\s(?!(?P=n1))\d)(?![\w{D}])"
)
_ENROLS = re.compile(r"\b(?:randomi[sz]ed|enrolled|assigned|allocated)\b", re.I)
_HAS_TRIAL_CUE = re.compile(r"trial|stud(?:y|ies)|program|extension|analys|phase", re.I)
_HAS_DESIGN = re.compile(
    r"random|open|blind|control|max|MUsT|retrospect|chart|observ|real|extension|LTE", re.I
)
_ADJ = (
    rf"(?:recent|new|large|small|single|pivotal|international|global|multi[{D} ]?cent(?:er|re)|multicent(?:er|re)|"  # noqa: E501 (a pattern reads best on one line)
    rf"prospective|retrospective|observational|real[{D} ]world|open[{D} ]label|double[{D} ]blind(?:ed)?|"  # noqa: E501 (a pattern reads best on one line)
    rf"randomi[sz]ed|vehicle[{D} ]controlled|placebo[{D} ]controlled|controlled|max(?:imum)?[{D} ]use|"  # noqa: E501 (a pattern reads best on one line)
    rf"long[{D} ]term|extension|post[{D} ]hoc|pooled|pediatric|paediatric|phase\s+\d[ab]?|\d+[{D} ]week|"  # noqa: E501 (a pattern reads best on one line)
    r"clinical|,|and)"
)
_DESCRIPTIVE = re.compile(
    rf"\b(?P<det>a|an|the|this|our|one)\s+(?P<adj>(?:{_ADJ}\s+){{0,7}})(?P<noun>chart\s+review|cohort\s+study|case\s+series|trial|study|analysis)\b(?:\s*\((?P<acr>[A-Z][A-Za-z]{{1,7}})\))?",
    re.I,
)
_GROUP = re.compile(
    rf"\b(?:both|the\s+(?:two|three|2|3)|two|these|the)\s+(?:{_ADJ},?\s+){{0,5}}(?:trials|studies)\b|\bpooled\b|"
    r"\b(?:in|from)\s+(?:either|each)\s+(?:trial|study)\b",
    re.I,
)
# "POETYK PSO-2 (NCT03611751; N=1020)": the enrolment beside the registry id
_N_IN_ID = re.compile(r"\(NCT\d{8}\s*[;,]\s*N\s*=\s*\d", re.I)
_ENROL = re.compile(
    r"\b(enrol+\w*|included|involv\w*|randomi[sz]ed|randomly\s+(?:assigned|allocated)|"
    r"participated|comprised|a total of|recruited|review of|analy[sz]ed|entered|rolled\s+over|"
    r"(?:continued|initiated)(?:\s+or\s+(?:continued|initiated))?\s+(?:treatment|therapy))\b"
    r"|\b(?:study|trial)\s+(?:in|of|among)\s+\d[\d,]*\s+(?:\w+\s+)?(?:patients|participants|children|adults|adolescents|infants)\b",
    re.I,
)
# "424 and 427 patients, respectively", "847 and 836 adolescents and adults, respectively",
# "Six hundred twenty-four and 615 adults, respectively"
_ENROL_RESPECTIVELY = re.compile(
    rf"(?<![\w.])(?P<a>{P.INT_OR_WORD})\s+and\s+(?P<b>\d[\d,]*|{P.INT_OR_WORD})\s+"
    r"(?:[a-z]+\s+(?:and\s+)?){0,3}?(?:patients|participants|adults|adolescents|children|"
    r"infants|subjects|individuals|people)\b[^.]*?\brespectively\b",
    re.I,
)
_POPULATION = re.compile(
    r"\b(enrol+\w*|includ\w*|involv\w*|randomi[sz]ed|randomly\s+assigned|allocated|evaluat\w*|in (children|patients|adults|adolescents|infants|participants)|(?:patients|children|adults|adolescents|infants)\s+aged|participants)\b",  # noqa: E501 (a pattern reads best on one line)
    re.I,
)
_EPIDEMIOLOGY = re.compile(
    r"\b(affects?|prevalence|estimated|million|incidence|population of)\b", re.I
)
_SEVERITY = re.compile(
    rf"\b(mild|moderate|severe)(?:\s+(?:to|or|and|[{D}])\s+(mild|moderate|severe))?\b", re.I
)
_BSA_RANGE = re.compile(
    rf"(?P<a>\d+(?:\.\d+)?)\s?%?\s*(?:[{D}]|to)\s*(?P<b>\d+(?:\.\d+)?)\s?%\s+(?:of\s+(?:their\s+)?)?(?:affected\s+)?(?:body\s+surface\s+area|BSA)|(?:BSA|body\s+surface\s+area)[^.;]{{0,30}}?(?:[\u2265>]=?|at\s+least)\s?(?P<min>\d+(?:\.\d+)?)\s?%|(?:[\u2265>]=?)\s?(?P<min2>\d+(?:\.\d+)?)\s?%\s+(?:body\s+surface\s+area|BSA)",
    re.I,
)
_PERIOD = re.compile(
    rf"\b(?P<n>\d+|{P._WORDNUM})[{D} ]week\s+(?P<label>(?:[\w{D}]+\s+){{0,3}}?(?:period|phase))\b|\b(?P<label2>(?:[\w{D}]+\s+){{0,3}}(?:period|phase))\s+(?:up\s+to|through|until)\s+week\s+(?P<end>\d+)",  # noqa: E501 (a pattern reads best on one line)
    re.I,
)
_HYPOTHETICAL_STUDY = re.compile(
    r"\b(future|further|needed|planned|ongoing|earlier|previous|prior|other|larger)\b", re.I
)

SEVERITY_CLASS = {"mild": "Mild", "moderate": "Moderate", "severe": "Severe"}


@dataclass
class StudyRef:
    """The studies a sentence refers to, and whether it names them."""

    studies: list[Study]
    explicit: bool


def _valid_name(name: str, ctx_words: set[str]) -> bool:
    base = name.strip()
    head = re.split(rf"[\s{D}]", base)[0]
    if base.upper() in _STOP_NAMES or (
        head.upper() in _STOP_NAMES and " " not in base and "-" not in base
    ):
        return False
    if matcher().entity_for(base) is not None or (
        matcher().entity_for(head) is not None and base == head
    ):
        return False
    if base.lower() in ctx_words:
        return False
    caps = sum(c.isupper() for c in base)
    return caps >= 2 or (any(c.isdigit() for c in base) and caps >= 1)


def _valid_title_name(name: str) -> bool:
    """A title-case name ("Measure Up 1", "Petite") that is no known entity and no generic
    or national word ("the Japanese study")."""
    words = [w for w in name.split() if not w[0].isdigit()]
    stop = cues().title_name_stop
    if any(stop.match(w) for w in words):
        return False
    m = matcher()
    return m.entity_for(name) is None and all(m.entity_for(w) is None for w in words)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class StudyIndex:
    """Studies of one document and the study reference of each sentence."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.studies: list[Study] = []
        self.refs: dict[int, StudyRef] = {}
        self.designs_in: dict[int, set[str]] = {}
        self._find_named()
        self._find_descriptive()
        self._resolve()
        for info in ctx.sentences:
            self._attributes(info)
        self._finish()

    # -- recognition ---------------------------------------------------------------------
    def _by_name(self, name: str) -> Study | None:
        n = _norm(name)
        for s in self.studies:
            if s.named and (_norm(s.label) == n or (s.acronym and _norm(s.acronym) == n)):
                return s
        return None

    def _short_name(self, study: Study) -> str:
        """The last word of a multi-word trial name when it is a capitalised acronym of four
        letters or more that no other study of the document ends with ("LIBERTY AD
        PRESCHOOL" → "PRESCHOOL"); else ""."""
        name = study.acronym or study.label
        words = re.split(r"\s+", name)
        if len(words) < 2 or not re.fullmatch(r"[A-Z]{4,}", words[-1]):
            return ""
        last = words[-1]
        if matcher().entity_for(last) is not None or last in _STOP_NAMES:
            return ""
        others = [
            o
            for o in self.studies
            if o is not study and re.search(rf"\b{last}\b", o.acronym or o.label)
        ]
        return "" if others else last

    def _by_nct(self, nct: str) -> Study | None:
        return next((s for s in self.studies if s.nct_id == nct), None)

    def _add_named(self, name: str, nct: str = "") -> Study:
        # "phase III LIBERTY AD PRESCHOOL": the phase's numeral is not part of the name
        name = re.sub(r"^(?:I{1,3}|IV)[ab]?\s+(?=[A-Z]{2})", "", name)
        study = (self._by_nct(nct) if nct else None) or (self._by_name(name) if name else None)
        if study is None:
            label = name or nct
            study = Study(key=_norm(label), label=label, acronym=name, nct_id=nct, named=True)
            self.studies.append(study)
        if nct and not study.nct_id:
            study.nct_id = nct
        if name and not study.acronym:
            study.acronym = name
            study.label = name
        return study

    def _find_named(self) -> None:
        lower_words = {w.lower() for w in ("Results", "Conclusion", "Background")}
        self.mentions_by_sentence: dict[int, list[tuple[int, int, Study]]] = {}
        for info in self.ctx.sentences:
            t = info.text
            found: list[tuple[int, int, Study]] = []
            has_nct = "NCT" in t
            has_cue = bool(_HAS_TRIAL_CUE.search(t))
            for m in _NAME_BEFORE_NCT.finditer(t) if has_nct else ():
                name = re.sub(r"^The\s+", "", m.group("name"))
                if not _valid_name(name, lower_words) or (
                    _ALL_TITLE.fullmatch(name) and not _valid_title_name(name)
                ):
                    name = ""
                found.append((m.start(), m.end(), self._add_named(name, m.group("nct"))))
            for rx in (_NAME_BEFORE_CUE, _CUE_BEFORE_NAME, _NAME_APPOSITION) if has_cue else ():
                for m in rx.finditer(t):
                    name = m.group("name")
                    if any(a <= m.start("name") < b for a, b, _ in found):
                        continue
                    if not re.search(r"\d$", name) and re.match(
                        r"\s+(?:[a-z]+\s+)?(?:program(?:me)?|trials|studies)\b", t[m.end("name") :]
                    ):
                        continue  # a family of trials ("the phase 3 OLYMPIA program")
                    if not _valid_name(name, lower_words) or re.match(r"(?i)phase\b", name):
                        continue
                    if (
                        rx is _NAME_BEFORE_CUE
                        and m.group("cue").lower()
                        in ("studies", "trials", "analyses", "program", "programme")
                        and not re.search(r"\d$", name)
                    ):
                        continue  # a family ("TRuE-AD studies"): resolved as a group later
                    found.append((m.start("name"), m.end("name"), self._add_named(name)))
            for m in _TITLE_BEFORE_CUE.finditer(t) if has_cue else ():
                names = [g for g in ("name", "name2") if m.group(g)]
                plural = m.group("cue").lower() in ("studies", "trials")
                if plural and (len(names) < 2 or not re.search(r"\d$", m.group("name"))):
                    continue  # a family ("the Measure Up studies")
                if not plural and len(names) > 1:
                    continue
                for g in names:
                    if any(a <= m.start(g) < b for a, b, _ in found):
                        continue
                    if not _valid_title_name(m.group(g)):
                        break
                    found.append((m.start(g), m.end(g), self._add_named(m.group(g))))
            # a numbered pair that enrols or randomises patients ("In NOVA 1 and NOVA 2,
            # adults were randomized …"): two trials even without a trial noun
            if _ENROLS.search(t):
                for m in _NUMBERED_PAIR.finditer(t):
                    head = m.group("head")
                    if not _valid_name(head + " 1", lower_words) or matcher().entity_for(head):
                        continue
                    for g in ("a", "b"):
                        if not any(a <= m.start(g) < b for a, b, _ in found):
                            found.append((m.start(g), m.end(g), self._add_named(m.group(g))))
            # siblings of a numbered name: "ADORING 1 and ADORING 2"
            for known in [k for _, _, k in found] + [k for k in self.studies if k.named]:
                sib = _sibling_pattern(known.acronym)
                if sib is None or known.acronym[:3] not in t:
                    continue
                for hit in sib.finditer(t):
                    if not any(a <= hit.start() < b for a, b, _ in found):
                        found.append((hit.start(), hit.end(), self._add_named(hit.group(0))))
            for nct in P.find_nct(t):
                if not any(a <= nct.start < b for a, b, _ in found):
                    found.append((nct.start, nct.end, self._add_named("", nct.text)))
            # another mention of a known name elsewhere in the sentence; "ADEPT" for
            # "LIBERTY-BP ADEPT": a programme-prefixed name by its own last word
            for s in list(self.studies):
                for nm in {s.acronym, s.label, self._short_name(s)} - {""}:
                    if nm not in t:
                        continue
                    for hit in re.finditer(rf"(?<![\w{D}]){re.escape(nm)}(?![\w])", t):
                        if not any(a <= hit.start() < b for a, b, _ in found):
                            found.append((hit.start(), hit.end(), s))
            if found:
                self.mentions_by_sentence[info.sent.index] = sorted(found, key=lambda x: x[0])

    def _find_descriptive(self) -> None:
        self.descriptive: dict[int, list[re.Match[str]]] = {}
        for info in self.ctx.sentences:
            hits = []
            for m in _DESCRIPTIVE.finditer(info.text):
                designs = {c for rx, c in _DESIGN_WORDS if rx.search(m.group(0))}
                before = info.text[max(0, m.start() - 25) : m.start()]
                if _HYPOTHETICAL_STUDY.search(m.group("adj") or "") or re.search(
                    r"\b(future|further|other)\s*$", before, re.I
                ):
                    continue
                if not designs and m.group("det").lower() in ("a", "an", "one"):
                    continue  # "a study revealed …": not enough to identify a study
                hits.append(m)
            if hits:
                self.descriptive[info.sent.index] = hits

    def _resolve(self) -> None:
        """Assign each sentence its studies; create the unnamed study when there is no named one."""
        unnamed: Study | None = None
        if not self.studies:
            for _idx, hits in sorted(self.descriptive.items()):
                for m in hits:
                    if m.group("det").lower() in ("a", "an", "one", "this", "the", "our"):
                        designs = {c for rx, c in _DESIGN_WORDS if rx.search(m.group(0))}
                        if not designs:
                            continue
                        if unnamed is None:
                            label = _descriptive_label(m)
                            unnamed = Study(key=_norm(label), label=label, named=False)
                            self.studies.append(unnamed)
                        if m.group("acr") and not unnamed.acronym:
                            unnamed.acronym = m.group("acr")
                if unnamed is not None:
                    break
        current: list[Study] = []
        # an extension study named after its parent trial is in focus for its own paragraph
        # only; later unattributed sentences (a "Safety" section) are the parent's again
        parent: list[Study] = []
        extension_block = -1
        self.first_explicit: dict[int, int] = {}
        elsewhere: set[int] = set()
        for info in self.ctx.sentences:
            idx = info.sent.index
            named = [s for _, _, s in self.mentions_by_sentence.get(idx, [])]
            uniq: list[Study] = []
            for s in named:
                if s not in uniq:
                    uniq.append(s)
            group = self._group_in(info.text) or ([] if uniq else self._by_descriptor(info))
            if (
                not uniq
                and not group
                and parent
                and extension_block >= 0
                and info.sent.block != extension_block
            ):
                current, parent, extension_block = parent, [], -1
            if (
                uniq
                and current
                and (
                    (_ONGOING.search(info.text) and not _ENROL.search(info.text))
                    or _NOT_HERE.search(info.text)
                )
                and "%" not in info.text
                and not any(id(s) in self.first_explicit for s in uniq)
            ):
                # "long-term data are being collected in the extension trial X 3": named in
                # passing, X 3 does not become the study later sentences are about
                self.refs[idx] = StudyRef(uniq, True)
            elif not uniq and not group and _OTHER_STUDY.search(info.text):
                # "A separate trial of X versus Y reported …": about no study of this document
                elsewhere.add(idx)
                continue
            elif uniq:
                self.refs[idx] = StudyRef(uniq, True)
                if (
                    current
                    and all(_is_extension(s, info.text) for s in uniq)
                    and not any(_is_extension(s, info.text) for s in current)
                ):
                    parent, extension_block = current, info.sent.block
                current = uniq
            elif group:
                self.refs[idx] = StudyRef(group, True)
                current = group
            elif unnamed is not None and (
                idx in self.descriptive
                or (unnamed.acronym and re.search(rf"\b{re.escape(unnamed.acronym)}\b", info.text))
            ):
                self.refs[idx] = StudyRef([unnamed], True)
                current = [unnamed]
            if (
                idx in self.refs
                and self.refs[idx].explicit
                and not (info.is_title or info.is_heading)
            ):
                for s in self.refs[idx].studies:
                    self.first_explicit.setdefault(id(s), idx)
            elif current:
                self.refs[idx] = StudyRef(current, False)
            elif unnamed is not None:
                self.refs[idx] = StudyRef([unnamed], False)
        # sentences before the first named study refer to it when there is just one
        if self.studies and len([s for s in self.studies if s.named]) == 1:
            only = next(s for s in self.studies if s.named)
            for info in self.ctx.sentences:
                if info.sent.index not in elsewhere:
                    self.refs.setdefault(info.sent.index, StudyRef([only], False))

    def _by_descriptor(self, info: SentenceInfo) -> list[Study]:
        """ "In the pediatric study, …", "the extension trial": the one named study whose name
        says so (BREEZE-AD-PEDS, X-OLE); "in the atopic dermatitis trials": the named studies
        first named beside that disease."""
        text = info.text
        by_disease = self._by_disease(info)
        if by_disease:
            return by_disease
        m = _DESCRIPTOR.search(text)
        if m is None:
            return []
        word = m.group(1).lower()
        rx = _EXTENSION if "extension" in word else _PEDIATRIC_NAME
        if rx is _PEDIATRIC_NAME and word.startswith("adult"):
            return []
        found = [s for s in self.studies if s.named and rx.search(s.acronym or s.label)]
        return found if len(found) == 1 else []

    def _by_disease(self, info: SentenceInfo) -> list[Study]:
        diseases = [
            d
            for d in info.of_kind("disease")
            if d.entity is not None
            and re.match(
                r"\s*(?:trials|studies|program(?:me)?|population)\b", info.text[d.end :], re.I
            )
            and re.search(r"\bthe\s+$", info.text[: d.start], re.I)
        ]
        if not diseases:
            return []
        key = diseases[0].entity.key if diseases[0].entity else ""
        first_with: dict[int, set[str]] = {}
        for idx, found in sorted(self.mentions_by_sentence.items()):
            sent = next((i for i in self.ctx.sentences if i.sent.index == idx), None)
            if sent is None:
                continue
            keys = {d.entity.key for d in sent.of_kind("disease") if d.entity is not None}
            for _, _, s in found:
                first_with.setdefault(id(s), keys)
        out = [s for s in self.studies if s.named and key in first_with.get(id(s), set())]
        others = [s for s in self.studies if s.named and s not in out]
        return out if out and others else []

    def _group_in(self, text: str) -> list[Study]:
        named = [s for s in self.studies if s.named and s.acronym]
        if len(named) < 2:
            return []
        for m in re.finditer(
            rf"\b(?P<fam>{_NAME})\s+(?:(?:[a-z]+\s+)?(?:trials|studies|program(?:me)?))\b", text
        ):
            fam = _norm(m.group("fam"))
            members = [
                s for s in named if _norm(s.acronym).startswith(fam) and _norm(s.acronym) != fam
            ]
            if members:
                return members
        grp = _GROUP.search(text)
        if grp:
            # "both studies", "the pooled population": the studies introduced together
            size = re.match(r"(?i)(?:the\s+)?(two|three|2|3|both)\b", grp.group(0))
            first = next(
                (
                    refs
                    for refs in (
                        [s for _, _, s in v] for _, v in sorted(self.mentions_by_sentence.items())
                    )
                    if len(set(map(id, refs))) >= 2
                ),
                None,
            )
            if first:
                out: list[Study] = []
                for s in first:
                    if s not in out:
                        out.append(s)
                if size:  # "the 2 trials" after "A and B phase 3 trials, with the C extension"
                    k = {"two": 2, "both": 2, "three": 3}.get(size.group(1).lower())
                    out = out[: k or int(size.group(1))]
                return out
        return []

    def ref(self, info: SentenceInfo) -> StudyRef | None:
        """The studies ``info`` refers to (explicitly or by being in focus)."""
        return self.refs.get(info.sent.index)

    # -- attributes ----------------------------------------------------------------------
    def _attributes(self, info: SentenceInfo) -> None:
        if info.is_heading:
            # "Phase 3 evidence", "Phase 2b results": the phase of the studies the section
            # introduces
            phases = {m.text for m in P.find_phases(info.text)}
            self._section_phase = (phases.pop(), info) if len(phases) == 1 else None
            return
        ref = self.ref(info)
        if ref is None or info.is_title:
            return
        first = min((self.first_explicit.get(id(s), 10**9) for s in ref.studies), default=10**9)
        if not ref.explicit and info.sent.index < first:
            return
        t = info.text
        studies = ref.studies
        single = len(studies) == 1
        ev = self.ctx.evidence(info, "study.attributes")
        about_study = ref.explicit or bool(
            re.search(
                r"\b(the|this)\s+(study|trial|analysis|review)\b|\bresearchers\b|\b(?:two|both|these|the)\s+(?:[\w-]+\s+){0,4}(?:trials|studies)\b|\b(patients|participants|adults|adolescents|children|infants|subjects|people)\b|\b(it|they)\s+(?:were\s+|was\s+)?(enrolled|included|randomi|randomly|assigned|allocated)",
                t,
                re.I,
            )
        )
        if not about_study:
            return
        if _EPIDEMIOLOGY.search(t) and not _ENROL.search(t):
            return
        # phase: inside a study noun phrase or right before a name
        section = getattr(self, "_section_phase", None)
        for s in studies:
            if s.phase:
                continue
            if (
                section is not None
                and info.sent.block == section[1].sent.block + 1  # its first paragraph
                and ref.explicit
                and self.first_explicit.get(id(s)) == info.sent.index
                and not P.find_phases(t)
            ):
                s.phase = section[0]  # first named under a "Phase 3 evidence" heading
                s.evidence.append(
                    self.ctx.evidence(section[1], "study.phase-heading", supports="phase")
                )
                continue
            for m in P.find_phases(t):
                window = t[m.end : m.end + 130]
                if re.match(
                    rf"\s*(?:[\w{D},()\[\]/]+\s+){{0,9}}?(?:trials?|stud(?:y|ies)|{re.escape(s.acronym or '@@')})",  # noqa: E501 (a pattern reads best on one line)
                    window,
                ):
                    s.phase = m.text
                    s.evidence.append(self.ctx.evidence(info, "study.phase", supports="phase"))
                    break
        designs = {c for rx, c in _DESIGN_WORDS if rx.search(t)} if _HAS_DESIGN.search(t) else set()
        if (
            "RandomizedControlledTrial" in designs
            and re.search(r"\brerandomi", t, re.I)
            and not re.search(r"(?<!re)randomi", t, re.I)
        ):
            designs.discard("RandomizedControlledTrial")
        if ref.explicit or re.search(
            r"\b(the|this)\s+(?:[\w-]+\s+){0,3}(study|trial)\b|"
            r"\b(?:patients|participants|adults|adolescents|children|infants|subjects)\b|"
            r"\b(?:two|both|these|the)\s+(?:[\w-]+\s+){0,4}(?:trials|studies)\b",
            t,
            re.I,
        ):
            own = self._designs_before_names(info, studies) if len(studies) > 1 else {}
            for s in studies:
                new = (
                    (designs - set().union(*own.values())) | own.get(id(s), set())
                    if own
                    else designs
                )
                new = new - s.designs
                if new:
                    s.designs |= new
                    s.evidence.append(ev)
        if not s_has(studies, "allocation_ratio"):
            ratios = P.find_ratios(t)
            if ratios and re.search(
                r"(?<!re)randomi[sz]|randomly\s+assigned|\ballocated\b|\bassigned\b", t, re.I
            ):
                for s in studies:
                    s.allocation_ratio = s.allocation_ratio or ratios[0].text
        if not single or _N_IN_ID.search(t):
            self._enrolment_per_study(info, studies)
        if (
            single
            and studies[0].enrollment is None
            and _ENROL.search(t)
            and not re.search(r"\d[\d,]*\s+in\s+[A-Z]", t)
        ):
            counts = [c for c in P.find_counts(t) if c.kind == "count" and c.value]
            if counts:
                studies[0].enrollment = int(counts[0].value or 0)
                studies[0].evidence.append(
                    self.ctx.evidence(info, "study.enrollment", supports="enrollment")
                )
        if (
            (_POPULATION.search(t) or _ENROL.search(t))
            and not _APPROVAL_WORDS.search(t)
            and not _hypothetical_before_ages(t)
        ):
            ages = P.find_ages(t)
            if (
                not ages
                and re.search(r"\badults\b", t, re.I)
                and not re.search(r"\b(adolescen|child|pediatric|paediatric|teen|infant)", t, re.I)
                and _ENROL.search(t)
            ):
                ages = [P.Match("age", 0, 0, 18.0, None, "adults")]
            for s in studies:
                if ages and s.min_age is None and s.max_age is None:
                    s.min_age, s.max_age = ages[0].value, ages[0].value_max
                    s.eligibility_text = s.eligibility_text or t
                    s.evidence.append(
                        self.ctx.evidence(info, "study.population-age", supports="minAgeYears")
                    )
                if not s.severities:
                    for sev in _SEVERITY.finditer(t):
                        s.severities |= {SEVERITY_CLASS[g.lower()] for g in sev.groups() if g}
                if s.min_bsa is None and s.max_bsa is None:
                    b = _BSA_RANGE.search(t)
                    if b:
                        if b.group("a"):
                            s.min_bsa, s.max_bsa = float(b.group("a")), float(b.group("b"))
                        else:
                            s.min_bsa = float(b.group("min") or b.group("min2"))
        for d in info.of_kind("disease"):
            for s in studies:
                if (
                    d.entity is not None
                    and not s.conditions
                    and (ref.explicit or _POPULATION.search(t))
                ):
                    s.conditions.append(d.entity)
        for pm in _PERIOD.finditer(t):
            label = (pm.group("label") or pm.group("label2") or "").strip()
            n = P.to_int(pm.group("n")) if pm.group("n") else None
            for s in studies:
                if not any(p.label == label for p in s.periods):
                    end = float(pm.group("end")) if pm.group("end") else None
                    s.periods.append(
                        Period(
                            label,
                            float(n) if n else None,
                            end,
                            [self.ctx.evidence(info, "study.period")],
                        )
                    )

    def _designs_before_names(
        self, info: SentenceInfo, studies: list[Study]
    ) -> dict[int, set[str]]:
        """Designs written right before one study's name in a sentence naming several ("A and
        B phase 3 trials, along with the open-label C extension"): that study's only."""
        t = info.text
        out: dict[int, set[str]] = {}
        for a, b, study in self.mentions_by_sentence.get(info.sent.index, []):
            if study not in studies:
                continue
            after = t[b : b + 40]
            for rx, cls in _DESIGN_WORDS:
                m = rx.search(after)
                if m is not None and re.fullmatch(r"\s+(?:[\w-]+\s+)?", after[: m.start()]):
                    out.setdefault(id(study), set()).add(cls)  # "C long-term extension study"
            before = t[max(0, a - 40) : a]
            for rx, cls in _DESIGN_WORDS:
                last = list(rx.finditer(before))
                if not last:
                    continue
                gap = before[last[-1].end() :]
                if re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", gap) and not re.search(
                    r"\b(?:and|or|trials|studies)\b", gap
                ):
                    out.setdefault(id(study), set()).add(cls)
        return out

    def _enrolment_per_study(self, info: SentenceInfo, studies: list[Study]) -> None:
        """ "X 1 enrolled 847 patients and X 2 enrolled 836", "941 in X 1 and 787 in X 2",
        "(X 1, n = 407; X 2, n = 406)", "424 and 427 patients, respectively"."""
        t = info.text
        if (
            not _ENROL.search(t)
            and not re.search(r"\bassigned\b", t, re.I)
            and not _N_IN_ID.search(t)
        ):
            return
        found = False
        for s in studies:
            if s.enrollment is not None or not s.acronym:
                continue
            name = re.escape(s.acronym)
            m = (
                re.search(
                    rf"{name}\s+(?:\(NCT\d{{8}}\)\s+)?(?:enrol+ed|included|randomi[sz]ed|recruited)\s+(?P<n>\d[\d,]*)",
                    t,
                )
                or re.search(
                    rf"(?<![\d.%])(?P<n>\d[\d,]*)\s+(?:(?:patients|participants|adults|children)\s+)?(?:were\s+)?(?:randomi[sz]ed\s+|enrolled\s+)?in\s+{name}(?![\w])",
                    t,
                )
                or re.search(
                    # "(X 1, n = 407; X 2, n = 406)", "X 1 (n=407)", "X 1: 407 patients"
                    rf"(?<![\w{D}]){name}(?![\w{D}])\s*(?:\(NCT\d{{8}}\)\s*)?(?:[,:]\s*|\(\s*(?:NCT\d{{8}}\s*[;,]\s*)?)"
                    rf"(?:[nN]\s*=\s*(?P<n2>\d[\d,]*)(?![\d.%])|(?P<n3>\d[\d,]*)\s+"
                    r"(?:patients|participants|adults|adolescents|children|infants|subjects)\b)",
                    t,
                )
            )
            if m:
                s.enrollment = P.to_int(next(g for g in m.groups() if g))
                s.evidence.append(
                    self.ctx.evidence(info, "study.enrollment-per-study", supports="enrollment")
                )
                found = True
        if found:
            return
        resp = _ENROL_RESPECTIVELY.search(t)
        if resp and len(studies) == 2 and all(s.enrollment is None for s in studies):
            for s, g in zip(studies, ("a", "b"), strict=True):
                s.enrollment = P.to_int(resp.group(g))
                s.evidence.append(
                    self.ctx.evidence(info, "study.enrollment-respectively", supports="enrollment")
                )

    def _finish(self) -> None:
        # "ClinicalTrials.gov. TRuE-V1: NCT04052425": a reference list gives a named study's id
        for ref in self.ctx.references:
            if "NCT" not in ref:
                continue
            for m in _NAME_THEN_NCT.finditer(ref):
                study = self._by_name(m.group("name"))
                if study is not None and not study.nct_id and not self._by_nct(m.group("nct")):
                    study.nct_id = m.group("nct")
        top = self.ctx.diseases.most_common(1)
        for s in self.studies:
            if not s.conditions and top:
                s.conditions.append(self.ctx.disease_entities[top[0][0]])

    def main(self) -> list[Study]:
        """The document's study in focus when nothing else says (first named, else unnamed)."""
        return self.studies[:1]


_DESCRIPTOR = re.compile(
    rf"\bthe\s+(pa?ediatric|adolescent|infant|(?:long[{D} ]term\s+|open[{D} ]label\s+)?extension)"
    r"(?:\s+(?:study|trial)\b|(?<=extension)(?:\s+(?:period|phase))?(?=\s*,))",
    re.I,
)
_PEDIATRIC_NAME = re.compile(
    r"PEDS?\b|Peds?\b|PAEDS?\b|JUNIOR|Junior|TEEN|Teen|KIDS|PRESCHOOL|INFANT"
)
_EXTENSION = re.compile(
    rf"(?:[{D}\s](?:OLE|LTE|EXT)$)|\bextension\b|\bopen[{D} ]label\s+extension\b", re.I
)


def _is_extension(study: Study, sentence: str) -> bool:
    """Whether ``study`` is an extension study: its name ("X-OLE", "X LTE") or the sentence
    naming it ("a 52-week open-label extension study, X") says so."""
    name = study.acronym or study.label
    if _EXTENSION.search(name):
        return True
    at = sentence.find(name) if name else -1
    return at >= 0 and bool(re.search(r"\bextension\b", sentence[max(0, at - 60) : at], re.I))


# "A replicate trial, X, had a similar design and is not shown here": named in passing
_NOT_HERE = re.compile(
    r"\bnot\s+(?:shown|presented|reported|included|analy[sz]ed|discussed)\s+"
    r"(?:here|in\s+this\s+(?:poster|analysis|report|article|summary|abstract))\b",
    re.I,
)
_ONGOING = re.compile(
    r"\bbeing\s+(?:collected|conducted|evaluated|assessed|studied)\b|\b(?:is|are)\s+ongoing\b|"
    r"\bongoing\s+(?:[\w-]+\s+){0,3}?(?:trial|study)\b|\bwill\s+be\s+(?:reported|presented)\b",
    re.I,
)
_OTHER_STUDY = re.compile(
    r"\b(?:an?\s+(?:separate|different|independent)|another)\s+"
    r"(?:(?!(?:of|in|from|the|this)\b)[\w-]+\s+){0,3}?(?:trial|study)\b",
    re.I,
)
_FUTURE_PROGRAM = re.compile(
    r"\b(?:looking\s+ahead|under\s?way|in\s+progress|is\s+(?:being\s+)?planned|upcoming)\b",
    re.I,
)


@lru_cache(maxsize=1024)
def _hypothetical_before_ages(t: str) -> bool:
    """A hypothetical cue ("could", "would") that governs the population: before its ages
    ("… aged 12 and older were randomized …, after which all could continue" is not); a
    program still to come ("a pediatric program in children 2 to 11 years is under way")."""
    if _FUTURE_PROGRAM.search(t):
        return True
    hypo = cues().hypothetical.search(t)
    if hypo is None:
        return False
    ages = P.find_ages(t)
    return not ages or hypo.start() < ages[0].end


@lru_cache(maxsize=1024)
def _sibling_pattern(acronym: str) -> re.Pattern[str] | None:
    """ "ADORING 1" → a pattern for "ADORING 2", "ADORING-3"… (None for an unnumbered name)."""
    head = re.match(rf"(.+?)[\s{D}]?(?:\d{{1,2}}[a-z]?|I{{1,3}}|IV)$", acronym or "")
    if head is None:
        return None
    # "ADORING 1 and ADORING 2", "BE HEARD I and BE HEARD II"
    return re.compile(
        rf"(?<![\w{D}]){re.escape(head.group(1))}[\s{D}]?(?:\d{{1,2}}[a-z]?|I{{1,3}}|IV)(?![\w])"
    )


def s_has(studies: list[Study], attr: str) -> bool:
    return all(getattr(s, attr) for s in studies)


def _descriptive_label(m: re.Match[str]) -> str:
    adj = re.sub(r"\s+", " ", m.group("adj") or "").strip(" ,")
    words = [
        w
        for w in re.split(r"\s+", adj)
        if w
        and w.lower()
        not in (
            "recent",
            "new",
            "large",
            "small",
            "single",
            "international",
            "global",
            "pivotal",
            "and",
            ",",
        )
    ]
    words = [w for w in words if not re.match(rf"(?i)multi[{D} ]?cent|multicent", w)]
    label = " ".join([*words, m.group("noun")]).lower()
    return re.sub(r"\s+", " ", label).strip()


# -- arms ------------------------------------------------------------------------------------

_FORM = re.compile(
    r"\b(cream|ointment|foam|gel|lotion|solution|tablets?|capsules?|injection)\b", re.I
)
_TOPIC_BEFORE = re.compile(
    r"\b(?:data|results|findings|updates?|evidence|presentations?|trials|studies|programs|programmes)"
    r"\s+(?:for|on|with)\s+$",
    re.I,
)
_CONCENTRATION_GAP = re.compile(
    r"\s*(?:(?:cream|ointment|foam|gel|topical|lotion)\s+)?\d+(?:\.\d+)?\s?mg/(?:g|mL)\s*\(\s*",
    re.I,
)
_STRENGTH_NOUN = re.compile(
    r"\s*(?:strength|formulation|dose|concentration|(?:treatment\s+)?(?:group|arm|cohort))\b", re.I
)
_FREQ_ABBR = {
    "twice daily": "BID",
    "once daily": "QD",
    "as needed": "as needed",
    "every 2 weeks": "Q2W",
    "every 4 weeks": "Q4W",
    "every 8 weeks": "Q8W",
    "once weekly": "QW",
}
_COHORT = re.compile(
    r"\b(?P<label>(?:Cohort|Group|Arm|Part)\s+(?:[A-H]|\d{1,2}))\b(?:\s*\(\s*n\s*=\s*(?P<n>\d+)\s*\))?"
)
# "27.8% of cream users", "patients on the cream": the study's drug arm named by its form
_FORM_REFERENT = re.compile(
    r"\b(?:cream|ointment|foam|gel|lotion)\s+(?:users|group|arm|recipients)\b|"
    r"\b(?:on|with|using|applying|(?:related|attributed)\s+to)\s+the\s+(?:cream|ointment|foam|gel|lotion)\b",
    re.I,
)
_ALLOCATION = re.compile(
    r"\b(?:randomi[sz]ed|randomly\s+assigned|assigned|allocated)\b[^.;]{0,40}?\bto\b", re.I
)
_CONTROLLED = re.compile(rf"[{D} ]controlled\b", re.I)
_VEHICLE_USE = re.compile(
    r"\b(randomi|versus|vs\.?|compared|or\b|receiv|appl|using|with\b|on\b|arm|group|treated)|\s[/|]\s|\bn\s*=|"
    r"\bfor\s+(?:the\s+)?(?:placebo|vehicle)\b|"
    # "100% of placebo patients", "vehicle-treated children": the control arm's patients
    r"\b(?:placebo|vehicle)[\s\-\u2010-\u2015]+(?:patients|recipients|participants|subjects|"
    r"children|adults|treated)\b",
    re.I,
)


@dataclass
class ArmMention:
    """An arm named in a sentence (offsets in the sentence)."""

    start: int
    end: int
    arm: Arm


def arm_mentions(
    ctx: DocContext, info: SentenceInfo, study_drugs: list[Entity]
) -> list[ArmMention]:
    """Arms named in a sentence: "<drug> 1.5%", "0.75% <drug> cream", "the 1.5% strength",
    "vehicle", "placebo", "Cohort A (n=73)", "<drug> 300 mg every 2 weeks"."""
    t = info.text
    out: list[ArmMention] = []
    drugs = [m for m in info.of_kind("drug", "product") if m.entity is not None or not m.linked]
    vocab = matcher().vocab
    default_drug = study_drugs[0] if study_drugs else ctx.main_drug
    # "randomised 1:1 to delgocitinib cream or alitretinoin 30 mg": every drug allocated is an
    # arm, the comparator drug too (elsewhere a drug outside the focus is a passing mention)
    allocation = bool(drugs) and bool(_ALLOCATION.search(t))
    for pm in P._STRENGTH.finditer(t):
        value = float(pm.group("v"))
        if value > 10 or value <= 0:
            continue
        if re.search(r"[<>\u2264\u2265]\s?$", t[max(0, pm.start() - 2) : pm.start()]):
            continue
        after = t[pm.end() : pm.end() + 40]
        before = t[max(0, pm.start() - 40) : pm.start()]
        drug_m = None
        for d in drugs:
            gap = t[d.end : pm.start()] if d.end <= pm.start() else t[pm.end() : d.start]
            if len(gap) <= 14 and re.fullmatch(
                r"\s*(?:\([A-Za-z0-9-]{1,12}\)\s*)?(?:(?:cream|ointment|foam|gel|topical|lotion)\s*)?",
                gap,
                re.I,
            ):
                drug_m = d
                break
            # "delgocitinib cream 20 mg/g (2%)": the percent restates a concentration per gram
            if d.end <= pm.start() and _CONCENTRATION_GAP.fullmatch(gap):
                drug_m = d
                break
        form_after = re.match(
            rf"\s*(?:(?!(?:and|or|in|of|with)\b)\w+\s+)?{_FORM.pattern}(?![\s{D}]site)", after, re.I
        )
        noun_after = _STRENGTH_NOUN.match(after)
        # "those on 1.5% versus 19.4% on vehicle": a bare strength after "on"/"receiving"
        on_before = re.search(r"\b(?:on|receiving|using|applying)\s+(?:the\s+)?$", before, re.I)
        # "67.2% (1.5%) and 51.5% (0.75%) vs 15.2% (vehicle)": a strength naming a value's arm
        on_before = on_before or (
            re.search(r"\d\s?%\s*\(\s*$", before) and re.match(r"\s*\)", after)
        )
        if drug_m is None and not (form_after or noun_after or on_before):
            continue
        if on_before and drug_m is None and re.match(rf"\s*(?:of\b|to\b|[{D}]|\d)", after):
            continue  # "on 3% to 20% of their body surface area"
        if drug_m is None and re.search(
            r"\b(?:BSA|body surface area|of patients)\s*$", before, re.I
        ):
            continue
        entity = _drug_entity(drug_m.entity, vocab) if drug_m is not None else default_drug
        if entity is None and drug_m is None:
            continue
        if (
            drug_m is not None
            and drug_m.entity is not None
            and entity is not None
            and not ctx.is_focal(entity)
            and entity not in study_drugs
            and not allocation
        ):
            continue
        form_m = _FORM.search(t[max(0, pm.start() - 30) : pm.end() + 30])
        form = form_m.group(1).lower() if form_m else ""
        start = min(pm.start(), drug_m.start if drug_m else pm.start())
        end = max(pm.end(), drug_m.end if drug_m else pm.end())
        if form_after:
            end = max(end, pm.end() + form_after.end())
        elif noun_after:
            end = max(end, pm.end() + noun_after.end())
        arm = Arm(
            label="",
            drug=entity,
            drug_text=drug_m.text if drug_m and entity is None else "",
            strength=value,
            dosage_form=form,
        )
        out.append(ArmMention(start, end, arm))
    _coordinated(t, out)
    for dm in P.find_mg_doses(t):
        for d in drugs:
            if d.end > dm.start:
                continue
            gap = t[d.end : dm.start]
            if (len(gap) <= 6 and not re.search(r"[;,]", gap)) or re.fullmatch(
                r"[^;,.()]{0,25}\(\s*", gap
            ):  # "dupilumab given per label (300 mg every other week …)"
                entity = _drug_entity(d.entity, vocab)
                if (
                    entity is not None
                    and not ctx.is_focal(entity)
                    and entity not in study_drugs
                    and not allocation
                ):
                    break
                out.append(
                    ArmMention(
                        d.start,
                        dm.end,
                        Arm(
                            label="",
                            drug=entity,
                            drug_text=d.text if entity is None else "",
                            dose=dm.text,
                        ),
                    )
                )
                break
        else:
            if not any(o.start <= dm.start < o.end for o in out) and not re.match(
                r"\s*(?:loading|/)", t[dm.end : dm.end + 10]
            ):
                # "with the 200 mg dose", "on 100 mg": the study arm of that dose
                out.append(ArmMention(dm.start, dm.end, Arm(label="", dose=dm.text, bare=True)))
    for d in drugs:
        entity = _drug_entity(d.entity, vocab)
        if (
            entity is None
            or (not ctx.is_focal(entity) and entity not in study_drugs and not allocation)
            or any(o.start <= d.start < o.end for o in out)
        ):
            continue
        after, before = t[d.end : d.end + 25], t[max(0, d.start - 25) : d.start]
        if re.match(r"\s*(?:groups|arms|cohorts)\b", after, re.I):
            continue  # "in the ruxolitinib groups": the drug's arms pooled, not one arm
        if entity not in study_drugs and _TOPIC_BEFORE.search(before):
            continue  # "updated phase 2b data for X": the drug a report is about, not an arm
        if re.match(
            # "… and dupilumab (59.4%)": a drug owning the percent right after it
            rf"\s*(?:[{D}]treated|group|arm|cohort|patients|recipients|(?:every|once|twice|\d)"
            rf"|\(\s*{P.NUM}\s?%\s*\)"
            # "X outperformed Y", "X was superior to Y", "X versus Y": the first of two compared
            r"|(?:outperformed|surpassed|(?:was|were)\s+superior\s+to|versus|vs\.?)\s)",
            after,
            re.I,
        ) or re.search(
            r"\b(?:to|with|on|in|for|receiving|received|versus|vs\.?|of|applied|used|using|took|"
            r"taking|given|stopped|discontinued)\s+(?:the\s+)?(?:oral\s+|topical\s+)?$",
            before,
            re.I,
        ):
            out.append(ArmMention(d.start, d.end, Arm(label="", drug=entity, bare=True)))
    form_drug = next((d for d in study_drugs if d.kind != "comparator"), None)
    if form_drug is not None:
        for fm in _FORM_REFERENT.finditer(t):
            if not any(o.start <= fm.start() < o.end for o in out):
                out.append(
                    ArmMention(fm.start(), fm.end(), Arm(label="", drug=form_drug, bare=True))
                )
    for cm in info.of_kind("comparator"):
        tail = t[cm.end : cm.end + 12]
        if _CONTROLLED.match(tail):
            continue
        if not _VEHICLE_USE.search(t):
            continue
        form_m = (
            _FORM.match(t[cm.end :].lstrip()) if cm.entity and cm.entity.key == "vehicle" else None
        )
        arm = Arm(label="", drug=cm.entity, dosage_form=(form_m.group(1).lower() if form_m else ""))
        if not any(o.start <= cm.start < o.end for o in out):
            out.append(ArmMention(cm.start, cm.end, arm))
    for m in _COHORT.finditer(t):
        arm = Arm(
            label=m.group("label"),
            cohort=m.group("label"),
            size=int(m.group("n")) if m.group("n") else None,
        )
        out.append(ArmMention(m.start(), m.end(), arm))
    out.sort(key=lambda a: a.start)
    _coordinated_doses(t, out)
    _assign_frequencies(t, out)
    _alternative_frequencies(t, out)
    for am in out:
        if am.arm.size is None:
            n = re.match(r"\s*\(\s*n\s*=\s*(\d+)\s*\)", t[am.end : am.end + 14])
            if n:
                am.arm.size = int(n.group(1))
    return out


def _coordinated(t: str, out: list[ArmMention]) -> None:
    """ "0.75% and 1.5% ruxolitinib cream", "ruxolitinib cream 0.75% or 1.5%": the bare strength
    is an arm of the same drug and form as its neighbour."""
    strength_arms = [a for a in out if a.arm.strength is not None]
    for pm in P._STRENGTH.finditer(t):
        if any(a.start <= pm.start() < a.end for a in out):
            continue
        value = float(pm.group("v"))
        if not 0 < value <= 10:
            continue
        after = re.match(
            r"\s*(?:,|and|or|vs\.?|versus)\s*(?:\(n\s*=\s*\d+\)\s*)?(?:or\s+|and\s+)?",
            t[pm.end() :],
        )
        before = re.search(r"(?:,|and|or|vs\.?|versus)\s*$", t[: pm.start()])
        partner = None
        if after:
            nxt = pm.end() + after.end()
            partner = next(
                (
                    a
                    for a in strength_arms
                    if a.start == nxt
                    or (
                        a.arm.strength is not None
                        and t[a.start :].startswith(t[nxt : nxt + 4])
                        and a.start <= nxt + 1
                    )
                ),
                None,
            )
        if partner is None and before:
            partner = next(
                (
                    a
                    for a in strength_arms
                    if a.end <= pm.start()
                    # "30.8% of the 0.75% group versus 4.2%": a value after a named group
                    and not re.search(r"(?:group|arm|cohort)$", t[a.start : a.end])
                    and (
                        pm.start() - a.end <= before.end() - before.start() + 2
                        # "ruxolitinib cream 1.5% (56.5%) and 0.75% (36.6%)"
                        or re.fullmatch(
                            r"\s*\([^()]{0,40}\)\s*(?:,|and|or|vs\.?|versus)\s*",
                            t[a.end : pm.start()],
                        )
                    )
                ),
                None,
            )
        if partner is None:
            continue
        p = partner.arm
        out.append(
            ArmMention(
                pm.start(),
                pm.end(),
                Arm(
                    label="",
                    drug=p.drug,
                    drug_text=p.drug_text,
                    strength=value,
                    dosage_form=p.dosage_form,
                ),
            )
        )
    out.sort(key=lambda a: a.start)


_LOADING = re.compile(
    r"\s*\b(?:with|plus|after|following)\s+(?:an?\s+)?\d+(?:\.\d+)?\s*mg\s+loading\s+dose\b", re.I
)


def _coordinated_doses(t: str, out: list[ArmMention]) -> None:
    """ "baricitinib 1 mg, 2 mg or 4 mg once daily", "X 250 mg every 4 weeks, 125 mg every 4
    weeks or placebo": a bare dose listed right after a drug's dose (its frequency and loading
    dose aside) is an arm of the same drug."""
    for prev, am in itertools.pairwise(out):
        if am.arm.drug is not None or not am.arm.dose or not am.arm.bare:
            continue
        if prev.arm.drug is None or not prev.arm.dose or prev.arm.cohort:
            continue
        if re.search(r"weight|tier", t[max(0, prev.start - 30) : am.start], re.I):
            continue  # "weight-tiered dupilumab (200 mg or 300 mg)": one arm, dosed by weight
        gap = _LOADING.sub(" ", t[prev.end : am.start])
        for f in reversed(P.find_frequencies(gap)):
            gap = gap[: f.start] + " " + gap[f.end :]
        if not re.fullmatch(r"\s*(?:,|and|or|,\s*(?:and|or))\s*", gap):
            continue
        am.arm.drug, am.arm.drug_text = prev.arm.drug, prev.arm.drug_text
        am.arm.dosage_form = am.arm.dosage_form or prev.arm.dosage_form
        am.arm.bare = False


def _drug_entity(entity: Entity | None, vocab: object) -> Entity | None:
    if entity is None:
        return None
    if entity.kind == "product":
        ingredient = entity.attrs.get("active_ingredient")
        try:
            return matcher().vocab.get("drug", ingredient) if ingredient else None
        except KeyError:
            return None
    return entity


_FREQUENCY_AS_NAME = re.compile(r"\s*(?:[\w-]+\s+)?(?:dosing|regimen|group|arm|schedule)\b", re.I)


def _alternative_frequencies(t: str, out: list[ArmMention]) -> None:
    """ "lebrikizumab 250 mg every 4 weeks (Q4W) or every 2 weeks (Q2W)": a second frequency
    offered as an alternative is a second arm of the same drug and dose."""
    freqs = P.find_frequencies(t)
    if len(freqs) < 2:
        return
    for am in list(out):
        a = am.arm
        if a.drug is None or not a.dose or not a.frequency or a.cohort:
            continue
        first = next((f for f in freqs if am.end <= f.start <= am.end + 3), None)
        if first is None or first.text != a.frequency:
            continue
        for f in freqs:
            if f.start <= first.end or f.text == a.frequency:
                continue
            gap = t[first.end : f.start]
            if not re.fullmatch(r"\s*(?:\([^()]{0,20}\)\s*)?(?:,\s*)?(?:or|and)\s+", gap):
                break
            if any(o.start <= f.start < o.end for o in out):
                break
            out.append(
                ArmMention(
                    f.start,
                    f.end,
                    Arm(
                        label="", drug=a.drug, drug_text=a.drug_text, dose=a.dose, frequency=f.text
                    ),
                )
            )
            break
    out.sort(key=lambda x: x.start)


def _assign_frequencies(t: str, arms: list[ArmMention]) -> None:
    # "in the every-other-week group": a frequency that names an arm belongs to no other arm
    freqs = [f for f in P.find_frequencies(t) if not _FREQUENCY_AS_NAME.match(t, f.end)]
    if not freqs or not arms:
        return
    for i, am in enumerate(arms):
        if am.arm.cohort:
            continue
        nxt = arms[i + 1].start if i + 1 < len(arms) else len(t)
        prv = arms[i - 1].end if i > 0 else 0
        right = [f for f in freqs if am.end <= f.start < nxt and f.start - am.end <= 30]
        left = [
            f
            for f in freqs
            if prv <= f.start
            and f.end <= am.start
            and am.start - f.end <= 30
            and not re.search(r"[,;]", t[f.end : am.start])
        ]
        if right:
            am.arm.frequency = right[0].text
        elif left:
            am.arm.frequency = left[-1].text
        elif len({f.text for f in freqs}) == 1 and re.search(
            r",|\bor\b|\band\b", t[arms[0].start : arms[-1].end]
        ):
            am.arm.frequency = freqs[0].text


def arm_label(arm: Arm) -> str:
    """A readable arm label: "ruxolitinib cream 1.5% BID", "vehicle cream BID", "Cohort A"."""
    if arm.cohort:
        return arm.cohort
    name = arm.drug.label if arm.drug is not None else arm.drug_text.lower()
    parts = [name]
    if arm.dosage_form and arm.dosage_form not in name:
        parts.append(arm.dosage_form)
    if arm.strength is not None:
        parts.append(f"{arm.strength:g}%")
    if arm.dose:
        parts.append(arm.dose)
    if arm.frequency:
        parts.append(_FREQ_ABBR.get(arm.frequency, arm.frequency))
    return " ".join(p for p in parts if p)


def same_arm(a: Arm, b: Arm) -> bool:
    """Whether two arm mentions name the same arm of a study."""
    if a.cohort or b.cohort:
        return a.cohort == b.cohort
    if (a.bare or b.bare) and a.drug is not None and b.drug is not None:
        return a.drug.key == b.drug.key
    if (
        a.drug is not None
        and b.drug is not None
        and a.drug.kind == "comparator"
        and b.drug.kind == "comparator"
    ):
        return True
    ka = a.drug.key if a.drug else normalize_surface(a.drug_text)
    kb = b.drug.key if b.drug else normalize_surface(b.drug_text)
    if a.frequency and b.frequency and a.frequency != b.frequency and (a.dose or a.strength):
        return False  # "300 mg once weekly" and "300 mg every 2 weeks" are two arms
    return ka == kb and a.strength == b.strength and _dose_key(a.dose) == _dose_key(b.dose)


def add_arm(study: Study, arm: Arm, allow_new: bool = True) -> Arm:
    """Merge ``arm`` into the study's arms (same drug and strength), return the study's arm;
    with ``allow_new`` false an arm the study does not have is not added."""
    if arm.bare and arm.drug is None and arm.dose:
        norm = _dose_key(arm.dose)
        same_dose = [a for a in study.arms if a.dose and _dose_key(a.dose) == norm]
        return same_dose[0] if len(same_dose) == 1 else arm  # never a new arm of its own
    if arm.bare and arm.drug is not None:
        same_drug = [a for a in study.arms if a.drug is not None and a.drug.key == arm.drug.key]
        if same_drug:
            same_drug[0].frequency = same_drug[0].frequency or arm.frequency
            return same_drug[0]
    for existing in study.arms:
        if (
            existing.bare
            and not arm.bare
            and existing.drug is not None
            and arm.drug is not None
            and existing.drug.key == arm.drug.key
            and not arm.cohort
        ):
            existing.bare = False
            existing.strength, existing.dose = arm.strength, arm.dose
            existing.frequency = existing.frequency or arm.frequency
            existing.dosage_form = existing.dosage_form or arm.dosage_form
            existing.evidence.extend(arm.evidence)
            return existing
        if same_arm(existing, arm):
            existing.frequency = existing.frequency or arm.frequency
            existing.dosage_form = existing.dosage_form or arm.dosage_form
            existing.size = existing.size if existing.size is not None else arm.size
            if (
                existing.drug is not None
                and arm.drug is not None
                and existing.drug.key != arm.drug.key
                and existing.drug.kind == "comparator"
                and arm.drug.key == "vehicle"
            ):
                existing.drug = arm.drug  # a topical's comparator is its vehicle
            existing.evidence.extend(arm.evidence)
            return existing
    if allow_new:
        study.arms.append(arm)
    return arm


def _dose_key(dose: str) -> str:
    """ "2 mg", "2-mg", "2mg" → "2mg"."""
    return re.sub(rf"[\s{D}]+", "", dose.lower())


def finish_arms(study: Study) -> None:
    """Cohorts inherit the study's only drug and strength; labels are set."""
    drug_arms = [
        a for a in study.arms if not a.cohort and a.drug is not None and a.drug.kind != "comparator"
    ]
    for a in study.arms:
        if a.cohort and len(drug_arms) == 1:
            d = drug_arms[0]
            a.drug, a.strength, a.dosage_form, a.frequency = (
                d.drug,
                d.strength,
                d.dosage_form,
                a.frequency or d.frequency,
            )
        if a.drug is not None and a.drug.kind == "comparator" and not a.dosage_form and drug_arms:
            a.dosage_form = drug_arms[0].dosage_form
        a.label = arm_label(a)


__all__ = ["StudyIndex", "StudyRef", "add_arm", "arm_label", "arm_mentions", "cues", "finish_arms"]
