"""Content negotiation for SPARQL answers: which media type to write for an ``Accept`` header.

SELECT and ASK answers are written as SPARQL 1.1 Query Results (JSON, XML, CSV, TSV);
CONSTRUCT and DESCRIBE answers as RDF (Turtle, JSON-LD, N-Triples, RDF/XML). The first
entry of each table is the default when the client accepts anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

# media type -> pyoxigraph format, in order of preference for */*
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.TURTLE,  # Turtle is valid N3
    "application/json": ox.RdfFormat.JSON_LD,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}

# The ``format`` (or ``output``) request parameter many SPARQL clients send, as media types.
FORMAT_ALIASES: dict[str, tuple[str, str]] = {
    # name: (for SELECT/ASK, for CONSTRUCT/DESCRIBE)
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv", "text/turtle"),
    "tsv": ("text/tab-separated-values", "text/turtle"),
    "turtle": ("application/sparql-results+json", "text/turtle"),
    "ttl": ("application/sparql-results+json", "text/turtle"),
    "n3": ("application/sparql-results+json", "text/turtle"),
    "json-ld": ("application/sparql-results+json", "application/ld+json"),
    "jsonld": ("application/sparql-results+json", "application/ld+json"),
    "rdf": ("application/sparql-results+xml", "application/rdf+xml"),
    "rdf+xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "nt": ("application/sparql-results+json", "application/n-triples"),
    "ntriples": ("application/sparql-results+json", "application/n-triples"),
}


class NotAcceptable(ValueError):
    """No media type the client accepts can carry this kind of answer."""


@dataclass(frozen=True)
class Preference:
    """What the client asked for: its ``Accept`` header and an optional ``format`` parameter."""

    accept: str = "*/*"
    format: str | None = None

    def for_results(self) -> tuple[str, ox.QueryResultsFormat]:
        """The media type and format for a SELECT or ASK answer."""
        media = self._choose(RESULT_TYPES, 0)
        return media, RESULT_TYPES[media]

    def for_graph(self) -> tuple[str, ox.RdfFormat]:
        """The media type and format for a CONSTRUCT or DESCRIBE answer."""
        media = self._choose(GRAPH_TYPES, 1)
        return media, GRAPH_TYPES[media]

    def _choose(self, offers: Mapping[str, object], form: int) -> str:
        if self.format:
            fmt = self.format.strip().lower()
            if fmt in FORMAT_ALIASES:
                return FORMAT_ALIASES[fmt][form]
            if fmt in offers:
                return fmt
        chosen = choose_media_type(self.accept or "*/*", list(offers))
        if chosen is None:
            raise NotAcceptable(
                f"none of the accepted media types ({self.accept}) can carry this answer; "
                f"available: {', '.join(offers)}"
            )
        return chosen


def parse_accept(header: str) -> list[tuple[str, float]]:
    """An ``Accept`` header as (media range, quality) pairs, best first (stable)."""
    ranges: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


def _matches(media_range: str, offer: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    kind, _, sub = media_range.partition("/")
    offer_kind, _, offer_sub = offer.partition("/")
    return kind == offer_kind and sub in ("*", offer_sub)


def _specificity(media_range: str) -> int:
    return 0 if media_range in ("*/*", "*") else 1 if media_range.endswith("/*") else 2


def choose_media_type(header: str, offers: list[str]) -> str | None:
    """The offer the client prefers (highest q, then the most specific range; ties go to
    the earlier offer); ``None`` when none is acceptable."""
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        matching = [(q, _specificity(m)) for m, q in ranges if _matches(m, offer)]
        if not matching:
            continue
        # the most specific matching range decides the quality of this offer
        q, spec = max(matching, key=lambda x: x[1])
        if q <= 0:
            continue
        key = (q, spec, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
