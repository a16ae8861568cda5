"""What the open formats are asked for, and the shapes of the JSON ones (Open SDG's metadata,
Open Referral UK's services): each field says where in our data it comes from."""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.bounds import INT32, ROWS, Code, Count, Day, Id, LongText, Name, Text, Timestamp, Url, keywords
from api.imports.oruk import EXTENSION
from api.stakeholders.schemas import ORG_IDS
from api.support.schemas import AREA_IDS, KINDS, MISSION_IDS, SECTORS, SIZES


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

    indicator_number: Code = Field(description="The metric's code.")
    indicator_name: Name = Field(description="The metric's name.")
    graph_title: Name = Field(description="The metric's name.")
    graph_type: Literal["line"] = "line"
    data_non_statistical: Literal[False] = False
    reporting_status: Literal["complete", "notstarted"] = Field(
        description="`complete` when the metric has an area-wide observation, else `notstarted`."
    )
    computation_units: Code = Field(description="The metric's unit.")
    computation_calculations: Text | None = Field(description="The metric's method.")
    national_indicator_periodicity: Code = Field(description="How often it is observed (`frequency`).")
    source_active_1: bool = Field(description="Whether the metric names its source.")
    source_organisation_1: Name | None = Field(description="Who publishes it (`source`).")
    source_periodicity_1: Code = Field(description="How often it is observed (`frequency`).")
    source_release_date_1: None = Field(default=None, description=f"The last release. {NOT_HELD}")
    source_next_release_1: None = Field(default=None, description=f"The next release. {NOT_HELD}")


# --- Open Referral UK (HSDS 3.0, UK profile) ----------------------------------------------------


class OrukTaxonomyTerm(BaseModel):
    id: Id = Field(description="Stable for the same term in the same taxonomy.")
    name: Name = Field(description="The term in words.")
    taxonomy: Url = Field(description="One of ours, by URI: stakeholder kinds, sizes, sectors, missions.")
    term: Code = Field(description="Our value: a kind, a size, a sector, or a mission's code.")


class OrukAttribute(BaseModel):
    id: Id
    link_id: Id = Field(description="The service's id.")
    link_type: Code = Field(
        description="`eligibility`: who may apply (kinds, sizes, sectors); `mission`: a mission it serves."
    )
    taxonomy_term_id: Id
    taxonomy_term: OrukTaxonomyTerm


class OrukServiceArea(BaseModel):
    id: Id
    service_id: Id
    name: Name = Field(description="The area's name.")
    service_area: Name = Field(description="The area's name.")
    uri: Url | None = Field(description="ONS's statistical-geography URI: the area's GSS code, at the end.")
    extent: None = Field(default=None, description="No boundary is held: null.")
    extent_type: None = None


class OrukIdentifier(BaseModel):
    id: Id
    organization_id: Id
    identifier_scheme: Code = Field(description="The org-id list, e.g. `GB-COH`.")
    identifier: Code = Field(description="The identifier within it, e.g. `01234567`.")


class OrukOrganization(BaseModel):
    id: Id = Field(description="The provider's (a stakeholder's) id.")
    name: Name
    description: Text = Field(description="The provider's description; empty when it has none.")
    website: Url | None
    email: None = Field(default=None, description="Not published: contact details are a person's.")
    organization_identifiers: list[OrukIdentifier] = Field(max_length=ORG_IDS)


class OrukExtension(BaseModel):
    """What ORUK has no field for."""

    offer: Text = Field(description="What the scheme gives.")
    closes_on: Day | None = Field(description="The day it closes to applications.")


class OrukService(BaseModel):
    """A support scheme as an ORUK service."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: Id
    organization_id: Id | None = Field(description="The provider's id.")
    name: Name
    description: LongText | None
    url: Url | None
    email: None = Field(default=None, description="Not held for a scheme: null.")
    status: Literal["active", "inactive"] = Field(description="`open` is active, `closed` inactive.")
    eligibility_description: LongText = Field(
        description="Who is eligible, in words; `attributes` hold the same as taxonomy terms."
    )
    last_modified: Timestamp
    organization: OrukOrganization | None = Field(description="The provider.")
    service_areas: list[OrukServiceArea] = Field(
        max_length=AREA_IDS, description="Eligible areas (and those within them)."
    )
    attributes: list[OrukAttribute] = Field(max_length=KINDS + SIZES + SECTORS + MISSION_IDS)
    extension: OrukExtension = Field(alias=EXTENSION)


One = Annotated[Literal[1], keywords(minimum=1, maximum=1, **INT32)]


class OrukFeed(BaseModel):
    """ORUK's page of services: here always one page, the whole catalogue."""

    total_items: Count
    total_pages: One = 1
    page_number: One = 1
    size: Count
    first_page: Literal[True] = True
    last_page: Literal[True] = True
    empty: bool
    contents: list[OrukService] = Field(max_length=ROWS)
