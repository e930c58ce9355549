"""Run the rules over an analysed document and collect its claims."""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dermkg.loaders import patterns as P
from dermkg.loaders import results, tables
from dermkg.loaders.approvals import approvals
from dermkg.loaders.claims import Approval, Arm, EfficacyResult, Mechanism, SafetyFinding, Study
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.mechanisms import mechanisms
from dermkg.loaders.mentions import Mention
from dermkg.loaders.studies import StudyIndex, add_arm, arm_mentions, finish_arms, same_arm


@dataclass
class Claims:
    """Everything extracted from one document."""

    studies: list[Study] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    efficacy: list[EfficacyResult] = field(default_factory=list)
    safety: list[SafetyFinding] = field(default_factory=list)
    mechanisms: list[Mechanism] = field(default_factory=list)


def extract_claims(ctx: DocContext) -> Claims:
    """Studies, arms, approvals, efficacy results, safety findings and mechanisms of ``ctx``."""
    index = StudyIndex(ctx)
    out = Claims(studies=index.studies)
    subgroup = ""
    block, block_tp = -1, None
    section_tp: P.Match | None = None
    declared: list[Arm] = []
    previous_arms: list[Arm] = []
    arms_block = -1  # the block of the sentence that named ``previous_arms``
    table_header: list[Study | None] = []
    table_percent = False
    endpoint_tp: dict[str, P.Match] = {}
    previous_endpoint: Mention | None = None
    lead_in: tuple[Mention | None, P.Match | None] | None = None
    item_block = -1  # the block of a list item under ``lead_in``
    arm_table: tables.ArmTable | None = None
    above: list[SentenceInfo] = []  # the short sentences just above a table (its caption)
    for info in ctx.sentences:
        if info.sent.block != block:
            if lead_in is not None and _LIST_ITEM.match(info.text):
                item_block = info.sent.block
                # "… met the primary endpoint of X at week 4:" then "- S1: 32.0% vs 15.2%":
                # each item of the list is about the lead-in's endpoint and timepoint
                previous_endpoint, block_tp = lead_in
                block = info.sent.block
            else:
                block, block_tp, previous_endpoint = info.sent.block, None, None
                lead_in = None
        tps = P.find_timepoints(info.text)
        if len({x.text for x in tps}) == 1:
            block_tp = tps[0]
            if ("%" not in info.text or _PCT_CAPTION.search(info.text)) and len(info.text) < 160:
                section_tp = tps[0]  # a caption or heading: "Results at week 16"
        sg = results.subgroup_of(info.text)
        if sg:
            subgroup = sg
        cells = results.table_cells(info.text)
        if len(cells) >= 3:
            opened = tables.header(info, cells, _column_arms(ctx, info), above)
            if opened is not None:
                arm_table = opened
            elif tables.row_cells(info.text, cells) is None:
                arm_table = None  # a row of words that opens no arm table: another table
        else:
            arm_table = None
            above = [*above[-1:], info] if len(info.text) < 200 else []
        has_pct = "%" in info.text or "ercent" in info.text
        if has_pct and len(cells) < 3 and _PCT_CAPTION.search(info.text):
            table_percent = True  # "Table 2. Adverse events, n (%)": the rows below are percents
        elif len(cells) < 3 and not info.is_heading and not _TABLE_CAPTION.match(info.text):
            table_percent = False
        if info.is_heading:
            if "(" in info.text:
                # "Safety (200 mg n=154, 100 mg n=156, placebo n=77)": the columns to come
                heading_arms = arm_mentions(ctx, info, [])
                if len(heading_arms) >= 2:
                    declared = [a.arm for a in heading_arms]
            continue
        if len(cells) < 3:
            table_header = []
        elif "%" not in info.text:
            named_here = index.mentions_by_sentence.get(info.sent.index, [])
            header = [next((s for a, _, s in named_here if lo <= a < hi), None) for lo, hi in cells]
            if sum(1 for s in header if s is not None) >= 2:
                table_header = header
            else:
                header_arms = arm_mentions(ctx, info, [])
                if len(header_arms) >= 2:
                    declared = [a.arm for a in header_arms]
        out.mechanisms.extend(mechanisms(ctx, info))
        ref = index.ref(info)
        if ref is None or info.is_title:
            continue
        in_table = table_percent and len(cells) >= 3
        if " / " in info.text:
            listed = arm_mentions(ctx, info, [])
            if len(listed) >= 2:
                declared = [m.arm for m in listed]  # "(upadacitinib 15 mg / 30 mg / placebo)"
        if not ref.explicit and info.sent.index < min(
            (index.first_explicit.get(id(s), 10**9) for s in ref.studies), default=10**9
        ):
            continue  # before the study is introduced: an approval or background sentence
        study_drugs = [a.drug for s in ref.studies for a in s.arms if a.drug is not None]
        mentions = arm_mentions(ctx, info, study_drugs)
        allow_new = ref.explicit or bool(_ARM_CONTEXT.search(info.text))
        for am in mentions:
            am.arm.evidence.append(ctx.evidence(info, "arm.mention", am.start, am.end, "hasArm"))
            merged = None
            for s in ref.studies:
                merged_s = add_arm(s, _copy(am.arm) if len(ref.studies) > 1 else am.arm, allow_new)
                merged = merged or merged_s
            if merged is not None:
                am.arm = merged
        locate = _table_locator(info.text, table_header) or _locator(
            info.text,
            ref.studies,
            index.mentions_by_sentence.get(info.sent.index, []),
            [s for s in index.studies if s.named and s.arms],
        )
        order = [_resolve_arm(ref.studies, a) for a in declared]
        if (
            not mentions
            and previous_arms
            and (
                re.search(r"\brespectively\b", info.text, re.I)
                or (arms_block == info.sent.block and not (order and all(order)))
            )
        ):
            # "EASI-75 was reached by 70.3%, 58.7% …, respectively."; "EASI-75 response rates
            # were 72.0%, 68.5% and 41.5%." after a sentence naming three arms
            order = list(previous_arms)
        named: list[Study] = []
        for _, _, s in index.mentions_by_sentence.get(info.sent.index, []):
            if s not in named:
                named.append(s)
        eff = results.efficacy(
            ctx,
            info,
            ref.studies,
            mentions,
            subgroup,
            locate,
            block_tp or section_tp,
            order if order and all(order) else None,
            named,
            previous_endpoint,
            in_table,
            list_item=info.sent.block == item_block,
        )
        saf = results.safety(
            ctx,
            info,
            ref.studies,
            mentions,
            locate,
            previous_arms,
            in_table,
            order if in_table and order and all(order) else None,
        )
        if arm_table is not None and len(cells) == len(arm_table.columns) + 1:
            # a body row of an arm-column table: its cells, column by column, unless the
            # sentence rules already bound every value to an arm
            row_study = next(
                (
                    s
                    for a, _, s in index.mentions_by_sentence.get(info.sent.index, [])
                    if a < cells[0][1]
                ),
                None,
            )
            t_eff, t_saf = tables.row_claims(
                ctx, info, arm_table, cells, ref.studies, row_study, _resolve_arm_in
            )
            if t_eff and (not eff or any(r.arm is None for r in eff)):
                eff = t_eff
            if t_saf and (not saf or any(f.arm is None for f in saf)):
                saf = t_saf
        out.efficacy.extend(eff)
        out.safety.extend(saf)
        endpoints = [e for e in info.of_kind("endpoint") if e.entity is not None]
        if endpoints and info.text.rstrip().endswith(":"):
            lead_in = (endpoints[0], block_tp)
        if endpoints:
            previous_endpoint = endpoints[0]
            if len({x.text for x in tps}) == 1:
                for e in endpoints:  # "the primary endpoint was ISGA success at day 29"
                    assert e.entity is not None
                    endpoint_tp.setdefault(e.entity.key, tps[0])
        distinct: list[Arm] = []
        for am in mentions:
            if not am.arm.cohort and all(am.arm is not d for d in distinct):
                distinct.append(am.arm)
        if len(distinct) >= 2:
            previous_arms, arms_block = distinct, info.sent.block
    _timepoints_by_endpoint(out.efficacy, endpoint_tp)
    _single_strengths(ctx, index.studies)
    for s in index.studies:
        finish_arms(s)
    out.approvals = approvals(ctx, index)
    out.mechanisms = _dedupe_mechanisms(out.mechanisms)
    out.safety = results.drop_restated(_dedupe_safety(out.safety))
    used = {id(s) for s in index.studies if s.named or s.arms or s.enrollment or s.designs}
    out.studies = [s for s in index.studies if id(s) in used]
    return out


