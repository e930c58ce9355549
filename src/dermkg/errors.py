"""Exception classes of dermkg. Every error a user can cause is one of these."""

from __future__ import annotations


class DermkgError(Exception):
    """Base class of every dermkg error."""


class StoreError(DermkgError):
    """The store folder is missing, locked, or not a dermkg store."""


class DocumentError(DermkgError):
    """A document cannot be read (missing, empty, binary, undecodable, too large)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class QueryError(DermkgError):
    """A saved query is unknown, malformed, or was given a bad parameter."""


class ValidationFailed(DermkgError):
    """Facts do not conform to the SHACL shapes; nothing was written."""


class RdfInputError(DermkgError):
    """An RDF input file cannot be parsed (with file, line and column when known)."""


class ReasonerError(DermkgError):
    """The OWL reasoner could not run or found the ontology inconsistent."""
