"""OWL reasoning over the ontology and the facts: consistency, classification, inferred facts.

:func:`reason` writes the union of the ontology, vocabulary and document graphs as
N-Triples (annotations and literals outside the OWL 2 datatype map left out), runs the
HermiT that owlready2 ships (consistency, classification, realisation) and returns what is
NEW: the named classes each individual belongs to (the defined classes such as
``dkg:JAKInhibitor`` or ``dkg:PaediatricStudy`` and every named superclass), and the object
property values entailed by sub-properties, inverses and property chains.

HermiT is started directly (``-c -I``) rather than through ``owlready2.sync_reasoner``,
which also classifies the property hierarchies and computes every property value
(``-O -D -Y``): that took two to three times as long on the seed build for nothing this
ontology needs (its property hierarchy is asserted, and its property axioms are
sub-properties, inverses and chains, closed in Python here).

Scaling (HermiT's realisation grows faster than linearly with the individuals of a run):
the reasoner is given only the facts that can take part in an axiom (a type whose class,
or a value whose property, is in the ontology's :func:`axiom_signature`; the TBox stays
whole), and :func:`reason_graphs` reasons over the documents a group at a time
(:func:`reason_in_groups`): documents that mention the same individual (a study merged
by its NCT id) are in one group, every run also gets the ontology, the vocabulary and the
classes, literals and shared links of the shared individuals, and a class inferred for a
shared individual in one group is given to every group in another round. This is exact
when the inferences are local (:func:`inferences_are_local` checks the TBox: no universal
restrictions, cardinalities, keys, functional or transitive properties, sameAs); else one
run. tests/test_reasoning.py checks that the inferred graph equals one full run's.

An inconsistency is explained with Pellet (``pellet explain --inconsistent``, shipped with
owlready2): the explanation's axioms and the full IRIs of the individuals in them go into
the outcome. HermiT and Pellet need a Java runtime; without one the outcome says
"reasoning skipped: no Java runtime" and nothing else is affected.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from dermkg.errors import ReasonerError

if TYPE_CHECKING:
    from dermkg.graph.backend import GraphStore

Triple = tuple[Node, Node, Node]

# The datatypes of the OWL 2 datatype map (OWL 2 Structural Specification, section 4).
# Literals of any other datatype (xsd:date, xsd:gYear, xsd:gYearMonth …) are left out of
# the reasoner's input: HermiT rejects them and no axiom of the ontology depends on them.
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    {
        RDFS.Literal,
        URIRef(_RDF + "PlainLiteral"),
        URIRef(_RDF + "XMLLiteral"),
        URIRef(_RDF + "langString"),
        OWL.real,
        OWL.rational,
        *(
            XSD[name]
            for name in (
                *("decimal", "integer", "nonNegativeInteger", "nonPositiveInteger"),
                *("positiveInteger", "negativeInteger", "long", "int", "short", "byte"),
                *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
                *("double", "float", "string", "normalizedString", "token", "language"),
                *("Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary"),
                *("anyURI", "dateTime", "dateTimeStamp"),
            )
        ),
    }
)

# Property characteristics (rdf:type objects).
_CHARACTERISTICS = frozenset(
    {
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
    }
)
# rdf:type objects that declare schema entities rather than make an IRI an individual.
_META_CLASSES: frozenset[URIRef] = _CHARACTERISTICS | frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        OWL.Restriction,
        OWL.AllDisjointClasses,
        OWL.AllDifferent,
        OWL.AllDisjointProperties,
        OWL.NegativePropertyAssertion,
        OWL.NamedIndividual,
        OWL.Axiom,
        OWL.DataRange,
        RDF.Property,
        RDF.List,
        RDFS.Class,
        RDFS.Datatype,
    }
)

# Annotation properties built into OWL 2 (others are declared owl:AnnotationProperty).
_BUILTIN_ANNOTATIONS = frozenset(
    {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.deprecated}
)

NO_JAVA_MESSAGE = "reasoning skipped: no Java runtime (install Java 11+ to run HermiT)"

REASONER_TIMEOUT = 600
"""Seconds HermiT (or Pellet, for an explanation) may take."""
_PLACEHOLDER = "http://individual.dermkg.invalid/i"


@dataclass
class ReasoningOutcome:
    """What one reasoner run found.

    ``consistent`` is None when the reasoner did not run (``java_available`` False);
    ``inferred`` then is empty. ``inconsistent_individuals`` names the individuals of the
    explanation of an inconsistency, ``explanation`` holds its axioms as Pellet prints them.
    """

    inferred: Graph
    consistent: bool | None
    message: str
    java_available: bool
    reasoner: str = "HermiT"
    seconds: float = 0.0
    inconsistent_individuals: tuple[URIRef, ...] = ()
    explanation: str = ""
    individuals: int = 0
    dropped_literals: int = 0
    notes: list[str] = field(default_factory=list)
    excluded_graphs: tuple[URIRef, ...] = ()
    """Set by :func:`reason_graphs`: the named graphs left out to reach a consistent rest."""

    @property
    def skipped(self) -> bool:
        """True when the reasoner did not run (no Java runtime)."""
        return self.consistent is None


def java_executable() -> str | None:
    """The Java runtime owlready2 will start, or None when there is none on this machine."""
    import owlready2

    return shutil.which(owlready2.JAVA_EXE) or (
        owlready2.JAVA_EXE if Path(owlready2.JAVA_EXE).is_file() else None
    )


def reason(
    data: Graph,
    *,
    ontology: Graph | None = None,
    explain: bool = True,
    reduce: bool = True,
) -> ReasoningOutcome:
    """Check ``data`` (ontology + vocabulary + documents) for consistency and infer new facts.

    ``data`` may be a Graph or a Dataset (every named graph is used). The
    packaged ontology (or ``ontology``) is added to it, so passing the facts alone works too.
    ``reduce`` gives the reasoner only the facts that can take part in an axiom
    (:func:`axiom_signature`); the inferred facts are the same (tests/test_reasoning.py).
    Raises :class:`ReasonerError` when the reasoner fails for another reason than an
    inconsistency (e.g. input that is not OWL 2 DL).
    """
    started = time.perf_counter()
    if java_executable() is None:
        return ReasoningOutcome(Graph(), None, NO_JAVA_MESSAGE, java_available=False)

    prepared = _prepare(data, ontology, reduce=reduce)
    if prepared.ill_typed:
        return _ill_typed(prepared, started)
    with tempfile.TemporaryDirectory(prefix="dermkg-reason-") as tmp:
        path = Path(tmp) / "input.nt"
        prepared.graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        try:
            inferred = _run_hermit(path, prepared)
        except _Inconsistent:
            outcome = _explain(path, prepared) if explain else _unexplained(prepared)
            outcome.seconds = round(time.perf_counter() - started, 3)
            return outcome
        except _NoJava:
            return ReasoningOutcome(Graph(), None, NO_JAVA_MESSAGE, java_available=False)

    seconds = round(time.perf_counter() - started, 3)
    kinds = _count_kinds(inferred)
    message = (
        f"consistent (HermiT, {len(prepared.individuals)} individuals, {seconds:.1f}s); "
        f"inferred {kinds['types']} class memberships and {kinds['values']} property values"
    )
    return _consistent(inferred, message, seconds, len(prepared.individuals), prepared.dropped)


def _consistent(
    inferred: Graph, message: str, seconds: float, individuals: int, dropped: int
) -> ReasoningOutcome:
    """The outcome of a consistent run, noting literals the reasoner was not given."""
    notes = []
    if dropped:
        notes.append(
            f"{dropped} literal(s) of datatypes outside the OWL 2 datatype map "
            "(e.g. xsd:date, xsd:gYear) were not given to the reasoner"
        )
    return ReasoningOutcome(
        inferred,
        True,
        message,
        java_available=True,
        seconds=seconds,
        individuals=individuals,
        dropped_literals=dropped,
        notes=notes,
    )


# ---------------------------------------------------------------------------------------
# Input preparation
# ---------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    graph: Graph
    individuals: set[URIRef]
    asserted_types: set[tuple[URIRef, URIRef]]
    object_properties: set[URIRef]
    dropped: int
    ill_typed: list[Triple] = field(default_factory=list)


def _triples(data: Graph) -> Iterable[Triple]:
    if isinstance(data, Dataset):  # every named graph, not only the default one
        for s, p, o, _ in data.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from data


_SCHEMA_NAMESPACES = (str(OWL), str(RDFS), str(XSD))  # XSD: datatype facets

# Predicates of class expressions and axioms whose subject or object is a class.
_CLASS_POSITIONS = frozenset(
    {
        RDFS.subClassOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.disjointWith,
        OWL.someValuesFrom,
        OWL.allValuesFrom,
        OWL.onClass,
        OWL.complementOf,
    }
)
# Predicates of property axioms whose subject and object are properties.
_PROPERTY_AXIOMS = frozenset(
    {
        RDFS.subPropertyOf,
        OWL.inverseOf,
        OWL.equivalentProperty,
        OWL.propertyDisjointWith,
        OWL.propertyChainAxiom,
    }
)


def _is_schema(triple: Triple) -> bool:
    """A TBox statement (OWL/RDFS vocabulary, lists, declarations), never filtered."""
    _, p, o = triple
    if p in (RDF.first, RDF.rest) or str(p).startswith(_SCHEMA_NAMESPACES):
        return True
    return p == RDF.type and o in _META_CLASSES


def axiom_signature(tbox: Graph) -> tuple[frozenset[Node], frozenset[Node]]:
    """The classes and properties that take part in the axioms of ``tbox``.

    Classes: those in class positions (sub/equivalent/disjoint classes, domains, ranges,
    restriction fillers) and the members of class lists (intersection, union, disjoint
    sets). Properties: those with a domain or range, restricted (``owl:onProperty``),
    in a property axiom (sub-property, inverse, chain …) or with a characteristic. A fact
    using anything else cannot take part in an inference the ontology defines.
    """
    classes: set[Node] = set(tbox.subjects(RDF.type, OWL.Class))
    properties: set[Node] = set(tbox.objects(None, OWL.onProperty))
    for s, p, o in tbox:
        if p in _CLASS_POSITIONS:
            classes.add(o)
            if p not in (RDFS.domain, RDFS.range):
                classes.add(s)
            else:
                properties.add(s)
        elif p in _PROPERTY_AXIOMS:
            properties.add(s)
            members = Collection(tbox, o) if p == OWL.propertyChainAxiom else [o]
            for m in members:
                step = tbox.value(m, OWL.inverseOf) if isinstance(m, BNode) else m
                if step is not None:
                    properties.add(step)
        elif p in (OWL.intersectionOf, OWL.unionOf, OWL.members, OWL.disjointUnionOf):
            classes.update(Collection(tbox, o))
        elif p == RDF.type and o in _CHARACTERISTICS:
            properties.add(s)
    return (
        frozenset(c for c in classes if isinstance(c, URIRef)),
        frozenset(p for p in properties if isinstance(p, URIRef)),
    )


def _prepare(data: Graph, ontology: Graph | None, *, reduce: bool = True) -> _Prepared:
    """One flat graph for the reasoner: ontology ∪ data without annotations (labels,
    synonyms, links: no axiom uses them), OWL 2 literals only, individuals declared
    (owlready2 realises only declared owl:NamedIndividual).

    ``reduce``: the ontology stays whole, and of the data only the statements that can
    take part in an axiom (:func:`axiom_signature` of the ontology and of any schema
    statements in the data) are kept: a type whose class is in no axiom, a value of a
    property in no axiom (provenance links, extraction rules …) are left out."""
    if ontology is None:
        from dermkg.ontology_graphs import ontology_graph

        ontology = ontology_graph()
    facts = tuple(_triples(data))
    triples = (*_triples(ontology), *facts)
    annotations: set[Node] = set(_BUILTIN_ANNOTATIONS)
    annotations.update(s for s, p, o in triples if p == RDF.type and o == OWL.AnnotationProperty)
    keep: Callable[[Triple], bool] = lambda _t: True  # noqa: E731
    if reduce:
        tbox = Graph()
        for triple in triples:
            if _is_schema(triple):
                tbox.add(triple)
        classes, properties = axiom_signature(tbox)
        in_ontology = set(_triples(ontology))

        def keep(t: Triple) -> bool:
            if t in in_ontology or _is_schema(t):
                return True
            return t[2] in classes if t[1] == RDF.type else t[1] in properties

    g = Graph()
    dropped = 0
    ill_typed: list[Triple] = []
    for s, p, o in triples:
        if p in annotations or not keep((s, p, o)):
            continue
        if isinstance(o, Literal) and o.datatype is not None:
            if o.datatype not in OWL2_DATATYPES:
                dropped += 1
                continue
            if o.ill_typed:
                ill_typed.append((s, p, o))
                continue
        g.add((s, p, o))

    object_properties = {
        p for p in g.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)
    }
    schema_entities = {
        s
        for s, t in g.subject_objects(RDF.type)
        if t in _META_CLASSES and t is not OWL.NamedIndividual
    }
    individuals: set[URIRef] = set()
    asserted: set[tuple[URIRef, URIRef]] = set()
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef) and t not in _META_CLASSES:
            individuals.add(s)
            asserted.add((s, t))
    for s, p, o in g:
        if p in object_properties:
            individuals.update(x for x in (s, o) if isinstance(x, URIRef))
    individuals -= {x for x in schema_entities if isinstance(x, URIRef)}
    for ind in individuals:
        g.add((ind, RDF.type, OWL.NamedIndividual))
    return _Prepared(g, individuals, asserted, object_properties, dropped, ill_typed)


# ---------------------------------------------------------------------------------------
# HermiT through owlready2
# ---------------------------------------------------------------------------------------


class _Inconsistent(Exception):
    pass


class _NoJava(Exception):
    pass


_HERMIT_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type)\( ((?:<[^>]+>\s*)+)\)\s*$", re.M)
_TOP = {str(OWL.Thing), str(OWL.Nothing), str(OWL.NamedIndividual)}


def _hermit_command(path: Path) -> list[str]:
    """HermiT as owlready2 ships it: classify (``-c``) and realise (``-I``).

    Not ``-O``/``-D`` (property hierarchies) nor ``-Y`` (all property values): they take
    most of the time and :func:`_property_closure` derives the property values that this
    ontology entails (sub-properties, inverses, chains) from the facts."""
    import owlready2
    import owlready2.reasoning as owl_reasoning

    classpath = getattr(owl_reasoning, "_HERMIT_CLASSPATH", None)
    if not classpath:
        raise ReasonerError("this owlready2 does not ship HermiT (owlready2.reasoning)")
    memory = getattr(owl_reasoning, "JAVA_MEMORY", 2000)
    return [
        owlready2.JAVA_EXE,
        f"-Xmx{memory}M",
        "-cp",
        classpath,
        "org.semanticweb.HermiT.cli.CommandLine",
        "-c",
        "-I",
        "--ignoreUnsupportedDatatypes",
        path.as_uri(),
    ]


def _run_hermit(path: Path, prepared: _Prepared) -> Graph:
    try:
        run = subprocess.run(
            _hermit_command(path),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=REASONER_TIMEOUT,
            check=False,
        )
    except (FileNotFoundError, PermissionError) as exc:  # Java listed but cannot start
        raise _NoJava() from exc
    except subprocess.TimeoutExpired as exc:
        raise ReasonerError(f"HermiT did not finish within {REASONER_TIMEOUT} s") from exc
    if run.returncode != 0:
        text = run.stdout + run.stderr
        if "Inconsistent ontology" in text or "InconsistentOntologyException" in text:
            raise _Inconsistent()
        lines = [line for line in text.strip().splitlines() if line.strip()]
        first = next((line for line in lines if "Exception" in line), lines[0] if lines else "")
        raise ReasonerError(f"HermiT failed (exit {run.returncode}): {first.strip()}")
    return _collect(run.stdout, prepared)


def _collect(output: str, prepared: _Prepared) -> Graph:
    """The new facts: class memberships (with every named superclass) and property values."""
    supers: dict[str, set[str]] = {}
    direct_types: dict[str, set[str]] = {}
    for kind, iris in _HERMIT_LINE.findall(output):
        items = iris.strip()[1:-1].split("> <")
        if kind == "Type":
            direct_types.setdefault(items[0], set()).add(items[1])
        elif kind == "SubClassOf":
            supers.setdefault(items[0], set()).add(items[1])
        else:  # EquivalentClasses: each is a superclass of the others
            for a in items:
                supers.setdefault(a, set()).update(b for b in items if b != a)
    out = Graph()
    for ind, direct in direct_types.items():
        iri = URIRef(ind)
        if iri not in prepared.individuals:
            continue
        closure: set[str] = set()
        stack = list(direct)
        while stack:
            c = stack.pop()
            if c not in closure:
                closure.add(c)
                stack.extend(supers.get(c, ()))
        for c in sorted(closure - _TOP):
            if (iri, URIRef(c)) not in prepared.asserted_types:
                out.add((iri, RDF.type, URIRef(c)))
    for triple in _property_closure(prepared.graph, prepared.object_properties):
        if triple not in prepared.graph:
            out.add(triple)
    return out


def _chains(graph: Graph) -> list[tuple[Node, list[tuple[Node, bool]]]]:
    """``owl:propertyChainAxiom`` as (property, [(step property, inverse?) …])."""
    out = []
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        steps: list[tuple[Node, bool]] = []
        for step in Collection(graph, head):
            inverse_of = graph.value(step, OWL.inverseOf) if isinstance(step, BNode) else None
            steps.append((inverse_of, True) if inverse_of is not None else (step, False))
        out.append((prop, steps))
    return out


def _property_closure(graph: Graph, object_properties: set[URIRef]) -> set[Triple]:
    """Object property assertions between named individuals entailed by
    rdfs:subPropertyOf, owl:inverseOf and owl:propertyChainAxiom (a fixpoint)."""
    supers: dict[Node, set[Node]] = {
        p: {q for q in graph.transitive_objects(p, RDFS.subPropertyOf) if q is not None} - {p}
        for p in object_properties
    }
    inverse: dict[Node, Node] = {}
    for a, b in graph.subject_objects(OWL.inverseOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            inverse[a] = b
            inverse[b] = a
    chains = _chains(graph)
    result: set[Triple] = {
        t for t in graph if t[1] in object_properties and isinstance(t[2], URIRef)
    }
    frontier = set(result)
    while frontier:
        new: set[Triple] = set()
        for s, p, o in frontier:
            new.update((s, q, o) for q in supers.get(p, ()))
            if p in inverse:
                new.add((o, inverse[p], s))
        by_property: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in result | new:
            by_property.setdefault(p, []).append((s, o))
        for prop, steps in chains:
            pairs: set[tuple[Node, Node]] | None = None
            for step, inverted in steps:
                edges = [(o, s) if inverted else (s, o) for s, o in by_property.get(step, [])]
                if pairs is None:
                    pairs = set(edges)
                    continue
                following: dict[Node, list[Node]] = {}
                for a, b in edges:
                    following.setdefault(a, []).append(b)
                pairs = {(x, z) for x, y in pairs for z in following.get(y, [])}
            new.update((x, prop, z) for x, z in pairs or ())
        frontier = new - result
        result |= frontier
    return {t for t in result if isinstance(t[0], URIRef) and isinstance(t[2], URIRef)}


def _count_kinds(g: Graph) -> dict[str, int]:
    types = sum(1 for _ in g.triples((None, RDF.type, None)))
    return {"types": types, "values": len(g) - types}


# ---------------------------------------------------------------------------------------
# Explaining an inconsistency with Pellet
# ---------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\bi(\d+)\b")


def _ill_typed_n3(term: Node) -> str:
    """``"eleven"^^<…#decimal>``: the lexical form, quoted, and the datatype
    (``Literal.n3()`` warns on an ill-typed number)."""
    if isinstance(term, Literal) and term.datatype is not None:
        return f"{Literal(str(term)).n3()}^^<{term.datatype}>"
    return term.n3()


def _ill_typed(prepared: _Prepared, started: float) -> ReasoningOutcome:
    """An ill-typed literal ("abc"^^xsd:decimal) makes the facts inconsistent by itself."""
    subjects = tuple(dict.fromkeys(s for s, _, _ in prepared.ill_typed if isinstance(s, URIRef)))
    lines = [f"  <{s}> <{p}> {_ill_typed_n3(o)}" for s, p, o in prepared.ill_typed[:20]]
    return ReasoningOutcome(
        Graph(),
        False,
        "INCONSISTENT: literal(s) whose text is not a value of their datatype; individuals: "
        + ", ".join(f"<{s}>" for s in subjects)
        + "\n"
        + "\n".join(lines),
        java_available=True,
        reasoner="(datatype check)",
        seconds=round(time.perf_counter() - started, 3),
        inconsistent_individuals=subjects,
        explanation="\n".join(lines),
        individuals=len(prepared.individuals),
    )


def _unexplained(prepared: _Prepared) -> ReasoningOutcome:
    return ReasoningOutcome(
        Graph(),
        False,
        "INCONSISTENT: the ontology and the facts contradict each other (HermiT)",
        java_available=True,
        individuals=len(prepared.individuals),
    )


def _explain(path: Path, prepared: _Prepared, max_explanations: int = 3) -> ReasoningOutcome:
    """Ask Pellet why the input is inconsistent; name the individuals of its explanation.

    Pellet prints local names; every individual is first renamed to a unique placeholder
    IRI so the explanation maps back to full IRIs without ambiguity.
    """
    import owlready2
    import owlready2.reasoning as owl_reasoning

    ordered = sorted(prepared.individuals)
    placeholder: dict[Node, Node] = {
        ind: URIRef(f"{_PLACEHOLDER}{n}") for n, ind in enumerate(ordered)
    }
    renamed = Graph()
    for s, p, o in prepared.graph:
        renamed.add((placeholder.get(s, s), p, placeholder.get(o, o)))
    explain_path = path.with_name("explain.nt")
    renamed.serialize(destination=str(explain_path), format="nt", encoding="utf-8")
    command = [
        owlready2.JAVA_EXE,
        f"-Xmx{owl_reasoning.JAVA_MEMORY}M",
        "-cp",
        owl_reasoning._PELLET_CLASSPATH,
        "pellet.Pellet",
        "explain",
        "--inconsistent",
        "--ignore-imports",
        "-x",
        str(max_explanations),
        str(explain_path),
    ]
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=REASONER_TIMEOUT, check=False
        )
        text = run.stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        text = ""
        note = f"no explanation: Pellet could not run ({exc})"
    else:
        note = ""
    explanation = _explanation_text(text)
    names: list[URIRef] = []
    for match in _TOKEN.finditer(explanation):
        n = int(match.group(1))
        if n < len(ordered) and ordered[n] not in names:
            names.append(ordered[n])
    explanation = _TOKEN.sub(
        lambda m: f"<{ordered[int(m.group(1))]}>" if int(m.group(1)) < len(ordered) else m[0],
        explanation,
    )
    who = ", ".join(f"<{n}>" for n in names) if names else "(not identified)"
    message = f"INCONSISTENT: the ontology and the facts contradict each other; individuals: {who}"
    if explanation:
        message += "\n" + explanation
    return ReasoningOutcome(
        Graph(),
        False,
        message,
        java_available=True,
        reasoner="HermiT (explanation: Pellet)",
        inconsistent_individuals=tuple(names),
        explanation=explanation,
        individuals=len(prepared.individuals),
        notes=[note] if note else [],
    )


def _explanation_text(output: str) -> str:
    """The numbered explanations of ``pellet explain`` output, one axiom per line."""
    _, sep, rest = output.partition("Explanation(s):")
    if not sep:
        return ""
    out: list[str] = []
    axiom = ""
    for raw in rest.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        if not line:
            continue
        if axiom and axiom.count("(") > axiom.count(")"):
            axiom += (" " if not axiom.endswith("(") else "") + line
            continue
        if axiom:
            out.append("  " + axiom)
        numbered = re.match(r"^(\d+)\)\s*(.*)$", line)
        if numbered:
            out.append(f"explanation {numbered.group(1)}:")
            line = numbered.group(2)
        axiom = line
    if axiom:
        out.append("  " + axiom)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# Reasoning a group of documents at a time
# ---------------------------------------------------------------------------------------

GROUP_TRIPLES = 10000
"""Document statements (reasoner views) reasoned over in one HermiT run, with the shared
facts: about 100 generated documents. HermiT's realisation grows faster than linearly with
the individuals of one run (about 10 s for 100 generated documents, no result within
600 s for 1,000), and each run costs about 3 s (Java, the ontology and the vocabulary)."""

# TBox vocabulary under which an individual's named classes follow from its own facts,
# the named classes and literals of the individuals it links to, and property values
# (closed in Python over the whole input). Anything else (owl:allValuesFrom, cardinalities,
# keys, functional or transitive properties, owl:sameAs …) can carry an inference along a
# path through other individuals: then one run over everything.
_LOCAL_TBOX = frozenset(
    {
        RDF.type,
        RDF.first,
        RDF.rest,
        RDFS.subClassOf,
        RDFS.domain,
        RDFS.range,
        RDFS.subPropertyOf,
        OWL.equivalentClass,
        OWL.disjointWith,
        OWL.intersectionOf,
        OWL.unionOf,
        OWL.someValuesFrom,
        OWL.hasValue,
        OWL.onProperty,
        OWL.inverseOf,
        OWL.propertyChainAxiom,
        OWL.members,
        OWL.distinctMembers,
        OWL.onDatatype,
        OWL.withRestrictions,
        OWL.versionIRI,
        OWL.versionInfo,
        OWL.imports,
        OWL.annotatedSource,
        OWL.annotatedProperty,
        OWL.annotatedTarget,
    }
)


def inferences_are_local(tbox: Graph) -> bool:
    """Whether reasoning a group of documents at a time (:func:`reason_in_groups`) gives
    exactly what one run over everything gives, judged from the axioms of ``tbox``.

    True when the TBox uses only sub/equivalent/disjoint classes, domains, ranges,
    intersections, unions, sub-properties, inverses, chains, ``owl:hasValue`` and
    ``owl:someValuesFrom`` whose filler is a named class, a union of named classes, a data
    range or a restriction on a datatype property with a data range (a literal of the
    witness). Then a class of an individual follows from the named classes and literals
    of its neighbours, which are shared with every group when the neighbour is shared.
    """
    datatype_properties = set(tbox.subjects(RDF.type, OWL.DatatypeProperty))
    for _s, p, o in tbox:
        if not _is_schema((_s, p, o)) or str(p).startswith(str(XSD)):
            continue  # facts, annotations (skos:…), datatype facets
        if p in _BUILTIN_ANNOTATIONS:
            continue
        if p not in _LOCAL_TBOX:
            return False
        if p == RDF.type and o in _CHARACTERISTICS:
            return False
        if p == OWL.someValuesFrom and isinstance(o, BNode):
            union = tbox.value(o, OWL.unionOf)
            if union is not None:
                members = list(Collection(tbox, union))
                if not all(isinstance(m, URIRef) for m in members):
                    return False
            elif (o, RDF.type, RDFS.Datatype) in tbox:
                continue
            elif (o, OWL.onProperty, None) in tbox:
                filler = tbox.value(o, OWL.someValuesFrom)
                if tbox.value(o, OWL.onProperty) not in datatype_properties or not (
                    isinstance(filler, URIRef) or (filler, RDF.type, RDFS.Datatype) in tbox
                ):
                    return False
            else:
                return False
    return True


def group_documents(
    graphs: Mapping[URIRef, Graph],
    common: Iterable[Node] = (),
    max_triples: int = GROUP_TRIPLES,
) -> list[list[URIRef]]:
    """The named ``graphs`` in groups of about ``max_triples`` statements, the graphs that
    mention the same individual (a study merged by its NCT id) in the same group unless it
    is one of the ``common`` nodes (the vocabulary's, which every run sees)."""
    skip = set(common)
    parent: dict[URIRef, URIRef] = {name: name for name in graphs}

    def root(x: URIRef) -> URIRef:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_seen: dict[Node, URIRef] = {}
    for name in sorted(graphs):
        for s, p, o in graphs[name]:
            for node in (s, o) if p != RDF.type else (s,):
                if isinstance(node, Literal) or node in skip:
                    continue
                other = first_seen.setdefault(node, name)
                if other != name:
                    parent[root(name)] = root(other)
    components: dict[URIRef, list[URIRef]] = {}
    for name in sorted(graphs):
        components.setdefault(root(name), []).append(name)
    groups: list[list[URIRef]] = []
    size = 0
    for members in components.values():
        n = sum(len(graphs[m]) for m in members)
        if not groups or size + n > max_triples:
            groups.append([])
            size = 0
        groups[-1].extend(members)
        size += n
    return groups


def _shared_nodes(
    common: set[URIRef], graphs: Mapping[URIRef, Graph], groups: list[list[URIRef]]
) -> set[Node]:
    """Individuals several runs see: the ``common`` ones (vocabulary, ontology) and those
    that documents of more than one group mention (none with :func:`group_documents`)."""
    shared: set[Node] = set(common)
    seen: dict[Node, int] = {}
    for i, names in enumerate(groups):
        for name in names:
            for s, p, o in graphs[name]:
                for node in (s, o) if p != RDF.type else (s,):
                    if isinstance(node, Literal) or node in shared:
                        continue
                    if seen.setdefault(node, i) != i:
                        shared.add(node)
    return shared


def _about_shared(triples: Iterable[Triple], shared: set[Node]) -> set[Triple]:
    """The facts every run gets: a shared individual's classes, literals and links to
    other shared individuals."""
    return {
        (s, p, o)
        for s, p, o in triples
        if s in shared and (p == RDF.type or isinstance(o, Literal) or o in shared)
    }


def reason_in_groups(
    common: Graph,
    graphs: Mapping[URIRef, Graph],
    *,
    max_triples: int = GROUP_TRIPLES,
    workers: int | None = None,
    max_rounds: int = 5,
) -> ReasoningOutcome:
    """What :func:`reason` over ``common`` and every one of ``graphs`` infers, a group of
    graphs at a time (:func:`group_documents`), each run with ``common`` and the facts about
    shared individuals (:func:`_shared_nodes`).

    A class or shared fact inferred about a shared individual in one group is given to
    every group and the groups are run again, until no run adds one (usually no second
    round). Property values are closed over the whole input. The first inconsistent group
    is the outcome (its explanation names the individuals). Exact when
    :func:`inferences_are_local`; callers fall back to one run otherwise.
    """
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    if java_executable() is None:
        return ReasoningOutcome(Graph(), None, NO_JAVA_MESSAGE, java_available=False)
    whole = Graph()
    whole += common
    for g in graphs.values():
        whole += g
    common_nodes = {n for s, _, o in common for n in (s, o) if isinstance(n, URIRef)}
    groups = group_documents(graphs, common_nodes, max_triples)
    if len(groups) <= 1 or sum(len(g) for g in graphs.values()) <= 1.5 * max_triples:
        return reason(whole)  # one run costs less than two and the shared-facts run
    everything = _prepare(whole, None)
    if everything.ill_typed:
        return _ill_typed(everything, started)
    shared = _shared_nodes(common_nodes, graphs, groups)
    closure = _property_closure(everything.graph, everything.object_properties)
    given = _about_shared(whole, shared) | _about_shared(closure, shared)

    def run(names: list[URIRef]) -> ReasoningOutcome:
        g = Graph()
        g += common
        for t in given:
            g.add(t)
        for name in names:
            g += graphs[name]
        return reason(g)

    hub = run([])  # the shared facts alone: what every group would infer about them
    if hub.consistent is not True:
        return hub
    given |= _about_shared(hub.inferred, shared)
    inferred_types: set[Triple] = set(hub.inferred.triples((None, RDF.type, None)))
    runs = 1
    workers = workers or min(os.cpu_count() or 1, 2)
    for _ in range(max_rounds):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(run, groups))
        runs += len(outcomes)
        for outcome in outcomes:
            if outcome.consistent is not True:
                outcome.seconds = round(time.perf_counter() - started, 3)
                return outcome
        new: set[Triple] = set()
        for outcome in outcomes:
            inferred_types.update(outcome.inferred.triples((None, RDF.type, None)))
            new |= _about_shared(outcome.inferred, shared) - given
        if not new:
            break
        given |= new
    inferred = Graph()
    for t in inferred_types:
        if t not in everything.graph:
            inferred.add(t)
    for t in closure:
        if t not in everything.graph:
            inferred.add(t)
    seconds = round(time.perf_counter() - started, 3)
    kinds = _count_kinds(inferred)
    individuals = len(everything.individuals)
    message = (
        f"consistent (HermiT, {individuals} individuals in {len(groups)} group(s) of "
        f"documents, {runs} runs, {seconds:.1f}s); inferred {kinds['types']} class "
        f"memberships and {kinds['values']} property values"
    )
    return _consistent(inferred, message, seconds, individuals, everything.dropped)


