"""Every table. Vocabularies are validated by the schemas and stored as plain strings."""

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class ExactDecimal(sa.TypeDecorator[Decimal]):
    """Decimals with 6 places, exact on every backend.

    PostgreSQL has NUMERIC; SQLite would keep a float, so there the value is an integer
    count of millionths, which also keeps ORDER BY numeric.
    """

    impl = sa.Numeric(18, 6)
    cache_ok = True
    SCALE = Decimal(10) ** 6

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(18, 6))

    def process_bind_param(self, value: Decimal | None, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return int((Decimal(value) * self.SCALE).to_integral_value())

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Decimal | None:
        if value is None or dialect.name != "sqlite":
            return value if value is None else Decimal(value)
        return Decimal(value) / self.SCALE


VALUE = ExactDecimal()


class Record(SQLModel):
    """What every resource carries: an opaque id, a version (the ETag) and timestamps."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    version: int = Field(default=1)
    # Both timestamps are sort fields of every list: indexed, with id, by keyset() below.
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Every UPDATE and DELETE says `WHERE version = <the version read>`, so an edit
        # committed between our If-Match check and our write fails instead of being lost.
        # We bump the version ourselves (only when something changed).
        table = cls.__table__  # type: ignore[attr-defined]  # set on each table subclass
        return {"version_id_col": table.c.version, "version_id_generator": False}


def keyset(table: str, *sorts: str, within: tuple[str, ...] = ()) -> tuple[sa.Index, ...]:
    """The indexes a list pages on, one per sort: `(*within, sort, id)`.

    A keyset page (api/pagination.py) asks for `(sort, id) > (value, last_id)` ordered by
    `sort, id`, after equalities on the `within` columns: with this index both engines seek
    to the page's first row and read on in order, whatever the depth, with no sort. Backwards
    for a descending sort (both columns descend together). Name: ix_<table>_<columns>_id.
    A unique sort column needs none: its own index has no ties for the id to break.
    """
    return tuple(sa.Index(f"ix_{table}_{'_'.join((*within, s))}_id", *within, s, "id") for s in sorts)


def filtered(table: str, sort: str, *filters: str) -> tuple[sa.Index, ...]:
    """For each equality filter of a list: `(filter, sort, id)`, its lookups and the list's
    default order in one index. (With an index on the filter alone SQLite, which keeps no
    statistics, takes that index for any equality and then sorts every matching row.)
    """
    return tuple(idx for f in filters for idx in keyset(table, sort, within=(f,)))


class Area(Record, table=True):
    __table_args__ = (
        *keyset("area", "name", "created_at", "updated_at", "kind"),
        *filtered("area", "name", "kind"),
    )
    code: str | None = Field(default=None, max_length=16, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)


class AreaParent(SQLModel, table=True):
    __tablename__ = "area_parent"
    area_id: str = Field(foreign_key="area.id", ondelete="CASCADE", primary_key=True)
    parent_id: str = Field(foreign_key="area.id", ondelete="RESTRICT", primary_key=True, index=True)


class Roadmap(Record, table=True):
    __table_args__ = keyset("roadmap", "title", "created_at", "updated_at")  # and key: unique
    key: str = Field(max_length=100, unique=True)
    title: str = Field(max_length=300)
    summary: str | None = None
    area_id: str | None = Field(default=None, foreign_key="area.id", ondelete="RESTRICT")
    period_start: date | None = None
    period_end: date | None = None


class FromElsewhere(SQLModel):
    """A record that came from another system keeps its key there: a re-import matches on it."""

    source: str | None = Field(default=None, max_length=100)
    external_id: str | None = Field(default=None, max_length=200)


def from_elsewhere(table: str) -> sa.UniqueConstraint:
    # NULLs never collide: records keyed nowhere else are not constrained.
    return sa.UniqueConstraint("source", "external_id", name=f"uq_{table}_source_external_id")


class Stakeholder(Record, FromElsewhere, table=True):
    __table_args__ = (
        from_elsewhere("stakeholder"),
        *keyset("stakeholder", "name", "created_at", "updated_at", "kind"),
        *filtered("stakeholder", "name", "kind", "status", "new_to_innovation"),
    )
    name: str = Field(max_length=300)
    kind: str = Field(max_length=32)
    website: str | None = Field(default=None, max_length=500)
    description: str | None = None
    new_to_innovation: bool = Field(default=False)
    status: str = Field(default="active", max_length=16)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=50)
    size: str | None = Field(default=None, max_length=16)


class StakeholderSector(SQLModel, table=True):
    __tablename__ = "stakeholder_sector"
    stakeholder_id: str = Field(foreign_key="stakeholder.id", ondelete="CASCADE", primary_key=True)
    sector: str = Field(max_length=100, primary_key=True, index=True)


class StakeholderIdentifier(SQLModel, table=True):
    """Organisation identifiers in the org-id form (GB-COH-01234567): one organisation each."""

    __tablename__ = "stakeholder_identifier"
    identifier: str = Field(max_length=100, primary_key=True)
    stakeholder_id: str = Field(foreign_key="stakeholder.id", ondelete="CASCADE", index=True, max_length=36)


class StakeholderArea(SQLModel, table=True):
    __tablename__ = "stakeholder_area"
    stakeholder_id: str = Field(foreign_key="stakeholder.id", ondelete="CASCADE", primary_key=True)
    area_id: str = Field(foreign_key="area.id", ondelete="RESTRICT", primary_key=True, index=True)


class Mission(Record, table=True):
    # Within a roadmap, the unique (roadmap_id, code) serves the list's default order.
    __table_args__ = (
        sa.UniqueConstraint("roadmap_id", "code"),
        *keyset("mission", "code", "title", "created_at", "updated_at"),
    )
    roadmap_id: str = Field(foreign_key="roadmap.id", ondelete="RESTRICT", index=True)
    code: str = Field(max_length=20)
    title: str = Field(max_length=300)
    summary: str | None = None
    foundation: str = Field(max_length=32)


class Outcome(Record, table=True):
    # Within a mission, the unique (mission_id, code) serves the list's default order.
    __table_args__ = (
        sa.UniqueConstraint("mission_id", "code"),
        *keyset("outcome", "code", "title", "created_at", "updated_at"),
    )
    mission_id: str = Field(foreign_key="mission.id", ondelete="RESTRICT", index=True)
    code: str = Field(max_length=20)
    title: str = Field(max_length=300)
    description: str | None = None


COLLABORATION_SORTS = ("title", "kind", "created_at", "updated_at")


class Collaboration(Record, FromElsewhere, table=True):
    # The public list is always `publication = 'published'`: it has its own set.
    __table_args__ = (
        from_elsewhere("collaboration"),
        *keyset("collaboration", *COLLABORATION_SORTS),
        *keyset("collaboration", *COLLABORATION_SORTS, within=("publication",)),
        *filtered("collaboration", "title", "kind", "scale", "funding_status", "lighthouse"),
    )
    title: str = Field(max_length=300)
    kind: str = Field(max_length=32)
    description: str | None = None
    scale: str = Field(default="regional", max_length=16)
    funding_status: str | None = Field(default=None, max_length=16)
    funding_route: str | None = Field(default=None, max_length=300)
    funding_amount_pence: int | None = Field(default=None, sa_type=sa.BigInteger)
    lighthouse: bool = Field(default=False)
    start_date: date | None = None
    end_date: date | None = None
    # A partner's proposal stays a draft, seen only by signed-in callers, until an editor publishes it.
    publication: str = Field(default="published", max_length=16)


class CollaborationOutcome(SQLModel, table=True):
    __tablename__ = "collaboration_outcome"
    collaboration_id: str = Field(foreign_key="collaboration.id", ondelete="CASCADE", primary_key=True)
    outcome_id: str = Field(foreign_key="outcome.id", ondelete="RESTRICT", primary_key=True, index=True)


class CollaborationArea(SQLModel, table=True):
    __tablename__ = "collaboration_area"
    collaboration_id: str = Field(foreign_key="collaboration.id", ondelete="CASCADE", primary_key=True)
    area_id: str = Field(foreign_key="area.id", ondelete="RESTRICT", primary_key=True, index=True)


class Participant(Record, table=True):
    # Listed only within their collaboration.
    __table_args__ = (
        sa.UniqueConstraint("collaboration_id", "stakeholder_id", "role"),
        *keyset("participant", "created_at", "updated_at", "role", within=("collaboration_id",)),
    )
    collaboration_id: str = Field(foreign_key="collaboration.id", ondelete="CASCADE")
    stakeholder_id: str = Field(foreign_key="stakeholder.id", ondelete="RESTRICT", index=True)
    role: str = Field(max_length=16)
    start_date: date | None = None
    end_date: date | None = None


class Metric(Record, table=True):
    __table_args__ = keyset("metric", "name", "created_at", "updated_at")  # and code: unique
    code: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=300)
    unit: str = Field(max_length=16)
    direction: str = Field(max_length=20)
    source: str | None = Field(default=None, max_length=300)
    method: str | None = None
    frequency: str = Field(default="annual", max_length=16)
    progress_method: str = Field(default="pace", max_length=16)


class MetricOutcome(SQLModel, table=True):
    __tablename__ = "metric_outcome"
    metric_id: str = Field(foreign_key="metric.id", ondelete="CASCADE", primary_key=True)
    outcome_id: str = Field(foreign_key="outcome.id", ondelete="RESTRICT", primary_key=True, index=True)


class MetricValue(Record):
    """Shared shape of baselines, targets and observations: one value for one area."""

    metric_id: str = Field(foreign_key="metric.id", ondelete="RESTRICT")  # indexed: _one_per()
    area_id: str = Field(foreign_key="area.id", ondelete="RESTRICT", index=True)
    collaboration_id: str | None = Field(
        default=None, foreign_key="collaboration.id", ondelete="RESTRICT", index=True
    )
    value: Decimal = Field(sa_type=VALUE)
    date: date
    source: str | None = Field(default=None, max_length=300)
    note: str | None = None
    # e.g. {"age": "65+"}; empty for the total, which progress and comparison use.
    breakdown: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    # The breakdown as one comparable string ('' for the total), for uniqueness and filters.
    breakdown_key: str = Field(default="", max_length=1000)
    flags: list[str] = Field(default_factory=list, sa_type=sa.JSON)


def breakdown_key(breakdown: dict[str, str]) -> str:
    """One string per breakdown, whatever the order its parts were given in."""
    return (
        json.dumps(breakdown, sort_keys=True, separators=(",", ":"), ensure_ascii=False) if breakdown else ""
    )


def _one_per(kind: str, *columns: str) -> tuple[sa.Index, ...]:
    """Race-safe uniqueness where collaboration_id may be NULL (NULLs never collide),
    and the indexes of the list, which is always of one metric's values."""
    scope = [sa.text(c) for c in columns] + [
        sa.text("coalesce(collaboration_id, '')"),
        sa.text("breakdown_key"),
    ]
    return (
        sa.Index(f"uq_{kind}_scope", *scope, unique=True),
        *keyset(kind, "date", "value", "created_at", "updated_at", within=("metric_id",)),
    )


class Baseline(MetricValue, table=True):
    __table_args__ = _one_per("baseline", "metric_id", "area_id")
    qualifier: str = Field(default="eq", max_length=8)


class Target(MetricValue, table=True):
    __table_args__ = _one_per("target", "metric_id", "area_id", "date")


class Observation(MetricValue, table=True):
    __table_args__ = _one_per("observation", "metric_id", "area_id", "date")
    qualifier: str = Field(default="eq", max_length=8)


class Account(Record, table=True):
    """A person who signs in: the digital team, or staff of a partner organisation."""

    __table_args__ = keyset("account", "created_at")  # and email: unique
    email: str = Field(max_length=320, unique=True)  # stored lower-cased
    password_hash: str = Field(max_length=500)
    role: str = Field(max_length=16)
    # Partners act for one organisation.
    stakeholder_id: str | None = Field(default=None, foreign_key="stakeholder.id", ondelete="RESTRICT")
    disabled: bool = Field(default=False)
    last_sign_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiKey(Record, table=True):
    """A system's credential: a role (and for partners, one stakeholder), kept as a hash."""

    __tablename__ = "api_key"
    __table_args__ = keyset("api_key", "created_at", "name")
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    stakeholder_id: str | None = Field(default=None, foreign_key="stakeholder.id", ondelete="RESTRICT")
    prefix: str = Field(max_length=16, index=True)  # shown in lists, so a key can be recognised
    secret_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str | None = Field(default=None, max_length=36)


class AuthToken(SQLModel, table=True):
    """A bearer token, kept only as its sha256; refresh tokens rotate within a family."""

    __tablename__ = "auth_token"
    token_hash: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=8)  # access | refresh
    account_id: str = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    family: str = Field(max_length=36, index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, for rate limits that hold across replicas."""

    __tablename__ = "sign_in_failure"
    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=400, index=True)  # "account:<email>" or "client:<address>"
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class RateLimitCounter(SQLModel, table=True):
    """Requests a caller made in one window (api.rate_limits), on PostgreSQL: every replica counts here."""

    __tablename__ = "rate_limit_counter"
    bucket: str = Field(primary_key=True, max_length=64, description="sha256 of the policy and the caller")
    period: int = Field(primary_key=True, sa_type=sa.BigInteger, description="The window's number since 1970")
    hits: int


class IdempotencyRecord(SQLModel, table=True):
    """A POST's response kept for replay when the client retries with the same key."""

    __tablename__ = "idempotency_record"
    key: str = Field(primary_key=True, max_length=255)
    path: str = Field(primary_key=True, max_length=64, description="sha256 of the path and the caller")
    request_hash: str = Field(max_length=64)
    status: int | None = None
    headers: str | None = None
    body: bytes | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Set by the request's own transaction as it commits: a claim without an answer whose
    # request committed must never run again (the server stopped between commit and answer).
    committed: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


STORY_SORTS = ("created_at", "title", "updated_at")


class Story(Record, table=True):
    """The Innovation Tracker: a success story or a lesson learned."""

    # The public list is always `publication = 'published'`: it has its own set.
    __table_args__ = (
        *keyset("story", *STORY_SORTS),
        *keyset("story", *STORY_SORTS, within=("publication",)),
        *filtered("story", "created_at", "kind", "metric_id"),
    )
    title: str = Field(max_length=300)
    kind: str = Field(max_length=16)  # success | lesson
    summary: str
    body: str | None = None
    happened_on: date | None = None
    metric_id: str | None = Field(default=None, foreign_key="metric.id", ondelete="RESTRICT")
    publication: str = Field(default="draft", max_length=16)


class StoryStakeholder(SQLModel, table=True):
    __tablename__ = "story_stakeholder"
    story_id: str = Field(foreign_key="story.id", ondelete="CASCADE", primary_key=True)
    stakeholder_id: str = Field(
        foreign_key="stakeholder.id", ondelete="RESTRICT", primary_key=True, index=True
    )


class StoryCollaboration(SQLModel, table=True):
    __tablename__ = "story_collaboration"
    story_id: str = Field(foreign_key="story.id", ondelete="CASCADE", primary_key=True)
    collaboration_id: str = Field(
        foreign_key="collaboration.id", ondelete="RESTRICT", primary_key=True, index=True
    )


class StoryMission(SQLModel, table=True):
    __tablename__ = "story_mission"
    story_id: str = Field(foreign_key="story.id", ondelete="CASCADE", primary_key=True)
    mission_id: str = Field(foreign_key="mission.id", ondelete="RESTRICT", primary_key=True, index=True)


class SupportScheme(Record, table=True):
    """Business support on offer, and who is eligible for it. Empty lists mean anyone."""

    __tablename__ = "support_scheme"
    __table_args__ = (
        *keyset("support_scheme", "created_at", "updated_at"),  # and name: unique
        *filtered("support_scheme", "name", "status", "provider_id"),
    )
    name: str = Field(max_length=300, unique=True)
    provider_id: str | None = Field(default=None, foreign_key="stakeholder.id", ondelete="RESTRICT")
    offer: str = Field(max_length=2_000)
    description: str | None = None
    url: str | None = Field(default=None, max_length=500)
    status: str = Field(default="open", max_length=16)
    closes_on: date | None = None
    eligible_kinds: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    eligible_sizes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    eligible_sectors: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class SupportSchemeArea(SQLModel, table=True):
    __tablename__ = "support_scheme_area"
    scheme_id: str = Field(foreign_key="support_scheme.id", ondelete="CASCADE", primary_key=True)
    area_id: str = Field(foreign_key="area.id", ondelete="RESTRICT", primary_key=True, index=True)


class SupportSchemeMission(SQLModel, table=True):
    __tablename__ = "support_scheme_mission"
    scheme_id: str = Field(foreign_key="support_scheme.id", ondelete="CASCADE", primary_key=True)
    mission_id: str = Field(foreign_key="mission.id", ondelete="RESTRICT", primary_key=True, index=True)


class Referral(Record, table=True):
    """An organisation pointed to a support scheme, and what came of it."""

    __table_args__ = (
        *keyset("referral", "referred_on", "created_at", "updated_at"),
        *filtered("referral", "referred_on", "stakeholder_id", "scheme_id", "status"),
    )
    stakeholder_id: str = Field(foreign_key="stakeholder.id", ondelete="RESTRICT")
    scheme_id: str = Field(foreign_key="support_scheme.id", ondelete="RESTRICT")
    referred_by_id: str | None = Field(
        default=None, foreign_key="stakeholder.id", ondelete="RESTRICT", index=True
    )
    referred_on: date
    status: str = Field(default="referred", max_length=16)
    note: str | None = None
    outcome: str | None = None


class Change(SQLModel, table=True):
    """One write, appended in commit order: the audit trail and the change feed."""

    __tablename__ = "change"
    __table_args__ = (sa.Index("ix_change_resource_item", "resource", "resource_id", "id"),)
    # BIGINT on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the autoincrementing rowid.
    id: int | None = Field(
        default=None, primary_key=True, sa_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_kind: str = Field(max_length=8)  # account | key | system
    actor_id: str | None = Field(default=None, max_length=36)
    actor_name: str = Field(max_length=320)
    request_id: str | None = Field(default=None, max_length=100)
    resource: str = Field(max_length=32)
    resource_id: str = Field(max_length=36)
    parent_id: str | None = Field(default=None, max_length=36)
    action: str = Field(max_length=8)  # create | update | delete | erase
    version: int | None = None
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    state: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)


class DataImport(Record, table=True):
    """One file brought in: what was asked, how far it got, and its report.

    In the database, not in a worker's memory, so any replica can answer for it and a
    restart can tell that one was interrupted (its heartbeat stops).
    """

    __tablename__ = "data_import"
    __table_args__ = keyset("data_import", "created_at")
    kind: str = Field(max_length=32)
    format: str = Field(max_length=16)
    dry_run: bool = Field(default=False)
    status: str = Field(default="queued", max_length=16)  # queued | running | succeeded | failed
    filename: str | None = Field(default=None, max_length=300)
    size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    counts: dict[str, int] = Field(default_factory=dict, sa_type=sa.JSON)
    problems: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    notes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    error: str | None = None
    # Who asked: the changes it makes are theirs in the audit trail.
    actor_kind: str = Field(max_length=8)
    actor_id: str | None = Field(default=None, max_length=36)
    actor_name: str = Field(max_length=320)
    stakeholder_id: str | None = Field(default=None, max_length=36)  # a partner's organisation
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    runner: str | None = Field(default=None, max_length=300)  # host:pid doing the work
