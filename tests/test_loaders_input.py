"""Bad and unusual input: empty, binary, too large, Latin-1, nothing relevant, HTML, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermkg import loaders
from dermkg.errors import DocumentError
from dermkg.loaders.reading import MAX_BYTES

ARTICLE = (
    "Crisaborole Ointment Approved for Infants\n\n"
    "The FDA approved crisaborole ointment 2% (Eucrisa) on March 3, 2020, for mild to moderate "
    "atopic dermatitis in patients 3 months of age and older. Crisaborole, a phosphodiesterase 4 "
    "(PDE4) inhibitor, was studied in the open-label CrisADe CARE 1 (NCT03356977) trial \u2014 "
    "caf\u00e9-style news, na\u00efve readers.\n"
)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty"):
        loaders.extract_document(p)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(DocumentError, match="binary"):
        loaders.extract_document(p)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    assert p.stat().st_size > MAX_BYTES
    with pytest.raises(DocumentError, match="too large"):
        loaders.extract_document(p)


def test_latin1_is_decoded_and_recorded(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes(ARTICLE.replace("\u2014", "-").encode("latin-1"))
    ex = loaders.extract_document(p)
    assert "caf\u00e9" in ex.text
    assert any("not UTF-8" in note for note in ex.problems)
    assert ex.claims is not None and ex.claims.approvals
    for ev in ex.evidence():
        assert ex.text[ev.start : ev.end] == ev.quote


def test_nothing_relevant_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "recipe.txt"
    p.write_text(
        "Tomato Soup\n\nSimmer four tomatoes for 20 minutes and add 5% cream.\n", encoding="utf-8"
    )
    ex = loaders.extract_document(p)
    assert not any(ex.counts().values())
    assert any("nothing relevant" in msg for msg in ex.problems)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read"):
        loaders.extract_document(tmp_path / "absent.txt")


def test_discover_lists_supported_documents(tmp_path: Path) -> None:
    for name in ("b.txt", "a.html", "c.pdf", "notes.docx", ".hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in loaders.discover(tmp_path)] == ["a.html", "b.txt", "c.pdf"]
    with pytest.raises(DocumentError):
        loaders.discover(tmp_path / "missing")


def test_html_main_content_only(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(
        "<!DOCTYPE html><html><head><title>t</title><script>var a='ruxolitinib approved';</script></head>"  # noqa: E501
        "<body><nav><a href='/'>Home</a> <a href='/x'>Ruxolitinib news</a></nav><main><article>"
        "<h1>Crisaborole Ointment Approved for Infants</h1>"
        "<p>The FDA approved crisaborole ointment 2% (Eucrisa) on March 3, 2020, for mild to moderate "  # noqa: E501
        "atopic dermatitis in patients 3 months of age and older.</p>"
        "<p>Crisaborole is a phosphodiesterase 4 (PDE4) inhibitor that was studied in infants &amp; "  # noqa: E501
        "toddlers and described at length in the company&#8217;s statement.</p>"
        "</article></main><footer>&copy; 2025 Site. Related: ruxolitinib approved for vitiligo.</footer>"  # noqa: E501
        "</body></html>",
        encoding="utf-8",
    )
    ex = loaders.extract_document(p)
    assert ex.media_type == "text/html"
    assert ex.claims is not None
    assert [(a.drug.key, a.date) for a in ex.claims.approvals] == [("crisaborole", "2020-03-03")]
    assert {(m.drug.key, m.target.key) for m in ex.claims.mechanisms} == {("crisaborole", "PDE4")}
    for ev in ex.evidence():
        assert ex.text[ev.start : ev.end] == ev.quote  # a slice of the HTML source


def test_pdf_text(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from pypdf.generic import NameObject

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    p = tmp_path / "blank.pdf"
    with p.open("wb") as fh:
        writer.write(fh)
    assert NameObject  # pypdf is importable; a blank page has no text to extract
    with pytest.raises(DocumentError, match="no extractable text"):
        loaders.extract_document(p)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(DocumentError, match="PDF"):
        loaders.extract_document(bad)


def test_same_trial_across_documents_shares_identity(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(
        "Tapinarof Data\n\nIn the phase 3 SUNBEAM-7 (NCT09990077) trial, 300 patients were "
        "randomized 2:1 to tapinarof cream 1% once daily or vehicle cream.\n",
        encoding="utf-8",
    )
    b.write_text(
        "Tapinarof Follow-Up\n\nIn the SUNBEAM-7 trial, 45.0% of patients on tapinarof reached "
        "EASI-75 at week 8 versus 12.0% on vehicle.\n",
        encoding="utf-8",
    )
    exs = [loaders.extract_document(a), loaders.extract_document(b)]
    loaders.link_documents(exs)
    keys = [s.iri_key for ex in exs if ex.claims for s in ex.claims.studies]
    assert keys == ["NCT09990077", "NCT09990077"]
