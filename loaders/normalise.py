"""Normalising original text for recognition, keeping the map back to the original.

- line ends, no-break and zero-width spaces, soft hyphens;
- text extracted from PDFs (hard-wrapped lines, blank lines between them, words hyphenated
  across lines) is re-flowed into paragraphs;
- footnote markers glued to punctuation ("reported.1", "events.1,2") are dropped, so that
  they are read neither as numbers nor as part of a sentence;
- runs of spaces collapse to one; a block (paragraph, heading, list item) is one line.
"""

from __future__ import annotations

import re
import statistics

from dermkg.loaders.mapped import MappedText

_CRLF = re.compile(r"\r\n?|\u2028|\u2029")
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\t\f\v]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\ufeff]")
_WORD_SPLIT = re.compile(
    r"(?<=[a-z])-[ \t]*\n[ \t\n]*(?=(?:ment|tion|sion|ing|ed|ity|ness|ive|ous|al|ic|ly|er|ation|able|ible|ance|ence|ant|ent|ies|es|s)\b)"  # noqa: E501 (a pattern reads best on one line)
)
_SHORT_SPLIT = re.compile(r"\b([A-Za-z]{1,3})-[ \t]*\n[ \t\n]*(?=[a-z])")
_HYPHEN_WRAP = re.compile(r"(?<=\w)-[ \t]*\n[ \t\n]*(?=\w)")
_WRAP = re.compile(r"(?<=\S)[ \t]*\n[ \t\n]*(?=\S)")
_FOOTNOTE = re.compile(
    r"(?:(?<=[A-Za-z\)\]\u201d\"%])|(?<=\b(?:19|20)\d\d))([.,;])\d{1,2}(?:[,\u2013\-]\d{1,2})*(?=\s+[A-Z\u201c\"]|$)"
    r"|(?<=[A-Za-z\)\]\u201d\"%])([.,;])\d{1,2}(?:[,\u2013\-]\d{1,2})*(?=\s|$)"
)
# "older.(4) In Europe": a bracketed reference number glued to the end of a sentence
_FOOTNOTE_BRACKETED = re.compile(
    r"(?<=[A-Za-z\)\]%])([.;,])[(\[]\d{1,2}(?:[,\u2013\-]\d{1,2})*[)\]](?=\s|$)"
)
_MULTISPACE = re.compile(r" {2,}")
# a flattened table: columns separated by runs of spaces ("JADE 1     IGA 0/1     43.8")
_COLUMN_GAP = re.compile(r"(?<=[^\s|]) {3,}(?=[^\s|])")
_LINE_EDGE = re.compile(r" *\n[ \n]*")
_TERMINAL = (".", "!", "?", ":", "\u201d", '"')


def normalise(original: str) -> MappedText:
    """The normalised text of ``original``: one block per line, single spaces, no footnotes."""
    mt = MappedText.identity(original)
    mt = mt.sub(_CRLF, "\n").sub(_SPACES, " ").sub(_INVISIBLE, "")
    if is_hard_wrapped(mt.text):
        mt = mt.sub(_WORD_SPLIT, "").sub(_SHORT_SPLIT, r"\1").sub(_HYPHEN_WRAP, _join_hyphenated)
        mt = mt.sub(_WRAP, _join_wrapped)
    mt = mt.sub(_FOOTNOTE, lambda m: m.group(1) or m.group(2))
    mt = mt.sub(_FOOTNOTE_BRACKETED, r"\1")
    mt = mt.sub(_COLUMN_GAP, " | ")
    mt = mt.sub(_MULTISPACE, " ").sub(_LINE_EDGE, "\n")
    return mt


def _join_hyphenated(match: re.Match[str]) -> str:
    """A word hyphenated across lines: no hyphen when the joined word is a known term
    ("baric-/itinib" → "baricitinib", an INN stem included), else the hyphen stays
    ("placebo-/controlled")."""
    from dermkg.loaders.mentions import matcher  # the vocabulary: loaded once, on first use

    text = match.string
    head = re.search(r"[A-Za-z]+$", text[: match.start()])
    tail = re.match(r"[a-z]+", text[match.end() :])
    if head and tail:
        word = head.group(0) + tail.group(0)
        m = matcher()
        if m.entity_for(word) is not None or (m.inn is not None and m.inn.fullmatch(word)):
            return ""
    return "-"


def _is_table_line(line: str) -> bool:
    """A row of a flattened table: cells separated by " | " or by runs of spaces."""
    return " | " in line or bool(re.search(r"\S {3,}\S", line.strip()))


def _join_wrapped(match: re.Match[str]) -> str:
    """Join a wrapped line; keep a break after a short line that ends a sentence (paragraph
    end) and around the rows of a flattened table."""
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    line = text[line_start : match.start()].rstrip()
    next_end = text.find("\n", match.end())
    following = text[match.end() : next_end if next_end >= 0 else len(text)]
    if _is_table_line(line) or _is_table_line(following):
        return "\n"
    if line.endswith(_TERMINAL) and len(line) < 45:
        return "\n"
    return " "


def is_hard_wrapped(text: str) -> bool:
    """Whether ``text`` looks like PDF-extracted prose: many similar-length lines not ending sentences."""  # noqa: E501
    lines = [ln.strip() for ln in text.split("\n") if ln.strip() and not _is_table_line(ln)]
    if len(lines) < 5:
        return False
    lengths = [len(ln) for ln in lines]
    median = statistics.median(lengths)
    if not 35 <= median <= 130:
        return False
    open_ends = sum(1 for ln in lines if len(ln) >= 35 and not ln.endswith(_TERMINAL))
    return open_ends >= 0.5 * len(lines)
