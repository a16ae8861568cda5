"""What the open formats are asked for, and the shapes of the JSON ones (Open SDG's metadata,
Open Referral UK's services): each field says where in our data it comes from."""

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.imports.oruk import EXTENSION


class ValueKind(StrEnum):
    """Which of a metric's values: what the tidy import reads back as the same kind."""

    observations = "observations"
    baselines = "baselines"
    targets = "targets"


class TidyColumns(StrEnum):
    all = "all"
    core = "core"


COLUMNS = (
    "`all`: also Flags, Note and Source, and a value the source only bounds written as this API's "
    "import reads it back (`<15`, `>90`, `c. 20`). `core`: only Open SDG's columns, every value a "
    "plain number, for an Open SDG site (which reads any other column as a breakdown)."
)
NOT_HELD = "Not held for a metric here: always null, never guessed."


class OpenSdgMeta(BaseModel):
    """A metric's metadata under Open SDG's field names."""

    indicator_number: str = Field(description="The metric's code.")
    indicator_name: str = Field(description="The metric's name.")
    graph_title: str = Field(description="The metric's name.")
    graph_type: Literal["line"] = "line"
    data_non_statistical: Literal[False] = False
    reporting_status: Literal["complete", "notstarted"] = Field(
        description="`complete` when the metric has an area-wide observation, else `notstarted`."
    )
    computation_units: str = Field(description="The metric's unit.")
    computation_calculations: str | None = Field(description="The metric's method.")
    national_indicator_periodicity: str = Field(description="How often it is observed (`frequency`).")
    source_active_1: bool = Field(description="Whether the metric names its source.")
    source_organisation_1: str | None = Field(description="Who publishes it (`source`).")
    source_periodicity_1: str = Field(description="How often it is observed (`frequency`).")
    source_release_date_1: None = Field(default=None, description=f"The last release. {NOT_HELD}")
    source_next_release_1: None = Field(default=None, description=f"The next release. {NOT_HELD}")


# --- Open Referral UK (HSDS 3.0, UK profile) ----------------------------------------------------


class OrukTaxonomyTerm(BaseModel):
    id: str = Field(description="Stable for the same term in the same taxonomy.")
    name: str = Field(description="The term in words.")
    taxonomy: str = Field(description="One of ours, by URI: stakeholder kinds, sizes, sectors, missions.")
    term: str = Field(description="Our value: a kind, a size, a sector, or a mission's code.")


class OrukAttribute(BaseModel):
    id: str
    link_id: str = Field(description="The service's id.")
    link_type: str = Field(
        description="`eligibility`: who may apply (kinds, sizes, sectors); `mission`: a mission it serves."
    )
    taxonomy_term_id: str
    taxonomy_term: OrukTaxonomyTerm


class OrukServiceArea(BaseModel):
    id: str
    service_id: str
    name: str = Field(description="The area's name.")
    service_area: str = Field(description="The area's name.")
    uri: str | None = Field(description="ONS's statistical-geography URI: the area's GSS code, at the end.")
    extent: None = Field(default=None, description="No boundary is held: null.")
    extent_type: None = None


class OrukIdentifier(BaseModel):
    id: str
    organization_id: str
    identifier_scheme: str = Field(description="The org-id list, e.g. `GB-COH`.")
    identifier: str = Field(description="The identifier within it, e.g. `01234567`.")


class OrukOrganization(BaseModel):
    id: str = Field(description="The provider's (a stakeholder's) id.")
    name: str
    description: str = Field(description="The provider's description; empty when it has none.")
    website: str | None
    email: None = Field(default=None, description="Not published: contact details are a person's.")
    organization_identifiers: list[OrukIdentifier]


class OrukExtension(BaseModel):
    """What ORUK has no field for."""

    offer: str = Field(description="What the scheme gives.")
    closes_on: date | None = Field(description="The day it closes to applications.")


class OrukService(BaseModel):
    """A support scheme as an ORUK service."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: str
    organization_id: str | None = Field(description="The provider's id.")
    name: str
    description: str | None
    url: str | None
    email: None = Field(default=None, description="Not held for a scheme: null.")
    status: Literal["active", "inactive"] = Field(description="`open` is active, `closed` inactive.")
    eligibility_description: str = Field(
        description="Who is eligible, in words; `attributes` hold the same as taxonomy terms."
    )
    last_modified: datetime
    organization: OrukOrganization | None = Field(description="The provider.")
    service_areas: list[OrukServiceArea] = Field(description="Eligible areas (and those within them).")
    attributes: list[OrukAttribute]
    extension: OrukExtension = Field(alias=EXTENSION)


class OrukFeed(BaseModel):
    """ORUK's page of services: here always one page, the whole catalogue."""

    total_items: int
    total_pages: Literal[1] = 1
    page_number: Literal[1] = 1
    size: int
    first_page: Literal[True] = True
    last_page: Literal[True] = True
    empty: bool
    contents: list[OrukService]
