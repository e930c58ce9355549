"""The web page in a real headless Chromium (Debian's ``chromium`` package, driven by
Playwright): load the page, run a saved query, see the rows, follow one to its evidence.

Skipped when chromium or Playwright is absent. Set DERMKG_SCREENSHOTS=DIR to keep
screenshots of each step.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_server_support import APPROVAL_A, QUOTE_A, build_fixture_store, dermkg_server

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("DERMKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("browser") / "store"
    build_fixture_store(store)
    with dermkg_server(str(store)) as url:
        yield url


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("DERMKG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_run_saved_query_and_follow_a_row_to_its_evidence(browser: Any, server: str) -> None:
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/")

    saved = page.locator('#saved-queries button[data-name="approvals-by-age-and-date"]')
    saved.click()
    assert page.locator("#saved-title").inner_text() == "Approvals by age and date"
    assert "dkg:RegulatoryApproval" in page.locator("#sparql").input_value()
    page.locator("#run-saved").click()

    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2
    assert page.locator("#status").inner_text().startswith("2 rows")
    sources = page.locator('#results td[data-column="source"]').all_inner_texts()
    assert sorted(sources) == ["test-a", "test-b"]
    _shot(page, "1-results")

    # a typed parameter narrows the rows
    page.locator("#param-max_age").fill("5")
    page.locator("#run-saved").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^1 row "))
    assert page.locator('#results td[data-column="source"]').all_inner_texts() == ["test-b"]

    page.locator("#param-max_age").fill("")
    page.locator("#run-saved").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^2 rows "))
    row = page.locator("#results tbody tr", has_text="test-a")
    row.locator("button.evidence-link").click()
    quote = page.locator("#evidence-list blockquote.quote").first
    quote.wait_for()
    assert quote.inner_text() == QUOTE_A
    assert "test-a" in page.locator("#evidence-list .meta").first.inner_text()
    assert APPROVAL_A.rsplit("/", 3)[-3] in page.locator("#evidence-node").inner_text()
    page.locator("#statements tbody tr").first.wait_for()
    assert "dkg:minAgeYears" in page.locator("#statements").inner_text()
    _shot(page, "2-evidence")

    # free SPARQL from the editor, and an error shown as text
    page.locator("#sparql").fill("SELECT ?s WHERE { ?s a <https://w3id.org/dermkg/ontology#Drug> }")
    page.locator("#run").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^1 row "))
    page.locator("#sparql").fill(f"DESCRIBE <{APPROVAL_A}>")
    page.locator("#run").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^graph \(Turtle\)"))
    assert "dkg:minAgeYears" in page.locator("#graph-output").inner_text()
    page.locator("#sparql").fill("SELECT WHERE {")
    page.locator("#run").click()
    expect(page.locator("#status")).to_have_class(re.compile("error"))
    assert "syntax error" in page.locator("#status").inner_text()

    assert [p for p in problems if "status of 400" not in p] == []
    page.close()
