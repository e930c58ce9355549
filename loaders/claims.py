"""Typed claims extracted from one document, each with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermkg.vocabulary import Entity


@dataclass(frozen=True)
class Evidence:
    """An exact span of the ORIGINAL file text (``quote == original[start:end]``)."""

    start: int
    end: int
    quote: str
    rule: str
    supports: str = ""  # local name of the dkg property it supports, when specific


@dataclass
class Study:
    """A study as the document describes it (merged across documents by ``link_documents``)."""

    key: str  # document-local key
    label: str
    acronym: str = ""
    nct_id: str = ""
    phase: str = ""
    designs: set[str] = field(default_factory=set)  # dkg design class local names
    enrollment: int | None = None
    allocation_ratio: str = ""
    conditions: list[Entity] = field(default_factory=list)
    min_age: float | None = None
    max_age: float | None = None
    severities: set[str] = field(default_factory=set)
    min_bsa: float | None = None
    max_bsa: float | None = None
    eligibility_text: str = ""
    arms: list[Arm] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    named: bool = False  # has a name/acronym or NCT id (shared identity across documents)
    group: tuple[str, ...] = ()  # for a group ("the TRuE-AD studies"): member study keys
    iri_key: str = ""  # set by link_documents: "NCT…" or a normalised name


@dataclass
class Arm:
    """A treatment arm or cohort of a study."""

    label: str
    drug: Entity | None = None  # a drug or comparator entity
    drug_text: str = ""  # for an unlinked drug
    strength: float | None = None
    dose: str = ""
    frequency: str = ""
    dosage_form: str = ""
    size: int | None = None
    cohort: str = ""
    bare: bool = False  # named by its drug only ("lebrikizumab-treated patients")
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Period:
    """A period of a study ("8-week vehicle-controlled period")."""

    label: str
    duration_weeks: float | None = None
    end_week: float | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Approval:
    """A regulatory approval as the document states it."""

    agency: Entity
    drug: Entity
    product: Entity | None
    indication: Entity
    indication_text: str
    severities: set[str] = field(default_factory=set)
    min_age: float | None = None
    max_age: float | None = None
    date: str = ""
    based_on: Study | None = None
    kind: str = ""  # "InitialApproval" | "ExpandedApproval" | ""
    boxed_warning: bool | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EfficacyResult:
    """A reported efficacy value."""

    studies: list[Study]
    arm: Arm | None
    endpoint: Entity
    endpoint_text: str
    timepoint: str = ""
    start_week: float | None = None
    end_week: float | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    statistic: str = ""
    subgroup: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SafetyFinding:
    """A reported safety finding (or its reported absence)."""

    studies: list[Study]
    arm: Arm | None
    event: Entity | None
    event_text: str
    patients: int | None = None
    percent: float | None = None
    negated: bool = False
    serious: bool | None = None
    treatment_related: bool | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Mechanism:
    """A drug–target (or drug–pathway) statement."""

    drug: Entity
    target: Entity
    action: str  # dkg MechanismAction local name: Inhibition, Antagonism, Agonism, …
    evidence: list[Evidence] = field(default_factory=list)
