"""Synthetic dermkg graphs of a given size, shaped like the real one, as N-Quads.

The graph holds the real fixed part (ontology, vocabulary and mappings graphs that
``dermkg build`` writes) and as many synthetic document graphs as it takes to reach the
requested number of triples. Each document graph follows docs/model.md: a
``dkg:Document``; studies (shared across documents by NCT id, or document-scoped) with
design classes, a population, arms and periods; approvals, efficacy results, safety
findings and mechanism statements, each with ``prov:wasDerivedFrom``, an extraction rule
and one or two evidence spans (position and quote selectors). The entities the claims
point at are the vocabulary's own IRIs, so the saved queries find their labels.

Output is deterministic for a given (size, seed). Usage::

    python benchmarks/synth_graph.py 100k out.nq [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

GENERATOR_VERSION = "3"
"""Bumped whenever the output for a given (size, seed) changes (invalidates caches)."""

DKG = "https://w3id.org/dermkg/ontology#"
DKGR = "https://w3id.org/dermkg/resource/"
DKGD = "https://w3id.org/dermkg/document/"
DKGG = "https://w3id.org/dermkg/graph/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

SUFFIXES = {"k": 1_000, "m": 1_000_000}

DESIGNS = [
    "RandomizedControlledTrial", "DoubleBlindStudy", "VehicleControlledStudy",
    "PlaceboControlledStudy", "OpenLabelStudy", "MaximumUseTrial", "RetrospectiveStudy",
    "ChartReview", "ObservationalStudy", "LongTermExtensionStudy",
]
SEVERITIES = ["Mild", "Moderate", "Severe"]
FORMS = ["Cream", "Ointment", "Foam", "Gel", "Tablet", "Injection"]
FREQUENCIES = ["twice daily", "once daily", "as needed", "every 2 weeks", "every 4 weeks"]
ACTIONS = ["Inhibition", "Antagonism", "PathwayBlockade", "Agonism", "Modulation"]
DIRECT = {"Inhibition": "inhibits", "Antagonism": "antagonizes", "Agonism": "agonizes",
          "PathwayBlockade": "inhibits", "Modulation": "modulates"}
SUBGROUPS = ["", "", "", "more severe disease at baseline", "adolescents", "children 2-11",
             "prior systemic therapy"]
QUOTE_TEXT = ("patients treated with the cream achieved clear or almost clear skin at week "
              "eight compared with vehicle and the proportion reaching the endpoint rose over "
              "the long term extension while application site reactions remained uncommon")
WORDS = tuple(QUOTE_TEXT.split())
TARGET_CLASSES = {"JanusKinase", "Interleukin", "CytokineReceptor", "Phosphodiesterase",
                  "NuclearReceptor", "Calcineurin", "Cytokine", "Protein", "Gene",
                  "SignalingPathway", "InterleukinReceptor"}


def parse_size(text: str) -> int:
    """``"10k"`` → 10_000, ``"1M"`` → 1_000_000, ``"2500"`` → 2500."""
    t = text.strip().lower()
    if t and t[-1] in SUFFIXES:
        return int(float(t[:-1]) * SUFFIXES[t[-1]])
    return int(t)


def size_label(n: int) -> str:
    """1_000_000 → ``"1M"``, 10_000 → ``"10k"`` (inverse of :func:`parse_size`)."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def lit(value: object, datatype: str | None = None) -> str:
    """An N-Quads literal (strings escaped)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"' if datatype is None else f'"{text}"^^<{XSD}{datatype}>'


@dataclass
class Pools:
    """The vocabulary IRIs synthetic claims point at, by kind."""

    drugs: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    diseases: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


def vocabulary_pools(vocabulary: Graph) -> Pools:
    """Entity IRIs of the vocabulary graph grouped by the class the claims need."""
    by_class: dict[str, list[str]] = {}
    for s, o in vocabulary.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(o).startswith(DKG):
            by_class.setdefault(str(o)[len(DKG):], []).append(str(s))
    pools = Pools(
        drugs=by_class.get("Drug", []), products=by_class.get("DrugProduct", []),
        agencies=by_class.get("RegulatoryAgency", []), diseases=by_class.get("Disease", []),
        endpoints=by_class.get("Endpoint", []), events=by_class.get("AdverseEventTerm", []),
        targets=sorted({iri for c in TARGET_CLASSES for iri in by_class.get(c, [])}),
    )
    for name, values in vars(pools).items():
        values.sort()
        if not values:  # vocabulary not complete yet: fall back to synthetic IRIs
            values.extend(f"{DKGR}synthetic-{name}/{i}" for i in range(10))
    return pools


def fixed_quads() -> tuple[bytes, Graph]:
    """The ontology, mappings and vocabulary graphs as N-Quads, and the vocabulary graph."""
    from dermkg.graph.convert import graph_quads
    from dermkg.namespaces import MAPPINGS_GRAPH, ONTOLOGY_GRAPH, VOCABULARY_GRAPH
    from dermkg.ontology_graphs import mappings_graph, ontology_graph, vocabulary_graph

    vocabulary = vocabulary_graph()
    lines: list[bytes] = []
    for name, g in ((ONTOLOGY_GRAPH, ontology_graph()), (MAPPINGS_GRAPH, mappings_graph()),
                    (VOCABULARY_GRAPH, vocabulary)):
        # canonical blank-node labels and sorted lines: the same bytes on every run
        data = ox.serialize(graph_quads(to_canonical_graph(g), name),
                            format=ox.RdfFormat.N_QUADS)
        lines.extend(line for line in (data or b"").splitlines() if line)
    return b"".join(line + b"\n" for line in sorted(set(lines))), vocabulary


class DocumentWriter:
    """Writes the quads of one synthetic document graph (see the module docstring)."""

    def __init__(self, rng: random.Random, pools: Pools, study_pool: int) -> None:
        self.rng = rng
        self.pools = pools
        self.study_pool = max(study_pool, 1)
        self.counts: Counter[str] = Counter()

    def document(self, doc_id: str) -> Iterator[str]:
        """The N-Quads lines of document ``doc_id``'s graph."""
        r, p = self.rng, self.pools
        g = f"<{DKGG}document/{doc_id}>"
        doc = f"<{DKGD}{doc_id}>"
        lines: list[str] = []

        def t(s: str, pred: str, o: str) -> None:
            lines.append(f"{s} {pred} {o} {g} .\n")

        chars = r.randint(2_000, 12_000)
        t(doc, RDF_TYPE, f"<{DKG}Document>")
        t(doc, RDF_TYPE, f"<{PROV}Entity>")
        t(doc, f"<{DCT}identifier>", lit(doc_id))
        t(doc, f"<{DCT}title>", lit(f"Synthetic article {doc_id}"))
        t(doc, f"<{DCT}date>", lit(f"20{r.randint(15, 25)}-{r.randint(1, 12):02d}-"
                                     f"{r.randint(1, 28):02d}", "date"))
        t(doc, f"<{DKG}fileName>", lit(f"{doc_id}.txt"))
        t(doc, f"<{DKG}sha256>", lit(hashlib.sha256(doc_id.encode()).hexdigest()))
        t(doc, f"<{DKG}mediaType>", lit("text/plain"))
        n_claims = {"approval": 0, "efficacy": 0, "safety": 0, "mechanism": 0}

        def claim(kind: str, cls: str, rule: str, prop: str) -> str:
            n_claims[kind] += 1
            iri = f"<{DKGR}{kind}/{doc_id}/{n_claims[kind]}>"
            t(iri, RDF_TYPE, f"<{DKG}{cls}>")
            t(iri, f"<{PROV}wasDerivedFrom>", doc)
            t(iri, f"<{DKG}extractionRule>", lit(rule))
            for _ in range(1 if r.random() < 0.7 else 2):
                start = r.randrange(0, chars - 200)
                end = start + r.randint(40, 200)
                ev = f"{DKGR}evidence/{doc_id}/{start}-{end}"
                quote = " ".join(r.choice(WORDS) for _ in range((end - start) // 7))
                t(iri, f"<{DKG}hasEvidence>", f"<{ev}>")
                t(f"<{ev}>", RDF_TYPE, f"<{DKG}EvidenceSpan>")
                t(f"<{ev}>", f"<{OA}hasSource>", doc)
                t(f"<{ev}>", f"<{OA}hasSelector>", f"<{ev}#position>")
                t(f"<{ev}>", f"<{OA}hasSelector>", f"<{ev}#quote>")
                t(f"<{ev}>", f"<{DKG}extractionRule>", lit(rule))
                t(f"<{ev}>", f"<{DKG}supportsProperty>", f"<{DKG}{prop}>")
                t(f"<{ev}#position>", RDF_TYPE, f"<{OA}TextPositionSelector>")
                t(f"<{ev}#position>", f"<{OA}start>", lit(start, "integer"))
                t(f"<{ev}#position>", f"<{OA}end>", lit(end, "integer"))
                t(f"<{ev}#quote>", RDF_TYPE, f"<{OA}TextQuoteSelector>")
                t(f"<{ev}#quote>", f"<{OA}exact>", lit(quote))
            self.counts[kind] += 1
            return iri

        # -- studies, populations, arms, periods ---------------------------------------
        studies: list[tuple[str, list[tuple[str, int]]]] = []
        for si in range(r.choice((1, 1, 1, 2, 2, 3))):
            sr = r  # a shared study's design is the same in every document that describes it
            if r.random() < 0.6:
                k = r.randrange(self.study_pool)
                sr = random.Random(k)
                nct = f"NCT{10_000_000 + k * 7919 % 90_000_000:08d}"
                study = f"<{DKGR}study/{nct}>"
                t(study, f"<{DKG}nctId>", lit(nct))
                t(study, f"<{SKOS}exactMatch>", f"<https://clinicaltrials.gov/study/{nct}>")
                label = f"TRIAL-{k}"
            else:
                study = f"<{DKGR}study/{doc_id}/s{si}>"
                label = r.choice(("maximum-use trial", "retrospective chart review",
                                  "open-label extension", "real-world cohort"))
            t(study, RDF_TYPE, f"<{DKG}Study>")
            t(study, f"<{PROV}wasDerivedFrom>", doc)
            for design in sr.sample(DESIGNS, sr.randint(1, 3)):
                t(study, RDF_TYPE, f"<{DKG}{design}>")
            t(study, f"<{RDFS}label>", lit(label))
            t(study, f"<{DKG}phase>", lit(sr.choice(("1", "2", "2b", "3", "3", "4"))))
            t(study, f"<{DKG}enrollment>", lit(sr.randint(20, 1500), "integer"))
            t(study, f"<{DKG}allocationRatio>",
              lit(sr.choice(("1:1", "2:1", "2:2:1", "1:1:1"))))
            disease = sr.choice(p.diseases)
            t(study, f"<{DKG}condition>", f"<{disease}>")
            pop = f"<{DKGR}population/{doc_id}/{si}>"
            t(study, f"<{DKG}hasPopulation>", pop)
            t(pop, RDF_TYPE, f"<{DKG}StudyPopulation>")
            min_age = r.choice((2, 6, 12, 18))
            t(pop, f"<{DKG}minAgeYears>", lit(min_age, "decimal"))
            if r.random() < 0.4:
                max_age = r.choice([a for a in (11, 17, 65) if a > min_age])
                t(pop, f"<{DKG}maxAgeYears>", lit(max_age, "decimal"))
            t(pop, f"<{DKG}condition>", f"<{disease}>")
            t(pop, f"<{DKG}severity>", f"<{DKG}{r.choice(SEVERITIES)}>")
            t(pop, f"<{DKG}maxBsaPercent>", lit(r.choice((10, 20, 30)), "decimal"))
            drug = r.choice(p.drugs)
            arms = []
            for ai in range(r.randint(2, 4)):
                arm = f"<{DKGR}arm/{doc_id}/{si}-{ai}>"
                size = r.randint(10, 500)
                arms.append((arm, size))
                vehicle = ai == 0
                strength = r.choice((0.05, 0.1, 0.3, 0.75, 1, 1.5, 2))
                freq = r.choice(FREQUENCIES)
                t(study, f"<{DKG}hasArm>", arm)
                t(arm, RDF_TYPE, f"<{DKG}StudyArm>")
                t(arm, f"<{RDFS}label>", lit("vehicle cream" if vehicle else f"{strength}% {freq}"))
                t(arm, f"<{DKG}armIntervention>",
                  f"<{DKGR}comparator/vehicle>" if vehicle else f"<{drug}>")
                if not vehicle:
                    t(arm, f"<{DKG}strengthPercent>", lit(strength, "decimal"))
                t(arm, f"<{DKG}frequency>", lit(freq))
                t(arm, f"<{DKG}dosageForm>", f"<{DKG}{r.choice(FORMS)}>")
                t(arm, f"<{DKG}armSize>", lit(size, "integer"))
                self.counts["arm"] += 1
            period = f"<{DKGR}period/{doc_id}/{si}>"
            t(study, f"<{DKG}hasPeriod>", period)
            t(period, RDF_TYPE, f"<{DKG}StudyPeriod>")
            t(period, f"<{RDFS}label>", lit("vehicle-controlled period"))
            t(period, f"<{DKG}durationWeeks>", lit(r.choice((8, 12, 16, 52)), "decimal"))
            self.counts["study"] += 1
            studies.append((study, arms))

        # -- claims -----------------------------------------------------------------------
        for _ in range(r.choice((0, 0, 0, 1, 1, 2))):
            a = claim("approval", "RegulatoryApproval", "approval.sentence", "approvalDate")
            t(a, RDF_TYPE, f"<{DKG}{r.choice(('InitialApproval', 'ExpandedApproval'))}>")
            t(a, f"<{DKG}agency>", f"<{r.choice(p.agencies)}>")
            t(a, f"<{DKG}approvedDrug>", f"<{r.choice(p.drugs)}>")
            t(a, f"<{DKG}approvedProduct>", f"<{r.choice(p.products)}>")
            t(a, f"<{DKG}indication>", f"<{r.choice(p.diseases)}>")
            t(a, f"<{DKG}indicationText>", lit("mild to moderate atopic dermatitis"))
            t(a, f"<{DKG}severity>", f"<{DKG}{r.choice(SEVERITIES)}>")
            t(a, f"<{DKG}minAgeYears>", lit(r.choice((2, 6, 12, 18)), "decimal"))
            t(a, f"<{DKG}approvalDate>", lit(f"20{r.randint(15, 25)}-{r.randint(1, 12):02d}-"
                                             f"{r.randint(1, 28):02d}", "date"))
            t(a, f"<{DKG}basedOnStudy>", studies[0][0])
        for _ in range(r.randint(2, 12)):
            study, arms = r.choice(studies)
            e = claim("efficacy", "EfficacyResult", "efficacy.percent-at-week", "value")
            t(e, f"<{DKG}ofStudy>", study)
            t(e, f"<{DKG}ofArm>", r.choice(arms)[0])
            t(e, f"<{DKG}endpoint>", f"<{r.choice(p.endpoints)}>")
            t(e, f"<{DKG}endpointText>", lit("IGA treatment success"))
            week = r.choice((2, 4, 8, 12, 16, 52))
            t(e, f"<{DKG}timepoint>", lit(f"week {week}"))
            t(e, f"<{DKG}timepointEndWeek>", lit(week, "decimal"))
            value = round(r.uniform(5, 90), 1)
            t(e, f"<{DKG}value>", lit(value, "decimal"))
            if r.random() < 0.15:
                t(e, f"<{DKG}valueMax>", lit(round(value + r.uniform(1, 9), 1), "decimal"))
            t(e, f"<{DKG}unit>", lit("%"))
            t(e, f"<{DKG}statistic>", lit("proportion"))
            subgroup = r.choice(SUBGROUPS)
            if subgroup:
                t(e, f"<{DKG}subgroup>", lit(subgroup))
        for _ in range(r.randint(2, 8)):
            study, arms = r.choice(studies)
            f = claim("safety", "SafetyFinding", "safety.count-percent", "percent")
            t(f, f"<{DKG}ofStudy>", study)
            most = 80
            if r.random() < 0.6:
                arm, most = r.choice(arms)
                t(f, f"<{DKG}ofArm>", arm)
            t(f, f"<{DKG}event>", f"<{r.choice(p.events)}>")
            t(f, f"<{DKG}eventText>", lit("treatment-emergent adverse events"))
            negated = r.random() < 0.25
            t(f, f"<{DKG}negated>", lit(str(negated).lower(), "boolean"))
            if not negated:
                t(f, f"<{DKG}patientCount>", lit(r.randint(1, min(80, most)), "integer"))
                t(f, f"<{DKG}percent>", lit(round(r.uniform(0.5, 40), 1), "decimal"))
            t(f, f"<{DKG}serious>", lit(str(r.random() < 0.1).lower(), "boolean"))
        for _ in range(r.randint(1, 3)):
            drug, target, action = r.choice(p.drugs), r.choice(p.targets), r.choice(ACTIONS)
            m = claim("mechanism", "MechanismStatement", "mechanism.inhibitor-of", "target")
            t(m, f"<{DKG}subjectDrug>", f"<{drug}>")
            t(m, f"<{DKG}target>", f"<{target}>")
            t(m, f"<{DKG}mechanismAction>", f"<{DKG}{action}>")
            t(f"<{drug}>", f"<{DKG}{DIRECT[action]}>", f"<{target}>")
        self.counts["document"] += 1
        self.counts["triples"] += len(lines)
        return iter(lines)


@dataclass
class GraphStats:
    """What a generated graph holds."""

    triples: int
    fixed_triples: int
    documents: int
    counts: dict[str, int]


def generate(size: int, out: Path, seed: int = 7) -> GraphStats:
    """Write a graph of about ``size`` triples (at least the fixed part) to ``out``."""
    fixed, vocabulary = fixed_quads()
    fixed_n = fixed.count(b"\n")
    writer = DocumentWriter(random.Random(seed), vocabulary_pools(vocabulary),
                            study_pool=size // 1_600)
    out.parent.mkdir(parents=True, exist_ok=True)
    total = fixed_n
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(fixed.decode("utf-8"))
        i = 0
        while total < size:
            lines = list(writer.document(f"syn{i:07d}"))
            fh.writelines(lines)
            total += len(lines)
            i += 1
    counts = dict(writer.counts)
    return GraphStats(total, fixed_n, counts.pop("document", 0), counts)


def cached_graph(size: int, folder: Path, seed: int = 7) -> Path:
    """The N-Quads file of a ``size`` graph in ``folder``, generated once per version."""
    path = folder / f"graph-{size_label(size)}-s{seed}-v{GENERATOR_VERSION}.nq"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        generate(size, tmp, seed)
        tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", help="number of triples: 10k, 100k, 1M, 10M or a number")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    stats = generate(parse_size(args.size), args.out, args.seed)
    print(f"{args.out}: {stats.triples} triples, {stats.documents} documents, {stats.counts}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
