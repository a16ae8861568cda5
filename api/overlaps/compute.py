"""Collaborations that likely duplicate each other: pure functions.

A pair needs common ground of its own: titles and descriptions alike (`text` at least 0.1)
or an organisation taking part in both, hubs aside. Shared outcomes and areas only support
that; they never make a pair on their own.

The score (0..1) is
0.5 * `text`: the cosine similarity of their titles and descriptions (TF-IDF over words and
pairs of neighbouring words, the rarer weighing more, boilerplate left out)
+ 0.25 * `members`: organisations in both ÷ (all of theirs + 1), hubs left out; a single one
in common counts a half, as one organisation may simply run two different things
+ 0.15 * `outcomes`: outcomes served by both ÷ all they serve
+ 0.1 * `areas`: the share of their areas the other covers (the same area, inside or around
it), region-wide areas (the UK, a region, a combined authority) left out as they contain
every collaboration on a regional roadmap.

Boilerplate is what says nothing about two collaborations in particular: English stop words;
numbers; words every entry on a regional digital roadmap uses ("West Midlands", "WMCA",
"digital", "programme", "mission"...), which count only paired with another word ("digital
skills"); template sentences, whose first five words open a sentence in three or more
descriptions ("Current WMCA digital activity for Mission 2 ..."); and any word or pair in
more than a quarter of the collaborations (and more than four). Hubs are the organisations
in more than a quarter of the collaborations (and more than four), such as the combined
authority that coordinates most of them.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from api.enums import AreaKind

TEXT, MEMBERS, OUTCOMES, AREAS = 0.5, 0.25, 0.15, 0.1
TEXT_GATE = 0.1
COMMON_SHARE, COMMON_MIN = 0.25, 4
TEMPLATE, OPENING = 3, 5
REGION_WIDE = frozenset({AreaKind.uk, AreaKind.region, AreaKind.combined_authority})
BOILERPLATE = frozenset(
    {"west", "midland", "wm", "wmca", "combined", "authority", "region", "regional", "current", "mission"}
    | {"digital", "digitally", "programme", "project", "scheme", "initiative", "activity"}
)
SHOWN_TERMS = 3
CHUNK = 500  # rows of the similarity matrix at a time: memory stays flat with thousands
NEIGHBOURS = 25  # per collaboration, its most alike others only: nothing can make n² pairs

_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_TOKEN = re.compile(r"\w+(?:['-]\w+)*|[^\w\s]")  # "WM-REDI" and "Aston's" are one token
_LETTER = re.compile(r"[^\W\d_]")  # "5G" is a word, "2017" is not


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    description: str
    outcomes: frozenset[str]
    areas: frozenset[str]
    members: frozenset[str]


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    score: float
    text: float
    terms: tuple[str, ...]
    outcomes: frozenset[str]
    outcome_overlap: float
    area_overlap: float
    members: frozenset[str]
    member_overlap: float
    reasons: tuple[str, ...]


def jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    union = x | y
    return len(x & y) / len(union) if union else 0.0


def member_overlap(x: frozenset[str], y: frozenset[str]) -> float:
    """In both ÷ (all + 1): one organisation in common is half the evidence, not all of it."""
    return len(x & y) / (len(x | y) + 1)


def common_limit(n: int) -> int:
    """In more collaborations than this (of n), a word or an organisation says nothing."""
    return max(COMMON_MIN, int(COMMON_SHARE * n))


def hubs(activities: Sequence[Activity]) -> frozenset[str]:
    counts = Counter(m for a in activities for m in a.members)
    limit = common_limit(len(activities))
    return frozenset(m for m, count in counts.items() if count > limit)


def region_wide(kinds: Mapping[str, str]) -> frozenset[str]:
    return frozenset(area for area, kind in kinds.items() if kind in REGION_WIDE)


def area_overlap(
    x: frozenset[str],
    y: frozenset[str],
    containing: Mapping[str, frozenset[str]],
    broad: frozenset[str] = frozenset(),
) -> float:
    """Share of the two activities' areas, `broad` ones aside, that the other covers (the
    same area, inside or around it)."""

    def covered(area: str, other: frozenset[str]) -> bool:
        around = containing.get(area, frozenset({area}))
        return bool(around & other) or any(area in containing.get(o, frozenset({o})) for o in other)

    x, y = x - broad, y - broad
    if not x or not y:
        return 0.0
    hits = sum(covered(a, y) for a in x) + sum(covered(b, x) for b in y)
    return hits / (len(x) + len(y))


def _sentences(text: str) -> list[str]:
    return [" ".join(s.lower().split()) for s in _SENTENCE.split(text) if s.strip()]


def _opening(sentence: str) -> str:
    return " ".join(sentence.split()[:OPENING])


def templates(descriptions: Iterable[str]) -> frozenset[str]:
    """Sentence openings found in TEMPLATE or more descriptions."""
    counts = Counter(o for d in descriptions for o in {_opening(s) for s in _sentences(d)})
    return frozenset(o for o, count in counts.items() if count >= TEMPLATE)


def texts(activities: Sequence[Activity]) -> list[str]:
    """Each title and description, template sentences left out."""
    template = templates(a.description for a in activities)
    return [
        " . ".join([a.title, *(s for s in _sentences(a.description) if _opening(s) not in template)])
        for a in activities
    ]


def _fold(word: str) -> str:
    """Plural to singular, roughly, so that "skills" is "skill"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _word(token: str) -> str | None:
    word = token.removesuffix("'s")
    if len(word) < 2 or not _LETTER.search(word) or word in _stop_words():
        return None
    return _fold(word)


