"""Which support schemes an organisation is eligible for, and why: pure functions.

A scheme's criteria (areas, kinds, sizes, sectors) each either lists what qualifies or is
empty (anyone). An organisation is eligible when the scheme is open and it meets every
criterion the scheme sets. Eligible schemes rank by how specifically they fit: two points
for an area match, one each for a listed kind and size, one per shared sector, one when the
scheme serves a mission the organisation already works on.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


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
    eligible: bool
    score: int
    reasons: tuple[str, ...]
    unmet: tuple[str, ...]


def match(who: Applicant, scheme: Scheme, today: date) -> Match:
    score, reasons, unmet = 0, [], []
    if not scheme.open or (scheme.closes_on is not None and scheme.closes_on < today):
        unmet.append("The scheme is closed.")
    if scheme.areas:
        if who.places & scheme.areas:
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
            unmet.append("The organisation's size is not recorded; the scheme is for some sizes only.")
        elif who.size in scheme.sizes:
            score += 1
            reasons.append(f"Open to {who.size} organisations.")
        else:
            unmet.append(f"For {', '.join(sorted(scheme.sizes))} organisations only.")
    if scheme.sectors:
        shared = who.sectors & scheme.sectors
        if shared:
            score += len(shared)
            reasons.append(f"Works in {', '.join(sorted(shared))}.")
        else:
            unmet.append(f"For the {', '.join(sorted(scheme.sectors))} sector(s) only.")
    if who.missions & scheme.missions:
        score += 1
        reasons.append("Serves a roadmap mission the organisation already works on.")
    if not unmet and not reasons:
        reasons.append("Open to any organisation.")
    return Match(scheme.id, not unmet, score, tuple(reasons), tuple(unmet))


def rank(who: Applicant, schemes: Iterable[Scheme], today: date, eligible_only: bool = True) -> list[Match]:
    """Eligible schemes first, best fit first; then (if asked) the others, nearest miss first."""
    found = [match(who, s, today) for s in schemes]
    if eligible_only:
        found = [m for m in found if m.eligible]
    return sorted(found, key=lambda m: (not m.eligible, -m.score, len(m.unmet), m.scheme_id))
