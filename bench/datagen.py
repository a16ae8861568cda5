"""Realistic generated data for the benchmarks, at three sizes, into any database URL.

    .venv/bin/python bench/datagen.py --size small|medium|large --url sqlite:///bench/.data/x.db

Migrates to head, loads the West Midlands roadmap (the seed), then adds generated records
with SQLAlchemy Core `insert()` in batches (executemany), ids made by the models' own
`new_id()`. What `large` adds is national scale:

- places: every English region (the seed's nine) with ~350 local authorities (unitaries
  E06, districts E07 inside counties E10, metropolitan boroughs E08, London boroughs E09)
  and ~7,000 wards (E05), each linked to its parents;
- organisations: one council per authority, then businesses (two thirds), people, charities,
  public bodies, health, networks, investors, colleges, universities; sectors, sizes and a
  home ward or authority for each, a second (served) area for some;
- collaborations of every kind, mostly local, heavy-tailed in size (most have 2-10
  participants, a few programmes and events hundreds), partners drawn mostly from the lead's
  own authority and region, a third serving the roadmap's outcomes, 8% still drafts;
- metrics (the seed's and generated ones) observed at national, authority or ward level,
  annually, quarterly or monthly over up to ten years, with baselines and targets;
- support schemes, referrals and stories, in proportion.

Not generated: the audit trail of the generated records (the seed's is there). SQLite gets
no ANALYZE (the project never runs one); PostgreSQL is analysed, as autovacuum would.
"""

import argparse
import math
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, create_engine, event, func, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from api import migrate, models
from api.auth.service import token_hash
from api.db import make_engine
from api.seed import loader

# A reader key for the "with an API key" reads: a throwaway database on loopback.
BENCH_KEY = "rk_bench-reader-0123456789abcdefghijklmnopqrstuvw"
BATCH = 5_000


@dataclass(frozen=True)
class Size:
    regions: tuple[str, ...] | None  # None: every English region
    wards: int
    organisations: int
    collaborations: int
    participations: int
    metrics: int  # the seed's included
    observations: int
    schemes: int
    stories: int


SIZES = {
    "small": Size(("E12000005",), 200, 1_500, 200, 1_200, 40, 4_000, 8, 20),
    "medium": Size(None, 7_000, 10_000, 2_000, 30_000, 100, 100_000, 40, 200),
    "large": Size(None, 7_000, 100_000, 20_000, 300_000, 200, 1_000_000, 120, 1_000),
}


def words(text: str) -> list[str]:
    return text.split()


# Per region: unitary authorities, metropolitan boroughs, London boroughs, and counties
# with their number of districts. Roughly England's present shape (about 350 authorities).
REGIONS: dict[str, tuple[int, int, int, dict[str, int]]] = {
    "E12000001": (7, 5, 0, {}),
    "E12000002": (8, 15, 0, {"Cumbria": 6, "Lancashire": 12}),
    "E12000003": (6, 9, 0, {"North Yorkshire": 7}),
    "E12000004": (
        4,
        0,
        0,
        {"Derbyshire": 8, "Leicestershire": 7, "Lincolnshire": 7, "Nottinghamshire": 7},
    ),
    "E12000005": (4, 7, 0, {"Staffordshire": 8, "Warwickshire": 5, "Worcestershire": 6}),
    "E12000006": (
        11,
        0,
        0,
        {"Cambridgeshire": 5, "Essex": 12, "Hertfordshire": 10, "Norfolk": 7, "Suffolk": 5},
    ),
    "E12000007": (0, 0, 33, {}),
    "E12000008": (
        18,
        0,
        0,
        {"East Sussex": 5, "Hampshire": 11, "Kent": 12, "Oxfordshire": 5, "Surrey": 11, "West Sussex": 7},
    ),
    "E12000009": (14, 0, 0, {"Devon": 8, "Gloucestershire": 6, "Somerset": 4}),
}

