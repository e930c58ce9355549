"""Drug–target and drug–pathway statements.

Two phrasings: a target noun phrase with an action noun ("a JAK1/2 inhibitor", "an IL-13
antagonist", "an aryl hydrocarbon receptor agonist") attached to a drug by apposition or a
copula ("ruxolitinib cream, a …", "X is a …", "the medication's mechanism as a …"), and a verb
with targets as object ("blocks IL-4, IL-13 and IL-31", "inhibits JAK1", "binds IL-13").
A class mention without a drug ("other JAK inhibitors") states nothing.
"""

from __future__ import annotations

import re

from dermkg.loaders.claims import Mechanism
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.mentions import Mention, matcher
from dermkg.vocabulary import Entity

_ACTION_NOUN = re.compile(
    r"^[\s\-\u2010-\u2015]*(?:\)[\s\-\u2010-\u2015]*)?(?:(?:selective|specific|preferential|potent|topical|oral|nonsteroidal|non-steroidal|small[\s-]molecule|monoclonal|receptor|targeting|blocking|neutrali[sz]ing)[\s\-\u2010-\u2015]+)*"
    r"(?P<noun>inhibitors?|inhibition|antagonists?|blockers?|agonists?|modulators?|antibod(?:y|ies))\b",
    re.I,
)
_VERB = re.compile(
    r"\b(?P<verb>(?:antibod(?:y|ies)|directed|raised)\s+against|(?:inhibitors?|antagonists?|blockers?)\s+(?:(?:highly|most)\s+)?(?:selective|specific)\s+for|inhibit(?:s|ing)?|block(?:s|ing)?|act(?:s|ing)\s+on|target(?:s|ing)?|bind(?:s|ing)?(?!\s+(?:sites?|domains?|affinit|pockets?|epitopes?|partners?)\b)(?:\s+to)?|neutrali[sz](?:es|ing)|antagoni[sz](?:es|ing)|activat(?:es|ing)|agonists?\s+of|inhibitors?\s+of|antagonists?\s+of|blockers?\s+of|directed\s+against|suppress(?:es|ing)?)\b",
    re.I,
)
_LINK = re.compile(
    r"^(?:[\u2019']s\s+mechanism\s+as|\s*(?:\([^)]{0,60}\)\s*)?(?:,|\u2014|\u2013|\(|:|\bis\b|\bwas\b|\bacts\s+as\b|\bas\b|\bwhich\s+is\b))\s*(?:(?:an?|the)\b)?\s*"
    r"(?:(?!(?:and|or|other|versus|vs)\b)[\w\-\u2010-\u2015/]+\s+(?:and\s+(?=[\w-]+\s))?){0,5}$",
    re.I,
)
_ANAPHOR = re.compile(
    r"\b(?:the\s+(?:medication|drug|cream|ointment|molecule|agent|antibody|compound|therapy)|it|its)\b",
    re.I,
)
_NOUN_ACTION = {
    "inhibitor": "Inhibition",
    "inhibition": "Inhibition",
    "antagonist": "Antagonism",
    "blocker": "Antagonism",
    "agonist": "Agonism",
    "modulator": "Modulation",
    "antibod": "Antagonism",
}
_VERB_ACTION = {
    "inhibitor": "Inhibition",
    "antagonist": "Antagonism",
    "agonist": "Agonism",
    "blocker": "Antagonism",
    "directed": "Antagonism",
    "raised": "Antagonism",
    "antibod": "Antagonism",
    "inhibit": "Inhibition",
    "block": "PathwayBlockade",
    "target": "Inhibition",
    "bind": "Antagonism",
    "neutrali": "Antagonism",
    "antagoni": "Antagonism",
    "activat": "Agonism",
    "suppress": "Inhibition",
    "act": "Inhibition",
}


_LIGANDS = re.compile(r"\s*\)?\s*(?:for|of)\s+(?:both\s+)?", re.I)


def _action(word: str, table: dict[str, str]) -> str:
    w = word.lower()
    return next((v for k, v in table.items() if w.startswith(k)), "Inhibition")


