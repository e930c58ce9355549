"""Locations of the data files shipped with the package (ontology, shapes, queries)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def ontology_dir() -> Traversable:
    """The ``ontology/`` folder: OWL source, shapes, mappings and vocabularies."""
    return files("dermkg.ontology")


def queries_dir() -> Traversable:
    """The ``queries/`` folder of saved SPARQL queries (``*.rq``)."""
    return files("dermkg.queries")


def ontology_file(name: str) -> Traversable:
    """A file in ``ontology/``, e.g. ``ontology_file("dermkg.ttl")``."""
    return ontology_dir().joinpath(name)
