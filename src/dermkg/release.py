"""Release files generated from the ontology source (``ontology/dermkg.ttl``).

:func:`write_release` writes, into one folder:

- ``dermkg.ttl``: the Turtle source as it is (comments kept);
- ``dermkg.owl``: RDF/XML, for Protégé and the OWL API;
- ``dermkg.jsonld``: the ontology as JSON-LD;
- ``context.jsonld``: a JSON-LD context for dermkg data (a term per class, property and
  named individual, typed values, ``@vocab`` values for enumerations such as routes);
- ``mappings.sssom.tsv`` and ``mappings.ttl``: the alignments, as SSSOM and as RDF;
- ``index.html``: documentation, by pyLODE when it is installed (the ``docs`` extra),
  otherwise by :mod:`dermkg.ontology_html`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from dermkg.alignments import MAPPINGS_FILE, mappings_graph, read_mappings
from dermkg.errors import DermkgError
from dermkg.namespaces import DKG, PREFIXES
from dermkg.resources import ontology_file

ONTOLOGY_FILE = "dermkg.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/dermkg/ontology")

__all__ = [
    "ONTOLOGY_FILE",
    "ONTOLOGY_IRI",
    "ReleaseFiles",
    "json_ld_context",
    "mappings_graph",
    "ontology_source",
    "write_release",
]

log = logging.getLogger(__name__)
_HTML_MODES = ("auto", "pylode", "builtin")


@dataclass
class ReleaseFiles:
    """What :func:`write_release` wrote."""

    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    html_generator: str = ""
    version: str = ""


def ontology_source() -> str:
    """The Turtle text of ``ontology/dermkg.ttl``."""
    return ontology_file(ONTOLOGY_FILE).read_text(encoding="utf-8")


def _ontology() -> Graph:
    g = Graph()
    g.parse(data=ontology_source(), format="turtle")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


def json_ld_context(ontology: Graph | None = None) -> dict[str, Any]:
    """A JSON-LD context for dermkg data: prefixes plus one term per ``dkg:`` entity.

    Object properties get ``"@type": "@id"`` (``"@vocab"`` when their range is an
    enumeration of named individuals, so ``"route": "TopicalRoute"`` works); datatype
    properties get their XSD range as ``@type``.
    """
    g = ontology if ontology is not None else _ontology()
    ctx: dict[str, Any] = {p: ns for p, ns in sorted(PREFIXES.items())}
    enum_classes = {
        c
        for i in g.subjects(RDF.type, OWL.NamedIndividual)
        for c in g.objects(i, RDF.type)
        if c != OWL.NamedIndividual
    }
    dkg = str(DKG)

    def own(kind: URIRef) -> list[URIRef]:
        found = (s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef))
        return sorted((s for s in found if str(s).startswith(dkg)), key=str)

    def local(iri: URIRef) -> str:
        return str(iri)[len(dkg) :]

    for s in own(OWL.Class) + own(OWL.NamedIndividual):
        ctx[local(s)] = f"dkg:{local(s)}"
    for s in own(OWL.ObjectProperty):
        ranges = set(g.objects(s, RDFS.range))
        value_type = "@vocab" if ranges and ranges <= enum_classes else "@id"
        ctx[local(s)] = {"@id": f"dkg:{local(s)}", "@type": value_type}
    for s in own(OWL.DatatypeProperty):
        term: dict[str, str] = {"@id": f"dkg:{local(s)}"}
        rng = g.value(s, RDFS.range)
        if isinstance(rng, URIRef) and str(rng).startswith(str(XSD)):
            term["@type"] = f"xsd:{str(rng)[len(str(XSD)) :]}"
        ctx[local(s)] = term
    for s in own(OWL.AnnotationProperty):
        ctx[local(s)] = {"@id": f"dkg:{local(s)}", "@type": "@id"}
    # Terms of the W3C vocabularies every dermkg record uses (docs/model.md).
    ctx.update(
        {
            "label": "rdfs:label",
            "prefLabel": "skos:prefLabel",
            "altLabel": {"@id": "skos:altLabel", "@container": "@set"},
            "exactMatch": {"@id": "skos:exactMatch", "@type": "@id", "@container": "@set"},
            "closeMatch": {"@id": "skos:closeMatch", "@type": "@id", "@container": "@set"},
            "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
            "hasSource": {"@id": "oa:hasSource", "@type": "@id"},
            "hasSelector": {"@id": "oa:hasSelector", "@type": "@id"},
            "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
            "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
            "exact": "oa:exact",
            "identifier": "dcterms:identifier",
            "title": "dcterms:title",
            "date": "dcterms:date",
            "TextPositionSelector": "oa:TextPositionSelector",
            "TextQuoteSelector": "oa:TextQuoteSelector",
        }
    )
    return {"@context": ctx}


def write_release(out_dir: Path | str, *, html: str = "auto") -> ReleaseFiles:
    """Write the release files into ``out_dir`` (created if needed).

    ``html``: ``"auto"`` (pyLODE when installed, else the built-in page), ``"pylode"``
    (fail without pyLODE) or ``"builtin"``.
    """
    if html not in _HTML_MODES:
        raise DermkgError(f"unknown documentation generator {html!r} (auto, pylode, builtin)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = _ontology()
    version = str(g.value(ONTOLOGY_IRI, OWL.versionInfo) or "")
    result = ReleaseFiles(out, version=version)

    def write(name: str, text: str) -> None:
        path = out / name
        path.write_text(text, encoding="utf-8")
        result.files[name] = path

    write("dermkg.ttl", ontology_source())
    write("dermkg.owl", g.serialize(format="xml"))
    write("dermkg.jsonld", g.serialize(format="json-ld", indent=2))
    write("context.jsonld", json.dumps(json_ld_context(g), indent=2, ensure_ascii=False) + "\n")
    write(MAPPINGS_FILE, ontology_file(MAPPINGS_FILE).read_text(encoding="utf-8"))
    mappings = mappings_graph(read_mappings())
    for prefix, ns in PREFIXES.items():
        mappings.bind(prefix, ns, override=True)
    write("mappings.ttl", mappings.serialize(format="turtle"))
    page, generator = _documentation(html)
    write("index.html", page)
    result.html_generator = generator
    return result


def _documentation(mode: str) -> tuple[str, str]:
    """The HTML page and the name of what made it."""
    if mode in {"auto", "pylode"}:
        try:
            return _pylode_page(), "pyLODE"
        except ImportError:
            if mode == "pylode":
                raise DermkgError("pyLODE is not installed: pip install 'dermkg[docs]'") from None
        except Exception as exc:  # pyLODE failing must not fail a release
            if mode == "pylode":
                raise DermkgError(f"pyLODE failed: {exc}") from exc
            log.warning("pyLODE failed (%s); writing the built-in documentation page", exc)
    from dermkg.ontology_html import ontology_page

    return ontology_page(_ontology(), mappings=read_mappings()), "dermkg"


def _pylode_page() -> str:
    import tempfile

    from pylode import OntPub

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / ONTOLOGY_FILE
        src.write_text(ontology_source(), encoding="utf-8")
        page = OntPub(str(src)).make_html()
    return str(page)
