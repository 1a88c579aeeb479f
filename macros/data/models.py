"""Typed models of the files in data/.

The models are the single statement of what valid data looks like: the loader
validates with them, `make schema` exports them as JSON Schema for editors, and
error messages quote their constraints back to the maintainer.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .references import Ref
from .vocabulary import (
    LIQUID_FORMS,
    Audience,
    DrugClass,
    FactUnit,
    Form,
    Market,
    Severity,
    SourceKind,
    Strategy,
    SymptomGroup,
    ThemeHide,
)

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60),
    Field(description="lower-case letters, digits and single hyphens, e.g. 'jcpg-2025'"),
]


def _printable(value: str) -> str:
    """Refuse characters a reader cannot see that change what they read: control characters, and the
    bidirectional and zero-width ones that reorder or hide text (a name shown reversed, a hidden word)."""
    for i, char in enumerate(value):
        if unicodedata.category(char) in {"Cc", "Cf"} and char not in "\t\n":
            name = unicodedata.name(char, "a control character")
            raise ValueError(
                f"contains U+{ord(char):04X} ({name}) at character {i + 1}, which readers cannot see; "
                "remove it (allowed: printable text, tabs and line breaks)"
            )
    return value


Printable = AfterValidator(_printable)
Text = Annotated[str, StringConstraints(min_length=1, max_length=400, strip_whitespace=True), Printable]
Mg = Annotated[float, Field(gt=0, le=1000, description="milligrams, above 0")]
SourceId = Annotated[Id, Ref("sources")]
MedicationId = Annotated[Id, Ref("medications")]
GuidelineId = Annotated[Id, Ref("guidelines")]
FactId = Annotated[Id, Ref("facts")]
# A 1 mL oral syringe is marked every 0.01 mL: a finer volume cannot be measured at home.
MeasureMl = Annotated[
    float, Field(ge=0.01, le=1, description="the smallest volume an oral syringe measures (mL), 0.01 to 1")
]
# The smallest tablet or capsule on the site is 0.125 mg (triazolam, clonazepam) and the largest
# 30 mg: a strength outside 0.1–100 mg is a slip of the keyboard (a unit, a missing point).
Strength = Annotated[float, Field(ge=0.1, le=100, description="mg in one tablet or capsule, 0.1 to 100")]
# A dose a schedule names (a fixed step, where the liquid starts, the last dose): below 0.01 mg no
# tablet, syringe or label can give it, and the engine would print "0 mg" rows.
PlanMg = Annotated[float, Field(ge=0.01, le=1000, description="milligrams, 0.01 or more")]


class Model(BaseModel):
    """Strict base: unknown keys are mistakes (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


class Range(Model):
    min: Annotated[float, Field(gt=0, le=1000)]
    max: Annotated[float, Field(gt=0, le=1000)]

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g}); min must be ≤ max")
        return self

    @property
    def single(self) -> bool:
        return self.min == self.max


def _scalar_to_range(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number (for example 0.5) or a range like {min: 1, max: 2}")
    if isinstance(value, int | float):
        return {"min": value, "max": value}
    if not isinstance(value, dict):
        raise ValueError("must be a number (for example 0.5) or a range like {min: 1, max: 2}")
    return value


Amount = Annotated[
    Range,
    BeforeValidator(_scalar_to_range),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {
                    "type": "object",
                    "properties": {
                        "min": {"type": "number", "exclusiveMinimum": 0},
                        "max": {"type": "number", "exclusiveMinimum": 0},
                    },
                    "required": ["min", "max"],
                    "additionalProperties": False,
                },
            ],
            "description": "a number above 0, or a range {min, max} with 0 < min ≤ max",
        }
    ),
]


# --- sources.yaml -----------------------------------------------------------


