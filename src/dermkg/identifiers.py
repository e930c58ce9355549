"""External identifiers: CURIE ⇄ IRI with Bioregistry's prefix map.

Prefixes, their IRI expansions and the syntax of local identifiers are Bioregistry's (no
network access, no hand-kept table). CURIEs are written with Bioregistry's *preferred*
prefix where it has one (``CHEBI:66919``, ``MONDO:0004980``, ``NCIT:C3``) and its canonical
prefix otherwise (``hgnc:6190``, ``uniprot:P23458``, ``clinicaltrials:NCT04921969``).

Loading Bioregistry takes about a second, so the records of the prefixes the project uses
(canonical and preferred prefix, synonyms, IRI prefix, identifier pattern, banana) are kept
in ``data/bioregistry-prefixes.json``, written by ``scripts/update_prefix_cache.py`` from the
installed ``bioregistry`` package (a test checks that the file still equals what it gives).
A prefix missing from that file is looked up in Bioregistry itself, imported on first use;
so is everything that needs Bioregistry's whole map (:func:`compress`, :func:`converter`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from dermkg.errors import DermkgError
from dermkg.namespaces import DKG, DKGD, DKGG, DKGR

if TYPE_CHECKING:
    import curies

__all__ = [
    "LOCAL_PREFIXES",
    "PREFIX_CACHE",
    "IdentifierError",
    "PrefixRecord",
    "bioregistry_records",
    "cached_records",
    "compress",
    "converter",
    "expand",
    "is_valid_curie",
    "normalize_curie",
    "prefix_map",
    "records_to_json",
    "uri_prefix",
]

LOCAL_PREFIXES: dict[str, str] = {
    "dkg": str(DKG),
    "dkgr": str(DKGR),
    "dkgd": str(DKGD),
    "dkgg": str(DKGG),
}
"""The project's own prefixes (not in Bioregistry); see docs/model.md."""

PREFIX_CACHE = "data/bioregistry-prefixes.json"
"""Bioregistry's records of the prefixes the project uses, relative to the package."""

_CURIE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.\-]*)\s*:\s*(\S+)\s*$")


class IdentifierError(DermkgError, ValueError):
    """A CURIE or IRI that Bioregistry cannot resolve, or a malformed local identifier."""


@dataclass(frozen=True)
class PrefixRecord:
    """What the identifier functions need of one Bioregistry prefix."""

    prefix: str  # the canonical Bioregistry prefix ("chebi")
    preferred: str | None  # its preferred stylisation ("CHEBI"), if any
    uri_prefix: str | None  # the IRI prefix a local identifier is appended to
    pattern: str | None  # the regular expression of a local identifier
    banana: str | None  # a redundant prefix written inside identifiers ("CHEBI")
    banana_peel: str  # what separates the banana from the identifier (":")

    def standardize(self, identifier: str) -> str:
        """``identifier`` without a redundant prefix or banana (``CHEBI:1234`` → ``1234``),
        exactly as ``bioregistry.Resource.standardize_identifier``."""
        folded = identifier.casefold()
        for peel in (self.banana_peel, "_"):
            prebanana = f"{self.banana}{peel}".casefold()
            if self.banana and folded.startswith(prebanana):
                return identifier[len(prebanana) :]
            if folded.startswith(f"{self.prefix.casefold()}{peel}"):
                return identifier[len(self.prefix) + len(peel) :]
        return identifier


def _norm(prefix: str) -> str:
    """Bioregistry's lexical key of a prefix synonym (``bioregistry.utils._norm``)."""
    key = prefix.casefold().lower()
    for char in " -_./":
        key = key.replace(char, "")
    return key


def bioregistry_records(
    prefixes: Iterable[str],
) -> tuple[dict[str, PrefixRecord], dict[str, str]]:
    """Bioregistry's records of ``prefixes`` (any synonym) and every synonym key of them,
    computed from the installed ``bioregistry`` package: ``({canonical: record},
    {synonym key: canonical})``. Raises :class:`IdentifierError` for an unknown prefix."""
    import bioregistry

    records: dict[str, PrefixRecord] = {}
    for given in prefixes:
        norm = bioregistry.normalize_prefix(given)
        if norm is None:
            raise IdentifierError(f"prefix {given!r} is not in Bioregistry")
        resource = bioregistry.get_resource(norm)
        assert resource is not None  # normalize_prefix found it
        uri = bioregistry.get_uri_prefix(norm)
        records[norm] = PrefixRecord(
            prefix=norm,
            preferred=bioregistry.get_preferred_prefix(norm),
            uri_prefix=str(uri) if uri else None,
            pattern=bioregistry.get_pattern(norm),
            banana=resource.get_banana(),
            banana_peel=resource.get_banana_peel(),
        )
    synonyms = {
        key: canonical
        for key, canonical in bioregistry.manager.synonyms.items()
        if canonical in records
    }
    return dict(sorted(records.items())), dict(sorted(synonyms.items()))


