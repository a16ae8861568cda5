from typing import Annotated

from fastapi import Depends, Query, Response

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.enums import CollaborationKind, StakeholderKind
from api.errors import NotFound, ValidationFailed, problems
from api.network import service
from api.network.compute import GOVERNANCE, Weighting
from api.network.schemas import RANKED, Network, NetworkMetrics
from api.schema_base import IsoDate

router = routing.router("/network", tags=["network"])
ERRORS = problems(NotFound, ValidationFailed)


async def filters(
    access: Annotated[Access, allow("network", "read")],
    mission: Annotated[
        bounds.Id | None, Query(description="Only collaborations serving this mission (id).")
    ] = None,
    area: Annotated[
        bounds.Id | None, Query(description="Only organisations based in or serving this area or within it.")
    ] = None,
    kind: StakeholderKind | None = None,
    from_: Annotated[
        IsoDate | None, Query(alias="from", description="Collaborations active on or after.")
    ] = None,
    to: Annotated[IsoDate | None, Query(description="Collaborations active on or before.")] = None,
    exclude: Annotated[
        list[CollaborationKind] | None,
        Query(
            max_length=len(CollaborationKind),
            description="Leave out collaborations of these kinds (repeat it), e.g. "
            f"{', '.join(GOVERNANCE)} for governance and events; none by default.",
        ),
    ] = None,
    weighting: Annotated[
        Weighting,
        Query(
            description="`shared`: a collaboration of n participants adds 1/(n-1) to each link "
            "between them; `count`: each adds 1, with betweenness in steps (as before weighting)."
        ),
    ] = Weighting.shared,
) -> service.Filters:
    left_out = tuple(sorted(set(exclude or ())))
    public = not access.sees_drafts
    return service.Filters(mission, area, kind, from_, to, public, exclude=left_out, weighting=weighting)


Filters = Annotated[service.Filters, Depends(filters)]


@router.get("", response_model=Network, responses=ERRORS)
def graph(session: SessionDep, f: Filters) -> Response:
    """Organisations as nodes, shared collaborations as weighted edges.

    One document, not a paged list: a graph is read whole. Cached per data version.
    """
    return service.graph.respond(session, f)


@router.get("/metrics", responses=ERRORS)
def metrics(
    session: SessionDep,
    f: Filters,
    limit: Annotated[
        int, Query(ge=1, le=RANKED, json_schema_extra=bounds.INT32, description="How many of each ranking.")
    ] = 10,
) -> NetworkMetrics:
    """Centrality, communities, brokers, cross-sector shares and whom to invite, with methods.

    Computed once per data version and filter (a repeat call is answered from the cache);
    betweenness is sampled on graphs over 1,000 organisations, as `methods` says.
    """
    return service.metrics(session, f, limit)
