"""Reading users' RDF files: every format, and a clear error for every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from dermkg.errors import RdfInputError
from dermkg.rdf_input import MAX_INPUT_BYTES, read_input, read_inputs, read_rdf_file

EX = "http://example.org/"
TRIPLE = (URIRef(EX + "a"), URIRef(EX + "p"), Literal("x"))

SAMPLES = {
    "facts.ttl": '@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n',
    "facts.nt": '<http://example.org/a> <http://example.org/p> "x" .\n',
    "facts.nq": '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n',
    "facts.trig": '@prefix ex: <http://example.org/> .\nex:g { ex:a ex:p "x" . }\n',
    "facts.jsonld": json.dumps(
        {"@context": {"ex": EX}, "@id": "ex:a", "ex:p": "x"}
    ),
    "facts.rdf": (
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_format_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SAMPLES[name], encoding="utf-8")
    item = read_input(path)
    assert set(item.graph) == {TRIPLE}
    assert len(item.sha256) == 64 and item.size == path.stat().st_size


def test_quad_formats_note_that_graph_names_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "facts.trig"
    path.write_text(SAMPLES["facts.trig"], encoding="utf-8")
    assert any("graph names" in n for n in read_rdf_file(path).notes)


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\nex:b ex:p ex:c ;; .\n'
                    'ex:d ex:p "open\n', encoding="utf-8")
    with pytest.raises(RdfInputError) as err:
        read_input(path)
    text = str(err.value)
    assert text.startswith(f"{path}:")
    assert "line 3" in text or "line 4" in text
    assert "column" in text


def test_unknown_prefix_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "prefix.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\n\nfoo:a ex:p "x" .\n', encoding="utf-8")
    with pytest.raises(RdfInputError, match=r"line 3.*foo"):
        read_input(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RdfInputError, match="no such file"):
        read_input(tmp_path / "absent.ttl")


@pytest.mark.parametrize("content", ["", "   \n\n", "# only a comment\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RdfInputError, match=r"empty file|no triples"):
        read_input(path)


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.nt"
    with open(path, "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    assert path.stat().st_size > MAX_INPUT_BYTES
    with pytest.raises(RdfInputError, match="over the input size limit"):
        read_input(path)


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "facts.nt"
    path.write_text(SAMPLES["facts.nt"], encoding="utf-8")
    with pytest.raises(RdfInputError, match="limit"):
        read_input(path, max_bytes=10)
    assert len(read_input(path, max_bytes=1000).graph) == 1


def test_rdfxml_external_entity_is_refused_and_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file://{secret}"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&secret;</ex:p>'
        "</rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    with pytest.raises(RdfInputError, match="external") as err:
        read_input(path)
    assert "TOP-SECRET" not in str(err.value)


def test_rdfxml_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9)
    ]
    path = tmp_path / "laughs.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {" ".join(entities)} ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:p>&l8;</ex:p>'
        "</rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    with pytest.raises(RdfInputError, match="nested entities"):
        read_input(path)


def test_jsonld_remote_context_is_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@id": EX + "a", "name": "x"}),
                    encoding="utf-8")
    with pytest.raises(RdfInputError, match="remote JSON-LD contexts are not fetched"):
        read_input(path)


def test_relative_iri_without_base_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text('<a> <http://example.org/p> "x" .\n', encoding="utf-8")
    with pytest.raises(RdfInputError, match=str(path)):
        read_input(path)


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "facts.docx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(RdfInputError, match="unknown file type"):
        read_input(path)


def test_first_bad_file_stops_reading(tmp_path: Path) -> None:
    good = tmp_path / "good.nt"
    good.write_text(SAMPLES["facts.nt"], encoding="utf-8")
    with pytest.raises(RdfInputError, match="absent"):
        read_inputs([good, tmp_path / "absent.nt"])
    with pytest.raises(RdfInputError, match="no input files"):
        read_inputs([])