_LIST_ITEM = re.compile(r"\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])(?:\s|$)")
_ARM_CONTEXT = re.compile(
    r"randomi[sz]|assigned|allocated|receiv|appl(?:y|ied|ication)|\barms?\b|\bgroups?\b|cohort|"
    r"versus|\bvs\b|compared|treated|\busing\b|\bon\s+(?:the\s+)?\d|\bof\s+patients\b",
    re.I,
)
_ORDINAL = re.compile(r"\bin\s+the\s+(first|second|third)(?:\s+(?:trial|study))?\b", re.I)
_ORDINALS = {"first": 0, "second": 1, "third": 2}
_STUDY_SPLIT = re.compile(r";|,\s+(?:and|whereas|while|but)\b|\band\s+by\b")


_PCT_CAPTION = re.compile(
    r"\bn\s*\(\s*%\s*\)|\(\s*%\s*\)|%\s+of\s+(?:patients|participants|children|subjects|infants)\b|"
    r"\bpercent(?:age)?\s+of\s+(?:patients|participants)\b",
    re.I,
)
_TABLE_CAPTION = re.compile(r"\s*(?:table|figure)\s+\d", re.I)


_FORMS = r"(?:cream|ointment|foam|gel|lotion)"


def _single_strengths(ctx: DocContext, studies: list[Study]) -> None:
    """A topical drug arm without a strength takes the one strength the document gives that
    drug ("Crisaborole ointment 2% … was approved"; "patients applied crisaborole")."""
    for study in studies:
        for arm in study.arms:
            if arm.drug is None or arm.drug.kind != "drug" or arm.strength is not None or arm.dose:
                continue
            names = [arm.drug.label]
            product = ctx.product_of.get(arm.drug.key)
            if product is not None:
                names.append(product.label)
            # "tapinarof cream 1%", "VTAMA (tapinarof) cream, 1%", "crisaborole 2% ointment"
            rx = re.compile(
                rf"\b(?:{'|'.join(re.escape(n) for n in names)})\s*(?:\([^()]{{1,40}}\)\s*)?"
                rf"(?:{_FORMS}\s*)?,?\s*(?P<v>{P.NUM})\s?%(?:\s+{_FORMS})?",
                re.I,
            )
            found = {float(m.group("v")) for i in ctx.sentences for m in rx.finditer(i.text)}
            found = {v for v in found if 0 < v <= 10}
            if len(found) == 1:
                arm.strength = found.pop()


