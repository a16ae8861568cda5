"""Closed vocabularies of the domain (DESIGN.md); stored as plain strings."""

from enum import StrEnum


class AreaKind(StrEnum):
    uk = "uk"
    region = "region"
    combined_authority = "combined_authority"
    lep = "lep"
    local_authority = "local_authority"
    ward = "ward"


class StakeholderKind(StrEnum):
    local_authority = "local_authority"
    combined_authority = "combined_authority"
    lep = "lep"
    university = "university"
    college = "college"
    business = "business"
    public_body = "public_body"
    health = "health"
    third_sector = "third_sector"
    network = "network"
    investor = "investor"
    person = "person"


class StakeholderStatus(StrEnum):
    active = "active"
    dormant = "dormant"
    closed = "closed"


class CollaborationKind(StrEnum):
    partnership = "partnership"
    project = "project"
    programme = "programme"
    working_group = "working_group"
    board = "board"
    consortium = "consortium"
    funding_bid = "funding_bid"
    event = "event"


class Scale(StrEnum):
    hyperlocal = "hyperlocal"
    local = "local"
    regional = "regional"
    national = "national"
    global_ = "global"


class FundingStatus(StrEnum):
    funded = "funded"
    seeking = "seeking"
    exploring = "exploring"


class Role(StrEnum):
    lead = "lead"
    partner = "partner"
    funder = "funder"
    member = "member"
    chair = "chair"
    coordinator = "coordinator"
    ambassador = "ambassador"


class Foundation(StrEnum):
    access = "access"
    data = "data"
    infrastructure = "infrastructure"
    digital_economy = "digital_economy"
    digital_government = "digital_government"


class ProgressMethod(StrEnum):
    """How a metric's progress is judged: api/progress/compute.py says each in full."""

    pace = "pace"  # the share of the way, against the share of the time gone
    open_sdg = "open_sdg"  # Open SDG's measure: compound annual growth against the growth needed


class Unit(StrEnum):
    # `count` and `index` shadow str methods, which mypy flags; the names are part of the API.
    percent = "percent"
    count = "count"  # type: ignore[assignment]
    gbp = "gbp"
    ratio = "ratio"
    per_10k = "per_10k"
    score = "score"
    rank = "rank"
    index = "index"  # type: ignore[assignment]


class AccessRole(StrEnum):
    """What a signed-in person or an API key may do (DESIGN.md, Auth)."""

    admin = "admin"
    editor = "editor"
    partner = "partner"
    reader = "reader"


class Direction(StrEnum):
    higher_is_better = "higher_is_better"
    lower_is_better = "lower_is_better"


class Qualifier(StrEnum):
    eq = "eq"
    lt = "lt"
    gt = "gt"
    approx = "approx"


class Flag(StrEnum):
    """What a publisher says about one value."""

    provisional = "provisional"
    estimated = "estimated"
    revised = "revised"
    break_in_series = "break_in_series"


class Publication(StrEnum):
    draft = "draft"
    published = "published"


class ChangeAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    erase = "erase"


class FeedResource(StrEnum):
    """The collections the change feed carries (accounts and keys stay out of it)."""

    areas = "areas"
    roadmaps = "roadmaps"
    missions = "missions"
    outcomes = "outcomes"
    metrics = "metrics"
    baselines = "baselines"
    targets = "targets"
    observations = "observations"
    stakeholders = "stakeholders"
    collaborations = "collaborations"
    participants = "participants"
    stories = "stories"
    support_schemes = "support-schemes"


class Frequency(StrEnum):
    """How often a metric is expected to be observed; older data is flagged stale."""

    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"
    biennial = "biennial"


class StoryKind(StrEnum):
    success = "success"
    lesson = "lesson"


class Size(StrEnum):
    """An organisation's size band (UK: micro < 10 staff, small < 50, medium < 250)."""

    micro = "micro"
    small = "small"
    medium = "medium"
    large = "large"


class SchemeStatus(StrEnum):
    open = "open"
    closed = "closed"


class ReferralStatus(StrEnum):
    referred = "referred"
    in_contact = "in_contact"
    supported = "supported"
    declined = "declined"
    not_eligible = "not_eligible"
