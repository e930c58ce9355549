"""Arm-column tables: a header row whose value columns are arms, and body rows labelled by
an endpoint, an adverse event or a study.

    Endpoint, % (n/N)   | Drug A 6 mg | Placebo | Drug B 30 mg
    PASI 75             | 58.4 (194/332) | 12.7 (21/166) | 35.1 (59/168)

    Study               | Drug 15 mg | Drug 30 mg | Placebo      (caption: "week 16, EASI-75")
    TRIAL 1             | 69.6%      | 79.7%      | 16.3%

A cell holds a number (with "%", "(n/N)" or "n (%)") or a placeholder ("--", "NR") that
states nothing. A row labelled by a study takes the endpoint and timepoint of the caption
above the table; a row labelled by an endpoint or an event is about the studies in focus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dermkg.loaders import patterns as P
from dermkg.loaders.claims import Arm, EfficacyResult, SafetyFinding, Study
from dermkg.loaders.context import DocContext, SentenceInfo
from dermkg.loaders.mentions import Mention

_CELL = re.compile(
    rf"\s*(?P<v>{P.NUM})\s*(?P<pct>%)?\s*"
    r"(?:\(\s*(?P<n>\d[\d,]*)\s*/\s*(?P<N>\d[\d,]*)\s*\)|\(\s*(?P<p>\d+(?:\.\d+)?)\s*%?\s*\))?\s*"
)
_PLACEHOLDER = re.compile(r"\s*(?:-+|\u2014|\u2013|NR|NA|n/?a|\u2020|\*)?\s*", re.I)
_PERCENT_HEAD = re.compile(r"%|\bpercent|\bproportion\b|\bresponse\s+rates?\b", re.I)


@dataclass
class ArmTable:
    """The columns of an arm-column table and what its caption says of its numbers."""

    columns: list[Arm | None]  # the arm of each value column (cells after the label)
    endpoint: Mention | None  # the caption's one endpoint
    timepoint: P.Match | None  # the caption's one timepoint
    percent: bool  # the caption or header says the numbers are percentages


@dataclass
class Cell:
    value: float
    percent: bool
    count: int | None
    start: int
    end: int


def header(
    info: SentenceInfo,
    cells: list[tuple[int, int]],
    arms: list[tuple[int, Arm]],
    caption: list[SentenceInfo],
) -> ArmTable | None:
    """The arm-column table a header row opens: a label cell without an arm, then one arm per
    value cell (at least two); ``arms``: (start, arm) of the arms the row names;
    ``caption``: the short sentences just above the table."""
    if len(cells) < 3:
        return None
    columns: list[Arm | None] = []
    for i, (lo, hi) in enumerate(cells):
        here = [a for s, a in arms if lo <= s < hi]
        if i == 0:
            if here:
                return None
            continue
        columns.append(here[0] if len(here) == 1 else None)
    if sum(1 for c in columns if c is not None) < 2:
        return None
    endpoints = {
        m.entity.key: m for c in caption for m in c.of_kind("endpoint") if m.entity is not None
    }
    tps = {m.text: m for c in caption for m in P.find_timepoints(c.text)}
    label = info.text[cells[0][0] : cells[0][1]]
    return ArmTable(
        columns=columns,
        endpoint=next(iter(endpoints.values())) if len(endpoints) == 1 else None,
        timepoint=next(iter(tps.values())) if len(tps) == 1 else None,
        percent=bool(
            _PERCENT_HEAD.search(label) or any(_PERCENT_HEAD.search(c.text) for c in caption)
        ),
    )


def row_cells(text: str, cells: list[tuple[int, int]]) -> list[Cell | None] | None:
    """The value of each value cell of a body row (None for a placeholder cell); None when
    a cell is neither a number nor a placeholder."""
    out: list[Cell | None] = []
    for lo, hi in cells[1:]:
        m = _CELL.fullmatch(text, lo, hi)
        if m is None:
            if _PLACEHOLDER.fullmatch(text, lo, hi):
                out.append(None)
                continue
            return None
        if m.group("p") is not None:  # "31 (20.1)": a count and its percent
            out.append(
                Cell(float(m.group("p")), True, P.to_int(m.group("v")), m.start("v"), m.end())
            )
            continue
        count = P.to_int(m.group("n").replace(",", "")) if m.group("n") else None
        out.append(Cell(float(m.group("v")), bool(m.group("pct")), count, m.start("v"), m.end("v")))
    return out


def row_claims(
    ctx: DocContext,
    info: SentenceInfo,
    table: ArmTable,
    cells: list[tuple[int, int]],
    studies: list[Study],
    row_study: Study | None,
    resolve: Callable[[list[Study], Arm], Arm | None],
) -> tuple[list[EfficacyResult], list[SafetyFinding]]:
    """The efficacy results or safety findings of one body row of ``table``."""
    values = row_cells(info.text, cells)
    if values is None or len(values) != len(table.columns):
        return [], []
    lo, hi = cells[0]
    label_eps = [m for m in info.of_kind("endpoint") if m.entity is not None and lo <= m.start < hi]
    label_aes = [
        m for m in info.of_kind("adverse_event") if m.entity is not None and lo <= m.start < hi
    ]
    percent = (
        table.percent
        or bool(_PERCENT_HEAD.search(info.text, lo, hi))  # "Diarrhea, % | 3.3 | 1.8"
        or any(v is not None and v.percent for v in values)
    )
    in_row = [row_study] if row_study is not None else studies
    tps = P.find_timepoints(info.text[lo:hi])
    tp = tps[0] if tps else table.timepoint
    eff: list[EfficacyResult] = []
    saf: list[SafetyFinding] = []
    for col, v in zip(table.columns, values, strict=True):
        if col is None or v is None:
            continue
        arm = resolve(in_row, col)
        if arm is None:
            continue
        if label_aes and row_study is None:
            ev = label_aes[0]
            f = SafetyFinding(
                studies=in_row,
                arm=arm,
                event=ev.entity,
                event_text=ev.text,
                patients=v.count,
                percent=v.value if percent else None,
            )
            if f.percent is None and f.patients is None:
                f.patients = int(v.value) if v.value.is_integer() else None
            f.evidence.append(ctx.evidence(info, "safety.arm-table", supports="percent"))
            saf.append(f)
            continue
        ep = label_eps[0] if label_eps else (table.endpoint if row_study is not None else None)
        if ep is None or ep.entity is None:
            continue
        res = EfficacyResult(
            studies=in_row,
            arm=arm,
            endpoint=ep.entity,
            endpoint_text=ep.text,
            timepoint=tp.text if tp else "",
            value=v.value,
            unit="%" if percent else "",
            statistic="proportion" if percent else "",
        )
        if tp is not None and tp.text.startswith("week"):
            res.start_week, res.end_week = tp.value, tp.value_max
        res.evidence.append(ctx.evidence(info, "efficacy.arm-table", supports="value"))
        eff.append(res)
    return eff, saf
