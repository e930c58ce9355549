"""Namespaces and well-known IRIs of dermkg (see docs/model.md)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DKG = Namespace("https://w3id.org/dermkg/ontology#")
"""Classes and properties of the dermkg ontology."""
DKGR = Namespace("https://w3id.org/dermkg/resource/")
"""Instances: vocabulary entities, studies, claims and evidence spans."""
DKGD = Namespace("https://w3id.org/dermkg/document/")
"""Documents, ``DKGD[doc_id]``."""
DKGG = Namespace("https://w3id.org/dermkg/graph/")
"""Named graphs."""
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("http://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")

ONTOLOGY_GRAPH = URIRef(DKGG["ontology"])
MAPPINGS_GRAPH = URIRef(DKGG["mappings"])
VOCABULARY_GRAPH = URIRef(DKGG["vocabulary"])
INFERRED_GRAPH = URIRef(DKGG["inferred"])


def document_graph(doc_id: str) -> URIRef:
    """The named graph holding everything extracted from document ``doc_id``."""
    return URIRef(DKGG[f"document/{doc_id}"])


def source_graph(name: str) -> URIRef:
    """The named graph holding the facts added with ``dermkg add --source NAME``."""
    return URIRef(DKGG[f"source/{name}"])


def document_iri(doc_id: str) -> URIRef:
    """The IRI of document ``doc_id`` (it ends with the id)."""
    return URIRef(DKGD[doc_id])


PREFIXES: dict[str, str] = {
    "dkg": str(DKG),
    "dkgr": str(DKGR),
    "dkgd": str(DKGD),
    "dkgg": str(DKGG),
    "oa": str(OA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
    "obo": str(OBO),
}
"""Prefixes bound when serialising and available to every query."""

__all__ = [
    "DKG",
    "DKGD",
    "DKGG",
    "DKGR",
    "INFERRED_GRAPH",
    "MAPPINGS_GRAPH",
    "OA",
    "OBO",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "SCHEMA",
    "VOCABULARY_GRAPH",
    "document_graph",
    "document_iri",
    "source_graph",
]
