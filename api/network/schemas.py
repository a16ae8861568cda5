from pydantic import BaseModel, Field


class Node(BaseModel):
    id: str
    name: str
    kind: str
    sector: str
    degree: int = Field(description="How many organisations it works with.")
    community: int | None = Field(
        description="Index into the communities of /network/metrics; none if isolated."
    )


class Edge(BaseModel):
    source: str
    target: str
    weight: int = Field(description="How many collaborations the two share.")
    collaboration_ids: list[str]


class Network(BaseModel):
    data_version: int = Field(description="The change-feed position the answer reflects.")
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
    central: list[Ranked] = Field(description="Its best-connected members (by degree).")


class Broker(BaseModel):
    id: str
    name: str
    kind: str
    betweenness: float
    communities_bridged: int
    sectors_bridged: int = Field(description="Sectors among its partners other than its own.")


class CrossSector(BaseModel):
    collaborations: int = Field(description="Collaborations with two or more organisations in view.")
    cross_sector: float = Field(description="Share with organisations from two or more sectors.")
    business_academia: float
    public_private: float


class Invitee(BaseModel):
    id: str
    name: str
    kind: str
    new_to_innovation: bool
    collaborations: int


class ToInvite(BaseModel):
    without_collaboration: int
    new_to_innovation: int
    first: list[Invitee] = Field(
        description="Organisations in no collaboration first, then new to innovation."
    )


class Methods(BaseModel):
    degree: str
    betweenness: str
    communities: str
    brokers: str


class NetworkMetrics(BaseModel):
    data_version: int
    cached: bool = Field(description="Answered from the cache kept for this data version.")
    nodes: int
    edges: int
    methods: Methods
    top_degree: list[Ranked]
    top_betweenness: list[Ranked]
    communities: list[Community]
    brokers: list[Broker]
    cross_sector: CrossSector
    to_invite: ToInvite
