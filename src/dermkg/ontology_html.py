"""A self-contained HTML page documenting the ontology (used when pyLODE is not installed).

Every class, property and named individual of the ``dkg:`` namespace with its IRI, label,
definition, axioms (superclasses, equivalent class expressions in Manchester syntax,
disjointness, domains, ranges, inverses, property chains) and its SSSOM alignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from dermkg.alignments import MappingSet
from dermkg.namespaces import DKG, PREFIXES

__all__ = ["manchester", "ontology_page"]

_FACETS = {
    XSD.minInclusive: "≥",
    XSD.minExclusive: ">",
    XSD.maxInclusive: "≤",
    XSD.maxExclusive: "<",
}

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:72rem;
margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{margin-bottom:.2rem} h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.5rem}
.entity{border:1px solid #e3e3e3;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.entity h3{margin:.2rem 0} .iri{font-family:ui-monospace,monospace;font-size:.85rem;color:#555}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #e3e3e3;padding:.3rem .5rem;
vertical-align:top;text-align:left} th{background:#f6f6f6;width:12rem} code{font-size:.9rem}
.defined{background:#eef6ff;border-color:#b7d4f5} nav a{margin-right:1rem}
.toc{columns:4;font-size:.9rem} .toc a{display:block}
"""


def _curie(node: Node) -> str:
    text = str(node)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    if text.startswith("http://purl.obolibrary.org/obo/"):
        return text.rsplit("/", 1)[1].replace("_", ":", 1)
    return text


def _link(g: Graph, node: Node) -> str:
    label = _curie(node)
    if isinstance(node, URIRef) and str(node).startswith(str(DKG)):
        return f'<a href="#{escape(str(node)[len(str(DKG)) :])}">{escape(label)}</a>'
    return f"<code>{escape(label)}</code>"


def manchester(g: Graph, node: Node) -> str:
    """A class expression in Manchester syntax (plain text)."""
    if isinstance(node, URIRef):
        return _curie(node)
    if not isinstance(node, BNode):
        return str(node)
    for op, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
        members = g.value(node, op)
        if members is not None:
            return "(" + word.join(manchester(g, m) for m in Collection(g, members)) + ")"
    one_of = g.value(node, OWL.oneOf)
    if one_of is not None:
        return "{" + ", ".join(_curie(m) for m in Collection(g, one_of)) + "}"
    complement = g.value(node, OWL.complementOf)
    if complement is not None:
        return "not " + manchester(g, complement)
    datatype = g.value(node, OWL.onDatatype)
    if datatype is not None:
        facets = []
        restrictions = g.value(node, OWL.withRestrictions)
        for r in Collection(g, restrictions) if restrictions is not None else []:
            for facet, symbol in _FACETS.items():
                value = g.value(r, facet)
                if value is not None:
                    facets.append(f"{symbol} {value}")
        return f"{_curie(datatype)}[{', '.join(facets)}]"
    prop = g.value(node, OWL.onProperty)
    if prop is not None:
        prop_text = _curie(prop)
        for key, word in (
            (OWL.someValuesFrom, "some"),
            (OWL.allValuesFrom, "only"),
            (OWL.hasValue, "value"),
        ):
            filler = g.value(node, key)
            if filler is not None:
                return f"({prop_text} {word} {manchester(g, filler)})"
        for key, word in (
            (OWL.minCardinality, "min"),
            (OWL.maxCardinality, "max"),
            (OWL.cardinality, "exactly"),
            (OWL.minQualifiedCardinality, "min"),
            (OWL.maxQualifiedCardinality, "max"),
            (OWL.qualifiedCardinality, "exactly"),
        ):
            n = g.value(node, key)
            if n is not None:
                on_class = g.value(node, OWL.onClass)
                tail = f" {manchester(g, on_class)}" if on_class is not None else ""
                return f"({prop_text} {word} {n}{tail})"
    inverse = g.value(node, OWL.inverseOf)
    if inverse is not None:
        return f"inverse({_curie(inverse)})"
    return "[anonymous]"


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    values = [v for v in g.objects(node, prop) if isinstance(v, Literal)]
    return "; ".join(escape(str(v)) for v in sorted(values, key=str))


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows if v)


