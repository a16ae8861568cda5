"""The network from the database, analysed by api.network.compute, kept per data version."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import or_, select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.cache import data_version, per_data_version
from api.enums import CollaborationKind, Publication
from api.network import compute as network
from api.network import schemas as s


@dataclass(frozen=True)
class Filters:
    mission: str | None = None
    area: str | None = None
    kind: str | None = None
    from_: dt.date | None = None
    to: dt.date | None = None
    public: bool = True
    exclude: tuple[CollaborationKind, ...] = ()
    weighting: network.Weighting = network.Weighting.shared


def _orgs(session: Session, f: Filters) -> list[network.Org]:
    S = models.Stakeholder
    stmt = select(col(S.id), col(S.name), col(S.kind), col(S.new_to_innovation))
    if f.kind:
        stmt = stmt.where(col(S.kind) == f.kind)
    if f.area:
        SA = models.StakeholderArea
        inside = select(col(SA.stakeholder_id)).where(col(SA.area_id).in_(areas.within(session, f.area)))
        stmt = stmt.where(col(S.id).in_(inside))
    return [network.Org(*row) for row in session.execute(stmt.order_by(col(S.id)))]


def _memberships(session: Session, f: Filters) -> dict[str, list[str]]:
    P, C = models.Participant, models.Collaboration
    stmt = select(col(P.collaboration_id), col(P.stakeholder_id)).join(
        C, col(C.id) == col(P.collaboration_id)
    )
    if f.public:
        stmt = stmt.where(col(C.publication) == Publication.published)
    if f.exclude:
        stmt = stmt.where(col(C.kind).not_in(f.exclude))
    if f.mission:
        CO, Out = models.CollaborationOutcome, models.Outcome
        outcomes = select(col(Out.id)).where(col(Out.mission_id) == f.mission)
        serving = select(col(CO.collaboration_id)).where(col(CO.outcome_id).in_(outcomes))
        stmt = stmt.where(col(C.id).in_(serving))
    if f.to:
        stmt = stmt.where(or_(col(C.start_date).is_(None), col(C.start_date) <= f.to))
    if f.from_:
        stmt = stmt.where(or_(col(C.end_date).is_(None), col(C.end_date) >= f.from_))
    members: dict[str, list[str]] = defaultdict(list)
    for collaboration_id, stakeholder_id in session.execute(stmt):
        members[collaboration_id].append(stakeholder_id)
    return dict(members)


@dataclass(frozen=True)
class Analysis:
    version: int  # the change-feed position it reflects
    graph: "nx.Graph[str]"
    memberships: dict[str, list[str]]
    orgs: list[network.Org]
    strength: dict[str, float]
    betweenness: dict[str, float]
    betweenness_method: str
    communities: list[set[str]]
    modularity: float | None

    def weight(self) -> int:
        """Roughly its bytes, for the cache's bound: a graph costs about this per node and edge."""
        return 400 * self.graph.number_of_nodes() + 450 * self.graph.number_of_edges()


@per_data_version
def analyse(session: Session, f: Filters) -> Analysis:
    """The graph and its costly measures, shared by /network and /network/metrics."""
    version = data_version(session)[0]
    orgs, memberships = _orgs(session, f), _memberships(session, f)
    graph = network.build(orgs, memberships, f.weighting)
    scores, method = network.betweenness(graph)
    found = network.communities(graph)
    return Analysis(
        version,
        graph,
        memberships,
        orgs,
        network.strength(graph),
        scores,
        method,
        found,
        network.modularity(graph, found),
    )


def _community_of(a: Analysis) -> dict[str, int]:
    return {member: i for i, c in enumerate(a.communities) for member in c}


