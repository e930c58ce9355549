"""Pattern recognisers for quantities and study vocabulary, independent of the vocabulary.

Each ``find_*`` function takes a sentence string and returns matches with offsets relative
to it. Patterns are compiled once at import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, wraps

DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
NUM = r"\d+(?:\.\d+)?"

WORD_NUMBERS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_WORDNUM = r"(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")"
# "1,249", "873", "twenty-nine" ("3, 728" is two numbers, not one)
INT_OR_WORD = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d+|"
    rf"{_WORDNUM}(?:(?:[{DASH} ]|\s+and\s+){_WORDNUM}){{0,3}})"
)

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


def to_int(text: str) -> int | None:
    """``"1,249"`` → 1249, ``"twenty-nine"`` → 29, ``"six"`` → 6; None when not a number."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    total = 0
    for part in re.split(rf"[{DASH} ]+", t):
        if part == "and":
            continue
        if part not in WORD_NUMBERS:
            return None
        total = total * 100 if part == "hundred" and total else total + WORD_NUMBERS[part]
    return total


@dataclass(frozen=True)
class Match:
    """A recognised quantity: ``kind``, offsets in the sentence and parsed values."""

    kind: str
    start: int
    end: int
    value: float | None = None
    value_max: float | None = None
    text: str = ""
    qualifier: str = ""


_CACHES: list[Callable[[], None]] = []


def clear_caches() -> None:
    """Forget memoised results (benchmarks clear them between documents)."""
    for clear in _CACHES:
        clear()


def _cached(fn: Callable[[str], list[Match]]) -> Callable[[str], list[Match]]:
    """Memoise a recogniser on its input string (rules ask for the same sentence often)."""
    cached = lru_cache(maxsize=8192)(lambda s: tuple(fn(s)))
    _CACHES.append(cached.cache_clear)

    @wraps(fn)
    def wrapper(s: str) -> list[Match]:
        return list(cached(s))

    return wrapper


# --- percentages, ranges, counts ---------------------------------------------------------

_RANGE = re.compile(
    rf"(?P<from>\bfrom\s+)?(?P<a>{NUM})\s?%?\s*(?:[{DASH}]|\bto\b)\s*(?P<b>{NUM})\s?%"
)
_BETWEEN = re.compile(rf"\bbetween\s+(?P<a>{NUM})\s?%?\s+and\s+(?P<b>{NUM})\s?%")
_PERCENT = re.compile(
    rf"(?P<op>[<>\u2264\u2265]=?\s?)?(?P<q>\b(?:over|more than|nearly|almost|about|approximately|"
    rf"roughly|around|up to|less than|fewer than|under|only)\s+)?(?P<v>{NUM})\s?(?:%|percent\b)"
)
# a minus sign right before a number, after a space, bracket, colon or the start (not the
# dash of a range such as "10-15%", which follows a digit)
_SIGN = re.compile(r"(?:^|(?<=[\s(\[:;,]))[-\u2212]$")
_WORD_PERCENT = re.compile(
    rf"\b(?P<w>{_WORDNUM}(?:[{DASH} ]{_WORDNUM})?)(?:\s+point\s+(?P<f>{_WORDNUM}))?\s+percent\b",
    re.I,
)
_COUNT_PCT = re.compile(
    rf"(?P<n>\d[\d,]*|\b{_WORDNUM})\s*(?:(?:patients?|participants?|children|infants|subjects?)\s*)?"
    rf"\(\s*(?P<p>{NUM})\s?%\s*\)",
    re.I,
)
_N_EQ = re.compile(r"\b[nN]\s*=\s*(?P<n>\d[\d,]*)")
_COUNT = re.compile(
    rf"(?P<q>\b(?:over|more than|nearly|almost|about|approximately|a total of|total of)\s+)?"
    rf"(?<!phase )\b(?P<n>{INT_OR_WORD})\s+(?:(?!(?:in|of|with|at|for|from|results?|years?|months?|weeks?|days?|and|or|to)\b|\d)\w+[{DASH}]?\w*\s+){{0,2}}?"  # noqa: E501 (a pattern reads best on one line)
    r"(?P<who>patients|participants|subjects|children|adults|adolescents|infants|individuals|people|volunteers)\b",
    re.IGNORECASE,
)


