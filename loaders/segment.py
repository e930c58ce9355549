"""Blocks and sentences of a normalised document; page furniture and references set aside.

A block is one line of the normalised text (paragraph, heading, list item). Blocks are
classified as ``title``, ``content``, ``heading``, ``junk`` (menus, newsletter blurbs,
credits, "related" lists) or ``reference`` (a citation list); only ``title`` and ``content``
blocks are split into sentences for extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dermkg.loaders.cues import cues

_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u2023\u2043*\-\u2013]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?][\u201d\"')\]]?\s+(?=[A-Z\u201c\"'(\[0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|Dr|al|No|U\.S|St|Fig|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Corp|"
    r"approx|Mr|Ms|Mrs|Prof|cf|ca|etc))$"
)
_VALUE = re.compile(r"\d(?:\.\d+)?\s?%")
_TABLE_ROW = re.compile(r"^[^|]{1,80}(?:\s\|\s[^|]{1,60}){2,}$")
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")


@dataclass
class Sentence:
    """A sentence: ``start``/``end`` are offsets into the normalised text."""

    start: int
    end: int
    text: str
    block: int
    index: int = 0


@dataclass
class Block:
    """One line of the normalised text and what kind of block it is."""

    start: int
    end: int
    text: str
    kind: str
    sentences: list[Sentence] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """Split normalised ``text`` into classified blocks (sentences filled for title/content)."""
    c = cues()
    out: list[Block] = []
    pos = 0
    ended = False
    title_seen = False
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        body = _BULLET.sub("", stripped)
        words = _WORD.findall(body)
        if ended:
            numbered = re.match(r"^\[?\d{1,3}[.)\]]?\s", stripped)
            kind = "reference" if numbered or c.reference_line.search(stripped) else "junk"
        elif any(p.search(body) for p in c.end_sections):
            kind, ended = "junk", True
        elif (
            c.reference_line.search(stripped)
            or any(p.search(body) for p in c.junk_blocks)
            or ("|" in body and len(words) <= 8 and not _TABLE_ROW.search(body))
        ):
            kind = "junk"
        elif _TABLE_ROW.search(body) or _VALUE.search(body):
            kind = "content"  # a table row or a list item with values ("EASI-75: 69.6% / 79.7%")
        elif len(words) <= 5 and not body.endswith((".", "!", "?")):
            kind = "heading"
        elif not title_seen and len(words) <= 25 and not body.endswith((".", ":")):
            kind, title_seen = "title", True
        else:
            kind = "content"
            title_seen = True
        out.append(Block(start, end, line, kind))
    _mark_menus(out)
    for i, b in enumerate(out):
        if b.kind in ("title", "content", "heading"):
            b.sentences = split_sentences(b.text, b.start, i)
    return out


def _mark_menus(bs: list[Block]) -> None:
    """A run of three or more headings (a navigation menu) is junk."""
    run: list[Block] = []
    for b in [*bs, None]:
        if b is not None and b.kind == "heading":
            run.append(b)
            continue
        if len(run) >= 3:
            for r in run:
                r.kind = "junk"
        run = []


def split_sentences(text: str, offset: int, block: int) -> list[Sentence]:
    """Sentences of one block; ``offset`` is the block's start in the normalised text."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == "." and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue
        end = m.start() + 1
        while end < len(text) and text[end] in "\u201d\"')]":
            end += 1
        _add(out, text, start, end, offset, block)
        start = m.end()
    _add(out, text, start, len(text), offset, block)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, offset: int, block: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(offset + start, offset + end, text[start:end], block))