def _timepoints_by_endpoint(found: list[EfficacyResult], by_key: dict[str, P.Match]) -> None:
    """A result stated without a timepoint takes the one its endpoint (or the endpoint's
    instrument) was defined with in the document ("success on ISGA at day 29")."""
    for r in found:
        if r.timepoint:
            continue
        tp = by_key.get(r.endpoint.key) or by_key.get(str(r.endpoint.attrs.get("instrument", "")))
        if tp is None:
            continue
        r.timepoint = tp.text
        if tp.text.startswith("week"):
            r.start_week, r.end_week = tp.value, tp.value_max


def _table_locator(text: str, header: list[Study | None]) -> Callable[[int], list[Study]] | None:
    """In a table row under a header naming a study per column, a value's study is its column's."""
    cells = results.table_cells(text)
    if not header or len(cells) != len(header):
        return None

    def locate(pos: int) -> list[Study]:
        for (lo, hi), study in zip(cells, header, strict=True):
            if lo <= pos <= hi and study is not None:
                return [study]
        return [s for s in header if s is not None][:1]

    return locate


def _locator(
    text: str,
    studies: list[Study],
    mentions: list[tuple[int, int, Study]],
    pool: list[Study] | None = None,
) -> Callable[[int], list[Study]]:
    """Which of a sentence's studies a value at a position belongs to: the study named in
    its clause, else the nearest one named; all of them when the sentence names none."""
    named = [(a, b, s) for a, b, s in mentions if s in studies]
    if len(studies) < 2 and pool and len(pool) >= 2 and not named and _ORDINAL.search(text):
        studies = pool  # "in the first trial … in the second": the document's trials in order
    ordinals = [
        (m.start(), _ORDINALS[m.group(1).lower()])
        for m in _ORDINAL.finditer(text)
        if _ORDINALS[m.group(1).lower()] < len(studies)
    ]
    if len(studies) >= 2 and not named and ordinals:
        # "55.8% versus 22.9% in the first trial and 59.1% versus 21.2% in the second"
        def by_ordinal(pos: int) -> list[Study]:
            after = [i for a, i in ordinals if a > pos]
            return [studies[after[0]]] if after else studies

        return by_ordinal
    if len(studies) < 2 or len({id(s) for _, _, s in named}) < 2:
        return lambda pos: studies
    first_value = next((m.start for m in P.find_percents(text)), None)
    if (
        first_value is not None
        and all(a > first_value for a, _, _ in named)
        and all(re.match(r"\s*(?:[,;.()]|and\b|$)", text[b:]) for _, b, _ in named)
    ):
        # "43.5% vs 29.0% in S1 and 42.1% vs 30.2% in S2 (both P<.001)": each value's study
        # follows it
        def following(pos: int) -> list[Study]:
            after = [s for a, _, s in named if a > pos]
            return [after[0]] if after else [named[-1][2]]

        return following
    cuts = [0, *[m.end() for m in _STUDY_SPLIT.finditer(text)], len(text) + 1]

    closing = [(a, s) for a, _, s in named if text[max(0, a - 1) : a] == "("]

    def locate(pos: int) -> list[Study]:
        after = [s for a, s in closing if a > pos]
        if closing and after:
            return [after[0]]  # "49.2% versus 23.1% (DELTA 1) and 49.1% versus 18.1% (DELTA 2)"
        for lo, hi in itertools.pairwise(cuts):
            if lo <= pos < hi:
                inside = [s for a, _, s in named if lo <= a < hi]
                if inside:
                    return [inside[0]]
        nearest = min(named, key=lambda m: min(abs(m[0] - pos), abs(m[1] - pos)))
        return [nearest[2]]

    return locate


