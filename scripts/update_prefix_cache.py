"""Write ``src/dermkg/data/bioregistry-prefixes.json``: Bioregistry's records of the
prefixes the project uses, so that ``dermkg.identifiers`` need not load Bioregistry.

The prefixes are those of the packaged data (both SSSOM files' ``curie_map`` and mapping
objects, the registry table of the ``external-links`` query) and :data:`EXTRA_PREFIXES`,
the registries the loaders and users link to. Run it after upgrading ``bioregistry`` or
adding a prefix:

    .venv/bin/python scripts/update_prefix_cache.py          # rewrite the file
    .venv/bin/python scripts/update_prefix_cache.py --check  # exit 1 if it is stale

``tests/test_identifiers.py`` fails when the file differs from what this script writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib.metadata import version
from pathlib import Path

from dermkg.alignments import MappingSet, read_mappings
from dermkg.identifiers import LOCAL_PREFIXES, PREFIX_CACHE, bioregistry_records, records_to_json
from dermkg.namespaces import PREFIXES
from dermkg.resources import ontology_dir, queries_dir
from dermkg.vocabulary import MAPPINGS_FILE, VOCABULARY_DIR

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "dermkg" / PREFIX_CACHE

EXTRA_PREFIXES: tuple[str, ...] = (
    # Trial registries (loaders link trials by their registry id).
    "clinicaltrials", "euclinicaltrials", "ctis", "isrctn",
    # Drugs, diseases, adverse events, genes and the literature.
    "drugbank", "drugcentral", "kegg.drug", "efo", "omim", "meddra", "loinc", "ncbigene",
    "pubmed", "doi",
)  # fmt: skip

_QUERY_TABLE = re.compile(r'\("[^"]+" "([^"]+)"\)')  # ("namespace IRI" "prefix") rows


def _prefixes(mappings: MappingSet) -> set[str]:
    """The prefixes of a mapping set's ``curie_map`` and of every CURIE in its rows."""
    curies = [
        curie
        for m in mappings.mappings
        for curie in (m.subject_id, m.predicate_id, m.object_id, m.mapping_justification)
    ]
    return set(mappings.curie_map) | {c.split(":", 1)[0] for c in curies if ":" in c}


def used_prefixes() -> set[str]:
    """The external prefixes the packaged data and :data:`EXTRA_PREFIXES` use."""
    found = set(EXTRA_PREFIXES)
    found |= _prefixes(read_mappings())
    vocab_file = ontology_dir().joinpath(VOCABULARY_DIR).joinpath(MAPPINGS_FILE)
    vocab_text = vocab_file.read_text("utf-8")
    found |= _prefixes(read_mappings(vocab_text, source=MAPPINGS_FILE))
    query = queries_dir().joinpath("external-links.rq")
    if query.is_file():
        found |= set(_QUERY_TABLE.findall(query.read_text("utf-8")))
    return {p for p in found if p not in LOCAL_PREFIXES and p not in PREFIXES}


def render() -> str:
    """The text the cache file should have now."""
    records, synonyms = bioregistry_records(sorted(used_prefixes()))
    return records_to_json(records, synonyms, version("bioregistry"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is stale")
    args = parser.parse_args(argv)
    text = render()
    current = OUTPUT.read_text("utf-8") if OUTPUT.is_file() else ""
    if args.check:
        if text != current:
            print(f"{OUTPUT} is stale; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
