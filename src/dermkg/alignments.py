"""The ontology's alignments (``ontology/mappings.sssom.tsv``) read and turned into RDF.

The SSSOM file is the source: a YAML header (``curie_map``, mapping-set metadata) and one
mapping a row. :func:`mappings_graph` gives, for every row, the direct triple
(``dkg:Drug skos:closeMatch CHEBI:23888`` as IRIs), the object's label, and an
``owl:Axiom`` annotating that triple with the row's justification, confidence and comment
(as sssom-py's OWL output does). CURIEs expand with the project's prefixes
(:data:`dermkg.namespaces.PREFIXES`: dkg, prov, oa, schema …) and otherwise with
Bioregistry's IRI prefixes (the same as :mod:`dermkg.identifiers` gives; a test checks).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from dermkg.errors import RdfInputError
from dermkg.identifiers import uri_prefix
from dermkg.namespaces import PREFIXES
from dermkg.resources import ontology_file

MAPPINGS_FILE = "mappings.sssom.tsv"
SSSOM = Namespace("https://w3id.org/sssom/")

__all__ = [
    "MAPPINGS_FILE",
    "SSSOM",
    "Mapping",
    "MappingSet",
    "expand_curie",
    "mappings_graph",
    "prefix_iri",
    "read_mappings",
]


@dataclass(frozen=True)
class Mapping:
    """One row of the SSSOM file (CURIEs as written)."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    confidence: float | None
    comment: str
    line: int


@dataclass
class MappingSet:
    """The SSSOM file: its YAML metadata and its mappings."""

    metadata: dict[str, Any]
    mappings: list[Mapping] = field(default_factory=list)

    @property
    def curie_map(self) -> dict[str, str]:
        """The ``curie_map`` of the header."""
        return dict(self.metadata.get("curie_map") or {})


_PROJECT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "obo"}


@cache
def prefix_iri(prefix: str) -> str | None:
    """The IRI prefix of a CURIE prefix: the project's (docs/model.md: dkg, prov, oa,
    schema …) first, else Bioregistry's (:func:`dermkg.identifiers.uri_prefix`)."""
    if prefix in _PROJECT_PREFIXES:
        return _PROJECT_PREFIXES[prefix]
    return uri_prefix(prefix)


def expand_curie(curie: str) -> str | None:
    """The IRI of ``curie`` under :func:`prefix_iri`, or None when the prefix is unknown."""
    prefix, sep, local = curie.partition(":")
    if not sep or not local:
        return None
    base = prefix_iri(prefix)
    return base + local if base is not None else None


def read_mappings(text: str | None = None, source: str = MAPPINGS_FILE) -> MappingSet:
    """Parse an SSSOM/TSV text (default: the packaged ``ontology/mappings.sssom.tsv``)."""
    if text is None:
        text = ontology_file(MAPPINGS_FILE).read_text(encoding="utf-8")
    header_lines: list[str] = []
    body_start = 0
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith("#"):
            header_lines.append(line[1:])
            continue
        body_start = n
        break
    try:
        metadata = yaml.safe_load("".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        raise RdfInputError(f"{source}: the YAML header is not valid: {exc}") from exc
    if not isinstance(metadata, dict):
        raise RdfInputError(f"{source}: the YAML header is not a mapping")
    reader = csv.DictReader(io.StringIO("".join(lines[body_start:])), delimiter="\t")
    required = {"subject_id", "predicate_id", "object_id", "mapping_justification"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise RdfInputError(f"{source}: missing column(s) {', '.join(sorted(missing))}")
    out = MappingSet(metadata)
    for offset, row in enumerate(reader, start=2):
        line_no = body_start + offset
        confidence = (row.get("confidence") or "").strip()
        try:
            conf = float(confidence) if confidence else None
        except ValueError as exc:
            raise RdfInputError(
                f"{source}:{line_no}: confidence {confidence!r} is not a number"
            ) from exc
        out.mappings.append(
            Mapping(
                subject_id=row["subject_id"].strip(),
                subject_label=(row.get("subject_label") or "").strip(),
                predicate_id=row["predicate_id"].strip(),
                object_id=row["object_id"].strip(),
                object_label=(row.get("object_label") or "").strip(),
                mapping_justification=row["mapping_justification"].strip(),
                confidence=conf,
                comment=(row.get("comment") or "").strip(),
                line=line_no,
            )
        )
    return out


def _expand(curie: str, source: str, line: int) -> URIRef:
    iri = expand_curie(curie)
    if iri is None:
        raise RdfInputError(f"{source}:{line}: cannot expand {curie!r} (prefix not in Bioregistry)")
    return URIRef(iri)


def mappings_graph(mapping_set: MappingSet | None = None) -> Graph:
    """The alignments as triples, for the named graph ``dkgg:mappings``."""
    ms = mapping_set if mapping_set is not None else read_mappings()
    g = Graph()
    g.bind("sssom", SSSOM)
    g.bind("semapv", Namespace("https://w3id.org/semapv/vocab/"))
    set_id = ms.metadata.get("mapping_set_id")
    set_node = URIRef(str(set_id)) if set_id else None
    if set_node is not None:
        g.add((set_node, RDF.type, SSSOM.MappingSet))
        for key in ("mapping_set_title", "mapping_set_version", "mapping_set_description"):
            if ms.metadata.get(key):
                g.add((set_node, SSSOM[key], Literal(str(ms.metadata[key]))))
        if ms.metadata.get("license"):
            g.add((set_node, SSSOM.license, URIRef(str(ms.metadata["license"]))))
    for m in ms.mappings:
        s = _expand(m.subject_id, MAPPINGS_FILE, m.line)
        p = _expand(m.predicate_id, MAPPINGS_FILE, m.line)
        o = _expand(m.object_id, MAPPINGS_FILE, m.line)
        g.add((s, p, o))
        if m.object_label:
            g.add((o, RDFS.label, Literal(m.object_label)))
        axiom = BNode()
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, s))
        g.add((axiom, OWL.annotatedProperty, p))
        g.add((axiom, OWL.annotatedTarget, o))
        g.add(
            (
                axiom,
                SSSOM.mapping_justification,
                _expand(m.mapping_justification, MAPPINGS_FILE, m.line),
            )
        )
        if m.confidence is not None:
            g.add((axiom, SSSOM.confidence, Literal(m.confidence, datatype=XSD.double)))
        if m.comment:
            g.add((axiom, RDFS.comment, Literal(m.comment)))
        if set_node is not None:
            g.add((axiom, SSSOM.mapping_set, set_node))
    return g