def _resolve_arm(studies: list[Study], arm: Arm) -> Arm | None:
    """The study arm a declared arm ("upadacitinib 15 mg", "the 200 mg dose") stands for."""
    for s in studies:
        for a in s.arms:
            if same_arm(a, arm):
                return a
    if arm.bare and arm.drug is None and arm.dose:
        for s in studies:
            merged = add_arm(s, arm, allow_new=False)
            if merged is not arm:
                return merged
    return None


def _column_arms(ctx: DocContext, info: SentenceInfo) -> list[tuple[int, Arm]]:
    """The arms a table header row names: its arm mentions, and a drug or comparator named
    alone in a cell ("Event | Drug A | Placebo | Drug B")."""
    found = arm_mentions(ctx, info, [])
    arms = [(a.start, a.arm) for a in found]
    for m in info.of_kind("drug", "comparator"):
        if m.entity is not None and not any(a.start <= m.start < a.end for a in found):
            arms.append((m.start, Arm(label=m.text, drug=m.entity, bare=True)))
    return sorted(arms, key=lambda x: x[0])


def _resolve_arm_in(studies: list[Study], arm: Arm) -> Arm | None:
    """The arm of ``studies`` a table column stands for, else the column's own arm added to
    the one study of the row."""
    found = _resolve_arm(studies, arm)
    if found is None and len(studies) == 1:
        merged = add_arm(studies[0], _copy(arm), allow_new=False)
        found = merged if merged is not None and merged is not arm else None
    return found


def _copy(arm: Arm) -> Arm:
    return copy.copy(arm)


def _dedupe_mechanisms(items: list[Mechanism]) -> list[Mechanism]:
    """One statement per drug, target and action; a family ("JAK") is dropped for a drug whose
    members ("JAK1", "JAK2") the document names."""
    specific = {(m.drug.key, m.target.key) for m in items}
    items = [
        m
        for m in items
        if not any(
            d == m.drug.key
            and k != m.target.key
            and k.lower().startswith(m.target.key.lower())
            and len(k) - len(m.target.key) == 1
            for d, k in specific
        )
    ]
    seen: dict[tuple[str, str, str], Mechanism] = {}
    for m in items:
        k = (m.drug.key, m.target.key, m.action)
        if k in seen:
            seen[k].evidence.extend(m.evidence)
        else:
            seen[k] = m
    return list(seen.values())


def _dedupe_safety(items: list[SafetyFinding]) -> list[SafetyFinding]:
    out: list[SafetyFinding] = []
    for f in items:
        dup = next(
            (
                o
                for o in out
                if o.event_text.lower() == f.event_text.lower()
                and o.negated == f.negated
                and o.patients == f.patients
                and o.percent == f.percent
                and o.arm is f.arm
                and [id(s) for s in o.studies] == [id(s) for s in f.studies]
            ),
            None,
        )
        if dup is not None:
            dup.evidence.extend(f.evidence)
        else:
            out.append(f)
    return out