# ---------------------------------------------------------------------------------------
# Over a built store (``dermkg reason``)
# ---------------------------------------------------------------------------------------


def reason_graphs(
    graphs: Mapping[URIRef, Graph],
    *,
    protected: Iterable[URIRef] | None = None,
    max_rounds: int = 5,
    group_triples: int | None = GROUP_TRIPLES,
) -> ReasoningOutcome:
    """Reason over named graphs; when they are inconsistent, still infer from the rest.

    The ``protected`` graphs are shared by every run; the others are reasoned over
    ``group_triples`` statements at a time (:func:`reason_in_groups`) when the ontology's
    inferences are local (:func:`inferences_are_local`), else (or with ``group_triples``
    None) in one run.

    The first run is over all ``graphs``. If it is inconsistent, every graph that mentions
    an individual of the explanation (except the ``protected`` ones: ontology, vocabulary,
    mappings by default) is left out and the rest is reasoned over again, up to
    ``max_rounds`` times. The outcome then has ``consistent`` False, the message and
    individuals of the first inconsistency, ``excluded_graphs``, and in ``inferred`` what
    follows from the consistent rest (empty if no consistent rest was found).
    """
    from dermkg.namespaces import MAPPINGS_GRAPH, ONTOLOGY_GRAPH, VOCABULARY_GRAPH

    keep = set(protected) if protected is not None else set()
    if protected is None:
        keep = {ONTOLOGY_GRAPH, VOCABULARY_GRAPH, MAPPINGS_GRAPH}
    active = dict(graphs)

    from dermkg.ontology_graphs import ontology_graph

    tbox = Graph()
    for t in (*ontology_graph(), *(t for name in keep & set(graphs) for t in graphs[name])):
        if _is_schema(t):
            tbox.add(t)
    grouped = group_triples is not None and inferences_are_local(tbox)

    def union() -> ReasoningOutcome:
        if grouped and group_triples is not None:
            common = Graph()
            for name in keep & set(active):
                common += active[name]
            rest = {name: g for name, g in active.items() if name not in keep}
            return reason_in_groups(common, rest, max_triples=group_triples)
        g = Graph()
        for part in active.values():
            g += part
        return reason(g)

    first = union()
    if first.consistent is not False:
        return first
    excluded: list[URIRef] = []
    outcome = first
    rest_consistent = False
    for _ in range(max_rounds):
        culprits = set(outcome.inconsistent_individuals)
        guilty = [
            name
            for name, g in active.items()
            if name not in keep
            and any((c, None, None) in g or (None, None, c) in g for c in culprits)
        ]
        if not guilty:
            break
        for name in guilty:
            excluded.append(name)
            del active[name]
        outcome = union()
        if outcome.consistent:
            rest_consistent = True
            first.inferred = outcome.inferred
            break
    first.excluded_graphs = tuple(excluded)
    left_out = ", ".join(f"<{g}>" for g in excluded)
    if rest_consistent:
        first.message += (
            f"\ninferred from the rest, leaving out {len(excluded)} graph(s): {left_out}"
        )
    else:
        first.inferred = Graph()
        if excluded:
            first.message += f"\nno consistent rest found (left out: {left_out})"
    return first


def reason_over_store(store: GraphStore, *, write: bool = True) -> ReasoningOutcome:
    """Reason over every graph of a built store (not ``dkgg:inferred``, ``dkgg:mappings``).

    Graph ``dkgg:inferred`` is replaced (when ``write``) by what was inferred: from all
    facts when they are consistent; otherwise from the consistent rest, the graphs that
    contradict being left out (:func:`reason_graphs`). A skipped run changes nothing.
    """
    from dermkg.namespaces import INFERRED_GRAPH, MAPPINGS_GRAPH

    graphs = {
        URIRef(name): store.graph(URIRef(name))
        for name in store.graph_sizes()
        if name and URIRef(name) not in {INFERRED_GRAPH, MAPPINGS_GRAPH}
    }
    outcome = reason_graphs(graphs)
    if write and not outcome.skipped and (outcome.consistent or len(outcome.inferred)):
        store.drop_graph(INFERRED_GRAPH)
        if len(outcome.inferred):
            store.add_graphs({INFERRED_GRAPH: outcome.inferred})
    return outcome