@_cached
def find_percents(s: str) -> list[Match]:
    """Percent values and percent ranges; a range swallows its two ends."""
    out: list[Match] = []
    if "%" not in s and "percent" not in s.lower():
        return out
    taken: list[tuple[int, int]] = []
    for rx in (_BETWEEN, _RANGE):
        for m in rx.finditer(s):
            if (
                m.groupdict().get("from")
                and re.search(r"\bto\b", m.group(0))
                and not re.search(r"\brang\w*\s+$", s[max(0, m.start() - 12) : m.start()])
            ):
                continue  # "from 58% to 2.2%": a change, two values
            a, b = float(m.group("a")), float(m.group("b"))
            if a > b or any(m.start() < e and s_ < m.end() for s_, e in taken):
                continue
            out.append(Match("range", m.start("a"), m.end(), a, b, m.group(0)))
            taken.append((m.start("a"), m.end()))
    for m in _WORD_PERCENT.finditer(s):
        whole = to_int(m.group("w"))
        if whole is None:
            continue
        frac = m.group("f")
        value = (
            float(f"{whole}.{to_int(frac)}") if frac and to_int(frac) is not None else float(whole)
        )
        out.append(Match("percent", m.start(), m.end(), value, None, m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _PERCENT.finditer(s):
        if any(m.start("v") < e and s_ < m.end() for s_, e in taken):
            continue
        q = (m.group("q") or "").strip().lower()
        op = (m.group("op") or "").strip()
        start, value = m.start("v"), float(m.group("v"))
        if not op and not q and _SIGN.search(s, max(0, start - 2), start):
            start, value = start - 1, -value  # "-50.3%", "(−61.5%)": a signed change
        out.append(Match("percent", start, m.end(), value, None, m.group(0), op or q))
    return sorted(out, key=lambda x: x.start)


_HAS_COUNT = re.compile(
    r"\(|=|patient|participant|subject|child|adult|adolescent|infant|individual|people|volunteer",
    re.I,
)
_HAS_AGE = re.compile(r"age|year|yr|month|old|young|\u2265|>", re.I)
_HAS_FREQ = re.compile(r"dail|day|bid|b\.i|qd|q\.d|needed|prn|p\.r|week|q\dw|month", re.I)
_HAS_TIME = re.compile(r"week|day|baseline", re.I)


@_cached
def find_counts(s: str) -> list[Match]:
    """Patient counts: "28 (71.8%)", "n=73", "29 patients", "six patients"."""
    out: list[Match] = []
    if not _HAS_COUNT.search(s):
        return out
    for m in _COUNT_PCT.finditer(s):
        n = to_int(m.group("n"))
        out.append(Match("count_pct", m.start(), m.end(), n, float(m.group("p")), m.group(0)))
    for m in _N_EQ.finditer(s):
        out.append(Match("n", m.start(), m.end(), to_int(m.group("n")), None, m.group(0)))
    for m in _COUNT.finditer(s):
        n = to_int(m.group("n"))
        if n is None or any(o.start <= m.start("n") < o.end for o in out):
            continue
        out.append(
            Match(
                "count",
                m.start("n"),
                m.end(),
                n,
                None,
                m.group(0),
                (m.group("q") or "").strip().lower(),
            )
        )
    return sorted(out, key=lambda x: x.start)


# --- ages --------------------------------------------------------------------------------

_UNIT = r"(?P<u{i}>years?|yrs?|months?|mos?)"
_AGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\bbetween\s+(?:the\s+)?ages?\s+of\s+(?P<a>\d+)\s*(?P<ua>months?|years?)?\s+and\s+(?P<b>\d+)(?:\s*(?P<ub>years?|months?))?",
            re.I,
        ),
        "range",
    ),
    (
        re.compile(
            rf"\b(?:aged?|ages|children|patients|adults|adolescents|infants|participants|those)\s+(?:from\s+)?(?P<a>\d+)\s*(?P<ua>months?|years?)?\s*(?:[{DASH}]|to|through)\s*(?:less\s+than\s+|younger\s+than\s+|under\s+|<\s?)?(?P<b>\d+)(?:\s*(?P<ub>years?|yrs?|months?))?",
            re.I,
        ),
        "range",
    ),
    (
        # "between 2 and 17 years of age", "from 6 months to 5 years old"
        re.compile(
            rf"\b(?:from|between)\s+(?P<a>\d+)\s*(?P<ua>months?|years?)?\s*(?:to|and|[{DASH}])\s*"
            r"(?P<b>\d+)\s*(?P<ub>years?|months?)\s+(?:of\s+age|old)\b",
            re.I,
        ),
        "range",
    ),
    (
        re.compile(
            rf"\b(?P<a>\d+)[\s{DASH}]*(?P<ua>months?)\s*(?:[{DASH}]?\s*to\s*[{DASH}]?|[{DASH}]|through)\s*(?P<b>\d+)[\s{DASH}]*(?P<ub>years?)",
            re.I,
        ),
        "range",
    ),
    (
        re.compile(
            rf"\b(?P<a>\d+)\s*(?:[{DASH}]|to)\s*(?P<b>\d+)(?P<ub>)[{DASH} ]years?[{DASH} ]olds?\b",
            re.I,
        ),
        "range",
    ),
    (re.compile(r"\bas\s+young\s+as\s+(?P<a>\d+)(?:\s*(?P<ua>years?|months?))?", re.I), "min"),
    (
        re.compile(
            r"\b(?:from|down\s+to)\s+(?:(?:the\s+)?age\s+(?:of\s+)?)?(?P<a>\d+)\s*(?P<ua>years?|months?)?(?:\s+of\s+age|\s+old)?(?!\s*(?:to|through|[-\u2013])\s*\d)",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            r"(?:\baged?\s+|\bages\s+)?(?:[\u2265>]=?|\bat\s+least\s+)\s*(?P<a>\d+)\s*(?P<ua>years?|yrs?|months?)(?:\s+of\s+age|\s+old)?",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            r"\b(?P<a>\d+)\s*(?P<ua>years?|yrs?|months?)?(?:\s+old|\s+of\s+age)?\s+(?:and|or)\s+(?:older|over|above|up)\b",
            re.I,
        ),
        "min",
    ),
    (re.compile(r"\b(?:aged?|ages)\s+(?P<a>\d+)\s*(?P<ua>years?|months?)?\s*\+", re.I), "min"),
    (
        re.compile(
            r"\b(?:aged?\s+)?(?P<b>\d+)\s*(?P<ub>years?|months?)(?:\s+old|\s+of\s+age)?\s+(?:and|or)\s+(?:younger|under|below)\b",
            re.I,
        ),
        "max",
    ),
    (
        re.compile(
            r"\b(?:aged?\s+)?(?:under|younger\s+than|[<\u2264]=?)\s*(?P<b>\d+)\s*(?P<ub>years?)(?:\s+of\s+age|\s+old)?",
            re.I,
        ),
        "max",
    ),
]
_DURATION_BEFORE = re.compile(r"\b(?:for|over|within|during|after|lasting|of)\s*$", re.I)


