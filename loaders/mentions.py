"""Vocabulary-driven mentions: drugs, products, targets, diseases, endpoints, adverse events,
agencies, comparators — plus unknown drugs recognised by their WHO INN stem.

One compiled regular expression per case mode (case-insensitive for names, case-sensitive
for abbreviations and codes) is built from the vocabulary's surface forms, tolerant of
dashes and spaces ("IL-4" = "IL4" = "IL 4"); the longest match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dermkg.namespaces import DKGR
from dermkg.vocabulary import Entity, Vocabulary, load_vocabulary, normalize_surface

DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"


@dataclass(frozen=True)
class Mention:
    """A recognised entity mention; offsets are relative to the sentence it was found in."""

    kind: str
    start: int
    end: int
    text: str
    entity: Entity | None = None
    linked: bool = True

    @property
    def key(self) -> str:
        """The entity key, or the normalised surface for unlinked mentions."""
        return self.entity.key if self.entity else normalize_surface(self.text)

    @property
    def label(self) -> str:
        """The entity label, or the surface text for unlinked mentions."""
        return self.entity.label if self.entity else self.text.lower()


def _char_regex(ch: str) -> str:
    if ch in DASHES or ch == " ":
        return f"[{DASHES} ]?"
    if ch in "'\u2019":
        return "['\u2019]?"
    return re.escape(ch)


def _surface_regex(surface: str) -> str:
    return "".join(_char_regex(ch) for ch in surface)


def trie_regex(words: set[str]) -> str:
    """One regular expression matching any of ``words`` (dash/space tolerant), as a prefix
    trie: far faster than a flat alternation of hundreds of names."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [_char_regex(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _is_short_form(surface: str, entity: Entity) -> bool:
    if surface in entity.abbreviations or surface in entity.codes:
        return True
    letters = [c for c in surface if c.isalpha()]
    return len(surface) <= 5 and bool(letters) and all(c.isupper() for c in letters)


class Matcher:
    """Finds vocabulary mentions in a string (build once, reuse: see :func:`matcher`)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.table: dict[str, list[Entity]] = {}
        ci: set[str] = set()
        cs: set[str] = set()
        for surface, entity in vocab.surface_forms():
            surface = surface.strip().replace("\u00ae", "").replace("\u2122", "")
            if len(surface) < 2:
                continue
            self.table.setdefault(normalize_surface(surface), [])
            if entity not in self.table[normalize_surface(surface)]:
                self.table[normalize_surface(surface)].append(entity)
            if _is_short_form(surface, entity):
                cs.add(surface)
            else:
                ci.add(surface.lower())
        # "anti-IgE", "Anti-TNF": the prefix names what an antibody is against
        edge_l, edge_r = r"(?:(?<![\w\-])|(?<=\banti-)|(?<=\bAnti-))", r"(?![\w])"

        self.ci = re.compile(
            f"{edge_l}(?:{trie_regex(ci)})(?:e?s)?(?:\u00ae|\u2122)?{edge_r}", re.I
        )
        self.cs = re.compile(f"{edge_l}(?:{trie_regex(cs)}){edge_r}")
        stems = sorted({s.stem.lstrip("-") for s in vocab.inn_stems()}, key=len, reverse=True)
        self.inn = re.compile(rf"\b[A-Za-z][a-z]{{2,}}(?:{'|'.join(stems)})\b") if stems else None

    def entity_for(self, surface: str) -> Entity | None:
        """The entity a surface form names (kind priority order of the vocabulary)."""
        found = self.table.get(normalize_surface(surface))
        return found[0] if found else None

    def find(self, s: str) -> list[Mention]:
        """Mentions in ``s``, longest first where they overlap, sorted by position."""
        cands: list[Mention] = []
        for rx in (self.ci, self.cs):
            for m in rx.finditer(s):
                text = m.group(0).rstrip("\u00ae\u2122")
                entity = self.entity_for(text)
                if entity is None and rx is self.ci:
                    entity = self.entity_for(text[:-1]) or self.entity_for(text[:-2])
                if entity is not None:
                    cands.append(
                        Mention(entity.kind, m.start(), m.start() + len(text), text, entity)
                    )
        if self.inn is not None:
            for m in self.inn.finditer(s):
                # (match_inn_stem also leaves out the stems' English words: "concept")
                if (self.entity_for(m.group(0)) is None
                        and self.vocab.match_inn_stem(m.group(0)) is not None):
                    cands.append(
                        Mention(
                            "drug", m.start(), m.end(), m.group(0), unlinked_drug(m.group(0)), False
                        )
                    )
        cands.sort(key=lambda x: (-(x.end - x.start), x.start))
        out: list[Mention] = []
        for c in cands:
            if not any(c.start < o.end and o.start < c.end for o in out):
                out.append(c)
        return sorted(out, key=lambda x: x.start)


@cache
def matcher() -> Matcher:
    """The matcher for the installed vocabulary (built once)."""
    return Matcher(load_vocabulary())


@cache
def unlinked_drug(name: str) -> Entity:
    """A drug the vocabulary does not list, known by its INN stem ("spesolimab"): an entity
    of its own (dkgr:drug/<name>, ``attrs["unlinked"]``) so that arms, approvals and
    mechanisms can name it; its RDF carries ``dkg:linkStatus "unlinked"``."""
    label = name.lower()
    key = re.sub(r"[^a-z0-9]+", "-", label).strip("-")
    return Entity(key, "drug", DKGR[f"drug/{key}"], label, attrs={"unlinked": True})


def unlinked_product(brand: str, drug: Entity) -> Entity:
    """A brand the vocabulary does not list ("Rhapsido"), named next to its active
    ingredient: an entity of its own (dkgr:product/<name>, ``attrs["unlinked"]``)."""
    label = brand if not brand.isupper() else brand.capitalize()
    key = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return Entity(
        key,
        "product",
        DKGR[f"product/{key}"],
        label,
        attrs={"unlinked": True, "active_ingredient": drug.key, "ingredient": drug},
    )