STEMS = words(
    "Ash Brad Bram Brook Burn Carl Chester Clay Cold Crow Dun Elm Fair Fern Glen Hale Hart Haw Heath "
    "High Holm Ivy Kings Lang Lea Long Mar Mill Nor Oak Pen Queens Rad Red Rose Sal Sand Shel Stan "
    "Stock Stow Sut Thorn Tun Upton Wal War Wath West Whit Wick Wil Win Wood Wor Yar Ack Bel Cal Dal "
    "Eas Fen Gra Hol Kel Lid Mal Nor Ock Pad Ram Sel Tad Ux Ven"
)
ENDINGS = words(
    "ford ley ton bury field ham wick worth by stead mouth bridge borough minster thorpe well dale "
    "combe hurst wood cester caster mere stone gate"
)
WARD_PARTS = words(
    "North South East West Central Park Green Hill Vale Heath Common Bridge Village Fields Moor "
    "Castle Abbey Priory Riverside Marsh Grange Meadows Rise Wood Lane Cross Hall End Town Upper "
    "Lower"
)
FIRST = words(
    "Olivia Amelia Isla Ava Mia Grace Sophia Lily Freya Emily Ivy Ella Rosie Evie Florence Poppy "
    "Chloe Aisha Priya Zara Fatima Noah Oliver George Arthur Leo Harry Oscar Archie Henry Jack "
    "Charlie Freddie Theo Thomas Alfie Jacob Mohammed Ibrahim Arjun Ravi Kwame Daniel Samuel James "
    "William Joseph David"
)
SURNAMES = words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
    "Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner "
    "Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott "
    "Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson "
    "Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams "
    "Singh Begum Ali Hussain Ahmed Chen Nowak Okafor Mensah"
)
TRADES = words(
    "Digital Data Analytics Software Systems Engineering Robotics Cloud Cyber Networks Labs Media "
    "Design Creative Consulting Logistics Manufacturing Precision Automotive Energy Solar Health Care "
    "Learning Training Telecom Fibre Wireless Photonics Materials Foods Retail Print Studio Games "
    "Finance Legal Estates Build Security Marine Aero Bio Medtech"
)
BUSINESS_SUFFIX = ["Ltd", "Ltd", "Ltd", "Limited", "LLP", "Group", "Solutions", "Partners", "UK Ltd", ""]
SECTORS = words(
    "digital data skills manufacturing health creative transport energy construction finance retail "
    "education agritech logistics cyber ai telecoms tourism public-services life-sciences"
)
TOPICS = [
    "Digital Skills",
    "5G Testbed",
    "Smart Mobility",
    "Data Sharing",
    "Cyber Resilience",
    "AI Adoption",
    "Full Fibre",
    "Digital Inclusion",
    "Health Tech",
    "Net Zero Data",
    "Creative Tech",
    "Open Data",
    "Assistive Tech",
    "Smart Manufacturing",
    "Retail Innovation",
    "Device Lending",
    "Coding Clubs",
    "Connected Care",
]
COLLABORATION_KINDS = {  # kind: (weight, title nouns, size multiplier)
    "project": (45, ["Pilot", "Project", "Trial", "Demonstrator"], 1.0),
    "partnership": (15, ["Partnership", "Alliance"], 1.5),
    "programme": (10, ["Programme", "Accelerator", "Bootcamp"], 3.0),
    "working_group": (8, ["Working Group", "Task Force"], 1.2),
    "board": (4, ["Board", "Steering Group"], 1.0),
    "consortium": (8, ["Consortium"], 1.3),
    "funding_bid": (7, ["Bid", "Proposal"], 0.8),
    "event": (3, ["Summit", "Hackathon", "Festival", "Expo"], 4.0),
}
LEADS = {"board": "chair", "working_group": "chair", "partnership": "coordinator", "event": "coordinator"}
MEMBERS = {"board": "member", "working_group": "member", "programme": "member", "event": "member"}
STAKEHOLDER_KINDS = {  # kind: weight (councils come one per authority, on top)
    "business": 660,
    "person": 100,
    "third_sector": 110,
    "public_body": 30,
    "health": 25,
    "network": 30,
    "investor": 10,
    "college": 4,
    "university": 2,
    "lep": 1,
}
METRIC_SUBJECTS = [
    "Full fibre",
    "Gigabit-capable broadband",
    "Superfast broadband",
    "4G outdoor",
    "5G standalone",
    "Essential digital skills",
    "Digital exclusion",
    "Tech jobs",
    "Tech start-ups",
    "Cyber incidents reported",
    "Online council services",
    "Open datasets published",
    "SME digital adoption",
    "Tech apprenticeships",
    "Data literacy",
    "Smart meters",
    "Public EV chargers",
    "Remote consultations",
    "Free public Wi-Fi sites",
    "Device loans",
]
METRIC_MEASURES = {  # unit: (measure, typical value)
    "percent": ("share of premises or people", 60.0),
    "count": ("number", 1_200.0),
    "per_10k": ("per 10,000 residents", 35.0),
    "gbp": ("investment (GBP)", 2_500_000.0),
    "score": ("score", 55.0),
    "index": ("index (2015 = 100)", 110.0),
}
SOURCES = [
    "Ofcom Connected Nations",
    "ONS",
    "DSIT",
    "Lloyds Consumer Digital Index",
    "NHS England",
    "Companies House",
    "Local authority returns",
]
FREQUENCIES = {"annual": (65, 10), "quarterly": (20, 40), "monthly": (10, 120), "biennial": (5, 5)}
LEVELS = {"national": 25, "authority": 55, "ward": 20}