def _years(value: str | None, unit: str | None) -> float | None:
    if value is None:
        return None
    v = float(value)
    if unit and unit.lower().startswith("mo"):
        return round(v / 12, 2)
    return v


@_cached
def find_ages(s: str) -> list[Match]:
    """Age bounds: ``value`` is the lower bound, ``value_max`` the upper (None: open)."""
    out: list[Match] = []
    if not _HAS_AGE.search(s):
        return out
    for rx, how in _AGE_PATTERNS:
        for m in rx.finditer(s):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            g = m.groupdict()
            if (
                how == "min"
                and "older" not in m.group(0).lower()
                and "young" not in m.group(0).lower()
                and not re.search(r"age|old", m.group(0), re.I)
                and _DURATION_BEFORE.search(s[max(0, m.start() - 10) : m.start()])
            ):
                continue  # "AD for >=2 years": a duration, not an age
            if how == "min" and not re.search(r"age|old|year|yr|young|month", m.group(0), re.I):
                continue
            ua, ub = g.get("ua"), g.get("ub")
            if how == "range":
                unit_b = ub or ua
                if not unit_b and not re.search(r"\bage|\baged", m.group(0), re.I):
                    continue
                lo, hi = _years(g["a"], ua or unit_b), _years(g["b"], unit_b)
                if lo is None or hi is None or lo >= hi:
                    continue
                out.append(Match("age", m.start(), m.end(), lo, hi, m.group(0)))
            elif how == "min":
                out.append(Match("age", m.start(), m.end(), _years(g["a"], ua), None, m.group(0)))
            else:
                out.append(Match("age", m.start(), m.end(), None, _years(g["b"], ub), m.group(0)))
    return sorted(out, key=lambda x: x.start)


# --- dates -------------------------------------------------------------------------------

_DATES = [
    re.compile(
        rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH})\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b", re.I),
]