def records_to_json(
    records: Mapping[str, PrefixRecord], synonyms: Mapping[str, str], version: str
) -> str:
    """The text of :data:`PREFIX_CACHE` for ``records`` and ``synonyms``."""
    data = {
        "comment": "Generated by scripts/update_prefix_cache.py from the bioregistry package; "
        "do not edit by hand.",
        "bioregistry_version": version,
        "prefixes": {k: asdict(r) for k, r in sorted(records.items())},
        "synonyms": dict(sorted(synonyms.items())),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


@cache
def cached_records() -> tuple[dict[str, PrefixRecord], dict[str, str]]:
    """The records of :data:`PREFIX_CACHE`: ``({canonical: record}, {synonym key:
    canonical})``; empty when the file is missing."""
    resource = files("dermkg").joinpath(PREFIX_CACHE)
    try:
        data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, {}
    records = {k: PrefixRecord(**v) for k, v in data["prefixes"].items()}
    return records, dict(data["synonyms"])


@cache
def _record(prefix: str) -> PrefixRecord | None:
    """Bioregistry's record of ``prefix`` (any synonym): from the cache file, else from
    Bioregistry itself; None when Bioregistry does not know the prefix."""
    records, synonyms = cached_records()
    canonical = synonyms.get(_norm(prefix))
    if canonical is not None and canonical in records:
        return records[canonical]
    try:
        found, _ = bioregistry_records([prefix])
    except IdentifierError:
        return None
    return next(iter(found.values()))


@cache
def converter() -> curies.Converter:
    """Bioregistry's converter, preferred prefixes first, plus the dermkg prefixes (cached;
    building it loads all of Bioregistry and takes seconds)."""
    import bioregistry
    import curies

    bioreg = bioregistry.get_converter(prefix_priority=["preferred", "default"])
    local = curies.Converter.from_prefix_map(LOCAL_PREFIXES)
    return curies.chain([local, bioreg])


def _split(curie: str) -> tuple[str, str]:
    match = _CURIE.match(curie)
    if match is None:
        raise IdentifierError(f"not a CURIE (prefix:identifier): {curie!r}")
    return match.group(1), match.group(2)


@lru_cache(maxsize=16384)
def normalize_curie(curie: str) -> str:
    """The standard form of ``curie``: Bioregistry prefix, identifier checked against its pattern.

    ``"HGNC:6190"`` → ``"hgnc:6190"``, ``"chebi:66919"`` → ``"CHEBI:66919"``,
    ``"CHEBI:CHEBI:66919"`` → ``"CHEBI:66919"``, ``"clinicaltrials:nct04921969"`` →
    ``"clinicaltrials:NCT04921969"``. Raises :class:`IdentifierError` for an unknown prefix
    or an identifier that does not match the registry's pattern.
    """
    prefix, identifier = _split(curie)
    if prefix.lower() in LOCAL_PREFIXES:
        return f"{prefix.lower()}:{identifier}"
    record = _record(prefix)
    if record is None:
        raise IdentifierError(f"{curie!r}: prefix {prefix!r} is not in Bioregistry")
    identifier = record.standardize(identifier)
    pattern = record.pattern
    if pattern is not None and not re.fullmatch(pattern, identifier):
        upper = identifier.upper()
        if re.fullmatch(pattern, upper):
            identifier = upper
        else:
            raise IdentifierError(
                f"{curie!r}: identifier {identifier!r} does not match "
                f"{record.prefix}'s pattern {pattern}"
            )
    return f"{record.preferred or record.prefix}:{identifier}"


def is_valid_curie(curie: str) -> bool:
    """True when :func:`normalize_curie` accepts ``curie`` and it expands to an IRI."""
    try:
        expand(curie)
    except IdentifierError:
        return False
    return True


@lru_cache(maxsize=16384)
def expand(curie: str) -> URIRef:
    """The IRI Bioregistry gives for ``curie`` (normalised first), e.g. ``CHEBI:66919`` →
    ``http://purl.obolibrary.org/obo/CHEBI_66919``. Uses the prefix's URI prefix directly
    (the same one Bioregistry's converter uses), so no full converter is built."""
    norm = normalize_curie(curie)
    prefix, identifier = norm.split(":", 1)
    base = uri_prefix(prefix)
    if base is None:
        raise IdentifierError(f"{curie!r}: Bioregistry has no IRI expansion for this prefix")
    return URIRef(base + identifier)


def uri_prefix(prefix: str) -> str | None:
    """The IRI prefix of ``prefix`` (a dermkg prefix or any Bioregistry synonym), or None
    when Bioregistry does not know it or gives it no IRI expansion."""
    if prefix in LOCAL_PREFIXES:
        return LOCAL_PREFIXES[prefix]
    record = _record(prefix)
    return record.uri_prefix if record else None


def compress(iri: str) -> str | None:
    """The CURIE of ``iri`` under Bioregistry's prefix map, or None if no prefix matches."""
    return converter().compress(str(iri), strict=False)


def prefix_map(prefixes: set[str] | None = None) -> dict[str, str]:
    """``{prefix: IRI prefix}`` for ``prefixes`` (all of Bioregistry's when None)."""
    if prefixes is None:
        return dict(converter().prefix_map)
    out = {p: uri_prefix(p) for p in sorted(prefixes)}
    missing = sorted(p for p, uri in out.items() if uri is None)
    if missing:
        raise IdentifierError(f"prefixes not in Bioregistry's map: {', '.join(missing)}")
    return {p: uri for p, uri in out.items() if uri is not None}
