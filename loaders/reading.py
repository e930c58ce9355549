"""Reading documents: bytes → decoded original text, media type and notes.

Plain text is decoded as UTF-8, or else with the encoding charset-normalizer detects (the
encoding is recorded as a note); binary, empty and over-large files are refused with a
:class:`~dermkg.errors.DocumentError`. HTML keeps its source as the original text and
trafilatura picks the main content (see :mod:`dermkg.loaders.html`); a PDF's original text is
the text pypdf extracts from it (offsets of evidence spans refer to that text).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from dermkg.errors import DocumentError

MAX_BYTES = 5 * 1024 * 1024
"""Largest document accepted (5 MiB; a news article or abstract is a few kB)."""

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


@dataclass
class RawDocument:
    """A document as read from disk: the original text and how it was obtained."""

    path: Path
    original: str
    media_type: str
    sha256: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def read_document(path: Path) -> RawDocument:
    """Read ``path``; raise :class:`DocumentError` when it is unreadable, empty, binary or too big."""  # noqa: E501
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(path, f"cannot read: {exc.strerror}") from exc
    if size > MAX_BYTES:
        raise DocumentError(
            path, f"too large: {size:,} bytes (limit {MAX_BYTES:,}); split it or raise MAX_BYTES"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise DocumentError(path, "empty file (no text)")
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        return RawDocument(path, _pdf_text(path, data), "application/pdf", digest, "pdf")
    text, encoding, notes = decode(path, data)
    head = text.lstrip()[:200].lower()
    is_html = suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html"))
    media_type = "text/html" if is_html else "text/plain"
    return RawDocument(path, text, media_type, digest, encoding, notes)


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """Decode ``data``: UTF-8 (with or without BOM), else the detected encoding; refuse binary."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(path, "binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise DocumentError(path, "not text: no character encoding fits its bytes")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocumentError(path, f"cannot decode as {best.encoding}: {exc}") from exc
    controls = sum(1 for ch in text[:8192] if ord(ch) in _CONTROL)
    if controls > max(8, len(text[:8192]) // 100):
        raise DocumentError(path, "binary file (control characters), not a text document")
    return text, best.encoding, [f"not UTF-8: decoded as {best.encoding} (detected)"]


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(path, f"unreadable PDF: {exc}") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise DocumentError(path, "PDF has no extractable text (scanned image?)")
    return text
