"""Curation templates: CSV or YAML rows (one fact per row) → RDF claims as in docs/model.md.

The columns of each kind of fact (approval, efficacy, safety, mechanism) and how each
cell is read are data: ``ontology/templates/templates.yaml``; blank templates are beside
it (``approval.csv`` …). Vocabulary cells are resolved with the shipped vocabulary (the
same lookup the loaders use). A claim gets a content-derived IRI
``dkgr:<kind>/curated/<hash>``, so adding the same row twice adds nothing new; its evidence
is ``dkgr:evidence/<doc-id>/<start>-<end>`` (or ``…/quote-<hash>`` without offsets).

Coupling: the loaders (``dermkg.loaders.rdf``) write the same claim shapes from their
typed claims; their writer mints document-scoped IRIs (``dkgr:<kind>/<doc-id>/<n>``, which
curated claims must not collide with), writes the document, study and arm nodes itself and
always needs offsets, so curated rows are written here, against the same model.
``tests/test_add_templates.py`` checks that a curated claim and the loaders' claim for the
same facts have the same predicates, values and evidence triples. A bad cell raises
:class:`CurationError` naming file, row and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from dermkg.errors import RdfInputError
from dermkg.namespaces import DKG, DKGR, OA, PREFIXES, document_iri
from dermkg.rdf_input import RdfInput, read_bytes
from dermkg.resources import ontology_file

NCT = re.compile(r"^NCT\d{8}$", re.IGNORECASE)
DEFAULT_RULE = "curation"


class CurationError(RdfInputError):
    """A template row cannot be turned into RDF (names file, row and column)."""


@dataclass(frozen=True)
class Column:
    """How one template column is read."""

    name: str
    type: str = "string"
    property: str = ""
    required: bool = False
    many: bool = False
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Template:
    """One kind of fact: its class, IRI segment and columns."""

    kind: str
    cls: str
    segment: str
    columns: tuple[Column, ...]
    direct: tuple[tuple[str, str], ...] = ()


def _column(name: str, spec: dict[str, Any]) -> Column:
    values = tuple((str(k).lower(), str(v)) for k, v in (spec.get("values") or {}).items())
    return Column(name, str(spec.get("type", "string")), str(spec.get("property", "")),
                  bool(spec.get("required")), bool(spec.get("many")), values)


@cache
def _spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        ontology_file("templates/templates.yaml").read_text(encoding="utf-8")
    )
    return data


@cache
def evidence_columns() -> tuple[Column, ...]:
    """The columns every template has (document, quote, offsets …)."""
    return tuple(_column(n, s or {}) for n, s in _spec()["evidence_columns"].items())


@cache
def templates() -> dict[str, Template]:
    """Every kind of fact a template can hold, by kind name."""
    out = {}
    for kind, spec in _spec()["kinds"].items():
        out[kind] = Template(
            kind, spec["class"], spec["segment"],
            tuple(_column(n, s) for n, s in spec["columns"].items()),
            tuple((spec.get("direct") or {}).items()),
        )
    return out


def template_header(kind: str) -> list[str]:
    """The CSV header of a kind's template: its own columns, then the evidence columns."""
    return [c.name for c in templates()[kind].columns] + [c.name for c in evidence_columns()]


# -- reading cells --------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A cell's location, for error messages."""

    path: Path
    row: int

    def error(self, column: str, message: str) -> CurationError:
        return CurationError(f"{self.path}: row {self.row}, column {column!r}: {message}")


def _iri(text: str) -> URIRef | None:
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and " " not in local:
        return URIRef(PREFIXES[prefix] + local)
    return None


@cache
def _vocabulary() -> Any:
    from dermkg.vocabulary import load_vocabulary

    return load_vocabulary()


def _entity(kind: str, text: str, where: Where, column: str) -> URIRef:
    iri = _iri(text)
    if iri is not None:
        return iri
    entity = _vocabulary().lookup(text, kind)
    if entity is None:
        raise where.error(column, f"{text!r} is not a {kind.replace('_', ' ')} of the "
                                  "vocabulary (give its label, a synonym, or an IRI)")
    return URIRef(entity.iri)


def _study(text: str) -> URIRef:
    iri = _iri(text)
    if iri is not None:
        return iri
    if NCT.match(text):
        return URIRef(DKGR[f"study/{text.upper()}"])
    return URIRef(DKGR[f"study/{re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')}"])