def terms(text: str) -> list[str]:
    """Words, and pairs of words next to each other; a boilerplate word counts only in a pair
    ("digital skill"). Stop words, numbers and punctuation break pairs."""
    words = [_word(t) for t in _TOKEN.findall(text.lower().replace("\u2019", "'"))]
    pairs = [f"{a} {b}" for a, b in pairwise(words) if a and b and {a, b} - BOILERPLATE]
    return [w for w in words if w and w not in BOILERPLATE] + pairs


def vectors(activities: Sequence[Activity]) -> tuple[Any, list[str]]:
    """The TF-IDF matrix (rows L2-normalised) and its terms; None when no text says anything."""
    # Imported here: scikit-learn (with NumPy and SciPy) is ~60 MiB a worker carries only once
    # someone asks for overlaps.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    limit = common_limit(len(activities))
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, max_df=limit, norm=None)
    try:
        matrix = vectorizer.fit_transform(texts(activities))
    except ValueError:  # nothing left once boilerplate is out
        return None, []
    matrix.sort_indices()  # then each length sums the same way whatever the texts' order
    return normalize(matrix), list(vectorizer.get_feature_names_out())


def _row(matrix: Any, r: int) -> tuple[Any, Any]:
    """A CSR row's columns and values, read off its arrays: slicing the matrix costs a
    millisecond a pair."""
    span = slice(matrix.indptr[r], matrix.indptr[r + 1])
    return matrix.indices[span], matrix.data[span]


def shared_terms(matrix: Any, vocabulary: Sequence[str], i: int, j: int) -> tuple[str, ...]:
    """The terms adding most to the pair's text similarity, a word inside a shown pair not again."""
    import numpy as np

    (ci, di), (cj, dj) = _row(matrix, i), _row(matrix, j)
    common, at_i, at_j = np.intersect1d(ci, cj, assume_unique=True, return_indices=True)
    shown: list[str] = []
    for _, column in sorted(zip((-di[at_i] * dj[at_j]).tolist(), common.tolist(), strict=True)):
        term = vocabulary[column]
        words = set(term.split())
        if any(words <= set(s.split()) for s in shown):
            continue
        shown = [s for s in shown if not set(s.split()) <= words] + [term]
        if len(shown) == SHOWN_TERMS:
            break
    return tuple(shown)


