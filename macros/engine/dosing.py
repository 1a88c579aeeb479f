"""Ways to take a dose: tablets (whole, or halves where scored) and a liquid measured by syringe.

Each answers whether a dose can be made, how (which pieces, or how many mL), and the grid of doses
it can make, queried by range so a fine grid is never walked.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

from .errors import PlanError
from .fmt import fmt_mg

MAX_PIECES = 10  # more tablets than this a day is not a realistic way to make a dose
MAX_TABLE_UNITS = 20_000  # a tablet set whose doses need a finer grid than this is a typing error, not a plan


def _gcd(values: list[Fraction]) -> Fraction:
    den = math.lcm(*(v.denominator for v in values))
    return Fraction(math.gcd(*(int(v * den) for v in values)), den)


@dataclass(frozen=True)
class Tablets:
    """Solid doses: whole units, and halves of tablets that are scored."""

    drug: str
    form: str  # "tablet", "capsule", …
    strengths: tuple[Fraction, ...]
    halvable: tuple[Fraction, ...]  # the strengths whose label says they can be halved

    @cached_property
    def pieces(self) -> tuple[tuple[Fraction, Fraction, bool], ...]:
        """(mg, strength, is_half), largest first; a half only where the tablet is scored."""
        out = [(s, s, False) for s in self.strengths]
        out += [(s / 2, s, True) for s in self.halvable if s in self.strengths]
        return tuple(sorted(out, key=lambda p: (-p[0], p[2])))

    @cached_property
    def unit(self) -> Fraction:
        return _gcd([p[0] for p in self.pieces])

    def combo(self, dose: Fraction) -> tuple[tuple[Fraction, int], ...] | None:
        """Fewest pieces that make `dose` exactly, as (strength, halves) pairs; None if impossible."""
        if dose <= 0 or dose % self.unit:
            return None
        return _min_combo(self, int(dose / self.unit))

    def makeable(self, dose: Fraction) -> bool:
        return self.combo(dose) is not None

    def describe(self, dose: Fraction) -> str:
        combo = self.combo(dose)
        if combo is None:
            raise PlanError(f"{fmt_mg(dose)} mg cannot be made from {self.label}")
        parts = []
        for strength, halves in combo:
            whole, half = divmod(halves, 2)
            count = (str(whole) if whole else "") + ("½" if half else "")
            plural = "s" if halves > 2 else ""
            parts.append(f"{count} × {fmt_mg(strength)} mg {self.form}{plural}")
        return " + ".join(parts)

    help = ""  # the plan knows which other forms exist

    @property
    def label(self) -> str:
        strengths = ", ".join(f"{fmt_mg(s)} mg" for s in self.strengths)
        if self.halvable:
            halved = ", ".join(f"{fmt_mg(s)} mg" for s in self.halvable)
            scored = "all can be halved" if set(self.halvable) == set(self.strengths) else f"{halved} can be halved"
        else:
            scored = "not split"
        return f"{self.drug} {strengths} {self.form}s ({scored})"


@lru_cache(maxsize=256)
def table(tabs: Tablets, split_cost: int) -> tuple[list[int], list[float], list[int]]:
    """Cheapest way to make every reachable total (in units), once per tablet set and cost rule.

    Each piece costs 1, a half tablet `split_cost`: a large split_cost prefers whole tablets
    (splitting is less accurate), split_cost 1 simply prefers the fewest pieces.
    """
    sizes = [int(p[0] / tabs.unit) for p in tabs.pieces]
    costs = [split_cost if p[2] else 1 for p in tabs.pieces]
    top = MAX_PIECES * max(sizes)
    if top > MAX_TABLE_UNITS:
        raise PlanError(
            f"{tabs.label}: the strengths are too far apart to combine (up to {MAX_PIECES} × "
            f"{fmt_mg(max(tabs.strengths))} mg in steps of {fmt_mg(tabs.unit)} mg is {top} doses, "
            f"more than {MAX_TABLE_UNITS}); check the strengths",
            "formulation",
        )
    inf = float("inf")
    best: list[float] = [0.0] + [inf] * top
    choice = [-1] * (top + 1)
    for total in range(1, top + 1):
        for k, size in enumerate(sizes):
            if size <= total and best[total - size] + costs[k] < best[total]:
                best[total] = best[total - size] + costs[k]
                choice[total] = k
    return sizes, best, choice


def _min_combo(tabs: Tablets, units: int) -> tuple[tuple[Fraction, int], ...] | None:
    """Whole tablets if they can make the dose in MAX_PIECES or fewer, otherwise the fewest pieces."""
    for split_cost in (MAX_PIECES + 1, 1):
        sizes, best, choice = table(tabs, split_cost)
        if units >= len(best) or best[units] == float("inf"):
            return None
        halves: dict[Fraction, int] = {}
        total, count = units, 0
        while total:
            _mg, strength, is_half = tabs.pieces[choice[total]]
            halves[strength] = halves.get(strength, 0) + (1 if is_half else 2)
            total -= sizes[choice[total]]
            count += 1
        if count <= MAX_PIECES:
            return tuple(sorted(halves.items(), key=lambda kv: -kv[0]))
    return None


@dataclass(frozen=True)
class Liquid:
    """A liquid measured with an oral syringe to the nearest `measure_ml`."""

    drug: str
    form: str  # "oral solution", "oral suspension"
    mg: Fraction
    ml: Fraction
    measure_ml: Fraction

    @property
    def unit(self) -> Fraction:
        return self.measure_ml * self.mg / self.ml

    def makeable(self, dose: Fraction) -> bool:
        return dose > 0 and dose % self.unit == 0

    def describe(self, dose: Fraction) -> str:
        if not self.makeable(dose):
            raise PlanError(f"{fmt_mg(dose)} mg cannot be measured with {self.label}")
        return f"{fmt_mg(dose * self.ml / self.mg)} mL of {self.strength} {self.form}"

    @property
    def strength(self) -> str:
        per = "mL" if self.ml == 1 else f"{fmt_mg(self.ml)} mL"
        return f"{fmt_mg(self.mg)} mg/{per}"

    @property
    def label(self) -> str:
        return f"{self.drug} {self.strength} {self.form} measured to {fmt_mg(self.measure_ml)} mL"

    help = "a more dilute liquid, or a syringe that measures smaller volumes"


Dosing = Tablets | Liquid


@lru_cache(maxsize=256)
def makeable_units(tabs: Tablets) -> tuple[int, ...]:
    """Every total (in units) the tablets can make, ascending: the table is small, so list it once."""
    return tuple(k for k in range(1, len(table(tabs, 1)[1])) if _min_combo(tabs, k) is not None)


def highest(dosing: Dosing, lo: int, hi: int) -> int | None:
    """The largest makeable multiple of the unit in lo..hi (every multiple above 0 is, for a liquid)."""
    if lo > hi:
        return None
    if isinstance(dosing, Liquid):
        return hi
    ks = makeable_units(dosing)
    i = bisect.bisect_right(ks, hi) - 1
    return ks[i] if i >= 0 and ks[i] >= lo else None


def lowest(dosing: Dosing, lo: int, hi: int) -> int | None:
    if lo > hi:
        return None
    if isinstance(dosing, Liquid):
        return lo
    ks = makeable_units(dosing)
    i = bisect.bisect_left(ks, lo)
    return ks[i] if i < len(ks) and ks[i] <= hi else None
