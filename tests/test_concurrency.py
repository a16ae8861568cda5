"""Two editors on committed data, in separate transactions: the later write never wins silently."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from api import crud, models


@pytest.fixture
def committed_area(engine: Engine) -> Iterator[str]:
    with Session(engine, expire_on_commit=False) as session:
        area = models.Area(name="Coventry", kind="local_authority")
        session.add(area)
        session.commit()
    yield area.id
    with Session(engine) as session:
        session.execute(delete(models.Area).where(models.Area.id == area.id))  # type: ignore[arg-type]
        session.commit()


def test_the_second_of_two_concurrent_edits_is_refused(engine: Engine, committed_area: str) -> None:
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(models.Area, committed_area), second.get(models.Area, committed_area)
        assert mine and theirs and mine.version == theirs.version == 1  # both pass If-Match "1"
        crud.apply_changes(mine, {"name": "first editor"})
        first.commit()
        crud.apply_changes(theirs, {"name": "second editor"})
        # PostgreSQL: the UPDATE's `WHERE version = 1` matches nothing (answered as 412).
        # SQLite: the stale snapshot may not write at all (answered as 503, retry).
        with pytest.raises((StaleDataError, OperationalError)):
            second.commit()
    with Session(engine) as session:
        stored = session.get(models.Area, committed_area)
        assert stored is not None and (stored.name, stored.version) == ("first editor", 2)
