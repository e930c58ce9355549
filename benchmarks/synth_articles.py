"""Synthetic articles in the seeds' genres, written WITH their expected facts (gold rows).

Each article reports one trial of one drug of the field (data/articles.yaml) in one of five
genres: a news page with menus, related links and footer; a press release with a dateline,
"About" sections and forward-looking boilerplate; a conference report; a hard-wrapped
structured abstract; a video summary with timestamps. Sentences come from several
phrasings per kind of fact (data/phrasing.yaml). The trial's reported numbers are random.

The gold file has the format of ``../shared/acceptance/seed_gold.yaml``, so extraction is
scored at scale with the acceptance scorer::

    python benchmarks/synth_articles.py 200 benchmarks/out/articles --seed 1
    python ../shared/acceptance/score.py --gold benchmarks/out/articles/gold.yaml \\
        --corpus benchmarks/out/articles/corpus --build-cmd "…" --query-cmd "…"

Article ``i`` depends only on (seed, i): a larger corpus extends a smaller one.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
GENRES = ("news", "press", "conference", "abstract", "video")
QUERIES = ("approvals-by-age-and-date", "trials", "trial-arms", "efficacy-outcomes",
           "safety-events", "mechanisms")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@cache
def catalog() -> dict[str, Any]:
    """The field facts (data/articles.yaml)."""
    data: dict[str, Any] = yaml.safe_load((HERE / "data" / "articles.yaml").read_text("utf-8"))
    return data


@cache
def phrasing() -> dict[str, Any]:
    """The sentence templates (data/phrasing.yaml)."""
    data: dict[str, Any] = yaml.safe_load((HERE / "data" / "phrasing.yaml").read_text("utf-8"))
    return data


@dataclass
class Article:
    """One generated document: its id, genre, text and expected rows per saved query."""

    doc_id: str
    genre: str
    text: str
    gold: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _num(x: float) -> str:
    """A number as an article writes it: ``1.5``, ``2``, ``36.6``."""
    return f"{float(x):g}"


def _a(phrase: str) -> str:
    """``phrase`` with its indefinite article: "an oral …", "a topical …"."""
    return ("an " if phrase[:1].lower() in "aeio" else "a ") + phrase


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Writer:
    """Draws one article's facts and writes its sentences and gold rows."""

    def __init__(self, rng: random.Random, doc_id: str, seed: int) -> None:
        self.r = rng
        self.doc_id = doc_id
        self.gold: dict[str, list[dict[str, Any]]] = {q: [] for q in QUERIES}
        cat = catalog()
        self.drug: dict[str, Any] = rng.choice(cat["drugs"])
        self.trial: dict[str, Any] = rng.choice(self.drug["trials"])
        self.topical = self.drug["route"] == "topical"
        self.comparator = "vehicle" if self.topical else "placebo"
        self.strengths: list[float] = list(self.drug["strengths"])
        # A trial's design, and what an approval says, are the same in every article that
        # reports them (drawn from the trial's / drug's own seed); an article's choice of
        # endpoint, timepoint and wording is its own.
        fixed = random.Random(f"{seed}:{self.trial['nct']}")
        self.min_age = fixed.choice((2, 6, 12, 12, 18))
        self.max_age = fixed.choice((None, None, 11, 17)) if self.min_age < 12 else None
        if self.max_age is not None and self.max_age <= self.min_age:
            self.max_age = None
        self.phase = fixed.choice(("3", "3", "2b"))
        self.n = fixed.randrange(120, 1400)
        self.ratio = "2:2:1" if len(self.strengths) == 2 else fixed.choice(("2:1", "1:1"))
        self.year = fixed.randrange(2019, 2026)
        self.month = fixed.randrange(1, 13)
        self.day = fixed.randrange(1, 29)
        self.seed = seed

    def fixed_rng(self, *key: object) -> random.Random:
        """A generator seeded by ``key`` (the same facts for the same key in every article)."""
        return random.Random(":".join(map(str, (self.seed, self.trial["nct"], *key))))

    # -- small pieces ---------------------------------------------------------------------
    def pick(self, kind: str) -> str:
        return str(self.r.choice(phrasing()[kind]))

    def arm_text(self, s: float) -> str:
        unit = self.drug["unit"]
        dose = f"{_num(s)}%" if unit == "%" else f"{_num(s)} mg"
        return f"{self.drug['name']} {self.drug['form']} {dose}" if unit == "%" \
            else f"{self.drug['name']} {dose}"

    def age_phrase(self) -> str:
        if self.max_age is not None:
            return f"aged {self.min_age} to {self.max_age} years"
        return self.r.choice((f"aged {self.min_age} years and older",
                              f"{self.min_age} years of age and older"))

    def age_people(self) -> str:
        if self.max_age is not None:
            return f"children aged {self.min_age} to {self.max_age} years"
        return f"patients aged {self.min_age} years and older"

    def trial_gold(self) -> str:
        return f"{self.trial['name']}|{self.trial['nct']}"

    # -- facts ----------------------------------------------------------------------------
    def approval(self) -> str:
        agency = self.fixed_rng("agency").choice(catalog()["agencies"])
        date_long = f"{MONTHS[self.month - 1]} {self.day}, {self.year}"
        sentence = self.pick("approval").format(
            agency=agency["short"], agency_long=agency["long"], brand=self.drug["brand"],
            drug=self.drug["name"], form=self.drug["form"], maker=self.drug["maker"],
            severity=self.fixed_rng("severity").choice(
                ("moderate to severe", "mild to moderate", "moderate")),
            indication=self.drug["condition"], age_phrase=self.age_phrase(),
            age_people=self.age_people(), date_long=date_long,
            month_year=f"{MONTHS[self.month - 1]} {self.year}")
        row: dict[str, Any] = {
            "drug": self.drug["name"], "product": self.drug["brand"], "agency": agency["gold"],
            "indication": self.drug["condition"], "min_age_years": self.min_age,
            "date": f"{self.year}-{self.month:02d}", "source": self.doc_id}
        self.gold["approvals-by-age-and-date"].append(row)
        return sentence[0].upper() + sentence[1:]

    def design(self) -> str:
        arms = [f"{self.arm_text(s)} {self.drug['frequency']}" for s in self.strengths]
        arms.append(f"{self.comparator} {self.drug['frequency']}"
                    if self.topical else self.comparator)
        sentence = self.pick("design").format(
            trial=self.trial["name"], nct=self.trial["nct"], phase=self.phase, n=f"{self.n:,}",
            age_phrase=self.age_phrase(), condition=self.drug["condition"], ratio=self.ratio,
            arm_list=_join(arms), comparator=self.comparator)
        row: dict[str, Any] = {
            "trial": self.trial_gold(), "nct_id": self.trial["nct"], "phase": self.phase,
            "design": "randomized", "enrollment": self.n, "min_age_years": self.min_age,
            "condition": self.drug["condition"], "allocation_ratio": self.ratio,
            "source": self.doc_id}
        if self.max_age is not None:
            row["max_age_years"] = self.max_age
        self.gold["trials"].append(row)
        for s in self.strengths:
            arm: dict[str, Any] = {"trial": self.trial_gold(), "drug": self.drug["name"],
                                   "frequency": self.drug["frequency"], "source": self.doc_id}
            if self.drug["unit"] == "%":
                arm["strength_percent"] = s
            self.gold["trial-arms"].append(arm)
        self.gold["trial-arms"].append(
            {"trial": self.trial_gold(), "drug": self.comparator, "source": self.doc_id})
        return sentence[0].upper() + sentence[1:]

    def efficacy(self) -> str:
        endpoint = self.r.choice(catalog()["endpoints"])
        week = self.r.choice((8, 12, 16, 24))
        fixed = self.fixed_rng(endpoint["text"], week)
        base = fixed.uniform(4, 25)
        values = [(self.arm_text(s), _num(s), round(base + fixed.uniform(10, 45), 1))
                  for s in self.strengths]
        values.append((self.comparator, self.comparator, round(base, 1)))
        parts = [f"{_num(v)}% of patients on {label}" if i == 0 else f"{_num(v)}% on {label}"
                 for i, (label, _, v) in enumerate(values)]
        text = self.pick("efficacy").format(
            week=week, endpoint=endpoint["text"], endpoint_cap=endpoint["text"][0].upper()
            + endpoint["text"][1:], value_list=_join(parts))
        for _, arm, v in values:
            self.gold["efficacy-outcomes"].append({
                "trial": self.trial_gold(), "arm": arm, "endpoint": endpoint["gold"],
                "timepoint": f"week {week}", "value": v, "unit": "%", "source": self.doc_id})
        return text

    def safety(self) -> list[str]:
        out = []
        events = self.r.sample(catalog()["adverse_events"], 2)
        rates = [round(self.fixed_rng(e["text"]).uniform(1, 12), 1) for e in events]
        out.append(self.pick("safety_common").format(event_list=_join(
            [f"{e['text']} ({_num(p)}%)" for e, p in zip(events, rates, strict=True)])))
        for e, p in zip(events, rates, strict=True):
            self.gold["safety-events"].append({"trial": self.trial_gold(), "event": e["gold"],
                                               "percent": p, "source": self.doc_id})
        if self.r.random() < 0.7:
            patients = self.fixed_rng("teae").randrange(20, max(21, self.n // 2))
            percent = round(100 * patients / self.n, 1)
            out.append(self.pick("safety_teae").format(patients=patients, percent=_num(percent),
                                                       drug=self.drug["name"]))
            self.gold["safety-events"].append({
                "trial": self.trial_gold(), "event": "treatment-emergent|TEAE|adverse event",
                "patients": patients, "percent": percent, "source": self.doc_id})
        if self.r.random() < 0.6:
            out.append(self.pick("safety_negated"))
            self.gold["safety-events"].append({"trial": self.trial_gold(), "event": "serious",
                                               "negated": True, "source": self.doc_id})
        return out

    def mechanism(self) -> str:
        cat = catalog()
        drug = self.drug
        verb = self.r.choice(phrasing()["action_verbs"][drug["action"]])
        text = self.pick("mechanism").format(
            Drug=drug["name"].capitalize(), drug=drug["name"], a_klass=_a(drug["class"]),
            action_verb=verb, target_list=_join(drug["targets"]))
        for target in drug["targets"]:
            self.gold["mechanisms"].append({
                "drug": drug["name"], "target": cat["target_gold"][target],
                "action": cat["action_gold"][drug["action"]], "source": self.doc_id})
        return text

    def filler(self) -> str:
        return self.pick("filler")

    def quote(self) -> str:
        return self.pick("quotes").format(expert=self.r.choice(catalog()["experts"]))


# -- genres -------------------------------------------------------------------------------
def _news(w: Writer) -> str:
    cat, r = catalog(), w.r
    lines = r.sample(cat["news_menu"], 3)
    title = (f"{w.drug['name'].capitalize()} Shows Benefit in {w.trial['name']} "
             f"for {w.drug['condition'].title()}")
    lines += [title, f"By Staff Writer | {MONTHS[w.month - 1]} {w.day}, {w.year}", ""]
    body = [w.filler(), w.design(), w.efficacy(), *w.safety(), w.quote(), w.mechanism()]
    if r.random() < 0.5:
        body.insert(0, w.approval())
    lines += [s for s in body]
    lines += ["", r.choice(cat["related_headers"])]
    for item in r.sample(cat["related_items"], 3):
        lines += [f"- {item}", f"{MONTHS[r.randrange(12)]} {r.randrange(1, 29)}th {w.year}"]
    lines += r.sample(cat["footer"], 2)
    return "\n".join(lines) + "\n"


def _press(w: Writer) -> str:
    cat, r = catalog(), w.r
    city = r.choice(cat["cities"])
    lead = w.approval()
    lines = [f"{w.drug['maker']} Announces Approval of {w.drug['brand']} ({w.drug['name']})",
             "", f"{city}, {MONTHS[w.month - 1]} {w.day}, {w.year} /PRNewswire/ -- {lead}",
             "", w.design() + " " + w.efficacy(), " ".join(w.safety()), "",
             f"About {w.trial['name']}", w.filler(), "",
             f"About {w.drug['brand']}", w.mechanism(), "",
             "Forward-Looking Statements",
             "Except for the historical information set forth herein, the matters set forth in "
             "this press release contain predictions, estimates and other forward-looking "
             "statements that involve risks and uncertainties.",
             "", "Media Contact", f"{w.drug['maker']} Communications"]
    return "\n".join(lines) + "\n"


def _conference(w: Writer) -> str:
    cat, r = catalog(), w.r
    meeting = r.choice(cat["meetings"])
    lines = [f"New {w.trial['name']} Data Presented at the {w.year} {meeting}", "",
             f"Findings presented at the {w.year} {meeting} add to the evidence for "
             f"{w.drug['name']} in {w.drug['condition']}.",
             w.design(), w.efficacy(), " ".join(w.safety()), w.quote(), w.mechanism(),
             w.filler()]
    return "\n\n".join(line for line in lines if line) + "\n"


def _abstract(w: Writer) -> str:
    sections = [
        ("Background", f"{w.filler()} {w.mechanism()}"),
        ("Methods", w.design()),
        ("Results", f"{w.efficacy()} {' '.join(w.safety())}"),
        ("Conclusions", f"{w.drug['name'].capitalize()} was efficacious and well tolerated "
                        f"in patients with {w.drug['condition']}."),
    ]
    title = f"Efficacy and safety of {w.drug['name']} in {w.drug['condition']}: results from " \
            f"{w.trial['name']}"
    width = w.r.choice((68, 72, 76, 80))
    out = [title, ""]
    for name, text in sections:
        out.append(textwrap.fill(f"{name}: {text}", width=width))
    return "\n".join(out) + "\n"


def _video(w: Writer) -> str:
    r = w.r
    expert = r.choice(catalog()["experts"])
    sentences = [w.mechanism(), w.design(), w.efficacy(), *w.safety(), w.filler()]
    lines = [f"Video: {expert} on {w.drug['name']} for {w.drug['condition']}",
             "Video summary", "",
             f"In this video, {expert} discusses the {w.trial['name']} results."]
    t = 0
    for s in sentences:
        t += r.randrange(20, 90)
        lines.append(f"[{t // 60:02d}:{t % 60:02d}] {s}")
    lines += ["", "Transcript edited for clarity.", "Watch more videos"]
    return "\n".join(lines) + "\n"


WRITERS = {"news": _news, "press": _press, "conference": _conference, "abstract": _abstract,
           "video": _video}


def make_article(index: int, seed: int = 1) -> Article:
    """Article ``index`` of the corpus of ``seed`` (independent of the corpus size)."""
    rng = random.Random(f"{seed}:{index}")
    genre = GENRES[index % len(GENRES)]
    doc_id = f"syn{index:06d}_{genre}"
    w = Writer(rng, doc_id, seed)
    text = WRITERS[genre](w)
    return Article(doc_id, genre, text, {q: rows for q, rows in w.gold.items() if rows})


def write_corpus(n: int, out: Path, seed: int = 1) -> Path:
    """Write ``n`` articles to ``out/corpus/`` and their gold rows to ``out/gold.yaml``."""
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("syn*.txt"):
        old.unlink()
    gold: dict[str, Any] = {"documents": [], "queries": {q: {"rows": []} for q in QUERIES}}
    for i in range(n):
        art = make_article(i, seed)
        (corpus / f"{art.doc_id}.txt").write_text(art.text, encoding="utf-8")
        gold["documents"].append(art.doc_id)
        for q, rows in art.gold.items():
            gold["queries"][q]["rows"].extend(rows)
    header = ("# Expected answers for the synthetic corpus beside this file "
              f"(benchmarks/synth_articles.py, seed {seed}, {n} articles).\n"
              "# Same format and matching rules as ../shared/acceptance/seed_gold.yaml.\n")
    path = out / "gold.yaml"
    path.write_text(header + yaml.safe_dump(gold, sort_keys=False, allow_unicode=True,
                                            width=200), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("count", type=int, help="number of articles")
    ap.add_argument("out", type=Path, help="folder: corpus/ and gold.yaml are written in it")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    gold = write_corpus(args.count, args.out, args.seed)
    print(f"{args.count} articles in {args.out / 'corpus'}, gold rows in {gold}", file=sys.stderr)


if __name__ == "__main__":
    main()
