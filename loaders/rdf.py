"""Claims of one document → the triples of its named graph, exactly as docs/model.md lays out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from dermkg.identifiers import expand
from dermkg.loaders.claims import Arm, EfficacyResult, Evidence, SafetyFinding, Study
from dermkg.loaders.studies import same_arm
from dermkg.namespaces import DKG, DKGR, OA, document_iri
from dermkg.vocabulary import Entity

if TYPE_CHECKING:
    from dermkg.loaders import DocumentExtraction


class _Terms:
    """Terms of a namespace, each created once (``Namespace`` makes a new URIRef per access)."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(self._base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self.__getattr__(name)


K = _Terms(str(DKG))
KO = _Terms(str(OA))

_DOSAGE_FORMS = {
    "cream": K.Cream,
    "ointment": K.Ointment,
    "gel": K.Gel,
    "foam": K.Foam,
    "lotion": K.Lotion,
    "tablet": K.Tablet,
    "tablets": K.Tablet,
    "capsule": K.Capsule,
    "capsules": K.Capsule,
    "injection": K.Injection,
}
_DIRECT = {
    "Inhibition": K.inhibits,
    "Antagonism": K.antagonizes,
    "Agonism": K.agonizes,
    "Modulation": K.modulates,
}


def _dec(value: float) -> Literal:
    return Literal(f"{value:g}" if "e" not in f"{value:g}" else str(value), datatype=XSD.decimal)


def _date(text: str) -> Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    return Literal(text, datatype=XSD.gYear)


def study_iri(study: Study, doc_id: str) -> URIRef:
    """``dkgr:study/<NCT>``, ``dkgr:study/<name>`` or a document-scoped ``dkgr:study/<doc>/<slug>``."""  # noqa: E501
    if study.iri_key:
        return URIRef(DKGR[f"study/{study.iri_key}"])
    if study.nct_id:
        return URIRef(DKGR[f"study/{study.nct_id}"])
    if study.named:
        return URIRef(DKGR[f"study/{study.key}"])
    return URIRef(DKGR[f"study/{doc_id}/{study.key}"])


class _Triples:
    """Collects triples (a set: duplicates collapse) and builds the Graph once at the end;
    far cheaper than adding to an indexed Graph one triple at a time."""

    def __init__(self) -> None:
        self.triples: set[tuple[URIRef, URIRef, URIRef | Literal]] = set()

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        self.triples.add(triple)

    def graph(self) -> Graph:
        g = Graph(store="SimpleMemory")
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g