class Source(Model):
    id: Id
    kind: SourceKind
    short: Annotated[str, StringConstraints(min_length=1, max_length=60, strip_whitespace=True), Printable] = Field(
        description="short name for table headers, e.g. 'Ashton Manual'"
    )
    authors: Text
    title: Text
    container: Text | None = None
    year: Annotated[int, Field(ge=1950, le=2100)] | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    columns: dict[Id, Text] | None = Field(
        default=None,
        description="named columns of a table in this source that give different values "
        "(e.g. the two equivalence columns of the 2025 joint guideline's Table 7)",
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if not (self.doi or self.pmid or self.url):
            raise ValueError("a source needs at least one of doi, pmid or url so readers can find it")
        return self


class SourcesFile(Model):
    sources: Annotated[list[Source], Field(min_length=1)]


# --- medications.yaml -------------------------------------------------------


class Brands(Model):
    us: list[Text] = []
    uk: list[Text] = []
    sources: list[SourceId] = []

    @model_validator(mode="after")
    def _sourced(self) -> Brands:
        if (self.us or self.uk) and not self.sources:
            raise ValueError("brand names need 'sources' (ids in sources.yaml)")
        return self


class Metabolite(Model):
    name: Text
    hours: Amount


class HalfLife(Model):
    hours: Amount | None = Field(default=None, description="of the medicine itself; leave out for a prodrug")
    metabolite: Metabolite | None = None
    source: SourceId
    note: Text | None = None

    @model_validator(mode="after")
    def _something(self) -> HalfLife:
        if self.hours is None and self.metabolite is None:
            raise ValueError("give 'hours', 'metabolite', or both")
        return self


class Equivalent(Model):
    """One source's dose approximately equivalent to diazepam 10 mg."""

    source: SourceId
    column: Id | None = Field(default=None, description="required when the source declares columns")
    mg: Amount
    per_diazepam_mg: Annotated[float, Field(gt=0, le=100)] = Field(
        default=10,
        description="the diazepam dose the source states its value against (UK tables use 5 mg); "
        "the site scales to 10 mg and says so",
    )


class Concentration(Model):
    """As the label states it (2 mg in 5 mL). Marketed oral liquids are 0.1 to 5 mg per mL."""

    mg: Annotated[float, Field(ge=0.01, le=100, description="mg in the stated volume")]
    ml: Annotated[float, Field(ge=0.5, le=100, description="the stated volume (mL), as labels give it: 1 or 5")]

    @model_validator(mode="after")
    def _plausible(self) -> Concentration:
        per_ml = self.mg / self.ml
        if not 0.01 <= per_ml <= 10:
            raise ValueError(
                f"{per_ml:g} mg per mL is not a concentration an oral liquid comes in; allowed: 0.01 to 10"
            )
        return self


class Formulation(Model):
    id: Id
    form: Form
    strengths_mg: list[Strength] | None = Field(default=None, description="for tablets and capsules")
    concentration: Concentration | None = Field(default=None, description="for liquids: mg per ml")
    scored: bool | list[Strength] | None = Field(
        default=None,
        description="tablets only: true when the label says every strength can be halved, a list of the "
        "strengths that can, or false (not scored, or the label does not say)",
    )
    markets: Annotated[list[Market], Field(min_length=1)]
    source: SourceId

    @property
    def liquid(self) -> bool:
        return self.form in LIQUID_FORMS

    @model_validator(mode="after")
    def _shape_matches_form(self) -> Formulation:
        if self.liquid:
            if self.concentration is None:
                instead = ", not 'strengths_mg'" if self.strengths_mg is not None else ""
                raise ValueError(f"an {self.form} needs 'concentration' ({{mg: …, ml: …}}){instead}")
            if self.strengths_mg is not None:
                raise ValueError(f"an {self.form} has a concentration, not 'strengths_mg'")
            if self.scored is not None:
                raise ValueError("'scored' applies to tablets only")
        else:
            if not self.strengths_mg:
                raise ValueError(f"a {self.form} needs 'strengths_mg' (a list of mg values)")
            if self.concentration is not None:
                raise ValueError(f"a {self.form} has strengths_mg, not 'concentration'")
            if len(set(self.strengths_mg)) != len(self.strengths_mg):
                raise ValueError("strengths_mg lists the same strength twice")
            if isinstance(self.scored, list) and not set(self.scored) <= set(self.strengths_mg):
                raise ValueError("scored lists a strength that is not in strengths_mg")
            if self.form == "tablet" and self.scored is None:
                raise ValueError("a tablet needs 'scored: true' or 'scored: false' (can it be halved?)")
            if self.form != "tablet" and self.scored is not None:
                raise ValueError(f"'scored' applies to tablets only, not a {self.form}")
        return self


class Medication(Model):
    id: Id
    generic: Text
    drug_class: DrugClass = Field(alias="class")
    brands: Brands
    half_life: list[HalfLife] = Field(description="empty where no value has been verified at source")
    equivalents: list[Equivalent] = Field(description="empty where no value has been verified at source")
    formulations: Annotated[list[Formulation], Field(min_length=1)]


class MedicationsFile(Model):
    medications: Annotated[list[Medication], Field(min_length=1)]


# --- guidelines.yaml --------------------------------------------------------


class PaceLimit(Model):
    percent: Annotated[float, Field(gt=0, le=100)]
    per_weeks: Annotated[int, Field(ge=1, le=52)]


class Guideline(Model):
    """What one guideline (or body of evidence) says about the pace of a taper, as it says it."""

    id: Id
    name: Text
    source: SourceId
    pace: Text = Field(description="the guideline's pace in its own terms, short")
    cut_percent: Amount | None = None
    interval_weeks: Amount | None = None
    max_cut: PaceLimit | None = None
    holds: Text | None = Field(default=None, description="what it says to do when withdrawal is hard")
    switching: Text | None = Field(default=None, description="what it says about switching to diazepam")


class GuidelinesFile(Model):
    guidelines: Annotated[list[Guideline], Field(min_length=1)]


# --- schedules.yaml ---------------------------------------------------------


class EquivalenceChoice(Model):
    source: SourceId
    column: Id | None = None


class Crossover(Model):
    equivalence: EquivalenceChoice
    diazepam_formulation: Id
    step_weeks: Annotated[int, Field(ge=1, le=8)] = 1


class Reduction(Model):
    percent: Annotated[float, Field(gt=0, le=50)] | None = Field(
        default=None, description="proportional: cut this % of the current dose each step"
    )
    step_mg: PlanMg | None = Field(default=None, description="fixed-step: cut this many mg each step")
    interval_weeks: Annotated[int, Field(ge=1, le=12)]

    @model_validator(mode="after")
    def _one_method(self) -> Reduction:
        if (self.percent is None) == (self.step_mg is None):
            raise ValueError("give exactly one of 'percent' (proportional) or 'step_mg' (fixed-step)")
        return self


class Tail(Model):
    formulation: Id
    below_mg: PlanMg | None = Field(
        default=None,
        description="use it only for a dose at or below this (default: any dose the first form cannot make)",
    )


class Schedule(Model):
    id: Id
    title: Annotated[
        str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True, pattern=r"^[^%]*$")
    ] = Field(description="what the example is, without its pace: the page states the cuts as computed")
    suits: Text
    medication: MedicationId
    formulation: Id
    start_doses_mg: Annotated[list[Mg], Field(min_length=1, max_length=4)] = Field(
        description="each dose of the day, in order (e.g. [1, 1] for morning and night)"
    )
    strategy: Strategy
    crossover: Crossover | None = None
    reduction: Reduction
    limit: Id = Field(description="id in guidelines.yaml whose max_cut caps every reduction")
    tail: Tail | None = None
    stop_at_mg: PlanMg | None = None
    measure_ml: MeasureMl | None = Field(default=None, description="default: settings.yaml's measure_ml")
    shows_limit: bool = Field(
        default=False,
        description="true only for an example written to show a limit: the build refuses warnings in any other",
    )
    sources: Annotated[list[SourceId], Field(min_length=1)]

    @model_validator(mode="after")
    def _strategy_fits(self) -> Schedule:
        if self.strategy == "proportional" and self.reduction.percent is None:
            raise ValueError("strategy 'proportional' needs reduction.percent")
        if self.strategy == "fixed-step" and self.reduction.step_mg is None:
            raise ValueError("strategy 'fixed-step' needs reduction.step_mg")
        if (self.strategy == "crossover-to-diazepam") != (self.crossover is not None):
            raise ValueError("'crossover' is required with strategy 'crossover-to-diazepam' and only then")
        return self


