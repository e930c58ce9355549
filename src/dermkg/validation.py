"""SHACL validation of facts with the shapes in ``ontology/shapes.ttl`` (pyshacl).

:func:`validate` checks a data graph (the ontology mixed in, so that ``sh:class`` follows
``rdfs:subClassOf``); :class:`ValidationOutcome` holds the standard ``sh:ValidationReport``
and the results as :class:`ValidationIssue` rows; :func:`render_outcome` prints it as a
table, Turtle or JSON-LD. Severity policy: docs/validation.md.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.plugins.sparql import processor as sparql_processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node, Variable

from dermkg.graph.convert import from_ox, to_ox
from dermkg.namespaces import PREFIXES
from dermkg.ontology_graphs import ontology_graph
from dermkg.resources import ontology_file

if TYPE_CHECKING:
    from dermkg.graph.backend import GraphStore

OUTPUT_FORMATS = ("table", "turtle", "json")
"""The formats :func:`render_outcome` writes."""


@dataclass(frozen=True)
class ValidationIssue:
    """One SHACL validation result."""

    focus: str
    path: str
    value: str
    severity: str
    message: str
    shape: str
    label: str = ""
    """The focus node's rdfs:label (or skos:prefLabel) when the data has one."""


@dataclass
class ValidationOutcome:
    """What validation found: ``conforms`` is False only when there is a violation."""

    conforms: bool
    issues: list[ValidationIssue] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)
    focus_checked: int | None = None
    """How many focus nodes an incremental validation checked (None: the whole graph)."""

    @property
    def violations(self) -> list[ValidationIssue]:
        """The issues of severity Violation."""
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        """The issues of severity Warning or Info."""
        return [i for i in self.issues if i.severity != "Violation"]


