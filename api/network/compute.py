"""The collaboration network: pure functions over networkx graphs, no database.

Nodes are organisations; two are linked when they take part in the same collaboration. A
link's weight sums what each collaboration they share adds to it (`Weighting`).
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

import networkx as nx

from api.enums import CollaborationKind


class Weighting(StrEnum):
    """What a collaboration of n participants adds to each link between them: 1/(n-1), or 1."""

    shared = "shared"
    count = "count"  # type: ignore[assignment]  # shadows str.count; the name is part of the API


# Left out unless asked for: sitting on a board or a group, or attending an event, is not
# working together, and one large meeting links every pair of its members.
GOVERNANCE = (CollaborationKind.board, CollaborationKind.event, CollaborationKind.working_group)

# Sectors, for "who crosses which boundary": kinds of stakeholder grouped.
SECTOR_OF = {
    "business": "business",
    "investor": "business",
    "university": "academia",
    "college": "academia",
    "local_authority": "public",
    "combined_authority": "public",
    "lep": "public",
    "public_body": "public",
    "health": "public",
    "third_sector": "third_sector",
    "network": "third_sector",
    "person": "person",
}
EXACT_BETWEENNESS_UP_TO = 1000  # nodes; beyond, sampled
SAMPLES = 100  # about 4 s on 10,000 organisations and 28,000 links, 3 times that weighted
# Link lengths in whole millionths of a step: Brandes counts only exactly equal paths as ties,
# and sums of floats depend on their order.
UNITS = 1_000_000
BROKERS_METHOD = (
    "Organisations with betweenness above 0 whose partners lie in two or more communities, or in "
    "two or more sectors other than their own, ranked by betweenness."
)


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    kind: str
    new_to_innovation: bool = False


def build(
    orgs: Sequence[Org],
    memberships: Mapping[str, Iterable[str]],
    weighting: Weighting = Weighting.shared,
) -> "nx.Graph[str]":
    """`memberships`: collaboration id → the ids of all its participants, in view or not.

    Each link has `weight` (by `weighting`), `shared` (how many collaborations) and, under
    `shared`, `length` (1/weight) for betweenness.
    """
    graph: nx.Graph[str] = nx.Graph(weighting=weighting)
    for org in orgs:
        graph.add_node(org.id, name=org.name, kind=org.kind, new=org.new_to_innovation)
    for collaboration, members in sorted(memberships.items()):
        everyone = set(members)
        if len(everyone) < 2:
            continue
        # n counts every participant, so filtering organisations out does not strengthen the rest.
        adds = 1 / (len(everyone) - 1) if weighting is Weighting.shared else 1.0
        for a, b in combinations(sorted(m for m in everyone if m in graph), 2):
            if graph.has_edge(a, b):
                link = graph[a][b]
                link["weight"] += adds
                link["shared"] += 1
                link["collaborations"].append(collaboration)
            else:
                graph.add_edge(a, b, weight=adds, shared=1, collaborations=[collaboration])
    if weighting is Weighting.shared:
        for _, _, link in graph.edges(data=True):
            link["length"] = round(UNITS / link["weight"])
    return graph


def strength(graph: "nx.Graph[str]") -> dict[str, float]:
    """The weights of each organisation's links, summed."""
    return {n: float(s) for n, s in graph.degree(weight="weight")}


def betweenness(graph: "nx.Graph[str]") -> tuple[dict[str, float], str]:
    """Normalised betweenness over link lengths; exact on small graphs, sampled (and said so) on large."""
    n = graph.number_of_nodes()
    # Under `count` every link is one step: breadth-first, as before weighting, and faster.
    length = "length" if graph.graph["weighting"] is Weighting.shared else None
    along = "a link's length 1/weight" if length else "each link one step"
    if n <= EXACT_BETWEENNESS_UP_TO:
        scores = nx.betweenness_centrality(graph, normalized=True, weight=length)
        return scores, f"exact (Brandes), normalised, over shortest paths with {along}"
    scores = nx.betweenness_centrality(graph, k=SAMPLES, normalized=True, seed=0, weight=length)
    method = (
        f"approximate: Brandes from {SAMPLES} of {n} sources sampled (seed 0), normalised, "
        f"over shortest paths with {along}"
    )
    return scores, method


