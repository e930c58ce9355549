"""The catalog of saved queries: ``queries/*.rq`` files and their headers.

Each saved query starts with a comment header that the CLI and the Python API read::

    # title: Approvals by age and date
    # description: Every regulatory approval with its age bounds and date,
    #   youngest population first.
    # param: max_age decimal  Only approvals open to patients of this age.
    # param: since date  Only approvals on or after this date.
    # param: drug string required  A parameter the user must give.
    # param: limit integer = 10  A parameter with a default.
    # column: drug  The active ingredient's name.
    # key: approval
    # filter: drug_name equals-ci drug
    # example: dermkg query approvals-by-age-and-date --param max_age=11

A parameter is a variable of the query. Values are converted to typed RDF terms
(``string``, ``integer``, ``decimal``, ``date``, ``boolean``, ``iri``) and bound with
:mod:`dermkg.binding`; a parameter must occur in the query as ``?name``. A body comment
``# @bind: NAME …`` marks where a parameter is bound (e.g. inside the sub-select it
restricts, before its aggregation); it may only name declared parameters. ``column``
lines document the result columns. ``key`` names the column(s) holding the IRI of the node
each row describes (a claim, a study, an arm): :meth:`dermkg.api.KnowledgeGraph.evidence`
follows them from a row to the sentences that state it. ``filter`` lines say, as data,
what a parameter does to the rows of the unparameterised answer (``NAME OP COLUMN…``: the
operator, :data:`dermkg.row_filters.FILTER_OPS`, holds for one of the columns; ``NAME OP
COLUMN… | OP COLUMN…``: one of the tests holds; several lines for one parameter: all
hold), so that a call can be answered from the answer stored at build time
(:mod:`dermkg.graph.answers`); a test checks each against the query run with the
parameter bound.

A ``resolve`` line, ``# resolve: PARAM as VARIABLE by QUERY``, says that the parameter
names a thing that another saved query finds (e.g. a drug by name, synonym, brand or
IRI): the parameter is not bound in this query's text. Before the query runs, ``QUERY``
runs with ``PARAM`` (a parameter of the same name), and the IRIs of its first column are
bound to ``?VARIABLE`` at this query's ``# @bind: VARIABLE`` markers (one ``VALUES`` row
each; no IRI: no row; several lines for one parameter: the IRIs of all). The query text
alone, with ``?VARIABLE`` unbound, answers for every such thing; a ``# filter:`` line on
``VARIABLE`` lets the stored answer give a call by those IRIs (:mod:`dermkg.resolution`).
So that Oxigraph reads only what the call needs, markers go at the start of the groups
that use ``?VARIABLE`` (a ``VALUES`` block before triple patterns is joined row by row; a
sub-select's answer is joined as a whole).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from dermkg.binding import bind_markers, code_text
from dermkg.errors import QueryError
from dermkg.namespaces import PREFIXES
from dermkg.resources import queries_dir
from dermkg.row_filters import FILTER_OPS

PARAM_TYPES = ("string", "integer", "decimal", "date", "boolean", "iri")
_HEADER = re.compile(
    r"^#\s*(title|description|param|column|key|filter|resolve|example):\s*(.*)$"
)
_RESOLVE = re.compile(
    r"^(?P<parameter>[A-Za-z_]\w*)\s+as\s+\??(?P<variable>[A-Za-z_]\w*)\s+by\s+(?P<query>[\w.-]+)$"
)
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s+(?P<required>required)\b)?"
    r"(?:\s*=\s*(?P<default>\S+))?\s*(?P<doc>.*)$"
)
_COLUMN = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*(?P<doc>.*)$")
_FILTER_TEST = re.compile(
    r"^(?P<op>[a-z-]+)\s+(?P<columns>[A-Za-z_]\w*(?:=\S+)?(?:\s+[A-Za-z_]\w*(?:=\S+)?)*)$"
)
_FORM = re.compile(r"(?<![\w?$])(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    """A parameter of a saved query: a variable bound to a typed RDF term."""

    name: str
    type: str
    description: str = ""
    default: str | None = None
    required: bool = False

    def to_term(self, value: object) -> Node:
        """``value`` as an RDF term of this parameter's type (:class:`QueryError` if it is not).

        Python values of the right kind are taken as they are (an ``int`` for ``integer``,
        a ``date`` for ``date``, a ``URIRef`` for ``iri``…); anything else is read from
        its text.
        """
        if isinstance(value, Literal | URIRef):
            value = value.toPython() if isinstance(value, Literal) else str(value)
        text = str(value).strip()
        try:
            if self.type == "string":
                return Literal(str(value))
            if self.type == "integer":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError(text)
                return Literal(int(value) if isinstance(value, int | float) else int(text),
                               datatype=XSD.integer)
            if self.type == "decimal":
                if isinstance(value, bool):
                    raise ValueError(text)
                number = Decimal(text)
                if not number.is_finite():
                    raise ValueError(text)
                return Literal(number, datatype=XSD.decimal)
            if self.type == "date":
                if isinstance(value, dt.datetime):
                    value = value.date()
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(text)
                return Literal(day, datatype=XSD.date)
            if self.type == "boolean":
                if isinstance(value, bool):
                    return Literal(value, datatype=XSD.boolean)
                if text.lower() not in _TRUE | _FALSE:
                    raise ValueError(text)
                return Literal(text.lower() in _TRUE, datatype=XSD.boolean)
            if self.type == "iri":
                return URIRef(expand_iri(text))
        except (ValueError, TypeError, InvalidOperation) as exc:
            raise QueryError(
                f"parameter {self.name!r} expects {_TYPE_HINT.get(self.type, self.type)}, "
                f"got {str(value)!r}"
            ) from exc
        raise QueryError(f"parameter {self.name!r} has unknown type {self.type!r}")


_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})
_TYPE_HINT = {
    "integer": "integer (e.g. 300)",
    "decimal": "decimal (e.g. 11 or 1.5)",
    "date": "date (YYYY-MM-DD)",
    "boolean": "boolean (true/false)",
    "iri": "iri (http(s)://… or a CURIE such as dkgr:drug/ruxolitinib)",
}


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
class Column:
    """A documented result column of a saved query."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class FilterTest:
    """``op`` holds between the parameter's value and one of ``columns`` (``texts``: the
    constant given with each column as ``COLUMN=TEXT``, for the operators that take one)."""

    op: str
    columns: tuple[str, ...]
    texts: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class RowFilter:
    """What a parameter does to the rows of the unparameterised answer: keep the rows
    where one of ``tests`` holds (one ``# filter:`` line)."""

    parameter: str
    tests: tuple[FilterTest, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the tests read."""
        return tuple(c for t in self.tests for c in t.columns)


@dataclass(frozen=True)
class Resolution:
    """A ``# resolve:`` line: ``parameter`` is looked up with the saved query ``query``,
    whose first column's IRIs are bound to ``?variable``."""

    parameter: str
    variable: str
    query: str


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
    columns: tuple[Column, ...] = field(default_factory=tuple)
    keys: tuple[str, ...] = field(default_factory=tuple)
    filters: tuple[RowFilter, ...] = field(default_factory=tuple)
    resolutions: tuple[Resolution, ...] = field(default_factory=tuple)

    @property
    def filtered_parameters(self) -> tuple[str, ...]:
        """The parameters with ``# filter:`` lines, in order."""
        return tuple(dict.fromkeys(f.parameter for f in self.filters))

    @property
    def stored_parameters(self) -> tuple[str, ...]:
        """The parameters a call can give and still be answered from the stored answer:
        those with ``# filter:`` lines, and resolved ones whose variable has one."""
        filtered = self.filtered_parameters
        resolved = [r.parameter for r in self.resolutions if r.variable in filtered]
        declared = {p.name for p in self.parameters}
        return tuple(dict.fromkeys([*(n for n in filtered if n in declared), *resolved]))

    @property
    def key(self) -> str | None:
        """The (first) column holding the IRI of what each row describes."""
        return self.keys[0] if self.keys else None

    @property
    def form(self) -> str:
        """The query form: ``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``."""
        return query_form(self.sparql)

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name`` (:class:`QueryError` naming the valid ones if none)."""
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def bindings(self, values: Mapping[str, object]) -> dict[str, Node]:
        """Typed RDF terms for the given parameter values (defaults filled in).

        Raises :class:`QueryError` for an unknown parameter, a value of the wrong type or
        a missing required parameter.
        """
        out: dict[str, Node] = {}
        for name, value in values.items():
            param = self.parameter(name)
            if value is None or (isinstance(value, str) and not value.strip()
                                 and param.type != "string"):
                continue
            out[name] = param.to_term(value)
        for p in self.parameters:
            if p.name not in out and p.default is not None:
                out[p.name] = p.to_term(p.default)
        missing = [p.name for p in self.parameters if p.required and p.name not in out]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs parameter(s) {', '.join(missing)} "
                f"(e.g. --param {missing[0]}=…)"
            )
        return out


def query_form(sparql: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the first query keyword outside
    comments, strings and IRIs."""
    code = code_text(sparql)
    m = _FORM.search(code)
    if not m:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    return m.group(1).upper()


def _parse_filter(value: str, where: str) -> RowFilter:
    """A ``# filter:`` line's value: ``PARAM OP COLUMN… [| OP COLUMN…]``."""
    param, _, rest = value.strip().partition(" ")
    tests = [_FILTER_TEST.match(part.strip()) for part in rest.split("|")]
    if not re.fullmatch(r"[A-Za-z_]\w*", param) or not all(
        m and m.group("op") in FILTER_OPS for m in tests
    ):
        raise QueryError(
            f"{where}: bad filter line '# filter: {value}' (expected "
            f"'# filter: PARAM OP COLUMN… [| OP COLUMN…]', OP one of {', '.join(FILTER_OPS)})"
        )
    out: list[FilterTest] = []
    for m in tests:
        assert m is not None
        operands = [part.partition("=") for part in m.group("columns").split()]
        texts = tuple(text if sep else None for _, sep, text in operands)
        takes_text = FILTER_OPS[m.group("op")].takes_text
        if takes_text != all(text is not None for text in texts):
            raise QueryError(f"{where}: bad filter line '# filter: {value}' ({m.group('op')} "
                             f"{'needs' if takes_text else 'takes no'} COLUMN=TEXT operands)")
        out.append(FilterTest(m.group("op"), tuple(c for c, _, _ in operands), texts))
    return RowFilter(param, tuple(out))


def parse_saved_query(name: str, text: str, path: str = "") -> SavedQuery:
    """Read a saved query's header and body.

    Raises :class:`QueryError` (naming the file) for a malformed header line, a parameter
    of unknown type, an invalid default, or a parameter the query never uses.
    """
    where = path or name
    fields: dict[str, list[str]] = {"title": [], "description": [], "example": [], "key": []}
    params: list[Parameter] = []
    columns: list[Column] = []
    filters: list[RowFilter] = []
    resolutions: list[Resolution] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
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
                    raise QueryError(
                        f"{where}:{number}: bad parameter line {line!r} "
                        f"(expected '# param: NAME TYPE [required] [= DEFAULT] DESCRIPTION', "
                        f"TYPE one of {', '.join(PARAM_TYPES)})"
                    )
                param = Parameter(pm.group("name"), pm.group("type"), pm.group("doc").strip(),
                                  pm.group("default"), pm.group("required") is not None)
                if param.default is not None:
                    try:
                        param.to_term(param.default)
                    except QueryError as exc:
                        raise QueryError(f"{where}:{number}: bad default: {exc}") from None
                params.append(param)
            elif key == "filter":
                filters.append(_parse_filter(value, f"{where}:{number}"))
            elif key == "resolve":
                rm = _RESOLVE.match(value)
                if not rm:
                    raise QueryError(f"{where}:{number}: bad resolve line {line!r} (expected "
                                     "'# resolve: PARAM as VARIABLE by QUERY')")
                resolutions.append(Resolution(rm.group("parameter"), rm.group("variable"),
                                              rm.group("query")))
            elif key == "column":
                cm = _COLUMN.match(value)
                if not cm:
                    raise QueryError(f"{where}:{number}: bad column line {line!r}")
                columns.append(Column(cm.group("name"), cm.group("doc").strip()))
            else:
                fields[key].append(value)
            continue
        c = _CONTINUATION.match(line)
        if c and last == "description":
            fields["description"].append(c.group(1))
        elif c and last == "param" and params:
            p = params[-1]
            params[-1] = Parameter(p.name, p.type, f"{p.description} {c.group(1)}".strip(),
                                   p.default, p.required)
        elif c and last == "column" and columns:
            col = columns[-1]
            columns[-1] = Column(col.name, f"{col.description} {c.group(1)}".strip())
    code = code_text(text)
    declared = {p.name for p in params}
    resolved = {r.parameter for r in resolutions}
    targets = {r.variable for r in resolutions}
    for r in resolutions:
        if r.parameter not in declared:
            raise QueryError(f"{where}: resolve line names {r.parameter!r}, which is not a "
                             "declared parameter")
        if not any(r.variable in names for _, names in bind_markers(text)):
            raise QueryError(f"{where}: resolve line binds ?{r.variable}, but no "
                             f"'# @bind: {r.variable}' marker says where")
        if r.parameter in {f.parameter for f in filters}:
            raise QueryError(f"{where}: {r.parameter!r} has a filter line and a resolve "
                             "line; give one")
        if any(o.parameter == r.parameter and o.variable != r.variable for o in resolutions):
            raise QueryError(f"{where}: the resolve lines of {r.parameter!r} bind different "
                             "variables")
    for _, names in bind_markers(text):
        unknown = [n for n in names if n not in declared | targets]
        if unknown:
            raise QueryError(f"{where}: bind marker names {', '.join(unknown)}, which "
                             f"{'is' if len(unknown) == 1 else 'are'} not a declared parameter")
    documented = {c.name for c in columns}
    for f in filters:
        if f.parameter not in declared | targets:
            raise QueryError(f"{where}: filter line names {f.parameter!r}, which is not a "
                             "declared parameter or resolved variable")
        unknown = [c for c in f.columns if documented and c not in documented]
        if unknown:
            raise QueryError(f"{where}: filter line for {f.parameter!r} names "
                             f"{', '.join(unknown)}, not a documented column")
    for p in params:
        if p.name not in resolved and not re.search(rf"[?$]{re.escape(p.name)}\b", code):
            raise QueryError(f"{where}: parameter {p.name!r} is declared but the query never "
                             f"uses ?{p.name}")
    return SavedQuery(
        name=name,
        sparql=text,
        title=" ".join(fields["title"]),
        description=" ".join(fields["description"]),
        parameters=tuple(params),
        examples=tuple(fields["example"]),
        path=path,
        columns=tuple(columns),
        keys=tuple(name for line in fields["key"] for name in line.replace(",", " ").split()),
        filters=tuple(filters),
        resolutions=tuple(resolutions),
    )


@cache
def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query shipped in ``queries/``, by name."""
    out: dict[str, SavedQuery] = {}
    for entry in sorted(queries_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse_saved_query(name, entry.read_text(encoding="utf-8"), entry.name)
    check_resolutions(out)
    return out


def check_resolutions(catalog: Mapping[str, SavedQuery]) -> None:
    """Raise :class:`QueryError` for a ``# resolve:`` line whose query is missing, is not a
    SELECT, or has no parameter of the resolved one's name; or for a cycle of them."""
    for query in catalog.values():
        for r in query.resolutions:
            resolver = catalog.get(r.query)
            where = query.path or query.name
            if resolver is None:
                raise QueryError(f"{where}: resolve line names the query {r.query!r}, which "
                                 "is not a saved query")
            if resolver.form != "SELECT" or r.parameter not in {
                    p.name for p in resolver.parameters}:
                raise QueryError(f"{where}: {r.query!r} must be a SELECT query with a "
                                 f"parameter {r.parameter!r} to resolve it")
    for name in catalog:
        _check_no_cycle(catalog, name, ())


def _check_no_cycle(catalog: Mapping[str, SavedQuery], name: str,
                    path: tuple[str, ...]) -> None:
    """Raise :class:`QueryError` if resolving ``name`` (reached through ``path``) would
    come back to a query on the path."""
    if name in path:
        raise QueryError(f"resolve lines form a cycle: {' -> '.join((*path, name))}")
    for r in catalog[name].resolutions:
        _check_no_cycle(catalog, r.query, (*path, name))


def resolve_query(name_or_file: str) -> SavedQuery:
    """A saved query by name, a ``.rq`` file by path, or inline SPARQL text."""
    catalog = saved_queries()
    if name_or_file in catalog:
        return catalog[name_or_file]
    if re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", name_or_file, re.IGNORECASE):
        return parse_saved_query("inline", name_or_file)
    if name_or_file.endswith(".rq") or "/" in name_or_file:
        path = Path(name_or_file)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return parse_saved_query(path.stem, path.read_text(encoding="utf-8"), str(path))
    close = difflib.get_close_matches(name_or_file, list(catalog), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise QueryError(
        f"no saved query {name_or_file!r}{hint}; saved queries: {', '.join(catalog) or 'none'}"
    )