def _date(text: str, where: Where, column: str) -> Literal:
    for pattern, datatype in ((r"\d{4}-\d{2}-\d{2}", XSD.date), (r"\d{4}-\d{2}", XSD.gYearMonth),
                              (r"\d{4}", XSD.gYear)):
        if re.fullmatch(pattern, text):
            return Literal(text, datatype=datatype)
    raise where.error(column, f"{text!r} is not a date (2025-09-18, 2025-09 or 2025)")


_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def cell_value(column: Column, text: str, where: Where) -> Node:
    """The RDF term of one (non-empty) cell."""
    kind = column.type
    try:
        if kind.startswith("entity:"):
            return _entity(kind.split(":", 1)[1], text, where, column.name)
        if kind == "study":
            return _study(text)
        if kind == "node":
            iri = _iri(text)
            if iri is None:
                raise where.error(column.name, f"{text!r} is not an IRI or dkgr: CURIE")
            return iri
        if kind == "decimal":
            number = Decimal(text)
            if not number.is_finite() or "e" in text.lower():
                raise ValueError(text)
            return Literal(number, datatype=XSD.decimal)
        if kind == "integer":
            return Literal(int(text), datatype=XSD.integer)
        if kind == "boolean":
            return Literal(_BOOLEANS[text.lower()])
        if kind == "date":
            return _date(text, where, column.name)
        if kind in ("individual", "class"):
            return DKG[dict(column.values)[text.lower()]]
    except (ValueError, KeyError, InvalidOperation):
        choices = ", ".join(k for k, _ in column.values) if column.values else ""
        expected = f"one of {choices}" if choices else f"a {kind}"
        raise where.error(column.name, f"{text!r} is not {expected}") from None
    return Literal(text)


# -- rows → triples -------------------------------------------------------------------------


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _cells(row: dict[str, Any]) -> dict[str, str]:
    return {str(k).strip(): str(v).strip() for k, v in row.items()
            if k is not None and v is not None and str(v).strip() != ""}


def _offset(column: str, text: str, where: Where) -> int:
    try:
        value = int(text)
    except ValueError:
        raise where.error(column, f"{text!r} is not a character offset") from None
    if value < 0:
        raise where.error(column, f"{value} is negative")
    return value


def _evidence(g: Graph, claim: URIRef, cells: dict[str, str], where: Where) -> None:
    doc_id = cells["document"]
    doc = _iri(doc_id) or document_iri(doc_id)
    local = str(doc).rstrip("/").rsplit("/", 1)[-1]
    g.add((claim, PROV.wasDerivedFrom, doc))
    rule = cells.get("rule", DEFAULT_RULE)
    g.add((claim, DKG.extractionRule, Literal(rule)))
    quote = cells["quote"]
    offsets = [cells.get("start"), cells.get("end")]
    if any(offsets) and not all(offsets):
        missing = "start" if not offsets[0] else "end"
        raise where.error(missing, "give both start and end, or neither")
    if all(offsets):
        start, end = (_offset(name, text or "", where) for name, text in zip(
            ("start", "end"), offsets, strict=True))
        ev = URIRef(DKGR[f"evidence/{local}/{start}-{end}"])
    else:
        ev = URIRef(DKGR[f"evidence/{local}/quote-{_digest(quote)}"])
    g.add((claim, DKG.hasEvidence, ev))
    g.add((ev, RDF.type, DKG.EvidenceSpan))
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, doc))
    g.add((ev, DKG.extractionRule, Literal(rule)))
    quote_node = URIRef(f"{ev}#quote")
    g.add((ev, OA.hasSelector, quote_node))
    g.add((quote_node, RDF.type, OA.TextQuoteSelector))
    g.add((quote_node, OA.exact, Literal(quote)))
    if all(offsets):
        pos = URIRef(f"{ev}#position")
        g.add((ev, OA.hasSelector, pos))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    if "document_title" in cells or "document_url" in cells:
        g.add((doc, RDF.type, DKG.Document))
        g.add((doc, RDF.type, PROV.Entity))
        g.add((doc, DCTERMS.identifier, Literal(local)))
        if "document_title" in cells:
            g.add((doc, DCTERMS.title, Literal(cells["document_title"])))
        if "document_url" in cells:
            url = _iri(cells["document_url"])
            if url is None:
                raise where.error("document_url", f"{cells['document_url']!r} is not a URL")
            g.add((doc, DCTERMS.source, url))
        if "document_date" in cells:
            g.add((doc, DCTERMS.date, _date(cells["document_date"], where, "document_date")))