def _entity(g: Graph, node: URIRef, kind: str, mappings: dict[str, list[str]]) -> str:
    name = str(node)[len(str(DKG)) :]
    label = _text(g, node, RDFS.label) or escape(name)
    rows: list[tuple[str, str]] = [
        ("IRI", f'<span class="iri">{escape(str(node))}</span>'),
        ("definition", _text(g, node, SKOS.definition)),
        ("synonyms", _text(g, node, SKOS.altLabel)),
        ("comment", _text(g, node, RDFS.comment)),
    ]
    equivalents = [manchester(g, e) for e in g.objects(node, OWL.equivalentClass)]
    if kind == "class":
        supers = [o for o in g.objects(node, RDFS.subClassOf)]
        subs = [s for s in g.subjects(RDFS.subClassOf, node) if isinstance(s, URIRef)]
        disjoint = set(g.objects(node, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, node))
        for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
            head = g.value(axiom, OWL.members)
            members = list(Collection(g, head)) if head is not None else []
            if node in members:
                disjoint |= {m for m in members if m != node}
        rows += [
            ("equivalent to", "<br>".join(f"<code>{escape(e)}</code>" for e in equivalents)),
            ("subclass of", ", ".join(_link(g, s) for s in supers if isinstance(s, URIRef))),
            ("superclass of", ", ".join(_link(g, s) for s in sorted(subs))),
            ("disjoint with", ", ".join(_link(g, d) for d in sorted(disjoint, key=str))),
            (
                "instances",
                ", ".join(_link(g, i) for i in sorted(g.subjects(RDF.type, node), key=str)),
            ),
        ]
    elif kind == "individual":
        types = [t for t in g.objects(node, RDF.type) if t != OWL.NamedIndividual]
        rows.append(("type", ", ".join(_link(g, t) for t in types)))
    else:
        chains = [
            " o ".join(manchester(g, p) for p in Collection(g, c))
            for c in g.objects(node, OWL.propertyChainAxiom)
        ]
        rows += [
            (
                "sub-property of",
                ", ".join(_link(g, s) for s in g.objects(node, RDFS.subPropertyOf)),
            ),
            (
                "inverse of",
                ", ".join(
                    _link(g, i)
                    for i in {*g.objects(node, OWL.inverseOf), *g.subjects(OWL.inverseOf, node)}
                ),
            ),
            ("domain", ", ".join(escape(manchester(g, d)) for d in g.objects(node, RDFS.domain))),
            ("range", ", ".join(escape(manchester(g, r)) for r in g.objects(node, RDFS.range))),
            ("property chain", "<br>".join(f"<code>{escape(c)}</code>" for c in chains)),
        ]
    rows.append(("alignments", "<br>".join(mappings.get(f"dkg:{name}", []))))
    css = "entity defined" if equivalents else "entity"
    return (
        f'<div class="{css}" id="{escape(name)}"><h3>{label}</h3><table>{_rows(rows)}</table></div>'
    )


def ontology_page(g: Graph, mappings: MappingSet | None = None) -> str:
    """The whole documentation page for ontology graph ``g``."""
    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)), None)
    title = _text(g, onto, DCTERMS.title) if onto else "ontology"
    by_subject: dict[str, list[str]] = {}
    for m in mappings.mappings if mappings else []:
        conf = f" ({m.confidence:g})" if m.confidence is not None else ""
        by_subject.setdefault(m.subject_id, []).append(
            f"<code>{escape(m.predicate_id)}</code> <code>{escape(m.object_id)}</code> "
            f"{escape(m.object_label)}{conf}"
        )
    sections = [
        ("classes", "Classes", OWL.Class, "class"),
        ("object-properties", "Object properties", OWL.ObjectProperty, "property"),
        ("datatype-properties", "Datatype properties", OWL.DatatypeProperty, "property"),
        ("annotation-properties", "Annotation properties", OWL.AnnotationProperty, "property"),
        ("individuals", "Named individuals", OWL.NamedIndividual, "individual"),
    ]
    meta_rows = []
    if onto is not None:
        meta_rows = [
            ("IRI", escape(str(onto))),
            ("version IRI", escape(str(g.value(onto, OWL.versionIRI) or ""))),
            ("version", escape(str(g.value(onto, OWL.versionInfo) or ""))),
            ("description", _text(g, onto, DCTERMS.description)),
            ("licence", escape(str(g.value(onto, DCTERMS.license) or ""))),
            ("IRI policy", _text(g, onto, RDFS.comment)),
        ]
    nav = " ".join(f'<a href="#{sid}">{name}</a>' for sid, name, _, _ in sections)
    body = [f"<h1>{title}</h1><nav>{nav}</nav><table>{_rows(meta_rows)}</table>"]
    for sid, name, rdf_type, kind in sections:
        entities = sorted(
            s
            for s in g.subjects(RDF.type, rdf_type)
            if isinstance(s, URIRef) and str(s).startswith(str(DKG))
        )
        toc = "".join(
            f'<a href="#{escape(str(e)[len(str(DKG)) :])}">{escape(_curie(e))}</a>'
            for e in entities
        )
        body.append(f'<h2 id="{sid}">{name} ({len(entities)})</h2><div class="toc">{toc}</div>')
        body.extend(_entity(g, e, kind, by_subject) for e in entities)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
