"""Cross-document study identity: the same trial named in several documents shares one IRI.

A study is keyed by its NCT id when any document gives one for it (directly, or for a study
of the same normalised name), else by its normalised name ("true-ad3"); unnamed studies
stay document-scoped.
"""

from __future__ import annotations

import re

from dermkg.loaders.claims import Study


def normalised_name(name: str) -> str:
    """``"TRuE-AD3"`` → ``"true-ad3"``; ``"ECZTRA 1"`` → ``"ecztra-1"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def link_studies(per_document: list[list[Study]]) -> None:
    """Set ``iri_key`` of every named study of every document."""
    nct_of_name: dict[str, str] = {}
    for studies in per_document:
        for s in studies:
            if s.nct_id and s.acronym:
                nct_of_name.setdefault(normalised_name(s.acronym), s.nct_id)
    for studies in per_document:
        for s in studies:
            if not s.named:
                continue
            name = normalised_name(s.acronym or s.label)
            s.iri_key = s.nct_id or nct_of_name.get(name, "") or name
