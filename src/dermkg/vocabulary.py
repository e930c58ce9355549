"""The vocabulary: the entities the graph knows (drugs, products, targets, diseases…).

Entities, labels and synonyms live in ``ontology/vocabulary/*.yaml``; their external ids
live in one place, the SSSOM file ``ontology/vocabulary/entity-mappings.sssom.tsv``, which
this module joins to the entities. See ``ontology/vocabulary/README.md`` for the schema.

>>> vocab = load_vocabulary()
>>> vocab.lookup("Opzelura").key
'opzelura'
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from dermkg.errors import DermkgError
from dermkg.identifiers import IdentifierError, expand, normalize_curie
from dermkg.namespaces import DKG, DKGR, PREFIXES
from dermkg.resources import ontology_dir

__all__ = [
    "KINDS",
    "MAPPINGS_FILE",
    "Entity",
    "InnStem",
    "UnknownEntityError",
    "Vocabulary",
    "VocabularyError",
    "XRef",
    "load_vocabulary",
    "normalize_surface",
]

KINDS: tuple[str, ...] = (
    "drug",
    "product",
    "target",
    "disease",
    "endpoint",
    "adverse_event",
    "agency",
    "organization",
    "comparator",
)
"""The kinds of entity, in lookup priority order."""

VOCABULARY_DIR = "vocabulary"
MAPPINGS_FILE = "entity-mappings.sssom.tsv"
CODELISTS_FILE = "codelists.yaml"
INN_STEMS_FILE = "inn-stems.yaml"

_MATCH_PREDICATES = {"skos:exactMatch": SKOS.exactMatch, "skos:closeMatch": SKOS.closeMatch}

# Fields every entity may have, and the extra fields allowed per kind.
_COMMON_FIELDS = {"key", "label", "label_matches", "synonyms", "abbreviations", "codes",
                  "definition", "note"}
_KIND_FIELDS: dict[str, set[str]] = {
    "drug": {"drug_class", "modality", "targets"},
    "product": {
        "active_ingredient",
        "route",
        "dosage_form",
        "manufacturers",
        "strengths",
        "markets",
    },
    "target": {"family", "type", "gene_symbol"},
    "disease": set(),
    "endpoint": {"instrument"},
    "adverse_event": set(),
    "agency": {"jurisdiction"},
    "organization": set(),
    "comparator": {"class"},
}


class VocabularyError(DermkgError):
    """A vocabulary or mapping file is malformed (names the file and the entry)."""


class UnknownEntityError(VocabularyError, KeyError):
    """No entity of that kind has that key."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class XRef(NamedTuple):
    """One link from an entity to an external id, as recorded in the SSSOM file."""

    curie: str
    predicate: str  # "skos:exactMatch" | "skos:closeMatch"
    source: str  # where the id was confirmed (the SSSOM see_also)

    @property
    def iri(self) -> URIRef:
        """The IRI Bioregistry gives for the CURIE."""
        return expand(self.curie)


class InnStem(NamedTuple):
    """A WHO INN stem (``"-citinib"``) and what it denotes."""

    stem: str
    meaning: str


