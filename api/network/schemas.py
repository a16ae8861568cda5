from pydantic import BaseModel, Field

from api.bounds import ROWS, BigCount, Code, Count, Id, Name, Text
from api.enums import CollaborationKind
from api.network.compute import Weighting

WEIGHTING = "How links are weighted: `shared` (1/(n-1) per collaboration of n) or `count` (1 each)."
EXCLUDED = "Kinds of collaboration left out of the answer."
RANKED = 100  # the most `limit` asks for


class Node(BaseModel):
    id: Id
    name: Name
    kind: Code
    sector: Code
    degree: Count = Field(description="How many organisations it works with.")
    strength: float = Field(description="The weights of its links, summed.")
    community: Count | None = Field(
        description="Index into the communities of /network/metrics; none if isolated."
    )


class Edge(BaseModel):
    source: Id
    target: Id
    weight: Count = Field(description="How many collaborations the two share.")
    strength: float = Field(description="The link's weight under `weighting`.")
    collaboration_ids: list[Id] = Field(max_length=ROWS)


class Network(BaseModel):
    data_version: BigCount = Field(description="The change-feed position the answer reflects.")
    weighting: Weighting = Field(description=WEIGHTING)
    excluded_kinds: list[CollaborationKind] = Field(max_length=len(CollaborationKind), description=EXCLUDED)
    method: Text = Field(description="What was counted and how links are weighted, in words.")
    nodes: list[Node] = Field(max_length=ROWS)
    edges: list[Edge] = Field(max_length=ROWS)


class Ranked(BaseModel):
    id: Id
    name: Name
    kind: Code
    value: float


class Community(BaseModel):
    index: Count
    size: Count
    sectors: dict[str, Count]
    central: list[Ranked] = Field(max_length=RANKED, description="Its best-connected members (by strength).")


class Broker(BaseModel):
    id: Id
    name: Name
    kind: Code
    betweenness: float
    communities_bridged: Count
    sectors_bridged: Count = Field(description="Sectors among its partners other than its own.")


class CrossSector(BaseModel):
    collaborations: Count = Field(
        description="Collaborations counted (not of `excluded_kinds`) with two or more organisations in view."
    )
    cross_sector: float = Field(description="Share with organisations from two or more sectors.")
    business_academia: float
    public_private: float


class Invitee(BaseModel):
    id: Id
    name: Name
    kind: Code
    new_to_innovation: bool
    collaborations: Count = Field(description="How many of the collaborations counted it takes part in.")


class ToInvite(BaseModel):
    without_collaboration: Count
    new_to_innovation: Count
    first: list[Invitee] = Field(
        max_length=RANKED,
        description="Organisations in no collaboration counted first, then new to innovation.",
    )


class Methods(BaseModel):
    links: Text = Field(description="What was counted and how links are weighted.")
    degree: Text
    strength: Text
    betweenness: Text
    communities: Text
    brokers: Text


class NetworkMetrics(BaseModel):
    data_version: BigCount
    cached: bool = Field(description="Answered from the cache kept for this data version.")
    nodes: Count
    edges: Count
    weighting: Weighting = Field(description=WEIGHTING)
    excluded_kinds: list[CollaborationKind] = Field(max_length=len(CollaborationKind), description=EXCLUDED)
    modularity: float | None = Field(
        description="Newman's weighted modularity of the communities; none without links."
    )
    methods: Methods
    top_degree: list[Ranked] = Field(max_length=RANKED)
    top_strength: list[Ranked] = Field(max_length=RANKED)
    top_betweenness: list[Ranked] = Field(max_length=RANKED)
    communities: list[Community] = Field(max_length=RANKED)
    brokers: list[Broker] = Field(max_length=RANKED)
    cross_sector: CrossSector
    to_invite: ToInvite
