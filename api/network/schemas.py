from pydantic import BaseModel, Field

from api.enums import CollaborationKind
from api.network.compute import Weighting

WEIGHTING = "How links are weighted: `shared` (1/(n-1) per collaboration of n) or `count` (1 each)."
EXCLUDED = "Kinds of collaboration left out of the answer."


class Node(BaseModel):
    id: str
    name: str
    kind: str
    sector: str
    degree: int = Field(description="How many organisations it works with.")
    strength: float = Field(description="The weights of its links, summed.")
    community: int | None = Field(
        description="Index into the communities of /network/metrics; none if isolated."
    )


class Edge(BaseModel):
    source: str
    target: str
    weight: int = Field(description="How many collaborations the two share.")
    strength: float = Field(description="The link's weight under `weighting`.")
    collaboration_ids: list[str]


class Network(BaseModel):
    data_version: int = Field(description="The change-feed position the answer reflects.")
    weighting: Weighting = Field(description=WEIGHTING)
    excluded_kinds: list[CollaborationKind] = Field(description=EXCLUDED)
    method: str = Field(description="What was counted and how links are weighted, in words.")
    nodes: list[Node]
    edges: list[Edge]


class Ranked(BaseModel):
    id: str
    name: str
    kind: str
    value: float


class Community(BaseModel):
    index: int
    size: int
    sectors: dict[str, int]
    central: list[Ranked] = Field(description="Its best-connected members (by strength).")


class Broker(BaseModel):
    id: str
    name: str
    kind: str
    betweenness: float
    communities_bridged: int
    sectors_bridged: int = Field(description="Sectors among its partners other than its own.")


class CrossSector(BaseModel):
    collaborations: int = Field(
        description="Collaborations counted (not of `excluded_kinds`) with two or more organisations in view."
    )
    cross_sector: float = Field(description="Share with organisations from two or more sectors.")
    business_academia: float
    public_private: float


class Invitee(BaseModel):
    id: str
    name: str
    kind: str
    new_to_innovation: bool
    collaborations: int = Field(description="How many of the collaborations counted it takes part in.")


class ToInvite(BaseModel):
    without_collaboration: int
    new_to_innovation: int
    first: list[Invitee] = Field(
        description="Organisations in no collaboration counted first, then new to innovation."
    )


class Methods(BaseModel):
    links: str = Field(description="What was counted and how links are weighted.")
    degree: str
    strength: str
    betweenness: str
    communities: str
    brokers: str


class NetworkMetrics(BaseModel):
    data_version: int
    cached: bool = Field(description="Answered from the cache kept for this data version.")
    nodes: int
    edges: int
    weighting: Weighting = Field(description=WEIGHTING)
    excluded_kinds: list[CollaborationKind] = Field(description=EXCLUDED)
    modularity: float | None = Field(
        description="Newman's weighted modularity of the communities; none without links."
    )
    methods: Methods
    top_degree: list[Ranked]
    top_strength: list[Ranked]
    top_betweenness: list[Ranked]
    communities: list[Community]
    brokers: list[Broker]
    cross_sector: CrossSector
    to_invite: ToInvite