def weighted(rng: random.Random, table: dict[str, int]) -> list[str]:
    """A population to `rng.choice` from, in proportion to the weights."""
    return [k for k, w in table.items() for _ in range(w)]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class Clock:
    """created_at / updated_at: spread over the last six years, updated some time later."""

    START = datetime(2019, 1, 1, tzinfo=UTC)
    SPAN = int((datetime(2025, 6, 1, tzinfo=UTC) - START).total_seconds())

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def stamps(self) -> dict[str, Any]:
        created = self.START + timedelta(seconds=self.rng.randrange(self.SPAN))
        updated = created if self.rng.random() < 0.6 else created + timedelta(days=self.rng.randrange(400))
        return {"id": models.new_id(), "version": 1, "created_at": created, "updated_at": updated}


def batched(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


class Generator:
    def __init__(self, conn: Connection, size: Size, seed: int) -> None:
        self.conn, self.size = conn, size
        self.rng = random.Random(seed)
        self.clock = Clock(self.rng)
        self.counts: dict[str, int] = defaultdict(int)

    def put(self, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        for batch in batched(rows):
            self.conn.execute(insert(table(model)), batch)
            self.counts[table(model).name] += len(batch)

    def record(self, **fields: Any) -> dict[str, Any]:
        return {**self.clock.stamps(), **fields}

    # Places ---------------------------------------------------------------------------------

    def place_name(self, taken: set[str]) -> str:
        while True:
            name = self.rng.choice(STEMS) + self.rng.choice(ENDINGS)
            if self.rng.random() < 0.12:
                name = f"{self.rng.choice(['North', 'South', 'East', 'West', 'Great', 'Upper'])} {name}"
            if name not in taken:
                taken.add(name)
                return name

    def areas(self) -> None:
        A = models.Area
        existing = {code: (id_, name) for code, id_, name in self.conn.execute(select(A.code, A.id, A.name))}
        self.uk = existing["K02000001"][0]
        self.nations = [id_ for code, (id_, _) in existing.items() if code and code[:3] in ("E12", "W92")]
        self.nations += [existing[c][0] for c in ("S92000003", "N92000002", "K02000001")]
        regions = self.size.regions or tuple(REGIONS)
        next_code: dict[str, int] = defaultdict(int)

        def code(prefix: str) -> str:
            while True:
                next_code[prefix] += 1
                candidate = f"{prefix}{next_code[prefix]:06}"
                if candidate not in existing:
                    return candidate

        taken = {name for _, name in existing.values()}
        new_areas: list[dict[str, Any]] = []
        parents: list[dict[str, str]] = []
        self.region_of: dict[str, str] = {}  # lower-tier authority -> region
        self.lower: list[tuple[str, str, str]] = []  # (id, name, type) of lower-tier authorities
        self.authorities: list[str] = []  # every authority, counties included
        self.names: dict[str, str] = {}

        def add(code_: str, kind: str, ups: Sequence[str], name: str | None = None) -> str:
            if code_ in existing:
                return existing[code_][0]
            row = self.record(code=code_, name=name or self.place_name(taken), kind=kind)
            new_areas.append(row)
            parents.extend({"area_id": row["id"], "parent_id": p} for p in ups)
            return str(row["id"])

        seed_mets = iter(sorted(c for c in existing if c and c.startswith("E08")))
        for region_code in regions:
            region = existing[region_code][0]
            unitaries, mets, boroughs, counties = REGIONS[region_code]
            tiers = [("E06", "unitary", unitaries), ("E08", "met", mets), ("E09", "london", boroughs)]
            for prefix, kind, n in tiers:
                for _ in range(n):
                    mine = next(seed_mets, None) if prefix == "E08" and region_code == "E12000005" else None
                    area = add(mine or code(prefix), "local_authority", [region])
                    self.lower.append((area, "", kind))
            for county_name, districts in counties.items():
                county_code = "E10000031" if county_name == "Warwickshire" else code("E10")
                county = add(county_code, "local_authority", [region], county_name)
                self.authorities.append(county)
                self.region_of[county] = region
                for _ in range(districts):
                    area = add(code("E07"), "local_authority", [region, county])
                    self.lower.append((area, "", "district"))
            for area, _, _ in self.lower:
                self.region_of.setdefault(area, region)
        names = {row["id"]: row["name"] for row in new_areas} | {i: n for i, n in existing.values()}
        self.lower = [(a, names[a], kind) for a, _, kind in self.lower]
        self.authorities += [a for a, _, _ in self.lower]
        self.names = dict(names)
        # Wards: more in a metropolitan or London borough than in a rural district.
        weight = {"met": 25.0, "london": 20.0, "unitary": 22.0, "district": 15.0}
        shares = [weight[k] * self.rng.uniform(0.7, 1.3) for _, _, k in self.lower]
        counts = [max(3, round(self.size.wards * s / sum(shares))) for s in shares]
        self.wards: list[str] = []
        self.ward_of: dict[str, list[str]] = defaultdict(list)  # authority -> its wards
        ward_code = iter(range(1, 10**6))
        for (authority, name, _), n in zip(self.lower, counts, strict=True):
            used: set[str] = set()
            for _ in range(n):
                while True:
                    ward = f"{self.rng.choice([name, self.place_name(set())])} {self.rng.choice(WARD_PARTS)}"
                    if ward not in used:
                        used.add(ward)
                        break
                area = add(f"E05{next(ward_code):06}", "ward", [authority], ward)
                self.wards.append(area)
                self.ward_of[authority].append(area)
                self.names[area] = ward
                self.region_of[area] = self.region_of[authority]
        self.put(models.Area, new_areas)
        self.put(models.AreaParent, parents)
        self.regions = [existing[c][0] for c in regions]

    # Organisations --------------------------------------------------------------------------

    def stakeholder_name(self, kind: str, place: str) -> str:
        rng = self.rng
        town = place.split(" ")[0] if rng.random() < 0.5 else place
        if kind == "business":
            first = rng.choice([town, rng.choice(STEMS) + rng.choice(ENDINGS), rng.choice(SURNAMES)])
            suffix = rng.choice(BUSINESS_SUFFIX)
            return f"{first} {rng.choice(TRADES)} {suffix}".strip()
        if kind == "person":
            return f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}"
        if kind == "third_sector":
            what = rng.choice(["Community", "Digital Inclusion", "Youth", "Age Friendly", "Skills", "Carers"])
            return f"{town} {what} {rng.choice(['Trust', 'Foundation', 'Network', 'CIC', 'Association'])}"
        if kind == "public_body":
            body = rng.choice(["Library Service", "Fire and Rescue Service", "Housing", "Growth Hub"])
            return f"{town} {body}"
        if kind == "health":
            return f"{town} {rng.choice(['NHS Foundation Trust', 'Primary Care Network', 'Health Partners'])}"
        if kind == "network":
            group = rng.choice(["Tech", "Digital", "Makers", "Women in Tech", "Data", "Games"])
            return f"{town} {group} {rng.choice(['Network', 'Meetup', 'Forum', 'Hub'])}"
        if kind == "investor":
            return f"{rng.choice(STEMS)}{rng.choice(ENDINGS)} {rng.choice(['Ventures', 'Capital', 'Angels'])}"
        if kind == "college":
            return f"{town} College"
        if kind == "university":
            return f"University of {town}"
        return f"{town} Local Enterprise Partnership"

    def stakeholders(self) -> None:
        rng = self.rng
        kinds = weighted(rng, STAKEHOLDER_KINDS)
        rows: list[dict[str, Any]] = []
        sectors: list[dict[str, str]] = []
        links: list[dict[str, str]] = []
        self.home: list[str] = []  # each generated organisation's authority, by position
        self.sizes: list[str | None] = []
        self.org_sectors: list[list[str]] = []
        councils = [(a, f"{self.names[a]} Council", "local_authority") for a in self.authorities]
        n_other = max(0, self.size.organisations - len(councils))
        # Where organisations are: in proportion to wards, a proxy for population.
        homes = [a for a, _, _ in self.lower for _ in range(len(self.ward_of[a]))]
        for i in range(len(councils) + n_other):
            if i < len(councils):
                authority, name, kind = councils[i]
                place = authority
            else:
                kind = rng.choice(kinds)
                authority = rng.choice(homes)
                wards = self.ward_of[authority]
                place = rng.choice(wards) if wards and rng.random() < 0.7 else authority
                name = self.stakeholder_name(kind, self.names[place])
            person = kind == "person"
            size = None
            if kind == "business":
                size = rng.choices(["micro", "small", "medium", "large"], [60, 25, 10, 5])[0]
            description = None
            mine = rng.sample(SECTORS, rng.choice([1, 1, 2, 2, 3]))
            if not person and rng.random() < 0.5:
                description = (
                    f"Based in {self.names[place]}; works on {' and '.join(mine)} across "
                    f"{self.names[self.region_of[authority]]}."
                )
            website = None
            if not person and rng.random() < 0.6:
                website = f"https://www.{slug(name)[:60]}.example"
            first, _, last = name.partition(" ")
            row = self.record(
                name=name,
                kind=kind,
                website=website,
                description=description,
                new_to_innovation=rng.random() < 0.2,
                status=rng.choices(["active", "dormant", "closed"], [85, 10, 5])[0],
                email=f"{first.lower()}.{slug(last)}{rng.randrange(100)}@example.org" if person else None,
                phone=f"07700 900{rng.randrange(1000):03}" if person else None,
                size=size,
            )
            rows.append(row)
            self.home.append(authority)
            self.sizes.append(size)
            self.org_sectors.append(mine)
            sectors += [{"stakeholder_id": row["id"], "sector": s} for s in mine]
            served = {place}
            if rng.random() < 0.15:
                served.add(rng.choice([self.region_of[authority], authority, rng.choice(homes)]))
            links += [{"stakeholder_id": row["id"], "area_id": a} for a in served]
        self.orgs = [r["id"] for r in rows]
        self.org_kind = [r["kind"] for r in rows]
        self.put(models.Stakeholder, rows)
        self.put(models.StakeholderSector, sectors)
        self.put(models.StakeholderArea, links)
        by_home: dict[str, list[int]] = defaultdict(list)
        by_region: dict[str, list[int]] = defaultdict(list)
        for i, authority in enumerate(self.home):
            by_home[authority].append(i)
            by_region[self.region_of[authority]].append(i)
        self.by_home, self.by_region = by_home, by_region

    # Collaborations -------------------------------------------------------------------------

    def collaborations(self) -> None:
        rng, n = self.rng, self.size.collaborations
        kinds = weighted(rng, {k: w for k, (w, _, _) in COLLABORATION_KINDS.items()})
        outcomes = [o for (o,) in self.conn.execute(select(models.Outcome.id))]
        self.outcomes = outcomes
        rows, areas, served = [], [], []
        plans = []
        for _ in range(n):
            kind = rng.choice(kinds)
            _, nouns, scale = COLLABORATION_KINDS[kind]
            lead = rng.randrange(len(self.orgs))
            authority = self.home[lead]
            start = date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365))
            funding = rng.choices(["funded", "seeking", "exploring", None], [50, 20, 15, 15])[0]
            place = self.names[authority] if rng.random() < 0.7 else self.names[self.region_of[authority]]
            row = self.record(
                title=f"{place} {rng.choice(TOPICS)} {rng.choice(nouns)}",
                kind=kind,
                description=f"A {kind.replace('_', ' ')} led from {self.names[authority]}."
                if rng.random() < 0.6
                else None,
                scale=rng.choices(
                    ["hyperlocal", "local", "regional", "national", "global"], [10, 40, 35, 12, 3]
                )[0],
                funding_status=funding,
                funding_route=rng.choice(["UKRI", "Shared Prosperity Fund", "Local authority", None])
                if funding
                else None,
                funding_amount_pence=rng.randrange(10_000, 5_000_000) * 100 if funding == "funded" else None,
                lighthouse=rng.random() < 0.02,
                start_date=start,
                end_date=start + timedelta(days=rng.randrange(90, 1500)) if rng.random() < 0.7 else None,
                publication="draft" if rng.random() < 0.08 else "published",
            )
            rows.append(row)
            plans.append((row["id"], kind, lead, scale))
            areas.append({"collaboration_id": row["id"], "area_id": authority})
            if rng.random() < 0.3:
                areas.append({"collaboration_id": row["id"], "area_id": self.region_of[authority]})
            if outcomes and rng.random() < 0.35:
                for o in rng.sample(outcomes, rng.choice([1, 1, 2])):
                    served.append({"collaboration_id": row["id"], "outcome_id": o})
        self.put(models.Collaboration, rows)
        self.put(models.CollaborationArea, areas)
        self.put(models.CollaborationOutcome, served)
        self.collaboration_ids = [r["id"] for r in rows]
        self.drafts = [r["id"] for r in rows if r["publication"] == "draft"]
        self.put(models.Participant, self.participants(plans))

    def participants(self, plans: list[tuple[str, str, int, float]]) -> Iterator[dict[str, Any]]:
        """Heavy-tailed sizes summing to about the target, partners mostly from nearby."""
        rng = self.rng
        weights = [min(rng.paretovariate(1.6), 60.0) * scale for _, _, _, scale in plans]
        extra = max(0, self.size.participations - 2 * len(plans))
        cap = min(1_500, len(self.orgs))
        total = sum(weights) or 1.0
        for (collaboration, kind, lead, _), w in zip(plans, weights, strict=True):
            size = min(cap, 2 + round(extra * w / total))
            authority = self.home[lead]
            near, region = self.by_home[authority], self.by_region[self.region_of[authority]]
            chosen = {lead}
            tries = 0
            while len(chosen) < size and tries < size * 5:
                tries += 1
                r = rng.random()
                pool = near if r < 0.6 else region if r < 0.9 else None
                chosen.add(rng.choice(pool) if pool else rng.randrange(len(self.orgs)))
            chosen.discard(lead)
            member = MEMBERS.get(kind, "partner")
            yield self.record(
                collaboration_id=collaboration, stakeholder_id=self.orgs[lead], role=LEADS.get(kind, "lead")
            )
            for i in chosen:
                role = "funder" if rng.random() < 0.04 else member
                yield self.record(collaboration_id=collaboration, stakeholder_id=self.orgs[i], role=role)

    # Metrics and their values ---------------------------------------------------------------

    def metrics(self) -> None:
        rng = self.rng
        existing = list(
            self.conn.execute(select(models.Metric.id, models.Metric.unit, models.Metric.frequency))
        )
        new, links = [], []
        freq_pool = weighted(rng, {k: w for k, (w, _) in FREQUENCIES.items()})
        for i in range(max(0, self.size.metrics - len(existing))):
            unit = rng.choice(list(METRIC_MEASURES))
            subject = rng.choice(METRIC_SUBJECTS)
            name = f"{subject}: {METRIC_MEASURES[unit][0]}"
            row = self.record(
                code=f"{slug(subject)}-{unit.replace('_', '-')}-{i:03}",
                name=name,
                unit=unit,
                direction="lower_is_better" if rng.random() < 0.25 else "higher_is_better",
                source=rng.choice(SOURCES),
                method=f"{name}, as published by the source, for each area." if rng.random() < 0.5 else None,
                frequency=rng.choice(freq_pool),
            )
            new.append(row)
            if self.outcomes:
                links.append({"metric_id": row["id"], "outcome_id": rng.choice(self.outcomes)})
        self.put(models.Metric, new)
        self.put(models.MetricOutcome, links)
        all_metrics = [(m, u, f) for m, u, f in existing] + [
            (r["id"], r["unit"], r["frequency"]) for r in new
        ]
        self.values(all_metrics)

    def allocate(self, weights: list[float], capacity: list[int], total: int) -> list[int]:
        """Water-filling: shares of `total` in proportion to the weights, none over its capacity."""
        alloc = [0.0] * len(weights)
        active = set(range(len(weights)))
        remaining = float(total)
        while active:
            mass = sum(weights[i] for i in active)
            full = {i for i in active if remaining * weights[i] / mass >= capacity[i]}
            if not full:
                for i in active:
                    alloc[i] = remaining * weights[i] / mass
                break
            for i in full:
                alloc[i] = capacity[i]
                remaining -= capacity[i]
            active -= full
        return [max(1, round(a)) for a in alloc]

    def periods(self, frequency: str, n: int) -> list[date]:
        if frequency == "monthly":
            return [date(2025 - (m + 7) // 12, 12 - (m + 7) % 12, 1) for m in range(n)]
        if frequency == "quarterly":
            ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
            return [date(2025 - (q + 4) // 4, *ends[3 - (q + 4) % 4]) for q in range(n)]
        step = 2 if frequency == "biennial" else 1
        return [date(2024 - step * y, 3, 31) for y in range(n)]

    def values(self, metrics: list[tuple[str, str, str]]) -> None:
        rng = self.rng
        level_pool = weighted(rng, LEVELS)
        scopes = {
            "national": self.nations,
            "authority": [self.uk, *self.regions, *self.authorities],
            "ward": self.wards,
        }
        plans = []
        for metric, unit, frequency in metrics:
            level = rng.choice(level_pool)
            areas = scopes[level] or scopes["authority"]
            plans.append((metric, unit, frequency, areas))
        capacity = [len(a) * FREQUENCIES.get(f, (0, 10))[1] for _, _, f, a in plans]
        weights = [rng.lognormvariate(0, 0.8) for _ in plans]
        sizes = self.allocate(weights, capacity, self.size.observations)
        # A few metrics are a collaboration's own (its partners measure it).
        own = {i for i in range(len(plans)) if rng.random() < 0.05}

        def observations() -> Iterator[dict[str, Any]]:
            for i, ((metric, unit, frequency, areas), n) in enumerate(zip(plans, sizes, strict=True)):
                max_periods = FREQUENCIES.get(frequency, (0, 10))[1]
                n_periods = min(max_periods, max(1, math.ceil(n / len(areas))))
                n_areas = min(len(areas), max(1, round(n / n_periods)))
                chosen = sorted(rng.sample(areas, n_areas))
                dates = self.periods(frequency, n_periods)
                typical = METRIC_MEASURES.get(unit, ("", 50.0))[1]
                trend = rng.uniform(-0.03, 0.06)
                collaboration = rng.choice(self.collaboration_ids) if i in own else None
                for area in chosen:
                    base = typical * rng.lognormvariate(0, 0.25)
                    for k, day in enumerate(dates):
                        value = base * (1 + trend) ** -k * rng.uniform(0.97, 1.03)
                        if unit == "percent":
                            value = min(100.0, value)
                        places = 0 if unit in ("count", "gbp") else 1
                        yield self.record(
                            metric_id=metric,
                            area_id=area,
                            collaboration_id=collaboration,
                            value=Decimal(f"{value:.{places}f}"),
                            date=day,
                            source=None,
                            note=None,
                            qualifier="eq" if rng.random() < 0.97 else "approx",
                        )

        self.put(models.Observation, observations())
        baselines, targets = [], []
        for metric, unit, _, areas in plans:
            typical = METRIC_MEASURES.get(unit, ("", 50.0))[1]
            for area in [a for a in areas if a not in self.wards][:60]:
                fields = {"metric_id": metric, "area_id": area, "collaboration_id": None, "source": None}
                baselines.append(
                    self.record(
                        **fields,
                        value=Decimal(f"{typical * rng.uniform(0.6, 1.0):.1f}"),
                        date=date(2021, 3, 31),
                        note=None,
                        qualifier="eq",
                    )
                )
                for year in (2025, 2030):
                    target = typical * (1.1 if year == 2025 else 1.3)
                    targets.append(
                        self.record(
                            **fields, value=Decimal(f"{target:.1f}"), date=date(year, 12, 31), note=None
                        )
                    )
        # The seed's own baselines stay; generated ones go where none is yet.
        B = models.Baseline
        have = set(self.conn.execute(select(B.metric_id, B.area_id).where(B.collaboration_id.is_(None))))
        self.put(B, [b for b in baselines if (b["metric_id"], b["area_id"]) not in have])
        self.put(models.Target, targets)

    # Support, referrals, stories ------------------------------------------------------------

    def support(self) -> None:
        rng = self.rng
        missions = [m for (m,) in self.conn.execute(select(models.Mission.id))]
        providers = [
            i for i, k in enumerate(self.org_kind) if k in ("local_authority", "university", "public_body")
        ]
        schemes, areas, served = [], [], []
        for i in range(self.size.schemes):
            topic = rng.choice(TOPICS)
            row = self.record(
                name=f"{topic} Support {i + 1:03}",
                provider_id=self.orgs[rng.choice(providers)] if providers else None,
                offer=rng.choice(
                    ["Fully funded advice", "Grants up to £10,000", "Free training", "Mentoring"]
                ),
                description=f"Help with {topic.lower()} for eligible organisations.",
                url=None,
                status="open" if rng.random() < 0.8 else "closed",
                closes_on=date(2026, 3, 31) if rng.random() < 0.5 else None,
                eligible_kinds=rng.sample(["business", "third_sector", "person"], rng.randint(0, 2)),
                eligible_sizes=rng.sample(["micro", "small", "medium"], rng.randint(0, 3)),
                eligible_sectors=rng.sample(SECTORS, rng.choice([0, 0, 1, 2])),
            )
            schemes.append(row)
            if rng.random() < 0.7:
                areas.append({"scheme_id": row["id"], "area_id": rng.choice(self.regions + self.authorities)})
            if missions:
                served.append({"scheme_id": row["id"], "mission_id": rng.choice(missions)})
        self.put(models.SupportScheme, schemes)
        self.put(models.SupportSchemeArea, areas)
        self.put(models.SupportSchemeMission, served)
        ids = [r["id"] for r in schemes]
        referrals = [
            self.record(
                stakeholder_id=rng.choice(self.orgs),
                scheme_id=rng.choice(ids),
                referred_by_id=rng.choice(self.orgs) if rng.random() < 0.5 else None,
                referred_on=date(2022, 1, 1) + timedelta(days=rng.randrange(1200)),
                status=rng.choice(["referred", "in_contact", "supported", "declined", "not_eligible"]),
                note=None,
                outcome=None,
            )
            for _ in range(len(self.orgs) // 100 if ids else 0)
        ]
        self.put(models.Referral, referrals)

    def stories(self) -> None:
        rng = self.rng
        missions = [m for (m,) in self.conn.execute(select(models.Mission.id))]
        metrics = [m for (m,) in self.conn.execute(select(models.Metric.id))]
        stories, who, what, why = [], [], [], []
        for i in range(self.size.stories):
            collaboration = rng.choice(self.collaboration_ids)
            row = self.record(
                title=f"{rng.choice(TOPICS)}: what we learned ({i + 1})",
                kind="lesson" if rng.random() < 0.3 else "success",
                summary="A short account of what happened and why it matters.",
                body=None,
                happened_on=date(2018, 1, 1) + timedelta(days=rng.randrange(2500)),
                metric_id=rng.choice(metrics) if metrics and rng.random() < 0.3 else None,
                publication="published" if rng.random() < 0.85 else "draft",
            )
            stories.append(row)
            for org in {rng.choice(self.orgs) for _ in range(rng.randint(1, 3))}:
                who.append({"story_id": row["id"], "stakeholder_id": org})
            what.append({"story_id": row["id"], "collaboration_id": collaboration})
            if missions:
                why.append({"story_id": row["id"], "mission_id": rng.choice(missions)})
        self.put(models.Story, stories)
        self.put(models.StoryStakeholder, who)
        self.put(models.StoryCollaboration, what)
        self.put(models.StoryMission, why)


def _bulk_engine(url: str) -> Engine:
    """For the bulk load. SQLite: no journal (WAL would write everything twice), no syncs,
    a large page cache, one connection; a crash only means generating again."""
    if make_url(url).get_backend_name() != "sqlite":
        return make_engine(url)
    engine = create_engine(url, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def ensure_api_key(engine: Engine) -> str:
    """The bench's reader key (idempotent); returns its secret."""
    K = table(models.ApiKey)
    with engine.begin() as conn:
        found = conn.execute(select(K.c.id).where(K.c.secret_hash == token_hash(BENCH_KEY))).first()
        if found is None:
            stamps = Clock(random.Random(0)).stamps()
            conn.execute(
                insert(K),
                [
                    {
                        **stamps,
                        "name": "bench",
                        "role": "reader",
                        "prefix": BENCH_KEY[:11],
                        "secret_hash": token_hash(BENCH_KEY),
                    }
                ],
            )
    return BENCH_KEY


def organisations_in(url: str) -> int:
    """How many stakeholders the database holds (0 when it has no schema yet)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table(models.Stakeholder))).scalar_one())
    except Exception:  # no table yet
        return 0
    finally:
        engine.dispose()


def made_here(url: str) -> bool:
    """Whether the database holds the bench's API key: data this module generated."""
    engine = make_engine(url)
    K = table(models.ApiKey)
    try:
        with engine.connect() as conn:
            found = conn.execute(select(K.c.id).where(K.c.secret_hash == token_hash(BENCH_KEY))).first()
            return found is not None
    except Exception:  # no table
        return False
    finally:
        engine.dispose()


def generate(url: str, size: str, seed: int = 0, log: Any = print) -> dict[str, int]:
    """Migrate, load the seed, add the generated records; returns rows added per table."""
    spec = SIZES[size]
    started = time.perf_counter()
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with sessionmaker(engine, class_=Session)() as session:
            loader.load(session)
            session.commit()
    finally:
        engine.dispose()
    bulk = _bulk_engine(url)
    try:
        with bulk.begin() as conn:
            gen = Generator(conn, spec, seed)
            for step in (
                gen.areas,
                gen.stakeholders,
                gen.collaborations,
                gen.metrics,
                gen.support,
                gen.stories,
            ):
                step()
                log(f"  {step.__name__:15} done at {time.perf_counter() - started:6.1f} s")
        ensure_api_key(bulk)
        with bulk.connect() as conn:
            if bulk.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            else:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # as the project keeps it
    finally:
        bulk.dispose()
    return dict(gen.counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--url", required=True, help="sqlite:///path.db or postgresql+psycopg://…")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if make_url(args.url).get_backend_name() not in ("sqlite", "postgresql"):
        sys.exit("A SQLite or PostgreSQL URL, please.")
    if organisations_in(args.url):
        sys.exit("That database already holds stakeholders: give an empty one.")
    started = time.perf_counter()
    counts = generate(args.url, args.size, args.seed)
    total = sum(counts.values())
    print(f"{args.size}: {total:,} rows in {time.perf_counter() - started:.1f} s")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {name:24} {n:>10,}")


if __name__ == "__main__":
    main()
