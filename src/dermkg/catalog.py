"""The catalog of saved queries: ``queries/*.rq`` files and their headers.

Each saved query starts with a comment header that the CLI and the Python API read::

    # title: Approvals by age and date
    # description: Every regulatory approval with its age bounds and date,
    #   youngest population first.
    # param: max_age decimal  Only approvals open to patients of this age.
    # param: since date  Only approvals on or after this date.
    # example: dermkg query approvals-by-age-and-date --param max_age=11

A parameter is a variable of the query. Values are converted to typed RDF terms
(``string``, ``integer``, ``decimal``, ``date``, ``boolean``, ``iri``) and bound with
:mod:`dermkg.binding`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from dermkg.errors import QueryError
from dermkg.namespaces import PREFIXES
from dermkg.resources import queries_dir

PARAM_TYPES = ("string", "integer", "decimal", "date", "boolean", "iri")
_HEADER = re.compile(r"^#\s*(title|description|param|example|returns):\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class Parameter:
    """A parameter of a saved query: a variable bound to a typed RDF term."""

    name: str
    type: str
    description: str = ""
    default: str | None = None

    def to_term(self, value: object) -> Node:
        """``value`` as an RDF term of this parameter's type (:class:`QueryError` if it is not)."""
        text = str(value).strip()
        try:
            if self.type == "string":
                return Literal(str(value))
            if self.type == "integer":
                return Literal(int(text), datatype=XSD.integer)
            if self.type == "decimal":
                return Literal(Decimal(text), datatype=XSD.decimal)
            if self.type == "date":
                return Literal(dt.date.fromisoformat(text), datatype=XSD.date)
            if self.type == "boolean":
                if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(text)
                return Literal(text.lower() in {"true", "1", "yes"}, datatype=XSD.boolean)
            if self.type == "iri":
                return URIRef(expand_iri(text))
        except (ValueError, InvalidOperation) as exc:
            raise QueryError(
                f"parameter {self.name!r} expects {self.type}, got {str(value)!r}"
            ) from exc
        raise QueryError(f"parameter {self.name!r} has unknown type {self.type!r}")


def expand_iri(text: str) -> str:
    """A full IRI from ``text`` (an IRI, or a CURIE with one of dermkg's prefixes)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text, re.IGNORECASE):
        if re.search(r"[<>\"{}|^`\\\s]", text):
            raise ValueError(text)
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[\w.\-/#%]*", local):
        return PREFIXES[prefix] + local
    raise ValueError(text)


@dataclass(frozen=True)
class SavedQuery:
    """A saved SPARQL query with its documentation and parameters."""

    name: str
    sparql: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    examples: tuple[str, ...] = field(default_factory=tuple)
    path: str = ""

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (:class:`QueryError` naming the valid ones if none)."""
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bindings(self, values: dict[str, object]) -> dict[str, Node]:
        """Typed RDF terms for the given parameter values (defaults filled in)."""
        out: dict[str, Node] = {}
        for name, value in values.items():
            if value is None:
                continue
            out[name] = self.parameter(name).to_term(value)
        for p in self.parameters:
            if p.name not in out and p.default is not None:
                out[p.name] = p.to_term(p.default)
        return out


def parse_saved_query(name: str, text: str, path: str = "") -> SavedQuery:
    """Read a saved query's header and body."""
    fields: dict[str, list[str]] = {"title": [], "description": [], "example": []}
    params: list[Parameter] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            last = key
            if key == "param":
                pm = _PARAM.match(value)
                if not pm or pm.group("type") not in PARAM_TYPES:
                    raise QueryError(f"{path or name}: bad parameter line {line!r}")
                params.append(
                    Parameter(pm.group("name"), pm.group("type"), pm.group("doc").strip(),
                              pm.group("default"))
                )
            elif key in fields:
                fields[key].append(value)
            continue
        c = _CONTINUATION.match(line)
        if c and last == "description":
            fields["description"].append(c.group(1))
        elif c and last == "param" and params:
            p = params[-1]
            params[-1] = Parameter(p.name, p.type, f"{p.description} {c.group(1)}".strip(),
                                   p.default)
    return SavedQuery(
        name=name,
        sparql=text,
        title=" ".join(fields["title"]),
        description=" ".join(fields["description"]),
        parameters=tuple(params),
        examples=tuple(fields["example"]),
        path=path,
    )


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``queries/``, by name."""
    out: dict[str, SavedQuery] = {}
    for entry in sorted(queries_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse_saved_query(name, entry.read_text(encoding="utf-8"), entry.name)
    return out


def resolve_query(name_or_file: str) -> SavedQuery:
    """A saved query by name, a ``.rq`` file by path, or inline SPARQL text."""
    catalog = saved_queries()
    if name_or_file in catalog:
        return catalog[name_or_file]
    if name_or_file.endswith(".rq") or "/" in name_or_file:
        path = Path(name_or_file)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return parse_saved_query(path.stem, path.read_text(encoding="utf-8"), str(path))
    if re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", name_or_file, re.IGNORECASE):
        return parse_saved_query("inline", name_or_file)
    raise QueryError(
        f"no saved query {name_or_file!r}; saved queries: {', '.join(catalog) or 'none'}"
    )
