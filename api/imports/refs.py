"""Names in a file into ids: areas by GSS code or name, metrics by code, organisations by
identifier or name. Each answer is remembered for the rest of the file."""

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from api import models
from api.imports.fields import RowError

GSS = re.compile(r"^[EKNSW][0-9]{8}$")
ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,12}-")


def same_name(text: str) -> str:
    """A name as names are compared: spacing and case aside."""
    return " ".join(text.split()).lower()


class Lookup:
    """Finds the records a file refers to, however it names them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._known: dict[tuple[str, str], str] = {}

    def _cached(self, what: str, ref: str, find: Callable[[str], str | None], field: str) -> str:
        key = (what, same_name(ref))
        if key not in self._known:
            found = find(ref.strip())
            if found is None:
                raise RowError(
                    f"No {what} {ref.strip()!r} here: add it first, or check the spelling.", field, ref
                )
            self._known[key] = found
        return self._known[key]

    def forget(self) -> None:
        """After a row is undone: what it created is gone again."""
        self._known.clear()

    def _one_named(self, table: Any, column: Any, name: str, what: str, field: str) -> str | None:
        ids = list(
            self.session.scalars(select(col(table.id)).where(func.lower(column) == same_name(name)).limit(2))
        )
        if len(ids) > 1:
            raise RowError(
                f"More than one {what} is called {name!r}: use its id or code instead.", field, name
            )
        return ids[0] if ids else None

    def area(self, ref: str, field: str) -> str:
        A = models.Area

        def find(text: str) -> str | None:
            if GSS.match(text):
                return self.session.scalars(select(col(A.id)).where(col(A.code) == text)).first()
            if self.session.get(A, text) is not None:
                return text
            return self._one_named(A, col(A.name), text, "area", field)

        return self._cached("area", ref, find, field)

    def metric(self, ref: str, field: str) -> str:
        M = models.Metric

        def find(text: str) -> str | None:
            by_code = self.session.scalars(select(col(M.id)).where(col(M.code) == text.lower())).first()
            return by_code or (text if self.session.get(M, text) is not None else None)

        return self._cached("metric", ref, find, field)

    def stakeholder(self, ref: str, field: str) -> str:
        S, SI = models.Stakeholder, models.StakeholderIdentifier

        def find(text: str) -> str | None:
            if ORG_ID.match(text):
                return self.session.scalars(
                    select(col(SI.stakeholder_id)).where(col(SI.identifier) == text)
                ).first()
            if self.session.get(S, text) is not None:
                return text
            keyed = self.session.scalars(select(col(S.id)).where(col(S.external_id) == text).limit(2)).all()
            if len(keyed) == 1:  # its key elsewhere: a 360Giving organisation identifier
                return keyed[0]
            return self._one_named(S, col(S.name), text, "organisation", field)

        return self._cached("organisation", ref, find, field)

    def collaboration(self, ref: str, field: str) -> str:
        C = models.Collaboration

        def find(text: str) -> str | None:
            if self.session.get(C, text) is not None:
                return text
            by_key = self.session.scalars(select(col(C.id)).where(col(C.external_id) == text).limit(2)).all()
            if len(by_key) == 1:
                return by_key[0]
            return self._one_named(C, col(C.title), text, "collaboration", field)

        return self._cached("collaboration", ref, find, field)

    def outcome(self, ref: str, field: str) -> str:
        return self._by_id_or_code(models.Outcome, "outcome", ref, field)

    def mission(self, ref: str, field: str) -> str:
        return self._by_id_or_code(models.Mission, "mission", ref, field)

    def _by_id_or_code(self, table: Any, what: str, ref: str, field: str) -> str:
        """By id, or by a code (M3, M3.2) that only one record has."""

        def find(text: str) -> str | None:
            if self.session.get(table, text) is not None:
                return text
            ids = list(self.session.scalars(select(col(table.id)).where(col(table.code) == text).limit(2)))
            if len(ids) > 1:
                raise RowError(f"More than one {what} has the code {text!r}: use its id.", field, text)
            return ids[0] if ids else None

        return self._cached(what, ref, find, field)
