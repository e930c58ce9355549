"""The ``# filter:`` operators (dermkg.row_filters): each decides as the SPARQL FILTER it
stands for would, and an indexed operator's key agrees with its test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from dermkg.row_filters import FILTER_OPS

TRUE, FALSE = Literal(True), Literal(False)


@pytest.mark.parametrize(("op", "cell", "value", "text", "expected"), [
    ("equals", Literal(2), Literal(Decimal("2.0")), None, True),  # 2 = 2.0
    ("equals", Literal(True), Literal(1), None, False),  # true is not 1
    ("equals", Literal("a"), Literal("a", datatype=XSD.string), None, True),
    ("equals", URIRef("http://e/a"), Literal("http://e/a"), None, False),  # IRI is no text
    ("equals", None, Literal(2), None, False),
    ("equals-ci", Literal("TRuE-AD3"), Literal("true-ad3"), None, True),
    ("same-text", URIRef("http://e/a"), Literal("http://e/a"), None, True),
    ("contains-ci", Literal("EASI-75 at week 8"), Literal("easi"), None, True),
    ("contains-ci", None, Literal("easi"), None, False),
    ("at-most-or-unbound", Literal(12), Literal(11), None, False),
    ("at-most-or-unbound", None, Literal(11), None, True),
    ("at-most-or-unbound", Literal("twelve"), Literal(11), None, False),  # an error keeps nothing
    ("at-least-or-unbound", Literal(Decimal("0.5")), Literal(0), None, True),
    ("date-since", Literal("2025-09", datatype=XSD.gYearMonth), Literal("2025-09-15"), None, True),
    ("date-since", Literal("2024"), Literal("2025-01-01"), None, False),
    ("true-or-text", Literal("definition"), TRUE, "reasoner", True),
    ("true-or-text", Literal("definition"), FALSE, "reasoner", False),
    ("true-or-text", Literal("reasoner"), FALSE, "reasoner", True),
])
def test_operator_decides_like_its_filter(op: str, cell: Literal | URIRef | None,
                                          value: Literal, text: str | None,
                                          expected: bool) -> None:
    assert FILTER_OPS[op].holds(cell, value, text) is expected


@pytest.mark.parametrize("op", [op for op in FILTER_OPS.values() if op.index_key])
@pytest.mark.parametrize(("a", "b"), [
    (Literal(2), Literal(Decimal("2.0"))), (Literal("Abc"), Literal("aBC")),
    (Literal("x"), Literal("y")), (URIRef("http://e/a"), Literal("http://e/a")),
    (Literal(True), Literal(1)),
])
def test_an_index_key_is_shared_exactly_when_the_operator_holds(op, a, b) -> None:  # type: ignore[no-untyped-def]
    assert (op.index_key(a) == op.index_key(b)) is op.holds(a, b, None)


def test_only_true_or_text_takes_a_text_operand() -> None:
    assert [op.name for op in FILTER_OPS.values() if op.takes_text] == ["true-or-text"]