def _drug_of(m: Mention) -> Entity | None:
    e = m.entity
    if e is None:
        return None
    if e.kind == "product":
        ing = e.attrs.get("active_ingredient")
        try:
            return matcher().vocab.get("drug", ing) if ing else None
        except KeyError:
            return None
    return e if e.kind == "drug" else None


def _target_groups(info: SentenceInfo) -> list[list[Mention]]:
    """Runs of target mentions joined by list glue ("IL-4, IL-13, and IL-31")."""
    t = info.text
    groups: list[list[Mention]] = []
    for m in info.of_kind("target"):
        if (
            groups
            and re.fullmatch(
                r"[\s,()]*(?:(?:and|or|&|/)[\s,(]*(?:the\s+)?)?[\s,(]*",
                t[groups[-1][-1].end : m.start],
            )
            is not None
        ):  # "Janus kinase 1 (JAK1) and JAK2": the closing parenthesis is glue too
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def mechanisms(ctx: DocContext, info: SentenceInfo) -> list[Mechanism]:
    """Mechanism statements in one sentence."""
    t = info.text
    out: list[Mechanism] = []
    drugs: list[tuple[Mention, Entity]] = []
    for dm in info.of_kind("drug", "product"):
        de = _drug_of(dm)
        if de is not None:
            drugs.append((dm, de))
    previous: tuple[int, Entity, str] | None = None
    bound: list[Mechanism] = []
    for group in _target_groups(info):
        first, last = group[0], group[-1]
        if previous is not None and _LIGANDS.fullmatch(t[previous[0] : first.start]):
            # "blocks the receptor (IL-4Rα) for interleukin-4 and interleukin-13": its ligands
            for g in group:
                if g.entity is not None:
                    ev = ctx.evidence(info, "mechanism.receptor-ligands", supports="target")
                    out.append(Mechanism(previous[1], g.entity, previous[2], [ev]))
            continue
        noun = _ACTION_NOUN.match(t[last.end :])
        verb = None
        for v in _VERB.finditer(t[: first.start]):
            verb = v
        if noun is not None:
            # "Incyte's selective JAK1/JAK2 inhibitor ruxolitinib": the drug the phrase names
            subject = _named_after(t, last.end + noun.end(), drugs) or _subject_before(
                ctx, t, first.start, drugs
            )
            action = _action(noun.group("noun"), _NOUN_ACTION)
            if noun.group("noun").lower().startswith("blocker") and all(
                g.entity is not None and _is_ligand(g.entity) for g in group
            ):
                action = "Inhibition"  # "a TNF-alpha blocker": the soluble ligand is taken out
        elif (
            verb is not None
            and not any(
                verb.end() <= o.start < first.start and not _family_listing(t, o)
                for o in info.of_kind("target")
            )
            and re.fullmatch(
                r"\s*(?:the\s+)?(?:[\w\-]+[\s,]+){0,8}?(?:including|such\s+as|like|of|:)?"
                r"\s*(?:[\w\-]+\s+)?(?:family\s*)?[\u2014\u2013:(]?\s*",
                _FAMILY_MENTION.sub(" ", t[verb.end() : first.start]),
                re.I,
            )
        ):
            subject = _subject_before(ctx, t, verb.start(), drugs, loose=True)
            action = _action(verb.group("verb"), _VERB_ACTION)
            if action == "PathwayBlockade" and not re.search(
                r"pathway|signal", t[verb.end() : first.start], re.I
            ):
                action = (
                    "Antagonism"
                    if any(g.entity is not None and _is_receptor(g.entity) for g in group)
                    else "Inhibition"
                    if all(g.entity is not None and _is_enzyme(g.entity) for g in group)
                    else "PathwayBlockade"
                )
        else:
            continue
        if subject is None:
            continue
        subjects = [subject, *_coordinated_with(t, subject, first.start, drugs)]
        if noun is not None and _PLURAL_NOUN.fullmatch(noun.group("noun")):
            subjects += [
                d for d in _listed_after(t, last.end + noun.end(), drugs) if d not in subjects
            ]
        if verb is not None and noun is None:
            ligand_action = "Inhibition" if action == "Inhibition" else "PathwayBlockade"
            previous = (last.end, subject, ligand_action)
        binding = noun is None and verb is not None and _BINDING.match(verb.group("verb"))
        for g in group:
            if g.entity is None:
                continue
            ev = ctx.evidence(
                info, "mechanism.noun-phrase" if noun else "mechanism.verb", supports="target"
            )
            if binding:
                # "binds (and neutralises) interleukin-13": a soluble ligand taken out of play
                # is inhibited; a receptor occupied by the antibody is antagonised
                act = "Inhibition" if _is_ligand(g.entity) else "Antagonism"
                out.append(Mechanism(subject, g.entity, act, [ev]))
                bound.append(out[-1])
            else:
                out.extend(Mechanism(s, g.entity, action, [ev]) for s in subjects)
    # "binds the OX40 receptor …, inhibiting OX40 signalling": the binding verb only says how
    # the drug meets its target; the sentence's other verb says what it does to it
    return [
        m
        for m in out
        if not any(m is b for b in bound)
        or not any(
            (o.drug, o.target) == (m.drug, m.target) and not any(o is b for b in bound) for o in out
        )
    ]


