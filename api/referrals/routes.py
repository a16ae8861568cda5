from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.access import Access, allow
from api.db import SessionDep
from api.enums import ReferralStatus
from api.errors import Forbidden, NotFound, Unauthorized, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.referrals import service
from api.referrals.schemas import Referral, ReferralCreate, ReferralUpdate
from api.schema_base import Page

RESOURCE = "referrals"
router = routing.router("/referrals", tags=["referrals"])


@router.get("", responses=problems(Unauthorized, Forbidden, ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
    stakeholder: Annotated[str | None, Query(description="Referrals of this organisation (id).")] = None,
    scheme: Annotated[str | None, Query(description="Referrals to this scheme (id).")] = None,
    status: ReferralStatus | None = None,
) -> Page[Referral]:
    """List referrals (signed-in callers; a partner sees those that concern its organisation)."""
    filters = {"stakeholder_id": stakeholder, "scheme_id": scheme, "status": status}
    items, next_cursor = service.list_(session, page, filters=filters, concerning=access.partner_of)
    return page_of(request, response, items, next_cursor)


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
