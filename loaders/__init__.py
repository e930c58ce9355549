"""Loaders: documents -> typed claims with evidence spans -> RDF.

Public API used by the build pipeline (``dermkg.pipeline``):

- :func:`discover` lists the documents of a corpus folder;
- :func:`extract_document` reads one document and extracts its claims;
- :func:`link_documents` merges study identities across documents (NCT id, names);
- :func:`to_rdf` turns one document's claims into the triples of its named graph.

The stages, one module each: :mod:`.reading` (bytes → original text), :mod:`.html`
(main content of web pages), :mod:`.normalise` (text for recognition, mapped back to the
original), :mod:`.segment` (blocks, page furniture, sentences), :mod:`.mentions` and
:mod:`.patterns` (recognisers), :mod:`.context` (the analysed document), :mod:`.studies`,
:mod:`.approvals`, :mod:`.results`, :mod:`.mechanisms` (the rules), :mod:`.extract`
(running them), :mod:`.linking` and :mod:`.rdf`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from dermkg.errors import DocumentError
from dermkg.loaders.claims import Evidence
from dermkg.loaders.context import build_context
from dermkg.loaders.extract import Claims, extract_claims
from dermkg.loaders.linking import link_studies
from dermkg.loaders.mapped import MappedText
from dermkg.loaders.normalise import normalise
from dermkg.loaders.reading import SUFFIXES, read_document

__all__ = [
    "SUFFIXES",
    "Claims",
    "DocumentExtraction",
    "Evidence",
    "discover",
    "extract_document",
    "extract_text",
    "link_documents",
    "to_rdf",
]


@dataclass
class DocumentExtraction:
    """What one document yielded: its text, claims and any problems worth reporting."""

    doc_id: str
    path: Path
    text: str  # the ORIGINAL text (evidence offsets index into it)
    sha256: str
    media_type: str = "text/plain"
    encoding: str = "utf-8"
    title: str = ""
    date: str = ""
    claims: Claims | None = None
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of extracted facts per kind (for the build summary)."""
        c = self.claims
        if c is None:
            return dict.fromkeys(
                ("approvals", "studies", "arms", "efficacy", "safety", "mechanisms"), 0
            )
        return {
            "approvals": len(c.approvals),
            "studies": len(c.studies),
            "arms": sum(len(s.arms) for s in c.studies),
            "efficacy": len(c.efficacy),
            "safety": len(c.safety),
            "mechanisms": len(c.mechanisms),
        }

    def evidence(self) -> list[Evidence]:
        """Every evidence span of every claim (for checks: quote == text[start:end])."""
        c = self.claims
        if c is None:
            return []
        out: list[Evidence] = []
        for s in c.studies:
            out += s.evidence
            for a in s.arms:
                out += a.evidence
        for group in (c.approvals, c.efficacy, c.safety, c.mechanisms):
            for claim in group:
                out += claim.evidence
        return out


def discover(corpus: Path) -> list[Path]:
    """The documents of a corpus folder (text, HTML, PDF), sorted by name."""
    if not corpus.is_dir():
        raise DocumentError(corpus, "not a folder")
    return sorted(
        p
        for p in corpus.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )


def extract_text(doc_id: str, mt: MappedText, date: str = "") -> tuple[Claims, str, str]:
    """Claims, title and date of an already normalised text (used by tests and benchmarks);
    ``date`` is the publication date known from elsewhere (HTML metadata)."""
    ctx = build_context(doc_id, mt)
    ctx.date = ctx.date or date
    return extract_claims(ctx), ctx.title, ctx.date


def extract_document(path: Path) -> DocumentExtraction:
    """Read ``path`` and extract its claims; raise :class:`DocumentError` when it is unreadable."""
    raw = read_document(path)
    page_date = ""
    if raw.media_type == "text/html":
        from dermkg.loaders import html

        mt = html.main_content(raw.original)
        page_date = html.page_date(raw.original)
    else:
        mt = normalise(raw.original)
    ex = DocumentExtraction(
        doc_id=path.stem,
        path=path,
        text=raw.original,
        sha256=raw.sha256,
        media_type=raw.media_type,
        encoding=raw.encoding,
        problems=list(raw.notes),
    )
    try:
        claims, ex.title, ex.date = extract_text(ex.doc_id, mt, page_date)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:  # a rule's bug
        raise DocumentError(path, f"extraction failed ({type(exc).__name__}: {exc})") from exc
    ex.claims = claims
    if not any(ex.counts().values()):
        ex.problems.append("nothing relevant: no approval, study, outcome or mechanism found")
    return ex


def link_documents(extractions: list[DocumentExtraction]) -> None:
    """Merge the identities of studies named in several documents (NCT id, normalised name)."""
    link_studies([ex.claims.studies for ex in extractions if ex.claims is not None])


def to_rdf(extraction: DocumentExtraction) -> Graph:
    """The triples of the document's named graph (docs/model.md)."""
    from dermkg.loaders.rdf import to_graph

    return to_graph(extraction)
