from pydantic import BaseModel, Field

from api.bounds import Day, Id, Text
from api.enums import ReferralStatus
from api.schema_base import Input, IsoDate, Resource, example, optional


class ReferralCreate(Input):
    stakeholder_id: Id = Field(description="The organisation referred.")
    scheme_id: Id = Field(description="The support scheme it was pointed to.")
    referred_by_id: Id | None = Field(default=None, description="The stakeholder that made the referral.")
    referred_on: IsoDate | None = Field(default=None, description="Today if not given.")
    status: ReferralStatus = ReferralStatus.referred
    note: str | None = Field(default=None, max_length=10_000)

    model_config = example(
        stakeholder_id="00000000-0000-0000-0000-000000000000",
        scheme_id="00000000-0000-0000-0000-000000000001",
        note="Met at the Smart City Alliance; wants help with a data strategy.",
    )


class ReferralUpdate(Input):
    status: ReferralStatus = optional()
    note: str | None = optional(max_length=10_000)
    outcome: str | None = optional(max_length=10_000, description="What came of it.")


class Referral(Resource):
    stakeholder_id: Id
    scheme_id: Id
    referred_by_id: Id | None
    referred_on: Day
    status: ReferralStatus
    note: Text | None
    outcome: Text | None


class ReferralFilters(BaseModel):
    """What a list of referrals can be narrowed to: its query parameters."""

    stakeholder: Id | None = Field(default=None, description="Referrals of this organisation (id).")
    scheme: Id | None = Field(default=None, description="Referrals to this scheme (id).")
    status: ReferralStatus | None = None
