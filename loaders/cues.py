"""The cue patterns of ``loaders/data/cues.yaml``, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml


@dataclass(frozen=True)
class Cues:
    """Compiled cue patterns (see the comments in ``cues.yaml``)."""

    end_sections: tuple[re.Pattern[str], ...]
    junk_blocks: tuple[re.Pattern[str], ...]
    reference_line: re.Pattern[str]
    hypothetical: re.Pattern[str]
    partial_quantifier: re.Pattern[str]
    result_cue: re.Pattern[str]
    eligibility_cue: re.Pattern[str]
    report_cue: re.Pattern[str]
    title_name_stop: re.Pattern[str]
    approval_places: dict[str, str]
    jurisdiction_words: dict[str, str]


@cache
def cues() -> Cues:
    """Load and compile ``cues.yaml`` (cached)."""
    raw = yaml.safe_load(files("dermkg.loaders").joinpath("data/cues.yaml").read_text("utf-8"))

    def one(key: str) -> re.Pattern[str]:
        return re.compile(raw[key], re.IGNORECASE)

    def many(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in raw[key])

    return Cues(
        end_sections=many("end_sections"),
        junk_blocks=many("junk_blocks"),
        reference_line=re.compile(raw["reference_line"]),
        hypothetical=one("hypothetical"),
        partial_quantifier=one("partial_quantifier"),
        result_cue=one("result_cue"),
        eligibility_cue=one("eligibility_cue"),
        report_cue=one("report_cue"),
        title_name_stop=one("title_name_stop"),
        approval_places={str(k).lower(): str(v) for k, v in raw["approval_places"].items()},
        jurisdiction_words={str(k).lower(): str(v) for k, v in raw["jurisdiction_words"].items()},
    )
