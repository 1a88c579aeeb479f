"""Every closed set of values in the data, and the words the site uses for each member.

One place, so a value the models accept always has a label (tests/test_vocabulary.py checks
that every member of each Literal has one).
"""

from __future__ import annotations

from typing import Literal

Market = Literal["us", "uk", "ie"]
MARKET_LABELS: dict[Market, str] = {"us": "US", "uk": "UK", "ie": "Ireland"}

Form = Literal["tablet", "capsule", "orally-disintegrating-tablet", "oral-solution", "oral-suspension"]
LIQUID_FORMS: tuple[Form, ...] = ("oral-solution", "oral-suspension")
FORM_NAMES: dict[Form, str] = {  # one of them, as the engine says "1 × 2 mg tablet"
    "tablet": "tablet",
    "capsule": "capsule",
    "orally-disintegrating-tablet": "orally disintegrating tablet",
    "oral-solution": "oral solution",
    "oral-suspension": "oral suspension",
}
FORM_PLURALS: dict[Form, str] = {  # a product, as a list of strengths says it
    "tablet": "tablets",
    "capsule": "capsules",
    "orally-disintegrating-tablet": "orally disintegrating tablets",
    "oral-solution": "oral solution",
    "oral-suspension": "oral suspension",
}

DrugClass = Literal["benzodiazepine", "z-drug"]
DRUG_CLASS_LABELS: dict[DrugClass, str] = {"benzodiazepine": "a benzodiazepine", "z-drug": "a z-drug, a sleeping pill"}

SourceKind = Literal[
    "guideline",
    "review",
    "meta-analysis",
    "trial",
    "study",
    "label",
    "manual",
    "book",
    "agency-notice",
    "formulary",
]
SOURCE_KIND_HEADINGS: dict[SourceKind, str] = {  # headings of the sources page
    "guideline": "Guidelines",
    "review": "Reviews",
    "meta-analysis": "Meta-analyses",
    "trial": "Trials",
    "study": "Studies",
    "label": "Labels",
    "manual": "Manuals",
    "book": "Books",
    "agency-notice": "Agency notices",
    "formulary": "Formularies",
}

Strategy = Literal["proportional", "fixed-step", "crossover-to-diazepam"]

FactUnit = Literal["%", "hours", "days", "weeks", "months", "years", "mg", "mL", "people", ""]
FACT_UNIT_ONE: dict[FactUnit, str | None] = {  # how prose says exactly 1 of the unit (None: "1 <unit>")
    "%": None,
    "hours": "an hour",
    "days": "a day",
    "weeks": "a week",
    "months": "a month",
    "years": "a year",
    "mg": None,
    "mL": None,
    "people": None,
    "": None,
}

SymptomGroup = Literal["body", "mind and mood", "senses", "sleep", "movement", "serious"]

Severity = Literal["boxed-warning", "major", "moderate"]
SEVERITY_LABELS: dict[Severity, str] = {"boxed-warning": "FDA boxed warning", "major": "Major", "moderate": "Moderate"}

Audience = Literal["patients", "clinicians", "both"]

ThemeHide = Literal["navigation", "toc", "footer", "path", "tags"]

CROSSOVER_UNIT = "diazepam mg (or equivalent)"  # the daily dose's unit once a plan switches to diazepam
