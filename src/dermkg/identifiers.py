"""External identifiers: CURIE ⇄ IRI with Bioregistry's prefix map.

Prefixes, their IRI expansions and the syntax of local identifiers come from the data
that the ``bioregistry`` package ships (no network access, no hand-kept table). CURIEs
are written with Bioregistry's *preferred* prefix where it has one (``CHEBI:66919``,
``MONDO:0004980``, ``NCIT:C3``) and its canonical prefix otherwise (``hgnc:6190``,
``uniprot:P23458``, ``clinicaltrials:NCT04921969``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import bioregistry
import curies
from rdflib import URIRef

from dermkg.errors import DermkgError
from dermkg.namespaces import DKG, DKGD, DKGG, DKGR

__all__ = [
    "LOCAL_PREFIXES",
    "IdentifierError",
    "compress",
    "converter",
    "expand",
    "is_valid_curie",
    "normalize_curie",
    "prefix_map",
]

LOCAL_PREFIXES: dict[str, str] = {
    "dkg": str(DKG),
    "dkgr": str(DKGR),
    "dkgd": str(DKGD),
    "dkgg": str(DKGG),
}
"""The project's own prefixes (not in Bioregistry); see docs/model.md."""

_CURIE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.\-]*)\s*:\s*(\S+)\s*$")


class IdentifierError(DermkgError, ValueError):
    """A CURIE or IRI that Bioregistry cannot resolve, or a malformed local identifier."""


@cache
def converter() -> curies.Converter:
    """Bioregistry's converter, preferred prefixes first, plus the dermkg prefixes (cached)."""
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
    norm = bioregistry.normalize_prefix(prefix)
    if norm is None:
        raise IdentifierError(f"{curie!r}: prefix {prefix!r} is not in Bioregistry")
    identifier = bioregistry.standardize_identifier(norm, identifier)
    pattern = bioregistry.get_pattern(norm)
    if pattern is not None and not re.fullmatch(pattern, identifier):
        upper = identifier.upper()
        if re.fullmatch(pattern, upper):
            identifier = upper
        else:
            raise IdentifierError(
                f"{curie!r}: identifier {identifier!r} does not match {norm}'s pattern {pattern}"
            )
    out_prefix = bioregistry.get_preferred_prefix(norm) or norm
    return f"{out_prefix}:{identifier}"


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
    uri_prefix = _uri_prefix(prefix)
    if uri_prefix is None:
        raise IdentifierError(f"{curie!r}: Bioregistry has no IRI expansion for this prefix")
    return URIRef(uri_prefix + identifier)


@cache
def _uri_prefix(prefix: str) -> str | None:
    if prefix in LOCAL_PREFIXES:
        return LOCAL_PREFIXES[prefix]
    norm = bioregistry.normalize_prefix(prefix)
    return bioregistry.get_uri_prefix(norm) if norm else None


def compress(iri: str) -> str | None:
    """The CURIE of ``iri`` under Bioregistry's prefix map, or None if no prefix matches."""
    return converter().compress(str(iri), strict=False)


def prefix_map(prefixes: set[str] | None = None) -> dict[str, str]:
    """``{prefix: IRI prefix}`` for ``prefixes`` (all of Bioregistry's when None)."""
    if prefixes is None:
        return dict(converter().prefix_map)
    out = {p: _uri_prefix(p) for p in sorted(prefixes)}
    missing = sorted(p for p, uri in out.items() if uri is None)
    if missing:
        raise IdentifierError(f"prefixes not in Bioregistry's map: {', '.join(missing)}")
    return {p: uri for p, uri in out.items() if uri is not None}