@dataclass(frozen=True)
class Entity:
    """One vocabulary entity. ``synonyms`` holds every alternative label (synonyms,
    abbreviations and codes); ``abbreviations`` and ``codes`` list the short forms and
    development codes separately, for recognisers that match those case-sensitively."""

    key: str
    kind: str
    iri: URIRef
    label: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    matches: tuple[XRef, ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)
    label_matches: bool = True
    """False: the label names the entity in the graph but is not looked up in text (its
    bare form names an entity of a kind looked up first, e.g. "acne vulgaris" the adverse
    event; the disease is found by its qualified synonyms)."""

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The label (when it is looked up) followed by every alternative label."""
        return (self.label, *self.synonyms) if self.label_matches else self.synonyms


_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]")
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_MARKS = re.compile("[\u00ae\u2122\u2120\u00a9]")  # ® ™ ℠ © (NFKC would spell ™ as "TM")


def normalize_surface(text: str) -> str:
    """The lookup key of a surface string: NFKC, case-folded, Greek letters spelt out,
    and every character that is not a letter or digit (spaces, dashes of any kind, ®, ™,
    dots, slashes) removed. ``"IL-4"``, ``"IL4"`` and ``"il 4"`` share one key."""
    text = unicodedata.normalize("NFKC", _MARKS.sub("", text)).casefold()
    text = _DASHES.sub("-", text)
    for letter, name in _GREEK.items():
        text = text.replace(letter, name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text)


class Vocabulary:
    """The entities of the vocabulary, their surface forms and their RDF."""

    def __init__(
        self,
        entities: Iterable[Entity],
        codelists: Mapping[str, Any],
        inn_stems: Iterable[InnStem] = (),
        inn_exceptions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self._codelists = codelists
        self._by_kind: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
        for entity in entities:
            if entity.kind not in self._by_kind:
                raise VocabularyError(f"{entity.key}: unknown kind {entity.kind!r}")
            if entity.key in self._by_kind[entity.kind]:
                raise VocabularyError(f"duplicate {entity.kind} key {entity.key!r}")
            self._by_kind[entity.kind][entity.key] = entity
        self._inn_stems = tuple(sorted(inn_stems, key=lambda s: -len(s.stem)))
        self._inn_exceptions = {
            stem: frozenset(normalize_surface(w) for w in words)
            for stem, words in (inn_exceptions or {}).items()
        }
        self._triples: tuple[tuple[Any, Any, Any], ...] | None = None
        self._index: dict[str, list[Entity]] = {}
        for entity in self.entities():
            for form in entity.surface_forms:
                norm = normalize_surface(form)
                if not norm:
                    raise VocabularyError(
                        f"{entity.kind} {entity.key}: empty surface form {form!r}"
                    )
                bucket = self._index.setdefault(norm, [])
                if entity not in bucket:
                    bucket.append(entity)
        self._check_ambiguity()

    def _check_ambiguity(self) -> None:
        for norm, bucket in self._index.items():
            kinds = [e.kind for e in bucket]
            for kind in set(kinds):
                if kinds.count(kind) > 1:
                    keys = ", ".join(e.key for e in bucket if e.kind == kind)
                    raise VocabularyError(
                        f"surface form {norm!r} names several {kind} entities: {keys}"
                    )

    # -- access -----------------------------------------------------------------------

    def entities(self, kind: str | None = None) -> list[Entity]:
        """All entities, or those of one kind, in file order."""
        if kind is None:
            return [e for k in KINDS for e in self._by_kind[k].values()]
        self._check_kind(kind)
        return list(self._by_kind[kind].values())

    def get(self, kind: str, key: str) -> Entity:
        """The entity of ``kind`` with ``key``; :class:`UnknownEntityError` if there is none."""
        self._check_kind(kind)
        try:
            return self._by_kind[kind][key]
        except KeyError:
            raise UnknownEntityError(f"no {kind} with key {key!r} in the vocabulary") from None

    def by_iri(self, iri: str) -> Entity | None:
        """The entity with IRI ``iri``, or None."""
        prefix = str(DKGR)
        if not str(iri).startswith(prefix):
            return None
        for kind in KINDS:
            segment = self._codelists["kinds"][kind]["segment"]
            head = f"{prefix}{segment}/"
            if str(iri).startswith(head):
                return self._by_kind[kind].get(str(iri)[len(head) :])
        return None

    def lookup(self, text: str, kind: str | None = None) -> Entity | None:
        """The entity one of whose surface forms equals ``text`` under
        :func:`normalize_surface`; with ``kind=None``, the first kind in :data:`KINDS`
        order wins when several kinds share the form. None when nothing matches."""
        found = self.lookup_all(text, kind)
        return found[0] if found else None

    def lookup_all(self, text: str, kind: str | None = None) -> list[Entity]:
        """Every entity (at most one per kind) whose surface forms include ``text``."""
        if kind is not None:
            self._check_kind(kind)
        bucket = self._index.get(normalize_surface(text), [])
        found = [e for e in bucket if kind is None or e.kind == kind]
        return sorted(found, key=lambda e: KINDS.index(e.kind))

    def surface_forms(self, kind: str | None = None) -> Iterator[tuple[str, Entity]]:
        """``(surface string, entity)`` for every label, synonym, abbreviation and code."""
        for entity in self.entities(kind):
            for form in entity.surface_forms:
                yield form, entity

    def inn_stems(self) -> tuple[InnStem, ...]:
        """WHO INN stems, longest first (so ``-citinib`` is tried before ``-tinib``)."""
        return self._inn_stems

    def match_inn_stem(self, name: str) -> InnStem | None:
        """The longest INN stem that ``name`` ends with, or None. A name no longer than
        its stem, or an English word listed as an exception ("concept"), matches none."""
        norm = normalize_surface(name)
        for stem in self._inn_stems:
            bare = normalize_surface(stem.stem)
            if norm.endswith(bare) and len(norm) > len(bare):
                if norm in self._inn_exceptions.get(stem.stem, ()):
                    return None
                return stem
        return None

    def mechanism_terms(self, action: str) -> tuple[URIRef, URIRef | None]:
        """The dkg property of the direct drug-target triple for ``action`` ("inhibition",
        "antagonism", "agonism", "modulation", "binding") and its dkg:MechanismAction
        individual (None for plain binding)."""
        try:
            spec = self._codelists["actions"][action]
        except KeyError:
            known = ", ".join(self._codelists["actions"])
            raise VocabularyError(f"unknown mechanism action {action!r}; known: {known}") from None
        individual = spec.get("individual")
        return URIRef(DKG[spec["property"]]), (URIRef(DKG[individual]) if individual else None)

    def _check_kind(self, kind: str) -> None:
        if kind not in self._by_kind:
            raise VocabularyError(f"unknown entity kind {kind!r}; kinds: {', '.join(KINDS)}")

    # -- RDF ----------------------------------------------------------------------------

    def to_rdf(self) -> Graph:
        """The triples of graph ``dkgg:vocabulary`` (docs/model.md, "Vocabulary entities");
        a new graph on every call (the triples are computed once)."""
        if self._triples is None:
            self._triples = tuple(self._build_rdf())
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for triple in self._triples:
            graph.add(triple)
        return graph

    def _build_rdf(self) -> Graph:
        graph = Graph()
        cl = self._codelists
        for entity in self.entities():
            node = entity.iri
            for cls in self._classes(entity):
                graph.add((node, RDF.type, DKG[cls]))
            graph.add((node, RDFS.label, Literal(entity.label)))
            graph.add((node, SKOS.prefLabel, Literal(entity.label, lang="en")))
            for syn in entity.synonyms:
                graph.add((node, SKOS.altLabel, Literal(syn, lang="en")))
            if entity.attrs.get("definition"):
                graph.add((node, SKOS.definition, Literal(entity.attrs["definition"], lang="en")))
            for xref in entity.matches:
                graph.add((node, _MATCH_PREDICATES[xref.predicate], xref.iri))
            if entity.kind == "product":
                drug = self.get("drug", entity.attrs["active_ingredient"])
                graph.add((node, DKG.hasActiveIngredient, drug.iri))
                graph.add((drug.iri, DKG.hasProduct, node))
                if entity.attrs.get("route"):
                    graph.add((node, DKG.route, DKG[cl["routes"][entity.attrs["route"]]]))
                if entity.attrs.get("dosage_form"):
                    form = cl["dosage_forms"][entity.attrs["dosage_form"]]
                    graph.add((node, DKG.dosageForm, DKG[form]))
                for org in entity.attrs.get("manufacturers", ()):
                    graph.add((node, DKG.manufacturer, self.get("organization", org).iri))
            if entity.kind == "drug":
                for link in entity.attrs.get("targets", ()):
                    prop, _ = self.mechanism_terms(link["action"])
                    graph.add((node, prop, self.get("target", link["target"]).iri))
        return graph

    def _classes(self, entity: Entity) -> list[str]:
        cl = self._codelists
        if entity.kind == "target":
            if entity.attrs.get("family"):
                return [cl["families"][entity.attrs["family"]]]
            return [cl["target_types"][entity.attrs.get("type", "protein")]]
        if entity.kind == "comparator":
            return [cl["comparator_classes"][entity.attrs["class"]]]
        return [cl["kinds"][entity.kind]["class"]]


# -- loading ------------------------------------------------------------------------------


def _read_yaml(name: str) -> Any:
    resource = ontology_dir().joinpath(VOCABULARY_DIR).joinpath(name)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VocabularyError(
            f"vocabulary file missing: ontology/{VOCABULARY_DIR}/{name}"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"ontology/{VOCABULARY_DIR}/{name}: invalid YAML: {exc}") from exc


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(value)


def read_mappings(text: str, source: str = MAPPINGS_FILE) -> dict[str, list[XRef]]:
    """Parse an SSSOM TSV (``#``-prefixed YAML header, then a table) into
    ``{subject CURIE: [XRef, …]}``; only rows whose predicate is skos:exactMatch or
    skos:closeMatch are kept."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    if not any(line.strip() for line in lines):
        return {}
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    required = {"subject_id", "predicate_id", "object_id", "mapping_justification"}
    missing = required - set(reader.fieldnames or ())
    if missing:
        raise VocabularyError(f"{source}: missing columns {', '.join(sorted(missing))}")
    out: dict[str, list[XRef]] = {}
    for lineno, row in enumerate(reader, start=2):
        predicate = row["predicate_id"].strip()
        if predicate not in _MATCH_PREDICATES:
            continue
        try:
            obj = normalize_curie(row["object_id"])
        except IdentifierError as exc:
            raise VocabularyError(f"{source}: row {lineno}: {exc}") from exc
        if obj != row["object_id"].strip():
            raise VocabularyError(f"{source}: row {lineno}: write {row['object_id']!r} as {obj!r}")
        subject = row["subject_id"].strip()
        out.setdefault(subject, []).append(
            XRef(obj, predicate, (row.get("see_also") or "").strip())
        )
    return out


def _build_entity(
    kind: str, raw: Any, where: str, segment: str, xrefs: Mapping[str, list[XRef]]
) -> Entity:
    if not isinstance(raw, dict):
        raise VocabularyError(f"{where}: an entity must be a mapping, got {raw!r}")
    key = raw.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-]*", key):
        raise VocabularyError(f"{where}: missing or malformed key {key!r}")
    where = f"{where} ({key})"
    unknown = set(raw) - _COMMON_FIELDS - _KIND_FIELDS[kind]
    if unknown:
        raise VocabularyError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise VocabularyError(f"{where}: missing label")
    label_matches = raw.get("label_matches", True)
    if not isinstance(label_matches, bool):
        raise VocabularyError(f"{where}: label_matches must be true or false")
    synonyms = _strings(raw.get("synonyms"), f"{where}.synonyms")
    abbreviations = _strings(raw.get("abbreviations"), f"{where}.abbreviations")
    codes = _strings(raw.get("codes"), f"{where}.codes")
    all_alt = tuple(dict.fromkeys(s for s in (*synonyms, *abbreviations, *codes) if s != label))
    attrs = {
        k: (tuple(v) if isinstance(v, list) and k != "targets" else v)
        for k, v in raw.items()
        if k not in {"key", "label", "label_matches", "synonyms", "abbreviations", "codes"}
    }
    if "targets" in attrs:
        attrs["targets"] = tuple(dict(t) for t in attrs["targets"])
    matches = tuple(xrefs.get(f"dkgr:{segment}/{key}", ()))
    return Entity(
        key=key,
        kind=kind,
        iri=URIRef(DKGR[f"{segment}/{key}"]),
        label=label,
        synonyms=all_alt,
        xrefs=tuple(x.curie for x in matches),
        abbreviations=abbreviations,
        codes=codes,
        matches=matches,
        attrs=attrs,
        label_matches=label_matches,
    )


