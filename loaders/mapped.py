"""Text with a map from every character back to its offset in the original file text.

Normalisation (joining hard-wrapped lines, removing soft hyphens, collapsing white space)
changes offsets; :class:`MappedText` keeps, for each character of the normalised text, the
offset of the original character it came from, so that a span found in the normalised text
is turned back into the exact original span (:meth:`MappedText.original_span`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MappedText:
    """``text`` is derived from ``original``; ``offsets[i]`` is the original index of ``text[i]``."""  # noqa: E501

    original: str
    text: str
    offsets: tuple[int, ...]

    @classmethod
    def identity(cls, original: str) -> MappedText:
        """The original text itself (every character maps to itself)."""
        return cls(original, original, tuple(range(len(original))))

    def sub(
        self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]
    ) -> MappedText:
        """Replace the matches of ``pattern``; replacement characters map to the match start.

        Characters of a replacement that equal the first characters of the match keep their
        own offsets, so that (for example) collapsing ``"a  b"`` to ``"a b"`` maps the kept
        space to the first original space.
        """
        text, offsets = self.text, self.offsets
        if pattern.search(text) is None:
            return self
        out: list[str] = []
        out_offsets: list[int] = []
        last = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            out.append(text[last:start])
            out_offsets.extend(offsets[last:start])
            new = repl(match) if callable(repl) else match.expand(repl)
            out.append(new)
            for k in range(len(new)):
                src = start + k if start + k < end and text[start + k] == new[k] else start
                out_offsets.append(offsets[src] if src < len(offsets) else len(self.original))
            last = end
        out.append(text[last:])
        out_offsets.extend(offsets[last:])
        return MappedText(self.original, "".join(out), tuple(out_offsets))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` covering normalised ``text[start:end]`` (end exclusive)."""
        if not self.text or start >= end:
            raise ValueError(f"empty span {start}-{end}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def quote(self, start: int, end: int) -> tuple[int, int, str]:
        """Original offsets and exact original text of normalised ``text[start:end]``."""
        a, b = self.original_span(start, end)
        return a, b, self.original[a:b]
