"""``dermkg validate``: readable table, standard report as Turtle / JSON-LD, exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH
from typer.testing import CliRunner

from dermkg.cli import app
from test_shapes_support import GOOD, load_cases

runner = CliRunner()


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    case = next(c for c in load_cases() if c.id == "approval-min-age-above-max-age")
    path = tmp_path / "bad.ttl"
    case.graph().serialize(path, format="turtle")
    return path


def test_good_file_conforms_exit_0() -> None:
    out = runner.invoke(app, ["validate", str(GOOD)])
    assert out.exit_code == 0, out.output
    assert "conforms" in out.output


def test_table_shows_focus_label_path_value_severity_message(bad_file: Path) -> None:
    out = runner.invoke(app, ["validate", str(bad_file)], env={"COLUMNS": "400"})
    assert out.exit_code == 1
    for text in ("dkgr:approval/fixture-doc-1/1", "dkg:minAgeYears", "Violation",
                 "not above dkg:maxAgeYears", "does not conform"):
        assert text in out.output, text


def test_table_to_file_is_csv(bad_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    out = runner.invoke(app, ["validate", str(bad_file), "--output", str(target)])
    assert out.exit_code == 1
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "focus,label,path,value,severity,message"
    assert any("dkg:minAgeYears" in line and "Violation" in line for line in lines[1:])


def test_turtle_report_is_a_shacl_validation_report(bad_file: Path) -> None:
    out = runner.invoke(app, ["validate", str(bad_file), "--format", "turtle"])
    assert out.exit_code == 1
    report = Graph().parse(data=out.stdout, format="turtle")
    root = next(report.subjects(None, SH.ValidationReport))
    assert report.value(root, SH.conforms).toPython() is False
    assert len(list(report.objects(root, SH.result))) >= 1


def test_json_report_is_json_ld_of_the_same_report(bad_file: Path) -> None:
    out = runner.invoke(app, ["validate", str(bad_file), "--format", "json"])
    assert out.exit_code == 1
    json.loads(out.stdout)
    report = Graph().parse(data=out.stdout, format="json-ld")
    conforms = list(report.objects(None, SH.conforms))
    assert [c.toPython() for c in conforms] == [False]


def test_unknown_format_is_a_usage_error() -> None:
    out = runner.invoke(app, ["validate", str(GOOD), "--format", "xml"])
    assert out.exit_code == 2


def _dermkg(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("dermkg")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)


def test_exit_status_2_with_file_line_and_column_on_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "x" ;\n  ex:q .\n',
                    encoding="utf-8")
    proc = _dermkg("validate", str(path))
    assert proc.returncode == 2
    stderr = "".join(proc.stderr.split())  # rich wraps long lines
    assert f"{path}:3:" in stderr
    assert "line3,column" in stderr


def test_exit_status_2_for_a_missing_store(tmp_path: Path) -> None:
    proc = _dermkg("validate", str(GOOD), "--store", str(tmp_path / "nothing"))
    assert proc.returncode == 2
    assert "no graph built here yet" in " ".join(proc.stderr.split())


def _built_store(tmp_path: Path, document: Graph) -> Path:
    from dermkg.graph.backend import LocalStore
    from dermkg.namespaces import ONTOLOGY_GRAPH, VOCABULARY_GRAPH, document_graph
    from dermkg.ontology_graphs import ontology_graph, vocabulary_graph

    LocalStore(tmp_path / "store").replace_all(
        {
            ONTOLOGY_GRAPH: ontology_graph(),
            VOCABULARY_GRAPH: vocabulary_graph(),
            document_graph("fixture-doc-1"): document,
        },
        {"test": True},
    )
    return tmp_path / "store"


def test_whole_store_is_validated_when_no_files_are_given(tmp_path: Path) -> None:
    good = Graph().parse(GOOD, format="turtle")
    ok = runner.invoke(app, ["validate", "--store", str(_built_store(tmp_path / "a", good))])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    case = next(c for c in load_cases() if c.id == "approval-min-age-above-max-age")
    store = _built_store(tmp_path / "b", case.graph())
    bad = runner.invoke(app, ["validate", "--store", str(store), "--format", "turtle"])
    assert bad.exit_code == 1
    report = Graph().parse(data=bad.stdout, format="turtle")
    focus = {str(o) for o in report.objects(None, SH.focusNode)}
    assert "https://w3id.org/dermkg/resource/approval/fixture-doc-1/1" in focus


def test_no_files_and_no_store_is_a_usage_error() -> None:
    out = runner.invoke(app, ["validate"])
    assert out.exit_code == 2