_ANTI = re.compile(r"\banti-$", re.I)
_PLURAL_NOUN = re.compile(r"(?:inhibitor|antagonist|blocker|agonist|modulator)s|antibodies", re.I)


def _named_after(t: str, pos: int, drugs: list[tuple[Mention, Entity]]) -> Entity | None:
    """The drug a target-action phrase ending at ``pos`` premodifies ("the JAK1/JAK2
    inhibitor ruxolitinib", "Pfizer's JAK3 inhibitor ritlecitinib") or names in a closed
    apposition ("an anti-eotaxin antibody, bertilimumab, was …")."""
    for m, d in drugs:
        if m.start < pos:
            continue
        gap = t[pos : m.start]
        if re.fullmatch(r"\s*", gap):
            return d
        if re.fullmatch(r"\s*,\s*", gap) and re.match(r"\s*(?:[,;)]|$)", t[m.end :]):
            return d
        return None
    return None


def _listed_after(t: str, pos: int, drugs: list[tuple[Mention, Entity]]) -> list[Entity]:
    """The drugs a plural class phrase ending at ``pos`` lists ("the IL-13 inhibitors
    tralokinumab and lebrikizumab"): the one named first and those coordinated with it."""
    after = [(m, d) for m, d in drugs if m.start >= pos]
    if not after or not re.fullmatch(r"\s*", t[pos : after[0][0].start]):
        return []
    out = [after[0][1]]
    cur = after[0][0]
    for m, d in after[1:]:
        if not re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)", t[cur.end : m.start]):
            break
        if d not in out:
            out.append(d)
        cur = m
    return out


def _coordinated_with(
    t: str, subject: Entity, pos: int, drugs: list[tuple[Mention, Entity]]
) -> list[Entity]:
    """ "tralokinumab and lebrikizumab, both IL-13-targeting antibodies": the drugs listed
    with the subject when the phrase says "both" or "all" of them."""
    before = [(m, d) for m, d in drugs if m.end <= pos]
    if not before or before[-1][1] != subject:
        return []
    if not re.match(
        r"\s*(?:\([^()]*\)\s*)?[,(\u2014\u2013]\s*(?:both|all|each)\b", t[before[-1][0].end :]
    ):
        return []
    out: list[Entity] = []
    cur = before[-1][0]
    for m, d in reversed(before[:-1]):
        if not re.fullmatch(
            r"\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+)?|and\s+)", t[m.end : cur.start]
        ):
            break
        if d != subject and d not in out:
            out.append(d)
        cur = m
    return out


_ENZYME_FAMILIES = {"JanusKinase", "Phosphodiesterase4", "Calcineurin"}