class SchedulesFile(Model):
    schedules: Annotated[list[Schedule], Field(min_length=1)]


# --- facts.yaml: single sourced numbers that prose needs ------------------------


class Fact(Model):
    """One number a page states in words, e.g. how common protracted withdrawal is."""

    id: Id
    value: Amount
    unit: FactUnit
    prefix: Annotated[str, StringConstraints(max_length=30), Printable] = Field(
        default="", description="words before the number, e.g. 'up to' or 'about'"
    )
    says: Text = Field(description="what the number means, in one plain sentence, for maintainers and clinicians")
    source: SourceId


class FactsFile(Model):
    facts: Annotated[list[Fact], Field(min_length=1)]


# --- symptoms.yaml ----------------------------------------------------------


class Symptom(Model):
    id: Id
    name: Text
    plain: Text = Field(description="what it feels like, in plain words")
    group: SymptomGroup
    common: bool = Field(description="true when the sources list it among the common symptoms")
    urgent: bool = Field(default=False, description="a red flag: get urgent help")
    sources: Annotated[list[SourceId], Field(min_length=1)]


class SymptomsFile(Model):
    symptoms: Annotated[list[Symptom], Field(min_length=1)]


# --- emergency.yaml ---------------------------------------------------------


class EmergencyNumber(Model):
    id: Id
    region: Text
    number: Annotated[str, StringConstraints(pattern=r"^[0-9 ]{2,15}$")]
    purpose: Text
    source: SourceId