@_cached
def find_dates(s: str) -> list[Match]:
    """Dates as ISO text in ``text``: "2025-09-18", or "2021-09" when only the month is given."""
    out: list[Match] = []
    for rx in _DATES:
        for m in rx.finditer(s):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            g = m.groupdict()
            month = int(g["mn"]) if g.get("mn") else MONTHS[g["m"].lower().rstrip(".")]
            year = int(g["y"])
            if g.get("d"):
                try:
                    iso = date(year, month, int(g["d"])).isoformat()
                except ValueError:
                    continue
            else:
                iso = f"{year:04d}-{month:02d}"
            out.append(Match("date", m.start(), m.end(), text=iso))
    return sorted(out, key=lambda x: x.start)


# --- doses, frequencies, ratios, phases, timepoints ----------------------------------------

_FREQUENCIES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"\b(?:twice[{DASH} ]daily|twice a day|two times (?:a|per) day|b\.?i\.?d\.?)(?![\w])",
            re.I,
        ),
        "twice daily",
    ),
    (
        re.compile(
            rf"\b(?:once[{DASH} ]daily|once a day|one time (?:a|per) day|q\.?d\.?|daily)(?![\w])",
            re.I,
        ),
        "once daily",
    ),
    (re.compile(rf"\b(?:as[{DASH} ]needed|p\.?r\.?n\.?)(?![\w])", re.I), "as needed"),
    (
        re.compile(
            rf"\b(?:every[{DASH} ](?:2|two)[{DASH} ]weeks?|every[{DASH} ]other[{DASH} ]week|"
            r"q2w|biweekly)\b",
            re.I,
        ),
        "every 2 weeks",
    ),
    (
        re.compile(
            rf"\b(?:every[{DASH} ](?:4|four)[{DASH} ]weeks?|q4w|monthly|once a month)\b", re.I
        ),
        "every 4 weeks",
    ),
    (re.compile(rf"\b(?:every[{DASH} ](?:8|eight)[{DASH} ]weeks?|q8w)\b", re.I), "every 8 weeks"),
    (re.compile(r"\b(?:weekly|once a week|every week|qw)\b", re.I), "once weekly"),
]


@_cached
def find_frequencies(s: str) -> list[Match]:
    """Dosing frequencies, normalised ("twice daily", "once daily", "as needed", "every 2 weeks")."""  # noqa: E501
    out: list[Match] = []
    if not _HAS_FREQ.search(s):
        return out
    for rx, norm in _FREQUENCIES:
        for m in rx.finditer(s):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            out.append(Match("frequency", m.start(), m.end(), text=norm))
    return sorted(out, key=lambda x: x.start)


_STRENGTH = re.compile(rf"(?P<v>{NUM})\s?%")
_MG = re.compile(rf"(?P<v>{NUM})(?:\s|[{DASH}])?(?P<u>mg|mcg|\u00b5g|g)(?:/kg)?\b(?!/g\b)")


@_cached
def find_mg_doses(s: str) -> list[Match]:
    """Doses in mass units ("300 mg", "15 mg")."""
    return [
        Match("dose", m.start(), m.end(), float(m.group("v")), text=m.group(0))
        for m in _MG.finditer(s)
    ]


# "2:1", "1:1:1" (never a clock time or a video timestamp such as "[01:43]" or "14:30")
_RATIO = re.compile(
    r"(?<![\d:.\[])(?P<r>[1-9]\d?(?:\s?:\s?[1-9]\d?){1,5})(?![\d:\]])(?!\s*(?:[ap]\.?m\b|h\b|hours?|UTC|GMT))",
    re.I,
)


@_cached
def find_ratios(s: str) -> list[Match]:
    """Allocation ratios ("2:2:1") in a sentence about randomisation."""
    if not re.search(r"randomi[sz]|allocat|ratio|assigned", s, re.I):
        return []
    out = [
        Match("ratio", m.start(), m.end(), text=re.sub(r"\s", "", m.group("r")))
        for m in _RATIO.finditer(s)
        if not re.search(r"\b(?:at|from|until|by)\s+$", s[max(0, m.start() - 8) : m.start()], re.I)
    ]
    for m in _WORD_RATIO.finditer(s):  # "randomized two to one", "in a one-to-one ratio"
        parts = [to_int(w) for w in _RATIO_TO.split(m.group(0))]
        if all(p is not None for p in parts):
            out.append(Match("ratio", m.start(), m.end(), text=":".join(str(p) for p in parts)))
    return sorted(out, key=lambda x: x.start)