def candidates(
    matrix: Any, activities: Sequence[Activity], hub: frozenset[str]
) -> dict[tuple[int, int], float]:
    """Index pairs (i < j) with common ground, each collaboration's NEIGHBOURS strongest only,
    with their text similarity."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n = len(activities)
    index: dict[str, int] = {}
    rows, cols = [], []
    for i, activity in enumerate(activities):
        for member in activity.members - hub:
            rows.append(i)
            cols.append(index.setdefault(member, len(index)))
    members = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(index), 1)))
    sizes = np.asarray(members.sum(axis=1)).ravel()
    found: dict[tuple[int, int], float] = {}
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        block = slice(start, stop)
        # Rows are L2-normalised: their products are the cosines.
        text = (matrix[block] @ matrix.T).toarray() if matrix is not None else np.zeros((stop - start, n))
        both = (members[block] @ members.T).tocsr()
        for offset in range(stop - start):
            i = start + offset
            shared = np.zeros(n)
            lo, hi = both.indptr[offset], both.indptr[offset + 1]
            shared[both.indices[lo:hi]] = both.data[lo:hi]
            alike = text[offset]
            near = ((alike >= TEXT_GATE) | (shared > 0)).nonzero()[0]
            near = near[near != i]
            if len(near) > NEIGHBOURS:
                overlap = shared[near] / (sizes[i] + sizes[near] - shared[near] + 1)
                strength = TEXT * alike[near] + MEMBERS * overlap
                near = near[np.argsort(-strength, kind="stable")[:NEIGHBOURS]]
            for j in near.tolist():
                found[(min(i, j), max(i, j))] = float(min(alike[j], 1.0))
    return found


def score(
    x: Activity,
    y: Activity,
    text: float,
    containing: Mapping[str, frozenset[str]],
    broad: frozenset[str] = frozenset(),
    hub: frozenset[str] = frozenset(),
    shared: tuple[str, ...] = (),
) -> Overlap:
    """The pair's score and reasons; symmetric in x and y."""
    outcomes, members = x.outcomes & y.outcomes, (x.members & y.members) - hub
    outcome_share = jaccard(x.outcomes, y.outcomes)
    member_share = member_overlap(x.members - hub, y.members - hub)
    areas = area_overlap(x.areas, y.areas, containing, broad)
    total = TEXT * text + MEMBERS * member_share + OUTCOMES * outcome_share + AREAS * areas
    reasons = []
    if text:
        reasons.append(
            f"Titles and descriptions have {', '.join(map(repr, shared))} in common (cosine {text:.2f})."
        )
    if members:
        among = len((x.members | y.members) - hub)
        reasons.append(f"{len(members)} organisation(s) take part in both, of {among} between them.")
    if outcomes:
        reasons.append(
            f"Serve {len(outcomes)} outcome(s) in common, of {len(x.outcomes | y.outcomes)} between them."
        )
    if areas:
        reasons.append(f"Work in the same or nested places ({areas:.0%} of their areas).")
    a, b = sorted((x.id, y.id))
    return Overlap(
        a=a,
        b=b,
        score=round(total, 6),
        text=text,
        terms=shared,
        outcomes=outcomes,
        outcome_overlap=outcome_share,
        area_overlap=areas,
        members=members,
        member_overlap=member_share,
        reasons=tuple(reasons),
    )


def overlaps(
    activities: Sequence[Activity],
    containing: Mapping[str, frozenset[str]],
    min_score: float,
    broad: frozenset[str] = frozenset(),
) -> list[Overlap]:
    """Likely duplicates, highest score first."""
    if len(activities) < 2:
        return []
    hub = hubs(activities)
    matrix, vocabulary = vectors(activities)
    found = []
    for (i, j), text in candidates(matrix, activities, hub).items():
        x, y = activities[i], activities[j]
        if not may_reach(x, y, text, hub, min_score):
            continue
        pair = score(x, y, text, containing, broad, hub)
        if pair.score >= min_score:
            # Named once the pair is in: most candidates are not.
            shared = shared_terms(matrix, vocabulary, i, j) if text else ()
            found.append(score(x, y, text, containing, broad, hub, shared) if shared else pair)
    return sorted(found, key=lambda o: (-o.score, o.a, o.b))


def may_reach(x: Activity, y: Activity, text: float, hub: frozenset[str], min_score: float) -> bool:
    """Whether the pair could score `min_score` were their areas the same: the pairs that cannot
    are not scored at all."""
    members = member_overlap(x.members - hub, y.members - hub)
    possible = TEXT * text + MEMBERS * members + OUTCOMES * jaccard(x.outcomes, y.outcomes) + AREAS
    return possible >= min_score - 1e-6