class EmergencyFile(Model):
    emergency: Annotated[list[EmergencyNumber], Field(min_length=1)]


# --- interactions.yaml ------------------------------------------------------


class Interaction(Model):
    """One dangerous combination: what it does in plain words, what to do, and why (for clinicians)."""

    id: Id
    with_: Text = Field(alias="with", description="what is combined, in plain words, with examples")
    severity: Severity = Field(
        description="boxed-warning: an FDA boxed warning covers it; major: another regulator's warning, a label "
        "contraindication, or a combination labels and formularies single out; moderate: a label caution or a "
        "guideline's advice to avoid"
    )
    effect: Text = Field(description="what can happen, in plain words")
    what_to_do: Text = Field(description="plain words; never tells readers to stop or change a medicine alone")
    mechanism: Text = Field(description="why it happens, short, for clinicians")
    sources: Annotated[list[SourceId], Field(min_length=1)]
    only_for: list[MedicationId] = Field(
        default=[],
        description="medication ids this combination is about (e.g. [diazepam]); empty: every medicine on the site",
    )
    names: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9 '’.-]*$", max_length=60)]] = Field(
        default=[],
        description="what a reader might type to mean the other medicine, lower case, each one written in `with` "
        "(the planner's medicine check matches these)",
    )
    any_second_medicine: bool = Field(
        default=False,
        description="true when taking any second medicine from medications.yaml is itself this combination",
    )

    @field_validator("names")
    @classmethod
    def _names_are_in_the_words_readers_see(cls, names: list[str], info: ValidationInfo) -> list[str]:
        shown = str(info.data.get("with_", "")).lower()
        for name in names:
            if name != name.lower():
                raise ValueError(f"names are lower case (got {name!r})")
            if name not in shown:
                raise ValueError(f"each name must appear in `with`, which readers see ({name!r} does not)")
        return names


class InteractionsFile(Model):
    interactions: Annotated[list[Interaction], Field(min_length=1)]


# --- glossary.yaml ----------------------------------------------------------


# A term is matched as written in every page (Markdown `abbr`), so it is a word or phrase, not markup.
Term = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 '’.-]*$", max_length=60),
    Field(description="a word or phrase: letters, digits, spaces, apostrophes, full stops and hyphens"),
]


