"""The collaboration network: pure functions over networkx graphs, no database.

Nodes are organisations; two are linked when they take part in the same collaboration
(the weight counts how many they share).
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

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
SAMPLES = 100  # about 4 s on 10,000 organisations and 28,000 links; the method says so
COMMUNITIES_METHOD = "Louvain modularity communities (networkx, edge weight = shared collaborations, seed 0)."
BROKERS_METHOD = (
    "Organisations whose partners lie in two or more communities, or in two or more sectors other "
    "than their own, ranked by betweenness."
)


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    kind: str
    new_to_innovation: bool = False


def build(orgs: Sequence[Org], memberships: Mapping[str, Iterable[str]]) -> "nx.Graph[str]":
    """`memberships`: collaboration id → the ids of its participants."""
    graph: nx.Graph[str] = nx.Graph()
    for org in orgs:
        graph.add_node(org.id, name=org.name, kind=org.kind, new=org.new_to_innovation)
    for collaboration, members in sorted(memberships.items()):
        inside = sorted({m for m in members if m in graph})
        for a, b in combinations(inside, 2):
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["collaborations"].append(collaboration)
            else:
                graph.add_edge(a, b, weight=1, collaborations=[collaboration])
    return graph


def betweenness(graph: "nx.Graph[str]") -> tuple[dict[str, float], str]:
    """Normalised betweenness; exact on small graphs, sampled (and said so) on large ones."""
    n = graph.number_of_nodes()
    if n <= EXACT_BETWEENNESS_UP_TO:
        return nx.betweenness_centrality(graph, normalized=True), "exact (Brandes), normalised"
    scores = nx.betweenness_centrality(graph, k=SAMPLES, normalized=True, seed=0)
    method = f"approximate: Brandes from {SAMPLES} of {n} sources sampled (seed 0), normalised"
    return scores, method


def communities(graph: "nx.Graph[str]") -> list[set[str]]:
    """Communities of the connected part, largest first (isolated organisations belong to none)."""
    linked = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    if linked.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(linked, weight="weight", seed=0)
    return sorted(found, key=lambda c: (-len(c), min(c)))


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
        neighbours = list(graph.neighbors(node))
        reached = {community_of[n] for n in neighbours if n in community_of} | {community_of.get(node, -1)}
        own = SECTOR_OF.get(graph.nodes[node]["kind"], "other")
        sectors = {SECTOR_OF.get(graph.nodes[n]["kind"], "other") for n in neighbours} - {own}
        reached.discard(-1)
        if len(reached) >= 2 or len(sectors) >= 2:
            found.append(Broker(node, len(reached), len(sectors), between.get(node, 0.0)))
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
