"""A mirror that polls the feed while writers work ends up with exactly the data."""

import asyncio
import random
from typing import Any

import httpx
from sqlmodel import Session

from api.config import Settings
from api.db import make_engine
from api.main import create_app
from tests.conftest import make_key

API = "/api/v1"
WRITERS, STEPS = 4, 25


async def write(client: httpx.AsyncClient, seed: int) -> None:
    """Interleaved creates, updates and deletes of stakeholders, collaborations and participants."""
    rng = random.Random(seed)
    orgs: list[dict[str, Any]] = []
    collaborations: list[dict[str, Any]] = []
    for step in range(STEPS):
        choice = rng.random()
        if choice < 0.3 or not orgs:
            made = await client.post(
                f"{API}/stakeholders", json={"name": f"Org {seed}-{step}", "kind": "business"}
            )
            assert made.status_code == 201, made.text
            orgs.append(made.json())
        elif choice < 0.5:
            org = rng.choice(orgs)
            url = f"{API}/stakeholders/{org['id']}"
            changed = await client.patch(url, json={"description": f"step {step}"}, headers={"If-Match": "*"})
            assert changed.status_code == 200, changed.text
        elif choice < 0.65:
            body = {"title": f"Project {seed}-{step}", "kind": "project"}
            made = await client.post(f"{API}/collaborations", json=body)
            assert made.status_code == 201, made.text
            collaborations.append(made.json())
            for org in rng.sample(orgs, min(2, len(orgs))):
                member = {"stakeholder_id": org["id"], "role": "partner"}
                joined = await client.post(
                    f"{API}/collaborations/{made.json()['id']}/participants", json=member
                )
                assert joined.status_code == 201, joined.text
        elif choice < 0.8 and collaborations:
            url = f"{API}/collaborations/{rng.choice(collaborations)['id']}"
            changed = await client.patch(url, json={"lighthouse": step % 2 == 0}, headers={"If-Match": "*"})
            assert changed.status_code == 200, changed.text
        elif collaborations:
            gone = collaborations.pop(rng.randrange(len(collaborations)))
            deleted = await client.delete(f"{API}/collaborations/{gone['id']}", headers={"If-Match": "*"})
            assert deleted.status_code == 204, deleted.text
        await asyncio.sleep(0)


async def mirror(client: httpx.AsyncClient, done: asyncio.Event) -> tuple[dict[Any, Any], list[int]]:
    """Poll with a small page until the writers are done and the feed is drained; apply in order."""
    state: dict[tuple[str, str], Any] = {}
    seen: list[int] = []
    after = "0"
    while True:
        finished = done.is_set()
        page = (await client.get(f"{API}/changes", params={"after": after, "limit": 7})).json()
        for change in page["items"]:
            seen.append(change["sequence"])
            key = (change["resource"], change["resource_id"])
            if change["action"] == "delete":
                state.pop(key, None)
            else:
                state[key] = change["state"]
        after = page["next_cursor"]
        if finished and not page["more"]:
            return state, seen
        await asyncio.sleep(0.005)


async def current(client: httpx.AsyncClient) -> dict[tuple[str, str], Any]:
    """What the API says now, read the way a reader (no personal data) sees it."""
    state: dict[tuple[str, str], Any] = {}
    for resource in ("stakeholders", "collaborations"):
        for item in (await client.get(f"{API}/{resource}", params={"limit": 500})).json()["items"]:
            state[(resource, item["id"])] = item
            if resource == "collaborations":
                url = f"{API}/collaborations/{item['id']}/participants"
                for member in (await client.get(url, params={"limit": 500})).json()["items"]:
                    state[("participants", member["id"])] = member
    return state


def test_replaying_the_feed_reproduces_the_data(scratch_database: str) -> None:
    engine = make_engine(scratch_database)
    app = create_app(Settings(database_url=scratch_database), engine=engine)
    editor = {"Authorization": f"Bearer {make_key(lambda: Session(engine), 'editor')}"}
    reader = {"Authorization": f"Bearer {make_key(lambda: Session(engine), 'reader')}"}

    async def run() -> tuple[dict[Any, Any], list[int], dict[Any, Any]]:
        transport = httpx.ASGITransport(app=app)
        base = "http://localhost"
        async with (
            httpx.AsyncClient(transport=transport, base_url=base, headers=editor) as writer,
            httpx.AsyncClient(transport=transport, base_url=base, headers=reader) as poller,
        ):
            done = asyncio.Event()
            polling = asyncio.create_task(mirror(poller, done))
            await asyncio.gather(*(write(writer, seed) for seed in range(WRITERS)))
            done.set()
            replayed, seen = await polling
            return replayed, seen, await current(poller)

    try:
        replayed, seen, actual = asyncio.run(run())
    finally:
        engine.dispose()
    assert seen == sorted(set(seen)), "each change once, in order"
    assert len(actual) > WRITERS * 5
    assert replayed == actual
