"""Query results: rows with named, typed columns, and the formats people pipe."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from dermkg.namespaces import PREFIXES

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "tsv", "json")
"""Formats of SELECT results (``json`` is the SPARQL 1.1 Query Results JSON format)."""
GRAPH_FORMATS = {"turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld",
                 "nt": "nt", "ntriples": "nt", "xml": "xml", "trig": "trig"}
"""Formats of CONSTRUCT/DESCRIBE results, by name, as rdflib serializer names."""


def python_value(term: Node | None) -> Any:
    """A term as a Python value: int, float/Decimal, date, bool, str; IRIs stay URIRef."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return term


def lexical(term: Node | None) -> str:
    """A term as plain text (for CSV, TSV and tables): an IRI, or a literal's lexical form."""
    return "" if term is None else str(term)


def json_term(term: Node) -> dict[str, str]:
    """A term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"cannot write {term!r} as SPARQL JSON")


class Row(tuple[Any, ...]):
    """One result row: a tuple of typed values that is also readable by column name.

    ``query`` is the name of the saved query that produced it and ``keys`` the columns
    holding the IRI of what the row describes (:meth:`KnowledgeGraph.evidence` follows them).
    """

    columns: tuple[str, ...]
    query: str | None
    keys: tuple[str, ...]

    def __new__(cls, columns: tuple[str, ...], values: tuple[Any, ...],
                query: str | None = None, keys: tuple[str, ...] = ()) -> Row:
        row = super().__new__(cls, values)
        row.columns = columns
        row.query = query
        row.keys = keys
        return row

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self.columns.index(name)]
        except ValueError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        """The value of column ``name`` (``default`` when unbound or unknown)."""
        if name not in self.columns:
            return default
        value = self[self.columns.index(name)]
        return default if value is None else value

    def asdict(self) -> dict[str, Any]:
        """The row as a dict from column name to value."""
        return dict(zip(self.columns, self, strict=True))


class _SharedRow(Row):
    """A :class:`Row` whose columns, query and keys are attributes of its class (one class
    per result): making a row is then only making a tuple."""

    def __new__(cls, values: Sequence[Any]) -> _SharedRow:
        return tuple.__new__(cls, values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Row, (self.columns, tuple(self), self.query, self.keys))


@lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...], query: str | None,
              keys: tuple[str, ...]) -> type[_SharedRow]:
    return type("Row", (_SharedRow,), {"columns": columns, "query": query, "keys": keys,
                                       "__slots__": ()})


def typed_rows(terms: Sequence[tuple[Node | None, ...]]) -> list[tuple[Any, ...]]:
    """Rows of terms as rows of :func:`python_value` s; a term object repeated in the
    rows (answers share them) is converted once."""
    memo: dict[int, Any] = {}

    def value(term: Node | None) -> Any:
        if term is None:
            return None
        key = id(term)
        if key not in memo:
            memo[key] = python_value(term)
        return memo[key]

    return [tuple(map(value, t)) for t in terms]


@dataclass
class ResultSet:
    """The answer to a SELECT query: columns and rows of RDF terms.

    Iterating gives :class:`Row` objects with typed values; ``terms`` keeps the RDF terms.
    ``values``, when given, are the typed values of ``terms`` already converted (a stored
    answer keeps them), row for row.
    """

    columns: list[str]
    terms: list[tuple[Node | None, ...]]
    query: str | None = None
    keys: tuple[str, ...] = ()
    values: list[tuple[Any, ...]] | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Row]:
        make = _row_type(tuple(self.columns), self.query, self.keys)
        return map(make, self.values if self.values is not None else typed_rows(self.terms))

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        """Row ``index`` (a slice gives a list of rows)."""
        if isinstance(index, slice):
            return [self._row(t) for t in self.terms[index]]
        return self._row(self.terms[index])

    def _row(self, terms: tuple[Node | None, ...]) -> Row:
        return _row_type(tuple(self.columns), self.query, self.keys)(
            tuple(python_value(v) for v in terms))

    def column(self, name: str) -> list[Any]:
        """The typed values of one column."""
        if name not in self.columns:
            raise KeyError(f"no column {name!r}; columns: {', '.join(self.columns)}")
        i = self.columns.index(name)
        return [python_value(t[i]) for t in self.terms]

    @property
    def rows(self) -> list[Row]:
        """All rows with typed values."""
        return list(self)

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (needs pandas: ``pip install 'dermkg[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install 'dermkg[pandas]'") from exc
        return pd.DataFrame([r.asdict() for r in self], columns=self.columns)

    def to_csv(self, delimiter: str = ",") -> str:
        """CSV (or TSV with ``delimiter="\\t"``) with a header row; plain lexical values."""
        buf = io.StringIO()
        if delimiter == "\t":
            buf.write("\t".join(self.columns) + "\n")
            for t in self.terms:
                cells = (lexical(v).replace("\t", " ").replace("\n", " ") for v in t)
                buf.write("\t".join(cells) + "\n")
            return buf.getvalue()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        for t in self.terms:
            writer.writerow([lexical(v) for v in t])
        return buf.getvalue()

    def to_json(self, indent: int | None = 2) -> str:
        """SPARQL 1.1 Query Results JSON (``indent=None``: compact)."""
        bindings = [
            {c: json_term(v) for c, v in zip(self.columns, t, strict=True) if v is not None}
            for t in self.terms
        ]
        return json.dumps({"head": {"vars": self.columns}, "results": {"bindings": bindings}},
                          indent=indent, ensure_ascii=False,
                          separators=None if indent else (",", ":"))

    def render(self, fmt: str) -> str:
        """The results in one of :data:`FORMATS` (``table`` is plain aligned text)."""
        if fmt == "csv":
            return self.to_csv()
        if fmt == "tsv":
            return self.to_csv("\t")
        if fmt == "json":
            return self.to_json() + "\n"
        if fmt == "table":
            return self.to_text_table()
        raise ValueError(f"unknown format {fmt!r} for SELECT results; choose one of "
                         f"{', '.join(FORMATS)}")

    def to_text_table(self) -> str:
        """An aligned plain-text table (the CLI prints a rich table instead on a terminal)."""
        cells = [[lexical(v) for v in t] for t in self.terms]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
        return "\n".join(lines) + "\n"


def render_graph(graph: Graph, fmt: str) -> str:
    """A CONSTRUCT/DESCRIBE answer in one of :data:`GRAPH_FORMATS` (dermkg prefixes bound)."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"unknown format {fmt!r} for graph results; choose one of "
                         f"{', '.join(GRAPH_FORMATS)}")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    if GRAPH_FORMATS[fmt] == "json-ld":  # compact IRIs with dermkg's prefixes
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    return graph.serialize(format=GRAPH_FORMATS[fmt])
