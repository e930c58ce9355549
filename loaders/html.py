"""Main content of an HTML page, mapped back to offsets in the HTML source.

trafilatura decides what the main content is (menus, "related" boxes, footers and scripts
are dropped); each paragraph (and table cell) it returns is then located in the page's
visible text, which :class:`_Visible` builds from the source with the offset of every
character (entities decoded), so evidence quotes are exact slices of the HTML source.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import trafilatura

from dermkg.loaders.mapped import MappedText
from dermkg.loaders.normalise import normalise

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "figcaption",
        "main",
        "dd",
        "dt",
        "hr",
        "title",
    }
)
_CELL = frozenset({"td", "th"})


class _Visible(HTMLParser):
    """Visible text of an HTML document with the source offset of each character."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", source)]
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.skip = 0

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, start: int, exact: bool) -> None:
        if self.skip:
            return
        for k, ch in enumerate(text):
            self.chars.append(ch)
            self.offsets.append(start + k if exact else start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self._emit("\n", self._pos(), False)
        elif tag in _CELL:
            self._emit(" | ", self._pos(), False)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self._emit("\n", self._pos(), False)

    def handle_data(self, data: str) -> None:
        self._emit(data, self._pos(), True)

    def handle_entityref(self, name: str) -> None:
        from html import unescape

        self._emit(unescape(f"&{name};"), self._pos(), False)

    def handle_charref(self, name: str) -> None:
        from html import unescape

        self._emit(unescape(f"&#{name};"), self._pos(), False)


def _collapsed(chars: list[str], offsets: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []
    space = True
    for ch, off in zip(chars, offsets, strict=True):
        if ch.isspace():
            if not space:
                out.append(" ")
                offs.append(off)
            space = True
        else:
            out.append(ch)
            offs.append(off)
            space = False
    return "".join(out), offs


_LIST_MARKER = re.compile(r"^(?:[-*\u2022]\s+)")


def main_content(source: str) -> MappedText:
    """The main content of HTML ``source`` as a :class:`MappedText` over the source."""
    extracted = (
        trafilatura.extract(
            source,
            include_tables=True,
            include_comments=False,
            favor_precision=True,
            output_format="txt",
        )
        or ""
    )
    parser = _Visible(source)
    parser.feed(source)
    parser.close()
    visible, offs = _collapsed(parser.chars, parser.offsets)
    lines: list[tuple[str, list[int]]] = []
    cursor = 0
    for raw_line in extracted.split("\n"):
        line = re.sub(r"\s+", " ", raw_line).strip()
        line = _LIST_MARKER.sub("", line)  # trafilatura writes list items as "- item"
        if not line or re.fullmatch(r"[|\-\s]+", line):
            continue
        segments = (
            [s.strip() for s in line.strip("| ").split(" | ")] if line.startswith("|") else [line]
        )
        text_parts: list[str] = []
        off_parts: list[int] = []
        for seg in segments:
            if not seg:
                continue
            at = visible.find(seg, cursor)
            if at < 0:
                at = visible.find(seg)
            if at < 0:
                continue
            if text_parts:
                text_parts.append(" | ")
                off_parts.extend([offs[at]] * 3)
            text_parts.append(seg)
            off_parts.extend(offs[at : at + len(seg)])
            cursor = at + len(seg)
        if text_parts:
            lines.append(("".join(text_parts), off_parts))
    if not lines:
        # nothing trafilatura recognised: fall back to the whole visible text
        return normalise(source) if "<" not in source else MappedText(source, visible, tuple(offs))
    text = "\n".join(t for t, _ in lines)
    offsets: list[int] = []
    for i, (_, o) in enumerate(lines):
        if i:
            offsets.append(o[0] if o else 0)
        offsets.extend(o)
    return MappedText(source, text, tuple(offsets))


def page_date(source: str) -> str:
    """The publication date trafilatura finds in the page's metadata ("" when none)."""
    meta = trafilatura.extract_metadata(source)
    return (meta.date or "") if meta is not None else ""