def _check_references(vocab: Vocabulary, codelists: Mapping[str, Any]) -> None:
    for product in vocab.entities("product"):
        where = f"products.yaml ({product.key})"
        ingredient = product.attrs.get("active_ingredient")
        if not isinstance(ingredient, str):
            raise VocabularyError(f"{where}: missing active_ingredient")
        vocab.get("drug", ingredient)
        for name, codelist in (("route", "routes"), ("dosage_form", "dosage_forms")):
            value = product.attrs.get(name)
            if value is not None and value not in codelists[codelist]:
                raise VocabularyError(f"{where}: unknown {name} {value!r}")
        for org in product.attrs.get("manufacturers", ()):
            vocab.get("organization", org)
    for drug in vocab.entities("drug"):
        for link in drug.attrs.get("targets", ()):
            if link.get("action") not in codelists["actions"]:
                raise VocabularyError(f"drugs.yaml ({drug.key}): unknown action in {link!r}")
            vocab.get("target", link.get("target", ""))
    for target in vocab.entities("target"):
        family, ttype = target.attrs.get("family"), target.attrs.get("type", "protein")
        if family is not None and family not in codelists["families"]:
            raise VocabularyError(f"targets.yaml ({target.key}): unknown family {family!r}")
        if ttype not in codelists["target_types"]:
            raise VocabularyError(f"targets.yaml ({target.key}): unknown type {ttype!r}")
    for comp in vocab.entities("comparator"):
        if comp.attrs.get("class") not in codelists["comparator_classes"]:
            raise VocabularyError(f"comparators.yaml ({comp.key}): class must be vehicle|placebo")