def row_to_rdf(template: Template, row: dict[str, Any], where: Where, g: Graph) -> URIRef:
    """Add the triples of one row (one claim with its evidence) to ``g``; the claim IRI."""
    cells = _cells(row)
    known = {c.name for c in template.columns} | {c.name for c in evidence_columns()} | {"kind"}
    unknown = sorted(set(cells) - known)
    if unknown:
        raise where.error(unknown[0], f"not a column of the {template.kind} template "
                                      f"(columns: {', '.join(template_header(template.kind))})")
    for column in (*evidence_columns(), *template.columns):
        if column.required and column.name not in cells:
            raise where.error(column.name, "required, but empty")
    key = _digest(template.kind, *(f"{k}={cells[k]}" for k in sorted(cells)))
    claim = URIRef(DKGR[f"{template.segment}/curated/{key}"])
    g.add((claim, RDF.type, DKG[template.cls]))
    g.add((claim, RDFS.comment, Literal(f"{where.path.name}, row {where.row}")))
    values: dict[str, list[Node]] = {}
    for column in template.columns:
        text = cells.get(column.name)
        if text is None:
            continue
        parts = [p.strip() for p in text.split(";") if p.strip()] if column.many else [text]
        values[column.name] = [cell_value(column, p, where) for p in parts]
        for value in values[column.name]:
            if column.type == "class":
                g.add((claim, RDF.type, value))
            else:
                g.add((claim, DKG[column.property], value))
    if template.direct:
        actions = dict(template.direct)
        action = values.get("action", [None])[0]
        name = str(action).rsplit("#", 1)[-1] if action is not None else ""
        if name in actions:
            drug, target = values["drug"][0], values["target"][0]
            g.add((drug, DKG[actions[name]], target))
    _evidence(g, claim, cells, where)
    return claim


def _kind_of(path: Path, rows: list[dict[str, Any]]) -> str:
    kinds = {str(r.get("kind")).strip() for r in rows if r.get("kind")}
    if len(kinds) == 1:
        kind = kinds.pop()
    elif kinds:
        raise CurationError(f"{path}: several kinds in one file ({', '.join(sorted(kinds))})")
    else:
        stem = path.stem.lower()
        kind = next((k for k in templates() if stem.startswith(k)), "")
    if kind not in templates():
        raise CurationError(
            f"{path}: cannot tell which kind of fact it holds; name the file after the kind "
            f"({', '.join(f'{k}*.csv' for k in templates())}) or add a 'kind' column"
        )
    return kind


def _rows(path: Path, data: bytes) -> tuple[str | None, list[dict[str, Any]], int]:
    """(kind or None, rows, number of the first data row) of a CSV or YAML template."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CurationError(f"{path}: not UTF-8 (byte {exc.start})") from None
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise CurationError(f"{path}: no header row")
        rows = [dict(r) for r in reader]
        if any(None in r for r in rows):
            bad = next(i for i, r in enumerate(rows, start=2) if None in r)
            raise CurationError(f"{path}: row {bad}: more cells than header columns")
        return None, rows, 2
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise CurationError(f"{path}{where}: YAML syntax error: {exc}") from None
    if isinstance(loaded, dict) and isinstance(loaded.get("facts"), list):
        kind = loaded.get("kind")
        return (str(kind) if kind else None), loaded["facts"], 1
    if isinstance(loaded, list):
        return None, loaded, 1
    raise CurationError(f"{path}: expected a list of facts, or a mapping with 'kind' and 'facts'")


def read_template(path: Path, *, max_bytes: int | None = None) -> RdfInput:
    """Read a CSV or YAML curation template as an :class:`RdfInput` (its triples)."""
    data = read_bytes(path, max_bytes)
    kind, rows, first = _rows(path, data)
    if not rows:
        raise CurationError(f"{path}: no rows")
    if not all(isinstance(r, dict) for r in rows):
        raise CurationError(f"{path}: every fact must be a mapping of column to value")
    template = templates()[kind] if kind in templates() else templates()[_kind_of(path, rows)]
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for n, row in enumerate(rows, start=first):
        row_to_rdf(template, row, Where(path, n), g)
    return RdfInput(path, f"{template.kind} template", hashlib.sha256(data).hexdigest(),
                    len(data), g)


__all__ = [
    "CurationError",
    "cell_value",
    "evidence_columns",
    "read_template",
    "row_to_rdf",
    "template_header",
    "templates",
]