def _linked(graph: "nx.Graph[str]") -> "nx.Graph[str]":
    return graph.subgraph([n for n in graph if graph.degree(n) > 0])


def communities(graph: "nx.Graph[str]") -> list[set[str]]:
    """Communities of the connected part, largest first (isolated organisations belong to none)."""
    linked = _linked(graph)
    if linked.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(linked, weight="weight", seed=0)
    return sorted(found, key=lambda c: (-len(c), min(c)))


def modularity(graph: "nx.Graph[str]", found: Sequence[set[str]]) -> float | None:
    """Newman's weighted modularity of `found` over the linked part; none without links."""
    linked = _linked(graph)
    if linked.number_of_edges() == 0:
        return None
    return float(nx.community.modularity(linked, found, weight="weight"))


def communities_method(weighting: Weighting) -> str:
    return (
        f"Louvain modularity communities (networkx, seed 0) on the link weights ({weighting}); "
        "`modularity` is Newman's weighted Q of that partition."
    )


def links_method(weighting: Weighting, excluded: Sequence[str], drafts: bool) -> str:
    """What was counted and how links are weighted, in words."""
    counted = "Published and draft collaborations" if drafts else "Published collaborations"
    counted += f" of every kind but {', '.join(excluded)}" if excluded else " of every kind"
    if weighting is Weighting.shared:
        weighted = (
            "each collaboration of n participants adds 1/(n-1) to the weight of each pair of "
            "them (1 to two partners, 1/15 to two of a 16-member group), so an organisation's "
            "strength is the number of its collaborations with partners (less where filters "
            "leave some of those partners out)."
        )
    else:
        weighted = "each collaboration adds 1 to each pair of its participants, whatever its size."
    return (
        f"{counted} are counted (`exclude`). Two organisations are linked when they take part "
        f"in the same collaboration; {weighted}"
    )


@dataclass(frozen=True)
class Broker:
    id: str
    communities_bridged: int
    sectors_bridged: int
    betweenness: float


def brokers(
    graph: "nx.Graph[str]", community_of: Mapping[str, int], between: Mapping[str, float]
) -> list[Broker]:
    found = []
    for node in graph:
        # No shortest path runs through it: it connects no one who is not already connected.
        if between.get(node, 0.0) <= 0:
            continue
        neighbours = list(graph.neighbors(node))
        reached = {community_of[n] for n in neighbours if n in community_of} | {community_of.get(node, -1)}
        own = SECTOR_OF.get(graph.nodes[node]["kind"], "other")
        sectors = {SECTOR_OF.get(graph.nodes[n]["kind"], "other") for n in neighbours} - {own}
        reached.discard(-1)
        if len(reached) >= 2 or len(sectors) >= 2:
            found.append(Broker(node, len(reached), len(sectors), between[node]))
    return sorted(found, key=lambda b: (-b.betweenness, -b.communities_bridged, b.id))


@dataclass(frozen=True)
class CrossSector:
    collaborations: int  # with two or more organisations
    cross_sector: float
    business_academia: float
    public_private: float


def cross_sector(memberships: Mapping[str, Iterable[str]], kind_of: Mapping[str, str]) -> CrossSector:
    """Shares of collaborations (of two or more organisations) that cross sector lines."""
    counts: Counter[str] = Counter()
    total = 0
    for members in memberships.values():
        sectors = {SECTOR_OF.get(kind_of[m], "other") for m in set(members) if m in kind_of}
        if len({m for m in members if m in kind_of}) < 2:
            continue
        total += 1
        counts["cross"] += len(sectors) >= 2
        counts["business_academia"] += {"business", "academia"} <= sectors
        counts["public_private"] += {"public", "business"} <= sectors

    def share(key: str) -> float:
        return counts[key] / total if total else 0.0

    return CrossSector(total, share("cross"), share("business_academia"), share("public_private"))