def _is_enzyme(e: Entity) -> bool:
    """A kinase, phosphodiesterase or other enzyme, which a drug that "blocks" it inhibits."""
    return e.attrs.get("family") in _ENZYME_FAMILIES or bool(
        re.search(
            r"kinase|phosphodiesterase|phosphatase|reductase",
            " ".join((e.label, *e.synonyms)),
            re.I,
        )
    )


_BINDING = re.compile(r"bind|neutrali", re.I)


def _is_receptor(e: Entity) -> bool:
    """A receptor ("IL-31RA", "OX40 receptor"), by its family or its label."""
    return "Receptor" in str(e.attrs.get("family", "")) or "receptor" in e.label.lower()


def _is_ligand(e: Entity) -> bool:
    """A soluble ligand (an interleukin, OX40 ligand), not a receptor or an enzyme."""
    return e.attrs.get("family") == "Interleukin" or e.attrs.get("type") == "cytokine"


_FAMILY_MENTION = re.compile(r"\bJAK\s+family\b|\bJanus\s+kinase\s+family\b", re.I)


def _family_listing(t: str, m: Mention) -> bool:
    """A target family named only to introduce its members ("the JAK family—JAK1, JAK2…")."""
    return (
        m.entity is not None
        and "family" in str(m.entity.attrs.get("note", "")).lower()
        and re.match(r"\s*(?:family\s*)?(?:[\u2014\u2013:(]|\s-\s)", t[m.end :]) is not None
    )


def _appositive(gap: str) -> bool:
    """ "ruxolitinib 1.5% cream—a JAK1/2 inhibitor": a short gap with an apposition marker."""
    return (
        len(gap) <= 60
        and not re.search(r"[;]|\.\s", gap)
        and bool(
            re.search(
                r"[,\u2014\u2013(:]\s*(?:(?:an?|the)\b)?\s*(?:(?!(?:and|or|but|while|whereas|several|other|many|some|these|those|such|all|most|two|three)\b)[\w\-/]+\s+){0,3}$|\b(?:is|was|as)\s+(?:an?|the)\s+(?:[\w\-/]+\s+){0,3}$",
                gap,
            )
        )
    )


_OF_DRUG = re.compile(
    r"\b(?:form|derivative|analog(?:ue)?|version|prodrug|isomer|enantiomer|metabolite|"
    r"successor|relative|cousin|variant)\s+of\s+$",
    re.I,
)


def _subject_before(
    ctx: DocContext, t: str, pos: int, drugs: list[tuple[Mention, Entity]], loose: bool = False
) -> Entity | None:
    before = [(m, d) for m, d in drugs if m.end <= pos]
    if len(before) > 1 and _OF_DRUG.search(t, 0, before[-1][0].start):
        # "X is a deuterated form of Y and acts as an inhibitor of …": Y only says what X is
        before = [b for b in before if b[1] != before[-1][1]]
    if before:
        d = before[-1][1]
        # The drug's last mention may sit inside its own brand parenthetical
        # ("Baricitinib (Olumiant; Lilly), an inhibitor of …"): try its earlier mentions too.
        for m, _ in [x for x in before if x[1] == d][::-1][:3]:
            gap = _ANTI.sub("", t[m.end : pos])  # "omalizumab, an anti-IgE antibody"
            bare = re.sub(r"\([^()]*\)", "", gap)  # "(Cibinqo; Pfizer)"
            if (
                _LINK.match(gap)
                or _appositive(gap)
                or _appositive(bare)
                or (loose and len(bare) <= 120 and not re.search(r"[;.]\s", bare))
            ):
                return d
        return None
    window = t[max(0, pos - 80) : pos]
    if (
        ctx.main_drug is not None
        and len(ctx.focal_drugs) >= 1
        and _ANAPHOR.search(window)
        and not re.search(
            r"\b(other|oral|systemic|these|such)\s+$", t[max(0, pos - 12) : pos], re.I
        )
    ):
        ana = list(_ANAPHOR.finditer(window))[-1]
        if _LINK.match(window[ana.end() :]) or loose:
            return ctx.main_drug
    return None
