"""Run the rules over an analysed document and collect its claims."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermkg.loaders import results
from dermkg.loaders.approvals import approvals
from dermkg.loaders.claims import Approval, EfficacyResult, Mechanism, SafetyFinding, Study
from dermkg.loaders.context import DocContext
from dermkg.loaders.mechanisms import mechanisms
from dermkg.loaders.studies import StudyIndex, add_arm, arm_mentions, finish_arms


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
    for info in ctx.sentences:
        sg = results.subgroup_of(info.text)
        if sg:
            subgroup = sg
        out.mechanisms.extend(mechanisms(ctx, info))
        ref = index.ref(info)
        if ref is None or info.is_title:
            continue
        study_drugs = [a.drug for s in ref.studies for a in s.arms if a.drug is not None]
        mentions = arm_mentions(ctx, info, study_drugs)
        for am in mentions:
            am.arm.evidence.append(ctx.evidence(info, "arm.mention", am.start, am.end, "hasArm"))
            merged = None
            for s in ref.studies:
                merged_s = add_arm(s, _copy(am.arm) if len(ref.studies) > 1 else am.arm)
                merged = merged or merged_s
            if merged is not None:
                am.arm = merged
        out.efficacy.extend(results.efficacy(ctx, info, ref.studies, mentions, subgroup))
        out.safety.extend(results.safety(ctx, info, ref.studies, mentions))
    for s in index.studies:
        finish_arms(s)
    out.approvals = approvals(ctx, index)
    out.mechanisms = _dedupe_mechanisms(out.mechanisms)
    out.safety = _dedupe_safety(out.safety)
    used = {id(s) for s in index.studies if s.named or s.arms or s.enrollment or s.designs}
    out.studies = [s for s in index.studies if id(s) in used]
    return out


def _copy(arm: object) -> object:
    from copy import copy

    return copy(arm)


def _dedupe_mechanisms(items: list[Mechanism]) -> list[Mechanism]:
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
        dup = next((o for o in out if o.event_text.lower() == f.event_text.lower() and o.negated == f.negated
                    and o.patients == f.patients and o.percent == f.percent and o.arm is f.arm
                    and [id(s) for s in o.studies] == [id(s) for s in f.studies]), None)
        if dup is not None:
            dup.evidence.extend(f.evidence)
        else:
            out.append(f)
    return out