@cache
def _shapes() -> Graph:
    g = Graph()
    g.parse(data=ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def load_shapes() -> Graph:
    """The SHACL shapes shipped in ``ontology/shapes.ttl`` (shared; do not modify)."""
    return _shapes()


@cache
def _default_ontology() -> Graph:
    return ontology_graph()


# -- a parse cache for SHACL-SPARQL constraints ---------------------------------------------
# pyshacl hands rdflib the same SPARQL text once per focus node, and rdflib parses it anew
# every time (~25 ms with pyparsing), which made SPARQL-based constraints 95% of the
# validation time. Parsing the text once and evaluating the prepared query with the focus
# node bound gives the same answers.

_cache_lock = threading.Lock()
_patched = 0


@lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: frozenset[tuple[str, Any]]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


def _cached_query(
    self: sparql_processor.SPARQLProcessor,
    strOrQuery: str | Query,
    initBindings: Any = None,
    initNs: Any = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Any:
    if isinstance(strOrQuery, str):
        strOrQuery = _prepared(strOrQuery, base, frozenset((initNs or {}).items()))
    return _ORIGINAL_QUERY(self, strOrQuery, initBindings, initNs, base, DEBUG)


_ORIGINAL_QUERY: Callable[..., Any] = sparql_processor.SPARQLProcessor.query


@contextlib.contextmanager
def _sparql_parse_cache() -> Iterator[None]:
    global _patched
    with _cache_lock:
        _patched += 1
        sparql_processor.SPARQLProcessor.query = _cached_query  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _cache_lock:
            _patched -= 1
            if _patched == 0:
                sparql_processor.SPARQLProcessor.query = _ORIGINAL_QUERY  # type: ignore[method-assign]


# -- SPARQL-based constraints evaluated once per graph -------------------------------------
# pyshacl evaluates a SPARQL-based constraint once per focus node, with rdflib's SPARQL
# engine (1 to 2 ms each: 60 % of a screening). A constraint whose query projects $this,
# uses no other pre-bound variable and binds $this in a triple pattern of every solution
# (all of ours) is evaluated here ONCE over the whole data graph, with Oxigraph and $this
# left free; its solutions are grouped by $this and each focus node gets those that bind
# $this to it: the same answer as pre-binding $this (SHACL 5.3.1). Any other query falls
# back to pyshacl's own evaluation. The results are made by pyshacl itself (same
# messages, severities and report shape).

_BatchRows = dict[Node, list[tuple[Node | None, Node | None, Node | None, dict[str, Node]]]]
_batch = threading.local()
_SELECT_THIS = re.compile(r"SELECT\s+(DISTINCT\s+)?[^{]*\$this\b", re.IGNORECASE)
_FAILURE = re.compile(r"[$?]failure\b")


def _oxigraph_copy(graph: Graph) -> ox.Store:
    """The data graph in an in-memory Oxigraph store (made once per validation)."""
    cache: dict[int, tuple[Graph, ox.Store]] = _batch.__dict__.setdefault("stores", {})
    hit = cache.get(id(graph))
    if hit is not None and hit[0] is graph:
        return hit[1]
    store = ox.Store()
    triples: Iterable[tuple[Node, Node, Node]] = graph.triples((None, None, None))
    if isinstance(graph, ConjunctiveGraph):
        triples = ((q[0], q[1], q[2]) for q in graph.quads((None, None, None, None)))
    store.bulk_extend(  # the union of the named graphs, as pyshacl queries it
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph())  # type: ignore[arg-type]
        for s, p, o in triples
    )
    cache[id(graph)] = (graph, store)
    return store


_PASS_THROUGH = {"SelectQuery", "Project", "Distinct", "Reduced", "Slice", "OrderBy",
                 "ToMultiSet", "Filter", "Graph", "Extend", "Group", "AggregateJoin"}


def _certain_variables(node: Any) -> set[Variable]:
    """Variables that every solution of an algebra expression binds from a triple pattern
    (conservative: empty for what is not understood)."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return {t for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _certain_variables(node.p1) | _certain_variables(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _certain_variables(node.p1)
    if name == "Union":
        return _certain_variables(node.p1) & _certain_variables(node.p2)
    if name in _PASS_THROUGH:
        return _certain_variables(node.p)
    return set()


@lru_cache(maxsize=256)
def _binds_this(text: str) -> bool:
    """Whether every solution of the query binds $this in a triple pattern: then evaluating
    it with $this free and keeping the solutions for a focus node is pre-binding $this."""
    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception:  # pyparsing's errors: pyshacl will report the query itself
        return False
    return Variable("this") in _certain_variables(algebra)


def _rows_by_focus(helper: Any, graph: Graph) -> _BatchRows | None:
    """The constraint's solutions over the whole graph, by $this (None: not batchable)."""
    key = (id(helper), id(graph))
    rows_cache: dict[tuple[int, int], tuple[Any, Graph, _BatchRows | None]] = (
        _batch.__dict__.setdefault("rows", {}))
    hit = rows_cache.get(key)
    if hit is not None and hit[0] is helper and hit[1] is graph:
        return hit[2]
    rows: _BatchRows | None = None
    try:
        binds, text = helper.pre_bind_variables(URIRef("urn:dermkg:focus"))
    except Exception:  # whatever pyshacl refuses here, it refuses again itself
        binds, text = {"unsupported": True}, ""
    head = text.split("{", 1)[0]  # the projection
    if (set(binds) == {"this"} and _SELECT_THIS.search(head) and not _FAILURE.search(head)
            and _binds_this(helper.apply_prefixes(text))):
        rows = {}
        answer = _oxigraph_copy(graph).query(helper.apply_prefixes(text))
        assert isinstance(answer, ox.QuerySolutions)
        names = [v.value for v in answer.variables]
        for solution in answer:
            bound = {n: from_ox(solution[n]) for n in names if solution[n] is not None}
            this = bound.pop("this", None)
            if this is None:
                rows = None  # a solution without $this: evaluate per focus node instead
                break
            path, value = bound.pop("path", None), bound.pop("value", None)
            found = rows.setdefault(this, [])
            if (this, path, value, bound) not in found:
                found.append((this, path, value, bound))
    rows_cache[key] = (helper, graph, rows)  # held: their ids stay theirs
    return rows


def _batched_sparql_constraint(
    self: Any, sparql_constraint: Any, target_graph: Graph, f_v_dict: dict[Node, Any]
) -> tuple[bool, list[Any]]:
    rows = _rows_by_focus(sparql_constraint, target_graph)
    if rows is None:
        return _ORIGINAL_SPARQL_CONSTRAINT(self, sparql_constraint, target_graph, f_v_dict)
    reports = []
    kwargs = {"source_constraint": sparql_constraint.node,
              "extra_messages": sparql_constraint.messages or None}
    result_val_is_focus = not self.shape.is_property_shape
    for f in f_v_dict:
        for t, path, value, bound in rows.get(f, ()):
            if value is None and result_val_is_focus:
                value = f
            reports.append(self.make_v_result(
                target_graph, t or f, value_node=value, result_path=path,
                bound_vars=(t, path, value, bound), **kwargs))
    return bool(reports), reports


_ORIGINAL_SPARQL_CONSTRAINT: Callable[..., Any] = (
    SPARQLBasedConstraint._evaluate_sparql_constraint
)


@contextlib.contextmanager
def _batched_sparql() -> Iterator[None]:
    """SPARQL-based constraints evaluated once per data graph during the block."""
    global _batched
    with _cache_lock:
        _batched += 1
        SPARQLBasedConstraint._evaluate_sparql_constraint = _batched_sparql_constraint  # type: ignore[method-assign]
    try:
        yield
    finally:
        _batch.__dict__.pop("stores", None)
        _batch.__dict__.pop("rows", None)
        with _cache_lock:
            _batched -= 1
            if _batched == 0:
                SPARQLBasedConstraint._evaluate_sparql_constraint = (  # type: ignore[method-assign]
                    _ORIGINAL_SPARQL_CONSTRAINT
                )


_batched = 0


# -- validating -----------------------------------------------------------------------------


def _label(data: Graph, node: Node | None) -> str:
    """The node's label; else what it is ("efficacy result"), from its class's label."""
    if node is None:
        return ""
    for prop in (RDFS.label, SKOS.prefLabel, RDFS.comment):
        value = data.value(node, prop)
        if value is not None:
            return str(value)
    onto = _default_ontology()
    kinds = sorted(str(onto.value(cls, RDFS.label) or "") for cls in data.objects(node, RDF.type))
    kinds = [k for k in kinds if k]
    return f"({', '.join(kinds)})" if kinds else ""


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        return str(node)
    # a path expression (blank node in the report): describe it briefly
    return str(node)


def _path_text(report: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return str(path)
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        from rdflib.collection import Collection

        return " | ".join(str(p) for p in Collection(report, alternatives))
    return _text(path)


@cache
def _shape_level_messages() -> frozenset[str]:
    shapes = load_shapes()
    return frozenset(
        str(m) for shape in shapes.subjects(RDF.type, SH.NodeShape)
        for m in shapes.objects(shape, SH.message)
    )


def _message(report: Graph, result: Node) -> str:
    """The most specific message of a result: a constraint's own message wins over the
    general one of its node shape (engines may report both)."""
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    specific = [m for m in messages if m not in _shape_level_messages()]
    return (specific or messages or [""])[0]


def issues_of(report: Graph, data: Graph | None = None) -> list[ValidationIssue]:
    """The results of a ``sh:ValidationReport`` graph, violations first."""
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(r, SH.resultSeverity)
        focus = report.value(r, SH.focusNode)
        out.append(
            ValidationIssue(
                focus=_text(focus),
                path=_path_text(report, report.value(r, SH.resultPath)),
                value=_text(report.value(r, SH.value)),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                message=_message(report, r),
                shape=_text(report.value(r, SH.sourceShape)),
                label=_label(data, focus) if data is not None else "",
            )
        )
    return sorted(out, key=lambda i: (i.severity != "Violation", i.focus, i.path, i.value))


def _drop_results(report: Graph, keep: Callable[[Node], bool]) -> Graph:
    """A copy of ``report`` without the results whose focus node ``keep`` rejects."""
    out = Graph()
    for prefix, ns in report.namespaces():
        out.bind(prefix, ns)
    dropped: set[Node] = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        if focus is not None and not keep(focus):
            dropped.add(r)
    reachable: set[Node] = set()
    for root in report.subjects(RDF.type, SH.ValidationReport):
        stack: list[Node] = [root]
        while stack:
            node = stack.pop()
            if node in reachable:
                continue
            reachable.add(node)
            for _, p, o in report.triples((node, None, None)):
                if p == SH.result and o in dropped:
                    continue
                if isinstance(o, BNode | URIRef) and (o, None, None) in report:
                    stack.append(o)
    for s, p, o in report:
        if s in reachable and not (p == SH.result and o in dropped):
            out.add((s, p, o))
    return out


def focused_shapes(
    shapes: Graph, data: Graph, ontology: Graph, focus: Collection[Node]
) -> Graph:
    """``shapes`` with each ``sh:targetClass`` replaced by ``sh:targetNode`` of the focus
    nodes that are instances of that class (rdfs:subClassOf* as in the ontology).

    Standard SHACL with the same meaning restricted to ``focus``: the rest of the data
    (what the focus nodes reference) is read by the constraints but not validated itself.
    """
    supers: dict[Node, set[Node]] = {}

    def closure(cls: Node) -> set[Node]:
        if cls not in supers:
            seen = {cls}
            for graph in (ontology, data):
                seen |= set(graph.transitive_objects(cls, RDFS.subClassOf))  # type: ignore[arg-type]
            supers[cls] = seen
        return supers[cls]

    classes_of: dict[Node, set[Node]] = {}
    for node in focus:
        for cls in data.objects(node, RDF.type):
            for sup in closure(cls):
                classes_of.setdefault(sup, set()).add(node)
    out = Graph()
    out += shapes
    for shape, cls in list(out.subject_objects(SH.targetClass)):
        out.remove((shape, SH.targetClass, cls))
        for node in classes_of.get(cls, ()):
            out.add((shape, SH.targetNode, node))
    return out


def validate(
    data: Graph,
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    *,
    focus: Collection[Node] | None = None,
) -> ValidationOutcome:
    """Validate ``data`` (with the ontology's class hierarchy) against the shapes.

    ``ontology`` defaults to the shipped ontology. With ``focus``, only results about those
    focus nodes are kept (incremental validation: ``data`` holds the new facts plus the
    descriptions they reference, which need not be complete themselves).
    """
    onto = ontology if ontology is not None else _default_ontology()
    shapes_graph = shapes if shapes is not None else load_shapes()
    if focus is not None:
        shapes_graph = focused_shapes(shapes_graph, data, onto, focus)
    with _sparql_parse_cache(), _batched_sparql():
        conforms, report, _ = shacl_validate(
            data,
            shacl_graph=shapes_graph,
            ont_graph=onto,
            inference="none",
            allow_warnings=True,
            advanced=False,  # Core + SHACL-SPARQL only: no SHACL-AF feature is used
        )
    assert isinstance(report, Graph)
    if focus is not None:
        wanted = set(focus)
        report = _drop_results(report, lambda node: node in wanted)
        root = next(report.subjects(RDF.type, SH.ValidationReport), None)
        issues = issues_of(report, data)
        conforms = not any(i.severity == "Violation" for i in issues)
        if root is not None:
            report.set((root, SH.conforms, Literal(conforms)))
        return ValidationOutcome(conforms, issues, report, focus_checked=len(wanted))
    return ValidationOutcome(bool(conforms), issues_of(report, data), report)


GROUP_TRIPLES = 50_000
"""Triples of named graphs validated together by :func:`validate_graphs`."""


def _subject_index(graphs: Mapping[URIRef, Graph]) -> dict[Node, list[URIRef]]:
    index: dict[Node, list[URIRef]] = {}
    for name, g in graphs.items():
        for s in set(g.subjects()):
            index.setdefault(s, []).append(name)
    return index


def _groups(graphs: Mapping[URIRef, Graph], size: int) -> list[list[URIRef]]:
    groups: list[list[URIRef]] = [[]]
    count = 0
    for name, g in graphs.items():
        if groups[-1] and count + len(g) > size:
            groups.append([])
            count = 0
        groups[-1].append(name)
        count += len(g)
    return [g for g in groups if g]


def _merge_reports(outcomes: list[ValidationOutcome]) -> ValidationOutcome:
    report = Graph()
    root = BNode()
    conforms = all(o.conforms for o in outcomes)
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    for o in outcomes:
        for prefix, ns in o.report.namespaces():
            report.bind(prefix, ns)
        old_roots = set(o.report.subjects(RDF.type, SH.ValidationReport))
        for s, p, obj in o.report:
            if s in old_roots:
                if p == SH.result:
                    report.add((root, SH.result, obj))
                continue
            report.add((s, p, obj))
    issues = sorted((i for o in outcomes for i in o.issues),
                    key=lambda i: (i.severity != "Violation", i.focus, i.path, i.value))
    return ValidationOutcome(conforms, issues, report)


def validate_graphs(
    graphs: Mapping[URIRef, Graph],
    ontology: Graph | None = None,
    shapes: Graph | None = None,
    *,
    group_triples: int = GROUP_TRIPLES,
) -> ValidationOutcome:
    """Validate the union of named ``graphs`` (a whole store) a group of graphs at a time.

    Each node is validated once, with every statement about it (from whichever graph) and
    every statement about the nodes it references: a node described in one graph is
    validated with its group, a node described in several graphs (a study shared by
    documents) in a last pass. The answer is that of validating the union when, as for
    every shape of ``ontology/shapes.ttl``, a constraint reads the focus node's statements
    and those of the nodes they reference (one hop); validation time then grows linearly
    and memory with the group, not with the union.
    """
    onto = ontology if ontology is not None else _default_ontology()
    described_in = _subject_index(graphs)
    shared = {s for s, names in described_in.items() if len(names) > 1}

    def description(nodes: Iterable[Node], data: Graph, skip: set[URIRef]) -> None:
        for node in nodes:
            for name in described_in.get(node, ()):
                if name not in skip:
                    data += graphs[name].triples((node, None, None))

    outcomes: list[ValidationOutcome] = []
    for group in _groups(graphs, group_triples):
        members = set(group)
        data = Graph()
        for name in group:
            data += graphs[name]
        focus = {s for s in data.subjects() if s not in shared}
        referenced = {o for o in data.objects() if not isinstance(o, Literal)}
        description(referenced, data, members)
        if focus:
            outcomes.append(validate(data, onto, shapes, focus=focus))
    if shared:
        data = Graph()
        description(shared, data, set())
        referenced = {o for o in data.objects() if not isinstance(o, Literal)}
        description(referenced, data, set())
        outcomes.append(validate(data, onto, shapes, focus=shared))
    if not outcomes:
        return validate(Graph(), onto, shapes)
    return _merge_reports(outcomes)


def validate_store(
    store: GraphStore, shapes: Graph | None = None, *, group_triples: int = GROUP_TRIPLES
) -> ValidationOutcome:
    """Validate every graph of a built store (the vocabulary, document and source graphs;
    the ontology is the class hierarchy; mappings and inferred facts are not validated)
    with :func:`validate_graphs`."""
    from dermkg.namespaces import INFERRED_GRAPH, MAPPINGS_GRAPH, ONTOLOGY_GRAPH

    left_out = {str(MAPPINGS_GRAPH), str(INFERRED_GRAPH), str(ONTOLOGY_GRAPH)}
    names = [URIRef(n) for n in store.graph_sizes() if n and n not in left_out]
    graphs = {name: store.graph(name) for name in names}
    ontology = store.graph(ONTOLOGY_GRAPH)
    return validate_graphs(graphs, ontology if len(ontology) else None, shapes,
                           group_triples=group_triples)


def focus_nodes(outcome: ValidationOutcome) -> set[URIRef]:
    """The focus nodes of the violations."""
    return {URIRef(i.focus) for i in outcome.violations if i.focus and not i.focus.startswith("_:")}


# -- rendering ------------------------------------------------------------------------------


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    if iri.startswith(str(SH)):
        return "sh:" + iri[len(str(SH)):]
    return iri


def issue_rows(outcome: ValidationOutcome) -> list[dict[str, str]]:
    """The issues as plain rows (focus, label, path, value, severity, message), IRIs shortened."""
    return [
        {
            "focus": _short(i.focus),
            "label": i.label,
            "path": " | ".join(_short(p) for p in i.path.split(" | ")) if i.path else "",
            "value": _short(i.value),
            "severity": i.severity,
            "message": i.message,
        }
        for i in outcome.issues
    ]


def render_outcome(outcome: ValidationOutcome, fmt: str) -> str:
    """The outcome as ``turtle`` (the sh:ValidationReport) or ``json`` (JSON-LD of it)."""
    report = outcome.report
    report.bind("sh", SH)
    for prefix, ns in PREFIXES.items():
        report.bind(prefix, ns)
    if fmt == "turtle":
        return report.serialize(format="turtle")
    if fmt == "json":
        return report.serialize(format="json-ld", indent=2)
    if fmt == "rows":
        return json.dumps([asdict(i) for i in outcome.issues], indent=2)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
