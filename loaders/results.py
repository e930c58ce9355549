"""Efficacy results and safety findings: values bound to endpoints/events, arms and timepoints.

A value is bound to the arm named in its own stretch of the sentence (between it and the next
value, else between the previous value and it), to the nearest timepoint likewise, and to
the endpoint of its clause. "respectively" distributes lists in order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Arm, EfficacyResult, SafetyFinding, Study
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.cues import cues
from dermkg.loaders.mentions import Mention, matcher
from dermkg.loaders.studies import ArmMention
from dermkg.vocabulary import Entity

_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:with|while|whereas|but|yet|although|though|however|and)\b|\.\s"
)
_SUBGROUP = re.compile(
    r"\b(?:subpopulation|subgroup|subset|sub-population)\s+of\s+(?:patients|participants|children|adults)\s+(?:with|who)\s+(?P<g>[^.;,()]{3,80})",
    re.I,
)
_STAT = re.compile(r"\b(mean|median|average)\b", re.I)
_UMBRELLA = frozenset(
    {"adverse-event", "teae", "serious-adverse-event", "treatment-related-adverse-event"}
)
_NEG_BEFORE = re.compile(
    r"\b(?:no|without|absence\s+of|free\s+of|zero|nor|neither|not\s+any)\b", re.I
)
_NEG_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:were|was|are|is)\s+not\s+(?:observed|reported|seen|identified|noted)|^\s*(?:[\u2014\u2013][^.;\u2014\u2013]{0,80}[\u2014\u2013])?[^.;]{0,30}?\bdid\s+not\s+(?:occur|emerge|arise)",
    re.I,
)
_NONE_SERIOUS = re.compile(
    r"\bnone\s+(?:of\s+(?:which|them|these|those)\s+)?(?:were|was)\s+(?P<adj>serious|severe)(?P<disc>\s+or\s+led\s+to\s+(?:treatment\s+|study\s+)?discontinuation)?",
    re.I,
)
_LED_TO_DISCONTINUATION = re.compile(
    r"\s+(?:led|leading|resulted\s+in|resulting\s+in)\s+(?:to\s+)?(?:[\w-]+\s+){0,2}?discontinu",
    re.I,
)
_NO_AE_LED_TO_DISCONTINUATION = re.compile(
    r"(?:\bno\s+(?:(?:serious|treatment[- ]emergent|\w+[- ]related)\s+)*"
    r"(?:AEs?|adverse\s+events?|TEAEs?)\s+|"
    # "none of the nausea events in the trial led to discontinuation"
    r"\bnone\s+of\s+the\s+(?:[\w-]+\s+){0,3}?(?:AEs?|adverse\s+events|TEAEs|events|cases)\s+"
    r"(?:(?:in|during)\s+(?:the\s+|either\s+|each\s+)?(?:trials?|stud(?:y|ies))\s+)?)"
    r"(?P<ev>(?:led|leading|resulted\s+in)\s+(?:to\s+)?(?:permanent\s+)?(?:treatment\s+|study\s+|drug\s+)?"
    r"discontinuation)",
    re.I,
)
_NO_DISCONTINUED = re.compile(
    r"\bno\s+(?:patients?|participants?|subjects?|one|children)\b[^.;]{0,60}?\b(?P<ev>discontinu\w*[^.;,]{0,50}?)(?=\s+in\s+the\b|[.;,]|$)",
    re.I,
)
_DISCONTINUED = re.compile(
    r"\b(?P<ev>(?:discontinu\w+|withdr[ae]w\w*)\s+(?:from\s+(?:the\s+)?(?:study|treatment)\s+)?(?:because\s+of|due\s+to)\s+(?:an?\s+)?(?:AEs?|adverse\s+events?|TEAEs?))",
    re.I,
)
_SAFETY_SIGNAL = re.compile(
    r"\bno\s+(?:new\s+)?(?P<ev>(?:new\s+)?safety\s+(?:signals?|concerns?|findings?))", re.I
)
_SERIOUS_ADJ = re.compile(
    rf"(?:\b(serious|severe|new|[\w]+[{P.DASH}]related|treatment[{P.DASH}]related)\s+)+$", re.I
)
_LEADING_TO_STOP = (
    r"(?:leading|led|resulting|resulted)\s+(?:to|in)\s+(?:(?:the\s+)?(?:permanent\s+)?"
    r"(?:treatment|study(?:\s+drug)?|drug)\s+)?(?:discontinuation|withdrawal)"
)
_EXTEND_RIGHT = re.compile(
    rf"^\s+(?:of\s+special\s+interest|{_LEADING_TO_STOP})(?:\s+related\s+to\s+[\w\s-]{{3,40}}?(?=\s+(?:were|was|have|has)\b))?",
    re.I,
)
# "Discontinuation of study drug due to an adverse event", "withdrawals because of AEs"
_STOPPED_BECAUSE = re.compile(
    r"\b(?:discontinu\w*|withdr[ae]w\w*|stopp\w+)(?:\s+(?:of|from)\s+(?:the\s+)?"
    r"(?:study\s+drug|study\s+treatment|study\s+medication|treatment|therapy|study))?"
    r"\s+(?:due\s+to|because\s+of|owing\s+to|for)\s+(?:an?\s+|any\s+)?$",
    re.I,
)
_REPORT = re.compile(
    r"\b(report\w*|observ\w*|occurr?\w*|experienc\w*|developed|noted|identified|seen|most\s+common\w*|most\s+frequent\w*|more\s+common|more\s+frequent\w*|commonly|frequently|included|consisted)\b",
    re.I,
)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
# "at least a 75% improvement in", "a 50% or greater reduction from baseline": a responder
# threshold that defines the endpoint, not a result
_THRESHOLD_NOUN = r"(?:improvement|reduction|decrease|response)\b"
_THRESHOLD_AFTER = re.compile(
    rf"\s*(?:or\s+(?:greater|more|higher|better)\s+){_THRESHOLD_NOUN}|\s*{_THRESHOLD_NOUN}", re.I
)
_EACH = re.compile(r"\bin\s+(?:each|both)\b[^.;()]{0,40}?\b(?:group|arm|cohort)s?\b", re.I)
_AT_LEAST = re.compile(r"\bat\s+least\s+(?:an?\s+)?$|\bminimum\s+(?:of\s+)?(?:an?\s+)?$", re.I)


def _is_threshold(t: str, start: int, end: int) -> bool:
    """Whether the percent at ``start:end`` is a responder threshold ("at least a 75%
    improvement", "a 50% or greater improvement"), not a result."""
    m = _THRESHOLD_AFTER.match(t, end)
    if m is None:
        return False
    return m.group(0).lstrip().lower().startswith("or") or bool(
        _AT_LEAST.search(t[max(0, start - 20) : start])
    )


@dataclass
class Value:
    """A number found in a sentence, with its kind."""

    start: int
    end: int
    value: float | None
    value_max: float | None = None
    unit: str = "%"
    count: int | None = None
    qualifier: str = ""


def subgroup_of(text: str) -> str:
    """The subgroup a sentence announces ("in the subpopulation of patients with more severe AD")."""  # noqa: E501
    m = _SUBGROUP.search(text)
    return m.group("g").strip() if m else ""


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_CELL_NUMBER = re.compile(rf"\s*(?P<v>{P.NUM})\s*")
_CELL_COUNT_PCT = re.compile(rf"\s*(?P<n>\d[\d,]*)\s*\(\s*(?P<p>{P.NUM})\s*\)\s*")


def table_cells(text: str) -> list[tuple[int, int]]:
    """Cell spans of a flattened table row ("Nausea: 31 (20.1) | 14 (9.0) | 2 (2.6)")."""
    if text.count(" | ") < 2:
        return []
    spans, start = [], 0
    for m in re.finditer(r" \| ", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def cell_values(text: str) -> list[Value]:
    """Numbers standing alone in the cells of a table row whose caption says they are
    percentages ("% of patients", "n (%)"): "43.8", "31 (20.1)"; a row label is skipped."""
    out: list[Value] = []
    for lo, hi in table_cells(text):
        cell = text[lo:hi]
        label = re.match(r"[^:|]*[A-Za-z][^:|]*:\s*", cell)  # "Nausea: 31 (20.1)"
        off = lo + (label.end() if label else 0)
        body = text[off:hi]
        m = _CELL_COUNT_PCT.fullmatch(body)
        if m:
            out.append(
                Value(
                    off + m.start("n"),
                    off + m.end("p"),
                    float(m.group("p")),
                    count=P.to_int(m.group("n").replace(",", "")),
                )
            )
            continue
        m = _CELL_NUMBER.fullmatch(body)
        if m and float(m.group("v")) <= 100:
            out.append(Value(off + m.start("v"), off + m.end("v"), float(m.group("v"))))
    return out


_CONFIDENCE = re.compile(r"\s*(?:CI\b|confidence\s+interval|credible\s+interval)", re.I)


def _percent_values(info: SentenceInfo, arms: list[ArmMention]) -> list[Value]:
    t = info.text
    arm_spans = [(a.start, a.end) for a in arms]
    endpoint_spans = [(m.start, m.end) for m in info.of_kind("endpoint")]
    out: list[Value] = []
    for m in P.find_percents(t):
        if _in_spans(m.start, arm_spans) or _in_spans(m.start, endpoint_spans):
            continue
        if _is_threshold(t, m.start, m.end):
            continue
        if _CONFIDENCE.match(t, m.end):
            continue  # "(95% CI, 79.1-90.3)": the confidence level, not a result
        if (m.qualifier and m.qualifier[0] in "<>\u2264\u2265") or m.qualifier in (
            "less than",
            "fewer than",
            "under",
            "up to",
        ):
            continue
        out.append(Value(m.start, m.end, m.value, m.value_max, "%", qualifier=m.qualifier))
    return out


_POINTS = re.compile(
    rf"(?<![\w.])(?P<v>[-{P.DASH}]?\s?{P.NUM})\s?points?\b(?![{P.DASH}])"
    r"(?!\s+or\s+(?:greater|more|higher))",
    re.I,
)
_CHANGE = re.compile(r"\b(?:chang|reduc|decreas|improv|declin|fell|dropped)", re.I)
_POINT_THRESHOLD = re.compile(
    r"(?:at\s+least|[\u2265>]=?|of\s+[\u2265>]|minimum\s+of|\bby\s+[\u2265>])\s*(?:an?\s+)?$", re.I
)


# "fell by 20.5 vs 12.0 points": a number sharing the unit of the one it is compared with
_SHARED_POINTS = re.compile(
    rf"(?<![\w.%])(?P<v>[-{P.DASH}]?\s?{P.NUM})(?=\s*(?:vs\.?|versus|and|compared\s+with)\s*"
    rf"[-{P.DASH}]?\s?{P.NUM}\s?points?\b)",
    re.I,
)
# "the mean change from baseline was -20.0 with X vs -13.8 with placebo": signed changes of a
# score written without a unit
_MEAN_CHANGE = re.compile(r"\b(?:mean|average|LS|least[\s-]squares)\s+(?:\w+\s+)?change\b", re.I)
_SIGNED = re.compile(
    rf"(?<![\w.%)])(?P<v>[-{P.DASH}]\s?{P.NUM})"
    r"(?![\d.]|\s?(?:%|mg|mcg|µg|g\b|kg|ml|years?|weeks?|days?|months?|hours?|[-\u2013]))",
    re.I,
)
_NOT_A_CHANGE = re.compile(r"(?:\bCI|\bdifference|\bP\s*=?|\bto|,)\s*$", re.I)


def _signed_value(raw: str) -> float:
    digits = re.sub(rf"[\s{P.DASH}]", "", raw[1:]) if raw[0] in P.DASH else None
    return -float(digits) if digits else float(raw)


def _point_values(t: str, arms: list[ArmMention]) -> list[Value]:
    """Score changes in points ("mean change was -67.6 points with X"); a responder threshold
    ("a reduction of at least 4 points", "≥4-point improvement") is not a value."""
    no_ci = re.sub(r"\d+\s?%\s*(?:CI|confidence|credible)", "", t)
    if _MEAN_CHANGE.search(t) and "point" not in t.lower() and "%" not in no_ci:
        return [
            Value(m.start(), m.end(), _signed_value(m.group("v")), None, "point")
            for m in _SIGNED.finditer(t)
            if _depth(t, m.start()) == 0
            and not _NOT_A_CHANGE.search(t[max(0, m.start() - 14) : m.start()])
            and _MEAN_CHANGE.search(t, 0, m.start())
        ]
    if "point" not in t.lower() or not _CHANGE.search(t):
        return []
    out: list[Value] = []
    for m in _SHARED_POINTS.finditer(t):
        if _POINT_THRESHOLD.search(t[max(0, m.start() - 16) : m.start()]):
            continue
        if any(a.start <= m.start() < a.end for a in arms):
            continue
        out.append(Value(m.start(), m.end(), _signed_value(m.group("v")), None, "point"))
    for m in _POINTS.finditer(t):
        if _POINT_THRESHOLD.search(t[max(0, m.start() - 16) : m.start()]):
            continue
        if any(a.start <= m.start() < a.end for a in arms):
            continue
        raw = re.sub(rf"[\s{P.DASH}]", "", m.group("v")[1:]) if m.group("v")[0] in P.DASH else None
        value = -float(raw) if raw else float(m.group("v"))
        out.append(Value(m.start(), m.end(), value, None, "point"))
    return out


def _depth(t: str, pos: int) -> int:
    return t.count("(", 0, pos) - t.count(")", 0, pos)


def _clause_bounds(t: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: separators inside parentheses do not split it."""
    start, end = 0, len(t)
    for m in _CLAUSE_BREAK.finditer(t):
        if _depth(t, m.start()) > 0:
            continue
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


def _pick_arm(t: str, values: list[Value], i: int, arms: list[ArmMention]) -> Arm | None:
    v = values[i]
    seg_start = max([m.end() for m in _PARALLEL_SPLIT.finditer(t[: v.start])] or [0])
    seg_end = min([v.end + m.start() for m in re.finditer(r";", t[v.end :])] or [len(t)])
    nxt = values[i + 1].start if i + 1 < len(values) else len(t)
    prv = values[i - 1].end if i > 0 else 0
    right = [a for a in arms if v.end <= a.start < min(nxt, seg_end)]
    left = [a for a in arms if max(prv, seg_start) <= a.start and a.end <= v.start]
    # "dupilumab (6.2%)", but not "22 (18.3%) on 5 mg": there the count owns the parentheses
    # "210 patients (61.1%) treated with Y": the count and its noun own the parentheses too
    in_parens = t[max(0, v.start - 1) : v.start] == "(" and not re.search(
        r"\d\s*$|\b\d[\d,]*\s+(?:of\s+\d[\d,]*\s+)?(?:[a-z]+\s+){0,2}?"
        r"(?:patients|participants|subjects|adults|adolescents|children|infants|individuals)\s*$",
        t[: v.start - 1],
    )
    if in_parens and left:
        return left[-1].arm  # "dupilumab (6.2%)"
    if right and not re.search(r"[,;]\s*$", t[v.end : right[0].start]):
        return right[0].arm
    if left:
        return left[-1].arm
    if right:
        return right[0].arm
    return None


_SUBGROUP_FRAME = re.compile(
    r"\b(?:among|in)\s+(?:the\s+)?(?:patients|those|participants|subjects|children|adults)\s+"
    r"(?:with|who\s+had)\b",
    re.I,
)


def _pick_timepoint(t: str, values: list[Value], i: int) -> P.Match | None:
    tps = P.find_timepoints(t)
    # "Among patients with an itch NRS >=4 at baseline, 62.8% vs 40.6% reached … at week 8":
    # the baseline of a subgroup's definition is not when the outcome was read
    framed = [
        x
        for x in tps
        if x.text == "baseline"
        and _SUBGROUP_FRAME.search(t, max(0, x.start - 90), x.start)
        and not re.search(r"\d\s?%", t[max(0, x.start - 90) : x.start])
    ]
    if framed and len(framed) < len(tps):
        tps = [x for x in tps if x not in framed]
    if not tps:
        return None
    v = values[i]
    nxt = values[i + 1].start if i + 1 < len(values) else len(t)
    semi = t.find(";", v.end)
    if semi >= 0:
        nxt = min(nxt, semi)  # "…; at week 52 the proportions were …": the next clause's
    # "…, compared with 23% with placebo, and improvements were sustained at week 52"
    nxt = min(nxt, _clause_bounds(t, v.start)[1])
    prv = values[i - 1].end if i > 0 else 0
    right = [x for x in tps if v.end <= x.start < nxt]
    left = [x for x in tps if prv <= x.start and x.end <= v.start]
    if right:
        return right[0]
    if left:
        return left[-1]
    earlier = [x for x in tps if x.end <= v.start and ";" not in t[x.end : v.start]]
    if earlier:
        return earlier[-1]  # "At week 16, 62.1% … and 46.0% …": the clause's opening timepoint
    distinct = {x.text for x in tps}
    return tps[0] if len(distinct) == 1 else None


_CONTINUATION = re.compile(rf"\s*(?:and\s+|but\s+|versus\s+|vs\.?\s+)?(?:by\s+)?{P.NUM}\s?%")


# "…; in study 2, the figures were 60.1%, 72.9% and 13.3%": the sentence's one outcome
_FIGURES = re.compile(
    r"\b(?:the\s+)?(?:corresponding\s+)?(?:figures|numbers|values|proportions|rates|"
    r"percentages)\s+(?:were|was)\b",
    re.I,
)
_COMPOSITE = re.compile(
    r"\b(?:simultaneous(?:ly)?|concurrent|combined|composite|both)\s+"
    r"(?:(?:achievement|attainment|response|improvement)\s+)?(?:of\s+)?$",
    re.I,
)


_VALUE_THEN_VERB = re.compile(
    r"\s*(?:of\s+(?:the\s+)?(?:patients|participants|children|adults|adolescents|infants)\s+)?"
    r"(?:achieved|reached|attained|had|met|showed)\s+(?:an?\s+|the\s+)?",
    re.I,
)


_OWN_SUBJECT = re.compile(
    r"\s*(?:(?:the|a|an)\s+)?(?:(?:mean|median|average)\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+"
    r"(?:improved|decreased|declined|fell|increased|rose|dropped|worsened)\b",
    re.I,
)
_ENDPOINT_THEN_VERB = re.compile(
    r"\s+(?:(?:was|were)\s+(?:observed|reported|seen|achieved|reached|attained|met|noted|"
    r"recorded)\s+)?(?:in|by|among)\s+(?:the\s+)?",
    re.I,
)


def _value_end(t: str, pos: int) -> int:
    m = re.match(rf"{P.NUM}\s?%", t[pos:])
    return pos + m.end() if m else pos


def _pick_endpoint(info: SentenceInfo, pos: int) -> Mention | None:
    eps = info.of_kind("endpoint")
    if not eps:
        return None
    if len(eps) == 1 and eps[0].start == eps[0].end == 0:
        return eps[0]  # the previous sentence's outcome, named by an anaphor
    a, b = _clause_bounds(info.text, pos)
    inside = [e for e in eps if a <= e.start < b]
    if len(inside) >= 2 and _COMPOSITE.search(
        info.text, max(a, inside[0].start - 40), inside[0].start
    ):
        return inside[0]  # "simultaneous EASI-90 and WP-NRS 0/1": named by its first component
    for e in inside:
        if e.end <= pos and _ENDPOINT_THEN_VERB.fullmatch(info.text, e.end, pos):
            return e  # "EASI-75 was observed in 81.9% … and IGA 0/1 in 62.6%"
        if e.start > pos and _VALUE_THEN_VERB.fullmatch(
            info.text, _value_end(info.text, pos), e.start
        ):
            return e  # "46.0% achieved an IGA score of 0 or 1"
    if inside:
        return min(inside, key=lambda e: abs(e.start - pos))
    if _CONTINUATION.match(info.text[a:b]) or _FIGURES.search(info.text[a:b]):
        # "…, and 36.6% with the 0.75% strength": the sentence's one outcome, or the one
        # its previous clause reported ("IGA of clear or almost clear … 48.1% …, and by 38.8%")
        if len({e.key for e in eps}) == 1:
            return eps[0]
        before = [e for e in eps if e.end <= a]
        if before and not any(e.start >= b for e in eps):
            return before[-1]
    if _OWN_SUBJECT.match(info.text, a, b):
        return None  # "…, and mean itch improved by 48% …": another outcome, not in the vocabulary
    if (
        len({e.key for e in eps}) == 1
        and cues().result_cue.search(info.text[a:b])
        and not re.search(
            r"\b[A-Z][A-Za-z]*[A-Z][\w-]*\s+(?:success|score|response|improvement|clearance)\b",
            info.text[a:b],
        )
    ):
        return eps[0]
    return None


def _distribute(values: list[Value], arms: list[ArmMention], t: str) -> list[Arm | None]:
    """Arms per value; ``respectively`` pairs the i-th value with the i-th arm."""
    drug_arms = [a for a in arms if not a.arm.cohort]
    if (
        _RESPECTIVELY.search(t)
        and len(drug_arms) == len(values)
        and values
        and drug_arms[0].start > values[0].start
    ):
        return [a.arm for a in drug_arms]
    listed = _list_pairs(values, drug_arms, t)
    if listed is not None:
        return listed
    picked = [_pick_arm(t, values, i, arms) for i in range(len(values))]
    return _parallel(t, values, picked)


_COUNTS_IN_GAP = re.compile(r"\(?\s*\d[\d.,]*\s?%?\s*\)?")
_LIST_JOIN = re.compile(r"\s*(?:,|;|and|or|,\s*and|,\s*or|vs\.?|versus)\s*", re.I)
_LIST_GAP = re.compile(
    r"[^.;]{0,60}?\b(?:in|with|for|on|among|receiving|of)\s+(?:the\s+)?(?:patients\s+"
    r"(?:on|in|receiving|treated\s+with)\s+(?:the\s+)?)?$",
    re.I,
)


_PAREN_COUNT = re.compile(r"[()]|(?<![\w.])\d[\d,]*(?![\d.,]*\s?%)")


def _one_list(t: str, values: list[Value]) -> bool:
    """The values form one list ("72.0%, 68.5% and 41.5%", "17 (13.8%), 13 (10.6%) and
    11 (8.8%)") with nothing but separators and counts between them."""
    return len(values) >= 2 and all(
        _LIST_JOIN.fullmatch(_PAREN_COUNT.sub("", t[a.end : b.start]))
        for a, b in itertools.pairwise(values)
    )


def _list_pairs(values: list[Value], arms: list[ArmMention], t: str) -> list[Arm | None] | None:
    """ "70 (47.6%), 75 (51.4%) and 61 (41.5%) patients in the A, B and C groups",
    "16.3% and 25.2% of patients in the 1-mg and 2-mg groups": a run of values followed
    by a run of as many arms pairs them in order."""
    for i in range(len(values) - 1):
        j = i
        while j + 1 < len(values) and _LIST_JOIN.fullmatch(
            _COUNTS_IN_GAP.sub("", t[values[j].end : values[j + 1].start])
        ):
            j += 1
        run = values[i : j + 1]
        if len(run) < 2:
            continue
        following = [a for a in arms if a.start >= run[-1].end]
        if len(following) < len(run):
            return None
        chosen = following[: len(run)]
        if not _LIST_GAP.match(t[run[-1].end : chosen[0].start]):
            return None
        if any(not _LIST_JOIN.fullmatch(t[a.end : b.start]) for a, b in itertools.pairwise(chosen)):
            return None
        if any(chosen[0].start <= v.start < chosen[-1].end for v in values):
            return None
        out: list[Arm | None] = [None] * len(values)
        for k, a in zip(range(i, j + 1), chosen, strict=True):
            out[k] = a.arm
        rest = [k for k in range(len(values)) if out[k] is None]
        for k in rest:
            out[k] = _pick_arm(t, values, k, arms)
        return out
    return None


_PARALLEL_SPLIT = re.compile(r";|,\s+(?:and|whereas|while|but)\b|\band\s+by\b")


def _parallel(t: str, values: list[Value], picked: list[Arm | None]) -> list[Arm | None]:
    """ "32.0% on roflumilast versus 15.2% on vehicle; in study 2, the rates were 28.9% and
    12.0%": a clause whose values name no arm takes the arms of the previous clause, in order."""
    cuts = [0, *[m.end() for m in _PARALLEL_SPLIT.finditer(t)], len(t) + 1]
    groups: list[list[int]] = []
    for lo, hi in itertools.pairwise(cuts):
        idx = [i for i, v in enumerate(values) if lo <= v.start < hi]
        if idx:
            groups.append(idx)
    last: list[Arm | None] | None = None
    for idx in groups:
        arms = [picked[i] for i in idx]
        if all(a is not None for a in arms):
            last = arms
        elif last is not None and all(a is None for a in arms) and len(arms) == len(last):
            for i, a in zip(idx, last, strict=True):
                picked[i] = a
    return picked


def efficacy(
    ctx: DocContext,
    info: SentenceInfo,
    studies: list[Study],
    arms: list[ArmMention],
    subgroup: str,
    locate: Callable[[int], list[Study]] | None = None,
    default_timepoint: P.Match | None = None,
    declared: list[Arm | None] | None = None,
    named_studies: list[Study] | None = None,
    previous_endpoint: Mention | None = None,
    table_percent: bool = False,
    list_item: bool = False,
) -> list[EfficacyResult]:
    """Efficacy results stated in one sentence (``table_percent``: a table row under a
    caption saying its numbers are percentages; ``list_item``: an item of a list whose lead-in
    named ``previous_endpoint``)."""
    t = info.text
    c = cues()
    tabular = bool(_TABULAR.search(t)) or table_percent
    if (
        previous_endpoint is not None
        and not info.of_kind("endpoint")
        # "… 144 (44%) of 325 patients had at least one adverse event; the corresponding
        # numbers were …": a safety sentence, not the previous outcome again
        and not info.of_kind("adverse_event")
        and (
            re.search(
                r"\b(?:that|this|it)\s+(?:was|were|is)\b|\b(?:the\s+)?rates?\s+(?:was|were)\b",
                t,
                re.I,
            )
            or _ANAPHOR.search(t)
            # "AD-302 separated more: 31.4% versus 18.0%": another trial, the same outcome
            or (named_studies and _BARE_VERSUS.search(t))
            # "- S1: 32.0% of X-treated vs 15.2% of Y-treated": an item under a lead-in
            or list_item
        )
    ):
        info = SentenceInfo(
            info.sent,
            [
                *info.mentions,
                Mention("endpoint", 0, 0, previous_endpoint.text, previous_endpoint.entity),
            ],
        )
        tabular = True  # the anaphor stands for the previous sentence's outcome
    if not info.of_kind("endpoint") or not (c.result_cue.search(t) or tabular):
        return []
    design_part = _design_clauses(t)
    if design_part is None:
        return []
    asides = [(m.start(), m.end()) for m in _DEFINITION_ASIDE.finditer(t)]
    values = [
        v
        for v in _percent_values(info, arms) + _point_values(t, arms)
        if not any(a <= v.start < b for a, b in [*design_part, *asides])
    ]
    if table_percent and not values:
        values = [v for v in cell_values(t) if v.count is None]
    for m in P.find_durations(t):
        a, b = _clause_bounds(t, m.start)
        if re.search(r"\btime\s+to\b", t[a:b], re.I) and not any(
            v.start <= m.start < v.end for v in values
        ):
            values.append(Value(m.start, m.end, m.value, None, m.qualifier))
    values.sort(key=lambda v: v.start)
    if not values:
        return []
    out: list[EfficacyResult] = []
    arms_for = _lead_in_pairs(t, values, arms) or _distribute(values, arms, t)
    if (
        declared
        and not any(arms_for)
        and len(values) == len(declared)
        and (tabular or _one_list(t, values))
    ):
        arms_for = list(declared)  # "… rates were 72.0%, 68.5% and 41.5%": the arms in order
    elif declared and table_percent and len(values) == len(declared):
        arms_for = list(declared)  # a table row: the i-th number is the i-th column's arm
    arms_for = _frequency_arms(t, values, _collective_arms(t, values, arms_for, studies), studies)
    arms_for = _parallel(t, values, _respectively_doses(t, values, arms_for, arms, studies))
    arms_for = _versus_pairs(t, values, arms_for, studies)
    per_study = _respectively_studies(t, values, studies, locate)
    matrix = _respectively_matrix(t, values, arms, named_studies or [], studies)
    if matrix is not None:
        arms_for, per_study = matrix
    for i, v in enumerate(values):
        ep = _pick_endpoint(info, v.start)
        if ep is None or ep.entity is None:
            continue
        a, _ = _clause_bounds(t, v.start)
        window = t[max(a, v.start - 60) : v.start]
        if re.search(
            r"\b(?:of|with)\s+(?:the\s+)?(?:patients|children)\s+(?:having|with)\s+prior\b",
            t[v.end : v.end + 40],
        ):
            continue
        tp = _pick_timepoint(t, values, i) or (
            default_timepoint if not P.find_timepoints(t) else None
        )
        stat_m = _STAT.search(t[a : v.start]) or _STAT.search(window)
        stat = (
            stat_m.group(1).lower()
            if stat_m
            else (
                "proportion"
                if v.unit == "%"
                and re.search(
                    r"of\s+(?:the\s+)?(?:patients|children|participants|subjects)|proportion|patients\s+(?:achiev|who)",
                    t,
                    re.I,
                )
                else ""
            )
        )
        if stat == "average":
            stat = "mean"
        res = EfficacyResult(
            studies=per_study[i],
            arm=arms_for[i],
            endpoint=ep.entity,
            endpoint_text=ep.text,
            timepoint=tp.text if tp else "",
            value=v.value,
            value_max=v.value_max,
            unit=v.unit,
            statistic=stat,
            subgroup=subgroup,
        )
        if tp is not None and tp.text.startswith("week"):
            res.start_week = tp.value
            res.end_week = tp.value_max
        res.evidence.append(ctx.evidence(info, "efficacy.value-in-sentence", supports="value"))
        out.append(res)
    return out


# "the corresponding figures were …", "the end point was met by …", "this endpoint was
# achieved by …", "least-squares mean reductions were …", "X 2 was very similar: …": the
# outcome of the previous sentence, named by an anaphor
_ANAPHOR = re.compile(
    r"\b(?:the\s+)?corresponding\s+(?:figures|proportions|percentages|rates|values|results|"
    r"numbers|response\s+rates)\b|"
    rf"\b(?:least[{P.DASH}\s]squares\s+)?(?:mean|median)\s+(?:percent(?:age)?\s+)?"
    r"(?:reductions?|changes?|improvements?|decreases?)\s+(?:were|was)\b|"
    r"\b(?:was|were)\s+(?:very\s+|broadly\s+|largely\s+)?similar\s*:|"
    rf"\b(?:the|this|that|its)\s+(?:(?:primary|co[{P.DASH}]?primary|key\s+secondary|secondary)\s+)?"
    rf"end[{P.DASH}\s]?points?\s+(?:was|were)\s+(?:met|achieved|reached|attained)\b|"
    # "29.6% of patients on 8 mg … reached that goal": the outcome the sentence before named
    r"\b(?:reached|achieved|attained|met|hit)\s+(?:that|this|the\s+same)\s+"
    r"(?:goal|target|threshold|end\s?point|outcome|response|level|benchmark|criterion)\b",
    re.I,
)
_COLLECTIVE = re.compile(
    r"\s*(?:of\s+(?:the\s+)?(?:patients|participants|children|adults|adolescents)\s+)?"
    r"(?:on|with|in|receiving|given|taking)\s+(?:the\s+)?(?:two|both|three|all\s+three)\s+"
    r"(?:active\s+|[a-z]+[-\s]dose\s+)?(?:doses|dose\s+groups|strengths|regimens|"
    r"(?:active|treatment)\s+(?:arms|groups))\b",
    re.I,
)
_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3}


def _collective_arms(
    t: str, values: list[Value], arms_for: list[Arm | None], studies: list[Study]
) -> list[Arm | None]:
    """ "48.1% and 62.0% of patients on the two doses": a run of k values followed by a
    collective name of the study's k active arms pairs them in the order the arms were
    introduced."""
    if not studies or ("dose" not in t and "strength" not in t and "arm" not in t):
        return arms_for
    active = [
        a
        for a in studies[0].arms
        if a.drug is not None and a.drug.kind != "comparator" and not a.cohort
    ]
    out = list(arms_for)
    for j, v in enumerate(values):
        m = _COLLECTIVE.match(t, v.end)
        if m is None:
            continue
        word = re.search(r"two|both|three", m.group(0), re.I)
        k = _NUMBER_WORDS[word.group(0).lower()] if word else 0
        run = values[j - k + 1 : j + 1] if j - k + 1 >= 0 else []
        if len(active) != k or len(run) != k or any(out[values.index(r)] for r in run):
            continue
        if not _one_list(t, run):
            continue
        for r, arm in zip(run, active, strict=True):
            out[values.index(r)] = arm
    return out


_BY_FREQUENCY = re.compile(r"\s*(?:[\w-]+\s+)?(?:dosing|regimen|group|arm|schedule|dose)\b", re.I)


def _frequency_arms(
    t: str, values: list[Value], arms_for: list[Arm | None], studies: list[Study]
) -> list[Arm | None]:
    """ "64% with weekly dosing and 69% with every-2-week dosing": a value followed by a
    dosing frequency used as a name takes the study's one active arm with that frequency."""
    if not studies or None not in arms_for:
        return arms_for
    freqs = [
        f
        for f in P.find_frequencies(t)
        if _BY_FREQUENCY.match(t, f.end)
        or re.search(
            r"\b(?:on|with|in|receiving)\s+(?:the\s+)?$", t[max(0, f.start - 16) : f.start]
        )
    ]
    if not freqs:
        return arms_for
    out = list(arms_for)
    for i, v in enumerate(values):
        if out[i] is not None:
            continue
        nxt = values[i + 1].start if i + 1 < len(values) else len(t)
        f = next((f for f in freqs if v.end <= f.start < nxt), None)
        if f is None:
            continue
        gap = re.sub(r"\([^()]*\)", "", t[v.end : f.start])  # "(95% CI, 79.1-90.3)"
        if not re.fullmatch(r"[^,;]{0,40}", gap):
            continue
        match = [
            a
            for a in studies[0].arms
            if a.frequency == f.text and a.drug is not None and a.drug.kind != "comparator"
        ]
        if len(match) == 1:
            out[i] = match[0]
    return out


def _respectively_doses(
    t: str,
    values: list[Value],
    arms_for: list[Arm | None],
    arms: list[ArmMention],
    studies: list[Study],
) -> list[Arm | None]:
    """ "28.6% and 27.8% of tralokinumab-treated adolescents, respectively": a run of k values
    before a drug named without its dose, and "respectively", pairs with the study's k arms
    of that drug in the order they were introduced."""
    if not studies or not _RESPECTIVELY.search(t):
        return arms_for
    out = list(arms_for)
    for am in arms:
        if am.arm.drug is None or re.search(r"\d", t[am.start : am.end]):
            continue  # named with its dose: that arm only
        if not re.match(r"[\w\s-]{0,30}?,?\s*respectively\b", t[am.end :]):
            continue
        doses = [
            a
            for a in studies[0].arms
            if a.drug is not None and a.drug.key == am.arm.drug.key and (a.dose or a.strength)
        ]
        run = [i for i, v in enumerate(values) if v.end <= am.start]
        k = len(doses)
        if k < 2 or len(run) < k:
            continue
        run = run[-k:]
        if not _one_list(t, [values[i] for i in run]) or not _LIST_GAP.match(
            t[values[run[-1]].end : am.start]
        ):
            continue
        for i, arm in zip(run, doses, strict=True):
            out[i] = arm
    return out


_WARNING = re.compile(
    r"\b(?:boxed|black[- ]box)\s+warnings?\b|\bwarnings?\s+(?:for|about|of|on|regarding)\b|"
    r"\blabel\s+warns\b",
    re.I,
)


# "a SALT score of 20 or less—meaning 80% or more scalp hair coverage—at week 24", "(i.e.
# at least 75% improvement)": an aside that defines the outcome; its numbers are no results
_DEFINITION_ASIDE = re.compile(
    rf"[{P.DASH}]\s*(?:meaning|i\.\s?e\.,?|that\s+is,?|defined\s+as|indicating|"
    rf"corresponding\s+to|equivalent\s+to)\s[^{P.DASH}]*[{P.DASH}]|"
    r"\(\s*(?:meaning|i\.\s?e\.,?|that\s+is,?|defined\s+as|indicating|corresponding\s+to|"
    r"equivalent\s+to)\s[^)]*\)",
    re.I,
)


def _design_clauses(t: str) -> list[tuple[int, int]] | None:
    """The ';'-separated clauses that describe eligibility or randomisation (their numbers are
    no results); None when the whole sentence does ("randomized 2:1 …; EASI-75 was reached by
    58.8% vs 16.2%" keeps its second clause)."""
    c = cues()
    if not c.eligibility_cue.search(t):
        return []
    cuts = [0, *[m.end() for m in re.finditer(";", t)], len(t)]
    parts = list(itertools.pairwise(cuts))
    design = [(a, b) for a, b in parts if c.eligibility_cue.search(t, a, b)]
    if len(design) == len(parts) or not any(
        c.result_cue.search(t, a, b) for a, b in parts if (a, b) not in design
    ):
        return None
    return design


_BARE_VERSUS = re.compile(rf"\d\s?%\s*(?:versus|vs\.?)\s*{P.NUM}\s?%", re.I)
_TABULAR = re.compile(
    r"%\s*(?:/|vs\.?|versus)\s*\d|:\s*\d+(?:\.\d+)?\s?%\s*/|%\)?\s\|\s|\brespectively\b"
)
_VERSUS = re.compile(r"^\s*(?:versus|vs\.?|compared\s+with|and)\s*$", re.I)


def _versus_pairs(
    t: str,
    values: list[Value],
    arms_for: list[Arm | None],
    studies: list[Study],
    complete_left: bool = False,
) -> list[Arm | None]:
    """ "43.2% versus 22.0%" with no arm named: the study's active arm, then its comparator
    (when it has exactly one of each); ``complete_left``: "10.2% vs 3.3% with placebo" gives
    the first value the other arm too."""
    if not studies:
        return arms_for
    s = studies[0]
    active = [
        a for a in s.arms if a.drug is not None and a.drug.kind != "comparator" and not a.cohort
    ]
    control = [a for a in s.arms if a.drug is not None and a.drug.kind == "comparator"]
    if not control and len(active) == 2:
        # an active comparator ("delgocitinib versus alitretinoin"): the arm introduced first
        active, control = active[:1], active[1:]
    if len(active) != 1 or len(control) != 1:
        # "IGA 0/1 in 28% vs 4%, and EASI-75 in 48% of children on dupilumab vs 9% on
        # placebo": the one active arm and the one comparator the sentence itself pairs
        seen: list[Arm] = []
        for x in arms_for:
            if x is not None and all(x is not y for y in seen):
                seen.append(x)
        kinds = [x.drug is not None and x.drug.kind == "comparator" for x in seen]
        if len(seen) != 2 or sorted(kinds) != [False, True]:
            return arms_for
        active = [x for x, k in zip(seen, kinds, strict=True) if not k]
        control = [x for x, k in zip(seen, kinds, strict=True) if k]
    out = list(arms_for)
    i = 0
    while i + 1 < len(values):
        a, b = values[i], values[i + 1]
        if (
            out[i] is None
            and out[i + 1] is None
            and re.search(
                r"(?:^|[\s)])(?:versus|vs\.?|compared\s+with|against)\s*$", t[a.end : b.start], re.I
            )
            and not re.search(r"[;]", t[a.end : b.start])
        ):
            out[i], out[i + 1] = active[0], control[0]
            i += 2
            continue
        if (
            out[i] is not None
            and out[i + 1] is None
            and (out[i] is active[0] or out[i] is control[0])
            and _VERSUS.match(t[a.end : b.start])
        ):
            out[i + 1] = control[0] if out[i] is active[0] else active[0]
        elif (
            complete_left
            and out[i] is None
            and out[i + 1] is not None
            and (out[i + 1] is active[0] or out[i + 1] is control[0])
            and _VERSUS.match(t[a.end : b.start])
        ):  # "10.2% vs 3.3% with placebo"
            out[i] = control[0] if out[i + 1] is active[0] else active[0]
        i += 1
    return out


_PAIR_JOIN = re.compile(r"\s*(?:versus|vs\.?|compared\s+with|against)\s*", re.I)
_COMPARED_BEFORE = re.compile(
    r"\b(?:versus|vs\.?|compared\s+(?:with|to)|than)\s+(?:with\s+)?$", re.I
)


def _lead_in_pairs(t: str, values: list[Value], arms: list[ArmMention]) -> list[Arm | None] | None:
    """ "More patients on X than on Y reached Z: 45.1% vs 14.0% in S1 and 46.0% vs 17.2% in S2":
    two arms named before value pairs joined by "versus": each pair is (first arm, second arm),
    or (second, first) after "compared with Y, X"."""
    if len(values) < 2 or len(values) % 2 or not arms:
        return None
    if any(a.end > values[0].start for a in arms):
        return None
    distinct: list[Arm] = []
    for am in arms:
        if am.arm.cohort:
            return None
        if all(am.arm is not o for o in distinct):
            distinct.append(am.arm)
    if len(distinct) != 2:
        return None
    first = next(a for a in arms if a.arm is distinct[0])
    if _COMPARED_BEFORE.search(t[max(0, first.start - 30) : first.start]):
        distinct.reverse()  # "compared with Y, X …: a vs b": X's value comes first
    for i in range(0, len(values), 2):
        if not _PAIR_JOIN.fullmatch(t[values[i].end : values[i + 1].start]):
            return None
    return [distinct[i % 2] for i in range(len(values))]


def _respectively_matrix(
    t: str,
    values: list[Value],
    arms: list[ArmMention],
    named: list[Study],
    studies: list[Study] | None = None,
) -> tuple[list[Arm | None], list[list[Study]]] | None:
    """ "44.2% and 41.0% on X versus 13.9% and 15.5% on vehicle in S1 and S2, respectively":
    values grouped by "versus", one group per arm, the i-th value of a group for the i-th study."""
    respectively = bool(_RESPECTIVELY.search(t))
    if len(named) < 2 and not respectively and studies and len(studies) >= 2:
        named = studies  # "20.6% and 23.9% of X-treated patients versus 5.1% and 6.1% on Y"
    k = len(named)
    if k < 2 or len(values) % k or len(values) < 2 * k:
        return None
    groups = [values[i : i + k] for i in range(0, len(values), k)]
    for g in groups:
        for a, b in itertools.pairwise(g):
            if not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", t[a.end : b.start]):
                return None
    semis = [m.start() for m in re.finditer(";", t)]
    clause_of = [sum(1 for p in semis if p < g[0].start) for g in groups]
    group_arms: list[Arm | None] = []
    for gi, g in enumerate(groups):
        end = groups[gi + 1][0].start if gi + 1 < len(groups) else len(t)
        end = min([end, *[p for p in semis if p > g[-1].end]])
        group_arms.append(next((a.arm for a in arms if g[-1].end <= a.start < end), None))
    named_arms = list(group_arms)
    for gi, arm in enumerate(named_arms):
        if arm is not None or respectively:
            continue
        # "…; EASI-75 rates were 25.0% and 33.2% vs 12.7% and 11.4%": a clause naming no arm
        # repeats the previous clause's arms, group by group
        mine = [i for i, c in enumerate(clause_of) if c == clause_of[gi]]
        prev = [i for i, c in enumerate(clause_of) if c == clause_of[gi] - 1]
        if len(mine) != len(prev) or any(named_arms[i] is not None for i in mine):
            return None  # without "respectively" every group must name its arm
        group_arms[gi] = group_arms[prev[mine.index(gi)]]
        if group_arms[gi] is None:
            return None
    arms_out: list[Arm | None] = []
    studies_out: list[list[Study]] = []
    for g, arm in zip(groups, group_arms, strict=True):
        for j, _ in enumerate(g):
            arms_out.append(arm)
            studies_out.append([named[j]])
    return arms_out, studies_out


def _respectively_studies(
    t: str, values: list[Value], studies: list[Study], locate: Callable[[int], list[Study]] | None
) -> list[list[Study]]:
    """Values of a sentence that names none of its k studies but says "respectively": split
    into k equal runs, one per study in order."""
    k = len(studies)
    if k >= 2 and values and _RESPECTIVELY.search(t) and len(values) % k == 0:
        # "In S1 and S2, …; EASI-75 was reached by 58.8% vs 16.2% and 52.1% vs 18.1% of
        # patients, respectively": both named before the values, one run of values each
        at = [t.find(s.acronym or s.label) for s in studies]
        if all(0 <= a < values[0].start for a in at) and len(set(at)) == k:
            order = [s for _, s in sorted(zip(at, studies, strict=True), key=lambda x: x[0])]
            n = len(values) // k
            return [[order[i // n]] for i in range(len(values))]
    if locate is not None:
        located = [locate(v.start) for v in values]
        if any(len(x) == 1 for x in located) or len(studies) < 2:
            return located
    if k >= 2 and _RESPECTIVELY.search(t) and values and len(values) % k == 0:
        n = len(values) // k
        return [[studies[i // n]] for i in range(len(values))]
    if k == 2 and len(values) == 4 and _IN_BOTH.search(t) and _VERSUS_PAIRS.search(t):
        # "43.2% versus 22.0% and 42.0% versus 19.7% of patients in the two trials"
        return [[studies[i // 2]] for i in range(len(values))]
    return [studies for _ in values]


_IN_BOTH = re.compile(
    r"\b(?:in|across)\s+(?:the\s+two|both(?:\s+the)?|the\s+2)\s+(?:trials|studies)\b", re.I
)
_VERSUS_PAIRS = re.compile(
    rf"{P.NUM}\s?%\s*(?:versus|vs\.?)\s*{P.NUM}\s?%\s*(?:,\s*)?and\s*{P.NUM}\s?%\s*(?:versus|vs\.?)\s*{P.NUM}\s?%",
    re.I,
)


def _distinct_arms(arms: list[ArmMention]) -> list[Arm]:
    out: list[Arm] = []
    for am in arms:
        if not am.arm.cohort and all(am.arm is not o for o in out):
            out.append(am.arm)
    return out


def _event_text(t: str, m: Mention) -> tuple[str, int, bool]:
    """The event's words with leading qualifiers ("serious treatment-related AEs") and
    trailing ones ("of special interest"); abbreviations are spelt out from the vocabulary."""
    start, end = m.start, m.end
    adj = _SERIOUS_ADJ.search(t[: m.start])
    if adj:
        start = adj.start()
    stopped = _STOPPED_BECAUSE.search(t[max(0, start - 80) : start])
    if stopped and m.entity is not None and m.entity.key in _UMBRELLA:
        start = max(0, start - 80) + stopped.start()
    ext = _EXTEND_RIGHT.match(t[end:])
    if ext:
        end += ext.end()
    text = t[start:end]
    serious = bool(re.search(r"\bserious\b", text, re.I)) or (
        m.entity is not None and "serious" in m.entity.key
    )
    if (
        m.entity is not None
        and m.text.rstrip("s").isupper()
        and m.text.lower() != m.entity.label.lower()  # "COVID-19" is its own label
    ):
        text = (
            t[start : m.start]
            + m.entity.label
            + ("s" if m.text.endswith("s") and not m.entity.label.endswith("s") else "")
            + t[m.end : end]
        )
    return re.sub(r"\s+", " ", text).strip(), start, serious


def _negated(t: str, m: Mention, start: int, events: list[Mention]) -> bool:
    a, _ = _clause_bounds(t, m.start)
    before = t[a:start]
    neg = None
    for n in _NEG_BEFORE.finditer(before):
        neg = n
    if neg is not None:
        gap = before[neg.end() :]
        # only other events, qualifiers and list glue between the negation and this event
        stripped = gap
        for e in events:
            if a + neg.end() <= e.start < start:
                stripped = stripped.replace(t[e.start : e.end], " ")
        stripped = re.sub(
            r"\b(serious|severe|new|such\s+as|including|or|and|nor|any|other|mild|the|cases?\s+of|reports?\s+of|events?\s+of|"
            r"clinically|significant|relevant|meaningful|notable|unexpected|major|confirmed|further|"
            r"increased?\s+(?:risk\s+)?(?:in|of)|excess(?:\s+risk)?(?:\s+(?:in|of))?|"
            r"increased|higher|risk\s+of|evidence\s+of|signals?\s+(?:of|for))\b|[,\s]",
            "",
            stripped,
            flags=re.I,
        )
        if len(stripped) <= 3:
            return True
    return bool(_NEG_AFTER.search(t[m.end :]))


def safety(
    ctx: DocContext,
    info: SentenceInfo,
    studies: list[Study],
    arms: list[ArmMention],
    locate: Callable[[int], list[Study]] | None = None,
    previous_arms: list[Arm] | None = None,
    table_percent: bool = False,
    declared: list[Arm | None] | None = None,
) -> list[SafetyFinding]:
    """Safety findings stated in one sentence (``table_percent``: a table row under a caption
    "n (%)", its columns the ``declared`` arms)."""
    t = info.text
    c = cues()
    out: list[SafetyFinding] = []
    events = [m for m in info.of_kind("adverse_event") if m.entity is not None]
    # drop an abbreviation right after its long form: "treatment-emergent adverse events (TEAEs)"
    events = [
        m
        for i, m in enumerate(events)
        if not (i > 0 and t[events[i - 1].end : m.start].strip() == "(")
    ]
    specific = [e for e in events if e.entity is not None and e.entity.key not in _UMBRELLA]
    if specific:
        events = [
            e
            for e in events
            if not (
                e.entity is not None
                and e.entity.key in _UMBRELLA
                and re.search(
                    r"\bmost\s+(?:\w+\s+){0,2}$|\bother\s+$",
                    t[max(0, e.start - 40) : e.start],
                    re.I,
                )
            )
        ]
    hypothetical = bool(c.hypothetical.search(t))
    partial = bool(c.partial_quantifier.search(t))
    vocab = matcher().vocab
    values = [
        Value(
            m.start,
            m.end,
            m.value_max if m.kind == "count_pct" else None,
            None,
            "%",
            count=int(m.value)
            if m.kind in ("count_pct", "n", "count") and m.value is not None
            else None,
        )
        for m in P.find_counts(t)
    ]
    pct_values = [
        v
        for v in _percent_values(info, arms)
        if not any(w.start <= v.start < w.end for w in values)
    ]
    for v in pct_values:
        values.append(v)
    values.extend(_event_counts(t, events, values))
    if table_percent and not values:
        values = cell_values(t)
        if declared and len(values) == len(declared) and all(declared):
            previous_arms = [a for a in declared if a is not None]
    values.sort(key=lambda v: v.start)
    values = _merge_n_after_percent(t, values)
    rule = "safety.event-in-sentence"
    per_value = _respectively_studies(t, values, studies, locate)
    if _pooled(t, values, studies):
        per_value = [studies for _ in values]
    study_of = {id(v): per_value[i] for i, v in enumerate(values)}
    shared = _shared_arm(t, arms, events, studies)
    # "Itching improved by at least 4 points in 45%", "relief of itching": an efficacy outcome
    events = [e for e in events if not _efficacy_frame(t, e)]
    # "Complete absence of itch and hives (UAS7 = 0) was achieved by 31.1%": the words an
    # endpoint is named by in front of its parenthesised short name, not an adverse event
    scored = [x.start for x in info.of_kind("endpoint")]
    events = [
        e
        for e in events
        if not any(
            re.fullmatch(r"[\w\s,'\-]{0,40}\(\s*", t[e.end : p]) for p in scored if p > e.end
        )
    ]
    warnings = [w.end() for w in _WARNING.finditer(t)] if "warn" in t.lower() else []
    for m in events:
        assert m.entity is not None
        text, start, serious = _event_text(t, m)
        ent: Entity = m.entity
        if ent.key in _UMBRELLA and re.search(r"discontinu|withdr[ae]w|stopp", text, re.I):
            # "discontinuation of study drug due to an AE", "AEs leading to discontinuation"
            ent = vocab.get("adverse_event", "discontinuation-due-to-adverse-event")
        negated = _negated(t, m, start, events)
        if negated and _LED_TO_DISCONTINUATION.match(t, m.end):
            continue  # "No adverse events led to discontinuation": a discontinuation finding
        if not negated and any(
            w <= m.start and _clause_bounds(t, w)[0] == _clause_bounds(t, m.start)[0]
            for w in warnings
        ):
            continue  # "the boxed warning for serious infections, malignancy …": a label risk
        umbrella = ent.key in _UMBRELLA
        a, b = _clause_bounds(t, m.start)
        own = [v for v in values if a <= v.start < b]
        peers = [e for e in events if a <= e.start < b]
        if len(peers) > 1 and own:
            own = _own_values(
                t, m, peers, own, any(a.start > m.end for a in arms if not a.arm.cohort)
            )
        if own and hypothetical:
            continue
        paren = _own_parenthetical(t, m) if own else None
        if paren is not None and any(paren[0] <= v.start < paren[1] for v in own):
            # "headache (6.6% vs 4.4% with placebo) and atopic dermatitis (5.5% vs 0%)": the
            # event's own parenthesis holds its values; a later one is another item's
            own = [v for v in own if paren[0] <= v.start < paren[1]]
        if own:
            local = arms
            if paren is not None and all(paren[0] <= v.start < paren[1] for v in own):
                # values in the event's own parentheses take only the arms named there
                local = [x for x in arms if paren[0] <= x.start < paren[1]]
            arms_for = _versus_pairs(t, own, _distribute(own, local, t), studies, True)
            arms_for = _sentence_pairs(t, own, arms_for, arms, studies)
            if not any(arms_for) and not _BARE_VERSUS.search(t[own[0].start : own[-1].end + 1]):
                arms_for = [shared] * len(own)
            shared_count = None
            each = _EACH.search(t)
            counts = [v for v in own if v.count is not None and v.value is None]
            if each and len(counts) == 1:
                shared_count = counts[0].count
                own = [v for v in own if v is not counts[0]] or own
                arms_for = _distribute(own, arms, t)
            if (
                previous_arms
                and not arms
                and len(own) == len(previous_arms)
                and (_RESPECTIVELY.search(t) or len(own) >= 3 or table_percent)
            ):
                arms_for = list(
                    previous_arms
                )  # "Acne occurred in 6.6%, 2.9% and 1.2%, respectively."
            sentence_arms = _distinct_arms(arms)
            if (
                _RESPECTIVELY.search(t[a:b])
                and not any(arms_for)
                and len(sentence_arms) == len(own) >= 2
            ):
                arms_for = list(
                    sentence_arms
                )  # "…, and chills in 22 (4.5%) and 1 (0.4%), respectively"
            later = [v for v in values if v.start >= b]
            if (
                _RESPECTIVELY.search(t)
                and later
                and len(later) == len(own)
                and all(arms_for)
                and not any(e.start >= b for e in events)
                and not any(x.start >= b and not x.arm.cohort for x in arms)
            ):
                # "AEs were reported in 144 (44.3%) and 76 (46.9%) patients in the X and Y
                # groups of S1, and in 118 (37.6%) and 58 (36.5%) patients in S2, respectively"
                own = own + later
                arms_for = list(arms_for) + [
                    _counterpart(x, study_of.get(id(v), studies))
                    for x, v in zip(arms_for, later, strict=True)
                ]
            for i, v in enumerate(own):
                if v.count is None and v.value is None:
                    continue
                negated_v = negated or (
                    bool(re.search(r"\bno\b", t[v.end : m.start])) if v.end <= m.start else False
                )
                out.append(
                    SafetyFinding(
                        study_of.get(id(v), studies),
                        arms_for[i],
                        ent,
                        text,
                        patients=shared_count if shared_count is not None else v.count,
                        percent=v.value,
                        negated=negated_v,
                        serious=serious or None,
                        treatment_related=True if "related" in text.lower() else None,
                        evidence=[ctx.evidence(info, rule + ".value", supports="percent")],
                    )
                )
            continue
        if negated:
            if partial and not own:
                continue
            out.append(
                SafetyFinding(
                    studies,
                    _arm_after(t, m, arms),
                    ent,
                    text,
                    negated=True,
                    serious=serious or None,
                    treatment_related=True if "related" in text.lower() else None,
                    evidence=[ctx.evidence(info, rule + ".negated", supports="negated")],
                )
            )
            continue
        if umbrella or hypothetical or partial or not _REPORT.search(t):
            continue
        if _DESCRIPTIVE.search(t[max(0, start - 80) : start]):
            continue  # "it is associated with pain, itching …", "levels associated with X"
        if _depth(t, m.start) > 0 and any(
            e.end <= t.rfind("(", 0, m.start) for e in events if e is not m
        ):
            continue  # "one death (pneumonia associated with influenza)": the cause, explained
        out.append(
            SafetyFinding(
                studies,
                shared or _arm_after(t, m, arms),
                ent,
                text,
                evidence=[ctx.evidence(info, rule + ".reported", supports="event")],
            )
        )
    for hit in _NONE_SERIOUS.finditer(t):
        prior = [e for e in events if e.end <= hit.start()]
        base = _event_text(t, prior[-1])[0] if prior else "adverse events"
        try:
            sae = vocab.get("adverse_event", "serious-adverse-event")
        except KeyError:
            sae = None
        out.append(
            SafetyFinding(
                studies,
                None,
                sae,
                f"serious {re.sub(r'^serious ', '', base)}",
                negated=True,
                serious=True,
                evidence=[ctx.evidence(info, "safety.none-were-serious", supports="negated")],
            )
        )
        if hit.group("disc"):
            out.append(
                _discontinuation(
                    ctx,
                    info,
                    studies,
                    "treatment discontinuation due to " + base,
                    "safety.none-led-to-discontinuation",
                )
            )
    for hit in _NO_AE_LED_TO_DISCONTINUATION.finditer(t):
        text = re.sub(r"^no\s+", "", hit.group(0), flags=re.I)  # "adverse events led to …"
        out.append(
            _discontinuation(ctx, info, studies, text, "safety.no-ae-led-to-discontinuation")
        )
    for hit in _NO_DISCONTINUED.finditer(t):
        out.append(
            _discontinuation(
                ctx, info, studies, hit.group("ev").strip(), "safety.no-patient-discontinued"
            )
        )
    for hit in _SAFETY_SIGNAL.finditer(t):
        out.append(
            SafetyFinding(
                studies,
                None,
                None,
                hit.group("ev"),
                negated=True,
                evidence=[ctx.evidence(info, "safety.no-safety-signal", supports="negated")],
            )
        )
    if not _NO_DISCONTINUED.search(t):
        for hit in _DISCONTINUED.finditer(t):
            if any(f.event is not None and f.event.key.startswith("discontinuation") for f in out):
                break
            neg = bool(re.search(r"\b(no|none|not)\b", t[: hit.start()][-60:], re.I))
            if neg:
                out.append(
                    _discontinuation(ctx, info, studies, hit.group("ev"), "safety.discontinuation")
                )
    out.extend(_no_such_events(ctx, info, studies, events, arms))
    return out


# "two thromboembolic events occurred with 12 mg; no such events occurred in the 8 mg group"
_NO_SUCH = re.compile(r"\bno\s+(?:such|similar)\s+(?:events?|cases?|reactions?|episodes?)\b", re.I)


def _no_such_events(
    ctx: DocContext,
    info: SentenceInfo,
    studies: list[Study],
    events: list[Mention],
    arms: list[ArmMention],
) -> list[SafetyFinding]:
    """ "no such events occurred in the 8 mg group": the event named before, negated, for the
    arm named after it in the same clause."""
    t = info.text
    out: list[SafetyFinding] = []
    for hit in _NO_SUCH.finditer(t):
        before = [e for e in events if e.end <= hit.start() and e.entity is not None]
        if not before:
            continue
        ev = before[0]
        assert ev.entity is not None
        _, b = _clause_bounds(t, hit.start())
        named = _distinct_arms([x for x in arms if hit.end() <= x.start < b])
        out.append(
            SafetyFinding(
                studies,
                named[0] if len(named) == 1 else None,
                ev.entity,
                ev.text,
                negated=True,
                evidence=[ctx.evidence(info, "safety.no-such-events", supports="negated")],
            )
        )
    return out


# an event named to describe a disease, a cause or a risk, not reported as one
_DESCRIPTIVE = re.compile(
    r"\b(?:associated\s+with|characteri[sz]ed\s+by|caused\s+by|secondary\s+to|presents?\s+with|"
    r"presenting\s+with|manifest(?:s|ing)?\s+as|symptoms?\s+(?:of|such\s+as|including|like)|"
    r"risks?\s+of|(?:relief|reduction|improvement)s?\s+(?:of|in))\s+"
    rf"(?:[\w{P.DASH}]+,?\s+(?:(?:and|or)\s+)?){{0,4}}$",
    re.I,
)
_IMPROVES_AFTER = re.compile(
    r"^\s*(?:(?:NRS|VAS|scores?|scale|intensity|severity|burden)\s+)*(?:(?:was|were|had|has|have)\s+)?"
    r"(?:\w+\s+)?(?:improv\w*|reduc\w*|decreas\w*|fell|declin\w*|dropped|relie\w*|respon\w*)\b",
    re.I,
)
_IMPROVES_BEFORE = re.compile(
    r"\b(?:improv\w*|reduc\w*|decreas\w*|relie\w*|chang\w*|respon\w*)\s+(?:in|of|from|for)\s+"
    r"(?:(?:the|their|patients'?|worst|peak|overall)\s+)*$",
    re.I,
)


def _efficacy_frame(t: str, m: Mention) -> bool:
    """An event named as the thing that improved ("itching improved by 4 points", "relief of
    itching", "pruritus relief"): an efficacy outcome, not a safety finding."""
    return bool(
        _IMPROVES_AFTER.match(t[m.end :])
        or _IMPROVES_BEFORE.search(t[max(0, m.start - 60) : m.start])
    )


_SINGLE = re.compile(
    r"\b(?:1|one|a\s+single)\s+(?:patient|participant|subject|child|adult|adolescent|infant)\b(?!s)",
    re.I,
)
_COUNT_BEFORE_EVENT = re.compile(
    r"(?<![\w.,\-])(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|a\s+single|\d{1,3})\s+"
    r"(?:(?:serious|severe|fatal|new|additional|further|treatment[-\s]related)\s+)*"
    r"(?:(?:cases?|episodes?|events?|reports?)\s+of\s+(?:(?:serious|severe)\s+)?)?$",
    re.I,
)
_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:week|day|month|year|grade|phase|stage|type|visit|of|than|to|and|or|vs\.?)\s*$", re.I
)


def _event_counts(t: str, events: list[Mention], values: list[Value]) -> list[Value]:
    """Counts that no general pattern reads: "(0.75% cream: 1 patient)", "One death occurred
    in …", "two cases of herpes zoster"."""
    taken = [(v.start, v.end) for v in values]
    out: list[Value] = []
    for m in _SINGLE.finditer(t):
        if not _in_spans(m.start(), taken):
            out.append(Value(m.start(), m.end(), None, count=1))
    for e in events:
        adj = _SERIOUS_ADJ.search(t[: e.start])
        start = adj.start() if adj else e.start
        c = _COUNT_BEFORE_EVENT.search(t[max(0, start - 60) : start])
        if c is None:
            continue
        at = max(0, start - 60) + c.start()
        if _in_spans(at, taken) or _NOT_A_COUNT_BEFORE.search(t[max(0, at - 12) : at]):
            continue
        word = re.sub(r"\s+", " ", c.group("n").lower())
        n = 1 if word == "a single" else P.to_int(word)
        if n is not None:
            out.append(Value(at, at + len(c.group("n")), None, count=n))
    return out


_DRUG_GROUPS = re.compile(
    r"\b(?:in|among|with)\s+(?:the\s+)?(?P<d>[A-Za-z][\w-]+)"
    r"(?:\s+(?:cream|ointment|foam|gel|lotion|tablets?|injections?))?\s+(?:groups?|arms?)\b",
    re.I,
)


def _one_arm_of(drug: str, studies: list[Study]) -> Arm | None:
    """The one arm each study gives ``drug`` (by name), when every study has exactly one."""
    per = [
        [
            a
            for a in s.arms
            if a.drug is not None
            and not a.cohort
            and drug.lower() in (a.drug.key, a.drug.label.lower())
        ]
        for s in studies
    ]
    if per and all(len(x) == 1 for x in per):
        return per[0][0]
    return None


_ADVERSE_REACTIONS = re.compile(r"\badverse\s+(?:drug\s+)?reactions?\b", re.I)


def _shared_arm(
    t: str, arms: list[ArmMention], events: list[Mention], studies: list[Study]
) -> Arm | None:
    """The one arm a list of events belongs to: "the most common TEAEs in the tapinarof groups
    were folliculitis (9.1%), headache …" (the only arm named, before the events); "the most
    common adverse reactions were headache (2.9%) …" (a label's adverse reactions are those of
    the drug: the studies' one active arm)."""
    if not events:
        return None
    # "(incidence ≥1% and greater than vehicle)", "compared with placebo, …": a comparison,
    # not the group the list is of
    kept = [
        x
        for x in arms
        if not re.search(
            r"\b(?:than|compared\s+(?:with|to)|versus|vs\.?|relative\s+to)\s+"
            r"(?:(?:with|on|in|the|those|patients|receiving|given)\s+)*$",
            t[max(0, x.start - 40) : x.start],
            re.I,
        )
    ]
    distinct = _distinct_arms(kept)
    if not distinct:
        g = _DRUG_GROUPS.search(t, 0, events[0].start)
        if g is not None:
            # "in the tapinarof groups" of two trials: each trial's one tapinarof arm (a drug
            # with several arms per trial pools them: no one arm)
            return _one_arm_of(g.group("d"), studies)
    if not distinct and len(kept) < len(arms) and not _ADVERSE_REACTIONS.search(t):
        return None
    arms = kept
    # "the most common adverse reactions in the X arm were A (6.3%) and B (5.4%)": the arm
    # named before the first specific event of the list
    first = next(
        (e for e in events if e.entity is not None and e.entity.key not in _UMBRELLA), events[0]
    )
    if distinct:
        if len(distinct) == 1 and all(x.end <= first.start for x in arms):
            return distinct[0]
        return None
    if not studies or not _ADVERSE_REACTIONS.search(t[: events[0].start]):
        return None
    actives = [
        [a for a in s.arms if a.drug is not None and a.drug.kind != "comparator" and not a.cohort]
        for s in studies
    ]
    if all(len(a) == 1 for a in actives) and len({a[0].drug for a in actives}) == 1:
        return actives[0][0]
    return None


_POOLED = re.compile(
    r"\bpooled\b|\bacross\s+(?:both|the\s+two|the\s+three|all(?:\s+\w+)?)\s+(?:\w+\s+)?"
    r"(?:trials|studies)\b|\bcombined\s+(?:data|analysis|population|safety)|"
    r"\bintegrated\s+(?:analysis|safety|data)",
    re.I,
)


def _pooled(t: str, values: list[Value], studies: list[Study]) -> bool:
    """ "In pooled data from S1 and S2, X was reported in 8.5%", "Across both trials, …": the
    values are the studies' together (not split among them), unless a study is named after
    the first value ("9.1% in S1; 8.6% in S2")."""
    if len(studies) < 2 or not values or not _POOLED.search(t):
        return False
    after = t[values[0].start :]
    return not any(
        name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", after, re.I)
        for s in studies
        for name in (s.label, s.acronym, s.nct_id)
    )


def _sentence_pairs(
    t: str,
    values: list[Value],
    arms_for: list[Arm | None],
    arms: list[ArmMention],
    studies: list[Study],
) -> list[Arm | None]:
    """ "The most common AEs with X were A (10.2% vs 3.3% with placebo) and B (6.0% vs 0.8%)"
    in a study with more than one active arm: the one active arm the sentence names, then the
    study's one comparator."""
    active = [a for a in _distinct_arms(arms) if a.drug is not None and a.drug.kind != "comparator"]
    if len(active) != 1 or not studies:
        return arms_for
    control = [a for a in studies[0].arms if a.drug is not None and a.drug.kind == "comparator"]
    out = list(arms_for)
    for i in range(len(values) - 1):
        a, b = values[i], values[i + 1]
        if not _VERSUS.match(t[a.end : b.start]):
            continue
        if out[i] is None and out[i + 1] is not None and out[i + 1] in control:
            out[i] = active[0]
        elif out[i] is None and out[i + 1] is None and len(control) == 1:
            out[i], out[i + 1] = active[0], control[0]
    return out


def _counterpart(arm: Arm | None, studies: list[Study]) -> Arm | None:
    """The arm with the same drug and strength in the one study a value is located in."""
    if arm is None or len(studies) != 1:
        return arm
    return next(
        (
            a
            for a in studies[0].arms
            if a.drug == arm.drug and a.strength == arm.strength and a.cohort == arm.cohort
        ),
        arm,
    )


def drop_restated(findings: list[SafetyFinding]) -> list[SafetyFinding]:
    """A document's findings without the bare restatements of an event it already quantified
    ("pyrexia (10.2% vs 3.3%) …" then "Pyrexia occurred mostly after the first injection"):
    a finding with no arm, count, percent or negation whose event and studies another finding
    gives with a number."""

    def studies(f: SafetyFinding) -> set[int]:
        return {id(s) for s in f.studies}

    quantified = [
        f
        for f in findings
        if f.event is not None and (f.percent is not None or f.patients is not None)
    ]
    return [
        f
        for f in findings
        if not (
            f.event is not None
            and f.arm is None
            and f.percent is None
            and f.patients is None
            and not f.negated
            and any(
                q.event is not None and q.event.key == f.event.key and studies(q) & studies(f)
                for q in quantified
            )
        )
    ]


def _merge_n_after_percent(t: str, values: list[Value]) -> list[Value]:
    """ "7.9% of patients (n=86)": one finding with its percentage and its count."""
    out: list[Value] = []
    for v in values:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.count is None
            and prev.unit == "%"
            and v.value is None
            and v.count is not None
            and re.fullmatch(
                r"\s*(?:of\s+(?:the\s+)?(?:patients|participants|children|subjects)\s*)?\(\s*",
                t[prev.end : v.start],
            )
        ):
            prev.count = v.count
            continue
        out.append(v)
    return out


def _arm_after(t: str, m: Mention, arms: list[ArmMention]) -> Arm | None:
    """ "no venous thromboembolic events were reported in the dupilumab or placebo groups"."""
    for a in arms:
        if (
            a.start >= m.end
            and re.fullmatch(r"[^.;]{0,70}\bin\s+(?:the\s+|either\s+|both\s+)?", t[m.end : a.start])
            and re.match(r"[^.;]{0,30}\b(?:groups?|arms?|cohorts?)\b", t[a.end :])
        ):
            return a.arm
        if (
            a.start >= m.end
            and re.fullmatch(
                r"[^.;]{0,70}\b(?:were|was)\s+(?:\w+\s+)?(?:reported|observed|seen|noted)\s+"
                r"(?:with|on|among)\s+(?:the\s+)?",
                t[m.end : a.start],
            )
            and re.match(r"\s*(?:[.;]|$)", t[a.end :])
        ):
            return a.arm  # "no cases of X were reported with placebo."
    return None


def _own_values(
    t: str, m: Mention, peers: list[Mention], values: list[Value], arms_between: bool = False
) -> list[Value]:
    """Several events in a clause ("headache (2.9%), nausea (1.9%)"): an event takes the values
    between it and the next event, else those between the previous event and it."""
    i = peers.index(m)
    nxt = peers[i + 1].start if i + 1 < len(peers) else 10**9
    prv = peers[i - 1].end if i > 0 else -1
    right = [v for v in values if m.end <= v.start < nxt]
    paren = _own_parenthetical(t, m)
    if right and paren is not None and all(paren[0] <= v.start < paren[1] for v in right):
        return right  # "herpes zoster (2.0% vs 0.9%)", "folliculitis (9.1% in S1; 8.6% in S2)"
    if right:
        return right if i + 1 == len(peers) and arms_between else right[:1]
    taken = [_own_parenthetical(t, p) for p in peers if p is not m]
    left = [
        v
        for v in values
        if prv <= v.start < m.start
        and not any(q is not None and q[0] <= v.start < q[1] for q in taken)
    ]
    return left[-1:]


def _own_parenthetical(t: str, m: Mention) -> tuple[int, int] | None:
    """The span of a parenthesis opening right after an event ("pyrexia (10.2% vs 3.3%)")."""
    g = re.match(r"\s*\(", t[m.end :])
    if g is None:
        return None
    start = m.end + g.end()
    depth = 1
    for j in range(start, len(t)):
        if t[j] == "(":
            depth += 1
        elif t[j] == ")":
            depth -= 1
            if depth == 0:
                return start, j
    return start, len(t)


def _discontinuation(
    ctx: DocContext, info: SentenceInfo, studies: list[Study], text: str, rule: str
) -> SafetyFinding:
    try:
        ent = matcher().vocab.get("adverse_event", "discontinuation-due-to-adverse-event")
    except KeyError:
        ent = None
    return SafetyFinding(
        studies,
        None,
        ent,
        re.sub(r"\s+", " ", text).strip(" ,"),
        negated=True,
        evidence=[ctx.evidence(info, rule, supports="negated")],
    )
