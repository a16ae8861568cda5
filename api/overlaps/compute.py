"""Collaborations that likely duplicate each other: pure functions.

A pair's score is 0.5 * the TF-IDF cosine similarity of their titles and descriptions
(scikit-learn; English stop words removed, words and word pairs, sublinear term frequency)
+ 0.3 * the Jaccard overlap of the outcomes they serve
+ 0.2 * how much of their areas overlap, counting an area inside another as overlapping.
Pairs are only scored when their texts are at least a little alike or they share an outcome.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

TEXT, OUTCOMES, AREAS = 0.5, 0.3, 0.2
CANDIDATE_TEXT = 0.2
CHUNK = 500  # rows of the similarity matrix at a time: memory stays flat with thousands
NEIGHBOURS = 25  # per collaboration, its most similar texts only: boilerplate cannot make n² pairs


@dataclass(frozen=True)
class Activity:
    id: str
    text: str
    outcomes: frozenset[str]
    areas: frozenset[str]
    members: frozenset[str]


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    score: float
    text: float
    outcomes: frozenset[str]
    area_overlap: float
    members: frozenset[str]
    reasons: tuple[str, ...]


def jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    union = x | y
    return len(x & y) / len(union) if union else 0.0


def area_overlap(x: frozenset[str], y: frozenset[str], containing: Mapping[str, frozenset[str]]) -> float:
    """Share of the two activities' areas that the other covers (same area, inside or around it)."""

    def covered(area: str, other: frozenset[str]) -> bool:
        around = containing.get(area, frozenset({area}))
        return bool(around & other) or any(area in containing.get(o, frozenset({o})) for o in other)

    if not x or not y:
        return 0.0
    hits = sum(covered(a, y) for a in x) + sum(covered(b, x) for b in y)
    return hits / (len(x) + len(y))


def text_candidates(texts: Sequence[str]) -> dict[tuple[int, int], float]:
    """Index pairs (i < j) whose texts are at least CANDIDATE_TEXT alike, with their cosine."""
    if len(texts) < 2 or not any(t.strip() for t in texts):
        return {}
    # Imported here: scikit-learn (with NumPy and SciPy) is ~60 MiB a worker carries only once
    # someone asks for overlaps.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # only stop words
        return {}
    found: dict[tuple[int, int], float] = {}
    for start in range(0, len(texts), CHUNK):
        block = linear_kernel(matrix[start : start + CHUNK], matrix)  # rows are L2-normalised: cosine
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = 0.0
            alike = (row > CANDIDATE_TEXT).nonzero()[0]
            if len(alike) > NEIGHBOURS:
                alike = alike[row[alike].argsort()[-NEIGHBOURS:]]
            for j in alike:
                pair = (min(i, int(j)), max(i, int(j)))
                found[pair] = float(min(row[j], 1.0))
    return found


def score(x: Activity, y: Activity, text: float, containing: Mapping[str, frozenset[str]]) -> Overlap:
    """The pair's score and reasons; symmetric in x and y."""
    shared_outcomes = x.outcomes & y.outcomes
    areas = area_overlap(x.areas, y.areas, containing)
    total = TEXT * text + OUTCOMES * jaccard(x.outcomes, y.outcomes) + AREAS * areas
    reasons = []
    if text >= CANDIDATE_TEXT:
        reasons.append(f"Similar titles and descriptions (cosine {text:.2f}).")
    if shared_outcomes:
        reasons.append(f"Serve the same outcome(s): {len(shared_outcomes)} shared.")
    if areas:
        reasons.append(f"Work in overlapping areas ({areas:.0%}).")
    shared_members = x.members & y.members
    if shared_members:
        reasons.append(f"{len(shared_members)} organisation(s) already in both.")
    a, b = sorted((x.id, y.id))
    return Overlap(
        a, b, round(total, 6), round(text, 6), shared_outcomes, areas, shared_members, tuple(reasons)
    )


def overlaps(
    activities: Sequence[Activity], containing: Mapping[str, frozenset[str]], min_score: float
) -> list[Overlap]:
    """Likely duplicates, highest score first."""
    candidates = text_candidates([a.text for a in activities])
    by_outcome: dict[str, list[int]] = defaultdict(list)
    for i, activity in enumerate(activities):
        for outcome in activity.outcomes:
            by_outcome[outcome].append(i)
    for group in by_outcome.values():
        for i, j in combinations(sorted(group), 2):
            candidates.setdefault((i, j), 0.0)
    scored = [
        score(activities[i], activities[j], text, containing)
        for (i, j), text in candidates.items()
        if may_reach(activities[i], activities[j], text, min_score)
    ]
    return sorted((o for o in scored if o.score >= min_score), key=lambda o: (-o.score, o.a, o.b))


def may_reach(x: Activity, y: Activity, text: float, min_score: float) -> bool:
    """Whether the pair could score `min_score` were their areas the same: the pairs that cannot
    (most of those that only share an outcome) are not scored at all."""
    return TEXT * text + OUTCOMES * jaccard(x.outcomes, y.outcomes) + AREAS >= min_score - 1e-6