class _Writer:
    def __init__(self, ex: DocumentExtraction) -> None:
        self.ex = ex
        self.g = _Triples()
        self.doc = document_iri(ex.doc_id)
        self.arm_iris: dict[int, URIRef] = {}
        self.written: set[URIRef] = set()
        self.n = {
            "approval": 0,
            "efficacy": 0,
            "safety": 0,
            "mechanism": 0,
            "arm": 0,
            "population": 0,
            "period": 0,
        }

    def describe_unlinked(self, drug: Entity) -> None:
        """A drug known only by its INN stem, or a brand the vocabulary does not list: its
        type, label and ``dkg:linkStatus`` (a brand also its active ingredient)."""
        if not drug.attrs.get("unlinked"):
            return
        if drug.kind == "product":
            ingredient = drug.attrs.get("ingredient")
            self.g.add((drug.iri, RDF.type, K.DrugProduct))
            self.g.add((drug.iri, RDFS.label, Literal(drug.label)))
            self.g.add((drug.iri, SKOS.prefLabel, Literal(drug.label)))
            self.g.add((drug.iri, K.linkStatus, Literal("unlinked")))
            if ingredient is not None:
                self.g.add((drug.iri, K.hasActiveIngredient, ingredient.iri))
                self.g.add((ingredient.iri, K.hasProduct, drug.iri))
                self.describe_unlinked(ingredient)
            return
        self.g.add((drug.iri, RDF.type, K.Drug))
        self.g.add((drug.iri, RDFS.label, Literal(drug.label)))
        self.g.add((drug.iri, K.linkStatus, Literal("unlinked")))

    def mint(self, kind: str) -> URIRef:
        self.n[kind] += 1
        return URIRef(DKGR[f"{kind}/{self.ex.doc_id}/{self.n[kind]}"])

    def evidence(self, node: URIRef, evs: list[Evidence]) -> None:
        g = self.g
        g.add((node, PROV.wasDerivedFrom, self.doc))
        if evs:
            g.add((node, K.extractionRule, Literal(evs[0].rule)))
        seen = set()
        for ev in evs:
            if (ev.start, ev.end) in seen:
                continue
            seen.add((ev.start, ev.end))
            iri = URIRef(DKGR[f"evidence/{self.ex.doc_id}/{ev.start}-{ev.end}"])
            pos, quote = URIRef(f"{iri}#position"), URIRef(f"{iri}#quote")
            g.add((node, K.hasEvidence, iri))
            if iri in self.written:
                continue
            self.written.add(iri)
            g.add((iri, RDF.type, K.EvidenceSpan))
            g.add((iri, RDF.type, KO.SpecificResource))
            g.add((iri, KO.hasSource, self.doc))
            g.add((iri, KO.hasSelector, pos))
            g.add((iri, KO.hasSelector, quote))
            g.add((iri, K.extractionRule, Literal(ev.rule)))
            if ev.supports:
                g.add((iri, K.supportsProperty, K[ev.supports]))
            g.add((pos, RDF.type, KO.TextPositionSelector))
            g.add((pos, KO.start, Literal(ev.start, datatype=XSD.nonNegativeInteger)))
            g.add((pos, KO.end, Literal(ev.end, datatype=XSD.nonNegativeInteger)))
            g.add((quote, RDF.type, KO.TextQuoteSelector))
            g.add((quote, KO.exact, Literal(ev.quote)))

    def document(self) -> None:
        ex, g, doc = self.ex, self.g, self.doc
        g.add((doc, RDF.type, K.Document))
        g.add((doc, RDF.type, PROV.Entity))
        g.add((doc, DCTERMS.identifier, Literal(ex.doc_id)))
        g.add((doc, K.fileName, Literal(ex.path.name)))
        g.add((doc, K.sha256, Literal(ex.sha256)))
        g.add((doc, K.mediaType, Literal(ex.media_type)))
        if ex.title:
            g.add((doc, DCTERMS.title, Literal(ex.title)))
        if ex.date:
            g.add((doc, DCTERMS.date, _date(ex.date)))

    def study(self, s: Study) -> URIRef:
        g = self.g
        iri = study_iri(s, self.ex.doc_id)
        g.add((iri, RDF.type, K.Study))
        for d in sorted(s.designs):
            g.add((iri, RDF.type, K[d]))
        g.add((iri, RDFS.label, Literal(s.label)))
        if s.acronym:
            g.add((iri, K.acronym, Literal(s.acronym)))
        if s.nct_id:
            g.add((iri, K.nctId, Literal(s.nct_id)))
            g.add((iri, SKOS.exactMatch, expand(f"clinicaltrials:{s.nct_id}")))
        for phase in s.phase.split("/") if s.phase else ():
            g.add((iri, K.phase, Literal(phase)))  # "phase 3b/4": one value per phase
        if s.enrollment is not None:
            g.add((iri, K.enrollment, Literal(s.enrollment, datatype=XSD.integer)))
        if s.allocation_ratio:
            g.add((iri, K.allocationRatio, Literal(s.allocation_ratio)))
        for c in s.conditions:
            g.add((iri, K.condition, c.iri))
        if s.min_age is not None or s.max_age is not None or s.severities or s.min_bsa is not None:
            pop = self.mint("population")
            g.add((iri, K.hasPopulation, pop))
            g.add((pop, RDF.type, K.StudyPopulation))
            if s.min_age is not None:
                g.add((pop, K.minAgeYears, _dec(s.min_age)))
            if s.max_age is not None:
                g.add((pop, K.maxAgeYears, _dec(s.max_age)))
            for c in s.conditions:
                g.add((pop, K.condition, c.iri))
            for sev in sorted(s.severities):
                g.add((pop, K.severity, K[sev]))
            if s.min_bsa is not None:
                g.add((pop, K.minBsaPercent, _dec(s.min_bsa)))
            if s.max_bsa is not None:
                g.add((pop, K.maxBsaPercent, _dec(s.max_bsa)))
            if s.eligibility_text:
                g.add((pop, K.eligibilityText, Literal(s.eligibility_text)))
        for arm in s.arms:
            g.add((iri, K.hasArm, self.arm(arm)))
        for p in s.periods:
            node = self.mint("period")
            g.add((iri, K.hasPeriod, node))
            g.add((node, RDF.type, K.StudyPeriod))
            g.add((node, RDFS.label, Literal(p.label)))
            if p.duration_weeks is not None:
                g.add((node, K.durationWeeks, _dec(p.duration_weeks)))
            if p.end_week is not None:
                g.add((node, K.endWeek, _dec(p.end_week)))
        self.evidence(iri, s.evidence)
        return iri

    def arm(self, arm: Arm) -> URIRef:
        if id(arm) in self.arm_iris:
            return self.arm_iris[id(arm)]
        g = self.g
        node = self.mint("arm")
        self.arm_iris[id(arm)] = node
        g.add((node, RDF.type, K.StudyArm))
        g.add((node, RDFS.label, Literal(arm.label)))
        if arm.drug is not None:
            g.add((node, K.armIntervention, arm.drug.iri))
            self.describe_unlinked(arm.drug)
        elif arm.drug_text:
            drug = URIRef(
                DKGR[f"drug/{re.sub(r'[^a-z0-9]+', '-', arm.drug_text.lower()).strip('-')}"]
            )
            g.add((node, K.armIntervention, drug))
            g.add((drug, RDF.type, K.Drug))
            g.add((drug, RDFS.label, Literal(arm.drug_text.lower())))
            g.add((drug, K.linkStatus, Literal("unlinked")))
        if arm.strength is not None:
            g.add((node, K.strengthPercent, _dec(arm.strength)))
        if arm.dose:
            g.add((node, K.strengthText, Literal(arm.dose)))
        if arm.frequency:
            g.add((node, K.frequency, Literal(arm.frequency)))
        if arm.dosage_form in _DOSAGE_FORMS:
            g.add((node, K.dosageForm, _DOSAGE_FORMS[arm.dosage_form]))
        if arm.size is not None:
            g.add((node, K.armSize, Literal(arm.size, datatype=XSD.integer)))
        self.evidence(node, arm.evidence)
        return node


