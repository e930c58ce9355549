"""Quality checks of the ontology, the kind ROBOT's ``report`` makes, as plain functions.

Used by the test-suite (tests/test_ontology*.py) and usable from a notebook:

- every ``dkg:`` term that queries, shapes, loaders, code and vocabulary files use is
  declared in the ontology (:func:`undeclared_terms`);
- every declared term has a label and a definition, labels are unique
  (:func:`missing_label_or_definition`, :func:`duplicate_labels`);
- every SSSOM mapping's subject is declared, its object expands to an IRI
  (:func:`dangling_mappings`), and the file's ``curie_map`` agrees with the prefixes in use
  (:func:`curie_map_disagreements`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from dermkg.alignments import Mapping, MappingSet, expand_curie, prefix_iri
from dermkg.namespaces import DKG

__all__ = [
    "DECLARATION_TYPES",
    "curie_map_disagreements",
    "dangling_mappings",
    "declared_terms",
    "defined_classes",
    "duplicate_labels",
    "missing_label_or_definition",
    "query_term_misuse",
    "shape_term_misuse",
    "terms_in_text",
    "undeclared_terms",
]

DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_FULL = re.compile(re.escape(str(DKG)) + _NAME)
_PREFIXED = re.compile(r"(?<![\w/#.-])dkg:" + _NAME)
_PY_ATTR = re.compile(r"\bDKG\." + _NAME)
_PY_ITEM = re.compile(r"\bDKG\[\s*[\"']" + _NAME + r"[\"']\s*\]")
# `DKG.title` etc. are str methods of the rdflib Namespace, never terms.
_STR_ATTRIBUTES = frozenset(dir(str)) | {"term"}


def declared_terms(ontology: Graph) -> set[URIRef]:
    """The ``dkg:`` IRIs the ontology declares (as class, property or named individual)."""
    return {
        s
        for t in DECLARATION_TYPES
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(DKG))
    }


def terms_in_text(text: str, *, python: bool = False) -> set[str]:
    """Local names of the ``dkg:`` terms a text uses (full IRIs and ``dkg:`` CURIEs; in
    Python also attribute and item access on the ``DKG`` namespace object)."""
    found = set(_FULL.findall(text)) | set(_PREFIXED.findall(text))
    if python:
        found |= {n for n in _PY_ATTR.findall(text) if n not in _STR_ATTRIBUTES}
        found |= set(_PY_ITEM.findall(text))
    return found


def undeclared_terms(files: Iterable[Path], declared: set[URIRef]) -> dict[str, set[str]]:
    """``{local name: {file, …}}`` of the ``dkg:`` terms used in ``files`` but not declared."""
    names = {str(d)[len(str(DKG)) :] for d in declared}
    out: dict[str, set[str]] = defaultdict(set)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for name in terms_in_text(text, python=path.suffix == ".py") - names:
            out[name].add(str(path))
    return dict(out)


def _own_entities(ontology: Graph) -> list[URIRef]:
    return sorted(declared_terms(ontology), key=str)


def missing_label_or_definition(ontology: Graph) -> list[str]:
    """Messages for each declared term without an ``rdfs:label`` or a definition."""
    iao_definition = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
    problems = []
    for s in _own_entities(ontology):
        if not any(
            isinstance(v, Literal) and str(v).strip() for v in ontology.objects(s, RDFS.label)
        ):
            problems.append(f"{s}: no rdfs:label")
        definitions = [*ontology.objects(s, SKOS.definition), *ontology.objects(s, iao_definition)]
        if not any(isinstance(v, Literal) and str(v).strip() for v in definitions):
            problems.append(f"{s}: no definition (skos:definition or IAO:0000115)")
    return problems


def duplicate_labels(ontology: Graph) -> dict[str, list[URIRef]]:
    """``{label: [terms]}`` for labels (case-insensitive) that more than one term carries."""
    by_label: dict[str, list[URIRef]] = defaultdict(list)
    for s in _own_entities(ontology):
        for label in ontology.objects(s, RDFS.label):
            by_label[str(label).strip().lower()].append(s)
    return {k: v for k, v in by_label.items() if len(set(v)) > 1}


def defined_classes(ontology: Graph) -> set[URIRef]:
    """The ``dkg:`` classes with an ``owl:equivalentClass`` axiom (inferred, never asserted)."""
    return {
        s
        for s in ontology.subjects(OWL.equivalentClass, None)
        if isinstance(s, URIRef) and str(s).startswith(str(DKG))
    }


def dangling_mappings(mapping_set: MappingSet, declared: set[URIRef]) -> list[tuple[Mapping, str]]:
    """Mappings whose subject is not a declared ``dkg:`` term, or whose CURIEs do not expand."""
    out: list[tuple[Mapping, str]] = []
    for m in mapping_set.mappings:
        subject = expand_curie(m.subject_id)
        if subject is None or URIRef(subject) not in declared:
            out.append((m, f"subject {m.subject_id} is not declared in the ontology"))
        for curie in (m.predicate_id, m.object_id, m.mapping_justification):
            if expand_curie(curie) is None:
                out.append((m, f"{curie} does not expand to an IRI"))
    return out


def curie_map_disagreements(mapping_set: MappingSet) -> dict[str, tuple[str, str | None]]:
    """``{prefix: (IRI in the file, IRI of the prefixes in use)}`` where they differ."""
    out: dict[str, tuple[str, str | None]] = {}
    for prefix, iri in mapping_set.curie_map.items():
        expected = prefix_iri(prefix)
        if expected != iri:
            out[prefix] = (iri, expected)
    return out


def _kinds(ontology: Graph) -> tuple[set[URIRef], set[URIRef]]:
    """(declared dkg classes, declared dkg properties)."""
    own = declared_terms(ontology)
    classes = {t for t in own if (t, RDF.type, OWL.Class) in ontology}
    properties = {
        t
        for t in own
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        if (t, RDF.type, kind) in ontology
    }
    return classes, properties


def _path_iris(node: object) -> list[URIRef]:
    """The IRIs inside a SPARQL property path (or the IRI itself)."""
    if isinstance(node, URIRef):
        return [node]
    found: list[URIRef] = []
    for attr in ("args", "arg", "path"):
        value = getattr(node, attr, None)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item is not node:
                found.extend(_path_iris(item))
    return found


def _bgp_triples(node: object, out: list[tuple[object, object, object]]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "BGP":
            out.extend(node.triples)
        for value in node.values():
            _bgp_triples(value, out)
    elif isinstance(node, list | tuple):
        for value in node:
            _bgp_triples(value, out)
    elif isinstance(node, dict):
        for value in node.values():
            _bgp_triples(value, out)


def query_term_misuse(query: str, ontology: Graph) -> list[str]:
    """Messages for ``dkg:`` terms a SPARQL query uses as the wrong kind: a predicate that
    is not a declared property, an ``rdf:type`` object that is not a declared class."""
    from rdflib.plugins.sparql import prepareQuery

    from dermkg.namespaces import PREFIXES

    classes, properties = _kinds(ontology)
    parsed = prepareQuery(query, initNs=PREFIXES)
    triples: list[tuple[object, object, object]] = []
    _bgp_triples(parsed.algebra, triples)
    problems = []
    for _, predicate, obj in triples:
        for iri in _path_iris(predicate):
            if str(iri).startswith(str(DKG)) and iri not in properties:
                problems.append(f"{iri} is used as a predicate but is not a declared property")
        is_dkg = isinstance(obj, URIRef) and str(obj).startswith(str(DKG))
        if predicate == RDF.type and is_dkg and obj not in classes:
            problems.append(f"{obj} is used as a class (rdf:type) but is not a declared class")
    return sorted(set(problems))


def shape_term_misuse(shapes: Graph, ontology: Graph) -> list[str]:
    """Messages for ``dkg:`` terms SHACL shapes use as the wrong kind: ``sh:path`` must name
    properties, ``sh:targetClass`` and ``sh:class`` classes."""
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    classes, properties = _kinds(ontology)

    def path_iris(node: Node) -> list[URIRef]:
        if isinstance(node, URIRef):
            return [node]
        found: list[URIRef] = []
        if not isinstance(node, BNode):
            return found
        if (node, RDF.first, None) in shapes:
            for item in Collection(shapes, node):
                found.extend(path_iris(item))
        for key in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
            for value in shapes.objects(node, key):
                found.extend(path_iris(value))
        for value in shapes.objects(node, SH.alternativePath):
            found.extend(path_iris(value))
        return found

    problems = []
    for path in shapes.objects(None, SH.path):
        for iri in path_iris(path):
            if str(iri).startswith(str(DKG)) and iri not in properties:
                problems.append(f"sh:path {iri} is not a declared property")
    for key in (SH.targetClass, SH["class"]):
        for cls in shapes.objects(None, key):
            if isinstance(cls, URIRef) and str(cls).startswith(str(DKG)) and cls not in classes:
                problems.append(f"{key} {cls} is not a declared class")
    return sorted(set(problems))