@per_data_version
def graph(session: Session, f: Filters) -> s.Network:
    a = analyse(session, f)
    community_of = _community_of(a)
    nodes = [
        s.Node(
            id=n,
            name=d["name"],
            kind=d["kind"],
            sector=network.SECTOR_OF.get(d["kind"], "other"),
            degree=a.graph.degree(n),
            strength=a.strength[n],
            community=community_of.get(n),
        )
        for n, d in a.graph.nodes(data=True)
    ]
    edges = [
        s.Edge(
            source=u,
            target=v,
            weight=d["shared"],
            strength=d["weight"],
            collaboration_ids=d["collaborations"],
        )
        for u, v, d in a.graph.edges(data=True)
    ]
    return s.Network(
        data_version=a.version,
        weighting=f.weighting,
        excluded_kinds=list(f.exclude),
        method=network.links_method(f.weighting, f.exclude, drafts=not f.public),
        nodes=nodes,
        edges=edges,
    )


def _ranked(a: Analysis, scores: dict[str, float], limit: int) -> list[s.Ranked]:
    top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    g = a.graph.nodes
    return [s.Ranked(id=n, name=g[n]["name"], kind=g[n]["kind"], value=v) for n, v in top]


def metrics(session: Session, f: Filters, limit: int) -> s.NetworkMetrics:
    """The whole answer is kept too: a repeat call costs one query."""
    answer, hit = _metrics.lookup(session, f, limit)
    return answer.model_copy(update={"cached": hit})


@per_data_version
def _metrics(session: Session, f: Filters, limit: int) -> s.NetworkMetrics:
    a = analyse(session, f)
    g, community_of = a.graph, _community_of(a)
    degree = dict(nx.degree_centrality(g)) if g.number_of_nodes() > 1 else dict.fromkeys(g, 0.0)
    communities = []
    for i, members in enumerate(a.communities[:limit]):
        sectors: dict[str, int] = defaultdict(int)
        for m in members:
            sectors[network.SECTOR_OF.get(g.nodes[m]["kind"], "other")] += 1
        central = _ranked(a, {m: a.strength[m] for m in members}, 5)
        communities.append(s.Community(index=i, size=len(members), sectors=dict(sectors), central=central))
    brokers = [
        s.Broker(
            id=b.id,
            name=g.nodes[b.id]["name"],
            kind=g.nodes[b.id]["kind"],
            betweenness=b.betweenness,
            communities_bridged=b.communities_bridged,
            sectors_bridged=b.sectors_bridged,
        )
        for b in network.brokers(g, community_of, a.betweenness)[:limit]
    ]
    kinds = {o.id: o.kind for o in a.orgs}
    counts: dict[str, int] = defaultdict(int)
    for participants in a.memberships.values():
        for m in set(participants):
            counts[m] += 1
    alone = [o for o in a.orgs if counts[o.id] == 0]
    new = [o for o in a.orgs if o.new_to_innovation]
    first = sorted(alone + [o for o in new if counts[o.id]], key=lambda o: (counts[o.id] > 0, o.name))[:limit]
    cross = network.cross_sector(a.memberships, kinds)
    return s.NetworkMetrics(
        data_version=a.version,
        cached=False,
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        weighting=f.weighting,
        excluded_kinds=list(f.exclude),
        modularity=a.modularity,
        methods=s.Methods(
            links=network.links_method(f.weighting, f.exclude, drafts=not f.public),
            degree="degree centrality: partners / (organisations - 1)",
            strength="strength: the weights of an organisation's links, summed",
            betweenness=a.betweenness_method,
            communities=network.communities_method(f.weighting),
            brokers=network.BROKERS_METHOD,
        ),
        top_degree=_ranked(a, degree, limit),
        top_strength=_ranked(a, a.strength, limit),
        top_betweenness=_ranked(a, a.betweenness, limit),
        communities=communities,
        brokers=brokers,
        cross_sector=s.CrossSector(
            collaborations=cross.collaborations,
            cross_sector=cross.cross_sector,
            business_academia=cross.business_academia,
            public_private=cross.public_private,
        ),
        to_invite=s.ToInvite(
            without_collaboration=len(alone),
            new_to_innovation=len(new),
            first=[
                s.Invitee(
                    id=o.id,
                    name=o.name,
                    kind=o.kind,
                    new_to_innovation=o.new_to_innovation,
                    collaborations=counts[o.id],
                )
                for o in first
            ],
        ),
    )
