from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import Forbidden, NotFound, Unauthorized, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.referrals import service
from api.referrals.schemas import Referral, ReferralCreate, ReferralFilters, ReferralUpdate
from api.schema_base import Page

RESOURCE = "referrals"
router = routing.router("/referrals", tags=["referrals"])


@router.get("", responses=problems(Unauthorized, Forbidden, ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Annotated[Access, allow(RESOURCE, "read")],
    filters: Annotated[ReferralFilters, Query()],
) -> Page[Referral]:
    """List referrals (signed-in callers; a partner sees those that concern its organisation)."""
    return listing(
        request,
        response,
        session,
        page,
        partial(service.list_, filters=filters, concerning=access.partner_of),
    )


add_item_routes(
    router,
    Item(
        label="referral",
        resource=RESOURCE,
        service=service,
        create=ReferralCreate,
        update=ReferralUpdate,
        read=Referral,
        summaries={"get": "Get a referral (signed-in callers it concerns)."},
    ),
)