_RATIO_WORD = r"(?:one|two|three|four)"
_RATIO_TO = re.compile(rf"\s*(?:[{DASH}]|\s)to(?:[{DASH}]|\s)\s*", re.I)
_WORD_RATIO = re.compile(
    rf"\b{_RATIO_WORD}(?:(?:[{DASH}]|\s)to(?:[{DASH}]|\s){_RATIO_WORD}){{1,3}}\b(?!\s+(?:years?|months?|weeks?|days?|times?))",
    re.I,
)


_PHASE = re.compile(
    r"\bphase\s*(?P<p>(?:[1-4]|IV|I{1,3})[ab]?(?:\s*/\s*(?:[1-4]|I{1,3})[ab]?)?)\b", re.I
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


@_cached
def find_phases(s: str) -> list[Match]:
    """Trial phases, normalised to arabic numerals ("3", "2b", "2/3")."""
    out = []
    for m in _PHASE.finditer(s):
        parts = []
        for part in re.split(r"\s*/\s*", m.group("p")):
            head = part.rstrip("abAB")
            parts.append(_ROMAN.get(head.lower(), head) + part[len(head) :].lower())
        out.append(Match("phase", m.start(), m.end(), text="/".join(parts)))
    return out


_TIMEPOINTS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            rf"\b(?:from\s+)?weeks?\s*(?P<a>\d+)\s*(?:through|to|until|and|[{DASH}])\s*(?:weeks?\s*)?(?P<b>\d+)\b",
            re.I,
        ),
        "week-range",
    ),
    (re.compile(r"\bweek\s*(?P<a>\d+)\b", re.I), "week"),
    (re.compile(r"\bday\s*(?P<a>\d+)\b", re.I), "day"),
    (
        re.compile(
            rf"\b(?:at|after|by|through|over|within)\s+(?:the\s+end\s+of\s+(?:the\s+)?)?(?P<a>\d+|{_WORDNUM})[{DASH} ]weeks?\b",  # noqa: E501 (a pattern reads best on one line)
            re.I,
        ),
        "week",
    ),
    (re.compile(rf"\bend\s+of\s+(?:the\s+)?(?P<a>\d+)[{DASH} ]week\b", re.I), "week"),
    (
        re.compile(
            r"(?<!from )(?<!since )(?<!over )(?<!versus )(?<!vs )(?<!to )\bbaseline\b(?!\s+(?:to|through|until)\s+(?:week|day|month))",  # noqa: E501 (a pattern reads best on one line)
            re.I,
        ),
        "baseline",
    ),
]


@_cached
def find_timepoints(s: str) -> list[Match]:
    """Timepoints: "week 8", "week 12-52", "baseline", "day 4" (in ``text``)."""
    out: list[Match] = []
    if not _HAS_TIME.search(s):
        return out
    for rx, how in _TIMEPOINTS:
        for m in rx.finditer(s):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            g = m.groupdict()
            if how == "baseline":
                out.append(Match("timepoint", m.start(), m.end(), text="baseline"))
                continue
            a = to_int(g["a"])
            if a is None:
                continue
            if how == "week-range":
                b = to_int(g["b"])
                if b is None or b <= a:
                    continue
                out.append(Match("timepoint", m.start(), m.end(), a, b, f"week {a}-{b}"))
            else:
                out.append(
                    Match(
                        "timepoint",
                        m.start(),
                        m.end(),
                        a,
                        a if how == "week" else None,
                        f"{how} {a}",
                    )
                )
    return sorted(out, key=lambda x: x.start)


_DURATION = re.compile(rf"(?P<v>{NUM}|{_WORDNUM})\s*(?P<u>days?|weeks?)\b", re.I)


@_cached
def find_durations(s: str) -> list[Match]:
    """Durations reported as values ("a median time ... of 4 days")."""
    out = []
    for m in _DURATION.finditer(s):
        v = m.group("v")
        num = float(v) if v[0].isdigit() else to_int(v)
        if num is None:
            continue
        unit = "day" if m.group("u").lower().startswith("day") else "week"
        out.append(Match("duration", m.start(), m.end(), float(num), None, m.group(0), unit))
    return out


_NCT = re.compile(r"\bNCT\d{8}\b")


@_cached
def find_nct(s: str) -> list[Match]:
    """ClinicalTrials.gov identifiers."""
    return [Match("nct", m.start(), m.end(), text=m.group(0)) for m in _NCT.finditer(s)]