class GlossaryTerm(Model):
    id: Id
    term: Term
    forms: list[Term] = Field(default=[], description="other forms that get the same tooltip, e.g. plurals")
    definition: Annotated[str, StringConstraints(min_length=5, max_length=300, strip_whitespace=True), Printable]
    source: SourceId | None = None


class GlossaryFile(Model):
    glossary: Annotated[list[GlossaryTerm], Field(min_length=1)]


# --- changelog.yaml ---------------------------------------------------------


class ChangelogEntry(Model):
    date: dt.date

    @field_validator("date")
    @classmethod
    def _not_ahead(cls, day: dt.date) -> dt.date:
        if day > dt.date.today():
            raise ValueError(f"{day} is after today ({dt.date.today()}); an entry records a change made")
        return day

    summary: Annotated[str, StringConstraints(min_length=10, max_length=600, strip_whitespace=True), Printable]
    pages: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9/-]+\.md$")]], Field(min_length=1)]


class ChangelogFile(Model):
    changelog: Annotated[list[ChangelogEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _newest_first(self) -> ChangelogFile:
        dates = [e.date for e in self.changelog]
        if dates != sorted(dates, reverse=True):
            raise ValueError("entries must be newest first")
        return self


# --- settings.yaml ----------------------------------------------------------


class Settings(Model):
    """Which guideline, fact and syringe measure the site's tools use, named in data rather than in code."""

    planner_guideline: GuidelineId = Field(
        description="the guideline whose usual cut, interval and limit the planner offers (needs all three)"
    )
    switch_step_fact: FactId = Field(
        description="the fact (in days) that sets how long each switched dose settles before the next is switched"
    )
    measure_ml: MeasureMl = Field(description="how finely a liquid is measured, unless a schedule says otherwise")
    taper_end_fact: FactId = Field(
        description="the fact (one value, diazepam mg a day) at or below which a plan's last step stops"
    )
    planner_cautions: PlannerCautions


class PlannerCautions(Model):
    """What the planner flags before a plan, and the facts and sources it says them with."""

    high_dose_facts: Annotated[list[FactId], Field(min_length=1, max_length=4)] = Field(
        description="facts (one value each, diazepam mg a day) above which a starting dose is flagged, lowest first"
    )
    older_adult_fact: FactId = Field(description="the fact (in years) from which the planner counts someone as older")
    older_switch_source: SourceId = Field(
        description="the source of the caution for older people switching to diazepam"
    )
    syringe_fact: FactId = Field(description="the fact (in mL) at or below which a measured volume gets a note")
    conversion_source: SourceId = Field(description="the source that says equivalent doses vary between people")
    spread_ratio: Annotated[float, Field(gt=1, le=10)] = Field(
        description="sources whose equivalents differ by this ratio or more are explained (the site's choice)"
    )


class SettingsFile(Model):
    settings: Settings


# --- page front matter ------------------------------------------------------


class PageMeta(Model):
    """The front matter every article must carry (checked on every build)."""

    title: Text
    description: Annotated[str, StringConstraints(min_length=20, max_length=200, strip_whitespace=True), Printable]
    audience: Audience
    reviewed: dt.date = Field(description="date the content was last checked against its sources")
    next_review: dt.date
    sources: list[SourceId]
    reviewed_by: list[Text] | None = Field(default=None, description="real clinical reviewers only")
    hide: list[ThemeHide] | None = None

    @model_validator(mode="after")
    def _review_after(self) -> PageMeta:
        if self.next_review <= self.reviewed:
            raise ValueError(f"next_review ({self.next_review}) must be after reviewed ({self.reviewed})")
        return self


ROOT_MODELS: dict[str, type[Model]] = {
    "sources.yaml": SourcesFile,
    "medications.yaml": MedicationsFile,
    "guidelines.yaml": GuidelinesFile,
    "schedules.yaml": SchedulesFile,
    "facts.yaml": FactsFile,
    "symptoms.yaml": SymptomsFile,
    "emergency.yaml": EmergencyFile,
    "glossary.yaml": GlossaryFile,
    "changelog.yaml": ChangelogFile,
    "interactions.yaml": InteractionsFile,
    "settings.yaml": SettingsFile,
}