def build_vocabulary(
    documents: Mapping[str, Any],
    codelists: Mapping[str, Any],
    mappings_text: str,
    inn_stems: Any = None,
) -> Vocabulary:
    """A :class:`Vocabulary` from parsed entity files (``{kind: parsed YAML}``), the code
    lists, the SSSOM text and the parsed INN stem file. Checks every cross-reference and
    that every mapping subject is a vocabulary entity."""
    xrefs = read_mappings(mappings_text)
    entities: list[Entity] = []
    for kind in KINDS:
        spec = codelists["kinds"][kind]
        doc = documents.get(kind) or {}
        if not isinstance(doc, dict) or doc.get("kind", kind) != kind:
            raise VocabularyError(f"{spec['file']}: expected 'kind: {kind}'")
        for i, raw in enumerate(doc.get("entities") or [], start=1):
            entities.append(
                _build_entity(kind, raw, f"{spec['file']} entry {i}", spec["segment"], xrefs)
            )
    items = (inn_stems or {}).get("stems") or []
    stems = [InnStem(str(item["stem"]), str(item["meaning"])) for item in items]
    exceptions = {str(item["stem"]): item.get("not_words") or [] for item in items}
    vocab = Vocabulary(entities, codelists, stems, exceptions)
    _check_references(vocab, codelists)
    known = {f"dkgr:{codelists['kinds'][e.kind]['segment']}/{e.key}" for e in vocab.entities()}
    dangling = sorted(set(xrefs) - known)
    if dangling:
        raise VocabularyError(f"{MAPPINGS_FILE}: subjects not in the vocabulary: {dangling}")
    return vocab


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``ontology/vocabulary/`` (read once, then cached)."""
    codelists = _read_yaml(CODELISTS_FILE)
    documents = {kind: _read_yaml(codelists["kinds"][kind]["file"]) for kind in KINDS}
    mappings = ontology_dir().joinpath(VOCABULARY_DIR).joinpath(MAPPINGS_FILE)
    text = mappings.read_text(encoding="utf-8") if mappings.is_file() else ""
    return build_vocabulary(documents, codelists, text, _read_yaml(INN_STEMS_FILE))
