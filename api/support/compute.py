"""Which support schemes an organisation is eligible for, and why: pure functions.

A scheme's criteria (areas, kinds, sizes, sectors) each either lists what qualifies or is
empty (anyone). A criterion the organisation's record cannot be checked against (its size,
areas or sectors are not recorded) is unknown, never unmet. An organisation is eligible when
the scheme is open and it meets every criterion the scheme sets; ineligible when the scheme
is closed or it fails any criterion; otherwise (nothing failed, something unknown) its
eligibility is unknown. Schemes rank eligible, then unknown, then ineligible; within each by
how specifically they fit: two points for an area match, one each for a listed kind and
size, one per shared sector, one when the scheme serves a mission the organisation already
works on.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Eligibility(StrEnum):
    eligible = "eligible"
    unknown = "unknown"
    ineligible = "ineligible"


@dataclass(frozen=True)
class Applicant:
    kind: str
    size: str | None
    sectors: frozenset[str]
    places: frozenset[str]  # its areas and every area that contains them
    missions: frozenset[str]  # the missions its collaborations serve


@dataclass(frozen=True)
class Scheme:
    id: str
    open: bool
    closes_on: date | None
    areas: frozenset[str]
    kinds: frozenset[str]
    sizes: frozenset[str]
    sectors: frozenset[str]
    missions: frozenset[str]


@dataclass(frozen=True)
class Match:
    scheme_id: str
    eligibility: Eligibility
    score: int
    reasons: tuple[str, ...]
    unmet: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return self.eligibility is Eligibility.eligible


def match(who: Applicant, scheme: Scheme, today: date) -> Match:
    score, reasons, unmet, unknown = 0, [], [], []
    if not scheme.open or (scheme.closes_on is not None and scheme.closes_on < today):
        unmet.append("The scheme is closed.")
    if scheme.areas:
        if not who.places:
            unknown.append("Areas not recorded: add them to check (the scheme is for some areas only).")
        elif who.places & scheme.areas:
            score += 2
            reasons.append("Based in or serving an area the scheme covers.")
        else:
            unmet.append("Not in an area the scheme covers.")
    if scheme.kinds:
        if who.kind in scheme.kinds:
            score += 1
            reasons.append(f"Open to organisations of kind {who.kind}.")
        else:
            unmet.append(f"Open to {', '.join(sorted(scheme.kinds))} only.")
    if scheme.sizes:
        if who.size is None:
            sizes = ", ".join(sorted(scheme.sizes))
            unknown.append(f"Size not recorded: add it to check (the scheme is for {sizes} organisations).")
        elif who.size in scheme.sizes:
            score += 1
            reasons.append(f"Open to {who.size} organisations.")
        else:
            unmet.append(f"For {', '.join(sorted(scheme.sizes))} organisations only.")
    if scheme.sectors:
        shared, sectors = who.sectors & scheme.sectors, ", ".join(sorted(scheme.sectors))
        if not who.sectors:
            unknown.append(f"Sectors not recorded: add them to check (the scheme is for {sectors}).")
        elif shared:
            score += len(shared)
            reasons.append(f"Works in {', '.join(sorted(shared))}.")
        else:
            unmet.append(f"For the {sectors} sector(s) only.")
    if who.missions & scheme.missions:
        score += 1
        reasons.append("Serves a roadmap mission the organisation already works on.")
    if not unmet and not unknown and not reasons:
        reasons.append("Open to any organisation.")
    eligibility = (
        Eligibility.ineligible if unmet else Eligibility.unknown if unknown else Eligibility.eligible
    )
    return Match(scheme.id, eligibility, score, tuple(reasons), tuple(unmet), tuple(unknown))


ORDER = {Eligibility.eligible: 0, Eligibility.unknown: 1, Eligibility.ineligible: 2}


def rank(
    who: Applicant, schemes: Iterable[Scheme], today: date, include_ineligible: bool = False
) -> list[Match]:
    """Eligible schemes, then those whose eligibility is unknown, best fit first; then (if
    asked) the ineligible, nearest miss first."""
    found = [match(who, s, today) for s in schemes]
    if not include_ineligible:
        found = [m for m in found if m.eligibility is not Eligibility.ineligible]
    return sorted(
        found, key=lambda m: (ORDER[m.eligibility], -m.score, len(m.unmet), len(m.unknown), m.scheme_id)
    )