def _per_study(
    items: Sequence[EfficacyResult | SafetyFinding],
) -> Iterator[tuple[Any, Study | None, Arm | None]]:
    """One result per study: a pooled result of two studies is stated for each, with that
    study's own arm."""
    for r in items:
        if not r.studies:
            yield r, None, r.arm
            continue
        for s in r.studies:
            arm = r.arm
            if arm is not None and not any(a is arm for a in s.arms):
                arm = next((a for a in s.arms if same_arm(a, arm)), None)
            yield r, s, arm


def to_graph(ex: DocumentExtraction) -> Graph:
    """The triples of ``ex``'s document graph."""
    w = _Writer(ex)
    g = w.g
    w.document()
    claims = ex.claims
    if claims is None:
        return g.graph()
    study_iris = {id(s): w.study(s) for s in claims.studies}

    def studies_of(items: list[Study]) -> list[URIRef]:
        return [study_iris[id(s)] if id(s) in study_iris else w.study(s) for s in items]

    for ap in claims.approvals:
        node = w.mint("approval")
        g.add((node, RDF.type, K.RegulatoryApproval))
        if ap.kind in ("InitialApproval", "ExpandedApproval"):
            g.add((node, RDF.type, K[ap.kind]))
        g.add((node, K.agency, ap.agency.iri))
        g.add((node, K.approvedDrug, ap.drug.iri))
        w.describe_unlinked(ap.drug)
        if ap.product is not None:
            g.add((node, K.approvedProduct, ap.product.iri))
            w.describe_unlinked(ap.product)
        g.add((node, K.indication, ap.indication.iri))
        g.add((node, K.indicationText, Literal(ap.indication_text)))
        for sev in sorted(ap.severities):
            g.add((node, K.severity, K[sev]))
        if ap.min_age is not None:
            g.add((node, K.minAgeYears, _dec(ap.min_age)))
        if ap.max_age is not None:
            g.add((node, K.maxAgeYears, _dec(ap.max_age)))
        if ap.date:
            g.add((node, K.approvalDate, _date(ap.date)))
        if ap.based_on is not None:
            g.add((node, K.basedOnStudy, studies_of([ap.based_on])[0]))
        if ap.boxed_warning is not None:
            g.add((node, K.hasBoxedWarning, Literal(ap.boxed_warning)))
        w.evidence(node, ap.evidence)
    for r, study, arm in _per_study(claims.efficacy):
        node = w.mint("efficacy")
        g.add((node, RDF.type, K.EfficacyResult))
        if study is not None:
            g.add((node, K.ofStudy, studies_of([study])[0]))
        if arm is not None:
            g.add((node, K.ofArm, w.arm(arm)))
        g.add((node, K.endpoint, r.endpoint.iri))
        g.add((node, K.endpointText, Literal(r.endpoint_text)))
        if r.timepoint:
            g.add((node, K.timepoint, Literal(r.timepoint)))
        if r.start_week is not None:
            g.add((node, K.timepointStartWeek, _dec(r.start_week)))
        if r.end_week is not None:
            g.add((node, K.timepointEndWeek, _dec(r.end_week)))
        if r.value is not None:
            g.add((node, K.value, _dec(r.value)))
        if r.value_max is not None:
            g.add((node, K.valueMax, _dec(r.value_max)))
        if r.unit:
            g.add((node, K.unit, Literal(r.unit)))
        if r.statistic:
            g.add((node, K.statistic, Literal(r.statistic)))
        if r.subgroup:
            g.add((node, K.subgroup, Literal(r.subgroup)))
        w.evidence(node, r.evidence)
    for f, study, arm in _per_study(claims.safety):
        node = w.mint("safety")
        g.add((node, RDF.type, K.SafetyFinding))
        if study is not None:
            g.add((node, K.ofStudy, studies_of([study])[0]))
        if arm is not None:
            g.add((node, K.ofArm, w.arm(arm)))
        if f.event is not None:
            g.add((node, K.event, f.event.iri))
        g.add((node, K.eventText, Literal(f.event_text)))
        if f.patients is not None:
            g.add((node, K.patientCount, Literal(f.patients, datatype=XSD.integer)))
        if f.percent is not None:
            g.add((node, K.percent, _dec(f.percent)))
        g.add((node, K.negated, Literal(f.negated)))
        if f.serious is not None:
            g.add((node, K.serious, Literal(f.serious)))
        if f.treatment_related is not None:
            g.add((node, K.treatmentRelated, Literal(f.treatment_related)))
        w.evidence(node, f.evidence)
    for m in claims.mechanisms:
        node = w.mint("mechanism")
        g.add((node, RDF.type, K.MechanismStatement))
        g.add((node, K.subjectDrug, m.drug.iri))
        w.describe_unlinked(m.drug)
        g.add((node, K.target, m.target.iri))
        g.add((node, K.mechanismAction, K[m.action]))
        if m.action in _DIRECT:
            g.add((m.drug.iri, _DIRECT[m.action], m.target.iri))
        w.evidence(node, m.evidence)
    return g.graph()
