"""Loaders: documents -> typed claims with evidence spans -> RDF.

Public API used by the build pipeline (``dermkg.pipeline``):

- :func:`discover` lists the documents of a corpus folder;
- :func:`extract_document` reads one document and extracts its claims;
- :func:`link_documents` merges study identities across documents (NCT id, names);
- :func:`to_rdf` turns one document's claims into the triples of its named graph.

This first version only records the documents themselves; the recognisers and claim
extractors come with the loaders issue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from dermkg.errors import DocumentError
from dermkg.namespaces import DKG, document_iri

SUFFIXES = (".txt", ".text")


@dataclass
class DocumentExtraction:
    """What one document yielded: its text, claims and any problems worth reporting."""

    doc_id: str
    path: Path
    text: str
    sha256: str
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of extracted facts per kind (for the build summary)."""
        return {}


def discover(corpus: Path) -> list[Path]:
    """The documents of a corpus folder, sorted by name."""
    if not corpus.is_dir():
        raise DocumentError(corpus, "not a folder")
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def extract_document(path: Path) -> DocumentExtraction:
    """Read ``path`` and extract its claims."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise DocumentError(path, "empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not UTF-8 (byte {exc.start})") from exc
    return DocumentExtraction(
        doc_id=path.stem, path=path, text=text, sha256=hashlib.sha256(data).hexdigest()
    )


def link_documents(extractions: list[DocumentExtraction]) -> None:
    """Merge the identities of studies named in several documents."""


def to_rdf(extraction: DocumentExtraction) -> Graph:
    """The triples of the document's named graph."""
    g = Graph()
    doc = document_iri(extraction.doc_id)
    g.add((doc, RDF.type, DKG.Document))
    g.add((doc, RDF.type, PROV.Entity))
    g.add((doc, DCTERMS.identifier, Literal(extraction.doc_id)))
    g.add((doc, DKG.fileName, Literal(extraction.path.name)))
    g.add((doc, DKG.sha256, Literal(extraction.sha256)))
    g.add((doc, DKG.mediaType, Literal("text/plain")))
    g.add((doc, DKG.characterCount, Literal(len(extraction.text), datatype=XSD.integer)))
    return g
