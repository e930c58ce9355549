"""Reading users' RDF files safely: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

Parsing is done by Oxigraph's parsers (pyoxigraph), which report syntax errors with line
and column, never fetch remote JSON-LD contexts, and never expand external XML entities.
Guards before parsing: the file must exist, be non-empty and under a size limit; an
RDF/XML document type declaration may not declare external or nested entities (the
"billion laughs" expansion attack). CSV and YAML curation templates are read by
:mod:`dermkg.curation`; :func:`read_input` dispatches on the file suffix.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from dermkg.errors import RdfInputError
from dermkg.graph.convert import from_ox

MAX_INPUT_BYTES = 25 * 1024 * 1024
"""Default size limit of one input file (``--max-bytes``; env ``DERMKG_MAX_INPUT_BYTES``)."""

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
TEMPLATE_SUFFIXES = (".csv", ".yaml", ".yml")
"""Curation templates (see :mod:`dermkg.curation`)."""

_ENTITY_DECL = re.compile(
    r"<!ENTITY\s+(%\s*)?([\w.:-]+)\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.IGNORECASE
)


@dataclass
class RdfInput:
    """One input file read as triples (graph names of quad formats are dropped)."""

    path: Path
    format: str
    sha256: str
    size: int
    graph: Graph = field(repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        """Number of triples read."""
        return len(self.graph)


def input_limit(max_bytes: int | None = None) -> int:
    """The size limit in force: ``max_bytes``, else the environment's, else the default."""
    if max_bytes is not None:
        return max_bytes
    env = os.environ.get("DERMKG_MAX_INPUT_BYTES")
    if env:
        try:
            return int(env)
        except ValueError:
            raise RdfInputError(f"DERMKG_MAX_INPUT_BYTES={env!r} is not a number") from None
    return MAX_INPUT_BYTES


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The content of ``path``, refusing missing, unreadable, empty and over-large files."""
    limit = input_limit(max_bytes)
    if not path.exists():
        raise RdfInputError(f"{path}: no such file")
    if not path.is_file():
        raise RdfInputError(f"{path}: not a file")
    size = path.stat().st_size
    if size > limit:
        raise RdfInputError(
            f"{path}: {size:,} bytes is over the input size limit of {limit:,} bytes "
            "(split the file, or raise the limit with --max-bytes)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RdfInputError(f"{path}: cannot read: {exc.strerror}") from exc
    if not data.strip():
        raise RdfInputError(f"{path}: empty file")
    return data


def check_xml_entities(path: Path, data: bytes) -> None:
    """Refuse RDF/XML whose DTD declares external entities or entities built of entities."""
    head = data[: 1024 * 1024].decode("utf-8", errors="replace")
    doctype = head.find("<!DOCTYPE")
    if doctype < 0:
        return
    for match in _ENTITY_DECL.finditer(head, doctype):
        name, kind = match.group(2), match.group(3)
        if match.group(1) or kind.upper() in ("SYSTEM", "PUBLIC"):
            raise RdfInputError(
                f"{path}: the XML entity {name!r} is external (or a parameter entity); "
                "external entities are refused and never expanded"
            )
        if "&" in kind or "%" in kind:
            raise RdfInputError(
                f"{path}: the XML entity {name!r} is built from other entities; nested "
                "entities are refused (entity expansion attack)"
            )


def _syntax_error(path: Path, exc: SyntaxError) -> RdfInputError:
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    message = re.sub(r"^Parser error (at|between) line [^:]*: ", "", message)
    if exc.lineno:
        where = f"{path}:{exc.lineno}:{exc.offset or 0}"
        return RdfInputError(
            f"{where}: syntax error at line {exc.lineno}, column {exc.offset or 0}: {message}"
        )
    if "LoadDocumentCallback" in message:
        message = "remote JSON-LD contexts are not fetched; inline the @context"
    return RdfInputError(f"{path}: syntax error: {message}")


def parse_rdf(path: Path, data: bytes, fmt: ox.RdfFormat) -> Graph:
    """The triples of ``data`` (already read from ``path``) in format ``fmt``."""
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml_entities(path, data)
    graph = Graph()
    try:
        for quad in ox.parse(data, format=fmt):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except (ValueError, OSError) as exc:
        raise RdfInputError(f"{path}: cannot parse as {fmt.name}: {exc}") from None
    return graph


def read_rdf_file(path: Path, *, max_bytes: int | None = None) -> RdfInput:
    """Read one RDF file; :class:`RdfInputError` names the file (line and column) on failure."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted({*RDF_FORMATS, *TEMPLATE_SUFFIXES}))
        raise RdfInputError(f"{path}: unknown file type {path.suffix!r}; known: {known}")
    data = read_bytes(path, max_bytes)
    graph = parse_rdf(path, data, fmt)
    if not len(graph):
        raise RdfInputError(f"{path}: no triples in the file")
    notes = []
    if fmt.supports_datasets:
        notes.append("graph names in the file are ignored: facts go into the source's graph")
    return RdfInput(path, fmt.name, hashlib.sha256(data).hexdigest(), len(data), graph, notes)


def read_input(path: Path, *, max_bytes: int | None = None) -> RdfInput:
    """Read an RDF file or a curation template (CSV/YAML) as triples."""
    if path.suffix.lower() in TEMPLATE_SUFFIXES:
        from dermkg.curation import read_template

        return read_template(path, max_bytes=max_bytes)
    return read_rdf_file(path, max_bytes=max_bytes)


def read_inputs(paths: list[Path], *, max_bytes: int | None = None) -> list[RdfInput]:
    """Read several inputs; the first bad one raises :class:`RdfInputError`."""
    if not paths:
        raise RdfInputError("no input files given")
    return [read_input(p, max_bytes=max_bytes) for p in paths]


def merged(inputs: list[RdfInput]) -> Graph:
    """The union of the inputs' triples."""
    g = Graph()
    for item in inputs:
        g += item.graph
    return g
